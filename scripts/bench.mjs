#!/usr/bin/env node
// Benchmark of the checker (`npm run bench`). Not a test: it prints timings and ratios measured in one run, against
// baselines timed on the same text in the same process: jsonc-parser's bare scanner, its parseTree, and
// vscode-json-languageservice's parse + validate (what VS Code's JSON support does on each edit).
// Targets (issue 2): full analysis within 2x of the scanner pass, at least 3x faster than the JSON language service.
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import { createRequire } from 'module';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outfile = path.join(os.tmpdir(), `idm-rel-bench-${process.pid}.cjs`);
await esbuild.build({
  entryPoints: [path.join(root, 'scripts/bench/checkerEntry.ts')], bundle: true, platform: 'node', format: 'cjs',
  mainFields: ['module', 'main'], outfile, logLevel: 'error',
});
const bench = createRequire(import.meta.url)(outfile);
fs.rmSync(outfile, { force: true });

const corpusDir = path.join(root, 'test/fixtures/corpus');
const files = [];
(function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full);
    else if (entry.name.endsWith('.json')) files.push(full);
  }
})(corpusDir);
files.sort();

/** A managed.json of about `bytes`, made of renamed copies of the AIC template's objects (pairs stay consistent). */
function generateConfig(bytes) {
  const template = JSON.parse(fs.readFileSync(path.join(corpusDir, 'rockcarver_frodo-lib/src/ops/templates/cloud/managed.json'), 'utf8'));
  const objects = [];
  let size = 0;
  for (let copy = 0; size < bytes; copy++) {
    const text = JSON.stringify(template.objects).replace(/managed\/(\w+)/g, `managed/c${copy}_$1`).replace(/"name":"(\w+)"/g, (m, name) => `"name":"c${copy}_${name}"`);
    const copied = JSON.parse(text);
    objects.push(...copied);
    size += text.length * 1.6; // pretty-printing adds about this much
  }
  return JSON.stringify({ objects }, null, 2);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function time(run, repeats) {
  await run(); // warm up
  const samples = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

const cases = files.map((file) => ({ name: path.relative(corpusDir, file), text: fs.readFileSync(file, 'utf8') }));
cases.push({ name: 'generated ~1 MB managed.json', text: generateConfig(1_000_000) });
cases.push({ name: 'generated ~5 MB managed.json', text: generateConfig(5_000_000) });

console.log('Full analysis (parse + model + all rules) against baselines on the same text; medians in ms.');
console.log('file'.padEnd(60), 'KB'.padStart(7), 'scanner'.padStart(8), 'parseTree'.padStart(9), 'jsonLS'.padStart(8), 'analysis'.padStart(8), 'vs scan'.padStart(8), 'jsonLS/x'.padStart(9));
let worstScanRatio = 0;
let worstServiceRatio = Infinity;
for (const { name, text } of cases) {
  const repeats = text.length > 2_000_000 ? 15 : text.length > 200_000 ? 25 : 40;
  const uri = pathToFileURL(path.join(os.tmpdir(), name.includes('/') ? name : 'gen/managed.json')).href;
  const scanner = await time(() => bench.scan(text), repeats);
  const tree = await time(() => bench.jsoncParseTree(text), repeats);
  const service = await time(() => bench.jsonLanguageService(uri, text), repeats);
  const analysis = await time(() => bench.analyse(uri, text), repeats);
  const scanRatio = analysis / scanner;
  const serviceRatio = service / analysis;
  if (text.length > 500_000) {
    worstScanRatio = Math.max(worstScanRatio, scanRatio);
    worstServiceRatio = Math.min(worstServiceRatio, serviceRatio);
  }
  console.log(name.slice(-60).padEnd(60), (text.length / 1024).toFixed(0).padStart(7), scanner.toFixed(2).padStart(8), tree.toFixed(2).padStart(9),
    service.toFixed(2).padStart(8), analysis.toFixed(2).padStart(8), `${scanRatio.toFixed(2)}x`.padStart(8), `${serviceRatio.toFixed(2)}x`.padStart(9));
}
// Calibration: this benchmark's baseline (the scanner) allocates little, the analysis builds a tree. On machines
// where memory is slow to hand out (some VMs), the ratio says more about the machine than the code: print the cost.
{
  const started = process.cpuUsage();
  const kept = [];
  for (let i = 0; i < 1_000_000; i++) kept.push({ x: i, y: i, z: null });
  const cpu = process.cpuUsage(started);
  console.log(`\nMachine calibration: keeping 1,000,000 small objects took ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms of CPU (load average ${os.loadavg()[0].toFixed(1)}).`);
}
console.log(`On the generated configs: analysis is ${worstScanRatio.toFixed(2)}x the scanner pass (target <= 2x) and ` +
  `${worstServiceRatio.toFixed(2)}x faster than the JSON language service (target >= 3x).`);
