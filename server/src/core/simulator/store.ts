/**
 * The simulator's repository: objects, and relationship edges stored once (as IDM's `repo/relationships`
 * stores one row per pair, relationship-semantics-notes §4.5) and indexed at both ends by
 * (object, property). Every operation costs what it touches: reading a field walks that field's edges,
 * deleting an object walks that object's edges, nothing scans the store.
 *
 * Writes can be journaled: each mutation records its inverse so that a failed request is rolled back
 * and leaves the store exactly as it was.
 */
import { EdgeTable, NO_EDGE, type Edge } from './edgeTable';
import { Interner } from './interner';
import type { JsonRecord } from './json';

export { NO_EDGE, type Edge } from './edgeTable';

export interface ObjectRecord {
  readonly collection: string;
  readonly id: string;
  /** `managed/user/bjensen`: the object's `_ref`. */
  readonly key: string;
  /** Revision counter (formatted by IdSource). */
  rev: number;
  /** Stored values: plain properties and materialized RDVPs. Relationship values live in edges. */
  fields: Record<string, unknown>;
  /** False once removed from the store. */
  alive: boolean;
  /** Position in its collection (set by the store), so a rolled-back delete restores query order. */
  order: number;
  /** The interned id of `key` (set by the store). */
  keyId: number;
  /** This object's edge index (the store's entry for `key`, held here to save a lookup on hot paths). */
  links: PropertyIndex | undefined;
  /** How RDVPs of other objects show this one (derived data, rebuilt when `fields` or `rev` change). */
  cache: { refTriple: Record<string, string>; whole?: { fields: Record<string, unknown>; rev: number; schema: unknown; value: Record<string, unknown> } } | undefined;
  // Scratch state of passes over many objects, compared with numbers from `newMark()`: a pass takes a fresh
  // number, so old marks never need clearing, and an integer field is cheaper than a set of 100,000 entries.
  /** Mark of the notification pass that notified the object. */
  notifiedIn: number;
  /** Mark of the notification pass that recalculated the object's RDVPs. */
  recalculatedIn: number;
  /** Marks of the lists VirtualCalculator is building that already hold the object: one hop of one object, one hop of a path. */
  inStepList: number;
  inHopList: number;
  /** The objects hop `hopName` reaches from this one, valid while `hopMark` is the VirtualCalculator's cache mark. */
  hopMark: number;
  hopName: string | undefined;
  hopReached: readonly ObjectRecord[] | undefined;
}

/** A record not yet stored; every record has the same shape, which keeps property access on hot paths fast. */
export function newRecord(collection: string, id: string, key: string, rev: number, fields: Record<string, unknown>): ObjectRecord {
  return {
    collection, id, key, rev, fields, alive: false, order: 0, keyId: -1, links: undefined, cache: undefined,
    notifiedIn: 0, recalculatedIn: 0, inStepList: 0, inHopList: 0, hopMark: 0, hopName: undefined, hopReached: undefined,
  };
}

let lastMark = 0;

/** A number never handed out before (marks of ObjectRecord scratch state; shared by every store). */
export function newMark(): number {
  return ++lastMark;
}

/** Index slot for edges that only point at an object (one-way relationships): kept for referential integrity. */
export const POINTED_TO = '';

export interface EdgeChange {
  fromKey?: string;
  fromProperty?: string;
  toKey?: string;
  toProperty?: string | undefined;
  refProperties?: JsonRecord | undefined;
  rev?: number;
}

/**
 * The edges of one (object, property): a list of handles in creation (edge id) order. Removal leaves a hole
 * (NO_EDGE), found in O(1) through the edge's position, and the list is compacted when holes outnumber
 * edges; appends of older edges (after a move or a rollback) mark it unsorted until the next read sorts it.
 */
