/**
 * Random request sequences (fast-check): a failed request changes nothing (objects, edges on either side,
 * revisions, audit, and the ids handed out next), and after every request both sides of each
 * bidirectional relationship agree and singletons hold at most one reference.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { SimRequest } from '../../../../server/src/core/simulator/types';
import { Client, refsOf, start, stateOf } from './helpers';

const USERS = ['u1', 'u2', 'u3', 'u4'];
const ROLES = ['r1', 'r2', 'ghost'];

const user = fc.constantFrom(...USERS);
const role = fc.constantFrom(...ROLES);
const userRef = user.map((id) => ({ _ref: `managed/user/${id}` }));
const roleRef = role.map((id) => ({ _ref: `managed/role/${id}` }));

const request: fc.Arbitrary<SimRequest> = fc.oneof(
  fc.record({ id: user, manager: fc.option(userRef, { nil: undefined }), roles: fc.array(roleRef, { maxLength: 3 }) })
    .map(({ id, manager, roles }) => ({ method: 'PUT', path: `managed/user/${id}`, query: {}, headers: { 'If-None-Match': '*' }, body: { userName: id, manager, roles } })),
  fc.record({ id: role, members: fc.array(userRef, { maxLength: 3 }) })
    .map(({ id, members }) => ({ method: 'PUT', path: `managed/role/${id}`, query: {}, headers: {}, body: { name: id, members } })),
  fc.tuple(user, roleRef).map(([id, ref]) => ({ method: 'POST', path: `managed/user/${id}/roles`, query: {}, headers: {}, body: ref })),
  fc.tuple(role, userRef).map(([id, ref]) => ({ method: 'POST', path: `managed/role/${id}/members`, query: {}, headers: {}, body: ref })),
  fc.tuple(user, userRef).map(([id, ref]) => ({ method: 'PUT', path: `managed/user/${id}/manager`, query: {}, headers: {}, body: ref })),
  fc.tuple(user, userRef).map(([id, ref]) => ({ method: 'POST', path: `managed/user/${id}/reports`, query: {}, headers: {}, body: ref })),
  fc.tuple(user, fc.array(userRef, { maxLength: 3 })).map(([id, reports]) => ({ method: 'PATCH', path: `managed/user/${id}`, query: {}, headers: {}, body: [
    { operation: 'replace', field: '/sn', value: 'x' }, { operation: 'add', field: '/reports', value: reports },
  ] })),
  fc.tuple(user, roleRef).map(([id, ref]) => ({ method: 'PATCH', path: `managed/user/${id}`, query: {}, headers: {}, body: [{ operation: 'add', field: '/roles/-', value: ref }] })),
  fc.tuple(user, fc.nat(2)).map(([id, index]) => ({ method: 'PATCH', path: `managed/user/${id}`, query: {}, headers: {}, body: [{ operation: 'remove', field: `/roles/${index}` }] })),
  user.map((id) => ({ method: 'DELETE', path: `managed/user/${id}`, query: {}, headers: {} })),
  role.map((id) => ({ method: 'DELETE', path: `managed/role/${id}`, query: {}, headers: {} })),
  user.map((id) => ({ method: 'DELETE', path: `managed/user/${id}/manager`, query: {}, headers: {} })),
  user.map((id) => ({ method: 'PUT', path: `managed/user/${id}`, query: {}, headers: {}, bodyError: 'Unexpected end of JSON input' })),
);

/**
 * Both ends agree: user.roles <-> role.members and user.manager <-> user.reports, for references to objects that
 * exist (a PUT of an edge through its endpoint is not validated, so a reference may dangle; it then shows on one
 * side). A singleton may hold a second row to the object it already names (ReverseRelationshipValidator lets a
 * one-to-many POST through when the singleton points back), so pairs are compared as sets. Every stored edge
 * shows in some field.
 */
