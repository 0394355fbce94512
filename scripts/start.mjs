#!/usr/bin/env node
// `npm start`: builds the extension, packages and checks the VSIX, then opens VS Code with it on the sample workspace
// (samples/workspace/, or the repo root when that folder is missing):
//  - the desktop `code` when it is on PATH, as an extension development host on this repo;
//  - otherwise VS Code in the browser: code-server (installed on demand into .e2e-cache/ by e2e-setup.mjs) with the
//    VSIX installed, on http://127.0.0.1:<port>/, running until Ctrl+C.
//
// Either way VS Code starts with IDM_RELATIONSHIPS_FIRST_RUN=conf/managed.json in its environment: the extension then
// opens that config with the relationship graph beside it, once per workspace (client/src/firstRun.ts). The Getting
// Started walkthrough (Help > Welcome) takes it from there.
//
// Usage: node scripts/start.mjs [--port N] [--browser]   (--browser: use code-server even when `code` is on PATH)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { setup, cacheDir } from './e2e-setup.mjs';
import { checkVsix, packageVsix } from './package-check.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const portIndex = argv.indexOf('--port');
const port = portIndex >= 0 ? Number(argv[portIndex + 1]) : Number(process.env.PORT ?? 0);
const forceBrowser = argv.includes('--browser');
/** The extension's first-run request (client/src/firstRun.ts): the config to open with the graph beside it. */
const FIRST_RUN_VARIABLE = 'IDM_RELATIONSHIPS_FIRST_RUN';
const SAMPLE_CONFIG = 'conf/managed.json';

function say(line) {
  console.log(`[start] ${line}`);
}

function runOrExit(command, args, env = process.env) {
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/**
 * The harness that starts code-server is TypeScript (test/e2e/codeServer.ts, shared with the e2e suite); esbuild
 * turns it into a CommonJS file in the cache so that this script runs it without compiling the test project.
 */
async function loadCodeServerHarness() {
  const outfile = join(cacheDir, 'start', 'codeServer.cjs');
  mkdirSync(dirname(outfile), { recursive: true });
  await esbuild.build({
    entryPoints: [join(repoRoot, 'test', 'e2e', 'codeServer.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
  });
  return createRequire(import.meta.url)(outfile);
}

async function openInBrowserVsCode(vsix, workspace, environment) {
  setup();
  const { startCodeServer } = await loadCodeServerHarness();
  const server = await startCodeServer({ workspace, vsixes: [vsix], port, timeoutMs: 120_000, environment });
  say(`VS Code (code-server) is ready in ${(server.startupMs / 1000).toFixed(1)} s with the extension installed.`);
  say(`Open ${server.workbenchUrl}`);
  say('Press Ctrl+C to stop.');
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    say('stopping code-server');
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // Keeps the process alive until a signal: the server's pipes hold the event loop open.
}

async function main() {
  say('building: npm run build');
  runOrExit('npm', ['run', 'build']);

  const vsix = join(cacheDir, 'start', 'idm-relationships.vsix');
  say(`packaging ${vsix}`);
  packageVsix(vsix);
  const { entries, disallowed, missing } = checkVsix(vsix);
  for (const entry of disallowed) console.error(`not a runtime file: ${entry.name}`);
  for (const asset of missing) console.error(`missing: ${asset.path} (referenced by ${asset.where})`);
  if (disallowed.length || missing.length) throw new Error('the VSIX failed its check (see above; node scripts/package-check.mjs)');
  say(`VSIX checked: ${entries.length} files`);

  const sample = join(repoRoot, 'samples', 'workspace');
  const workspace = existsSync(sample) ? sample : repoRoot;
  say(`workspace: ${workspace}`);
  // Only the sample has conf/managed.json where the first run looks for it.
  const environment = workspace === sample ? { [FIRST_RUN_VARIABLE]: SAMPLE_CONFIG } : {};
  if (workspace === sample) say(`first run: ${SAMPLE_CONFIG} with the relationship graph beside it; Help > Welcome has the walkthrough`);

  if (!forceBrowser && onPath('code')) {
    say(`opening desktop VS Code: code --extensionDevelopmentPath=${repoRoot} ${workspace}`);
    runOrExit('code', [`--extensionDevelopmentPath=${repoRoot}`, workspace], { ...process.env, ...environment });
    return;
  }
  say('`code` is not on PATH: starting VS Code in the browser (code-server)');
  await openInBrowserVsCode(vsix, workspace, environment);
}

main().catch((error) => {
  console.error(`[start] ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
