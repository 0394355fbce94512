/**
 * Applies the safe quick fixes of a whole configuration at once, as `idm-rel check --fix` does: the same fixes the
 * editor offers (cross-file ones included), only those that need no human choice, pass after pass until none is left.
 * Protocol-free: it edits the texts held by a `Workspace`; the caller reads and writes the files.
 */
import type { CheckSettings } from '../rules/context';
import { checkSchema } from '../rules/index';
import type { Finding } from '../diagnostics/finding';
import type { Workspace } from '../model/workspace';
import { parseJson } from '../json/parser';
import { getQuickFixes, type QuickFix } from './quickFixes';
import type { OffsetEdit } from './edits';

/**
 * The fix to apply without asking: the only candidate, and marked preferred. Several candidates (a cardinality, a
 * name to pick) or a lone fix not marked preferred (removing a key the user may have meant) are a human's choice.
 * Which fixes are preferred is the fix providers' decision; this is the one place that reads it for the CLI.
 */
export function safeFix(fixes: readonly QuickFix[]): QuickFix | undefined {
  return fixes.length === 1 && fixes[0].isPreferred === true ? fixes[0] : undefined;
}

export interface AppliedFix {
  /** The finding the fix repaired, as it was before the fix (its uri and range refer to the text of that pass). */
  finding: Finding;
  /** Its text at the time, to report positions against. */
  findingText: string;
  title: string;
  /** Every file the fix edited. */
  uris: string[];
  pass: number;
}

export interface BatchFixResult {
  applied: AppliedFix[];
  /** Passes that applied something. */
  passes: number;
  /** True when the pass limit was reached with fixes still to apply. */
  exhausted: boolean;
}

export interface BatchFixOptions {
  settings?: CheckSettings;
  /** Only findings on these files are fixed (their fixes may edit other files of the configuration). */
  targets: ReadonlySet<string>;
  /** Files the fixes may edit; a fix touching any other file is skipped. Default: every file of the workspace. */
  writable?: ReadonlySet<string>;
  maxPasses?: number;
}

/** Every finding of the workspace, by file. */
export function checkWorkspace(workspace: Workspace, settings: CheckSettings = {}): Map<string, Finding[]> {
  const all = new Map<string, Finding[]>();
  for (const schema of workspace.allSchemas()) {
    for (const [uri, findings] of checkSchema(schema, settings)) all.set(uri, [...(all.get(uri) ?? []), ...findings]);
  }
  return all;
}

interface Score {
  errors: number;
  total: number;
}

function score(findings: Map<string, Finding[]>): Score {
  let errors = 0;
  let total = 0;
  for (const list of findings.values()) {
    total += list.length;
    for (const finding of list) if (finding.severity === 'error') errors++;
  }
  return { errors, total };
}

/** A change helps when it removes findings and adds no error: a fix must never make the configuration worse. */
function helps(before: Score, after: Score): boolean {
  return after.errors <= before.errors && after.total < before.total;
}

/**
 * Fixes the workspace in place. Each pass checks, picks the safe fix of every finding on a target file, applies
 * those whose edits do not touch each other, and re-checks. A pass that would make things worse (more errors, or no
 * fewer findings) is undone and its fixes are tried one at a time, keeping only those that help.
 */
