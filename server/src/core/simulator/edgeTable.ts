/**
 * Relationship edges in columns: an edge is a small integer handle into typed arrays, not an object.
 * A million edges (100,000 populated users) would otherwise be a million retained objects, or arrays of
 * pointers the garbage collector scans; here an edge costs about 56 bytes off the JS heap (its index links
 * included) and no allocation.
 * Object keys and property names are interned (see Interner), and `_refProperties`, which few edges carry,
 * are kept aside in a map.
 *
 * A handle stays valid while its edge is stored and until the transaction that removed it commits (an
 * operation still reads the edges it deleted, for notifications and the audit); the store then releases it
 * and a later edge may reuse it.
 */
import { grown } from './columns';
import type { Interner } from './interner';
import type { JsonRecord } from './json';

/** Handle of a stored edge (branded, so that it cannot be confused with an edge id counter). */
export type Edge = number & { readonly __edgeHandle: unique symbol };

/** Marks a removed entry in an index slot (handles start at 1). */
export const NO_EDGE = 0 as Edge;

/** Property id of the missing reverse property of a one-way edge. */
export const NO_PROPERTY = -1;

/** Slot of an edge end that is not indexed. */
export const NO_SLOT = -1;

const INITIAL_CAPACITY = 1024;

export class EdgeTable {
  private capacity = INITIAL_CAPACITY;
  /** Next never-used handle; 0 is NO_EDGE. */
  private end = 1;
  private readonly released: Edge[] = [];
  // Edge id counters and revisions can exceed 32 bits over a long session: kept as doubles (exact to 2^53).
  private seqs = new Float64Array(INITIAL_CAPACITY);
  private revs = new Float64Array(INITIAL_CAPACITY);
  private fromKeys = new Int32Array(INITIAL_CAPACITY);
  private fromProperties = new Int32Array(INITIAL_CAPACITY);
  private toKeys = new Int32Array(INITIAL_CAPACITY);
  private toProperties = new Int32Array(INITIAL_CAPACITY);
  // The store's index links each edge end into its slot's list (see Adjacency): the slot holding the end,
  // and the previous and next edges of that slot. Maintained by the index only.
  private fromSlots = new Int32Array(INITIAL_CAPACITY);
  private toSlots = new Int32Array(INITIAL_CAPACITY);
  private fromPrevs = new Int32Array(INITIAL_CAPACITY);
  private fromNexts = new Int32Array(INITIAL_CAPACITY);
  private toPrevs = new Int32Array(INITIAL_CAPACITY);
  private toNexts = new Int32Array(INITIAL_CAPACITY);
  private readonly refPropertyValues = new Map<Edge, JsonRecord>();

  constructor(private readonly keys: Interner, private readonly properties: Interner) {}

  /** Stores a new edge's data and returns its handle (not indexed: that is the store's job). */
  create(seq: number, rev: number, fromKeyId: number, fromProperty: string, toKeyId: number, toProperty: string | undefined, refProperties: JsonRecord | undefined): Edge {
    const fromPropertyId = this.properties.intern(fromProperty);
    const toPropertyId = toProperty === undefined ? NO_PROPERTY : this.properties.intern(toProperty);
    const edge = this.createById(seq, rev, fromKeyId, fromPropertyId, toKeyId, toPropertyId);
    // A handle comes without `_refProperties`: a new one never had any, a released one lost them in `release`.
    if (refProperties) this.refPropertyValues.set(edge, refProperties);
    return edge;
  }

  /**
   * `create` with the property names already interned (`toPropertyId` NO_PROPERTY for a one-way edge) and
   * no `_refProperties`: bulk loading interns each name once, not twice per edge.
   */
  createById(seq: number, rev: number, fromKeyId: number, fromPropertyId: number, toKeyId: number, toPropertyId: number): Edge {
    let edge = this.released.pop();
    if (edge === undefined) {
      if (this.end === this.capacity) this.grow(this.capacity * 2);
      edge = this.end++ as Edge;
    }
    this.seqs[edge] = seq;
    this.revs[edge] = rev;
    this.fromSlots[edge] = NO_SLOT;
    this.toSlots[edge] = NO_SLOT;
    this.fromKeys[edge] = fromKeyId;
    this.toKeys[edge] = toKeyId;
    this.fromProperties[edge] = fromPropertyId;
    this.toProperties[edge] = toPropertyId;
    return edge;
  }

  /**
   * Makes room for `count` more edges (bulk loading knows how many it adds): the columns are copied once,
   * to their final size, instead of once per doubling.
   */
  reserve(count: number): void {
    const needed = this.end + Math.max(0, count - this.released.length);
    if (needed > this.capacity) this.grow(needed);
  }

  /** Lets a later edge reuse the handle. */
  release(edge: Edge): void {
    this.refPropertyValues.delete(edge);
    this.released.push(edge);
  }

