#!/usr/bin/env node
// Runs the whole E2E suite several times in a row and records each run (pass/fail, duration, failed steps), some of
// the runs while scripts/cpu-burner.mjs keeps every core busy: a flaky step shows up here, not in a user's CI.
// Builds and compiles the tests once first. Logs go to test-results/e2e-soak/run-<n>.log, the summary to
// test-results/e2e-soak/summary.json.
//
// Usage: node scripts/e2e-soak.mjs [--runs 5] [--burn 4,5] [--burn-seconds 1200]
//   --burn: which runs (1-based) have the burner on; it is bounded by --burn-seconds and stopped when its run ends.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, openSync, closeSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
function option(name, fallback) {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : fallback;
}
const runs = Number(option('--runs', '5'));
const burnRuns = new Set(option('--burn', '4,5').split(',').filter(Boolean).map(Number));
const burnSeconds = Number(option('--burn-seconds', '1200'));
const outDir = join(repoRoot, 'test-results', 'e2e-soak');
mkdirSync(outDir, { recursive: true });

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
for (const script of ['build', 'compile-tests']) {
  const result = spawnSync(npm, ['run', script], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function runOnce(index, burn) {
  return new Promise((resolveRun) => {
    const logFile = join(outDir, `run-${index}.log`);
    const log = openSync(logFile, 'w');
    const burner = burn
      ? spawn(process.execPath, [join(repoRoot, 'scripts', 'cpu-burner.mjs'), '--seconds', String(burnSeconds)], { stdio: 'ignore' })
      : undefined;
    const started = Date.now();
    const startedAt = new Date(started).toISOString();
    const suite = spawn(process.execPath, [join(repoRoot, 'test', 'e2e', 'run.mjs')], { cwd: repoRoot, stdio: ['ignore', log, log] });
    suite.on('exit', (code, signal) => {
      const durationS = (Date.now() - started) / 1000;
      if (burner && burner.exitCode === null) burner.kill('SIGTERM');
      closeSync(log);
      const output = readFileSync(logFile, 'utf8');
      // node --test's spec reporter marks failed tests and subtests with ✖.
      const failed = [...new Set(output.split('\n').filter((line) => /^\s*✖ /.test(line)).map((line) => line.trim()))];
      const count = (word) => Number(new RegExp(`^ℹ ${word} (\\d+)`, 'm').exec(output)?.[1] ?? NaN);
      resolveRun({ run: index, burner: burn, startedAt, durationS, exitCode: code, signal, passed: code === 0, tests: count('tests'), pass: count('pass'), fail: count('fail'), failed, log: logFile });
    });
  });
}

const results = [];
for (let index = 1; index <= runs; index++) {
  const burn = burnRuns.has(index);
  console.log(`[e2e-soak] run ${index}/${runs}${burn ? ' with every core kept busy by scripts/cpu-burner.mjs' : ''} (load average ${os.loadavg()[0].toFixed(1)})`);
  const result = await runOnce(index, burn);
  results.push({ ...result, loadAverageAfter: os.loadavg()[0] });
  console.log(`[e2e-soak] run ${index}: ${result.passed ? 'PASS' : 'FAIL'} in ${result.durationS.toFixed(0)} s (${result.pass}/${result.tests} tests)${result.failed.length ? `\n  ${result.failed.join('\n  ')}` : ''}`);
  writeFileSync(join(outDir, 'summary.json'), JSON.stringify({ machine: `${os.cpus().length} x ${os.cpus()[0]?.model}`, results }, null, 2));
}
const green = results.filter((r) => r.passed).length;
console.log(`[e2e-soak] ${green}/${runs} runs green; summary in ${join(outDir, 'summary.json')}`);
process.exit(green === runs ? 0 : 1);
