/**
 * Every input that once broke the checker (test/fixtures/regressions/checker/<case>/) or a quick fix
 * (test/fixtures/regressions/fixes/<case>/), checked as one workspace with the fuzz invariants; for fixes, every fix
 * offered is applied and checked too. A case's `expect.json` may name codes that must be reported, a message length
 * limit, and (fixes) whether new problems are forbidden (`strict`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { getQuickFixes } from '../../server/src/core/fixes/quickFixes';
import { FIXTURES, jsonFilesUnder, uriOf } from '../helpers/fixtures';
import { checkFix } from './fixChecks';
import { FUZZ_TEST_OPTIONS } from './fuzzSettings';
import { checkAndVerify, type Files } from './invariants';

interface Expectation {
  codes?: string[];
  maxMessageLength?: number;
  strict?: boolean;
}

const ROOT = path.join(FIXTURES, 'regressions');

function casesIn(kind: 'checker' | 'fixes'): Array<{ name: string; files: Files; expectation: Expectation }> {
  const folder = path.join(ROOT, kind);
  return fs.readdirSync(folder, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort().map((name) => {
    const files: Files = new Map();
    for (const file of jsonFilesUnder(path.join(folder, name))) if (path.basename(file) !== 'expect.json') files.set(uriOf(file), fs.readFileSync(file, 'utf8'));
    const expectFile = path.join(folder, name, 'expect.json');
    const expectation = fs.existsSync(expectFile) ? JSON.parse(fs.readFileSync(expectFile, 'utf8')) as Expectation : {};
    return { name: `${kind}/${name}`, files, expectation };
  });
}

const cases = [...casesIn('checker'), ...casesIn('fixes')];

test('there are regression cases of both kinds', FUZZ_TEST_OPTIONS, () => {
  assert.ok(cases.some((c) => c.name.startsWith('checker/')) && cases.some((c) => c.name.startsWith('fixes/')));
});

for (const { name, files, expectation } of cases) {
  test(`regression: ${name}`, FUZZ_TEST_OPTIONS, () => {
    assert.ok(files.size > 0, `${name} has no config files`);
    const { workspace, findings } = checkAndVerify(files, { platform: 'aic' }, name);
    for (const code of expectation.codes ?? []) assert.ok(findings.some((f) => f.code === code), `${name}: no ${code} reported`);
    if (expectation.maxMessageLength !== undefined) {
      for (const finding of findings) assert.ok(finding.message.length <= expectation.maxMessageLength, `${name}: ${finding.code} message of ${finding.message.length} characters`);
    }
    if (!name.startsWith('fixes/')) return;
    for (const finding of findings) {
      if (finding.code === 'json-syntax') continue;
      for (const fix of getQuickFixes(workspace, finding.data)) checkFix(files, workspace, findings, finding, fix, expectation.strict ?? false);
    }
  });
}
