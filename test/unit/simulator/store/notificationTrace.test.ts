/** The compact notification trace: rows come back as the Notification objects they record, in order. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { Interner } from '../../../../server/src/core/simulator/store/interner';
import { NotificationTrace } from '../../../../server/src/core/simulator/store/notificationTrace';

describe('NotificationTrace', () => {
  it('formats every row with its reason, field, origin, depth and recalculated names', () => {
    const keys = new Interner();
    const names = new Interner();
    const trace = new NotificationTrace(keys, names);
    const userNames = ['effectiveRoles', 'effectiveAssignments'];
    const a = trace.add(keys.intern('managed/user/a'), 'notifySelf', names.intern('roles'), keys.intern('managed/user/a'), 1);
    trace.add(keys.intern('managed/role/r'), 'notify', names.intern('members'), keys.intern('managed/user/a'), 1);
    const c = trace.add(keys.intern('managed/user/b'), 'notifyRelationships', names.intern('members'), keys.intern('managed/role/r'), 2);
    trace.setRecalculated(a, userNames);
    trace.setRecalculated(c, userNames);
    assert.equal(trace.size, 3);
    const notifications = trace.toArray();
    assert.deepEqual(notifications, [
      { object: 'managed/user/a', reason: 'notifySelf', via: 'roles', from: 'managed/user/a', depth: 1, recalculated: userNames },
      { object: 'managed/role/r', reason: 'notify', via: 'members', from: 'managed/user/a', depth: 1 },
      { object: 'managed/user/b', reason: 'notifyRelationships', via: 'members', from: 'managed/role/r', depth: 2, recalculated: userNames },
    ]);
    assert.ok(!('recalculated' in notifications[1]), 'no recalculated key when nothing was recalculated');
    // Lists of names are shared, as the engine shares them per type.
    assert.equal(notifications[0].recalculated, notifications[2].recalculated);
  });

  it('keeps every row when it grows', () => {
    const keys = new Interner();
    const names = new Interner();
    const trace = new NotificationTrace(keys, names);
    const via = names.intern('members');
    const from = keys.intern('managed/role/everyone');
    for (let i = 0; i < 1000; i++) trace.add(keys.intern(`managed/user/${i}`), 'notifyRelationships', via, from, 1 + (i % 3));
    const notifications = trace.toArray();
    assert.equal(notifications.length, 1000);
    notifications.forEach((n, i) => {
      assert.equal(n.object, `managed/user/${i}`);
      assert.equal(n.depth, 1 + (i % 3));
      assert.equal(n.from, 'managed/role/everyone');
    });
  });
});
