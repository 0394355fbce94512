/** Every diagnostic code is documented where users look for it: the README's table and the severity setting. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { CATALOGUE, DIAGNOSTIC_CODES } from '../../../server/src/core/diagnostics/catalogue';
import { REPO_ROOT } from '../../helpers/fixtures';

test('every code is in the README diagnostics table and in idmRelationships.severity, with its default severity', () => {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  const configuration = manifest.contributes.configuration;
  const settings = (Array.isArray(configuration) ? configuration : [configuration]).map((c: any) => c.properties?.['idmRelationships.severity']).find(Boolean);
  for (const code of DIAGNOSTIC_CODES) {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${code}\` |`));
    assert.ok(row, `${code} is not in the README's diagnostics table`);
    assert.ok(row.startsWith(`| \`${code}\` | ${CATALOGUE[code].severity}`), `${code}: the README gives another default severity`);
    assert.ok(settings.properties[code], `${code} is not in package.json's idmRelationships.severity properties`);
  }
  assert.deepEqual(Object.keys(settings.properties).sort(), [...DIAGNOSTIC_CODES].sort());
});
