#!/usr/bin/env node
// Runs every compiled `*.test.js` under out/test with node's test runner. Node 20 takes no glob on the command line,
// and given a folder it would also run every helper module in it, so the files are listed here.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(process.argv[2] ?? 'out/test');
const files = [];
(function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full);
    else if (entry.name.endsWith('.test.js')) files.push(full);
  }
})(root);
files.sort();
if (!files.length) {
  console.error(`no test files under ${root}`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...process.argv.slice(3), ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
