/**
 * One cause, one finding: real mistake shapes made in real configs (and in a small IDM-style one), each row with the
 * finding the checker must give (its code and the text under its range), the preferred fix, and the re-check after
 * applying that fix: what the config reported before the mistake, and nothing more. The symptoms each side would show
 * must come folded into the cause (related information), never as findings of their own.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../../../server/src/core/diagnostics/finding';
import { getQuickFixes } from '../../../server/src/core/fixes/quickFixes';
import { applyFix, identity } from '../../fuzz/fixChecks';
import { checkAndVerify, type Files } from '../../fuzz/invariants';
import { readFixture } from '../../helpers/fixtures';

const OPENIDM = 'corpus/OpenIdentityPlatform_OpenIDM/openidm-zip/src/main/resources/conf/managed.json';
const AIC_TEMPLATE = 'corpus/rockcarver_frodo-lib/src/ops/templates/cloud/managed.json';

/** Replaces the `nth` (0-based) occurrence of `find` after the first occurrence of `after`. */
function mutate(text: string, after: string, find: string, replacement: string, nth = 0): string {
  let at = text.indexOf(after);
  assert.ok(at >= 0, `no ${after}`);
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(find, i === 0 ? at : at + find.length);
    assert.ok(at >= 0, `no ${find} after ${after}`);
  }
  return text.slice(0, at) + replacement + text.slice(at + find.length);
}

/** A small config written as IDM writes its own files (`"key" : value`). */
function polymorphic(ownsTargets: string[], extra: Record<string, string> = {}): string {
  const relationship = (reverse: string, targets: string[], array: boolean) => {
    const node = `{ "type" : "relationship", "reverseRelationship" : true, "reversePropertyName" : "${reverse}", ` +
      `"resourceCollection" : [ ${targets.map((t) => `{ "path" : "managed/${t}", "label" : "${t[0].toUpperCase()}${t.slice(1)}", "query" : { "queryFilter" : "true", "fields" : [ "name" ] } }`).join(', ')} ] }`;
    return array ? `{ "type" : "array", "items" : ${node} }` : node;
  };
  const type = (name: string, properties: Record<string, string>) =>
    `    {\n      "name" : "${name}",\n      "schema" : {\n        "properties" : {\n          "name" : { "type" : "string" }${Object.entries(properties).map(([k, v]) => `,\n          "${k}" : ${v}`).join('')}\n        }\n      }\n    }`;
  return `{\n  "objects" : [\n${[
    type('user', { owns: relationship('owner', ownsTargets, true) }),
    type('car', { owner: relationship('owns', ['user'], false) }),
    type('bike', {}),
    type('boat', { owner: relationship('owns', ['user'], false), ...extra }),
  ].join(',\n')}\n  ]\n}\n`;
}

interface Row {
  shape: string;
  base: string;
  mistake: (text: string) => string;
  code: string;
  /** The text under the finding's range. */
  at: string;
  preferred: string;
  /** The symptoms folded into the finding, by the start of their message. */
  folded: RegExp[];
  message: RegExp;
}

