/**
 * The summary of a state too large to draw (counts per type and per relationship) counts the edges the store holds:
 * it reads the edge table's rows in one pass rather than walking the index, so it must agree with a walk of the
 * index after every kind of write, delete (an object's slots detached whole) and rolled-back request.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Simulator } from '../../server/src/core/simulator/engine';
import { FUZZ_TEST_OPTIONS, assertProperty } from './fuzzSettings';
import { baseObjects, internals, start, write } from './simulatorWrites';

/** Edges per `from-collection property to-collection`, from a walk of the store's index. */
function countedFromIndex(simulator: Simulator): Record<string, number> {
  const { graph } = internals(simulator);
  const counts: Record<string, number> = {};
  const collectionOf = (key: string) => key.slice(0, key.lastIndexOf('/'));
  for (const edge of graph.store.allEdges()) {
    const key = `${collectionOf(graph.edges.fromKey(edge))} ${graph.edges.fromProperty(edge)} ${collectionOf(graph.edges.toKey(edge))}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

function countedBySummary(simulator: Simulator): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const row of simulator.summary().relationships) {
    const key = `${row.fromCollection} ${row.property} ${row.toCollection}`;
    assert.equal(counts[key], undefined, `${key} is listed once`);
    counts[key] = row.count;
  }
  return counts;
}

test('the summary counts exactly the edges the index holds, after every write, delete and rollback', FUZZ_TEST_OPTIONS, () => {
  let edgesSeen = 0;
  assertProperty('summary counts', fc.property(fc.array(write, { minLength: 5, maxLength: 40 }), (requests) => {
    const simulator = start();
    for (const req of baseObjects()) assert.ok(simulator.handle(req).status < 300);
    for (const [i, req] of requests.entries()) {
      simulator.handle(req);
      const expected = countedFromIndex(simulator);
      assert.deepEqual(countedBySummary(simulator), expected, `after request ${i} (${req.method} ${req.path})`);
      edgesSeen += Object.values(expected).reduce((a, b) => a + b, 0);
    }
  }), 200);
  assert.ok(edgesSeen > 1000, `the sequences held edges (${edgesSeen})`);
});

test('the summary of a population counts every generated edge, and stays right after deletes on it', () => {
  const simulator = start();
  const report = simulator.populate({ user: 300, role: 10, assignment: 10, organization: 20 }, { seed: 5, maxPerMany: 4 });
  const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
  assert.equal(total(countedBySummary(simulator)), report.edges);
  assert.deepEqual(countedBySummary(simulator), countedFromIndex(simulator));
  const { graph } = internals(simulator);
  const users = [...graph.store.collection('managed/user')!.values()].slice(0, 20);
  for (const user of users) assert.ok(simulator.handle({ method: 'DELETE', path: user.key, query: {}, headers: {}, body: undefined }).status < 300);
  assert.deepEqual(countedBySummary(simulator), countedFromIndex(simulator));
  assert.ok(total(countedBySummary(simulator)) < report.edges, 'the deletes removed edges');
});
