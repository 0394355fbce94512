/**
 * What must hold for any input, however broken: reading, modelling and checking return (never throw), every range
 * lies inside its document, codes come from the catalogue, and the work takes time proportional to the input.
 */
import assert from 'node:assert/strict';
import { CATALOGUE, isDiagnosticCode } from '../../server/src/core/diagnostics/catalogue';
import type { Finding, OffsetRange } from '../../server/src/core/diagnostics/finding';
import { Workspace } from '../../server/src/core/model/workspace';
import { checkSchema, type CheckSettings } from '../../server/src/core/rules/index';

export type Files = Map<string, string>;

/**
 * CPU milliseconds allowed for reading and checking `chars` characters: a fixed allowance (a cold JIT's first run)
 * plus a per-character rate far above the measured one (about 0.02 µs/char warm on the corpus), so a slow CI machine
 * passes but a quadratic path, which costs seconds on a 100 kB file and hours on 10 MB, does not. CPU time, not
 * wall time, so that other processes on a busy machine do not count.
 */
export function timeBudgetMs(chars: number): number {
  return 1000 + chars * 0.003;
}

/** Longest message a finding may carry: names copied into messages are shortened, not sent whole to the editor. */
export const MAX_MESSAGE_LENGTH = 4000;

export interface CheckOutcome {
  workspace: Workspace;
  findings: Finding[];
  elapsedMs: number;
}

/** Loads `files` into a workspace and checks every schema, asserting the invariants above. */
export function checkAndVerify(files: Files, settings: CheckSettings = {}, label = ''): CheckOutcome {
  const started = process.cpuUsage();
  const workspace = new Workspace();
  for (const [uri, text] of files) workspace.setFile(uri, text);
  const findings: Finding[] = [];
  for (const schema of workspace.allSchemas()) {
    const result = checkSchema(schema, settings);
    for (const list of result.values()) for (const finding of list) findings.push(finding);
  }
  const used = process.cpuUsage(started);
  const elapsedMs = (used.user + used.system) / 1000;
  let chars = 0;
  for (const text of files.values()) chars += text.length;
  if (process.env.FUZZ_VERBOSE) console.log(`${(elapsedMs * 1000 / Math.max(chars, 1)).toFixed(3)} µs/char  ${elapsedMs.toFixed(0)} ms  ${chars} chars  ${label.slice(0, 80)}`);
  assert.ok(elapsedMs <= timeBudgetMs(chars), `${label}: checking ${chars} characters took ${elapsedMs.toFixed(0)} ms of CPU (budget ${timeBudgetMs(chars).toFixed(0)} ms)`);
  for (const finding of findings) verifyFinding(files, finding, label);
  return { workspace, findings, elapsedMs };
}

export function verifyRange(files: Files, uri: string, range: OffsetRange, what: string): void {
  const text = files.get(uri);
  assert.ok(text !== undefined, `${what}: unknown document ${uri}`);
  assert.ok(Number.isInteger(range.start) && Number.isInteger(range.end), `${what}: non-integer range ${JSON.stringify(range)}`);
  assert.ok(range.start >= 0 && range.start <= range.end && range.end <= text.length,
    `${what}: range ${range.start}-${range.end} outside the document (length ${text.length})`);
}

export function verifyFinding(files: Files, finding: Finding, label = ''): void {
  const what = `${label} ${finding.code} "${finding.message.slice(0, 200)}"`;
  assert.ok(isDiagnosticCode(finding.code), `${what}: code not in the catalogue`);
  assert.equal(finding.data.code, finding.code, `${what}: data.code differs from the code`);
  assert.ok(['error', 'warning', 'information', 'hint'].includes(finding.severity), `${what}: severity ${finding.severity}`);
  assert.ok(finding.code in CATALOGUE);
  assert.ok(finding.message.length > 0 && finding.message.length <= MAX_MESSAGE_LENGTH, `${what}: message of ${finding.message.length} characters`);
  verifyRange(files, finding.uri, finding.range, what);
  for (const related of finding.related) {
    verifyRange(files, related.uri, related.range, `${what} (related "${related.message.slice(0, 100)}")`);
    assert.ok(related.message.length <= MAX_MESSAGE_LENGTH, `${what}: related message of ${related.message.length} characters`);
  }
  // The data travels to the editor and back in code actions: it must survive JSON.
  assert.doesNotThrow(() => JSON.stringify(finding.data), `${what}: data is not JSON-serialisable`);
}

/** CPU milliseconds `work` takes. */
export function cpuMs(work: () => void): number {
  const started = process.cpuUsage();
  work();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
}

/**
 * Asserts that checking grows linearly with `n`: after a warm-up, ten times the input may cost at most 25 times
 * the time (linear gives about ten, quadratic a hundred; the best of several runs, to damp GC noise). Catches quadratic paths at sizes where they are still fast.
 */
export function assertLinear(label: string, build: (n: number) => Files, n: number, settings: CheckSettings = {}): { small: number; large: number } {
  const FACTOR = 10;
  const small = build(n);
  const large = build(FACTOR * n);
  checkAndVerify(small, settings, `${label} (warm-up)`);
  const timeSmall = Math.min(...[1, 2, 3].map(() => cpuMs(() => checkAndVerify(small, settings, label))));
  const timeLarge = Math.min(...[1, 2].map(() => cpuMs(() => checkAndVerify(large, settings, `${label} ×${FACTOR}`))));
  if (process.env.FUZZ_VERBOSE) console.log(`${label}: ${timeSmall.toFixed(0)} ms, ×${FACTOR}: ${timeLarge.toFixed(0)} ms`);
  assert.ok(timeLarge <= 2.5 * FACTOR * timeSmall + 100,
    `${label}: ${n} took ${timeSmall.toFixed(0)} ms of CPU, ${FACTOR * n} took ${timeLarge.toFixed(0)} ms (more than linear)`);
  return { small: timeSmall, large: timeLarge };
}
