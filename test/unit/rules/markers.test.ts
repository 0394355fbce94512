/** Each fixture marks every finding it must produce; nothing else may be reported. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { Workspace } from '../../../server/src/core/model/workspace';
import { checkSchema } from '../../../server/src/core/rules/index';
import type { CheckSettings } from '../../../server/src/core/rules/context';
import { compareWithMarkers } from '../../helpers/markers';
import { FIXTURES, jsonFilesUnder, readFixture, uriOf } from '../../helpers/fixtures';

function checkFolder(folder: string, settings: CheckSettings = {}): string[] {
  const workspace = new Workspace();
  const files = jsonFilesUnder(path.join(FIXTURES, 'rules', folder));
  for (const file of files) workspace.setFile(uriOf(file), readFixture('rules', path.relative(path.join(FIXTURES, 'rules'), file)));
  const problems: string[] = [];
  for (const schema of workspace.allSchemas()) {
    for (const [uri, findings] of checkSchema(schema, settings)) {
      const text = workspace.getFile(uri)!.text;
      problems.push(...compareWithMarkers(text, findings).map((p) => `${path.basename(uri)}: ${p}`));
    }
  }
  return problems;
}

test('a whole config: every code at its exact place, nothing else', () => {
  assert.deepEqual(checkFolder('complete'), []);
});

test('per-object files: targets missing from a partial config are information, polymorphic gaps warnings', () => {
  assert.deepEqual(checkFolder('separate'), []);
});

test('AIC: more than 10 custom relationships on a type, only with platform aic', () => {
  assert.deepEqual(checkFolder('aic', { platform: 'aic' }), []);
  const withoutPlatform = checkFolder('aic');
  assert.ok(withoutPlatform.length > 0 && withoutPlatform.every((p) => p.includes('missing relationship-limit-exceeded')), withoutPlatform.join('\n'));
});

test('severity settings: a code can be turned off or changed', () => {
  const off = checkFolder('complete', { severities: { 'reverse-name-mismatch': 'off' } });
  assert.deepEqual(off, ['managed.json: missing reverse-name-mismatch at line 41']);
  const workspace = new Workspace();
  const file = path.join(FIXTURES, 'rules', 'complete', 'managed.json');
  workspace.setFile(uriOf(file), readFixture('rules', 'complete', 'managed.json'));
  const findings = [...checkSchema(workspace.allSchemas()[0], { severities: { 'notify-unidirectional': 'hint' } }).values()].flat();
  const notify = findings.filter((f) => f.code === 'notify-unidirectional');
  assert.equal(notify.length, 2);
  assert.ok(notify.every((f) => f.severity === 'hint'));
});
