/**
 * The simulator's repository: objects, and relationship edges stored once (as IDM's `repo/relationships`
 * stores one row per pair, as OpenIDM's `RelationshipProvider` stores a pair in `repo/relationships` with `firstId` and `secondId`) and indexed at both ends by
 * (object, property). Every operation costs what it touches: reading a field walks that field's edges,
 * deleting an object walks that object's edges, nothing scans the store.
 *
 * Writes can be journaled: each mutation records its inverse so that a failed request is rolled back
 * and leaves the store exactly as it was.
 */
import { Adjacency, NO_SLOT } from './adjacency';
import { EdgeTable, NO_EDGE, NO_PROPERTY, type Edge } from './edgeTable';
import { Interner } from './interner';
import { ChangeStamps } from './changeStamps';
import { newMark } from './marks';

export { newMark } from './marks';
import type { JsonRecord } from '../json';

export { NO_EDGE, NO_SLOT, type Edge } from './edgeTable';

export interface ObjectRecord {
  readonly collection: string;
  readonly id: string;
  /** `managed/user/bjensen`: the object's `_ref`. */
  readonly key: string;
  /** Revision counter (formatted by IdSource). */
  rev: number;
  /**
   * Stored values: plain properties and materialized RDVPs. Relationship values live in edges. Written only
   * through the store (`setFields`, `setField`), which journals the write and renews `fieldsWrite`.
   */
  fields: Record<string, unknown>;
  /** Mark of the last write of `fields` (from `newMark()`): derived data keyed by it knows when it is stale. */
  fieldsWrite: number;
  /** Mark at which the stored RDVP values were all calculated (0: never), for ChangeStamps. */
  virtualsAt: number;
  /** False once removed from the store. */
  alive: boolean;
  /** Position in its collection (set by the store), so a rolled-back delete restores query order. */
  order: number;
  /** The interned id of `key` (set by the store). */
  keyId: number;
  /** The interned id of `collection` (set by the store), which finds the object's type without a map lookup. */
  collectionId: number;
  /** How RDVPs of other objects show this one (derived data, rebuilt when `fields` or `rev` change). */
  cache: { refTriple: Record<string, string>; whole?: { fieldsWrite: number; rev: number; schema: unknown; value: Record<string, unknown> } } | undefined;
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
  /**
   * The objects the first hop of this object's RDVPs reached when last walked, kept across passes while
   * ChangeStamps say no slot of that relationship changed since (VirtualCalculator): a role change
   * recalculates 100,000 members' effectiveAssignments without walking their unchanged roles again.
   */
  firstHop: { relationship: unknown; reached: readonly ObjectRecord[]; at: number } | undefined;
}

/** A record not yet stored; every record has the same shape, which keeps property access on hot paths fast. */
export function newRecord(collection: string, id: string, key: string, rev: number, fields: Record<string, unknown>): ObjectRecord {
  return {
    collection, id, key, rev, fields, fieldsWrite: newMark(), virtualsAt: 0, alive: false, order: 0, keyId: -1, collectionId: -1, cache: undefined,
    notifiedIn: 0, recalculatedIn: 0, inStepList: 0, inHopList: 0, hopMark: 0, hopName: undefined, hopReached: undefined, firstHop: undefined,
  };
}


/** The previous value of a field that did not exist (undoing its write deletes it). */
const ABSENT: unique symbol = Symbol('absent');

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

