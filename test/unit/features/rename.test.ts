/**
 * Rename: one edit across files; after applying it and re-checking, no new problems. Run on the hand-written
 * split config and on every relationship and object type of the real corpus.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { handlePrepareRename, handleRename } from '../../../server/src/core/features/rename';
import { Workspace } from '../../../server/src/core/model/workspace';
import { CORPUS, jsonFilesUnder } from '../../helpers/fixtures';
import { applyEdits, fixtureWorkspace, newProblems, problemCounts, workspaceOf } from './helpers';

const USER = 'managed-objects/user/user.json';
const ROLE = 'managed-objects/role/role.json';

/** Applies a rename result to the workspace; returns the edited URIs. */
function apply(workspace: Workspace, result: ReturnType<typeof handleRename>): string[] {
  assert.ok(result && 'edits' in result, result && 'error' in result ? result.error : 'cancelled');
  for (const [uri, edits] of Object.entries(result.edits)) workspace.setFile(uri, applyEdits(workspace.getFile(uri)!.text, edits));
  return Object.keys(result.edits).sort();
}

function offsetOf(workspace: Workspace, uri: string, needle: string, delta = 1): number {
  const at = workspace.getFile(uri)!.text.indexOf(needle);
  assert.ok(at >= 0, needle);
  return at + delta;
}

test('renaming a relationship property renames the other side\'s reverse name, notifyRelationships and order', () => {
  const { workspace, uriOf } = fixtureWorkspace('split');
  const before = problemCounts(workspace);
  const role = uriOf(ROLE);
  const prepared = handlePrepareRename(workspace, role, offsetOf(workspace, role, '"members": {'));
  assert.ok('range' in prepared);
  assert.equal(prepared.placeholder, 'members');
  const result = handleRename(workspace, role, offsetOf(workspace, role, '"members": {'), 'holders');
  assert.ok(result && 'edits' in result);
  assert.equal(result.edits[role].length, 3, 'key, order entry, notifyRelationships entry');
  assert.equal(result.edits[uriOf(USER)].length, 1, 'user.roles reversePropertyName');
  apply(workspace, result);
  assert.match(workspace.getFile(uriOf(USER))!.text, /"reversePropertyName": "holders"/);
  assert.match(workspace.getFile(role)!.text, /"notifyRelationships": \[\s*"holders"\s*\]/);
  assert.deepEqual(newProblems(before, problemCounts(workspace)), []);
  assert.deepEqual([...problemCounts(workspace)], []);
});