export interface Slot {
  property: string;
  /** The interned key of the object the slot belongs to. */
  keyId: number;
  edges: Edge[];
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

export class Store {
  readonly collections = new Map<string, Map<string, ObjectRecord>>();
  /** Interned object keys (an object keeps its id while the store lives) and property names. */
  readonly keys = new Interner();
  readonly names = new Interner();
  /** The data of every edge; the store indexes the handles. */
  readonly edges = new EdgeTable(this.keys, this.names);
  /** Per interned key: the edges indexed at that key, and the stored object with that key (objects are found by key here). */
  private readonly links: Array<PropertyIndex | undefined> = [];
  private readonly records: Array<ObjectRecord | undefined> = [];
  private edgeTotal = 0;
  private linkVersion = 0;
  private objectOrder = 0;
  private journal: Array<() => void> | undefined;
  /**
   * What `setFields` replaced, newest last; its journal entry is the shared `undoFieldWrite`. A notification
   * pass may write 100,000 objects: three array slots each instead of a closure and its context.
   */
  private readonly replacedRecords: ObjectRecord[] = [];
  private readonly replacedFields: Array<Record<string, unknown>> = [];
  private readonly replacedRevs: number[] = [];
  private readonly undoFieldWrite = (): void => {
    const record = this.replacedRecords.pop()!;
    record.fields = this.replacedFields.pop()!;
    record.rev = this.replacedRevs.pop()!;
  };
  /** Edges removed but not yet released: the operation that removed them may still read them. */
  private removed: Edge[] = [];
  private removedAtBegin = 0;

  get edgeCount(): number {
    return this.edgeTotal;
  }

  /**
   * Changes whenever what a hop can reach may change: an edge indexed or unindexed (rollbacks included), an
   * object stored or removed. Lets derived data (VirtualCalculator's hop cache) know it is still current.
   */
  get version(): number {
    return this.linkVersion;
  }

  /** Starts recording inverses of every mutation. */
  begin(): void {
    this.journal = [];
    this.forgetReplacedFields();
    this.removedAtBegin = this.removed.length;
  }

  /** Forgets the recorded inverses; the handles of removed edges become reusable. */
  commit(): void {
    this.journal = undefined;
    this.forgetReplacedFields();
    for (const edge of this.removed) this.edges.release(edge);
    this.removed = [];
  }

  /** Undoes every mutation since `begin`, newest first. */
  rollback(): void {
    const journal = this.journal;
    this.journal = undefined;
    if (!journal) return;
    for (let i = journal.length - 1; i >= 0; i--) journal[i]();
    this.removed.length = this.removedAtBegin;
  }

  private forgetReplacedFields(): void {
    this.replacedRecords.length = 0;
    this.replacedFields.length = 0;
    this.replacedRevs.length = 0;
  }

  private record(undo: () => void): void {
    this.journal?.push(undo);
  }

  get(key: string): ObjectRecord | undefined {
    const keyId = this.keys.find(key);
    return keyId === undefined ? undefined : this.records[keyId];
  }

  /** The stored object at one end of `edge` (`toEnd`: its referenced end). */
  endRecord(edge: Edge, toEnd: boolean): ObjectRecord | undefined {
    return this.records[toEnd ? this.edges.toKeyId(edge) : this.edges.fromKeyId(edge)];
  }

  collection(collection: string): Map<string, ObjectRecord> | undefined {
    return this.collections.get(collection);
  }

  addObject(record: ObjectRecord): void {
    record.order = ++this.objectOrder;
    this.addObjectEntry(record);
    if (this.journal) this.record(() => this.removeObjectEntry(record));
  }

  /** Removes the object only; its edges are removed by the caller (referential integrity is a policy). */
  removeObject(record: ObjectRecord): void {
    this.removeObjectEntry(record);
    this.record(() => {
      this.addObjectEntry(record);
      restoreOrder(this.collections.get(record.collection)!);
    });
  }

