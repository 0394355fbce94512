/**
 * Every finding's preferred quick fix on the held-out corpus, applied and re-checked with the fuzz suite's round-trip
 * checks (test/fuzz/fixChecks.ts, strict): the edit stays inside the object types the finding is about, the files
 * still parse, the problem is gone and no new one appears; and no other finding about the same broken pair (one at
 * the finding's place or its related places, or pointing at it) is left for a second fix. Which fixes pass is recorded per finding in
 * heldout.expected.json (`fix`: clean / not-clean / none); a change either way fails the test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../../server/src/core/diagnostics/finding';
import { getQuickFixes } from '../../server/src/core/fixes/quickFixes';
import { Workspace } from '../../server/src/core/model/workspace';
import { checkSchema } from '../../server/src/core/rules/index';
import { checkFix, identity } from '../fuzz/fixChecks';
import type { Files } from '../fuzz/invariants';
import { keyOf, loadHeldout, preferredFix, readExpectations, symptomsOf, type FixOutcome } from './heldout';

test('held-out corpus: each finding\'s preferred quick fix leaves its configuration clean on re-check (as recorded)', () => {
  const expected = readExpectations();
  const corpus = loadHeldout();
  // One configuration at a time, as the editor holds it: its files, its workspace, its findings.
  const configurations = new Map<string, { files: Files; workspace: Workspace; findings: Finding[] }>();
  for (const schema of corpus.workspace.allSchemas()) {
    const files: Files = new Map(schema.files.map((file) => [file.uri, corpus.texts.get(file.uri)!]));
    const workspace = new Workspace();
    for (const [uri, text] of files) workspace.setFile(uri, text);
    const findings = workspace.allSchemas().flatMap((s) => [...checkSchema(s).values()].flat());
    for (const uri of files.keys()) configurations.set(uri, { files, workspace, findings });
  }
  const actual: Array<{ key: string; fix: FixOutcome; detail: string }> = [];
  for (const { finding, file, line } of corpus.findings) {
    const key = keyOf({ file, line, code: finding.code, severity: finding.severity });
    const configuration = configurations.get(finding.uri)!;
    // The same finding, from the configuration's own workspace (its data names that workspace's files).
    const own = configuration.findings.find((f) => f.code === finding.code && f.uri === finding.uri && f.range.start === finding.range.start && f.message === finding.message)!;
    assert.ok(own, `${key}: not reported when its configuration is checked alone`);
    const fix = preferredFix(getQuickFixes(configuration.workspace, own.data));
    if (!fix) { actual.push({ key, fix: 'none', detail: '' }); continue; }
    try {
      const rechecked = checkFix(configuration.files, configuration.workspace, configuration.findings, own, fix, true);
      // Clean means the pair is repaired: no symptom of the same cause is left behind for a second fix.
      const after = rechecked.findings.map(identity);
      const left = symptomsOf(own, configuration.findings).filter((symptom) => after.includes(identity(symptom)));
      assert.deepEqual(left.map((symptom) => `${symptom.code}: ${symptom.message}`), [], 'leaves a symptom of the same cause');
      actual.push({ key, fix: 'clean', detail: fix.title });
    } catch (error) {
      actual.push({ key, fix: 'not-clean', detail: `${fix.title}: ${(error as Error).message.split('\n')[0]}` });
    }
  }
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
