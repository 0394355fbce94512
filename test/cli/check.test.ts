/** `idm-rel check` as CI runs it: `node dist/cli.js`, its output formats and exit codes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FIXTURES, REPO_ROOT } from '../helpers/fixtures';

function run(args: string[], cwd = FIXTURES) {
  const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('text format: path:line:col severity code message, exit 1 on errors', () => {
  const { code, stdout, stderr } = run(['check', 'corpus/tahahasan88_idmapi']);
  assert.equal(code, 1);
  const lines = stdout.trim().split('\n');
  assert.equal(lines.length, 3);
  assert.match(lines[0], /^corpus\/tahahasan88_idmapi\/conf\/managed\.json:2446:53 error reverse-missing-back-path role\.members's `resourceCollection` does not list `managed\/preproduser`/);
  assert.match(stderr, /1 file checked: 3 errors, 0 warnings/);
});

test('a clean config exits 0 with no output', () => {
  const { code, stdout } = run(['check', 'corpus/ForgeRock_forgeops']);
  assert.equal(code, 0);
  assert.equal(stdout, '');
});

test('json format: relative file, 0-based LSP range, severity, code, message', () => {
  const { code, stdout } = run(['check', 'corpus/PeteAzwork_IDM-Entitlements-Standalone/conf/managed.json', '--format', 'json']);
  assert.equal(code, 0, 'warnings only');
  assert.deepEqual(JSON.parse(stdout), [{
    file: 'corpus/PeteAzwork_IDM-Entitlements-Standalone/conf/managed.json',
    range: { start: { line: 2008, character: 44 }, end: { line: 2008, character: 55 } },
    severity: 'warning',
    code: 'query-field-unknown',
    message: 'Arrangement has no property `AdminCode` to show in the admin UI.',
  }]);
});

test('sarif format: SARIF 2.1.0 with rules and 1-based regions', () => {
  const { code, stdout } = run(['check', 'corpus/tahahasan88_idmapi', '--format=sarif']);
  assert.equal(code, 1);
  const sarif = JSON.parse(stdout);
  assert.equal(sarif.version, '2.1.0');
  const [run0] = sarif.runs;
  assert.equal(run0.tool.driver.name, 'idm-rel');
  assert.ok(run0.tool.driver.rules.some((r: any) => r.id === 'reverse-missing-back-path'));
  assert.equal(run0.results.length, 3);
  const [result] = run0.results;
  assert.equal(result.ruleId, 'reverse-missing-back-path');
  assert.equal(result.level, 'error');
  assert.equal(run0.tool.driver.rules[result.ruleIndex].id, result.ruleId);
  assert.deepEqual(result.locations[0].physicalLocation.region, { startLine: 2446, startColumn: 53, endLine: 2446, endColumn: 62 });
  assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'corpus/tahahasan88_idmapi/conf/managed.json');
});

test('severity overrides and the aic platform', () => {
  assert.equal(run(['check', 'corpus/tahahasan88_idmapi', '--severity', 'reverse-missing-back-path=warning']).code, 0);
  const aic = run(['check', 'rules/aic', '--platform', 'aic', '--format', 'json']);
  assert.equal(JSON.parse(aic.stdout).filter((f: any) => f.code === 'relationship-limit-exceeded').length, 2);
  assert.equal(JSON.parse(run(['check', 'rules/aic', '--format', 'json']).stdout).length, 0);
});

test('a single per-object file is checked with its siblings', () => {
  const { stdout } = run(['check', 'rules/separate/idm/managed/alpha_user.managed.json', '--format', 'json']);
  const findings = JSON.parse(stdout);
  assert.ok(findings.every((f: any) => f.file === 'rules/separate/idm/managed/alpha_user.managed.json'));
  // alpha_device (a sibling file) is found, so only the polymorphic gap is a warning and alpha_role is information.
  assert.deepEqual(findings.map((f: any) => `${f.severity} ${f.code}`), ['information resource-collection-unknown', 'warning reverse-property-missing']);
});

test('usage and read errors exit 2 with a clear message, never a stack trace', () => {
  const unknown = run(['check', '--format', 'xml']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown format 'xml'/);
  const missing = run(['check', 'no/such/file.json']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read 'no\/such\/file\.json'/);
  assert.equal(run(['frobnicate']).code, 2);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idm-rel-cli-'));
  try {
    fs.writeFileSync(path.join(dir, 'managed.json'), 'this is not { json');
    const notJson = run(['check', 'managed.json'], dir);
    assert.equal(notJson.code, 1);
    assert.match(notJson.stderr, /'managed\.json' is not valid JSON/);
    assert.doesNotMatch(notJson.stderr + notJson.stdout, /at .*\.js:\d+/);
    fs.writeFileSync(path.join(dir, 'other.json'), '{"hello": "world"}');
    const notConfig = run(['check', 'other.json'], dir);
    assert.equal(notConfig.code, 0);
    assert.match(notConfig.stderr, /is not a managed object config/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
