/** Relationship fields and endpoints beyond the doc examples: arrays, _refProperties, _fields forms, edges by id, PATCH. */
import { beforeEach, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { Client, refsOf, start } from './helpers';

describe('relationships: fields', () => {
  let client: Client;
  beforeEach(() => {
    client = new Client(start());
    client.create('role', 'admin', { name: 'admin', description: 'Administrators' });
    client.create('role', 'staff', { name: 'staff' });
    client.create('user', 'bjensen', { userName: 'bjensen', sn: 'Jensen' });
  });

  it('stores _refProperties on the edge and shows them from both sides, with their own _id/_rev', () => {
    // "_refProperties ... includes a unique ID (_id) and the revision (_rev) of the object. _refProperties can also
    //  contain arbitrary fields to support metadata within the relationship." (PingIDM 8.0, Relationship reference properties)
    client.create('user', 'psmith', { userName: 'psmith', roles: [{ _ref: 'managed/role/admin', _refProperties: { _grantType: 'direct', since: 2024 } }] });
    const roles = client.ok(client.get('managed/user/psmith', { _fields: 'roles' })).roles;
    assert.equal(roles.length, 1);
    assert.equal(roles[0]._refProperties._grantType, 'direct');
    assert.equal(roles[0]._refProperties.since, 2024);
    const members = client.ok(client.get('managed/role/admin', { _fields: 'members' })).members;
    assert.deepEqual(members[0]._refProperties, roles[0]._refProperties);
    assert.equal(members[0]._ref, 'managed/user/psmith');
    const byProperty = client.ok(client.get('managed/role/admin/members', { _queryFilter: "/_refProperties/_grantType eq 'direct'" }));
    assert.equal(byProperty.resultCount, 1);
  });

  it('URL-encodes the id in _ref and keeps it decoded in _refResourceId', () => {
    // "_ref is a derived path that is a combination of _refResourceCollection and a URL-encoded _refResourceId."
    client.ok(client.put('managed/user/jane%20doe', { userName: 'jane doe', manager: { _ref: 'managed/user/bjensen' } }, { 'If-None-Match': '*' }), 201);
    const reports = client.ok(client.get('managed/user/bjensen', { _fields: 'reports' })).reports;
    assert.equal(reports[0]._ref, 'managed/user/jane%20doe');
    assert.equal(reports[0]._refResourceId, 'jane doe');
    assert.equal(client.ok(client.get('managed/user/jane%20doe'))._id, 'jane doe');
    // A _ref written with the encoded or the raw id names the same object.
    client.create('user', 'x', { userName: 'x', manager: { _ref: 'managed/user/jane doe' } });
    assert.deepEqual(refsOf(client.ok(client.get('managed/user/jane%20doe', { _fields: 'reports' })).reports), ['managed/user/x']);
  });

  it('supports _fields=*_ref, *,manager, relatedObject/*/property and relationship arrays', () => {
    client.create('user', 'psmith', { userName: 'psmith', manager: { _ref: 'managed/user/bjensen' }, roles: [{ _ref: 'managed/role/admin' }, { _ref: 'managed/role/staff' }] });
    const all = client.ok(client.get('managed/user/psmith', { _fields: '*_ref' }));
    assert.equal('userName' in all, false, '*_ref is the relationship fields only (ManagedObjectSet.prepareResponse)');
    assert.equal(client.ok(client.get('managed/user/psmith', { _fields: '*,*_ref' })).userName, 'psmith');
    assert.deepEqual(refsOf(all.manager), ['managed/user/bjensen']);
    assert.deepEqual(refsOf(all.roles), ['managed/role/admin', 'managed/role/staff']);
    assert.deepEqual(all.reports, []);
    assert.deepEqual(all.authzRoles, []);

    const starManager = client.ok(client.get('managed/user/psmith', { _fields: '*,manager' }));
    assert.equal(starManager.userName, 'psmith');
    assert.deepEqual(refsOf(starManager.manager), ['managed/user/bjensen']);
    assert.equal('roles' in starManager, false);

    // "relatedObject/*/property (for an array of values)"
    const names = client.ok(client.get('managed/user/psmith', { _fields: 'roles/*/name' })).roles;
    assert.deepEqual(names.map((r: any) => [r._id, r.name, r._ref]), [['admin', 'admin', 'managed/role/admin'], ['staff', 'staff', 'managed/role/staff']]);
    assert.equal('description' in names[0], false);
    const whole = client.ok(client.get('managed/user/psmith', { _fields: 'roles/*' })).roles;
    assert.equal(whole[0].description, 'Administrators');
  });

  it('returns relationship-derived virtual properties by default (returnByDefault: true)', () => {
    // forgeops user.effectiveRoles: "isVirtual": true, "returnByDefault": true, "queryConfig": {"referencedRelationshipFields": ["roles"]}
    client.create('user', 'psmith', { userName: 'psmith', roles: [{ _ref: 'managed/role/admin' }] });
    const body = client.ok(client.get('managed/user/psmith'));
    assert.deepEqual(body.effectiveRoles, [{ _refResourceCollection: 'managed/role', _refResourceId: 'admin', _ref: 'managed/role/admin' }]);
    assert.equal('roles' in body, false);
  });

  it('PUT replaces the relationship fields it carries and leaves the others; null or [] clears', () => {
    client.create('user', 'psmith', { userName: 'psmith', manager: { _ref: 'managed/user/bjensen' }, roles: [{ _ref: 'managed/role/admin' }] });
    client.ok(client.put('managed/user/psmith', { userName: 'psmith', roles: [{ _ref: 'managed/role/staff' }] }));
    let read = client.ok(client.get('managed/user/psmith', { _fields: 'manager,roles' }));
    assert.deepEqual(refsOf(read.manager), ['managed/user/bjensen'], 'absent from the body: untouched');
    assert.deepEqual(refsOf(read.roles), ['managed/role/staff']);
    assert.deepEqual(refsOf(client.ok(client.get('managed/role/admin', { _fields: 'members' })).members), []);
    client.ok(client.put('managed/user/psmith', { userName: 'psmith', manager: null, roles: [] }));
    read = client.ok(client.get('managed/user/psmith', { _fields: 'manager,roles' }));
    assert.equal(read.manager, null);
    assert.deepEqual(read.roles, []);
  });

  it('PUT keeps an edge whose _refProperties._id it names and recreates references given without it', () => {
    client.create('user', 'psmith', { userName: 'psmith', roles: [{ _ref: 'managed/role/admin' }, { _ref: 'managed/role/staff' }] });
    const [admin, staff] = client.ok(client.get('managed/user/psmith', { _fields: 'roles' })).roles;
    client.ok(client.put('managed/user/psmith', { userName: 'psmith', roles: [admin, { _ref: 'managed/role/staff' }] }));
    const [admin2, staff2] = client.ok(client.get('managed/user/psmith', { _fields: 'roles' })).roles;
    assert.deepEqual(admin2, admin, 'named by _refProperties._id: the same edge, unchanged');
    assert.notEqual(staff2._refProperties._id, staff._refProperties._id, 'no _id: a new edge (IDM setRelationshipValueForResource)');
    client.ok(client.put('managed/user/psmith', { userName: 'psmith', roles: [{ ...admin, _refProperties: { ...admin._refProperties, note: 'x' } }, staff2] }));
    const [admin3] = client.ok(client.get('managed/user/psmith', { _fields: 'roles' })).roles;
    assert.equal(admin3._refProperties._id, admin._refProperties._id);
    assert.notEqual(admin3._refProperties._rev, admin._refProperties._rev, 'changed properties: new edge revision');
    assert.equal(admin3._refProperties.note, 'x');
  });

  it('PATCH edits relationship fields: add /roles/-, remove of a whole reference by value, replace /manager; no positions, no deleting the collection', () => {
    client.create('user', 'scarter', { userName: 'scarter' });
    client.create('user', 'psmith', { userName: 'psmith', manager: { _ref: 'managed/user/bjensen' } });
    client.ok(client.patch('managed/user/psmith', [{ operation: 'add', field: '/roles/-', value: { _ref: 'managed/role/admin' } }]));
    client.ok(client.patch('managed/user/psmith', [{ operation: 'add', field: '/roles/-', value: { _ref: 'managed/role/staff' } }]));
    assert.deepEqual(refsOf(client.ok(client.get('managed/user/psmith', { _fields: 'roles' })).roles), ['managed/role/admin', 'managed/role/staff']);
    assert.deepEqual(refsOf(client.ok(client.get('managed/role/staff', { _fields: 'members' })).members), ['managed/user/psmith']);

    // ManagedObjectSet.patchResource refuses a relationship array operation without a value; JsonValuePatch.apply a position.
    const refusedWith = (operations: unknown[], message: string) => {
      const response = client.patch('managed/user/psmith', operations);
      assert.deepEqual([response.status, (response.body as any).message], [400, message]);
    };
    refusedWith([{ operation: 'remove', field: '/roles/0' }], 'Cannot delete collection: /roles');
    refusedWith([{ operation: 'remove', field: '/roles' }], 'Cannot delete collection: /roles');
    const [admin, staff] = client.ok(client.get('managed/user/psmith', { _fields: 'roles' })).roles;
    refusedWith([{ operation: 'remove', field: '/roles/0', value: admin }], 'Position-based operation is not allowed: /roles/0');

    // A bare {_ref} equals no element as a whole: nothing is removed (the revision stays: nothing changed).
    const before = client.ok(client.get('managed/user/psmith'));
    const same = client.ok(client.patch('managed/user/psmith', [{ operation: 'remove', field: '/roles', value: { _ref: 'managed/role/staff' } }]));
    assert.equal(same._rev, before._rev);
    assert.deepEqual(refsOf(client.ok(client.get('managed/user/psmith', { _fields: 'roles' })).roles), ['managed/role/admin', 'managed/role/staff']);
    // The reference as read, _refProperties and all, removes it.
    client.ok(client.patch('managed/user/psmith', [{ operation: 'remove', field: '/roles', value: staff }]));
    assert.deepEqual(client.ok(client.get('managed/user/psmith', { _fields: 'roles' })).roles, [admin]);
    assert.deepEqual(refsOf(client.ok(client.get('managed/role/staff', { _fields: 'members' })).members), []);

    client.ok(client.patch('managed/user/psmith', [{ operation: 'replace', field: '/manager', value: { _ref: 'managed/user/scarter' } }]));
    assert.deepEqual(refsOf(client.ok(client.get('managed/user/scarter', { _fields: 'reports' })).reports), ['managed/user/psmith']);
    assert.deepEqual(client.ok(client.get('managed/user/bjensen', { _fields: 'reports' })).reports, []);
    client.ok(client.patch('managed/user/psmith', [{ operation: 'remove', field: '/manager' }]));
    assert.equal(client.ok(client.get('managed/user/psmith', { _fields: 'manager' })).manager, null);
  });
});

describe('relationships: endpoints', () => {
  let client: Client;
  beforeEach(() => {
    client = new Client(start());
    client.create('role', 'admin', { name: 'admin' });
    for (const [id, sn] of [['u1', 'Smith'], ['u2', 'Jensen'], ['u3', 'Adams']]) client.create('user', id, { userName: id, sn });
  });

  it('POST adds one edge to an array; GET/PUT/PATCH/DELETE address one edge by its id', () => {
    const created = client.ok(client.post('managed/role/admin/members', { _ref: 'managed/user/u1', _refProperties: { _grantType: 'direct' } }), 201);
    const byId = client.ok(client.get(`managed/role/admin/members/${created._id}`));
    assert.deepEqual(byId, created);
    const fromUser = client.ok(client.get(`managed/user/u1/roles/${created._id}`));
    assert.equal(fromUser._ref, 'managed/role/admin', 'the same edge by id from the other end');

    const updated = client.ok(client.put(`managed/role/admin/members/${created._id}`, { _refProperties: { _grantType: 'conditional' } }));
    assert.equal(updated._ref, 'managed/user/u1', 'no _ref in the body keeps the reference');
    assert.equal(updated._refProperties._grantType, 'conditional');
    assert.notEqual(updated._rev, created._rev);

    const patched = client.ok(client.patch(`managed/role/admin/members/${created._id}`, [{ operation: 'replace', field: '/_ref', value: 'managed/user/u2' }]));
    assert.equal(patched._ref, 'managed/user/u2');
    assert.equal(patched._id, created._id);
    assert.deepEqual(refsOf(client.ok(client.get('managed/user/u2', { _fields: 'roles' })).roles), ['managed/role/admin']);
    assert.deepEqual(client.ok(client.get('managed/user/u1', { _fields: 'roles' })).roles, []);

    assert.equal(client.put(`managed/role/admin/members/${created._id}`, { _ref: 'managed/user/u3' }, { 'If-Match': created._rev }).status, 412);
    const deleted = client.ok(client.delete(`managed/role/admin/members/${created._id}`));
    assert.equal(deleted._id, created._id);
    assert.equal(client.get(`managed/role/admin/members/${created._id}`).status, 404);
    assert.equal(client.get('managed/role/admin/members/not-an-edge').status, 404);
    assert.equal(client.delete('managed/role/admin/members').status, 405);
  });

  it('pages and sorts a relationship endpoint by referenced fields and edge fields', () => {
    for (const id of ['u1', 'u2', 'u3']) client.ok(client.post('managed/role/admin/members', { _ref: `managed/user/${id}` }), 201);
    const first = client.ok(client.get('managed/role/admin/members', { _queryFilter: 'true', _sortKeys: 'sn', _pageSize: '2', _fields: 'sn' }));
    assert.deepEqual(first.result.map((m: any) => m.sn), ['Adams', 'Jensen']);
    const second = client.ok(client.get('managed/role/admin/members', { _queryFilter: 'true', _sortKeys: 'sn', _pageSize: '2', _pagedResultsCookie: first.pagedResultsCookie, _fields: 'sn' }));
    assert.deepEqual(second.result.map((m: any) => m.sn), ['Smith']);
    assert.equal(second.pagedResultsCookie, null);
    const descending = client.ok(client.get('managed/role/admin/members', { _queryFilter: 'true', _sortKeys: '-_refResourceId' }));
    assert.deepEqual(descending.result.map((m: any) => m._refResourceId), ['u3', 'u2', 'u1']);
    const filtered = client.ok(client.get('managed/role/admin/members', { _queryFilter: "_refResourceId eq 'u2' or sn sw 'ad'" }));
    assert.deepEqual(filtered.result.map((m: any) => m._refResourceId), ['u2', 'u3']);
    assert.equal(client.get('managed/role/admin/members', { _queryFilter: 'sn eq' }).status, 400);
  });

  it('a singleton endpoint: POST when empty, 412 when set; GET of an unset singleton is 404', () => {
    assert.equal(client.get('managed/user/u1/manager').status, 404);
    client.ok(client.post('managed/user/u1/manager', { _ref: 'managed/user/u2' }), 201);
    const again = client.post('managed/user/u1/manager', { _ref: 'managed/user/u3' });
    assert.equal(again.status, 412);
    assert.deepEqual(refsOf(client.ok(client.get('managed/user/u1', { _fields: 'manager' })).manager), ['managed/user/u2']);
    const read = client.ok(client.get('managed/user/u1/manager', { _fields: 'sn' }));
    assert.equal(read._ref, 'managed/user/u2');
    assert.equal(read.sn, 'Jensen');
    assert.equal(typeof read._refResourceRev, 'string');
  });

  it('a singleton endpoint: PATCH and PUT check If-Match against the edge revision', () => {
    const created = client.ok(client.post('managed/user/u1/manager', { _ref: 'managed/user/u2' }), 201);
    const patched = client.ok(client.patch('managed/user/u1/manager', [{ operation: 'add', field: '/_refProperties/since', value: 2021 }], { 'If-Match': created._rev }));
    assert.equal(patched._id, created._id);
    assert.equal(patched._refProperties.since, 2021);
    assert.equal(client.put('managed/user/u1/manager', { _ref: 'managed/user/u3' }, { 'If-Match': created._rev }).status, 412, 'stale revision');
    assert.equal(client.delete('managed/user/u1/manager', { 'If-Match': created._rev }).status, 412);
    client.ok(client.put('managed/user/u1/manager', { _ref: 'managed/user/u3' }, { 'If-Match': patched._rev }));
    assert.deepEqual(refsOf(client.ok(client.get('managed/user/u3', { _fields: 'reports' })).reports), ['managed/user/u1']);
    client.ok(client.delete('managed/user/u1/manager'));
    assert.equal(client.put('managed/user/u1/manager', { _ref: 'managed/user/u2' }, { 'If-Match': patched._rev }).status, 404, 'nothing to update');
  });

  it('answers 404 on the endpoints of a missing object', () => {
    assert.equal(client.get('managed/user/nobody/roles', { _queryFilter: 'true' }).status, 404);
    assert.equal(client.post('managed/user/nobody/roles', { _ref: 'managed/role/admin' }).status, 404);
  });
});
