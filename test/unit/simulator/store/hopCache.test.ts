/**
 * The caches a pass over many objects relies on: VirtualCalculator's hop results (valid while the store's
 * links do not change, dropped when they do, released when the pass ends), the store's version, the
 * closure-free undo of field writes, and columns grown without zeroing.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { grown } from '../../../../server/src/core/simulator/store/columns';
import { auditLogOf } from '../../../../server/src/core/simulator/engine';
import { Graph } from '../../../../server/src/core/simulator/relationships';
import { IdSource } from '../../../../server/src/core/simulator/ids';
import { SimSchema } from '../../../../server/src/core/simulator/simSchema';
import { newRecord, Store, type ObjectRecord } from '../../../../server/src/core/simulator/store/store';
import { VirtualCalculator } from '../../../../server/src/core/simulator/virtuals';
import { forgeopsSchema } from '../engine/helpers';

function setup(): { graph: Graph; store: Store; virtuals: VirtualCalculator; object: (key: string) => ObjectRecord } {
  const compiled = SimSchema.compile(forgeopsSchema());
  assert.ok('schema' in compiled);
  const store = new Store();
  const ids = new IdSource(1);
  const graph = new Graph(compiled.schema, store, ids, auditLogOf(store, ids));
  const object = (key: string): ObjectRecord => {
    const slash = key.lastIndexOf('/');
    const record = newRecord(key.slice(0, slash), key.slice(slash + 1), key, graph.ids.next(), {});
    store.addObject(record);
    return record;
  };
  return { graph, store, virtuals: new VirtualCalculator(graph), object };
}

const ids = (value: unknown) => (value as Array<{ _id?: string; _refResourceId?: string }>).map((v) => v._id ?? v._refResourceId);

describe('VirtualCalculator hop cache', () => {
  it('keeps each holder\'s value apart while reusing its hop lists from holder to holder', () => {
    const { graph, store, virtuals, object } = setup();
    const roles = [0, 1, 2].map((i) => object(`managed/role/r${i}`));
    const assignments = [0, 1, 2, 3].map((i) => object(`managed/assignment/a${i}`));
    const link = (from: ObjectRecord, property: string, to: ObjectRecord, reverse: string) => store.addEdge(graph.ids.next(), graph.ids.next(), from, property, to, reverse, undefined);
    link(roles[0], 'assignments', assignments[0], 'roles');
    link(roles[0], 'assignments', assignments[1], 'roles');
    link(roles[1], 'assignments', assignments[1], 'roles');
    link(roles[1], 'assignments', assignments[2], 'roles');
    link(roles[2], 'assignments', assignments[3], 'roles');
    // Holders with many roles, none, one, then many again: the reused lists shrink and grow.
    const holders = [[0, 1, 2], [], [1], [2, 0], [0, 1]].map((held, i) => {
      const user = object(`managed/user/u${i}`);
      for (const r of held) link(user, 'roles', roles[r], 'members');
      return user;
    });
    const type = graph.typeOf(holders[0])!;
    const effectiveAssignments = type.virtuals.find((v) => v.name === 'effectiveAssignments')!;
    const effectiveRoles = type.virtuals.find((v) => v.name === 'effectiveRoles')!;
    const expected = [
      { roles: ['r0', 'r1', 'r2'], assignments: ['a0', 'a1', 'a2', 'a3'] },
      { roles: [], assignments: [] },
      { roles: ['r1'], assignments: ['a1', 'a2'] },
      { roles: ['r2', 'r0'], assignments: ['a3', 'a0', 'a1'] },
      { roles: ['r0', 'r1'], assignments: ['a0', 'a1', 'a2'] },
    ];
    const values = virtuals.withinPass(() => holders.map((holder) => ({
      roles: virtuals.compute(holder, effectiveRoles),
      assignments: virtuals.compute(holder, effectiveAssignments),
    })));
    // Read after the pass: no value may be a list the calculator went on to reuse.
    assert.deepEqual(values.map((value) => ({ roles: ids(value.roles), assignments: ids(value.assignments) })), expected);
    assert.deepEqual(holders.map((holder) => ids(virtuals.compute(holder, effectiveAssignments))), expected.map((e) => e.assignments));
  });

  it('sees an edge written within the same pass, through a cached intermediate hop and a cached holder hop', () => {
    const { graph, store, virtuals, object } = setup();
    const user = object('managed/user/u');
    const other = object('managed/user/o');
    const role = object('managed/role/r');
    const a1 = object('managed/assignment/a1');
    const a2 = object('managed/assignment/a2');
    const type = graph.typeOf(user)!;
    const effectiveAssignments = type.virtuals.find((v) => v.name === 'effectiveAssignments')!;
    const effectiveRoles = type.virtuals.find((v) => v.name === 'effectiveRoles')!;
    store.addEdge(graph.ids.next(), graph.ids.next(), user, 'roles', role, 'members', undefined);
    store.addEdge(graph.ids.next(), graph.ids.next(), other, 'roles', role, 'members', undefined);
    store.addEdge(graph.ids.next(), graph.ids.next(), role, 'assignments', a1, 'roles', undefined);
    virtuals.withinPass(() => {
      assert.deepEqual(ids(virtuals.compute(user, effectiveAssignments)), ['a1']);
      assert.deepEqual(ids(virtuals.compute(other, effectiveAssignments)), ['a1'], 'the role\'s cached hop serves the next holder');
      assert.equal(role.hopName, 'assignments');
      // A write within the pass: the role gets a second assignment, the user a second role.
      store.addEdge(graph.ids.next(), graph.ids.next(), role, 'assignments', a2, 'roles', undefined);
      assert.deepEqual(ids(virtuals.compute(other, effectiveAssignments)), ['a1', 'a2']);
      const role2 = object('managed/role/r2');
      assert.deepEqual(ids(virtuals.compute(user, effectiveRoles)), ['r']);
      store.addEdge(graph.ids.next(), graph.ids.next(), user, 'roles', role2, 'members', undefined);
      assert.deepEqual(ids(virtuals.compute(user, effectiveRoles)), ['r', 'r2'], 'the holder\'s hop is not reused across a write');
      // An object removed within the pass is no longer reached.
      store.removeObject(a1);
      assert.deepEqual(ids(virtuals.compute(other, effectiveAssignments)), ['a2']);
    });
    assert.equal(role.hopReached, undefined, 'cached lists are released when the pass ends');
  });

  it('outside a pass, nothing is cached', () => {
    const { graph, store, virtuals, object } = setup();
    const user = object('managed/user/u');
    const role = object('managed/role/r');
    const assignment = object('managed/assignment/a');
    store.addEdge(graph.ids.next(), graph.ids.next(), user, 'roles', role, 'members', undefined);
    store.addEdge(graph.ids.next(), graph.ids.next(), role, 'assignments', assignment, 'roles', undefined);
    const effectiveAssignments = graph.typeOf(user)!.virtuals.find((v) => v.name === 'effectiveAssignments')!;
    assert.deepEqual(ids(virtuals.compute(user, effectiveAssignments)), ['a']);
    assert.equal(role.hopReached, undefined);
  });

  it('returns the stored list itself when its elements are unchanged, a new list otherwise', () => {
    const { graph, store, virtuals, object } = setup();
    const user = object('managed/user/u');
    const role = object('managed/role/r');
    store.addEdge(graph.ids.next(), graph.ids.next(), user, 'roles', role, 'members', undefined);
    const effectiveRoles = graph.typeOf(user)!.virtuals.find((v) => v.name === 'effectiveRoles')!;
    const first = virtuals.compute(user, effectiveRoles);
    assert.equal(virtuals.compute(user, effectiveRoles, first), first);
    const role2 = object('managed/role/r2');
    store.addEdge(graph.ids.next(), graph.ids.next(), user, 'roles', role2, 'members', undefined);
    const second = virtuals.compute(user, effectiveRoles, first);
    assert.notEqual(second, first);
    assert.deepEqual(ids(second), ['r', 'r2']);
    assert.deepEqual(ids(first), ['r'], 'the stored list is never modified');
  });
});

describe('RDVP lists shared within a pass', () => {
  it('gives a holder the list the previous holder got when it holds the same views, and its own otherwise', () => {
    const { graph, store, virtuals, object } = setup();
    const r1 = object('managed/role/r1');
    const r2 = object('managed/role/r2');
    const holders = [[r1], [r1], [r2], [r1, r2]].map((held, i) => {
      const user = object(`managed/user/u${i}`);
      for (const role of held) store.addEdge(graph.ids.next(), graph.ids.next(), user, 'roles', role, 'members', undefined);
      return user;
    });
    const effectiveRoles = graph.typeOf(holders[0])!.virtuals.find((v) => v.name === 'effectiveRoles')!;
    const [a, b, c, d] = virtuals.withinPass(() => holders.map((holder) => virtuals.compute(holder, effectiveRoles)));
    assert.equal(a, b, 'the same roles: one list');
    assert.deepEqual([ids(c), ids(d)], [['r2'], ['r1', 'r2']]);
    const outside = virtuals.compute(holders[1], effectiveRoles);
    assert.notEqual(outside, a, 'nothing is shared outside a pass, nor from one pass to the next');
    assert.deepEqual(ids(outside), ['r1']);
  });
});

describe('RDVPs kept by change stamps', () => {
  const roleIds = (value: unknown) => ids(value).join(',');

  it('keeps an RDVP nothing has changed under, and recalculates one whose slots or documents changed', () => {
    const { graph, store, virtuals, object } = setup();
    const user = object('managed/user/u');
    const role = object('managed/role/r');
    const assignment = object('managed/assignment/a');
    store.addEdge(graph.ids.next(), graph.ids.next(), user, 'roles', role, 'members', undefined);
    const type = graph.typeOf(user)!;
    virtuals.recalculate(user, type);
    const roles = user.fields.effectiveRoles;
    assert.equal(roleIds(roles), 'r');
    store.addEdge(graph.ids.next(), graph.ids.next(), role, 'assignments', assignment, 'roles', undefined);
    const rev = user.rev;
    virtuals.recalculate(user, type);
    assert.equal(user.fields.effectiveRoles, roles, 'effectiveRoles reads no slot that changed');
    assert.deepEqual(ids(user.fields.effectiveAssignments), ['a']);
    assert.notEqual(user.rev, rev);
    store.setField(assignment, 'description', 'new', graph.ids.next());
    virtuals.recalculate(user, type);
    assert.equal((user.fields.effectiveAssignments as Array<Record<string, unknown>>)[0].description, 'new', 'a document the RDVP reads changed');
  });

  it('recalculates after a rollback, which may have brought back a value older than its stamp says', () => {
    const { graph, store, virtuals, object } = setup();
    const user = object('managed/user/u');
    const role = object('managed/role/r');
    const role2 = object('managed/role/r2');
    const type = graph.typeOf(user)!;
    store.addEdge(graph.ids.next(), graph.ids.next(), user, 'roles', role, 'members', undefined);
    virtuals.recalculate(user, type);
    // A change nobody is notified of: the stored value is stale from here on.
    store.addEdge(graph.ids.next(), graph.ids.next(), user, 'roles', role2, 'members', undefined);
    store.begin();
    virtuals.recalculate(user, type);
    assert.equal(roleIds(user.fields.effectiveRoles), 'r,r2');
    store.rollback();
    assert.equal(roleIds(user.fields.effectiveRoles), 'r', 'the rollback restored the stale value');
    virtuals.recalculate(user, type);
    assert.equal(roleIds(user.fields.effectiveRoles), 'r,r2', 'and the next notification refreshes it');
  });

  it('recalculates after an object named by a dangling reference comes into existence', () => {
    const { graph, store, virtuals, object } = setup();
    const user = object('managed/user/u');
    const type = graph.typeOf(user)!;
    store.addEdge(graph.ids.next(), graph.ids.next(), user, 'roles', 'managed/role/later', 'members', undefined);
    virtuals.recalculate(user, type);
    assert.equal(roleIds(user.fields.effectiveRoles), '');
    object('managed/role/later');
    virtuals.recalculate(user, type);
    assert.equal(roleIds(user.fields.effectiveRoles), 'later');
  });
});

describe('Store version and field writes', () => {
  it('changes with every edge or object change, rollbacks included, and not with field writes', () => {
    const { graph, store, object } = setup();
    const user = object('managed/user/u');
    const role = object('managed/role/r');
    let version = store.version;
    const changed = () => { const now = store.version; const moved = now !== version; version = now; return moved; };
    store.begin();
    const edge = store.addEdge(graph.ids.next(), graph.ids.next(), user, 'roles', role, 'members', undefined);
    assert.ok(changed(), 'addEdge');
    store.setFields(user, { sn: 'x' }, graph.ids.next());
    assert.ok(!changed(), 'a field write reaches nothing new');
    store.removeEdge(edge);
    assert.ok(changed(), 'removeEdge');
    store.rollback();
    assert.ok(changed(), 'rollback');
    store.removeObject(role);
    assert.ok(changed(), 'removeObject');
  });

  it('rolls back several field writes, of the same object too, newest first', () => {
    const { store, object } = setup();
    const user = object('managed/user/u');
    const other = object('managed/user/o');
    const original = user.fields;
    const originalRev = user.rev;
    store.begin();
    store.setFields(user, { sn: 'a' }, 100);
    store.setFields(other, { sn: 'b' }, 101);
    store.setFields(user, { sn: 'c' });
    assert.equal(user.rev, 100);
    store.rollback();
    assert.equal(user.fields, original);
    assert.equal(user.rev, originalRev);
    assert.deepEqual(other.fields, {});
    // A committed write stays, and the next transaction's rollback does not reach it.
    store.begin();
    store.setFields(user, { sn: 'kept' }, 200);
    store.commit();
    store.begin();
    store.setFields(user, { sn: 'undone' }, 201);
    store.rollback();
    assert.deepEqual(user.fields, { sn: 'kept' });
    assert.equal(user.rev, 200);
  });

  it('rolls back runs of in-place field writes between edge changes, in order', () => {
    const { graph, store, object } = setup();
    const user = object('managed/user/u');
    const role = object('managed/role/r');
    store.setFields(user, { sn: 'start' }, 10);
    store.begin();
    store.setField(user, 'effectiveRoles', ['one'], 11);
    store.setField(user, 'sn', 'two', 12);
    store.addEdge(graph.ids.next(), graph.ids.next(), user, 'roles', role, 'members', undefined);
    store.setField(user, 'effectiveRoles', ['three'], 13);
    store.setFields(user, { sn: 'four' }, 14);
    store.setField(user, 'sn', 'five', 15);
    store.rollback();
    assert.deepEqual(user.fields, { sn: 'start' }, 'a field that did not exist is gone again');
    assert.equal(user.rev, 10);
    assert.equal(store.countAt(user.key, 'roles'), 0);
  });
});

describe('grown columns', () => {
  it('keep their rows and type, with room for more', () => {
    const ints = grown(Int32Array.from([1, -2, 3]), 8);
    assert.ok(ints instanceof Int32Array);
    assert.equal(ints.length, 8);
    assert.deepEqual([...ints.subarray(0, 3)], [1, -2, 3]);
    const doubles = grown(Float64Array.from([2 ** 40 + 0.5]), 4);
    assert.ok(doubles instanceof Float64Array);
    assert.equal(doubles[0], 2 ** 40 + 0.5);
    const bytes = grown(Uint8Array.from([255]), 3);
    assert.equal(bytes.constructor, Uint8Array, 'a plain Uint8Array, not the Buffer it was made from');
    assert.equal(bytes[0], 255);
  });
});
