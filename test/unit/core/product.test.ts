/** The version is written once in the code; it must be the one package.json publishes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { PRODUCT_NAME, VERSION } from '../../../server/src/core/product';
import { DIAGNOSTIC_SOURCE } from '../../../server/src/core/diagnostics/catalogue';
import { REPO_ROOT } from '../../helpers/fixtures';

test('the version and name in the code are package.json\'s', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  assert.equal(VERSION, manifest.version);
  assert.equal(PRODUCT_NAME, manifest.name);
  assert.equal(DIAGNOSTIC_SOURCE, PRODUCT_NAME);
});
