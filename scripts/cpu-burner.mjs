#!/usr/bin/env node
// Keeps `threads` cores busy for at most `seconds` seconds, then exits on its own (a burner left behind cannot outlive
// its bound). Used by scripts/e2e-soak.mjs to run the E2E suite on a machine whose cores are all taken.
//
// Usage: node scripts/cpu-burner.mjs [--threads N (default: every core)] [--seconds S (default 900, at most 3600)]
import { Worker, isMainThread, workerData } from 'node:worker_threads';
import * as os from 'node:os';

function option(name, fallback) {
  const at = process.argv.indexOf(name);
  const value = at >= 0 ? Number(process.argv[at + 1]) : NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

if (isMainThread) {
  const threads = Math.floor(option('--threads', os.availableParallelism?.() ?? os.cpus().length));
  const seconds = Math.min(option('--seconds', 900), 3600);
  const deadline = Date.now() + seconds * 1000;
  for (let i = 0; i < threads; i++) new Worker(new URL(import.meta.url), { workerData: { deadline } });
  // The workers stop at the deadline; this is the backstop.
  setTimeout(() => process.exit(0), seconds * 1000 + 2000).unref();
  process.on('SIGTERM', () => process.exit(0));
  process.on('SIGINT', () => process.exit(0));
  console.log(`[cpu-burner] ${threads} thread(s) busy for at most ${seconds} s (pid ${process.pid})`);
} else {
  // Pure arithmetic in a loop, checking the clock every few million steps.
  let x = 0;
  while (Date.now() < workerData.deadline) {
    for (let i = 0; i < 5_000_000; i++) x = (x * 1103515245 + 12345) % 2147483648;
  }
  if (x === -1) console.log(x); // keeps the loop from being optimised away
}
