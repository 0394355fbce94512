/**
 * What IDM checks when an edge is written: cardinality of the reverse side, duplicates, `validate`,
 * `resourceCollection`, reference syntax; and how broken reverse pairs behave. Every refused write must
 * leave both sides exactly as they were.
 */
import { beforeEach, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { Client, editedForgeops, propertiesOf, refsOf, start, stateOf } from './helpers';

function refused(client: Client, response: { status: number; body: any }, status: number, message: string | RegExp, before: string): void {
  assert.equal(response.status, status, JSON.stringify(response.body));
  if (typeof message === 'string') assert.equal(response.body.message, message);
  else assert.match(response.body.message, message);
  assert.equal(stateOf(client.sim), before, 'a refused write changes nothing');
}

describe('cardinality (ReverseRelationshipValidator)', () => {
  let client: Client;
  beforeEach(() => {
    client = new Client(start());
    client.create('user', 'bjensen', { userName: 'bjensen' });
    client.create('user', 'scarter', { userName: 'scarter' });
    client.create('user', 'jdoe', { userName: 'jdoe', manager: { _ref: 'managed/user/bjensen' } });
    client.create('user', 'psmith', { userName: 'psmith', manager: { _ref: 'managed/user/scarter' } });
  });

  it('refuses to add psmith to bjensen\'s reports while psmith\'s singleton manager holds scarter (400, exact text)', () => {
    // OpenIDM ReverseRelationshipValidator: "Field '{0}' of managed object '{1}' is not null, and thus not available for assignment."
    const before = stateOf(client.sim);
    const message = "Field 'manager' of managed object 'managed/user/psmith' is not null, and thus not available for assignment.";
    refused(client, client.post('managed/user/bjensen/reports', { _ref: 'managed/user/psmith' }), 400, message, before);
    // Through the object: bjensen's PUT first drops jdoe from reports; the failure must bring jdoe back.
    refused(client, client.put('managed/user/bjensen', { userName: 'bjensen', reports: [{ _ref: 'managed/user/psmith' }] }), 400, message, before);
    refused(client, client.patch('managed/user/bjensen', [{ operation: 'add', field: '/reports/-', value: { _ref: 'managed/user/psmith' } }]), 400, message, before);
    assert.deepEqual(refsOf(client.ok(client.get('managed/user/bjensen', { _fields: 'reports' })).reports), ['managed/user/jdoe']);
    assert.deepEqual(refsOf(client.ok(client.get('managed/user/psmith', { _fields: 'manager' })).manager), ['managed/user/scarter']);
  });

  it('replacing psmith.manager moves psmith from bjensen\'s reports to scarter\'s', () => {
    client.ok(client.put('managed/user/jdoe/manager', { _ref: 'managed/user/scarter' }));
    assert.deepEqual(client.ok(client.get('managed/user/bjensen', { _fields: 'reports' })).reports, []);
    assert.deepEqual(refsOf(client.ok(client.get('managed/user/scarter', { _fields: 'reports' })).reports), ['managed/user/jdoe', 'managed/user/psmith']);
  });

  it('accepts adding a report whose manager is free, and one already pointing back (no duplicate of the pair, though)', () => {
    client.create('user', 'free', { userName: 'free' });
    client.ok(client.post('managed/user/bjensen/reports', { _ref: 'managed/user/free' }), 201);
    assert.deepEqual(refsOf(client.ok(client.get('managed/user/free', { _fields: 'manager' })).manager), ['managed/user/bjensen']);
    const before = stateOf(client.sim);
    refused(client, client.post('managed/user/bjensen/reports', { _ref: 'managed/user/jdoe' }), 412,
      "Managed object 'managed/user/bjensen' has already been assigned relationship 'managed/user/jdoe'.", before);
  });

  it('enforces one-to-one on both sides', () => {
    const client2 = new Client(start(editedForgeops((managed) => {
      propertiesOf(managed, 'user').partner = {
        type: 'relationship', validate: true, reverseRelationship: true, reversePropertyName: 'partner',
        resourceCollection: [{ path: 'managed/user', query: { queryFilter: 'true', fields: [] } }],
      };
    })));
    for (const id of ['a', 'b', 'c']) client2.create('user', id, { userName: id });
    client2.ok(client2.put('managed/user/a/partner', { _ref: 'managed/user/b' }), 201);
    assert.deepEqual(refsOf(client2.ok(client2.get('managed/user/b', { _fields: 'partner' })).partner), ['managed/user/a']);
    const before = stateOf(client2.sim);
    refused(client2, client2.put('managed/user/c/partner', { _ref: 'managed/user/b' }), 400,
      "Field 'partner' of managed object 'managed/user/b' is not null, and thus not available for assignment.", before);
  });
});

describe('duplicates (DuplicateRelationshipException, 412)', () => {
  let client: Client;
  beforeEach(() => {
    client = new Client(start());
    client.create('role', 'admin', { name: 'admin' });
    client.create('user', 'psmith', { userName: 'psmith', roles: [{ _ref: 'managed/role/admin' }] });
  });

  it('refuses a second edge between the same objects, from either end', () => {
    const before = stateOf(client.sim);
    refused(client, client.post('managed/user/psmith/roles', { _ref: 'managed/role/admin' }), 412,
      "Managed object 'managed/user/psmith' has already been assigned relationship 'managed/role/admin'.", before);
    refused(client, client.post('managed/role/admin/members', { _ref: 'managed/user/psmith' }), 412,
      "Managed object 'managed/role/admin' has already been assigned relationship 'managed/user/psmith'.", before);
    // A PATCH sends the whole patched list, in which psmith now appears twice.
    refused(client, client.patch('managed/role/admin', [{ operation: 'add', field: '/members/-', value: { _ref: 'managed/user/psmith' } }]), 412,
      'Duplicate relationship specified in relationship collection.', before);
  });

  it('refuses the same reference twice in one request', () => {
    const before = stateOf(client.sim);
    client.create('role', 'staff', { name: 'staff' });
    const afterStaff = stateOf(client.sim);
    assert.notEqual(afterStaff, before);
    refused(client, client.put('managed/user/psmith', { userName: 'psmith', roles: [{ _ref: 'managed/role/staff' }, { _ref: 'managed/role/staff' }] }), 412,
      'Duplicate relationship specified in relationship collection.', afterStaff);
  });

  it('accepts the same object again under another grant type', () => {
    client.ok(client.post('managed/user/psmith/roles', { _ref: 'managed/role/admin', _refProperties: { _grantType: 'conditional' } }), 201);
    assert.equal(client.ok(client.get('managed/user/psmith', { _fields: 'roles' })).roles.length, 2);
  });
});

describe('validate and resourceCollection', () => {
  it('validate: true refuses a reference to a missing object', () => {
    const client = new Client(start());
    client.create('user', 'psmith', { userName: 'psmith' });
    const before = stateOf(client.sim);
    refused(client, client.post('managed/user/psmith/roles', { _ref: 'managed/role/ghost' }), 400, "The referenced relationship 'managed/role/ghost', does not exist", before);
    refused(client, client.put('managed/user/psmith/manager', { _ref: 'managed/user/ghost' }), 400, "The referenced relationship 'managed/user/ghost', does not exist", before);
    refused(client, client.put('managed/user/bjensen', { userName: 'bjensen', manager: { _ref: 'managed/user/ghost' } }, { 'If-None-Match': '*' }), 400, /does not exist/, before);
    assert.equal(client.get('managed/user/bjensen').status, 404, 'the object of a refused create does not exist');
  });

  it('validate off keeps a dangling reference, marks it in reads and the snapshot, and it resolves when the object appears', () => {
    const client = new Client(start(editedForgeops((managed) => {
      propertiesOf(managed, 'user').roles.items.validate = false;
      propertiesOf(managed, 'role').members.items.validate = false;
    })));
    client.create('user', 'psmith', { userName: 'psmith', roles: [{ _ref: 'managed/role/ghost' }] });
    const [ghost] = client.ok(client.get('managed/user/psmith', { _fields: 'roles' })).roles;
    assert.equal(ghost._ref, 'managed/role/ghost');
    assert.equal(ghost._refError, true);
    assert.match(ghost._refErrorMessage, /ghost/);
    const [edge] = client.sim.snapshot().edges;
    assert.equal(edge.dangling, true);
    assert.deepEqual(edge.to, { ref: 'managed/role/ghost', property: undefined });

    client.create('role', 'ghost', { name: 'ghost' });
    const [resolved] = client.ok(client.get('managed/user/psmith', { _fields: 'roles' })).roles;
    assert.equal('_refError' in resolved, false);
    assert.deepEqual(refsOf(client.ok(client.get('managed/role/ghost', { _fields: 'members' })).members), ['managed/user/psmith']);
    assert.equal(client.sim.snapshot().edges[0].dangling, false);
  });

  it('validate off skips the cardinality check too (the checks live in the validator): a singleton may then hold two edges', () => {
    const client = new Client(start(editedForgeops((managed) => {
      propertiesOf(managed, 'user').reports.items.validate = false;
    })));
    client.create('user', 'bjensen', { userName: 'bjensen' });
    client.create('user', 'scarter', { userName: 'scarter' });
    client.create('user', 'psmith', { userName: 'psmith', manager: { _ref: 'managed/user/scarter' } });
    client.ok(client.post('managed/user/bjensen/reports', { _ref: 'managed/user/psmith' }), 201);
    assert.deepEqual(refsOf(client.ok(client.get('managed/user/psmith', { _fields: 'manager' })).manager), ['managed/user/scarter'], 'a singleton shows its first edge');
    assert.equal(client.sim.snapshot().edges.filter((e) => e.to.ref === 'managed/user/psmith' || e.from.ref === 'managed/user/psmith').length, 2);
  });

  it('refuses a _ref outside the relationship\'s resourceCollection (400); no resourceCollection accepts any _ref', () => {
    const client = new Client(start(editedForgeops((managed) => {
      propertiesOf(managed, 'user').accounts = { type: 'array', items: { type: 'relationship', validate: false } };
    })));
    client.create('role', 'admin', { name: 'admin' });
    client.create('user', 'psmith', { userName: 'psmith' });
    const before = stateOf(client.sim);
    refused(client, client.put('managed/user/psmith/manager', { _ref: 'managed/role/admin' }), 400, /resource collection.*manager.*managed\/user/, before);
    refused(client, client.post('managed/user/psmith/roles', { _ref: 'managed/user/psmith' }), 400, /accepted: managed\/role/, before);
    client.ok(client.post('managed/user/psmith/accounts', { _ref: 'system/ldap/account/uid=psmith' }), 201);
    client.ok(client.post('managed/user/psmith/accounts', { _ref: 'managed/role/admin' }), 201);
    assert.deepEqual(refsOf(client.ok(client.get('managed/user/psmith', { _fields: 'accounts' })).accounts), ['system/ldap/account/uid=psmith', 'managed/role/admin']);
    assert.deepEqual(client.ok(client.get('managed/role/admin', { _fields: 'members' })).members, [], 'one-way: the role does not point back');
  });

  it('refuses malformed references', () => {
    const client = new Client(start());
    client.create('user', 'psmith', { userName: 'psmith' });
    const before = stateOf(client.sim);
    refused(client, client.put('managed/user/psmith', { userName: 'psmith', manager: [{ _ref: 'managed/user/psmith' }] }), 400, /is invalid as a relationship reference/, before);
    refused(client, client.put('managed/user/psmith', { userName: 'psmith', roles: { _ref: 'managed/role/x' } }), 400, /array/, before);
    refused(client, client.post('managed/user/psmith/roles', { name: 'x' }), 400, /no _ref/, before);
    refused(client, client.post('managed/user/psmith/roles', { _ref: 'nonsense' }), 400, /invalid as a relationship reference/, before);
    refused(client, client.post('managed/user/psmith/roles', { _ref: 'managed/role/x', _refProperties: 'x' }), 400, /_refProperties/, before);
    refused(client, client.post('managed/user/psmith/roles', { _ref: 'managed/role/x', _refProperties: { temporalConstraints: [{ duration: 'a' }, { duration: 'b' }] } }), 400,
      'Only 1 temporal constraint is supported per grant.', before);
  });
});

describe('broken reverse pairs show the edge on one side only', () => {
  // The edge row records the origin's reversePropertyName; only a reverse relationship field naming the
  // origin field reads the far end of a row (RelationshipProvider.formatResponseNoException).
  it('a reverse property that names another field: the role never shows the user', () => {
    const client = new Client(start(editedForgeops((managed) => {
      propertiesOf(managed, 'role').members.items.reversePropertyName = 'roleHolders';
    })));
    client.create('role', 'admin', { name: 'admin' });
    client.create('user', 'psmith', { userName: 'psmith', roles: [{ _ref: 'managed/role/admin' }] });
    assert.deepEqual(refsOf(client.ok(client.get('managed/user/psmith', { _fields: 'roles' })).roles), ['managed/role/admin']);
    assert.deepEqual(client.ok(client.get('managed/role/admin', { _fields: 'members' })).members, []);
    // And the other way: added through the role, the edge records `roleHolders`, which users do not have.
    client.create('user', 'jdoe', { userName: 'jdoe' });
    client.ok(client.post('managed/role/admin/members', { _ref: 'managed/user/jdoe' }), 201);
    assert.deepEqual(refsOf(client.ok(client.get('managed/role/admin', { _fields: 'members' })).members), ['managed/user/jdoe']);
    assert.deepEqual(client.ok(client.get('managed/user/jdoe', { _fields: 'roles' })).roles, []);
    const edges = client.sim.snapshot().edges;
    assert.deepEqual(edges.map((e) => [e.from.ref, e.to.property, e.oneSided]), [
      ['managed/user/psmith', undefined, true],
      ['managed/role/admin', undefined, true],
    ]);
  });

  it('a reverse property missing on the target: the manager never shows the report', () => {
    const client = new Client(start(editedForgeops((managed) => {
      delete propertiesOf(managed, 'user').reports;
    })));
    client.create('user', 'bjensen', { userName: 'bjensen' });
    client.create('user', 'psmith', { userName: 'psmith', manager: { _ref: 'managed/user/bjensen' } });
    assert.deepEqual(refsOf(client.ok(client.get('managed/user/psmith', { _fields: 'manager' })).manager), ['managed/user/bjensen']);
    assert.equal('reports' in client.ok(client.get('managed/user/bjensen', { _fields: '*_ref' })), false);
    assert.equal(client.sim.snapshot().edges[0].oneSided, true);
  });
});
