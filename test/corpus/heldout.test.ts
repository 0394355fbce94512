/**
 * The checker on configurations it was not written against (test/fixtures/corpus-heldout): every finding is recorded
 * in heldout.expected.json with a user's verdict and the reason; a finding that appears or disappears fails the test.
 * Findings a user would dispute are kept and marked `disputed`, not hidden; real problems the checker does not
 * report are listed as `missed`. After a checker change, `node out/test/corpus/updateHeldout.js` rewrites the file,
 * keeping every recorded reason and marking new findings TODO for a person to judge.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { uriOf } from '../helpers/fixtures';
import { HELDOUT, keyOf, loadHeldout, readExpectations, relativeName, type ExpectedFinding } from './heldout';

const expected = readExpectations();
const corpus = loadHeldout();

test('held-out corpus: every finding is one recorded, and every recorded finding is still reported', () => {
  const pool = new Map<string, number>();
  for (const entry of expected.findings) pool.set(keyOf(entry), (pool.get(keyOf(entry)) ?? 0) + 1);
  const unexpected: string[] = [];
  for (const { finding, file, line } of corpus.findings) {
    const key = keyOf({ file, line, code: finding.code, severity: finding.severity });
    const left = pool.get(key) ?? 0;
    if (left > 0) pool.set(key, left - 1);
    else unexpected.push(`${key}  -- ${finding.message}`);
  }
  const disappeared = [...pool].flatMap(([key, count]) => Array<string>(count).fill(key));
  assert.deepEqual({ unexpected, disappeared }, { unexpected: [], disappeared: [] },
    'The checker\'s findings on the held-out corpus changed. Judge each one as a user would and record it (with its reason) in test/corpus/heldout.expected.json.');
});

test('held-out corpus: every recorded finding says why, and a disputed one says what is wrong with it', () => {
  const seen = new Set<string>();
  for (const entry of expected.findings) {
    const label = keyOf(entry);
    assert.ok(['agree', 'disputed'].includes(entry.verdict), `${label}: verdict ${entry.verdict}`);
    assert.ok(entry.reason.trim().length >= 20 && !entry.reason.includes('\n'), `${label}: needs a one-line reason`);
    assert.ok(!entry.reason.startsWith('TODO') && !entry.fixNote?.startsWith('TODO'), `${label}: not judged yet (TODO)`);
    assert.ok(['clean', 'not-clean', 'none'].includes(entry.fix), `${label}: fix outcome ${entry.fix}`);
    assert.equal(entry.fix === 'not-clean', !!entry.fixNote, `${label}: a fixNote goes with (and only with) a fix that is not clean`);
    seen.add(entry.file);
  }
  for (const file of seen) assert.ok(fs.existsSync(path.join(HELDOUT, file)), `expectations name a file that is not in the corpus: ${file}`);
});

test('held-out corpus: every missed problem points at a line that holds what it names', () => {
  for (const missed of expected.missed) {
    const text = fs.readFileSync(path.join(HELDOUT, missed.file), 'utf8');
    assert.ok(['pair', 'cause'].includes(missed.kind) && missed.what.length >= 20, `${missed.file}:${missed.line}: kind and what`);
    const line = text.split(/\r?\n/)[missed.line - 1];
    assert.ok(line !== undefined && line.includes(missed.anchor), `${missed.file}:${missed.line} does not hold ${JSON.stringify(missed.anchor)}`);
    // Still missed: were the checker to report anything on that line, the entry would move to `findings`.
    assert.ok(!corpus.findings.some((f) => f.file === missed.file && f.line === missed.line),
      `${missed.file}:${missed.line} is now reported: move it from "missed" to "findings"`);
  }
});

test('held-out corpus: each file is read in its layout, and the configurations form as recorded', () => {
  const actual: Record<string, string> = {};
  for (const file of corpus.files) {
    const config = corpus.workspace.getFile(uriOf(file))!;
    actual[relativeName(file)] = config.layout;
    assert.deepEqual(config.syntaxErrors, [], `${file} does not parse`);
  }
  assert.deepEqual(actual, expected.layouts);
  for (const file of Object.keys(expected.layoutIssues)) assert.ok(file in expected.layouts, `layout issue for an unknown file ${file}`);
  assert.equal(corpus.workspace.allSchemas().length, expected.configurations);
});

/** Counts for the closing note; printed so a run shows them. */
test('held-out corpus: figures', () => {
  const byCode = new Map<string, number>();
  for (const entry of expected.findings) byCode.set(`${entry.severity} ${entry.code}`, (byCode.get(`${entry.severity} ${entry.code}`) ?? 0) + 1);
  const repositories = new Set(corpus.files.map((file) => relativeName(file).split('/')[0]));
  const disputed = expected.findings.filter((entry: ExpectedFinding) => entry.verdict === 'disputed');
  console.log(`held-out corpus: ${expected.configurations} configurations, ${corpus.files.length} files, ${repositories.size} repositories; ` +
    `${expected.findings.length} findings (${disputed.length} disputed, ${disputed.filter((e) => e.severity === 'error').length} of them errors), ` +
    `${expected.missed.filter((m) => m.kind === 'pair').length} broken pairs missed, ${expected.missed.filter((m) => m.kind === 'cause').length} causes not named; preferred fix not clean: ${expected.findings.filter((e) => e.fix === 'not-clean').length}, ` +
    `no fix offered: ${expected.findings.filter((e) => e.fix === 'none').length}`);
  console.log([...byCode].sort().map(([code, count]) => `  ${count} ${code}`).join('\n'));
  assert.ok(expected.configurations >= 30);
});