export function fixWorkspace(workspace: Workspace, options: BatchFixOptions): BatchFixResult {
  const settings = options.settings ?? {};
  const maxPasses = options.maxPasses ?? 10;
  const applied: AppliedFix[] = [];
  let findings = checkWorkspace(workspace, settings);
  let passes = 0;
  for (let pass = 1; pass <= maxPasses; pass++) {
    const candidates = safeFixes(workspace, findings, options);
    if (!candidates.length) return { applied, passes, exhausted: false };
    const before = score(findings);
    const batch = nonOverlapping(candidates);
    const undo = applyFixes(workspace, batch.map((c) => c.fix));
    let after = undo ? checkWorkspace(workspace, settings) : undefined;
    let kept = batch;
    if (!undo || !after || !helps(before, score(after))) {
      if (undo) restore(workspace, undo);
      // One at a time, each judged against the state the previous one left.
      kept = [];
      after = findings;
      for (const candidate of candidates) {
        const current = getQuickFixes(workspace, candidate.finding.data);
        const fix = safeFix(current);
        if (!fix || !editsAllowed(fix, options.writable)) continue;
        const single = applyFixes(workspace, [fix]);
        if (!single) continue;
        const next = checkWorkspace(workspace, settings);
        if (helps(score(after), score(next))) {
          kept.push({ ...candidate, fix });
          after = next;
        } else {
          restore(workspace, single);
        }
      }
      if (!kept.length) return { applied, passes, exhausted: false };
    }
    passes++;
    for (const { finding, findingText, fix } of kept) {
      applied.push({ finding, findingText, title: fix.title, uris: Object.keys(fix.edits), pass });
    }
    findings = after;
  }
  return { applied, passes, exhausted: safeFixes(workspace, findings, options).length > 0 };
}

interface Candidate {
  finding: Finding;
  findingText: string;
  fix: QuickFix;
}

function safeFixes(workspace: Workspace, findings: Map<string, Finding[]>, options: BatchFixOptions): Candidate[] {
  const candidates: Candidate[] = [];
  const uris = [...findings.keys()].filter((uri) => options.targets.has(uri)).sort();
  for (const uri of uris) {
    const text = workspace.getFile(uri)?.text ?? '';
    for (const finding of findings.get(uri) ?? []) {
      const fix = safeFix(getQuickFixes(workspace, finding.data));
      if (fix && editsAllowed(fix, options.writable)) candidates.push({ finding, findingText: text, fix });
    }
  }
  return candidates;
}

function editsAllowed(fix: QuickFix, writable: ReadonlySet<string> | undefined): boolean {
  return !writable || Object.keys(fix.edits).every((uri) => writable.has(uri));
}

/**
 * The candidates whose edits neither overlap nor touch an earlier candidate's edits in the same file. Two insertions
 * at one offset (two fixes adding the same entry) touch: the second waits for the next pass, where the re-check
 * tells whether it is still needed.
 */
function nonOverlapping(candidates: Candidate[]): Candidate[] {
  const taken = new Map<string, OffsetEdit[]>();
  const chosen: Candidate[] = [];
  for (const candidate of candidates) {
    const clashes = Object.entries(candidate.fix.edits).some(([uri, edits]) => edits.some((edit) =>
      (taken.get(uri) ?? []).some((other) => edit.offset <= other.offset + other.length && other.offset <= edit.offset + edit.length)));
    if (clashes) continue;
    for (const [uri, edits] of Object.entries(candidate.fix.edits)) taken.set(uri, [...(taken.get(uri) ?? []), ...edits]);
    chosen.push(candidate);
  }
  return chosen;
}

type Undo = Map<string, string>;

/**
 * Applies non-overlapping fixes computed against the current texts. Returns the previous texts, or undefined (and
 * changes nothing) when a result would have more syntax errors than its file had.
 */
function applyFixes(workspace: Workspace, fixes: QuickFix[]): Undo | undefined {
  const byFile = new Map<string, OffsetEdit[]>();
  for (const fix of fixes) for (const [uri, edits] of Object.entries(fix.edits)) byFile.set(uri, [...(byFile.get(uri) ?? []), ...edits]);
  const results = new Map<string, string>();
  for (const [uri, edits] of byFile) {
    const file = workspace.getFile(uri);
    if (!file) return undefined;
    let text = file.text;
    for (const edit of [...edits].sort((a, b) => b.offset - a.offset)) {
      text = text.slice(0, edit.offset) + edit.content + text.slice(edit.offset + edit.length);
    }
    if (parseJson(text).errors.length > file.syntaxErrors.length) return undefined;
    results.set(uri, text);
  }
  const undo: Undo = new Map();
  for (const [uri, text] of results) {
    undo.set(uri, workspace.getFile(uri)!.text);
    workspace.setFile(uri, text);
  }
  return undo;
}

function restore(workspace: Workspace, undo: Undo): void {
  for (const [uri, text] of undo) workspace.setFile(uri, text);
}
