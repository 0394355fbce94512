/**
 * The CLI installs from the npm package alone: `npm pack`, `npm install -g` of the tarball into an empty prefix
 * (offline: the package has no runtime dependencies), then `idm-rel check` from outside the repository, with a PATH
 * that holds only node and that prefix.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CORPUS, REPO_ROOT } from '../helpers/fixtures';

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

test('npm pack, npm install -g of the tarball in a temporary prefix, then idm-rel check with nothing else installed', async () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  assert.equal(manifest.dependencies, undefined, 'no runtime dependencies: the bundles carry what they need');
  assert.equal(manifest.optionalDependencies, undefined);
  assert.equal(manifest.peerDependencies, undefined);

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'idm-rel-pack-'));
  try {
    const packed = spawnSync(NPM, ['pack', '--json', '--pack-destination', work], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(packed.status, 0, packed.stderr);
    const [info] = JSON.parse(packed.stdout);
    const files = info.files.map((f: { path: string }) => f.path).sort();
    assert.deepEqual(files, ['LICENSE', 'README.md', 'dist/cli.js', 'dist/server.js', 'package.json']);
    const tarball = path.join(work, info.filename);

    const prefix = path.join(work, 'prefix');
    const cache = path.join(work, 'npm-cache');
    const installed = spawnSync(NPM, ['install', '-g', '--prefix', prefix, '--cache', cache, '--offline', '--no-audit', '--no-fund', tarball], {
      cwd: work, encoding: 'utf8',
    });
    assert.equal(installed.status, 0, installed.stdout + installed.stderr);
    const bin = path.join(prefix, 'bin');
    assert.ok(fs.existsSync(path.join(bin, 'idm-rel')));
    assert.ok(fs.existsSync(path.join(bin, 'idm-relationships-language-server')));
    const modules = fs.readdirSync(path.join(prefix, 'lib', 'node_modules'));
    assert.deepEqual(modules, ['idm-relationships'], 'nothing but the package itself was installed');
    assert.ok(!fs.existsSync(path.join(prefix, 'lib', 'node_modules', 'idm-relationships', 'node_modules')));

    // A project elsewhere, and a PATH with only node's folder and the prefix's bin: no repository, no node_modules.
    const project = path.join(work, 'project');
    fs.cpSync(path.join(CORPUS, 'tahahasan88_idmapi'), project, { recursive: true });
    const env = { PATH: `${bin}${path.delimiter}${path.dirname(process.execPath)}`, HOME: work };
    const check = spawnSync('idm-rel', ['check'], { cwd: project, env, encoding: 'utf8' });
    assert.equal(check.status, 1, check.stderr);
    assert.match(check.stdout, /^conf\/managed\.json:2446:53 error reverse-missing-back-path /);
    assert.match(check.stderr, /1 file checked: 3 errors/);
    const version = spawnSync('idm-rel', ['--version'], { cwd: project, env, encoding: 'utf8' });
    assert.equal(version.stdout.trim(), manifest.version);

    // The language server answers an LSP initialize over stdio.
    const reply = await initializeOverStdio('idm-relationships-language-server', project, env);
    assert.match(reply, /"capabilities"/);
    assert.match(reply, /"codeActionProvider"/);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
});

/** Starts `command --stdio`, sends `initialize` and returns the reply (the server is stopped afterwards). */
function initializeOverStdio(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const server = spawn(command, ['--stdio'], { cwd, env });
    let output = '';
    let errors = '';
    const timer = setTimeout(() => { server.kill(); reject(new Error(`no reply to initialize in 30 s: ${output}${errors}`)); }, 30000);
    server.stdout.on('data', (chunk) => {
      output += String(chunk);
      const body = /Content-Length: (\d+)\r\n\r\n/.exec(output);
      if (body && Buffer.byteLength(output.slice(body.index + body[0].length)) >= Number(body[1])) {
        clearTimeout(timer);
        server.kill();
        resolve(output);
      }
    });
    server.stderr.on('data', (chunk) => { errors += String(chunk); });
    server.on('error', (error) => { clearTimeout(timer); reject(error); });
    const message = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
    server.stdin.write(`Content-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`);
  });
}