const ROWS: Row[] = [
  {
    shape: 'path copied from a neighbour (the ForgeRock sample: user.manager listing managed/role)',
    base: readFixture(OPENIDM),
    mistake: (text) => mutate(text, '"manager" : {', '"path" : "managed/user"', '"path" : "managed/role"'),
    code: 'pair-wrong-path',
    at: '"managed/role"',
    preferred: 'Change the path to `managed/user`, where user.reports points back',
    folded: [/role has no property `reports`|managed\/role has no property `reports`/, /user\.manager's `resourceCollection` does not list `managed\/user`/, /role has no property `userName`/],
    message: /^user\.manager points at `managed\/role`, but its partner user\.reports is on `user` and points back at `manager`: the path was probably copied from `roles`\./,
  },
  {
    shape: 'reverse name copied from a neighbour (alpha_user.adminOfOrg naming `owners`, like ownerOfOrg)',
    base: readFixture(AIC_TEMPLATE),
    mistake: (text) => mutate(text, '"adminOfOrg": {', '"reversePropertyName": "admins"', '"reversePropertyName": "owners"'),
    code: 'pair-wrong-reverse-name',
    at: '"owners"',
    preferred: 'Change `reversePropertyName` to `admins`, which points back from alpha_organization',
    folded: [/alpha_organization\.owners names `ownerOfOrg` as its reverse, not `adminOfOrg`/, /alpha_user\.adminOfOrg names `owners` as its reverse, not `admins`/],
    message: /^alpha_user\.adminOfOrg names `owners` as its reverse, but its partner alpha_organization\.admins points back at `adminOfOrg` and lists `managed\/alpha_user`: the name was probably copied from `ownerOfOrg`\./,
  },
  {
    shape: 'pair renamed on one side only (role.members renamed to holders)',
    base: readFixture(OPENIDM),
    mistake: (text) => mutate(text, '"name" : "role"', '"members" : {', '"holders" : {'),
    code: 'pair-wrong-reverse-name',
    at: '"members"',
    preferred: 'Change `reversePropertyName` to `holders`, which points back from role',
    folded: [/has no property `members`/, /user\.roles names `members` as its reverse, not `holders`/],
    message: /^user\.roles names `members` as its reverse, but its partner role\.holders points back at `roles` and lists `managed\/user`: role has no `members`: the pair was probably renamed on one side only\./,
  },
  {
    shape: 'type renamed without its paths (assignment renamed to entitlement)',
    base: readFixture(OPENIDM),
    mistake: (text) => mutate(text, '"name" : "assignment"', '"assignment"', '"entitlement"'),
    code: 'pair-wrong-path',
    at: '"managed/assignment"',
    preferred: 'Change the path to `managed/entitlement`, where entitlement.roles points back',
    folded: [/No managed object `assignment`/, /role\.assignments's `resourceCollection` does not list `managed\/entitlement`/],
    message: /^role\.assignments points at `managed\/assignment`, but its partner entitlement\.roles is on `entitlement` and points back at `assignments`: there is no type `assignment`: it was probably renamed to `entitlement` without its paths\./,
  },
  {
    shape: 'polymorphic relationship with one stale target (user.owns: car and bike, where boat points back)',
    base: polymorphic(['car', 'boat']),
    mistake: (text) => text.replace('"path" : "managed/boat", "label" : "Boat"', '"path" : "managed/bike", "label" : "Bike"'),
    code: 'pair-wrong-path',
    at: '"managed/bike"',
    preferred: 'Change the path to `managed/boat`, where boat.owner points back',
    folded: [/managed\/bike has no property `owner`/, /user\.owns's `resourceCollection` does not list `managed\/boat`/],
    message: /^user\.owns points at `managed\/bike`, but its partner boat\.owner is on `boat` and points back at `owns`: `managed\/bike` is probably a stale target of this polymorphic relationship\./,
  },
  {
    shape: 'both keys copied from a neighbour (user.manager listing managed/role and naming `members`, like roles; openmdm\'s group.groupSector)',
    base: readFixture(OPENIDM),
    mistake: (text) => mutate(mutate(text, '"manager" : {', '"path" : "managed/user"', '"path" : "managed/role"'), '"manager" : {', '"reversePropertyName" : "reports"', '"reversePropertyName" : "members"'),
    code: 'pair-wrong-partner',
    at: '"managed/role"',
    preferred: 'Change the path to `managed/user` and `reversePropertyName` to `reports`, which points back from user',
    folded: [/role\.members names `roles` as its reverse, not `manager`/, /user\.reports names `manager` as its reverse|user\.manager's `resourceCollection` does not list `managed\/user`/],
    message: /^user\.manager points at `managed\/role` and names `members`, but nothing on role points back, while its partner user\.reports is on `user` and points back at `manager`: both keys were probably copied from `roles`\. Change the path to `managed\/user` and `reversePropertyName` to `reports`\./,
  },
];

function check(text: string, uri = 'file:///config/conf/managed.json'): { files: Files; findings: Finding[]; workspace: ReturnType<typeof checkAndVerify>['workspace'] } {
  const files: Files = new Map([[uri, text]]);
  const { workspace, findings } = checkAndVerify(files);
  return { files, findings, workspace };
}

for (const row of ROWS) {
  test(`one cause, one finding: ${row.shape}`, () => {
    const baseline = check(row.base).findings.map(identity).sort();
    const mistaken = row.mistake(row.base);
    assert.notEqual(mistaken, row.base);
    const { files, findings, workspace } = check(mistaken);
    const causes = findings.filter((f) => f.code === row.code);
    assert.equal(causes.length, 1, findings.map((f) => `${f.code}: ${f.message}`).join('\n'));
    const [cause] = causes;
    // The cause is the only new finding: every symptom is folded into it.
    assert.deepEqual(findings.filter((f) => f !== cause).map(identity).sort(), baseline, 'symptoms reported beside the cause');
    assert.equal(cause.severity, 'error');
    assert.equal(mistaken.slice(cause.range.start, cause.range.end), row.at);
    assert.match(cause.message, row.message);
    assert.ok(!cause.message.includes('file://'));
    for (const symptom of row.folded) {
      assert.ok(cause.related.some((r) => symptom.test(r.message)), `${symptom} not folded in:\n${cause.related.map((r) => r.message).join('\n')}`);
    }
    const fixes = getQuickFixes(workspace, cause.data);
    assert.equal(fixes[0]?.title, row.preferred);
    assert.equal(fixes[0].isPreferred, true);
    assert.equal(fixes.filter((f) => f.isPreferred).length, 1);
    // Round trip: the fixed config reports what the config reported before the mistake, nothing more.
    const fixed = applyFix(files, fixes[0], row.shape);
    const after = checkAndVerify(fixed);
    assert.deepEqual(after.findings.map(identity).sort(), baseline);
    for (const [, text] of fixed) assert.equal(checkAndVerify(new Map([['file:///x/managed.json', text]])).workspace.getFile('file:///x/managed.json')!.syntaxErrors.length, 0);
  });
}

test('the ForgeRock sample mistake: the fix restores the shipped text byte for byte', () => {
  const base = readFixture(OPENIDM);
  const { files, findings, workspace } = check(ROWS[0].mistake(base));
  const cause = findings.find((f) => f.code === 'pair-wrong-path')!;
  const fixed = applyFix(files, getQuickFixes(workspace, cause.data)[0], 'manager');
  assert.equal([...fixed.values()][0], base);
});

test('a renamed type: the copied label follows the new target, the display fields stay when they exist there', () => {
  const base = polymorphic(['car', 'boat']);
  const mistaken = base.replace('"path" : "managed/boat"', '"path" : "managed/ship"');
  const { files, findings, workspace } = check(mistaken);
  const cause = findings.find((f) => f.code === 'pair-wrong-path')!;
  assert.match(cause.message, /no type `ship`: it was probably renamed to `boat`/);
  const fixed = [...applyFix(files, getQuickFixes(workspace, cause.data)[0], 'ship').values()][0];
  assert.equal(fixed, base);
});

test('ambiguous evidence keeps the per-side findings: two types point back at a stale path', () => {
  const base = polymorphic(['car'], {});
  // Both car and boat point back at owns, user.owns lists only bike: which one was meant cannot be told.
  const mistaken = base.replace('"path" : "managed/car"', '"path" : "managed/bike"');
  const { findings } = check(mistaken);
  assert.deepEqual(findings.filter((f) => f.code.startsWith('pair-')), []);
  assert.ok(findings.some((f) => f.code === 'reverse-property-missing'));
  assert.ok(findings.some((f) => f.code === 'reverse-missing-back-path'));
});

test('a cause whose code is off leaves the per-side findings as they were', () => {
  const mistaken = ROWS[0].mistake(readFixture(OPENIDM));
  const files: Files = new Map([['file:///config/conf/managed.json', mistaken]]);
  const { findings } = checkAndVerify(files, { severities: { 'pair-wrong-path': 'off' } });
  assert.deepEqual(findings.map((f) => f.code).filter((c) => c.startsWith('reverse-')).sort(), ['reverse-missing-back-path', 'reverse-property-missing']);
});

test('both keys pointing away with two properties naming it back: ambiguous, no pair-wrong-partner', () => {
  // car.owner and boat.owner both name `owns` and list managed/user; user.owns lists bike and names `rider`.
  const mistaken = polymorphic(['car'], {}).replace('"reversePropertyName" : "owner", "resourceCollection" : [ { "path" : "managed/car"', '"reversePropertyName" : "rider", "resourceCollection" : [ { "path" : "managed/bike"');
  assert.ok(mistaken.includes('"rider"'));
  const { findings } = check(mistaken);
  assert.deepEqual(findings.filter((f) => f.code.startsWith('pair-')), []);
  assert.ok(findings.some((f) => f.code === 'reverse-property-missing'));
});
