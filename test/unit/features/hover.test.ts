/** Hover: relationship summaries, key documentation with placement, and what names refer to. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { handleHover } from '../../../server/src/core/features/hover';
import { otherSides } from '../../../server/src/core/features/relationshipFacts';
import { corpusWorkspacesByRepo, fixtureWorkspace, workspaceOf } from './helpers';

function split() {
  const fixture = fixtureWorkspace('split');
  const hover = (file: string, needle: string, delta = 1, occurrence = 0) => {
    const uri = fixture.uriOf(file);
    const text = fixture.workspace.getFile(uri)!.text;
    let at = -1;
    for (let i = 0; i <= occurrence; i++) at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `${needle} in ${file}`);
    return handleHover(fixture.workspace, uri, at + delta);
  };
  return { ...fixture, hover };
}

test('a relationship property: one-line summary, the other side, and who is notified', () => {
  const { hover } = split();
  const manager = hover('managed-objects/user/user.json', '"manager": {')!;
  const lines = manager.contents.split('\n');
  assert.equal(lines[1], 'manager: many-to-one -> managed/user.reports, bidirectional, validate, notifies: none');
  assert.match(manager.contents, /\*\*Other side:\*\* `user\.reports` in `user\.json`/);
  assert.match(manager.contents, /"reversePropertyName": "manager"/);
  assert.match(manager.contents, /through `managed\/user\/\{id\}\/manager` notifies no one/);

  const assignments = hover('managed-objects/role/role.json', '"assignments": {')!;
  assert.match(assignments.contents, /^```text\nassignments: many-to-many -> managed\/assignment\.roles, bidirectional, validate, notifies: self, passes on to: members\n```/);
  assert.match(assignments.contents, /notifies the role itself \(`notifySelf`\)/);
  assert.match(assignments.contents, /other side `managed\/assignment\/\{id\}\/roles` notifies this role/);
  assert.match(assignments.contents, /travels on through `members`/);
});

test('a plain property key has no hover; a range covers the hovered key', () => {
  const { hover, workspace, uriOf } = split();
  assert.equal(hover('managed-objects/user/user.json', '"userName": {'), undefined);
  const manager = hover('managed-objects/user/user.json', '"manager": {')!;
  const text = workspace.getFile(uriOf('managed-objects/user/user.json'))!.text;
  assert.equal(text.slice(manager.range.start, manager.range.end), '"manager"');
});

test('relationship keys: what they do, where they belong, and a warning where IDM does not read them', () => {
  const { hover } = split();
  const notifySelf = hover('managed-objects/user/user.json', '"notifySelf"')!;
  assert.match(notifySelf.contents, /^\*\*`notifySelf`\*\*/);
  assert.match(notifySelf.contents, /Belongs on the relationship node/);
  assert.doesNotMatch(notifySelf.contents, /⚠/);

  const { workspace, uri, offset } = workspaceOf({
    '/conf/managed.json': `{ "objects": [ { "name": "user", "schema": { "properties": {
      "roles": { "type": "array", "noti|fySelf": true, "items": { "type": "relationship", "resourceCollection": [] } }
    } } } ] }`,
  });
  const misplaced = handleHover(workspace, uri, offset)!;
  assert.match(misplaced.contents, /⚠ IDM does not read `notifySelf` where it is written here/);

  const wrapperKey = hover('managed-objects/user/user.json', '"relationshipGrantTemporalConstraintsEnforced"')!;
  assert.match(wrapperKey.contents, /on the array property, not in `items`/);
  assert.doesNotMatch(wrapperKey.contents, /⚠/);
});

test('a resourceCollection path: the target type\'s title and relationship counts', () => {
  const { hover } = split();
  const path = hover('managed-objects/user/user.json', '"managed/role"', 3)!;
  assert.match(path.contents, /^\*\*Role\*\* \(`managed\/role`\) — 2 relationships, 2 incoming/);
  assert.match(path.contents, /Defined in `role\.json`/);
  // The type's own name says the same.
  assert.match(hover('managed-objects/role/role.json', '"role"', 2)!.contents, /^\*\*Role\*\* \(`managed\/role`\) — 2 relationships, 2 incoming/);

  const { workspace, uri, offset } = workspaceOf({
    '/conf/managed.json': `{ "objects": [ { "name": "user", "schema": { "properties": {
      "authzRoles": { "type": "array", "items": { "type": "relationship", "resourceCollection": [ { "path": "internal/r|ole" } ] } }
    } } } ] }`,
  });
  assert.match(handleHover(workspace, uri, offset)!.contents, /built into IDM, not declared in these files/);
});

test('names in field lists and reverse names say what they name', () => {
  const { hover } = split();
  assert.match(hover('managed-objects/user/user.json', '"reversePropertyName": "members"', 26)!.contents, /members: many-to-many -> managed\/user\.roles/);
  assert.match(hover('managed-objects/user/user.json', '"name"', 2, 1)!.contents, /`role\.name`: string — Name/);
  assert.equal(hover('managed-objects/user/user.json', '"Username"', 2), undefined);
});

test('corpus: no relationship hover says a built-in or out-of-workspace other side is missing', () => {
  const workspaces = corpusWorkspacesByRepo();
  let hovers = 0;
  const falseStatements: string[] = [];
  let authz = 0;
  for (const workspace of workspaces) {
    for (const file of workspace.allFiles) {
      const schema = workspace.schemaFor(file.uri)!;
      for (const object of file.objects) {
        for (const relationship of object.relationships) {
          const hover = handleHover(workspace, file.uri, relationship.property.entry.keyOffset + 1);
          if (!hover) continue;
          hovers++;
          if (relationship.property.name === 'authzRoles' && relationship.reversePropertyName === 'authzMembers') {
            authz++;
            assert.match(hover.contents, /`(repo\/)?internal\/role\.authzMembers`(, built into IDM| in `internal.json`)/);
            assert.doesNotMatch(hover.contents, /internal\/role` has no/);
          }
          for (const side of otherSides(schema, relationship)) {
            if (side.target.kind === 'object' || side.reverse || !relationship.reversePropertyName) continue;
            // The other side is built in or in no file here: "has no property" would be false.
            if (hover.contents.includes(`\`${side.path}\` has no \`${relationship.reversePropertyName}\``)) falseStatements.push(`${file.uri} ${object.name}.${relationship.property.name}`);
            if (side.target.kind === 'missing' && /many-to-|one-to-/.test(hover.contents.split('\n')[1] ?? '') && !relationship.resourceCollection?.entries.some((e) => schema.resolve(e.target).kind !== 'missing')) {
              falseStatements.push(`${file.uri} ${object.name}.${relationship.property.name}: cardinality guessed`);
            }
          }
        }
      }
    }
  }
  console.log(`relationship hovers: ${hovers}, authzRoles ${authz}, false statements ${falseStatements.length}`);
  assert.ok(hovers > 200 && authz > 5, `${hovers} hovers, ${authz} authzRoles`);
  assert.deepEqual(falseStatements.slice(0, 5), []);
});
