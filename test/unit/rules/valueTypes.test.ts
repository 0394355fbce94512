/**
 * Wrong values and no noise: the JSON type of every relationship key IDM reads, on real configs; harmless keys on the
 * array wrapper as hints; file names in messages as the user sees them; fixes written in the file's own style.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../../../server/src/core/diagnostics/finding';
import { getQuickFixes } from '../../../server/src/core/fixes/quickFixes';
import { applyFix, identity } from '../../fuzz/fixChecks';
import { checkAndVerify, type Files } from '../../fuzz/invariants';
import { readFixture } from '../../helpers/fixtures';

const OPENIDM = readFixture('corpus/OpenIdentityPlatform_OpenIDM/openidm-zip/src/main/resources/conf/managed.json');
const URI = 'file:///idm/conf/managed.json';

/** Replaces the first occurrence of `find` after the first occurrence of `after`. */
function mutate(text: string, after: string, find: string, replacement: string): string {
  const from = text.indexOf(after);
  const at = text.indexOf(find, from);
  assert.ok(from >= 0 && at >= 0, `${find} after ${after}`);
  return text.slice(0, at) + replacement + text.slice(at + find.length);
}

interface Row { key: string; after: string; find: string; wrong: string; fix?: string }

// Each row writes one key of the real sample with the wrong JSON type, inside user.manager / user.reports.
const ROWS: Row[] = [
  { key: 'reverseRelationship', after: '"manager" : {', find: '"reverseRelationship" : true', wrong: '"reverseRelationship" : "true"', fix: 'true' },
  { key: 'validate', after: '"manager" : {', find: '"validate" : true', wrong: '"validate" : "TRUE"', fix: 'true' },
  { key: 'reversePropertyName', after: '"manager" : {', find: '"reversePropertyName" : "reports"', wrong: '"reversePropertyName" : [ "reports" ]', fix: '"reports"' },
  { key: 'path', after: '"manager" : {', find: '"path" : "managed/user"', wrong: '"path" : [ "managed/user" ]', fix: '"managed/user"' },
  { key: 'fields', after: '"manager" : {', find: '"fields" : [\n                                        "userName",\n                                        "givenName",\n                                        "sn"\n                                    ]', wrong: '"fields" : "userName, givenName, sn"', fix: '["userName","givenName","sn"]' },
  { key: 'type', after: '"manager" : {', find: '"type" : "relationship"', wrong: '"type" : 7' },
  { key: 'resourceCollection', after: '"manager" : {', find: '"resourceCollection" : [', wrong: '"resourceCollection" : "managed/user", "x" : [' },
];

function check(text: string): { files: Files; findings: Finding[]; workspace: ReturnType<typeof checkAndVerify>['workspace'] } {
  const files: Files = new Map([[URI, text]]);
  return { files, ...checkAndVerify(files) };
}

const baseline = check(OPENIDM).findings.map(identity).sort();

for (const row of ROWS) {
  test(`wrong type: ${row.wrong}`, () => {
    const text = mutate(OPENIDM, row.after, row.find, row.wrong);
    const { files, findings, workspace } = check(text);
    const wrong = findings.filter((f) => f.code === 'relationship-key-wrong-type');
    assert.equal(wrong.length, 1, findings.map((f) => `${f.code} ${f.message}`).join('\n'));
    const [finding] = wrong;
    assert.equal(finding.severity, 'error');
    assert.equal(finding.data.key, row.key);
    // On the value, saying what IDM does with it.
    const value = row.wrong.slice(row.wrong.indexOf(':') + 2).replace(/, "x" : \[$/, '');
    assert.equal(text.slice(finding.range.start, finding.range.end), value);
    assert.match(finding.message, row.key === 'type' ? /must be a String or List/ : /does not convert .*fails to load/);
    const fixes = getQuickFixes(workspace, finding.data);
    if (row.fix === undefined) {
      assert.deepEqual(fixes, []);
      return;
    }
    // The meant value is the only finding: the rest of the checker reads the intent.
    assert.deepEqual(findings.filter((f) => f !== finding).map(identity).sort(), baseline);
    assert.equal(fixes[0].title, `Write \`${row.fix}\``);
    assert.equal(fixes[0].isPreferred, true);
    const fixed = applyFix(files, fixes[0], row.key);
    assert.deepEqual(checkAndVerify(fixed).findings.map(identity).sort(), baseline);
    if (row.key !== 'fields') assert.equal(fixed.get(URI), OPENIDM);
  });
}

test('a key on the array wrapper whose value is IDM default is a hint; one that changes behaviour stays a warning', () => {
  const harmless = mutate(OPENIDM, '"reports" : {', '"type" : "array",', '"type" : "array", "notifySelf" : false,');
  const [hint] = check(harmless).findings.filter((f) => f.code === 'key-on-array-wrapper');
  assert.equal(hint.severity, 'hint');
  assert.match(hint.message, /`false` is IDM's default for `notifySelf`, so this changes nothing/);
  const meaningful = mutate(OPENIDM, '"reports" : {', '"type" : "array",', '"type" : "array", "notifySelf" : true,');
  const [warning] = check(meaningful).findings.filter((f) => f.code === 'key-on-array-wrapper');
  assert.equal(warning.severity, 'warning');
});

test('messages name other files relative to the file, never by URI', () => {
  const files: Files = new Map([
    ['file:///work/tenant/conf/managed-objects/user/user.json', JSON.stringify({ name: 'user', schema: { properties: {} } })],
    ['file:///work/tenant/conf/managed-objects/person/user.json', JSON.stringify({ name: 'user', schema: { properties: { peer: { type: 'relationship', resourceCollection: [{ path: 'managed/nobody' }] } } } })],
  ]);
  const { findings } = checkAndVerify(files);
  assert.ok(findings.length >= 2);
  for (const finding of findings) {
    assert.ok(!finding.message.includes('file://'), finding.message);
    for (const related of finding.related) assert.ok(!related.message.includes('file://'), related.message);
  }
  const duplicate = findings.find((f) => f.code === 'duplicate-object-name')!;
  assert.match(duplicate.message, /already defined in \.\.\/(user|person)\/user\.json/);
});

test("quick fixes write `\"key\" : value` in a file that writes its keys so, and change no line outside the edit", () => {
  // Without user.manager, user.reports names a reverse that does not exist: the fix adds it, in IDM's own style.
  const start = OPENIDM.indexOf('"manager" : {');
  const end = OPENIDM.indexOf('"userEditable" : false', start) + '"userEditable" : false\n                    },'.length;
  const text = OPENIDM.slice(0, start) + OPENIDM.slice(end).replace(/^\s*/, '');
  const { files, findings, workspace } = check(text);
  const missing = findings.find((f) => f.code === 'reverse-property-missing' && (f.data.origin as any).property === 'reports')!;
  const [fix] = getQuickFixes(workspace, missing.data);
  const fixed = applyFix(files, fix, 'style').get(URI)!;
  const before = new Set(text.split('\n'));
  const added = fixed.split('\n').filter((line) => !before.has(line));
  assert.ok(added.some((line) => line.includes('"manager" : {')), added.join('\n'));
  for (const line of added) assert.ok(!/"[A-Za-z_]+":/.test(line), `a key written without the file's space before the colon: ${line}`);
});