  private addObjectEntry(record: ObjectRecord): void {
    this.linkVersion++;
    const keyId = this.keys.intern(record.key);
    record.alive = true;
    record.keyId = keyId;
    record.links = this.links[keyId];
    this.records[keyId] = record;
    let byId = this.collections.get(record.collection);
    if (!byId) this.collections.set(record.collection, (byId = new Map()));
    byId.set(record.id, record);
  }

  private removeObjectEntry(record: ObjectRecord): void {
    this.linkVersion++;
    record.alive = false;
    this.records[record.keyId] = undefined;
    this.collections.get(record.collection)?.delete(record.id);
  }

  /** Replaces the stored fields, and the revision when `rev` is given (one journal entry for both). */
  setFields(record: ObjectRecord, fields: Record<string, unknown>, rev?: number): void {
    const previousFields = record.fields;
    const previousRev = record.rev;
    record.fields = fields;
    if (rev !== undefined) record.rev = rev;
    if (this.journal) {
      this.replacedRecords.push(record);
      this.replacedFields.push(previousFields);
      this.replacedRevs.push(previousRev);
      this.journal.push(this.undoFieldWrite);
    }
  }

  setRev(record: ObjectRecord, rev: number): void {
    const previous = record.rev;
    record.rev = rev;
    this.record(() => { record.rev = previous; });
  }

  // ---- reading the index ----------------------------------------------------------------------

  /** The edge index of `key`; undefined when no edge touches it. */
  private indexOf(key: string): PropertyIndex | undefined {
    const keyId = this.keys.find(key);
    return keyId === undefined ? undefined : this.links[keyId];
  }

  private slot(key: string, property: string): Slot | undefined {
    const slot = slotIn(this.indexOf(key), property);
    if (slot && !slot.sorted) this.normalize(slot);
    return slot;
  }

  /** `rawSlot` for an object at hand. */
  rawSlotOf(record: ObjectRecord, property: string): readonly Edge[] | undefined {
    const slot = slotIn(record.links, property);
    if (slot && !slot.sorted) this.normalize(slot);
    return slot?.edges;
  }

  /**
   * The slot of (key, property) itself, in creation order, holes included (skip NO_EDGE). For hot loops
   * that must not allocate; the caller must not change the store while it walks the list.
   */
  rawSlot(key: string, property: string): readonly Edge[] | undefined {
    return this.slot(key, property)?.edges;
  }

  /** Number of edges indexed at (key, property). */
  countAt(key: string, property: string): number {
    return slotIn(this.indexOf(key), property)?.live ?? 0;
  }

  /** The edge with counter `seq` indexed at (key, property). */
  edgeAt(key: string, property: string, seq: number): Edge | undefined {
    const slot = this.slot(key, property);
    if (!slot) return undefined;
    const edges = slot.edges;
    // Slots are sorted by seq: binary search over the live entries (holes are skipped by a short scan).
    let low = 0;
    let high = edges.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      let probe = middle;
      while (probe <= high && edges[probe] === NO_EDGE) probe++;
      if (probe > high) { high = middle - 1; continue; }
      const edge = edges[probe];
      const probeSeq = this.edges.seq(edge);
      if (probeSeq === seq) return edge;
      if (probeSeq < seq) low = probe + 1;
      else high = middle - 1;
    }
    return undefined;
  }

  /** Every edge touching `key`, at either end, each once, in creation order. */
  edgesOf(key: string): Edge[] {
    const keyId = this.keys.find(key);
    const index = keyId === undefined ? undefined : this.links[keyId];
    if (!index) return [];
    const found: Edge[] = [];
    for (const slot of index) {
      for (const edge of slot.edges) {
        // An edge whose origin is `key` is listed from its origin slot only (it may also sit in a reverse slot of `key`).
        if (edge !== NO_EDGE && (this.edges.fromKeyId(edge) !== keyId || this.isOriginSlot(edge, slot))) found.push(edge);
      }
    }
    return found.sort((a, b) => this.edges.seq(a) - this.edges.seq(b));
  }

