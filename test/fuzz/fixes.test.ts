/**
 * Quick fixes applied to mutated real configs and to generated ones: the result parses (as well as the input did),
 * the targeted problem is gone, and nothing outside the intended edit changes — the text before each edit's offset
 * and after its end is identical byte for byte, and every edit lies inside an object type the finding is about.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { getQuickFixes } from '../../server/src/core/fixes/quickFixes';
import { checkFix } from './fixChecks';
import { FUZZ_TEST_OPTIONS, assertProperty, isReplay } from './fuzzSettings';
import { configArbitrary } from './generators';
import { checkAndVerify, type Files } from './invariants';
import { applyCase, loadCorpusGroups, mutationCaseArbitrary } from './mutations';

const groups = loadCorpusGroups();

test('every quick fix on generated configs: parses, fixes its problem, adds none, edits only where it should', FUZZ_TEST_OPTIONS, () => {
  let applied = 0;
  assertProperty('fixes-on-generated-configs', fc.property(configArbitrary, (config) => {
    const files: Files = new Map([['file:///generated/conf/managed.json', config.text]]);
    const { workspace, findings } = checkAndVerify(files, {}, 'generated');
    for (const finding of findings) {
      for (const fix of getQuickFixes(workspace, finding.data)) {
        checkFix(files, workspace, findings, finding, fix, true);
        applied++;
      }
    }
  }), 150);
  if (!isReplay()) assert.ok(applied > 50, `only ${applied} fixes were exercised`);
});

test('quick fixes on mutated corpus configs: parse as well as before, fix their problem, edit only where they should', FUZZ_TEST_OPTIONS, () => {
  const outcome = { applied: 0 };
  assertProperty('fixes-on-mutated-corpus', fc.property(mutationCaseArbitrary(3), fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), (testCase, picks) => {
    const { files } = applyCase(groups, testCase);
    const { workspace, findings } = checkAndVerify(files, {}, 'mutated');
    const fixable = findings.filter((f) => f.code !== 'json-syntax').flatMap((finding) => getQuickFixes(workspace, finding.data).map((fix) => ({ finding, fix })));
    if (!fixable.length) return;
    for (const pick of new Set(picks.map((p) => p % fixable.length))) {
      const { finding, fix } = fixable[pick];
      checkFix(files, workspace, findings, finding, fix, false);
      outcome.applied++;
    }
  }), 40);
  if (!isReplay()) assert.ok(outcome.applied > 20, `only ${outcome.applied} fixes were exercised`);
});