export class Store {
  readonly collections = new Map<string, Map<string, ObjectRecord>>();
  /** Interned object keys (an object keeps its id while the store lives) and property names. */
  readonly keys = new Interner();
  readonly names = new Interner();
  readonly collectionNames = new Interner();
  /** When the slots and documents RDVPs read last changed: every write below stamps. */
  readonly changes = new ChangeStamps();
  /** The data of every edge; the store indexes the handles. */
  readonly edges = new EdgeTable(this.keys, this.names);
  /** The index of the edges at both ends, by (object, property). */
  private readonly adjacency = new Adjacency(this.edges);
  /** Interned id of POINTED_TO, the slot name of the far end of one-way edges. */
  private readonly pointedToId = this.names.intern(POINTED_TO);
  /** Per interned key: the stored object with that key (objects are found by key here). */
  private readonly records: Array<ObjectRecord | undefined> = [];
  private edgeTotal = 0;
  private linkVersion = 0;
  private objectOrder = 0;
  private journal: Array<() => void> | undefined;
  /**
   * What `setFields` and `setField` replaced, newest last. A notification pass may write 100,000 objects:
   * four slots each in one list, and one journal entry (the shared `undoFieldRun`) per run of consecutive
   * writes, instead of a closure and its context per write. Per write, in this order: the record, the field
   * name (undefined: the whole fields object was replaced), the previous value (the previous fields object, or
   * ABSENT) and the previous revision; per run, its length.
   */
  private readonly replaced: unknown[] = [];
  private readonly fieldRuns: number[] = [];
  private readonly undoFieldRun = (): void => {
    const replaced = this.replaced;
    for (let n = this.fieldRuns.pop()!; n > 0; n--) {
      const rev = replaced.pop() as number;
      const value = replaced.pop();
      const name = replaced.pop() as string | undefined;
      const record = replaced.pop() as ObjectRecord;
      if (name === undefined) record.fields = value as Record<string, unknown>;
      else if (value === ABSENT) delete record.fields[name];
      else record.fields[name] = value;
      record.rev = rev;
      this.documentWritten(record);
    }
  };
  /** Edges removed but not yet released: the operation that removed them may still read them. */
  private removed: Edge[] = [];
  private removedAtBegin = 0;
  /** Slot chains of objects whose edges were all removed at once, released with the edges. */
  private removedChains: number[] = [];
  private removedChainsAtBegin = 0;

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
    this.removedChainsAtBegin = this.removedChains.length;
  }

  /** Forgets the recorded inverses; the handles of removed edges become reusable. */
  commit(): void {
    this.journal = undefined;
    this.forgetReplacedFields();
    for (const edge of this.removed) this.edges.release(edge);
    this.removed = [];
    for (const chain of this.removedChains) this.adjacency.release(chain);
    this.removedChains = [];
  }

  /** Undoes every mutation since `begin`, newest first. */
  rollback(): void {
    const journal = this.journal;
    this.journal = undefined;
    if (!journal) return;
    // Undone RDVP writes bring back values older than their objects' `virtualsAt` claims.
    if (journal.length > 0) this.changes.distrustAll();
    for (let i = journal.length - 1; i >= 0; i--) journal[i]();
    this.removed.length = this.removedAtBegin;
    this.removedChains.length = this.removedChainsAtBegin;
  }

  private forgetReplacedFields(): void {
    this.replaced.length = 0;
    this.fieldRuns.length = 0;
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

  /**
   * `addObject` for bulk loading (populate): stores `record` unless a stored object already has its key, and
   * says whether it did. One interning of the key serves the check and the entry, where `get` then
   * `addObject` would look a fresh key up twice.
   */
  addObjectIfAbsent(record: ObjectRecord): boolean {
    const keyId = this.keys.intern(record.key);
    if (this.records[keyId]) return false;
    record.order = ++this.objectOrder;
    this.addObjectEntry(record, keyId);
    if (this.journal) this.record(() => this.removeObjectEntry(record));
    return true;
  }

  /** Removes the object only; its edges are removed by the caller (referential integrity is a policy). */
  removeObject(record: ObjectRecord): void {
    this.removeObjectEntry(record);
    this.record(() => {
      this.addObjectEntry(record);
      restoreOrder(this.collections.get(record.collection)!);
    });
  }

  private addObjectEntry(record: ObjectRecord, keyId = this.keys.intern(record.key)): void {
    this.linkVersion++;
    record.alive = true;
    record.keyId = keyId;
    record.collectionId = this.collectionNames.intern(record.collection);
    this.records[keyId] = record;
    this.stampEdgesOf(keyId);
    let byId = this.collections.get(record.collection);
    if (!byId) this.collections.set(record.collection, (byId = new Map()));
    byId.set(record.id, record);
  }

  private removeObjectEntry(record: ObjectRecord): void {
    this.linkVersion++;
    this.stampEdgesOf(record.keyId);
    record.alive = false;
    this.records[record.keyId] = undefined;
    this.collections.get(record.collection)?.delete(record.id);
  }

  /**
   * An object that comes or goes while edges name it (dangling references, `validate` off): what the slots
   * holding those edges reach changes.
   */
  private stampEdgesOf(keyId: number): void {
    if (!this.adjacency.hasSlots(keyId)) return;
    const table = this.edges;
    for (const edge of this.edgesOf(this.keys.name(keyId))) {
      this.stampSlot(table.fromKeyId(edge), table.fromPropertyId(edge));
      this.stampSlot(table.toKeyId(edge), this.toSlotProperty(edge));
    }
  }

  private stampSlot(keyId: number, propertyId: number): void {
    // The slots of an object that does not exist are read by no RDVP; its creation stamps them (stampEdgesOf).
    const record = this.records[keyId];
    if (record) this.changes.slotChanged(record.collectionId, propertyId);
  }

  private documentWritten(record: ObjectRecord): void {
    record.fieldsWrite = this.changes.documentChanged(record.collectionId);
  }

  /** Replaces the stored fields, and the revision when `rev` is given (one journal entry for both). */
  setFields(record: ObjectRecord, fields: Record<string, unknown>, rev?: number): void {
    this.journalFieldWrite(record, undefined, record.fields);
    record.fields = fields;
    if (rev !== undefined) record.rev = rev;
    this.documentWritten(record);
  }

  /**
   * Stores one field in place, and the revision (one journal entry for both). For RDVP values, which a
   * notification pass writes on up to 100,000 objects: a copy of each object's fields would be 100,000 new
   * objects that the garbage collector then copies again.
   */
  setField(record: ObjectRecord, name: string, value: unknown, rev: number): void {
    const fields = record.fields;
    this.journalFieldWrite(record, name, Object.prototype.hasOwnProperty.call(fields, name) ? fields[name] : ABSENT);
    fields[name] = value;
    record.rev = rev;
    this.documentWritten(record);
  }

  private journalFieldWrite(record: ObjectRecord, name: string | undefined, previous: unknown): void {
    const journal = this.journal;
    if (!journal) return;
    this.replaced.push(record, name, previous, record.rev);
    if (journal.length > 0 && journal[journal.length - 1] === this.undoFieldRun) {
      this.fieldRuns[this.fieldRuns.length - 1]++;
    } else {
      journal.push(this.undoFieldRun);
      this.fieldRuns.push(1);
    }
  }

  setRev(record: ObjectRecord, rev: number): void {
    const previous = record.rev;
    record.rev = rev;
    this.changes.documentChanged(record.collectionId);
    this.record(() => { record.rev = previous; this.changes.documentChanged(record.collectionId); });
  }

  // ---- reading the index ----------------------------------------------------------------------

  /**
   * The slot of (key, property), NO_SLOT when no edge is indexed there. Walk it with `firstIn` and
   * `EdgeTable.nextIn`, in creation order; the caller must not change the store while it walks.
   */
  slotOf(key: string, property: string): number {
    const keyId = this.keys.find(key);
    const propertyId = this.names.find(property);
    return keyId === undefined || propertyId === undefined ? NO_SLOT : this.adjacency.slotAt(keyId, propertyId);
  }

  /** `slotOf` for an object at hand and an interned property name. */
  slotOfRecord(record: ObjectRecord, propertyId: number): number {
    return this.adjacency.slotAt(record.keyId, propertyId);
  }

  /** The oldest edge of a slot (NO_EDGE when none). */
  firstIn(slot: number): Edge {
    return slot === NO_SLOT ? NO_EDGE : this.adjacency.first(slot);
  }

  /** The edges indexed at (key, property), in creation order (a new list). */
  edgesAt(key: string, property: string): Edge[] {
    const slot = this.slotOf(key, property);
    const found: Edge[] = [];
    for (let edge = this.firstIn(slot); edge !== NO_EDGE; edge = this.edges.nextIn(edge, slot)) found.push(edge);
    return found;
  }

  /** Number of edges indexed at (key, property). */
  countAt(key: string, property: string): number {
    const slot = this.slotOf(key, property);
    return slot === NO_SLOT ? 0 : this.adjacency.count(slot);
  }

  /** The edge with counter `seq` indexed at (key, property). */
  edgeAt(key: string, property: string, seq: number): Edge | undefined {
    const slot = this.slotOf(key, property);
    for (let edge = this.firstIn(slot); edge !== NO_EDGE; edge = this.edges.nextIn(edge, slot)) {
      const edgeSeq = this.edges.seq(edge);
      if (edgeSeq === seq) return edge;
      if (edgeSeq > seq) break;
    }
    return undefined;
  }

  /** The stored edge with counter `seq`, wherever it is: a walk over every edge, for the rare request that names another object's edge. */
  findEdge(seq: number): Edge | undefined {
    for (const edge of this.allEdges()) if (this.edges.seq(edge) === seq) return edge;
    return undefined;
  }

  /** Every edge touching `key`, at either end, each once, in creation order. */
  edgesOf(key: string): Edge[] {
    const keyId = this.keys.find(key);
    if (keyId === undefined) return [];
    const table = this.edges;
    const found: Edge[] = [];
    for (let slot = this.adjacency.firstSlot(keyId); slot !== NO_SLOT; slot = this.adjacency.nextSlot(slot)) {
      for (let edge = this.adjacency.first(slot); edge !== NO_EDGE; edge = table.nextIn(edge, slot)) {
        // An edge whose origin is `key` is listed from its origin slot only (it may also sit in a reverse slot of `key`).
        if (table.fromKeyId(edge) !== keyId || table.slotOf(edge, true) === slot) found.push(edge);
      }
    }
    return found.sort((a, b) => table.seq(a) - table.seq(b));
  }

  /**
   * Every stored edge counted once per (group of its origin key, origin property id, group of its referenced key),
   * `groupOf` mapping a key id to a small integer (its collection, for a summary); see EdgeTable.countLinked.
   */
  countEdges(groupOf: (keyId: number) => number, count: (fromGroup: number, propertyId: number, toGroup: number, edges: number) => void): void {
    // Edges an operation removed keep their origin end linked until it commits (removeEdgesOf): not stored.
    const pending = this.removed.length ? new Set<number>(this.removed) : undefined;
    this.edges.countLinked(groupOf, pending, count);
  }

  *allEdges(): IterableIterator<Edge> {
    const table = this.edges;
    for (let keyId = 0; keyId < this.keys.size; keyId++) {
      for (let slot = this.adjacency.firstSlot(keyId); slot !== NO_SLOT; slot = this.adjacency.nextSlot(slot)) {
        for (let edge = this.adjacency.first(slot); edge !== NO_EDGE; edge = table.nextIn(edge, slot)) {
          // Each edge is listed from its origin slot only.
          if (table.slotOf(edge, true) === slot) yield edge;
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

  /**
   * `addEdge` for bulk loading (populate): between two stored objects, with the property names interned by
   * the caller (`names.intern`; `toPropertyId` NO_PROPERTY for a one-way edge) and no `_refProperties`.
   */
  addEdgeById(seq: number, rev: number, from: ObjectRecord, fromPropertyId: number, to: ObjectRecord, toPropertyId: number): Edge {
    const edge = this.edges.createById(seq, rev, from.keyId, fromPropertyId, to.keyId, toPropertyId);
    // `index`, from the arguments at hand rather than read back from the table.
    this.linkVersion++;
    this.adjacency.add(from.keyId, fromPropertyId, edge, true);
    const toSlotProperty = toPropertyId === NO_PROPERTY ? this.pointedToId : toPropertyId;
    if (from.keyId !== to.keyId || fromPropertyId !== toSlotProperty) this.adjacency.add(to.keyId, toSlotProperty, edge, false);
    this.changes.slotChanged(from.collectionId, fromPropertyId);
    this.changes.slotChanged(to.collectionId, toSlotProperty);
    this.edgeTotal++;
    if (this.journal) this.record(() => { this.unindex(edge); this.edgeTotal--; this.edges.release(edge); });
    return edge;
  }

  /** Makes room for `count` more edges at once (bulk loading knows how many it adds). */
  reserveEdges(count: number): void {
    this.edges.reserve(count);
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
  removeEdgesOf(key: string, touching?: Edge[]): Edge[] {
    const keyId = this.keys.find(key);
    if (keyId === undefined || !this.adjacency.hasSlots(keyId)) return [];
    // `touching`: `edgesOf(key)`, when the caller has it already.
    const edges = touching ?? this.edgesOf(key);
    const table = this.edges;
    for (const edge of edges) {
      if (table.fromKeyId(edge) !== keyId) this.unlink(edge, true);
      if (table.toKeyId(edge) !== keyId && !this.singleSlot(edge)) this.unlink(edge, false);
      this.removed.push(edge);
    }
    // The own slots keep their edges, linked as they were, for a rollback.
    this.linkVersion++;
    const chain = this.adjacency.detach(keyId);
    this.removedChains.push(chain);
    this.edgeTotal -= edges.length;
    this.record(() => {
      this.linkVersion++;
      this.adjacency.attach(keyId, chain);
      for (const edge of edges) {
        if (table.fromKeyId(edge) !== keyId) this.link(edge, true);
        if (table.toKeyId(edge) !== keyId && !this.singleSlot(edge)) this.link(edge, false);
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

  /** A symmetric self-reference (`friends` of A naming A, reverse `friends`) lives in one slot once. */
  private singleSlot(edge: Edge): boolean {
    const table = this.edges;
    return table.fromKeyId(edge) === table.toKeyId(edge) && table.fromPropertyId(edge) === this.toSlotProperty(edge);
  }

  /** The property of the slot holding the referenced end: the reverse property, POINTED_TO for one-way edges. */
  private toSlotProperty(edge: Edge): number {
    const id = this.edges.toPropertyId(edge);
    return id === NO_PROPERTY ? this.pointedToId : id;
  }

  private index(edge: Edge): void {
    this.link(edge, true);
    if (!this.singleSlot(edge)) this.link(edge, false);
  }

  private unindex(edge: Edge): void {
    this.unlink(edge, true);
    if (!this.singleSlot(edge)) this.unlink(edge, false);
  }

  /** Indexes one end of `edge` at its object and property. */
  private link(edge: Edge, fromEnd: boolean): void {
    this.linkVersion++;
    const table = this.edges;
    const keyId = fromEnd ? table.fromKeyId(edge) : table.toKeyId(edge);
    const propertyId = fromEnd ? table.fromPropertyId(edge) : this.toSlotProperty(edge);
    this.adjacency.add(keyId, propertyId, edge, fromEnd);
    this.stampSlot(keyId, propertyId);
  }

  private unlink(edge: Edge, fromEnd: boolean): void {
    this.linkVersion++;
    const table = this.edges;
    if (table.slotOf(edge, fromEnd) !== NO_SLOT) this.stampSlot(fromEnd ? table.fromKeyId(edge) : table.toKeyId(edge), fromEnd ? table.fromPropertyId(edge) : this.toSlotProperty(edge));
    this.adjacency.remove(edge, fromEnd);
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
