/**
 * `notifications` of a response is built from the compact trace when first read: it must behave as a plain
 * enumerable property (serialised, compared, spread, reassigned) and list every notified object.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { SimRequest } from '../../../../server/src/core/simulator/types';
import { start } from './helpers';

const put = (path: string, body: unknown): SimRequest => ({ method: 'PUT', path, query: {}, headers: { 'If-None-Match': '*' }, body });

describe('response notifications', () => {
  it('lists every member a role change notifies, and reads as an ordinary property', () => {
    const sim = start();
    const members = Array.from({ length: 50 }, (_, i) => `u${i}`);
    for (const id of members) assert.equal(sim.handle(put(`managed/user/${id}`, { userName: id, sn: id })).status, 201);
    assert.equal(sim.handle(put('managed/role/everyone', { name: 'everyone', members: members.map((id) => ({ _ref: `managed/user/${id}` })) })).status, 201);
    assert.equal(sim.handle(put('managed/assignment/vpn', { name: 'vpn', mapping: 'm' })).status, 201);
    const response = sim.handle({ method: 'POST', path: 'managed/role/everyone/assignments', query: {}, headers: {}, body: { _ref: 'managed/assignment/vpn' } });
    assert.equal(response.status, 201);

    assert.ok(Object.keys(response).includes('notifications'));
    const viaMembers = response.notifications.filter((n) => n.reason === 'notifyRelationships' && n.via === 'members');
    assert.deepEqual(viaMembers.map((n) => n.object).sort(), members.map((id) => `managed/user/${id}`).sort());
    for (const n of viaMembers) {
      assert.equal(n.from, 'managed/role/everyone');
      assert.equal(n.depth, 2);
      assert.ok(n.recalculated?.includes('effectiveAssignments'));
    }
    assert.equal(response.notifications, response.notifications, 'built once');
    assert.deepEqual(JSON.parse(JSON.stringify(response)).notifications, response.notifications);
    assert.deepEqual({ ...response }.notifications, response.notifications);
    response.notifications = [];
    assert.deepEqual(response.notifications, []);
  });

  it('is an empty list when a request notifies nobody', () => {
    const sim = start();
    const response = sim.handle({ method: 'GET', path: 'managed/user', query: { _queryFilter: 'true' }, headers: {} });
    assert.deepEqual(response.notifications, []);
  });
});
