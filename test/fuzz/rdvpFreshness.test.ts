/**
 * Notified objects hold what a full recalculation of their RDVPs gives. The simulator keeps an RDVP whose
 * inputs have not changed since it was calculated (ChangeStamps) instead of walking its paths again; if a
 * write path forgot to stamp, some notified object would keep a stale value. Random sequences of writes
 * on the IDM default schema (users, roles, assignments, organizations; edges made, moved and removed
 * through objects, endpoints and deletes; field edits that notify nobody; failing requests that roll back)
 * are checked after every request against a calculation from scratch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Simulator } from '../../server/src/core/simulator/engine';
import { jsonEqual } from '../../server/src/core/simulator/json';
import { FUZZ_TEST_OPTIONS, assertProperty } from './fuzzSettings';
import { baseObjects, internals, request, start, write } from './simulatorWrites';

/** RDVPs of `key` whose stored value differs from a calculation from scratch (outside a pass: no caches, no stamps). */
function staleVirtuals(simulator: Simulator, key: string): string[] {
  const { graph, virtuals } = internals(simulator);
  const record = graph.store.get(key);
  if (!record) return [];
  const stale: string[] = [];
  for (const virtual of graph.typeOf(record)?.virtuals ?? []) {
    if (!jsonEqual(record.fields[virtual.name], virtuals.compute(record, virtual))) stale.push(virtual.name);
  }
  return stale;
}

test('every notified object holds the RDVP values a calculation from scratch gives', FUZZ_TEST_OPTIONS, () => {
  let notified = 0;
  assertProperty('rdvp freshness', fc.property(fc.array(write, { minLength: 5, maxLength: 40 }), (requests) => {
    const simulator = start();
    for (const req of baseObjects()) assert.ok(simulator.handle(req).status < 300);
    for (const [i, req] of requests.entries()) {
      const response = simulator.handle(req);
      assert.notEqual(response.status, 500, JSON.stringify(response.body));
      for (const notification of response.notifications) {
        if (!notification.recalculated) continue;
        notified++;
        const stale = staleVirtuals(simulator, notification.object);
        assert.deepEqual(stale, [], `request ${i} (${req.method} ${req.path}) left ${notification.object} with stale ${stale.join(', ')}`);
      }
    }
  }), 200);
  assert.ok(notified > 800, `the sequences notified objects with RDVPs (${notified})`);
});

test('after populate, notified objects hold fresh RDVP values too (populate stamps the values it calculates)', () => {
  const populations: Array<Record<string, number>> = [{ user: 200, role: 10, assignment: 10 }, { user: 100, role: 5, assignment: 5, organization: 20 }];
  for (const counts of populations) {
    const simulator = start();
    simulator.populate(counts, { seed: 5, maxPerMany: 4 });
    const { graph } = internals(simulator);
    const role = [...graph.store.collection('managed/role')!.values()][0];
    const assignments = [...graph.store.collection('managed/assignment')!.values()];
    let checked = 0;
    for (const assignment of assignments.slice(0, 3)) {
      const response = simulator.handle(request('POST', `managed/role/${role.id}/assignments`, { _ref: assignment.key }));
      if (response.status !== 201) continue;
      for (const notification of response.notifications) {
        if (!notification.recalculated) continue;
        checked++;
        assert.deepEqual(staleVirtuals(simulator, notification.object), [], `${JSON.stringify(counts)}: ${notification.object}`);
      }
    }
    const org = graph.store.collection('managed/organization') && [...graph.store.collection('managed/organization')!.values()][0];
    if (org) {
      const user = [...graph.store.collection('managed/user')!.values()][0];
      const response = simulator.handle(request('POST', `managed/organization/${org.id}/admins`, { _ref: user.key }));
      for (const notification of response.notifications) if (notification.recalculated) assert.deepEqual(staleVirtuals(simulator, notification.object), [], notification.object);
    }
    assert.ok(checked > 0, `${JSON.stringify(counts)}: the role's members were notified`);
  }
});
