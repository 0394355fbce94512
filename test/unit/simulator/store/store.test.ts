/**
 * The store's edge index over edge handles: creation order through removals, each edge once per
 * object, rollback, and handles of removed edges staying readable until the transaction commits.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { NO_PROPERTY } from '../../../../server/src/core/simulator/store/edgeTable';
import { newRecord, Store, type Edge } from '../../../../server/src/core/simulator/store/store';
import { addObject as object } from './storeObjects';

/** The live edges of (key, property), by seq. */
function seqsAt(store: Store, key: string, property: string): number[] {
  return store.edgesAt(key, property).map((edge) => store.edges.seq(edge));
}

describe('Store edge index', () => {
  it('indexes an edge at both ends and finds its end records', () => {
    const store = new Store();
    const user = object(store, 'managed/user/u');
    const role = object(store, 'managed/role/r');
    const edge = store.addEdge(10, 11, user, 'roles', role, 'members', undefined);
    assert.deepEqual(seqsAt(store, 'managed/user/u', 'roles'), [10]);
    assert.deepEqual(seqsAt(store, 'managed/role/r', 'members'), [10]);
    assert.equal(store.endRecord(edge, true), role);
    assert.equal(store.endRecord(edge, false), user);
    assert.equal(store.edgeCount, 1);
    store.removeObject(role);
    assert.equal(store.endRecord(edge, true), undefined, 'a removed object is no longer an end record');
    assert.equal(store.get('managed/role/r'), undefined);
  });

  it('keeps creation order through removals, compaction and edgeAt', () => {
    const store = new Store();
    const role = object(store, 'managed/role/r');
    const edges: Edge[] = [];
    for (let i = 0; i < 40; i++) edges.push(store.addEdge(100 + i, 1000 + i, object(store, `managed/user/u${i}`), 'roles', role, 'members', undefined));
    // Remove 30 of 40: holes outnumber edges, so the slot is compacted on the way.
    for (let i = 0; i < 40; i++) if (i % 4 !== 0) store.removeEdge(edges[i]);
    const expected = [100, 104, 108, 112, 116, 120, 124, 128, 132, 136];
    assert.deepEqual(seqsAt(store, 'managed/role/r', 'members'), expected);
    for (const seq of expected) assert.equal(store.edges.seq(store.edgeAt('managed/role/r', 'members', seq)!), seq);
    assert.equal(store.edgeAt('managed/role/r', 'members', 101), undefined);
    assert.equal(store.countAt('managed/role/r', 'members'), 10);
    // Removing a compacted slot's edges still finds them by position.
    store.removeEdge(edges[36]);
    assert.deepEqual(seqsAt(store, 'managed/role/r', 'members'), expected.filter((seq) => seq !== 136));
  });

  it('lists each edge of an object once, self-references included, in creation order', () => {
    const store = new Store();
    const a = object(store, 'managed/user/a');
    const b = object(store, 'managed/user/b');
    store.addEdge(5, 6, a, 'manager', b, 'reports', undefined);
    store.addEdge(3, 4, b, 'manager', a, 'reports', undefined);
    store.addEdge(7, 8, a, 'manager', a, 'reports', undefined); // self-reference in two slots of a
    store.addEdge(9, 10, a, 'friends', a, 'friends', undefined); // symmetric self-reference: one slot
    assert.deepEqual(store.edgesOf('managed/user/a').map((edge) => store.edges.seq(edge)), [3, 5, 7, 9]);
    assert.deepEqual([...store.allEdges()].map((edge) => store.edges.seq(edge)).sort((x, y) => x - y), [3, 5, 7, 9]);
  });

  it('rolls back a referential-integrity removal to the same index', () => {
    const store = new Store();
    const boss = object(store, 'managed/user/boss');
    const users = [0, 1, 2].map((i) => object(store, `managed/user/u${i}`));
    for (const [i, user] of users.entries()) store.addEdge(10 + i, 20 + i, user, 'manager', boss, 'reports', undefined);
    store.begin();
    const removed = store.removeEdgesOf('managed/user/boss');
    assert.deepEqual(removed.map((edge) => store.edges.seq(edge)), [10, 11, 12]);
    assert.equal(store.edgeCount, 0);
    assert.deepEqual(seqsAt(store, 'managed/user/u1', 'manager'), []);
    store.rollback();
    assert.equal(store.edgeCount, 3);
    assert.deepEqual(seqsAt(store, 'managed/user/boss', 'reports'), [10, 11, 12]);
    assert.deepEqual(seqsAt(store, 'managed/user/u1', 'manager'), [11]);
  });

  it('keeps a removed edge readable until commit, then reuses its handle', () => {
    const store = new Store();
    const a = object(store, 'managed/user/a');
    const b = object(store, 'managed/user/b');
    const edge = store.addEdge(1, 2, a, 'manager', b, 'reports', { note: 'kept' });
    store.begin();
    store.removeEdge(edge);
    const during = store.addEdge(3, 4, b, 'manager', a, 'reports', undefined);
    assert.notEqual(during, edge, 'not reused within the transaction that removed it');
    assert.deepEqual([store.edges.fromKey(edge), store.edges.refProperties(edge)], ['managed/user/a', { note: 'kept' }]);
    store.commit();
    const after = store.addEdge(5, 6, a, 'manager', b, 'reports', undefined);
    assert.equal(after, edge, 'reused once committed');
    assert.equal(store.edges.refProperties(after), undefined);
    assert.deepEqual(seqsAt(store, 'managed/user/a', 'manager'), [5]);
  });

  it('releases the handle of an edge whose creation is rolled back, and keeps removed ones after a rollback', () => {
    const store = new Store();
    const a = object(store, 'managed/user/a');
    const b = object(store, 'managed/user/b');
    const kept = store.addEdge(1, 2, a, 'manager', b, 'reports', undefined);
    store.begin();
    const created = store.addEdge(3, 4, b, 'manager', a, 'reports', undefined);
    store.removeEdge(kept);
    store.rollback();
    assert.deepEqual(seqsAt(store, 'managed/user/a', 'manager'), [1]);
    assert.deepEqual(seqsAt(store, 'managed/user/b', 'manager'), []);
    store.begin();
    store.commit();
    // The rolled-back creation's handle is free again; the edge whose removal was undone is not.
    const next = store.addEdge(5, 6, b, 'manager', a, 'reports', undefined);
    assert.equal(next, created);
    assert.equal(store.edges.seq(kept), 1);
  });

  it('moves an edge to new ends and back on rollback', () => {
    const store = new Store();
    const a = object(store, 'managed/user/a');
    const b = object(store, 'managed/user/b');
    const c = object(store, 'managed/user/c');
    const edge = store.addEdge(1, 2, a, 'manager', b, 'reports', undefined);
    store.begin();
    store.updateEdge(edge, { toKey: c.key, rev: 3 });
    assert.deepEqual(seqsAt(store, 'managed/user/b', 'reports'), []);
    assert.deepEqual(seqsAt(store, 'managed/user/c', 'reports'), [1]);
    assert.equal(store.endRecord(edge, true), c);
    store.rollback();
    assert.deepEqual(seqsAt(store, 'managed/user/b', 'reports'), [1]);
    assert.deepEqual(seqsAt(store, 'managed/user/c', 'reports'), []);
    assert.equal(store.edges.rev(edge), 2);
  });
});

