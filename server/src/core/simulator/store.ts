/**
 * The simulator's repository: objects, and relationship edges stored once (as IDM's `repo/relationships`
 * stores one row per pair, relationship-semantics-notes §4.5) and indexed at both ends by
 * (object, property). Every operation costs what it touches: reading a field walks that field's edges,
 * deleting an object walks that object's edges, nothing scans the store.
 *
 * Writes can be journaled: each mutation records its inverse so that a failed request is rolled back
 * and leaves the store exactly as it was.
 */

export interface ObjectRecord {
  readonly collection: string;
  readonly id: string;
  /** `managed/user/bjensen`: the object's `_ref`. */
  readonly key: string;
  /** Revision counter (formatted by IdSource). */
  rev: number;
  /** Stored values: plain properties and materialized RDVPs. Relationship values live in edges. */
  fields: Record<string, unknown>;
  /** False once removed from the store (lets edges cache their end records safely). */
  alive?: boolean;
  /** Position in its collection (set by the store), so a rolled-back delete restores query order. */
  order?: number;
  /** This object's edge index (the store's entry for `key`, held here to save a lookup on hot paths). */
  links?: PropertyIndex;
  /** How RDVPs of other objects show this one (derived data, rebuilt when `fields` or `rev` change). */
  cache?: { refTriple: Record<string, string>; whole?: { fields: Record<string, unknown>; rev: number; schema: unknown; value: Record<string, unknown> } };
}

export interface Edge {
  /** Counter of the edge id; stays the same for the edge's whole life. */
  readonly seq: number;
  rev: number;
  /** The origin end: the object whose property created the edge (IDM's firstId side). */
  fromKey: string;
  fromProperty: string;
  /** The referenced end. */
  toKey: string;
  /** The reverse property recorded with a bidirectional edge (IDM's secondPropertyName); undefined for one-way edges. */
  toProperty: string | undefined;
  refProperties: Record<string, unknown> | undefined;
  /** Positions in the two index slots (maintained by the store). */
  fromPos: number;
  toPos: number;
  /** The end records last found for `fromKey`/`toKey` (a cache: valid while alive and keyed the same). */
  fromRecord: ObjectRecord | undefined;
  toRecord: ObjectRecord | undefined;
}

/** A new edge, not yet stored (one shape for every edge keeps property access fast). */
export function makeEdge(seq: number, rev: number, fromKey: string, fromProperty: string, toKey: string, toProperty: string | undefined, refProperties: Record<string, unknown> | undefined): Edge {
  return { seq, rev, fromKey, fromProperty, toKey, toProperty, refProperties, fromPos: -1, toPos: -1, fromRecord: undefined, toRecord: undefined };
}

export interface EdgeChange {
  fromKey?: string;
  fromProperty?: string;
  toKey?: string;
  toProperty?: string | undefined;
  refProperties?: Record<string, unknown> | undefined;
  rev?: number;
}

/** Index slot for edges that only point at an object (one-way relationships): kept for referential integrity. */
export const POINTED_TO = '';

/**
 * The edges of one (object, property): a list in creation (edge id) order. Removal leaves a hole, found in
 * O(1) through the edge's position, and the list is compacted when holes outnumber edges; appends of older
 * edges (after a move or a rollback) mark it unsorted until the next read sorts it.
 */
export interface Slot {
  property: string;
  edges: Array<Edge | undefined>;
  live: number;
  maxSeq: number;
  sorted: boolean;
}

/** An object's slots, one per property; a short list (an object has a few relationship fields), cheaper than a Map. */
export type PropertyIndex = Slot[];

function slotIn(index: PropertyIndex | undefined, property: string): Slot | undefined {
  if (!index) return undefined;
  for (let i = 0; i < index.length; i++) if (index[i].property === property) return index[i];
  return undefined;
}

function toSlotName(edge: Edge): string {
  return edge.toProperty ?? POINTED_TO;
}

