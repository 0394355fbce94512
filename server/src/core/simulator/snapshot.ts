/**
 * A copy of the simulator's state for the graph view: every object with its stored fields (split into the
 * fields the current schema declares and orphaned data, PingOne AIC, "Configure relationships": deleting a relationship property leaves orphaned data), and every edge
 * once, with both ends, whether its referenced object is missing (dangling, possible with `validate` off),
 * whether its field is gone from the schema (orphaned), and whether it shows on one side only (broken pair).
 */
import type { Graph } from './relationships';
import { cloneJson } from './json';

export interface SnapshotObject {
  collection: string;
  id: string;
  /** `managed/user/bjensen` */
  ref: string;
  rev: string;
  /** Stored values of properties the current schema declares (RDVP values included, relationships excluded). */
  fields: Record<string, unknown>;
  /** Stored values of properties the current schema no longer (or never) declares. */
  orphanedFields: Record<string, unknown>;
}

export interface SnapshotEdge {
  id: string;
  rev: string;
  from: { ref: string; property: string };
  /** `property` is the field showing the edge on the referenced object; undefined when none does. */
  to: { ref: string; property: string | undefined };
  refProperties: Record<string, unknown>;
  /** The referenced object does not exist. */
  dangling: boolean;
  /** The origin field is no longer a relationship in the schema: the edge is stored but no field shows it. */
  orphaned: boolean;
  /** The edge records a reverse property that the referenced object does not show (a broken reverse pair). */
  oneSided: boolean;
}

export interface SimSnapshot {
  objects: SnapshotObject[];
  edges: SnapshotEdge[];
}

export function takeSnapshot(graph: Graph): SimSnapshot {
  const objects: SnapshotObject[] = [];
  for (const byId of graph.store.collections.values()) {
    for (const record of byId.values()) {
      const type = graph.typeOf(record);
      const fields: Record<string, unknown> = {};
      const orphanedFields: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(record.fields)) {
        const property = type?.properties.get(name);
        if (property && !property.relationship) fields[name] = cloneJson(value);
        else orphanedFields[name] = cloneJson(value);
      }
      objects.push({ collection: record.collection, id: record.id, ref: record.key, rev: graph.ids.format(record.rev), fields, orphanedFields });
    }
  }
  const edges: SnapshotEdge[] = [];
  const table = graph.edges;
  for (const edge of graph.store.allEdges()) {
    const fromKey = table.fromKey(edge);
    const fromProperty = table.fromProperty(edge);
    const toKey = table.toKey(edge);
    const toProperty = table.toProperty(edge);
    const from = graph.store.get(fromKey);
    const to = graph.store.get(toKey);
    const fromType = from && graph.typeOf(from);
    const toType = to && graph.typeOf(to);
    const shownAtTarget = toProperty !== undefined && !!to && graph.isVisibleAt(edge, toKey, toProperty, toType);
    edges.push({
      id: graph.edgeId(edge),
      rev: graph.ids.format(table.rev(edge)),
      from: { ref: fromKey, property: fromProperty },
      to: { ref: toKey, property: shownAtTarget ? toProperty : undefined },
      refProperties: cloneJson(table.refProperties(edge) ?? {}),
      dangling: !to,
      orphaned: !fromType?.properties.get(fromProperty)?.relationship,
      oneSided: toProperty !== undefined && !!to && !shownAtTarget,
    });
  }
  edges.sort((a, b) => (graph.ids.parse(a.id) ?? 0) - (graph.ids.parse(b.id) ?? 0));
  return { objects, edges };
}

/** Counts of what the simulator holds, for a state too large to draw one node per object. */
export interface SimSummary {
  /** Objects per collection: `managed/user` -> 100000. */
  objects: Record<string, number>;
  /** Edges per relationship as stored: origin collection, origin field, referenced collection. */
  relationships: Array<{ fromCollection: string; property: string; toCollection: string; count: number }>;
}

export function objectCount(graph: Graph): number {
  let count = 0;
  for (const byId of graph.store.collections.values()) count += byId.size;
  return count;
}

export function takeSummary(graph: Graph): SimSummary {
  const objects: Record<string, number> = {};
  const collections: string[] = [];
  const collectionIndex = new Map<string, number>();
  const indexOfCollection = (collection: string): number => {
    let index = collectionIndex.get(collection);
    if (index === undefined) {
      index = collections.length;
      collections.push(collection);
      collectionIndex.set(collection, index);
    }
    return index;
  };
  // Each key's collection, from the stored objects: one pass over them, no key string cut per edge.
  const keys = graph.store.keys;
  const collectionOfKey = new Int32Array(keys.size).fill(-1);
  for (const [collection, byId] of graph.store.collections) {
    if (!byId.size) continue;
    objects[collection] = byId.size;
    const index = indexOfCollection(collection);
    for (const record of byId.values()) if (record.keyId >= 0) collectionOfKey[record.keyId] = index;
  }
  const groupOf = (keyId: number): number => {
    let index = collectionOfKey[keyId];
    if (index < 0) {
      // A key with no stored object: the referenced end of a dangling edge.
      const key = keys.name(keyId);
      index = collectionOfKey[keyId] = indexOfCollection(key.slice(0, key.lastIndexOf('/')));
    }
    return index;
  };
  const counts = new Map<string, { fromCollection: number; property: number; toCollection: number; count: number }>();
  graph.store.countEdges(groupOf, (fromCollection, property, toCollection, edges) => {
    const key = `${fromCollection} ${property} ${toCollection}`;
    const row = counts.get(key);
    if (row) row.count += edges;
    else counts.set(key, { fromCollection, property, toCollection, count: edges });
  });
  const relationships = [...counts.values()].map((row) => ({
    fromCollection: collections[row.fromCollection],
    property: graph.store.names.name(row.property),
    toCollection: collections[row.toCollection],
    count: row.count,
  }));
  return { objects, relationships };
}