  *allEdges(): IterableIterator<Edge> {
    for (let keyId = 0; keyId < this.links.length; keyId++) {
      const index = this.links[keyId];
      if (!index) continue;
      for (const slot of index) {
        for (const edge of slot.edges) {
          // Each edge is listed from its origin slot only.
          if (edge !== NO_EDGE && this.isOriginSlot(edge, slot)) yield edge;
        }
      }
    }
  }

  // ---- writing the index ----------------------------------------------------------------------

  /** Stores and indexes a new edge from a stored object to `to`, an object or the key of one that may not exist. */
  addEdge(seq: number, rev: number, from: ObjectRecord, fromProperty: string, to: ObjectRecord | string, toProperty: string | undefined, refProperties: JsonRecord | undefined): Edge {
    const toKeyId = typeof to === 'string' ? this.keys.intern(to) : to.keyId;
    const edge = this.edges.create(seq, rev, from.keyId, fromProperty, toKeyId, toProperty, refProperties);
    this.index(edge);
    this.edgeTotal++;
    if (this.journal) this.record(() => { this.unindex(edge); this.edgeTotal--; this.edges.release(edge); });
    return edge;
  }

  removeEdge(edge: Edge): void {
    this.unindex(edge);
    this.edgeTotal--;
    this.removed.push(edge);
    this.record(() => { this.index(edge); this.edgeTotal++; });
  }

  /**
   * Removes every edge touching `key` (referential integrity) and returns them in creation order. The
   * object's own slots go at once; only the far ends are updated one by one.
   */
  removeEdgesOf(key: string): Edge[] {
    const keyId = this.keys.find(key);
    const index = keyId === undefined ? undefined : this.links[keyId];
    if (keyId === undefined || !index) return [];
    const edges = this.edgesOf(key);
    const table = this.edges;
    for (const edge of edges) {
      if (table.fromKeyId(edge) !== keyId) this.removeFromSlot(table.fromKeyId(edge), table.fromProperty(edge), edge, true);
      if (table.toKeyId(edge) !== keyId && !this.singleSlot(edge)) this.removeFromSlot(table.toKeyId(edge), this.toSlotName(edge), edge, false);
      this.removed.push(edge);
    }
    this.dropIndex(keyId);
    this.edgeTotal -= edges.length;
    this.record(() => {
      this.setIndex(keyId, index);
      for (const edge of edges) {
        if (table.fromKeyId(edge) !== keyId) this.addToSlot(table.fromKeyId(edge), table.fromProperty(edge), edge, true);
        if (table.toKeyId(edge) !== keyId && !this.singleSlot(edge)) this.addToSlot(table.toKeyId(edge), this.toSlotName(edge), edge, false);
      }
      this.edgeTotal += edges.length;
    });
    return edges;
  }

  /** Changes an edge in place (same id): its ends, properties and/or revision. */
  updateEdge(edge: Edge, change: EdgeChange): void {
    const table = this.edges;
    const before: EdgeChange = {
      fromKey: table.fromKey(edge), fromProperty: table.fromProperty(edge), toKey: table.toKey(edge), toProperty: table.toProperty(edge),
      refProperties: table.refProperties(edge), rev: table.rev(edge),
    };
    this.applyEdgeChange(edge, change);
    this.record(() => this.applyEdgeChange(edge, before));
  }

  private applyEdgeChange(edge: Edge, change: EdgeChange): void {
    const table = this.edges;
    const fromKey = change.fromKey ?? table.fromKey(edge);
    const fromProperty = change.fromProperty ?? table.fromProperty(edge);
    const toKey = change.toKey ?? table.toKey(edge);
    const toProperty = 'toProperty' in change ? change.toProperty : table.toProperty(edge);
    const moves = fromKey !== table.fromKey(edge) || fromProperty !== table.fromProperty(edge)
      || toKey !== table.toKey(edge) || toProperty !== table.toProperty(edge);
    if (moves) this.unindex(edge);
    table.setEnds(edge, fromKey, fromProperty, toKey, toProperty);
    if ('refProperties' in change) table.setRefProperties(edge, change.refProperties);
    if (change.rev !== undefined) table.setRev(edge, change.rev);
    if (moves) this.index(edge);
  }

