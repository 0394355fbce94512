/** Referential integrity on delete, and the audit log of every relationship change. */
import { beforeEach, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { EdgeAuditEntry } from '../../../../server/src/core/simulator/engine';
import { Client, entitlementsSchema, refsOf, start } from './helpers';

function edgeEntries(client: Client): EdgeAuditEntry[] {
  return client.sim.audit.entries().filter((entry): entry is EdgeAuditEntry => entry.kind === 'relationship');
}

describe('referential integrity', () => {
  let client: Client;
  beforeEach(() => {
    client = new Client(start());
    client.create('role', 'admin', { name: 'admin' });
    client.create('user', 'bjensen', { userName: 'bjensen', roles: [{ _ref: 'managed/role/admin' }] });
    client.create('user', 'psmith', { userName: 'psmith', manager: { _ref: 'managed/user/bjensen' }, roles: [{ _ref: 'managed/role/admin' }] });
    client.create('user', 'jdoe', { userName: 'jdoe', manager: { _ref: 'managed/user/bjensen' } });
  });

  it('deleting an object removes every edge referencing it, on both sides', () => {
    client.ok(client.delete('managed/user/bjensen'));
    assert.equal(client.ok(client.get('managed/user/psmith', { _fields: 'manager' })).manager, null);
    assert.equal(client.ok(client.get('managed/user/jdoe', { _fields: 'manager' })).manager, null);
    assert.deepEqual(refsOf(client.ok(client.get('managed/role/admin', { _fields: 'members' })).members), ['managed/user/psmith']);
    assert.ok(client.sim.snapshot().edges.every((edge) => edge.from.ref !== 'managed/user/bjensen' && edge.to.ref !== 'managed/user/bjensen'));
    // Recreating bjensen does not bring old edges back.
    client.create('user', 'bjensen', { userName: 'bjensen' });
    assert.deepEqual(client.ok(client.get('managed/user/bjensen', { _fields: 'reports,roles' })), { _id: 'bjensen', _rev: client.ok(client.get('managed/user/bjensen'))._rev, reports: [], roles: [] });
  });

  it('leaves one-way references pointing at the deleted object, dangling (the server clears only the fields of the deleted object)', () => {
    // PeteAzwork: Customer.Arrangements is a one-way relationship to managed/Arrangement. ManagedObjectSet.deleteInstance
    // clears the deleted object's own relationship providers; an Arrangement has no field that shows this row.
    const c = new Client(start(entitlementsSchema()));
    c.create('Arrangement', 'a1', { ID: 'a1' });
    c.create('Arrangement', 'a2', { ID: 'a2' });
    c.create('Customer', 'c1', { ID: 'c1', Arrangements: [{ _ref: 'managed/Arrangement/a1' }, { _ref: 'managed/Arrangement/a2' }] });
    c.ok(c.delete('managed/Arrangement/a1'));
    assert.deepEqual(refsOf(c.ok(c.get('managed/Customer/c1', { _fields: 'Arrangements' })).Arrangements), ['managed/Arrangement/a1', 'managed/Arrangement/a2']);
    assert.deepEqual(c.sim.snapshot().edges.map((edge) => edge.dangling), [true, false]);
    // Deleting the customer clears its own field: both rows go.
    c.ok(c.delete('managed/Customer/c1'));
    assert.equal(c.sim.snapshot().edges.length, 0);
  });
});

describe('audit', () => {
  it('records every relationship change with its cause, the request, both ends and the previous state of updates', () => {
    const client = new Client(start());
    client.create('user', 'bjensen', { userName: 'bjensen' });
    client.create('user', 'scarter', { userName: 'scarter' });
    client.create('user', 'psmith', { userName: 'psmith', manager: { _ref: 'managed/user/bjensen' } });
    const created = edgeEntries(client);
    assert.equal(created.length, 1);
    assert.deepEqual({ ...created[0], edgeId: undefined, rev: undefined }, {
      kind: 'relationship', seq: 1, operation: 'create', cause: 'request', request: 'PUT managed/user/psmith',
      edgeId: undefined, rev: undefined,
      from: { ref: 'managed/user/psmith', property: 'manager' }, to: { ref: 'managed/user/bjensen', property: 'reports' },
      refProperties: {},
    });

    client.ok(client.put('managed/user/psmith/manager', { _ref: 'managed/user/scarter' }));
    const update = edgeEntries(client)[1];
    assert.equal(update.operation, 'update');
    assert.equal(update.edgeId, created[0].edgeId);
    assert.deepEqual(update.previous?.to, { ref: 'managed/user/bjensen', property: 'reports' });
    assert.deepEqual(update.to, { ref: 'managed/user/scarter', property: 'reports' });
    assert.equal(update.previous?.rev, created[0].rev);

    client.ok(client.delete('managed/user/scarter'));
    const integrity = edgeEntries(client)[2];
    assert.equal(integrity.operation, 'delete');
    assert.equal(integrity.cause, 'referential-integrity');
    assert.equal(integrity.request, 'DELETE managed/user/scarter');

    // Failed requests leave no audit entry; reads add none.
    const length = client.sim.audit.length;
    assert.equal(client.post('managed/user/psmith/roles', { _ref: 'managed/role/none' }).status, 400);
    client.get('managed/user/psmith', { _fields: 'manager' });
    assert.equal(client.sim.audit.length, length);
  });

  it('audits relationship changes whatever the notification settings (manager notifies nobody)', () => {
    // "Auditing is not tied to relationship change notification and is always triggered when a relationship changes"
    const client = new Client(start());
    client.create('user', 'bjensen', { userName: 'bjensen' });
    const response = client.put('managed/user/psmith', { userName: 'psmith', manager: { _ref: 'managed/user/bjensen' } }, { 'If-None-Match': '*' });
    assert.deepEqual(response.notifications, []);
    assert.equal(edgeEntries(client).length, 1);
  });
});
