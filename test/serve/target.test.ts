/**
 * Scenarios against a real server: `idm-rel simulate --target` (or the scenario's `@target`) against
 * `idm-rel serve` started on a free loopback port shows no differences; through a proxy changed to answer one
 * request differently, it shows exactly that difference.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { FIXTURES, REPO_ROOT } from '../helpers/fixtures';
import { startServe } from './serveProcess';

const CONF = path.join(FIXTURES, 'scenarios', 'conf');
const SCENARIO = path.join(FIXTURES, 'scenarios', 'manager-reports.idmsim');

/** The CLI, run without blocking this process's event loop (the proxy below answers in it). */
function runCli(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), ...args], { cwd: REPO_ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => { stdout += c; });
    child.stderr.setEncoding('utf8').on('data', (c: string) => { stderr += c; });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('a scenario with @target run against idm-rel serve: every request answers as the simulator, no differences', async () => {
  const server = await startServe(['--config', CONF]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idm-rel-target-'));
  try {
    const scenario = path.join(dir, 'manager-reports.idmsim');
    fs.writeFileSync(scenario, `@config ${CONF}\n@target ${server.origin}/openidm\n${fs.readFileSync(SCENARIO, 'utf8')}`);
    const { code, stdout, stderr } = await runCli(['simulate', scenario]);
    assert.equal(code, 0, stdout + stderr);
    assert.match(stdout, new RegExp(`^Against ${server.origin}/openidm with `));
    assert.match(stdout, /16 requests compared: no differences\n$/);
    assert.doesNotMatch(stdout, /: \d+ differences?\n/);
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a server changed to answer one request differently shows exactly that difference', async () => {
  const server = await startServe(['--config', CONF]);
  // A proxy in front of the server that changes one answer: bjensen's reports, the first time they are read.
  let changed = false;
  const proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const forward = http.request(`${server.origin}${req.url}`, { method: req.method, headers: req.headers, agent: false }, (answer) => {
        const body: Buffer[] = [];
        answer.on('data', (c: Buffer) => body.push(c));
        answer.on('end', () => {
          let text = Buffer.concat(body).toString('utf8');
          if (!changed && req.method === 'GET' && req.url === '/openidm/managed/user/bjensen/reports?_queryFilter=true') {
            changed = true;
            const json = JSON.parse(text);
            json.result[0]._ref = 'managed/user/someoneelse';
            text = JSON.stringify(json);
          }
          res.writeHead(answer.statusCode ?? 500, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
          res.end(text);
        });
      });
      forward.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve()));
  const port = (proxy.address() as { port: number }).port;
  try {
    const { code, stdout } = await runCli(['simulate', SCENARIO, '--config', CONF, '--target', `http://127.0.0.1:${port}/openidm`]);
    assert.equal(code, 1, stdout);
    assert.ok(changed);
    assert.match(stdout, /16 requests compared: 1 differ\n$/);
    const differing = stdout.split('\n## ').filter((section) => /: \d+ differences?\n/.test(section));
    assert.equal(differing.length, 1);
    assert.match(differing[0], /^5\. bjensen's reports: psmith and scarter \(line \d+\)\nGET managed\/user\/bjensen\/reports → simulator 200, target 200: 1 difference\n- body\.result\[0\]\._ref: simulator "managed\/user\/scarter", target "managed\/user\/someoneelse"\n/);
  } finally {
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
    await server.stop();
  }
});

test('credentials come from the environment and replace the ones the scenario carries; a server that is down is a difference, not a hang', async () => {
  const seen: Array<Record<string, string | string[] | undefined>> = [];
  const recorder = http.createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    req.on('end', () => { res.writeHead(404, { 'Content-Type': 'application/json' }); res.end('{"code":404,"reason":"Not Found","message":"x"}'); });
  });
  await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', () => resolve()));
  const port = (recorder.address() as { port: number }).port;
  try {
    const env = { ...process.env, IDM_USERNAME: 'alice', IDM_PASSWORD: 's3cret', IDM_BEARER_TOKEN: '' };
    const { stdout } = await runCli(['simulate', SCENARIO, '--config', CONF, '--target', `http://127.0.0.1:${port}/openidm`], env);
    assert.match(stdout, /with user alice from IDM_USERNAME\/IDM_PASSWORD/);
    assert.doesNotMatch(stdout, /s3cret/);
    assert.ok(seen.length >= 16);
    for (const headers of seen) {
      assert.equal(headers['x-openidm-username'], 'alice');
      assert.equal(headers['x-openidm-password'], 's3cret');
    }
  } finally {
    await new Promise<void>((resolve) => recorder.close(() => resolve()));
  }
  // The recorder's port is closed now: nobody answers there.
  const { code, stdout } = await runCli(['simulate', SCENARIO, '--config', CONF, '--target', `http://127.0.0.1:${port}/openidm`]);
  assert.equal(code, 1);
  assert.match(stdout, /target no answer/);
  assert.match(stdout, /16 requests compared: 16 differ/);
});