  private toSlotName(edge: Edge): string {
    return this.edges.toProperty(edge) ?? POINTED_TO;
  }

  /** A symmetric self-reference (`friends` of A naming A, reverse `friends`) lives in one slot once. */
  private singleSlot(edge: Edge): boolean {
    return this.edges.fromKeyId(edge) === this.edges.toKeyId(edge) && this.edges.fromProperty(edge) === this.toSlotName(edge);
  }

  /** Whether `slot`, which holds `edge`, is the edge's origin slot (not the reverse slot of its target). */
  private isOriginSlot(edge: Edge, slot: Slot): boolean {
    return this.edges.fromKeyId(edge) === slot.keyId && this.edges.fromProperty(edge) === slot.property;
  }

  private index(edge: Edge): void {
    this.addToSlot(this.edges.fromKeyId(edge), this.edges.fromProperty(edge), edge, true);
    if (!this.singleSlot(edge)) this.addToSlot(this.edges.toKeyId(edge), this.toSlotName(edge), edge, false);
  }

  private unindex(edge: Edge): void {
    this.removeFromSlot(this.edges.fromKeyId(edge), this.edges.fromProperty(edge), edge, true);
    if (!this.singleSlot(edge)) this.removeFromSlot(this.edges.toKeyId(edge), this.toSlotName(edge), edge, false);
  }

  private setIndex(keyId: number, index: PropertyIndex): void {
    this.linkVersion++;
    this.links[keyId] = index;
    const owner = this.records[keyId];
    if (owner) owner.links = index;
  }

  private dropIndex(keyId: number): void {
    this.linkVersion++;
    this.links[keyId] = undefined;
    const owner = this.records[keyId];
    if (owner) owner.links = undefined;
  }

  private addToSlot(keyId: number, property: string, edge: Edge, fromEnd: boolean): void {
    this.linkVersion++;
    let index = this.links[keyId];
    if (!index) this.setIndex(keyId, (index = []));
    let slot = slotIn(index, property);
    if (!slot) index.push((slot = { property, keyId, edges: [], live: 0, maxSeq: -1, sorted: true }));
    const seq = this.edges.seq(edge);
    if (seq < slot.maxSeq) slot.sorted = false;
    else slot.maxSeq = seq;
    this.edges.setPosition(edge, fromEnd, slot.edges.length);
    slot.edges.push(edge);
    slot.live++;
  }

  private removeFromSlot(keyId: number, property: string, edge: Edge, fromEnd: boolean): void {
    this.linkVersion++;
    const index = this.links[keyId];
    const slot = slotIn(index, property);
    if (!index || !slot) return;
    let position = this.edges.position(edge, fromEnd);
    if (slot.edges[position] !== edge) position = slot.edges.indexOf(edge);
    if (position < 0) return;
    slot.edges[position] = NO_EDGE;
    slot.live--;
    if (slot.live === 0) {
      index.splice(index.indexOf(slot), 1);
      if (index.length === 0) this.dropIndex(keyId);
    } else if (slot.edges.length > 16 && slot.live * 2 < slot.edges.length) {
      this.normalize(slot);
    }
  }

  /** Drops holes, sorts by creation and rewrites positions (derived state: not journaled). */
  private normalize(slot: Slot): void {
    const table = this.edges;
    const edges = slot.edges.filter((edge) => edge !== NO_EDGE);
    if (!slot.sorted) edges.sort((a, b) => table.seq(a) - table.seq(b));
    for (let i = 0; i < edges.length; i++) {
      const edge = edges[i];
      table.setPosition(edge, this.isOriginSlot(edge, slot), i);
    }
    slot.edges = edges;
    slot.sorted = true;
    slot.maxSeq = edges.length ? table.seq(edges[edges.length - 1]) : -1;
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
