/**
 * The held-out corpus (test/fixtures/corpus-heldout): real configurations the checker was not written against, and
 * what it is expected to say about them (test/corpus/heldout.expected.json). Shared by the findings test and the
 * quick-fix round trip.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Finding } from '../../server/src/core/diagnostics/finding';
import { getQuickFixes, type QuickFix } from '../../server/src/core/fixes/quickFixes';
import { Workspace } from '../../server/src/core/model/workspace';
import { checkSchema } from '../../server/src/core/rules/index';
import { LineIndex } from '../../server/src/core/text/lineIndex';
import { checkFix, identity } from '../fuzz/fixChecks';
import type { Files } from '../fuzz/invariants';
import { FIXTURES, REPO_ROOT, jsonFilesUnder, uriOf } from '../helpers/fixtures';

export const HELDOUT = path.join(FIXTURES, 'corpus-heldout');
export const EXPECTATIONS = path.join(REPO_ROOT, 'test', 'corpus', 'heldout.expected.json');

/** A user's verdict on a finding: `agree` (a real problem, stated fairly) or `disputed` (the checker is wrong). */
export type Verdict = 'agree' | 'disputed';

/** What applying a finding's preferred quick fix does: `clean`, `not-clean` (see `fixNote`), or `none` offered. */
export type FixOutcome = 'clean' | 'not-clean' | 'none';

export interface ExpectedFinding {
  file: string;
  line: number;
  code: string;
  severity: string;
  verdict: Verdict;
  /** One line a user would agree with: why this is (or, when disputed, is not) a problem. */
  reason: string;
  fix: FixOutcome;
  /** Why the preferred fix does not leave the configuration clean, when it does not. */
  fixNote?: string;
}

/** A real broken pair (or other real problem) the checker does not report. */
export interface MissedProblem {
  file: string;
  line: number;
  /** Text that line holds, so the entry cannot silently point at the wrong place. */
  anchor: string;
  /** `pair`: a broken pair no finding reports; `cause`: the pair is reported, but not the key that breaks it. */
  kind: 'pair' | 'cause';
  what: string;
}

export interface Expectations {
  configurations: number;
  /** Layout the model gives each file (relative to corpus-heldout/). */
  layouts: Record<string, string>;
  /** Files whose layout is read wrongly today, and what it should be. */
  layoutIssues: Record<string, string>;
  findings: ExpectedFinding[];
  missed: MissedProblem[];
}

export function readExpectations(): Expectations {
  return JSON.parse(fs.readFileSync(EXPECTATIONS, 'utf8')) as Expectations;
}

/** Path relative to corpus-heldout/, with forward slashes. */
export function relativeName(file: string): string {
  return path.relative(HELDOUT, file).split(path.sep).join('/');
}

export interface HeldoutCorpus {
  files: string[];
  texts: Map<string, string>;
  workspace: Workspace;
  /** Every finding with the file it is in and its 1-based line, in file then offset order. */
  findings: Array<{ finding: Finding; file: string; line: number }>;
}

/** Loads every held-out file into one workspace (schemas form by config root, as in an editor) and checks it. */
export function loadHeldout(): HeldoutCorpus {
  const files = jsonFilesUnder(HELDOUT);
  const texts = new Map<string, string>();
  const workspace = new Workspace();
  const nameOf = new Map<string, string>();
  for (const file of files) {
    const uri = uriOf(file);
    const text = fs.readFileSync(file, 'utf8');
    texts.set(uri, text);
    nameOf.set(uri, relativeName(file));
    workspace.setFile(uri, text);
  }
  const findings: HeldoutCorpus['findings'] = [];
  for (const schema of workspace.allSchemas()) {
    for (const [uri, list] of checkSchema(schema)) {
      const index = new LineIndex(texts.get(uri)!);
      for (const finding of list) findings.push({ finding, file: nameOf.get(uri)!, line: index.positionAt(finding.range.start).line + 1 });
    }
  }
  findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.finding.range.start - b.finding.range.start || a.finding.code.localeCompare(b.finding.code)));
  return { files, texts, workspace, findings };
}

/** What identifies a finding in the expectations file: where it is, what it is, how severe. */
export function keyOf(entry: { file: string; line: number; code: string; severity: string }): string {
  return `${entry.file}:${entry.line} ${entry.severity} ${entry.code}`;
}

