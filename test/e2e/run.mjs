#!/usr/bin/env node
// Runs the end-to-end scenarios (compiled `*.e2e.js` under out/test/e2e, or the folder given) against a real VS Code:
// installs what they need (scripts/e2e-setup.mjs), packages and checks the extension's VSIX, then runs the scenarios
// one at a time with node's test runner (each starts its own code-server and Chromium; two at once would only fight
// over 2 cores). Scenarios find the VSIX in E2E_VSIX. Expects `npm run build && npm run compile-tests` before.
//
// Scenarios are named *.e2e.ts, not *.test.ts, so that `npm test` (scripts/run-tests.mjs) leaves them out.
//
// Usage: node test/e2e/run.mjs [folder] [extra node --test options]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setup } from '../../scripts/e2e-setup.mjs';
import { checkVsix, packageVsix } from '../../scripts/package-check.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const folder = resolve(args[0] && !args[0].startsWith('--') ? args.shift() : join(repoRoot, 'out', 'test', 'e2e'));

const scenarios = existsSync(folder)
  ? readdirSync(folder, { recursive: true, encoding: 'utf8' })
      .filter((path) => path.endsWith('.e2e.js'))
      .map((path) => join(folder, path))
      .sort()
  : [];
if (scenarios.length === 0) {
  console.error(`no *.e2e.js scenarios under ${folder} (compile them first: npm run compile-tests)`);
  process.exit(1);
}

setup();
// E2E_VSIX set by the caller is taken as it is; otherwise the repo is packaged and the package checked. The package
// goes to a folder of this run's own, not into the cache: clones that share one cache (E2E_CACHE_DIR) must not test
// each other's builds.
const ownFolder = process.env.E2E_VSIX ? undefined : mkdtempSync(join(tmpdir(), 'idm-e2e-vsix-'));
const vsix = ownFolder ? join(ownFolder, 'idm-relationships.vsix') : resolve(process.env.E2E_VSIX);
if (ownFolder) process.on('exit', () => rmSync(ownFolder, { recursive: true, force: true }));
if (ownFolder) {
  if (!existsSync(join(repoRoot, 'dist', 'extension.js'))) {
    console.error('dist/extension.js is missing: run `npm run build` first');
    process.exit(1);
  }
  packageVsix(vsix);
  const { disallowed, missing } = checkVsix(vsix);
  if (disallowed.length || missing.length) {
    console.error(`${vsix} failed its check; see: node scripts/package-check.mjs ${vsix}`);
    process.exit(1);
  }
}
console.log(`[e2e] ${scenarios.length} scenario file(s) against ${vsix}`);

const result = spawnSync(
  process.execPath,
  ['--test', '--test-concurrency=1', '--test-reporter=spec', ...args, ...scenarios],
  { stdio: 'inherit', env: { ...process.env, E2E_VSIX: vsix } },
);
process.exit(result.status ?? 1);
