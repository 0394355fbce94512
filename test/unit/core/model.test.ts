/** Reading configs into the model: layouts by shape, relationships, cardinality, historical shapes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readConfigFile, parseTargetPath } from '../../../server/src/core/model/configFile';
import { configRootOf, Workspace } from '../../../server/src/core/model/workspace';

const managed = (objects: unknown[], extra: object = {}) => JSON.stringify({ ...extra, objects });

test('layouts are recognised by shape, not name', () => {
  assert.equal(readConfigFile('file:///a/x.json', managed([{ name: 'user', schema: { properties: {} } }])).layout, 'managed');
  assert.equal(readConfigFile('file:///a/x.json', managed([], { _id: 'managed' })).layout, 'managed');
  assert.equal(readConfigFile('file:///a/x.json', JSON.stringify({ name: 'user', schema: { properties: {} } })).layout, 'single-object');
  assert.equal(readConfigFile('file:///a/x.json', JSON.stringify({ idm: { managed: { objects: [{ name: 'u', schema: {} }] } }, meta: {} })).layout, 'frodo-wrapper');
  assert.equal(readConfigFile('file:///a/x.json', managed([{ name: 'role', properties: { authzMembers: { items: { resourceCollection: [] } } } }])).layout, 'internal');
  assert.equal(readConfigFile('file:///a/x.json', JSON.stringify({ hello: 1 })).layout, 'unknown');
  assert.equal(readConfigFile('file:///a/x.json', 'not json').layout, 'unknown');
});

test('relationships: singleton, array, type lists, a resourceCollection object (IDM 4.0)', () => {
  const file = readConfigFile('file:///a/managed.json', managed([{
    name: 'user',
    schema: {
      properties: {
        manager: { type: ['relationship', 'null'], reverseRelationship: true, reversePropertyName: 'reports', resourceCollection: [{ path: 'managed/user' }] },
        reports: { type: 'array', items: { type: 'relationship', reverseRelationship: true, reversePropertyName: 'manager', resourceCollection: { path: 'managed/user' } } },
        name: { type: 'string', notifyRelationships: ['manager'] },
        nested: { type: 'object', properties: { inner: { type: 'relationship' } } },
      },
    },
  }]));
  const [user] = file.objects;
  assert.deepEqual(user.relationships.map((r) => [r.property.name, r.cardinality, r.bidirectional, r.reversePropertyName]), [
    ['manager', 'one', true, 'reports'],
    ['reports', 'many', true, 'manager'],
  ]);
  assert.equal(user.propertyMap.get('reports')!.relationship!.resourceCollection!.entries[0].path, 'managed/user');
  assert.deepEqual(user.propertyMap.get('name')!.notifyRelationships!.entries.map((e) => e.value), ['manager']);
});

test('target paths', () => {
  assert.deepEqual(parseTargetPath('managed/alpha_user'), { kind: 'managed', name: 'alpha_user' });
  assert.deepEqual(parseTargetPath('internal/role'), { kind: 'internal', name: 'role', legacy: false });
  assert.deepEqual(parseTargetPath('repo/internal/role'), { kind: 'internal', name: 'role', legacy: true });
  assert.deepEqual(parseTargetPath('managed/a/b'), { kind: 'invalid' });
  assert.deepEqual(parseTargetPath('system/ldap/account'), { kind: 'invalid' });
});

test('config roots group the files of one configuration', () => {
  assert.equal(configRootOf('file:///r/conf/managed.json', 'managed'), 'file:///r/conf');
  assert.equal(configRootOf('file:///r/cfg/managed-objects/user/user.json', 'single-object'), 'file:///r/cfg');
  assert.equal(configRootOf('file:///r/global/idm/managed/alpha_user.managed.json', 'single-object'), 'file:///r/global/idm');
  const workspace = new Workspace();
  workspace.setFile('file:///r/global/idm/managed/alpha_user.managed.json', JSON.stringify({ name: 'alpha_user', schema: {} }));
  workspace.setFile('file:///r/global/idm/internal.json', managed([{ name: 'role', properties: {} }]));
  workspace.setFile('file:///r/other/conf/managed.json', managed([{ name: 'alpha_user', schema: {} }]));
  const schemas = workspace.allSchemas().map((s) => [s.root, s.files.length, s.complete]);
  assert.deepEqual(schemas.sort(), [['file:///r/global/idm', 2, false], ['file:///r/other/conf', 1, true]]);
  // Replacing a file re-groups: the schema is rebuilt, not stale.
  workspace.setFile('file:///r/global/idm/managed/alpha_user.managed.json', JSON.stringify({ name: 'alpha_person', schema: {} }));
  assert.ok(workspace.schemaFor('file:///r/global/idm/internal.json')!.getObject('alpha_person'));
});

test('properties by name: the last of a repeated name wins, with few definitions (searched) and many (indexed)', () => {
  for (const count of [3, 20]) {
    // `dup` is defined first as a string, last as a relationship; JSON.parse keeps the last, as IDM does.
    const members = [`"dup": {"type": "string"}`, ...Array.from({ length: count - 2 }, (_, i) => `"p${i}": {"type": "string"}`),
      `"dup": {"type": "relationship", "reverseRelationship": false, "resourceCollection": [{"path": "managed/t"}]}`];
    const [type] = readConfigFile('file:///a/managed.json', `{"objects": [{"name": "t", "schema": {"properties": {${members.join(', ')}}}}]}`).objects;
    assert.equal(type.properties.length, count);
    assert.equal(type.propertyMap.size, count - 1, `${count} definitions`);
    assert.equal(type.propertyMap.get('dup'), type.properties[count - 1]);
    assert.ok(type.propertyMap.has('p0') && !type.propertyMap.has('nope'));
    assert.deepEqual(type.relationships.map((r) => r.property.name), ['dup']);
  }
  const [empty] = readConfigFile('file:///a/managed.json', '{"objects": [{"name": "e", "schema": {}}]}').objects;
  assert.deepEqual([empty.properties.length, empty.relationships.length, empty.propertyMap.size], [0, 0, 0]);
  assert.throws(() => empty.properties.push(empty.properties[0]), TypeError, 'the shared empty list is frozen');
});
