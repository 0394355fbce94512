/** Go to definition and find references across the files of a configuration. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { handleDefinition, handleReferences } from '../../../server/src/core/features/navigation';
import { fixtureWorkspace } from './helpers';

function setup() {
  const fixture = fixtureWorkspace('split');
  const text = (file: string) => fixture.workspace.getFile(fixture.uriOf(file))!.text;
  /** Offset of `needle` (its `occurrence`-th match) plus `delta`. */
  const at = (file: string, needle: string, delta = 1, occurrence = 0) => {
    let index = -1;
    for (let i = 0; i <= occurrence; i++) index = text(file).indexOf(needle, index + 1);
    assert.ok(index >= 0, `${needle} in ${file}`);
    return index + delta;
  };
  /** Where `definition` from `needle` leads, as `file: text`. */
  const definition = (file: string, needle: string, delta = 1, occurrence = 0) =>
    handleDefinition(fixture.workspace, fixture.uriOf(file), at(file, needle, delta, occurrence))
      .map((l) => `${l.uri.replace('/ws/managed-objects/', '')}: ${fixture.workspace.getFile(l.uri)!.text.slice(l.range.start, l.range.end)}@${l.range.start}`);
  return { ...fixture, text, at, definition };
}

const USER = 'managed-objects/user/user.json';
const ROLE = 'managed-objects/role/role.json';

test('definition from every kind of name, into whichever file declares it', () => {
  const { definition, text } = setup();
  const key = (file: string, name: string) => `${file.replace('managed-objects/', '')}: "${name}"@${text(file).indexOf(`"${name}": {`)}`;
  assert.deepEqual(definition(USER, '"reversePropertyName": "members"', 26), [key(ROLE, 'members')]);
  assert.deepEqual(definition(USER, '"managed/role"', 10), [`role/role.json: "role"@${text(ROLE).indexOf('"role"')}`]);
  assert.deepEqual(definition(ROLE, '"notifyRelationships": [', 35), [key(ROLE, 'members')]);
  // queryConfig hops: hop 1 on user, hop 2 on the type hop 1 reaches.
  assert.deepEqual(definition(USER, '"roles",', 2), [key(USER, 'roles')]);
  assert.deepEqual(definition(USER, '"assignments"', 2), [key(ROLE, 'assignments')]);
  assert.deepEqual(definition(USER, '"attributes"', 2), [key('managed-objects/assignment/assignment.json', 'attributes')]);
  // query.fields, sortKeys and conditionalAssociationField name properties of the target.
  // The second "name" in user.json is user.roles' query field (the first is the object's own name key).
  assert.deepEqual(definition(USER, '"name"', 2, 1), [key(ROLE, 'name')]);
  assert.deepEqual(definition(USER, '"name"', 2, 2), [key(ROLE, 'name')], 'a sort key');
  assert.deepEqual(definition(USER, '"condition"', 2), [key(ROLE, 'condition')]);
  // schema.order and required name this type's own properties.
  assert.deepEqual(definition(USER, '"required": [\n      "userName"', 23), [key(USER, 'userName')]);
  assert.deepEqual(definition(USER, '"order": [', 24), [key(USER, 'userName')]);
});

test('no definition on a declaration or on text that names nothing', () => {
  const { definition } = setup();
  assert.deepEqual(definition(ROLE, '"members": {'), []);
  assert.deepEqual(definition(USER, '"Manager"'), []);
});

test('references to a property: its declaration, the reverse name, notifyRelationships, order', () => {
  const { workspace, uriOf, at } = setup();
  const refs = handleReferences(workspace, uriOf(ROLE), at(ROLE, '"members": {'), true)!;
  const where = refs.map((r) => `${r.uri.replace('/ws/managed-objects/', '')}:${workspace.getFile(r.uri)!.text.slice(r.range.start, r.range.end)}`).sort();
  assert.deepEqual(where, ['role/role.json:members', 'role/role.json:members', 'role/role.json:members', 'user/user.json:members']);
  const withoutDeclaration = handleReferences(workspace, uriOf(ROLE), at(ROLE, '"members": {'), false)!;
  assert.equal(withoutDeclaration.length, 3);
  // Asked from a reference, the answer is the same.
  assert.equal(handleReferences(workspace, uriOf(USER), at(USER, '"reversePropertyName": "members"', 26), true)!.length, 4);
});

test('references to an object type: its name and every path naming it', () => {
  const { workspace, uriOf, at } = setup();
  const refs = handleReferences(workspace, uriOf(ROLE), at(ROLE, '"role"'), true)!;
  assert.deepEqual(refs.map((r) => r.uri.replace('/ws/managed-objects/', '')).sort(), ['assignment/assignment.json', 'role/role.json', 'user/user.json']);
  for (const ref of refs) assert.equal(workspace.getFile(ref.uri)!.text.slice(ref.range.start, ref.range.end), 'role');
});

test('references stop when cancelled', () => {
  const { workspace, uriOf, at } = setup();
  assert.equal(handleReferences(workspace, uriOf(ROLE), at(ROLE, '"role"'), true, () => true), undefined);
});
