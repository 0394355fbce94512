/**
 * The store's index as linked lists in typed-array columns (Adjacency): creation order whatever order ends
 * are linked in (edge moves, rollbacks re-adding edges newest first or oldest first), self-references in one
 * or two slots, slots dropped when empty and reused, and an object's slots detached at once by a
 * referential-integrity removal and given back by a rollback. Each list is checked in both directions.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { NO_EDGE, NO_SLOT, Store, type Edge } from '../../../../server/src/core/simulator/store/store';
import { addObject as object } from './storeObjects';

/** The seqs of (key, property) walked forward, after checking the backward links give the same list. */
function seqsAt(store: Store, key: string, property: string): number[] {
  const table = store.edges;
  const slot = store.slotOf(key, property);
  const forward: Edge[] = [];
  for (let edge = store.firstIn(slot); edge !== NO_EDGE; edge = table.nextIn(edge, slot)) forward.push(edge);
  const backward: Edge[] = [];
  let edge = forward[forward.length - 1] ?? NO_EDGE;
  while (edge !== NO_EDGE) {
    backward.unshift(edge);
    edge = table.prevOf(edge, table.slotOf(edge, true) === slot);
  }
  assert.deepEqual(backward, forward, `backward links of ${key} ${property}`);
  assert.equal(store.countAt(key, property), forward.length);
  return forward.map((e) => table.seq(e));
}

