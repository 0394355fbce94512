/** The compact edge storage: columns, interned names, handle reuse, growth past the initial capacity. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { EdgeTable, NO_EDGE, type Edge } from '../../../../server/src/core/simulator/store/edgeTable';
import { Interner } from '../../../../server/src/core/simulator/store/interner';

function table(): { edges: EdgeTable; keys: Interner } {
  const keys = new Interner();
  return { edges: new EdgeTable(keys, new Interner()), keys };
}

describe('Interner', () => {
  it('gives each name one id, finds without adding, and names ids back', () => {
    const names = new Interner();
    const a = names.intern('managed/user/a');
    assert.equal(names.intern('managed/user/b'), a + 1);
    assert.equal(names.intern('managed/user/a'), a);
    assert.equal(names.find('managed/user/b'), a + 1);
    assert.equal(names.find('managed/user/c'), undefined);
    assert.equal(names.size, 2);
    assert.equal(names.name(a + 1), 'managed/user/b');
  });
});

describe('EdgeTable', () => {
  it('stores every field of an edge and never hands out NO_EDGE', () => {
    const { edges, keys } = table();
    const refProperties = { note: 'x' };
    const edge = edges.create(7, 8, keys.intern('managed/user/a'), 'roles', keys.intern('managed/role/r'), 'members', refProperties);
    assert.notEqual(edge, NO_EDGE);
    assert.deepEqual(
      [edges.seq(edge), edges.rev(edge), edges.fromKey(edge), edges.fromProperty(edge), edges.toKey(edge), edges.toProperty(edge), edges.refProperties(edge)],
      [7, 8, 'managed/user/a', 'roles', 'managed/role/r', 'members', refProperties],
    );
    const oneWay = edges.create(9, 10, keys.intern('managed/user/a'), 'manager', keys.intern('managed/user/gone'), undefined, undefined);
    assert.equal(edges.toProperty(oneWay), undefined);
    assert.equal(edges.refProperties(oneWay), undefined);
  });

  it('updates ends, revision and properties in place', () => {
    const { edges, keys } = table();
    const edge = edges.create(1, 2, keys.intern('a/1'), 'p', keys.intern('b/1'), 'q', { x: 1 });
    edges.setEnds(edge, 'a/2', 'p2', 'b/2', undefined);
    edges.setRev(edge, 3);
    edges.setRefProperties(edge, undefined);
    assert.deepEqual([edges.fromKey(edge), edges.fromProperty(edge), edges.toKey(edge), edges.toProperty(edge), edges.rev(edge), edges.refProperties(edge)],
      ['a/2', 'p2', 'b/2', undefined, 3, undefined]);
    assert.equal(edges.fromKeyId(edge), keys.find('a/2'));
  });

  it('reuses a released handle with fresh data (no properties left over)', () => {
    const { edges, keys } = table();
    const first = edges.create(1, 2, keys.intern('a/1'), 'p', keys.intern('b/1'), 'q', { x: 1 });
    edges.release(first);
    const second = edges.create(3, 4, keys.intern('a/2'), 'r', keys.intern('b/2'), undefined, undefined);
    assert.equal(second, first);
    assert.deepEqual([edges.seq(second), edges.fromKey(second), edges.toProperty(second), edges.refProperties(second)], [3, 'a/2', undefined, undefined]);
  });

  it('keeps every edge intact when the columns grow', () => {
    const { edges, keys } = table();
    const handles: Edge[] = [];
    for (let i = 0; i < 5000; i++) handles.push(edges.create(i * 2, i * 2 + 1, keys.intern(`u/${i}`), 'p', keys.intern(`r/${i % 7}`), 'q', i % 100 === 0 ? { i } : undefined));
    assert.equal(new Set(handles).size, 5000);
    for (let i = 0; i < 5000; i++) {
      const edge = handles[i];
      assert.equal(edges.seq(edge), i * 2);
      assert.equal(edges.rev(edge), i * 2 + 1);
      assert.equal(edges.fromKey(edge), `u/${i}`);
      assert.equal(edges.toKey(edge), `r/${i % 7}`);
      assert.deepEqual(edges.refProperties(edge), i % 100 === 0 ? { i } : undefined);
    }
  });

  it('reserves room once for a known number of edges, released handles counted, and grows on past it', () => {
    const { edges, keys } = table();
    const capacity = () => (edges as unknown as { capacity: number }).capacity;
    const handles: Edge[] = [];
    const add = (i: number) => handles.push(edges.createById(i, i + 1, keys.intern(`u/${i}`), 0, keys.intern(`r/${i % 5}`), 1));
    for (let i = 0; i < 10; i++) add(i);
    for (const edge of handles.splice(0, 3)) edges.release(edge);
    // 10 handles used (1..10), 3 of them free again: 3,000 more edges need 2,997 new rows, after row 10 and NO_EDGE.
    edges.reserve(3000);
    assert.equal(capacity(), 3008);
    for (let i = 10; i < 3010; i++) add(i);
    assert.equal(capacity(), 3008, 'no growth within the reservation');
    for (let i = 3010; i < 3100; i++) add(i);
    assert.ok(capacity() >= 3100);
    assert.equal(new Set(handles).size, handles.length);
    for (const edge of handles) {
      const i = edges.seq(edge);
      assert.deepEqual([edges.rev(edge), edges.fromKey(edge), edges.toKey(edge), edges.fromPropertyId(edge), edges.toPropertyId(edge)], [i + 1, `u/${i}`, `r/${i % 5}`, 0, 1]);
    }
  });

  it('keeps counters beyond 32 bits exact', () => {
    const { edges, keys } = table();
    const edge = edges.create(2 ** 40 + 1, 2 ** 40 + 3, keys.intern('a/1'), 'p', keys.intern('b/1'), undefined, undefined);
    assert.equal(edges.seq(edge), 2 ** 40 + 1);
    assert.equal(edges.rev(edge), 2 ** 40 + 3);
  });
});
