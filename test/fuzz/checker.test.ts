/**
 * Fuzzing the checker over the real corpus: truncations, deletions, inserted tokens, duplicated keys, wrong value
 * types at every relationship key, hostile names and moved properties. Whatever the input, reading and checking
 * return, ranges stay inside the document, codes come from the catalogue, and time stays proportional to the input.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FUZZ_TEST_OPTIONS, assertProperty, fuzzRuns } from './fuzzSettings';
import { checkAndVerify, type Files } from './invariants';
import { applyCase, applyMutation, HOSTILE_NAMES, loadCorpusGroups, mutationArbitrary, mutationCaseArbitrary, mutationTargets, RELATIONSHIP_KEYS, VALUE_PALETTE, type Mutation } from './mutations';

const groups = loadCorpusGroups();

function describeCase(files: Files, uri: string): string {
  return `${uri} (${files.get(uri)!.length} characters)`;
}

test('mutated corpus configs: the checker returns, ranges inside, codes catalogued, time bounded', FUZZ_TEST_OPTIONS, () => {
  assertProperty('checker-mutations', fc.property(mutationCaseArbitrary(4), fc.constantFrom<'idm' | 'aic'>('idm', 'aic'), (testCase, platform) => {
    const { uri, files } = applyCase(groups, testCase);
    checkAndVerify(files, { platform }, describeCase(files, uri));
  }));
});

/**
 * Every position of a small fixture, each with a share of the palette (all of it in long runs, `FUZZ_RUNS` above the
 * default): positions step through the palette so each value lands on many different keys.
 */
function sweep(kind: 'wrong-value' | 'hostile-name', paletteSize: number, variants: (position: number, value: number) => Mutation[]): void {
  const share = fuzzRuns() > 60 ? paletteSize : 6;
  for (const group of groups.filter((g) => g.name === 'rules/complete' || g.name === 'rules/separate')) {
    for (const [uri, text] of group.files) {
      const targets = mutationTargets(text);
      const positions = kind === 'wrong-value' ? targets.keyed : targets.names;
      assert.ok(positions > 0, `${uri}: no ${kind} positions`);
      for (let position = 0; position < positions; position++) {
        for (let k = 0; k < share; k++) {
          for (const mutation of variants(position, (position + k * Math.ceil(paletteSize / share)) % paletteSize)) {
            const files = new Map(group.files).set(uri, applyMutation(text, mutation));
            checkAndVerify(files, { platform: 'aic' }, `${uri} ${JSON.stringify(mutation)}`);
          }
        }
      }
    }
  }
}

test('wrong value types at every relationship key of the rule fixtures', FUZZ_TEST_OPTIONS, () => {
  sweep('wrong-value', VALUE_PALETTE.length, (which, value) => [{ kind: 'wrong-value', which, value }]);
});

test('hostile names at every naming position of the rule fixtures', FUZZ_TEST_OPTIONS, () => {
  sweep('hostile-name', HOSTILE_NAMES.length, (which, name) => [{ kind: 'hostile-name', which, name, raw: false }, { kind: 'hostile-name', which, name, raw: true }]);
});

test('every mutation kind changes the text somewhere (the fuzzer is not a no-op)', FUZZ_TEST_OPTIONS, () => {
  const text = groups.find((g) => g.name === 'rules/complete')!.files.values().next().value!;
  const samples: Mutation[] = [
    { kind: 'truncate', at: 100 }, { kind: 'delete', at: 100, length: 5 }, { kind: 'insert-token', at: 100, token: 0 },
    { kind: 'duplicate-property', which: 3 }, { kind: 'wrong-value', which: 3, value: 0 },
    { kind: 'hostile-name', which: 3, name: 0, raw: false }, { kind: 'move-property', which: 3, into: 7 },
  ];
  for (const mutation of samples) assert.notEqual(applyMutation(text, mutation), text, mutation.kind);
  assert.ok(RELATIONSHIP_KEYS.length > 20);
  fc.assert(fc.property(mutationArbitrary, (m) => typeof applyMutation(text, m) === 'string'), { numRuns: 50, seed: 1 });
});