describe('Store bulk loading (populate)', () => {
  /** Every edge with its data, and every list of every object, in order. */
  function dump(store: Store, keys: string[]): unknown {
    const table = store.edges;
    const edges = [...store.allEdges()].map((e) => [table.seq(e), table.rev(e), table.fromKey(e), table.fromProperty(e), table.toKey(e), table.toProperty(e), table.refProperties(e)]);
    const lists = keys.flatMap((key) => ['manager', 'reports', 'friends', 'pins', ''].map((property) => [key, property, seqsAt(store, key, property)]));
    return { edges, lists, count: store.edgeCount };
  }

  it('addEdgeById stores and indexes an edge as addEdge does, one-way, self and symmetric edges included', () => {
    const keys = ['managed/user/a', 'managed/user/b', 'managed/user/c'];
    const edges: Array<[from: number, fromProperty: string, to: number, toProperty: string | undefined]> = [
      [0, 'manager', 1, 'reports'], [2, 'manager', 1, 'reports'], [1, 'manager', 1, 'reports'], [0, 'friends', 0, 'friends'],
      [0, 'friends', 2, 'friends'], [2, 'pins', 0, undefined], [1, 'pins', 0, undefined],
    ];
    const reference = new Store();
    const bulk = new Store();
    const referenceObjects = keys.map((key) => object(reference, key));
    const bulkObjects = keys.map((key) => object(bulk, key));
    for (const [i, [from, fromProperty, to, toProperty]] of edges.entries()) {
      reference.addEdge(10 + i, 20 + i, referenceObjects[from], fromProperty, referenceObjects[to], toProperty, undefined);
      const toPropertyId = toProperty === undefined ? NO_PROPERTY : bulk.names.intern(toProperty);
      bulk.addEdgeById(10 + i, 20 + i, bulkObjects[from], bulk.names.intern(fromProperty), bulkObjects[to], toPropertyId);
    }
    assert.deepEqual(dump(bulk, keys), dump(reference, keys));
    // Journaled like addEdge: a rollback takes the edge away.
    const before = dump(bulk, keys);
    bulk.begin();
    bulk.addEdgeById(50, 51, bulkObjects[2], bulk.names.intern('manager'), bulkObjects[0], bulk.names.intern('reports'));
    assert.deepEqual(seqsAt(bulk, keys[0], 'reports'), [50]);
    bulk.rollback();
    assert.deepEqual(dump(bulk, keys), before);
  });

  it('addObjectIfAbsent stores an object unless a stored one has its key', () => {
    const store = new Store();
    const first = newRecord('managed/user', 'u', 'managed/user/u', 1, {});
    assert.equal(store.addObjectIfAbsent(first), true);
    const again = newRecord('managed/user', 'u', 'managed/user/u', 2, {});
    assert.equal(store.addObjectIfAbsent(again), false);
    assert.equal(store.get('managed/user/u'), first);
    assert.equal(again.alive, false);
    assert.equal(store.collection('managed/user')?.size, 1);
    // A key only referenced (a dangling edge interned it) is free, and the edge now reaches the object.
    const edge = store.addEdge(1, 1, first, 'manager', 'managed/user/later', 'reports', undefined);
    const later = newRecord('managed/user', 'later', 'managed/user/later', 3, {});
    assert.equal(store.addObjectIfAbsent(later), true);
    assert.equal(store.endRecord(edge, true), later);
    assert.ok(later.order > first.order);
    // Journaled like addObject.
    store.begin();
    assert.equal(store.addObjectIfAbsent(newRecord('managed/user', 'x', 'managed/user/x', 4, {})), true);
    store.rollback();
    assert.equal(store.get('managed/user/x'), undefined);
    assert.deepEqual([...store.collection('managed/user')!.keys()], ['u', 'later']);
  });
});
