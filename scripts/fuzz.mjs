#!/usr/bin/env node
// A longer fuzz run than `npm test` does: the compiled fuzz tests (out/test/fuzz) with more cases per property and
// fresh random seeds. Every failure prints the property's seed and shrunk path; replay it with
//   FUZZ_SEED=<seed> FUZZ_PATH=<path> node --test --test-name-pattern "<test name>" out/test/fuzz/<file>.test.js
//
// Usage: node scripts/fuzz.mjs [runs] [seed]     (defaults: 1000 runs, FUZZ_SEED=random)
// Compile first: npx tsc -p tsconfig.test.json
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const runs = process.argv[2] ?? process.env.FUZZ_RUNS ?? '1000';
const seed = process.argv[3] ?? process.env.FUZZ_SEED ?? 'random';
const folder = path.resolve('out/test/fuzz');
if (!fs.existsSync(folder)) {
  console.error('out/test/fuzz is missing: run `npx tsc -p tsconfig.test.json` first');
  process.exit(1);
}
const files = fs.readdirSync(folder).filter((f) => f.endsWith('.test.js')).sort().map((f) => path.join(folder, f));
console.log(`fuzz: FUZZ_RUNS=${runs} FUZZ_SEED=${seed} over ${files.length} files`);
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
  env: { ...process.env, FUZZ_RUNS: String(runs), FUZZ_SEED: String(seed) },
});
process.exit(result.status ?? 1);
