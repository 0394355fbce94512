/**
 * The held-out corpus (test/fixtures/corpus-heldout): real configurations the checker was not written against, and
 * what it is expected to say about them (test/corpus/heldout.expected.json). Shared by the findings test and the
 * quick-fix round trip.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Finding } from '../../server/src/core/diagnostics/finding';
import type { QuickFix } from '../../server/src/core/fixes/quickFixes';
import { Workspace } from '../../server/src/core/model/workspace';
import { checkSchema } from '../../server/src/core/rules/index';
import { LineIndex } from '../../server/src/core/text/lineIndex';
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
