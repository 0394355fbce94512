/**
 * Completion at value positions of real relationships (issue 19, point 2): each position is made by emptying a value
 * the corpus file already has (the answer its author chose) and asking for completion inside the empty string.
 * - `type` of an array relationship's `items`: `relationship` first;
 * - `type` of a relationship property: `array` first for an array relationship, `relationship` for a singleton;
 * - `query.fields`: the field the author listed first is the first offered.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getValueNode, stringValue } from '../../../server/src/core/json/ast';
import { handleCompletion } from '../../../server/src/core/features/completion';
import { Workspace } from '../../../server/src/core/model/workspace';
import { corpusWorkspacesByRepo } from './helpers';

interface Position {
  label: string;
  /** Range of the value to replace by `""`. */
  start: number;
  end: number;
  expected: string;
}

interface Tally { tried: number; first: number; offered: number; misses: string[] }


function tallyOf(collect: (workspace: Workspace) => Array<{ uri: string; positions: Position[] }>): Tally {
  const tally: Tally = { tried: 0, first: 0, offered: 0, misses: [] };
  for (const workspace of corpusWorkspacesByRepo()) {
    for (const { uri, positions } of collect(workspace)) {
      const original = workspace.getFile(uri)!.text;
      for (const position of positions) {
        const text = `${original.slice(0, position.start)}""${original.slice(position.end)}`;
        workspace.setFile(uri, text);
        const labels = handleCompletion(workspace, uri, position.start + 1).items.sort((a, b) => (a.sortText < b.sortText ? -1 : a.sortText > b.sortText ? 1 : 0)).map((i) => i.label);
        tally.tried++;
        if (labels.includes(position.expected)) tally.offered++;
        if (labels[0] === position.expected) tally.first++;
        else if (tally.misses.length < 5) tally.misses.push(`${uri} ${position.label}: expected ${position.expected}, got ${labels.slice(0, 4).join(', ') || 'nothing'}`);
      }
      workspace.setFile(uri, original);
    }
  }
  return tally;
}

const typePositions = (workspace: Workspace) => workspace.allFiles.map((file) => ({
  uri: file.uri,
  positions: file.objects.flatMap((object) => object.relationships.flatMap((relationship): Position[] => {
    const found: Position[] = [];
    const outer = getValueNode(relationship.property.node, 'type');
    if (outer) found.push({ label: `${object.name}.${relationship.property.name} type`, start: outer.offset, end: outer.end, expected: relationship.cardinality === 'many' ? 'array' : 'relationship' });
    const inner = relationship.wrapper ? getValueNode(relationship.node, 'type') : undefined;
    if (inner) found.push({ label: `${object.name}.${relationship.property.name} items.type`, start: inner.offset, end: inner.end, expected: 'relationship' });
    return found;
  })),
}));

const fieldPositions = (workspace: Workspace) => workspace.allFiles.map((file) => ({
  uri: file.uri,
  positions: file.objects.flatMap((object) => object.relationships.flatMap((relationship): Position[] => (relationship.resourceCollection?.entries ?? []).flatMap((entry) => {
    const fields = getValueNode(getValueNode(entry.node, 'query'), 'fields');
    const first = fields?.type === 'array' ? fields.items[0] : undefined;
    const name = stringValue(first);
    // Only the authors' choices that are fields of a target in the workspace can be expected.
    const target = entry.path?.startsWith('managed/') ? file.objects.find((o) => `managed/${o.name}` === entry.path) : undefined;
    if (!first || !name || !target?.propertyMap.has(name)) return [];
    return [{ label: `${object.name}.${relationship.property.name} -> ${entry.path} fields[0]`, start: first.offset, end: first.end, expected: name }];
  }))),
}));

test('type values at every relationship of the corpus: array first for a collection, relationship in items', () => {
  const tally = tallyOf(typePositions);
  console.log(`type values: ${tally.tried} positions, expected first at ${tally.first}, offered at ${tally.offered}`);
  assert.ok(tally.tried >= 100, `${tally.tried} positions`);
  assert.deepEqual(tally.misses, []);
});

test('query.fields at every resourceCollection entry of the corpus: the author\'s first field is offered first', () => {
  const tally = tallyOf(fieldPositions);
  console.log(`query.fields[0]: ${tally.tried} positions, expected first at ${tally.first}, offered at ${tally.offered}`);
  assert.ok(tally.tried >= 50, `${tally.tried} positions`);
  assert.equal(tally.offered, tally.tried);
  // Authors sometimes lead with a field no rule predicts; most lead with the name a person reads.
  assert.ok(tally.first / tally.tried >= 0.9, `expected first at ${tally.first} of ${tally.tried}: ${tally.misses.join('; ')}`);
});
