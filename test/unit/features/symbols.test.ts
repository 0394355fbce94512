/** Document and workspace symbols, and code lenses. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { handleCodeLenses } from '../../../server/src/core/features/codeLens';
import { handleDocumentSymbols, handleWorkspaceSymbols } from '../../../server/src/core/features/symbols';
import { fixtureWorkspace, workspaceOf } from './helpers';

test('document symbols: object types with their properties, relationships marked with cardinality', () => {
  const { workspace, uriOf } = fixtureWorkspace('split');
  const uri = uriOf('managed-objects/user/user.json');
  const [user, ...rest] = handleDocumentSymbols(workspace, uri);
  assert.equal(rest.length, 0);
  assert.equal(user.name, 'user');
  assert.equal(user.kind, 'object');
  assert.equal(user.detail, 'User · 3 relationships');
  const byName = new Map(user.children.map((c) => [c.name, c]));
  assert.equal(byName.get('manager')!.kind, 'relationship');
  assert.equal(byName.get('manager')!.detail, 'many-to-one -> managed/user.reports');
  assert.equal(byName.get('reports')!.detail, 'one-to-many -> managed/user.manager');
  assert.equal(byName.get('roles')!.detail, 'many-to-many -> managed/role.members');
  assert.equal(byName.get('userName')!.kind, 'property');
  assert.equal(byName.get('userName')!.detail, 'string');
  const text = workspace.getFile(uri)!.text;
  assert.equal(text.slice(byName.get('manager')!.selectionRange.start, byName.get('manager')!.selectionRange.end), '"manager"');
  assert.equal(text.slice(user.selectionRange.start, user.selectionRange.end), '"user"');
});

test('one-way relationships say so', () => {
  const { workspace, uri } = workspaceOf({ '/conf/managed.json': '{ "objects": [ { "name": "user", "schema": { "properties": { "device": { "type": "relationship", "resourceCollection": [ { "path": "managed/device" } ] } } } }, { "name": "device", "schema": { "properties": {} } } ] }' });
  const device = handleDocumentSymbols(workspace, uri)[0].children[0];
  assert.equal(device.detail, 'many-to-one -> managed/device (one-way)');
});

test('workspace symbols: object types and properties across files, by fuzzy name', () => {
  const { workspace } = fixtureWorkspace('split');
  const found = handleWorkspaceSymbols(workspace, 'mbrs')!;
  assert.deepEqual(found.map((s) => `${s.containerName ?? ''}.${s.name}:${s.kind}`), ['role.members:relationship']);
  const roles = handleWorkspaceSymbols(workspace, 'role')!.filter((s) => s.kind === 'object');
  assert.deepEqual(roles.map((s) => s.name), ['role']);
  assert.equal(handleWorkspaceSymbols(workspace, '', () => true), undefined);
});

test('code lens: counts over each object type, the other side over each relationship', () => {
  const { workspace, uriOf } = fixtureWorkspace('split');
  const uri = uriOf('managed-objects/user/user.json');
  const lenses = handleCodeLenses(workspace, uri);
  assert.deepEqual(lenses.map((l) => l.title), ['3 relationships · 3 incoming', '<- user.reports', '<- user.manager', '<- role.members']);
  const objectLens = lenses[0];
  assert.equal(objectLens.action?.kind, 'list');
  assert.equal(objectLens.action?.kind === 'list' && objectLens.action.locations.length, 6);
  const roles = lenses[3];
  assert.equal(roles.action?.kind, 'reveal');
  const target = roles.action?.kind === 'reveal' ? roles.action.location : undefined;
  assert.equal(target?.uri, uriOf('managed-objects/role/role.json'));
  assert.equal(workspace.getFile(target!.uri)!.text.slice(target!.range.start, target!.range.end), '"members"');
});

test('code lens on broken and one-way relationships', () => {
  const { workspace, uri } = workspaceOf({ '/conf/managed.json': JSON.stringify({ objects: [
    { name: 'user', schema: { properties: {
      device: { type: 'relationship', resourceCollection: [{ path: 'managed/device' }] },
      group: { type: 'relationship', reverseRelationship: true, reversePropertyName: 'members', resourceCollection: [{ path: 'managed/group' }] },
    } } },
    { name: 'device', schema: { properties: {} } },
    { name: 'group', schema: { properties: {} } },
  ] }) });
  const lenses = handleCodeLenses(workspace, uri);
  assert.deepEqual(lenses.map((l) => l.title), ['2 relationships · 0 incoming', '-> managed/device (one-way)', '<- group.members (missing)', '0 relationships · 1 incoming', '0 relationships · 1 incoming']);
  assert.equal(lenses[2].action, undefined);
  assert.equal(lenses[1].action?.kind, 'reveal');
});
