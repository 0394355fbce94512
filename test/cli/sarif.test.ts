/**
 * `idm-rel check --format sarif` validated by Microsoft's SARIF Multitool (`validate` verb, npm package
 * @microsoft/sarif-multitool, run offline): the JSON schema of SARIF 2.1.0 plus its own rules of good SARIF.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FIXTURES, REPO_ROOT } from '../helpers/fixtures';

const MULTITOOL = path.join(REPO_ROOT, 'node_modules', '.bin', process.platform === 'win32' ? 'sarif-multitool.cmd' : 'sarif-multitool');

function sarifOf(args: string[]): string {
  const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'check', '--format', 'sarif', ...args], { cwd: FIXTURES, encoding: 'utf8' });
  assert.ok(result.status === 0 || result.status === 1, result.stderr);
  return result.stdout;
}

interface Validation {
  status: number | null;
  problems: Array<{ level: string; ruleId: string; arguments: string[] }>;
}

/** Runs `sarif-multitool validate` on `sarif`; returns the problems its own SARIF log lists. */
function validate(sarif: string): Validation {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'idm-rel-sarif-'));
  try {
    const input = path.join(folder, 'check.sarif');
    const output = path.join(folder, 'validation.sarif');
    fs.writeFileSync(input, sarif);
    const result = spawnSync(MULTITOOL, ['validate', input, '--output', output], { encoding: 'utf8', env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' } });
    assert.ok(fs.existsSync(output), `the multitool wrote its log:\n${result.stdout}\n${result.stderr}`);
    const log = JSON.parse(fs.readFileSync(output, 'utf8'));
    const problems = (log.runs?.[0]?.results ?? []).map((r: any) => ({ level: r.level ?? 'warning', ruleId: r.ruleId, arguments: r.message?.arguments ?? [] }));
    return { status: result.status, problems };
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

test('SARIF output passes the SARIF Multitool validate verb', () => {
  assert.ok(fs.existsSync(MULTITOOL), 'npm install puts @microsoft/sarif-multitool in node_modules/.bin');
  // Errors, warnings and information, several files, and an empty run.
  const withFindings = sarifOf(['corpus/tahahasan88_idmapi', 'corpus/rockcarver_frodo-cli', 'corpus/PeteAzwork_IDM-Entitlements-Standalone', 'rules/complete']);
  assert.ok(JSON.parse(withFindings).runs[0].results.length > 20);
  const checked = validate(withFindings);
  assert.equal(checked.status, 0);
  assert.deepEqual(checked.problems.filter((p) => p.level === 'error'), [], 'no schema or SARIF rule errors');
  const clean = sarifOf(['corpus/ForgeRock_forgeops']);
  assert.equal(JSON.parse(clean).runs[0].results.length, 0);
  assert.deepEqual(validate(clean).problems.filter((p) => p.level === 'error'), []);
});

test('the validator is live: a result without its message and a line 0 are reported', () => {
  const sarif = JSON.parse(sarifOf(['corpus/tahahasan88_idmapi']));
  delete sarif.runs[0].results[0].message;
  sarif.runs[0].results[1].locations[0].physicalLocation.region.startLine = 0;
  const { problems } = validate(JSON.stringify(sarif));
  const errors = problems.filter((p) => p.level === 'error').map((p) => `${p.ruleId} ${p.arguments.join(' ')}`);
  assert.ok(errors.some((e) => e.startsWith('JSON1002') && e.includes('runs[0].results[0]') && e.includes('message')), errors.join('\n'));
  assert.ok(errors.some((e) => e.startsWith('JSON1008') && e.includes('startLine')), errors.join('\n'));
});
