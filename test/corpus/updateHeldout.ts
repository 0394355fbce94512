/**
 * Rewrites test/corpus/heldout.expected.json from what the checker says today, keeping every verdict, reason and fix
 * note already recorded for a finding that is still reported. A new finding gets verdict `agree` and a reason
 * starting with `TODO`, which the test refuses: judge it as a user would, then write the reason.
 *
 *   npm run compile-tests && node out/test/corpus/updateHeldout.js
 */
import * as fs from 'fs';
import { uriOf } from '../helpers/fixtures';
import {
  EXPECTATIONS, keyOf, loadHeldout, readExpectations, relativeName, tryPreferredFixes,
  type ExpectedFinding, type Expectations,
} from './heldout';

function main(): void {
  const previous = readExpectations();
  const recorded = new Map<string, ExpectedFinding[]>();
  for (const entry of previous.findings) recorded.set(keyOf(entry), [...(recorded.get(keyOf(entry)) ?? []), entry]);
  const corpus = loadHeldout();
  const findings: ExpectedFinding[] = [];
  const trials = tryPreferredFixes(corpus);
  corpus.findings.forEach(({ finding, file, line }, i) => {
    const { key, fix: outcome, title, why } = trials[i];
    const note = why ? `"${title}": ${why}` : '';
    const before = recorded.get(key)?.shift();
    const entry: ExpectedFinding = {
      file, line, code: finding.code, severity: finding.severity,
      verdict: before?.verdict ?? 'agree',
      reason: before?.reason ?? `TODO ${finding.message}`,
      fix: outcome,
    };
    if (outcome === 'not-clean') entry.fixNote = before?.fix === 'not-clean' && before.fixNote ? before.fixNote : `TODO ${note}`;
    findings.push(entry);
  });
  const layouts: Record<string, string> = {};
  for (const file of corpus.files) layouts[relativeName(file)] = corpus.workspace.getFile(uriOf(file))!.layout;
  const next: Expectations = {
    configurations: corpus.workspace.allSchemas().length,
    layouts,
    layoutIssues: previous.layoutIssues,
    findings,
    // A missed problem now reported is dropped here; its finding above needs its reason.
    missed: previous.missed.filter((missed) => !corpus.findings.some((f) => f.file === missed.file && f.line === missed.line)),
  };
  fs.writeFileSync(EXPECTATIONS, `${JSON.stringify(next, null, 2)}\n`);
  const todo = findings.filter((entry) => entry.reason.startsWith('TODO') || entry.fixNote?.startsWith('TODO')).length;
  console.log(`${EXPECTATIONS}: ${findings.length} findings, ${todo} to judge`);
}

main();