  /** Counter of the edge id; stays the same for the edge's whole life. */
  seq(edge: Edge): number { return this.seqs[edge]; }
  rev(edge: Edge): number { return this.revs[edge]; }
  /** The origin end: the object whose property created the edge (IDM's firstId side). */
  fromKey(edge: Edge): string { return this.keys.name(this.fromKeys[edge]); }
  fromProperty(edge: Edge): string { return this.properties.name(this.fromProperties[edge]); }
  /** The referenced end. */
  toKey(edge: Edge): string { return this.keys.name(this.toKeys[edge]); }
  /** The reverse property recorded with a bidirectional edge (IDM's secondPropertyName); undefined for one-way edges. */
  toProperty(edge: Edge): string | undefined {
    const id = this.toProperties[edge];
    return id === NO_PROPERTY ? undefined : this.properties.name(id);
  }
  refProperties(edge: Edge): JsonRecord | undefined { return this.refPropertyValues.get(edge); }
  /** Interned id of the origin property, for comparisons without looking the name up. */
  fromPropertyId(edge: Edge): number { return this.fromProperties[edge]; }
  /** Interned id of the reverse property; NO_PROPERTY for one-way edges. */
  toPropertyId(edge: Edge): number { return this.toProperties[edge]; }
  /** Interned ids of the two end keys, for the store's index. */
  fromKeyId(edge: Edge): number { return this.fromKeys[edge]; }
  toKeyId(edge: Edge): number { return this.toKeys[edge]; }

  setRev(edge: Edge, rev: number): void { this.revs[edge] = rev; }

  setRefProperties(edge: Edge, refProperties: JsonRecord | undefined): void {
    if (refProperties) this.refPropertyValues.set(edge, refProperties);
    else this.refPropertyValues.delete(edge);
  }

  /** Re-points the edge (the store re-indexes it). */
  setEnds(edge: Edge, fromKey: string, fromProperty: string, toKey: string, toProperty: string | undefined): void {
    this.fromKeys[edge] = this.keys.intern(fromKey);
    this.toKeys[edge] = this.keys.intern(toKey);
    this.setProperties(edge, fromProperty, toProperty);
  }

  private setProperties(edge: Edge, fromProperty: string, toProperty: string | undefined): void {
    this.fromProperties[edge] = this.properties.intern(fromProperty);
    this.toProperties[edge] = toProperty === undefined ? NO_PROPERTY : this.properties.intern(toProperty);
  }

  // ---- index links of the edge's two ends (Adjacency's) ----

  /** The index slot holding the end (NO_SLOT when the end is not indexed). */
  slotOf(edge: Edge, fromEnd: boolean): number { return fromEnd ? this.fromSlots[edge] : this.toSlots[edge]; }
  prevOf(edge: Edge, fromEnd: boolean): Edge { return (fromEnd ? this.fromPrevs[edge] : this.toPrevs[edge]) as Edge; }
  nextOf(edge: Edge, fromEnd: boolean): Edge { return (fromEnd ? this.fromNexts[edge] : this.toNexts[edge]) as Edge; }
  /** The next edge of `slot`, which holds `edge` (at its origin end when that end's slot is `slot`). */
  nextIn(edge: Edge, slot: number): Edge { return (this.fromSlots[edge] === slot ? this.fromNexts[edge] : this.toNexts[edge]) as Edge; }

  setSlot(edge: Edge, fromEnd: boolean, slot: number): void {
    if (fromEnd) this.fromSlots[edge] = slot;
    else this.toSlots[edge] = slot;
  }

  setPrev(edge: Edge, fromEnd: boolean, prev: Edge): void {
    if (fromEnd) this.fromPrevs[edge] = prev;
    else this.toPrevs[edge] = prev;
  }

  setNext(edge: Edge, fromEnd: boolean, next: Edge): void {
    if (fromEnd) this.fromNexts[edge] = next;
    else this.toNexts[edge] = next;
  }

  private grow(capacity: number): void {
    this.capacity = capacity;
    this.seqs = grown(this.seqs, this.capacity);
    this.revs = grown(this.revs, this.capacity);
    this.fromKeys = grown(this.fromKeys, this.capacity);
    this.fromProperties = grown(this.fromProperties, this.capacity);
    this.toKeys = grown(this.toKeys, this.capacity);
    this.toProperties = grown(this.toProperties, this.capacity);
    this.fromSlots = grown(this.fromSlots, this.capacity);
    this.toSlots = grown(this.toSlots, this.capacity);
    this.fromPrevs = grown(this.fromPrevs, this.capacity);
    this.fromNexts = grown(this.fromNexts, this.capacity);
    this.toPrevs = grown(this.toPrevs, this.capacity);
    this.toNexts = grown(this.toNexts, this.capacity);
  }
}