/** The fix the editor applies on "quick fix": the one marked preferred, else the first offered. */
export function preferredFix(fixes: QuickFix[]): QuickFix | undefined {
  return fixes.find((fix) => fix.isPreferred) ?? fixes[0];
}

function overlaps(a: { uri: string; range: { start: number; end: number } }, b: { uri: string; range: { start: number; end: number } }): boolean {
  return a.uri === b.uri && a.range.start <= b.range.end && b.range.start <= a.range.end;
}

/** The relationship properties a finding is about (its origin and, for a pair, the reverse side), as `object.property`. */
function pairOf(finding: Finding): string[] {
  // Only pairing findings: a query field on the same property is its own problem, not a symptom of the pair.
  if (!/^(reverse|pair)-/.test(finding.code)) return [];
  const data = finding.data as { origin?: { object: string; property: string }; reverse?: { object: string; property?: string } };
  return [data.origin, data.reverse].flatMap((ref) => (ref?.property !== undefined ? [`${ref.object}.${ref.property}`] : []));
}

/**
 * The other findings that are symptoms of the same broken pair as `finding`: one about a property of the same pair,
 * one that sits where `finding` or its related locations are, or one that points (by its related locations) at
 * `finding`. Fixing the cause should clear them too.
 */
export function symptomsOf(finding: Finding, all: Finding[]): Finding[] {
  const places = [{ uri: finding.uri, range: finding.range }, ...finding.related];
  const pair = pairOf(finding);
  return all.filter((other) => other !== finding &&
    (pairOf(other).some((property) => pair.includes(property)) ||
      places.some((place) => overlaps(place, other)) || other.related.some((place) => overlaps(place, finding))));
}

/** What applying a finding's preferred fix did, and the fix's title. */
export interface FixTrial {
  key: string;
  finding: Finding;
  fix: FixOutcome;
  title?: string;
  /** For `not-clean`: the first line of why. */
  why?: string;
}

/**
 * Applies each finding's preferred fix and re-checks, one configuration at a time as the editor holds it (its files,
 * its workspace, its findings), with the fuzz suite's strict round trip (test/fuzz/fixChecks.ts). Clean means the
 * pair is repaired: no symptom of the same cause is left behind for a second fix. Used by the test and the updater.
 */
export function tryPreferredFixes(corpus: HeldoutCorpus): FixTrial[] {
  const configurations = new Map<string, { files: Files; workspace: Workspace; findings: Finding[] }>();
  for (const schema of corpus.workspace.allSchemas()) {
    const files: Files = new Map(schema.files.map((file) => [file.uri, corpus.texts.get(file.uri)!]));
    const workspace = new Workspace();
    for (const [uri, text] of files) workspace.setFile(uri, text);
    const findings = workspace.allSchemas().flatMap((s) => [...checkSchema(s).values()].flat());
    for (const uri of files.keys()) configurations.set(uri, { files, workspace, findings });
  }
  return corpus.findings.map(({ finding, file, line }): FixTrial => {
    const key = keyOf({ file, line, code: finding.code, severity: finding.severity });
    const configuration = configurations.get(finding.uri)!;
    // The same finding, from the configuration's own workspace (its data names that workspace's files).
    const own = configuration.findings.find((f) => f.code === finding.code && f.uri === finding.uri && f.range.start === finding.range.start && f.message === finding.message);
    if (!own) throw new Error(`${key}: not reported when its configuration is checked alone`);
    const fix = preferredFix(getQuickFixes(configuration.workspace, own.data));
    if (!fix) return { key, finding: own, fix: 'none' };
    try {
      const after = checkFix(configuration.files, configuration.workspace, configuration.findings, own, fix, true).findings.map(identity);
      const left = symptomsOf(own, configuration.findings).filter((symptom) => after.includes(identity(symptom)));
      if (left.length) throw new Error(`leaves a symptom of the same cause: ${left.map((symptom) => `${symptom.code}: ${symptom.message}`).join('; ')}`);
      return { key, finding: own, fix: 'clean', title: fix.title };
    } catch (error) {
      return { key, finding: own, fix: 'not-clean', title: fix.title, why: (error as Error).message.split('\n')[0] };
    }
  });
}
