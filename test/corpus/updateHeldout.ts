/**
 * Rewrites test/corpus/heldout.expected.json from what the checker says today, keeping every verdict, reason and fix
 * note already recorded for a finding that is still reported. A new finding gets verdict `agree` and a reason
 * starting with `TODO`, which the test refuses: judge it as a user would, then write the reason.
 *
 *   npm run compile-tests && node out/test/corpus/updateHeldout.js
 */
import * as fs from 'fs';
import type { Finding } from '../../server/src/core/diagnostics/finding';
import { getQuickFixes } from '../../server/src/core/fixes/quickFixes';
import { Workspace } from '../../server/src/core/model/workspace';
import { checkSchema } from '../../server/src/core/rules/index';
import { checkFix, identity } from '../fuzz/fixChecks';
import type { Files } from '../fuzz/invariants';
import { uriOf } from '../helpers/fixtures';
import {
  EXPECTATIONS, keyOf, loadHeldout, preferredFix, readExpectations, relativeName, symptomsOf,
  type ExpectedFinding, type Expectations, type FixOutcome,
} from './heldout';

function main(): void {
  const previous = readExpectations();
  const recorded = new Map<string, ExpectedFinding[]>();
  for (const entry of previous.findings) recorded.set(keyOf(entry), [...(recorded.get(keyOf(entry)) ?? []), entry]);
  const corpus = loadHeldout();
  const configurations = new Map<string, { files: Files; workspace: Workspace; findings: Finding[] }>();
  for (const schema of corpus.workspace.allSchemas()) {
    const files: Files = new Map(schema.files.map((file) => [file.uri, corpus.texts.get(file.uri)!]));
    const workspace = new Workspace();
    for (const [uri, text] of files) workspace.setFile(uri, text);
    const findings = workspace.allSchemas().flatMap((s) => [...checkSchema(s).values()].flat());
    for (const uri of files.keys()) configurations.set(uri, { files, workspace, findings });
  }
  const findings: ExpectedFinding[] = [];
  for (const { finding, file, line } of corpus.findings) {
    const key = keyOf({ file, line, code: finding.code, severity: finding.severity });
    const configuration = configurations.get(finding.uri)!;
    const own = configuration.findings.find((f) => f.code === finding.code && f.uri === finding.uri && f.range.start === finding.range.start && f.message === finding.message)!;
    const fix = preferredFix(getQuickFixes(configuration.workspace, own.data));
    let outcome: FixOutcome = 'none';
    let note = '';
    if (fix) {
      try {
        const after = checkFix(configuration.files, configuration.workspace, configuration.findings, own, fix, true).findings.map(identity);
        const left = symptomsOf(own, configuration.findings).filter((symptom) => after.includes(identity(symptom)));
        if (left.length) throw new Error(`leaves ${left.map((symptom) => `${symptom.code}: ${symptom.message}`).join('; ')}`);
        outcome = 'clean';
      } catch (error) {
        outcome = 'not-clean';
        note = `"${fix.title}": ${(error as Error).message.split('\n')[0]}`;
      }
    }
    const before = recorded.get(key)?.shift();
    const entry: ExpectedFinding = {
      file, line, code: finding.code, severity: finding.severity,
      verdict: before?.verdict ?? 'agree',
      reason: before?.reason ?? `TODO ${finding.message}`,
      fix: outcome,
    };
    if (outcome === 'not-clean') entry.fixNote = before?.fix === 'not-clean' && before.fixNote ? before.fixNote : `TODO ${note}`;
    findings.push(entry);
  }
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