function checkConsistency(client: Client): void {
  const users = client.ok(client.get('managed/user', { _queryFilter: 'true', _fields: 'roles,manager,reports' })).result;
  const roles = client.ok(client.get('managed/role', { _queryFilter: 'true', _fields: 'members' })).result;
  const existing = new Set([...users.map((u: any) => `managed/user/${u._id}`), ...roles.map((r: any) => `managed/role/${r._id}`)]);
  const unique = (list: string[]) => [...new Set(list)].sort();
  const pairs = (list: any[], collection: string, field: string) =>
    unique(list.flatMap((o) => refsOf(o[field]).filter((ref) => existing.has(ref)).map((ref) => `${collection}/${o._id} ${ref}`)));
  const reversed = (list: any[], collection: string, field: string) =>
    unique(list.flatMap((o) => refsOf(o[field]).filter((ref) => existing.has(ref)).map((ref) => `${ref} ${collection}/${o._id}`)));
  assert.deepEqual(pairs(users, 'managed/user', 'roles'), reversed(roles, 'managed/role', 'members'), 'roles and members agree');
  assert.deepEqual(pairs(users, 'managed/user', 'manager'), reversed(users, 'managed/user', 'reports'), 'manager and reports agree');
  for (const u of users) assert.ok(u.manager === null || !Array.isArray(u.manager));
  const ids = (value: unknown) => (value === null || value === undefined ? [] : Array.isArray(value) ? value : [value]).map((ref: any) => ref._refProperties._id);
  const shown = new Set([...users.flatMap((u: any) => [...ids(u.roles), ...ids(u.manager), ...ids(u.reports)]), ...roles.flatMap((r: any) => ids(r.members))]);
  const stored = client.sim.snapshot().edges;
  assert.equal(new Set(stored.map((edge) => edge.id)).size, stored.length, 'each edge stored once');
  for (const edge of stored) {
    // A singleton shows its first edge only; a second row to the same object shows from the array side.
    assert.ok(shown.has(edge.id) || stored.some((other) => other !== edge && other.from.ref === edge.from.ref && other.from.property === edge.from.property), `edge ${edge.id} shows in some field`);
  }
}

describe('transactions', () => {
  it('a failed request leaves no trace, and both sides always agree', () => {
    const statuses = new Map<number, number>();
    fc.assert(fc.property(fc.array(request, { minLength: 1, maxLength: 25 }), (requests) => {
      const client = new Client(start());
      client.create('role', 'r1', { name: 'r1' });
      for (const r of requests) {
        const before = stateOf(client.sim);
        const response = client.sim.handle(r);
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        assert.ok(response.status < 500, JSON.stringify(response.body));
        if (response.status >= 400) {
          assert.equal(stateOf(client.sim), before, `${r.method} ${r.path} failed with ${response.status} but changed the state`);
          assert.deepEqual(response.notifications, []);
        }
        checkConsistency(client);
      }
      // Ids handed out after failures are those a run without the failures would hand out.
      const probe = client.post('managed/user', { userName: 'probe' });
      assert.equal(probe.status, 201);
    }), { numRuns: 150, seed: 20261123 });
    // The sequences did exercise refusals of every kind, not only successes.
    for (const status of [200, 201, 400, 404, 412]) assert.ok((statuses.get(status) ?? 0) > 10, `status ${status}: ${JSON.stringify([...statuses])}`);
  });

  it('ids after a failed request are the ids the request would have taken', () => {
    const a = new Client(start());
    const b = new Client(start());
    a.create('user', 'x', { userName: 'x' });
    b.create('user', 'x', { userName: 'x' });
    assert.equal(a.post('managed/user/x/roles', { _ref: 'managed/role/none' }).status, 400);
    assert.equal(a.post('managed/user', { userName: 'y', manager: { _ref: 'managed/user/none' } }).status, 400);
    assert.deepEqual(a.ok(a.post('managed/user', { userName: 'z' }), 201), b.ok(b.post('managed/user', { userName: 'z' }), 201));
  });
});