/** A symmetric self-reference (`friends` of A naming A, reverse `friends`) lives in one slot once. */
function singleSlot(edge: Edge): boolean {
  return edge.fromKey === edge.toKey && edge.fromProperty === toSlotName(edge);
}

export class Store {
  readonly objects = new Map<string, ObjectRecord>();
  readonly collections = new Map<string, Map<string, ObjectRecord>>();
  private readonly links = new Map<string, PropertyIndex>();
  private edges = 0;
  private objectOrder = 0;
  private journal: Array<() => void> | undefined;

  get edgeCount(): number {
    return this.edges;
  }

  /** Starts recording inverses of every mutation. */
  begin(): void {
    this.journal = [];
  }

  /** Forgets the recorded inverses. */
  commit(): void {
    this.journal = undefined;
  }

  /** Undoes every mutation since `begin`, newest first. */
  rollback(): void {
    const journal = this.journal;
    this.journal = undefined;
    if (!journal) return;
    for (let i = journal.length - 1; i >= 0; i--) journal[i]();
  }

  private record(undo: () => void): void {
    this.journal?.push(undo);
  }

  get(key: string): ObjectRecord | undefined {
    return this.objects.get(key);
  }

  /** The record at the far end of `edge` (`toEnd`: its referenced end), cached on the edge. */
  endRecord(edge: Edge, toEnd: boolean): ObjectRecord | undefined {
    const key = toEnd ? edge.toKey : edge.fromKey;
    const cached = toEnd ? edge.toRecord : edge.fromRecord;
    if (cached && cached.alive && cached.key === key) return cached;
    const record = this.objects.get(key);
    if (toEnd) edge.toRecord = record;
    else edge.fromRecord = record;
    return record;
  }

  collection(collection: string): Map<string, ObjectRecord> | undefined {
    return this.collections.get(collection);
  }

  addObject(record: ObjectRecord): void {
    record.order = ++this.objectOrder;
    record.alive = true;
    record.links = this.links.get(record.key);
    this.objects.set(record.key, record);
    let byId = this.collections.get(record.collection);
    if (!byId) this.collections.set(record.collection, (byId = new Map()));
    byId.set(record.id, record);
    this.record(() => this.removeObjectEntry(record));
  }

  /** Removes the object only; its edges are removed by the caller (referential integrity is a policy). */
  removeObject(record: ObjectRecord): void {
    this.removeObjectEntry(record);
    this.record(() => {
      record.alive = true;
      this.objects.set(record.key, record);
      let byId = this.collections.get(record.collection);
      if (!byId) this.collections.set(record.collection, (byId = new Map()));
      byId.set(record.id, record);
      restoreOrder(byId);
    });
  }

  private removeObjectEntry(record: ObjectRecord): void {
    record.alive = false;
    this.objects.delete(record.key);
    this.collections.get(record.collection)?.delete(record.id);
  }

  /** Replaces the stored fields, and the revision when `rev` is given (one journal entry for both). */
  setFields(record: ObjectRecord, fields: Record<string, unknown>, rev?: number): void {
    const previousFields = record.fields;
    const previousRev = record.rev;
    record.fields = fields;
    if (rev !== undefined) record.rev = rev;
    this.record(() => { record.fields = previousFields; record.rev = previousRev; });
  }

  setRev(record: ObjectRecord, rev: number): void {
    const previous = record.rev;
    record.rev = rev;
    this.record(() => { record.rev = previous; });
  }

  // ---- reading the index ----------------------------------------------------------------------

  private slot(key: string, property: string): Slot | undefined {
    const slot = slotIn(this.links.get(key), property);
    if (slot && !slot.sorted) this.normalize(key, property, slot);
    return slot;
  }

  /** `rawSlot` for an object at hand. */
  rawSlotOf(record: ObjectRecord, property: string): ReadonlyArray<Edge | undefined> | undefined {
    const slot = slotIn(record.links, property);
    if (slot && !slot.sorted) this.normalize(record.key, property, slot);
    return slot?.edges;
  }

