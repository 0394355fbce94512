/**
 * Every finding's preferred quick fix on the held-out corpus, applied and re-checked with the fuzz suite's round-trip
 * checks (test/fuzz/fixChecks.ts, strict): the edit stays inside the object types the finding is about, the files
 * still parse, the problem is gone and no new one appears; and no other finding about the same broken pair (one at
 * the finding's place or its related places, or pointing at it) is left for a second fix. Which fixes pass is recorded per finding in
 * heldout.expected.json (`fix`: clean / not-clean / none); a change either way fails the test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keyOf, loadHeldout, readExpectations, tryPreferredFixes, type FixOutcome } from './heldout';

test('held-out corpus: each finding\'s preferred quick fix leaves its configuration clean on re-check (as recorded)', () => {
  const expected = readExpectations();
  const actual = tryPreferredFixes(loadHeldout()).map(({ key, fix, title, why }) => ({ key, fix, detail: why ? `${title}: ${why}` : title ?? '' }));
  // Pair actual outcomes with the recorded ones (the findings test checks the keys themselves).
  const recorded = new Map<string, FixOutcome[]>();
  for (const entry of expected.findings) recorded.set(keyOf(entry), [...(recorded.get(keyOf(entry)) ?? []), entry.fix]);
  const changed: string[] = [];
  for (const { key, fix, detail } of actual) {
    const outcome = recorded.get(key)?.shift();
    if (outcome !== undefined && outcome !== fix) changed.push(`${key}: recorded ${outcome}, now ${fix}${detail ? ` (${detail})` : ''}`);
  }
  if (process.env.HELDOUT_FIXES) for (const a of actual) console.log(`${a.key} => ${a.fix} ${a.detail}`);
  assert.deepEqual(changed, [], 'A preferred fix changed outcome on the held-out corpus: update `fix`/`fixNote` in test/corpus/heldout.expected.json');
});
