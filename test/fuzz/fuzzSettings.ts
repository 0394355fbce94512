/**
 * How many cases the fuzz tests run and from which seed, so that a failure can be replayed.
 *
 * - `FUZZ_RUNS=<n>`: cases per property (default below; `scripts/fuzz.mjs` raises it for long runs).
 * - `FUZZ_SEED=<n>`: the seed of every property (default: a fixed seed per property, so CI is repeatable);
 *   `FUZZ_SEED=random` draws a new one, printed with any failure.
 * - `FUZZ_PATH=<path>`: with `FUZZ_SEED`, replays only the shrunk failing case fast-check printed.
 */
import fc from 'fast-check';

const DEFAULT_RUNS = 60;

export function fuzzRuns(defaultRuns = DEFAULT_RUNS): number {
  const raw = process.env.FUZZ_RUNS;
  const runs = raw ? Number(raw) : NaN;
  return Number.isInteger(runs) && runs > 0 ? runs : defaultRuns;
}

/** The seed for one property: `FUZZ_SEED` when set, else a stable one derived from the property's name. */
export function fuzzSeed(propertyName: string): number {
  const raw = process.env.FUZZ_SEED;
  if (raw === 'random') return (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
  if (raw && Number.isFinite(Number(raw))) return Number(raw) | 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < propertyName.length; i++) hash = Math.imul(hash ^ propertyName.charCodeAt(i), 0x01000193);
  return hash | 0;
}

/** True when replaying one recorded case (`FUZZ_PATH`): counts of exercised cases then mean nothing. */
export function isReplay(): boolean {
  return !!(process.env.FUZZ_PATH && process.env.FUZZ_SEED);
}

/** fast-check parameters for `propertyName`; its failure report carries the seed and path to replay. */
export function fuzzParameters<T>(propertyName: string, defaultRuns = DEFAULT_RUNS): fc.Parameters<T> {
  const parameters: fc.Parameters<T> = {
    seed: fuzzSeed(propertyName), numRuns: fuzzRuns(defaultRuns), endOnFailure: false, includeErrorInReport: true,
  };
  if (isReplay()) parameters.path = process.env.FUZZ_PATH;
  return parameters;
}

/** Runs a property with the settings above; the thrown error names the property, seed and path. */
export function assertProperty<T>(propertyName: string, property: fc.IProperty<T>, defaultRuns = DEFAULT_RUNS): void {
  const parameters = fuzzParameters<T>(propertyName, defaultRuns);
  try {
    fc.assert(property, parameters);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`[${propertyName}] replay with FUZZ_SEED=${parameters.seed} and the path below\n${message}`);
  }
}

/** node:test options for a fuzz test: a hang (the bug class these tests hunt) fails the test instead of stalling CI. */
export const FUZZ_TEST_OPTIONS = { timeout: 5 * 60_000 };