  /**
   * The slot of (key, property) itself, in creation order, holes included (skip undefined). For hot loops
   * that must not allocate; the caller must not change the store while it walks the list.
   */
  rawSlot(key: string, property: string): ReadonlyArray<Edge | undefined> | undefined {
    return this.slot(key, property)?.edges;
  }

  /** Number of edges indexed at (key, property). */
  countAt(key: string, property: string): number {
    return slotIn(this.links.get(key), property)?.live ?? 0;
  }

  /** The edge with counter `seq` indexed at (key, property). */
  edgeAt(key: string, property: string, seq: number): Edge | undefined {
    const slot = this.slot(key, property);
    if (!slot) return undefined;
    // Slots are sorted by seq: binary search over the live entries (holes are skipped by a short scan).
    let low = 0;
    let high = slot.edges.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      let probe = middle;
      while (probe <= high && !slot.edges[probe]) probe++;
      if (probe > high) { high = middle - 1; continue; }
      const edge = slot.edges[probe]!;
      if (edge.seq === seq) return edge;
      if (edge.seq < seq) low = probe + 1;
      else high = middle - 1;
    }
    return undefined;
  }

  /** Every edge touching `key`, at either end, each once, in creation order. */
  edgesOf(key: string): Edge[] {
    const index = this.links.get(key);
    if (!index) return [];
    const seen = new Set<Edge>();
    for (const slot of index) for (const edge of slot.edges) if (edge) seen.add(edge);
    return [...seen].sort((a, b) => a.seq - b.seq);
  }

  *allEdges(): IterableIterator<Edge> {
    for (const [key, index] of this.links) {
      for (const slot of index) {
        const property = slot.property;
        for (const edge of slot.edges) {
          // Each edge is listed from its origin slot only.
          if (edge && edge.fromKey === key && edge.fromProperty === property) yield edge;
        }
      }
    }
  }

  // ---- writing the index ----------------------------------------------------------------------

  addEdge(edge: Edge): void {
    this.index(edge);
    this.edges++;
    this.record(() => { this.unindex(edge); this.edges--; });
  }

  removeEdge(edge: Edge): void {
    this.unindex(edge);
    this.edges--;
    this.record(() => { this.index(edge); this.edges++; });
  }

  /**
   * Removes every edge touching `key` (referential integrity) and returns them in creation order. The
   * object's own slots go at once; only the far ends are updated one by one.
   */
  removeEdgesOf(key: string): Edge[] {
    const edges = this.edgesOf(key);
    const index = this.links.get(key);
    if (!index) return edges;
    for (const edge of edges) {
      if (edge.fromKey !== key) this.removeFromSlot(edge.fromKey, edge.fromProperty, edge, true);
      if (edge.toKey !== key && !singleSlot(edge)) this.removeFromSlot(edge.toKey, toSlotName(edge), edge, false);
    }
    this.dropIndex(key);
    this.edges -= edges.length;
    this.record(() => {
      this.setIndex(key, index);
      for (const edge of edges) {
        if (edge.fromKey !== key) this.addToSlot(edge.fromKey, edge.fromProperty, edge, true);
        if (edge.toKey !== key && !singleSlot(edge)) this.addToSlot(edge.toKey, toSlotName(edge), edge, false);
      }
      this.edges += edges.length;
    });
    return edges;
  }

  /** Changes an edge in place (same id): its ends, properties and/or revision. */
  updateEdge(edge: Edge, change: EdgeChange): void {
    const before: EdgeChange = {
      fromKey: edge.fromKey, fromProperty: edge.fromProperty, toKey: edge.toKey, toProperty: edge.toProperty,
      refProperties: edge.refProperties, rev: edge.rev,
    };
    this.applyEdgeChange(edge, change);
    this.record(() => this.applyEdgeChange(edge, before));
  }

  private applyEdgeChange(edge: Edge, change: EdgeChange): void {
    const moves = (change.fromKey !== undefined && change.fromKey !== edge.fromKey)
      || (change.fromProperty !== undefined && change.fromProperty !== edge.fromProperty)
      || (change.toKey !== undefined && change.toKey !== edge.toKey)
      || ('toProperty' in change && change.toProperty !== edge.toProperty);
    if (moves) this.unindex(edge);
    if (change.fromKey !== undefined) edge.fromKey = change.fromKey;
    if (change.fromProperty !== undefined) edge.fromProperty = change.fromProperty;
    if (change.toKey !== undefined) edge.toKey = change.toKey;
    if ('toProperty' in change) edge.toProperty = change.toProperty;
    if ('refProperties' in change) edge.refProperties = change.refProperties;
    if (change.rev !== undefined) edge.rev = change.rev;
    if (moves) this.index(edge);
  }

  private index(edge: Edge): void {
    this.addToSlot(edge.fromKey, edge.fromProperty, edge, true);
    if (!singleSlot(edge)) this.addToSlot(edge.toKey, toSlotName(edge), edge, false);
  }

  private unindex(edge: Edge): void {
    this.removeFromSlot(edge.fromKey, edge.fromProperty, edge, true);
    if (!singleSlot(edge)) this.removeFromSlot(edge.toKey, toSlotName(edge), edge, false);
  }

  private setIndex(key: string, index: PropertyIndex): void {
    this.links.set(key, index);
    const owner = this.objects.get(key);
    if (owner) owner.links = index;
  }

  private dropIndex(key: string): void {
    this.links.delete(key);
    const owner = this.objects.get(key);
    if (owner) owner.links = undefined;
  }

  private addToSlot(key: string, property: string, edge: Edge, fromEnd: boolean): void {
    let index = this.links.get(key);
    if (!index) this.setIndex(key, (index = []));
    let slot = slotIn(index, property);
    if (!slot) index.push((slot = { property, edges: [], live: 0, maxSeq: -1, sorted: true }));
    if (edge.seq < slot.maxSeq) slot.sorted = false;
    else slot.maxSeq = edge.seq;
    if (fromEnd) edge.fromPos = slot.edges.length;
    else edge.toPos = slot.edges.length;
    slot.edges.push(edge);
    slot.live++;
  }

  private removeFromSlot(key: string, property: string, edge: Edge, fromEnd: boolean): void {
    const index = this.links.get(key);
    const slot = slotIn(index, property);
    if (!index || !slot) return;
    let position = fromEnd ? edge.fromPos : edge.toPos;
    if (slot.edges[position] !== edge) position = slot.edges.indexOf(edge);
    if (position < 0) return;
    slot.edges[position] = undefined;
    slot.live--;
    if (slot.live === 0) {
      index.splice(index.indexOf(slot), 1);
      if (index.length === 0) this.dropIndex(key);
    } else if (slot.edges.length > 16 && slot.live * 2 < slot.edges.length) {
      this.normalize(key, property, slot);
    }
  }

  /** Drops holes, sorts by creation and rewrites positions (derived state: not journaled). */
  private normalize(key: string, property: string, slot: Slot): void {
    const edges = slot.edges.filter((edge): edge is Edge => edge !== undefined);
    if (!slot.sorted) edges.sort((a, b) => a.seq - b.seq);
    for (let i = 0; i < edges.length; i++) {
      const edge = edges[i];
      if (edge.fromKey === key && edge.fromProperty === property) edge.fromPos = i;
      else edge.toPos = i;
    }
    slot.edges = edges;
    slot.sorted = true;
    slot.maxSeq = edges.length ? edges[edges.length - 1].seq : -1;
  }
}

/** Re-sorts a collection after a rollback re-inserted a record at the end. */
function restoreOrder(byId: Map<string, ObjectRecord>): void {
  const records = [...byId.values()];
  const sorted = records.every((record, i) => i === 0 || (records[i - 1].order ?? 0) < (record.order ?? 0));
  if (sorted) return;
  records.sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  byId.clear();
  for (const record of records) byId.set(record.id, record);
}
