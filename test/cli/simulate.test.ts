/** `idm-rel simulate` through the bundled CLI: the docs' manager story runs, and an unloadable config is refused. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { FIXTURES, REPO_ROOT } from '../helpers/fixtures';

function run(args: string[]) {
  const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('json output: one entry per request with status, body and notifications', () => {
  const { code, stdout } = run(['simulate', path.join(FIXTURES, 'scenarios', 'manager-reports.idmsim'), '--format', 'json']);
  assert.equal(code, 0);
  const results = JSON.parse(stdout);
  assert.ok(results.length >= 6);
  for (const result of results) {
    for (const key of ['request', 'status', 'body', 'notifications']) assert.ok(key in result, key);
    assert.deepEqual(Object.keys(result.request).sort(), ['body', 'headers', 'method', 'path', 'query']);
  }
  assert.equal(results[0].status, 201);
  assert.equal(results[0].body._id, 'bjensen');
});

test('a config IDM would refuse to load is refused with its reason (exit 2)', () => {
  const { code, stderr } = run(['simulate', path.join(REPO_ROOT, 'samples', 'workspace', 'scenarios', 'manager-reports.idmsim')]);
  assert.equal(code, 2);
  assert.match(stderr, /device\.lastSeenBy: "notify" set on a relationship that is not bidirectional/);
});