test('renaming from a reference (a hop) renames the declaration and every other reference', () => {
  const { workspace, uriOf } = fixtureWorkspace('split');
  const user = uriOf(USER);
  const edited = apply(workspace, handleRename(workspace, user, offsetOf(workspace, user, '"assignments"', 2), 'entitlements'));
  assert.deepEqual(edited, [uriOf('managed-objects/assignment/assignment.json'), uriOf(ROLE), user].sort());
  assert.match(workspace.getFile(uriOf(ROLE))!.text, /"entitlements": \{/);
  assert.match(workspace.getFile(uriOf('managed-objects/assignment/assignment.json'))!.text, /"reversePropertyName": "entitlements"/);
  assert.deepEqual([...problemCounts(workspace)], []);
});

test('renaming an object type renames every managed/<name> path, and only the name part', () => {
  const { workspace, uriOf } = fixtureWorkspace('split');
  const role = uriOf(ROLE);
  const result = handleRename(workspace, role, offsetOf(workspace, role, '"role"', 2), 'group');
  const edited = apply(workspace, result);
  assert.equal(edited.length, 3);
  const all = edited.map((uri) => workspace.getFile(uri)!.text).join('\n');
  assert.doesNotMatch(all, /managed\/role"/);
  assert.equal(all.match(/"managed\/group"/g)!.length, 2);
  assert.deepEqual([...problemCounts(workspace)], []);
});

test('a polymorphic reverse name renames the property on every target it names', () => {
  const rel = (reverse: string, targets: string[], array: boolean) => {
    const node = { type: 'relationship', reverseRelationship: true, reversePropertyName: reverse, resourceCollection: targets.map((t) => ({ path: `managed/${t}`, query: { queryFilter: 'true', fields: ['_id'] } })) };
    return array ? { type: 'array', items: node } : node;
  };
  const config = { objects: [
    { name: 'user', schema: { properties: { owned: rel('owner', ['car', 'bike'], true) } } },
    { name: 'car', schema: { properties: { owner: rel('owned', ['user'], false) } } },
    { name: 'bike', schema: { properties: { owner: rel('owned', ['user'], false) } } },
  ] };
  const text = JSON.stringify(config, null, 2);
  const { workspace } = workspaceOf({ '/conf/managed.json': text });
  const uri = '/conf/managed.json';
  // Rename car.owner (the second "owner" key in the file).
  const carOwner = text.indexOf('"owner": {') + 1;
  const result = handleRename(workspace, uri, carOwner, 'rider');
  assert.ok(result && 'edits' in result);
  assert.equal(result.edits[uri].length, 3, 'car.owner, bike.owner and user.owned\'s reverse name');
  apply(workspace, result);
  assert.deepEqual([...problemCounts(workspace)], []);
});

test('invalid names, taken names and IDM\'s built-in names are refused with a reason', () => {
  const { workspace, uriOf } = fixtureWorkspace('split');
  const role = uriOf(ROLE);
  const members = offsetOf(workspace, role, '"members": {');
  assert.match((handleRename(workspace, role, members, 'assignments') as { error: string }).error, /already has a property `assignments`/);
  assert.match((handleRename(workspace, role, members, 'a/b') as { error: string }).error, /not a valid property name/);
  assert.match((handleRename(workspace, role, offsetOf(workspace, role, '"role"', 2), 'bad-name') as { error: string }).error, /not a valid object type name/);
  assert.match((handleRename(workspace, role, offsetOf(workspace, role, '"role"', 2), 'user') as { error: string }).error, /already exists/);
  assert.ok('error' in handlePrepareRename(workspace, role, offsetOf(workspace, role, '"title"', 2)));

  const internal = workspaceOf({ '/conf/managed.json': '{ "objects": [ { "name": "user", "schema": { "properties": { "authzRoles": { "type": "array", "items": { "type": "relationship", "reverseRelationship": true, "reversePropertyName": "authz|Members", "resourceCollection": [ { "path": "internal/role" } ] } } } } } ] }' });
  assert.match((handlePrepareRename(internal.workspace, internal.uri, internal.offset) as { error: string }).error, /built into IDM/);
  const path = internal.workspace.getFile(internal.uri)!.text.indexOf('internal/role') + 10;
  assert.ok('error' in handlePrepareRename(internal.workspace, internal.uri, path));
});

test('corpus: renaming any relationship property or object type leaves no new problems', (t) => {
  // One workspace per configuration (config root), reloaded from the original texts before each rename.
  const texts = new Map(jsonFilesUnder(CORPUS).map((file) => [`/corpus/${path.relative(CORPUS, file).split(path.sep).join('/')}`, fs.readFileSync(file, 'utf8')]));
  const everything = new Workspace();
  for (const [uri, text] of texts) everything.setFile(uri, text);
  let renamed = 0;
  let refused = 0;
  let refusedEarly = 0;
  for (const schema of everything.allSchemas()) {
    const load = () => {
      const workspace = new Workspace();
      for (const file of schema.files) workspace.setFile(file.uri, texts.get(file.uri)!);
      return workspace;
    };
    const before = problemCounts(load());
    const targets: Array<{ uri: string; offset: number; name: string }> = [];
    for (const file of schema.files) {
      for (const object of file.objects) {
        if (object.kind !== 'managed') continue;
        if (object.nameNode) targets.push({ uri: file.uri, offset: object.nameNode.offset + 1, name: object.name });
        for (const relationship of object.relationships) targets.push({ uri: file.uri, offset: relationship.property.entry.keyOffset + 1, name: `${object.name}.${relationship.property.name}` });
      }
    }
    for (const target of targets) {
      const workspace = load();
      const result = handleRename(workspace, target.uri, target.offset, `${target.name.split('.').pop()}Renamed`);
      assert.ok(result, 'not cancelled');
      if ('error' in result) {
        // Only names bound to a built-in pair may refuse: `user.authzRoles` (its partner is internal/role.authzMembers),
        // and a managed `authzMembers` that shares the polymorphic reverse name with internal/role (OpenIDM 5).
        assert.match(result.error, /built into IDM/, `${target.name}: ${result.error}`);
        assert.match(target.name, /\.(authzRoles|authzMembers)$/, `${target.name} refused`);
        // The refusal comes before a new name is asked for (prepareRename) wherever the pair is declared here.
        if (/\.authzRoles$/.test(target.name)) {
          assert.ok('error' in handlePrepareRename(workspace, target.uri, target.offset), `prepareRename accepts ${target.name}`);
          refusedEarly++;
        }
        refused++;
        continue;
      }
      assert.ok(!('error' in handlePrepareRename(workspace, target.uri, target.offset)), `prepareRename refuses ${target.name}, which renames`);
      apply(workspace, result);
      assert.deepEqual(newProblems(before, problemCounts(workspace)), [], `renaming ${target.name} (${target.uri})`);
      renamed++;
    }
  }
  t.diagnostic(`${renamed} renames applied and re-checked, ${refused} refused (built-in pairs), ${refusedEarly} of them by prepareRename`);
  assert.ok(refusedEarly > 0, 'prepareRename refuses authzRoles');
  assert.ok(renamed > 250, `${renamed} renamed`);
  assert.ok(refused > 0, 'the built-in pair was tried');
});