describe('Store adjacency lists', () => {
  it('keeps creation order when a rollback re-adds removed edges newest first', () => {
    const store = new Store();
    const role = object(store, 'managed/role/r');
    const edges: Edge[] = [];
    for (let i = 0; i < 30; i++) edges.push(store.addEdge(100 + i, 1, object(store, `managed/user/u${i}`), 'roles', role, 'members', undefined));
    store.begin();
    for (let i = 5; i < 25; i++) store.removeEdge(edges[i]);
    assert.deepEqual(seqsAt(store, role.key, 'members'), [100, 101, 102, 103, 104, 125, 126, 127, 128, 129]);
    store.rollback();
    assert.deepEqual(seqsAt(store, role.key, 'members'), edges.map((_, i) => 100 + i));
    assert.deepEqual(seqsAt(store, 'managed/user/u7', 'roles'), [107]);
  });

  it('keeps creation order when a rollback re-adds removed edges oldest first, and after alternate removals', () => {
    const store = new Store();
    const role = object(store, 'managed/role/r');
    const edges: Edge[] = [];
    for (let i = 0; i < 20; i++) edges.push(store.addEdge(100 + i, 1, object(store, `managed/user/u${i}`), 'roles', role, 'members', undefined));
    store.begin();
    // Removed newest first, so the rollback re-adds them oldest first, into the middle of the list.
    for (let i = 15; i >= 3; i--) store.removeEdge(edges[i]);
    store.rollback();
    assert.deepEqual(seqsAt(store, role.key, 'members'), edges.map((_, i) => 100 + i));
    store.begin();
    for (let i = 0; i < 20; i += 2) store.removeEdge(edges[i]);
    store.commit();
    assert.deepEqual(seqsAt(store, role.key, 'members'), [101, 103, 105, 107, 109, 111, 113, 115, 117, 119]);
    assert.equal(store.edgeAt(role.key, 'members', 107), edges[7]);
    assert.equal(store.edgeAt(role.key, 'members', 108), undefined);
  });

  it('places a moved edge by its creation, not by the time of the move', () => {
    const store = new Store();
    const [a, b, c] = ['a', 'b', 'c'].map((id) => object(store, `managed/user/${id}`));
    const old = store.addEdge(1, 1, a, 'manager', b, 'reports', undefined);
    store.addEdge(5, 1, c, 'manager', b, 'reports', undefined);
    const other = store.addEdge(3, 1, b, 'manager', c, 'reports', undefined);
    store.begin();
    store.updateEdge(old, { toKey: c.key });
    assert.deepEqual(seqsAt(store, b.key, 'reports'), [5]);
    assert.deepEqual(seqsAt(store, c.key, 'reports'), [1, 3]);
    store.updateEdge(other, { fromKey: a.key, toKey: b.key });
    assert.deepEqual(seqsAt(store, a.key, 'manager'), [1, 3]);
    assert.deepEqual(seqsAt(store, b.key, 'manager'), []);
    assert.equal(store.slotOf(b.key, 'manager'), NO_SLOT);
    store.rollback();
    assert.deepEqual(seqsAt(store, a.key, 'manager'), [1]);
    assert.deepEqual(seqsAt(store, b.key, 'manager'), [3]);
    assert.deepEqual(seqsAt(store, b.key, 'reports'), [1, 5]);
    assert.deepEqual(seqsAt(store, c.key, 'reports'), [3]);
  });

  it('appends edges newer than the tail at the end, and still places older ones between them', () => {
    const store = new Store();
    const role = object(store, 'managed/role/r');
    // Runs in creation order (appended behind the tail) broken by older edges (placed by their seq).
    const order = [10, 20, 30, 5, 40, 25, 50, 1, 60, 26, 27, 70, 2];
    for (const seq of order) store.addEdge(seq, 1, object(store, `managed/user/u${seq}`), 'roles', role, 'members', undefined);
    assert.deepEqual(seqsAt(store, role.key, 'members'), [...order].sort((a, b) => a - b));
    // Behind a tail that is the referenced end of a self-reference (the end whose links the append updates).
    const a = object(store, 'managed/user/a');
    store.addEdge(100, 1, a, 'manager', a, 'reports', undefined);
    store.addEdge(101, 1, object(store, 'managed/user/b'), 'manager', a, 'reports', undefined);
    store.addEdge(99, 1, object(store, 'managed/user/c'), 'manager', a, 'reports', undefined);
    store.addEdge(102, 1, a, 'manager', a, 'reports', undefined);
    assert.deepEqual(seqsAt(store, a.key, 'reports'), [99, 100, 101, 102]);
    assert.deepEqual(seqsAt(store, a.key, 'manager'), [100, 102]);
  });

  it('links a self-reference in two slots of one object, and a symmetric one once', () => {
    const store = new Store();
    const a = object(store, 'managed/user/a');
    const b = object(store, 'managed/user/b');
    store.addEdge(1, 1, b, 'manager', a, 'reports', undefined);
    const self = store.addEdge(2, 1, a, 'manager', a, 'reports', undefined);
    store.addEdge(3, 1, a, 'friends', a, 'friends', undefined);
    store.addEdge(4, 1, b, 'friends', a, 'friends', undefined);
    store.addEdge(5, 1, object(store, 'managed/user/c'), 'manager', a, 'reports', undefined);
    assert.deepEqual(seqsAt(store, a.key, 'reports'), [1, 2, 5]);
    assert.deepEqual(seqsAt(store, a.key, 'manager'), [2]);
    assert.deepEqual(seqsAt(store, a.key, 'friends'), [3, 4]);
    store.begin();
    store.removeEdge(self);
    assert.deepEqual(seqsAt(store, a.key, 'reports'), [1, 5]);
    assert.equal(store.slotOf(a.key, 'manager'), NO_SLOT);
    store.rollback();
    assert.deepEqual(seqsAt(store, a.key, 'reports'), [1, 2, 5]);
    assert.deepEqual(seqsAt(store, a.key, 'manager'), [2]);
    assert.deepEqual(store.edgesOf(a.key).map((e) => store.edges.seq(e)), [1, 2, 3, 4, 5]);
  });

  it('detaches an object\'s slots on removal, gives them back on rollback, and reuses them after a commit', () => {
    const store = new Store();
    const boss = object(store, 'managed/user/boss');
    const users = [0, 1, 2, 3].map((i) => object(store, `managed/user/u${i}`));
    for (const [i, user] of users.entries()) store.addEdge(10 + i, 1, user, 'manager', boss, 'reports', undefined);
    store.addEdge(20, 1, boss, 'manager', users[0], 'reports', undefined);
    store.addEdge(21, 1, boss, 'manager', boss, 'reports', undefined);
    store.addEdge(22, 1, boss, 'roles', 'managed/role/missing', undefined, undefined);
    const before = [...store.allEdges()].map((e) => store.edges.seq(e));
    store.begin();
    assert.deepEqual(store.removeEdgesOf(boss.key).map((e) => store.edges.seq(e)), [10, 11, 12, 13, 20, 21, 22]);
    assert.equal(store.slotOf(boss.key, 'reports'), NO_SLOT);
    assert.deepEqual(seqsAt(store, users[0].key, 'reports'), []);
    assert.deepEqual(seqsAt(store, 'managed/role/missing', ''), []);
    // Within the same transaction the object gets edges again; the rollback takes them away first.
    store.addEdge(30, 1, users[1], 'manager', boss, 'reports', undefined);
    assert.deepEqual(seqsAt(store, boss.key, 'reports'), [30]);
    store.rollback();
    assert.deepEqual([...store.allEdges()].map((e) => store.edges.seq(e)), before);
    assert.deepEqual(seqsAt(store, boss.key, 'reports'), [10, 11, 12, 13, 21]);
    assert.deepEqual(seqsAt(store, boss.key, 'manager'), [20, 21]);
    assert.deepEqual(seqsAt(store, users[0].key, 'reports'), [20]);
    assert.deepEqual(seqsAt(store, users[2].key, 'manager'), [12]);
    assert.deepEqual(seqsAt(store, 'managed/role/missing', ''), [22]);
    store.begin();
    store.removeEdgesOf(boss.key);
    store.commit();
    assert.equal(store.edgeCount, 0);
    // Released slots and handles are reused by new edges, which start lists of their own.
    for (const [i, user] of users.entries()) store.addEdge(40 + i, 1, boss, 'roles', user, 'members', undefined);
    assert.deepEqual(seqsAt(store, boss.key, 'roles'), [40, 41, 42, 43]);
    assert.deepEqual(seqsAt(store, users[3].key, 'members'), [43]);
    assert.deepEqual(seqsAt(store, boss.key, 'reports'), []);
    assert.deepEqual([...store.allEdges()].map((e) => store.edges.seq(e)), [40, 41, 42, 43]);
  });

  it('keeps each object\'s lists apart through many slots created, emptied and reused', () => {
    const store = new Store();
    const users = Array.from({ length: 50 }, (_, i) => object(store, `managed/user/u${i}`));
    const roles = Array.from({ length: 7 }, (_, i) => object(store, `managed/role/r${i}`));
    const expected = new Map<string, number[]>();
    const live: Edge[] = [];
    let seq = 1;
    for (let round = 0; round < 3; round++) {
      for (const [i, user] of users.entries()) {
        const role = roles[(i + round) % roles.length];
        live.push(store.addEdge(seq++, 1, user, 'roles', role, 'members', undefined));
      }
      // Every other edge of the round goes again, emptying some slots (their ids are reused next round).
      for (let i = live.length - users.length; i < live.length; i += 2) store.removeEdge(live[i]);
    }
    for (let i = 0; i < live.length; i++) {
      if ((i % users.length) % 2 === 0) continue;
      const user = store.edges.fromKey(live[i]);
      const role = store.edges.toKey(live[i]);
      for (const [key, property] of [[user, 'roles'], [role, 'members']]) {
        const name = `${key} ${property}`;
        expected.set(name, [...(expected.get(name) ?? []), store.edges.seq(live[i])]);
      }
    }
    for (const [name, seqs] of expected) {
      const [key, property] = name.split(' ');
      assert.deepEqual(seqsAt(store, key, property), seqs.sort((a, b) => a - b), name);
    }
    assert.equal(store.slotOf(users[0].key, 'roles'), NO_SLOT);
  });
});
