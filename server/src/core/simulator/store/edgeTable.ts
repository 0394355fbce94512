/**
 * Relationship edges in typed arrays: an edge is a small integer handle to its rows, not an object.
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
import type { JsonRecord } from '../json';

/** Handle of a stored edge (branded, so that it cannot be confused with an edge id counter). */
export type Edge = number & { readonly __edgeHandle: unique symbol };

/** Marks a removed entry in an index slot (handles start at 1). */
export const NO_EDGE = 0 as Edge;

/** Property id of the missing reverse property of a one-way edge. */
export const NO_PROPERTY = -1;

/** Slot of an edge end that is not indexed. */
export const NO_SLOT = -1;

const INITIAL_CAPACITY = 1024;

/** The ints of an edge's row, and the offset of each. */
const ROW = 8;
const FROM_KEY = 0;
const FROM_PROPERTY = 1;
const TO_KEY = 2;
const TO_PROPERTY = 3;
const FROM_SLOT = 4;
const TO_SLOT = 5;
const FROM_NEXT = 6;
const TO_NEXT = 7;

export class EdgeTable {
  private capacity = INITIAL_CAPACITY;
  /** Next never-used handle; 0 is NO_EDGE. */
  private end = 1;
  private readonly released: Edge[] = [];
  // Edge id counters and revisions can exceed 32 bits over a long session: kept as doubles (exact to 2^53).
  private seqs = new Float64Array(INITIAL_CAPACITY);
  private revs = new Float64Array(INITIAL_CAPACITY);
  /**
   * What a walk of a slot reads, one row of ROW ints per edge (32 bytes: two edges to a cache line), where
   * separate columns would cost a cache miss each per edge: the ends (keys and properties), and the index
   * links of each end into its slot's list (see Adjacency): the slot holding the end and the next edge there.
   */
  private rows = new Int32Array(INITIAL_CAPACITY * ROW);
  /** The previous edge of each end in its slot (read only when an edge is linked or unlinked). */
  private prevs = new Int32Array(INITIAL_CAPACITY * 2);
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
    const row = edge * ROW;
    const rows = this.rows;
    rows[row + FROM_SLOT] = NO_SLOT;
    rows[row + TO_SLOT] = NO_SLOT;
    rows[row + FROM_KEY] = fromKeyId;
    rows[row + TO_KEY] = toKeyId;
    rows[row + FROM_PROPERTY] = fromPropertyId;
    rows[row + TO_PROPERTY] = toPropertyId;
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
    // Unindexed ends say so (`countLinked` reads it): the edges of a deleted object keep the slot of their own end
    // until here, since its slots were detached whole (Store.removeEdgesOf).
    this.rows[edge * ROW + FROM_SLOT] = NO_SLOT;
    this.rows[edge * ROW + TO_SLOT] = NO_SLOT;
    this.released.push(edge);
  }

  /**
   * Counts every edge whose origin end is indexed, except `skip`, per (group of its origin key, origin property id,
   * group of its referenced key), where `groupOf` maps a key id to a group (its collection, for a summary). One
   * sequential pass over the rows: walking the slots instead visits each edge twice at random places, which costs a
   * second for the millions of edges a population holds. `count` gets each run of consecutive rows of one group
   * triple, with its length.
   */
  countLinked(groupOf: (keyId: number) => number, skip: ReadonlySet<number> | undefined, count: (fromGroup: number, propertyId: number, toGroup: number, edges: number) => void): void {
    const rows = this.rows;
    let runFrom = -1;
    let runProperty = -1;
    let runTo = -1;
    let runLength = 0;
    for (let edge = 1; edge < this.end; edge++) {
      const row = edge * ROW;
      if (rows[row + FROM_SLOT] === NO_SLOT || skip?.has(edge)) continue;
      const from = groupOf(rows[row + FROM_KEY]);
      const property = rows[row + FROM_PROPERTY];
      const to = groupOf(rows[row + TO_KEY]);
      if (from === runFrom && property === runProperty && to === runTo) {
        runLength++;
        continue;
      }
      if (runLength) count(runFrom, runProperty, runTo, runLength);
      runFrom = from;
      runProperty = property;
      runTo = to;
      runLength = 1;
    }
    if (runLength) count(runFrom, runProperty, runTo, runLength);
  }

  /** Counter of the edge id; stays the same for the edge's whole life. */
  seq(edge: Edge): number { return this.seqs[edge]; }
  rev(edge: Edge): number { return this.revs[edge]; }
  /** The origin end: the object whose property created the edge (IDM's firstId side). */
  fromKey(edge: Edge): string { return this.keys.name(this.rows[edge * ROW + FROM_KEY]); }
  fromProperty(edge: Edge): string { return this.properties.name(this.rows[edge * ROW + FROM_PROPERTY]); }
  /** The referenced end. */
  toKey(edge: Edge): string { return this.keys.name(this.rows[edge * ROW + TO_KEY]); }
  /** The reverse property recorded with a bidirectional edge (IDM's secondPropertyName); undefined for one-way edges. */
  toProperty(edge: Edge): string | undefined {
    const id = this.rows[edge * ROW + TO_PROPERTY];
    return id === NO_PROPERTY ? undefined : this.properties.name(id);
  }
  refProperties(edge: Edge): JsonRecord | undefined { return this.refPropertyValues.get(edge); }
  /** Interned id of the origin property, for comparisons without looking the name up. */
  fromPropertyId(edge: Edge): number { return this.rows[edge * ROW + FROM_PROPERTY]; }
  /** Interned id of the reverse property; NO_PROPERTY for one-way edges. */
  toPropertyId(edge: Edge): number { return this.rows[edge * ROW + TO_PROPERTY]; }
  /** Interned ids of the two end keys, for the store's index. */
  fromKeyId(edge: Edge): number { return this.rows[edge * ROW + FROM_KEY]; }
  toKeyId(edge: Edge): number { return this.rows[edge * ROW + TO_KEY]; }

  setRev(edge: Edge, rev: number): void { this.revs[edge] = rev; }

  setRefProperties(edge: Edge, refProperties: JsonRecord | undefined): void {
    if (refProperties) this.refPropertyValues.set(edge, refProperties);
    else this.refPropertyValues.delete(edge);
  }

  /** Re-points the edge (the store re-indexes it). */
  setEnds(edge: Edge, fromKey: string, fromProperty: string, toKey: string, toProperty: string | undefined): void {
    this.rows[edge * ROW + FROM_KEY] = this.keys.intern(fromKey);
    this.rows[edge * ROW + TO_KEY] = this.keys.intern(toKey);
    this.setProperties(edge, fromProperty, toProperty);
  }

  private setProperties(edge: Edge, fromProperty: string, toProperty: string | undefined): void {
    this.rows[edge * ROW + FROM_PROPERTY] = this.properties.intern(fromProperty);
    this.rows[edge * ROW + TO_PROPERTY] = toProperty === undefined ? NO_PROPERTY : this.properties.intern(toProperty);
  }

  // ---- index links of the edge's two ends (Adjacency's) ----

  /** The index slot holding the end (NO_SLOT when the end is not indexed). */
  slotOf(edge: Edge, fromEnd: boolean): number { return this.rows[edge * ROW + (fromEnd ? FROM_SLOT : TO_SLOT)]; }
  prevOf(edge: Edge, fromEnd: boolean): Edge { return this.prevs[edge * 2 + (fromEnd ? 0 : 1)] as Edge; }
  nextOf(edge: Edge, fromEnd: boolean): Edge { return this.rows[edge * ROW + (fromEnd ? FROM_NEXT : TO_NEXT)] as Edge; }
  /** The next edge of `slot`, which holds `edge` (at its origin end when that end's slot is `slot`). */
  nextIn(edge: Edge, slot: number): Edge {
    const row = edge * ROW;
    return this.rows[row + (this.rows[row + FROM_SLOT] === slot ? FROM_NEXT : TO_NEXT)] as Edge;
  }

  setSlot(edge: Edge, fromEnd: boolean, slot: number): void {
    this.rows[edge * ROW + (fromEnd ? FROM_SLOT : TO_SLOT)] = slot;
  }

  setPrev(edge: Edge, fromEnd: boolean, prev: Edge): void {
    this.prevs[edge * 2 + (fromEnd ? 0 : 1)] = prev;
  }

  setNext(edge: Edge, fromEnd: boolean, next: Edge): void {
    this.rows[edge * ROW + (fromEnd ? FROM_NEXT : TO_NEXT)] = next;
  }

  private grow(capacity: number): void {
    this.capacity = capacity;
    this.seqs = grown(this.seqs, this.capacity);
    this.revs = grown(this.revs, this.capacity);
    this.rows = grown(this.rows, this.capacity * ROW);
    this.prevs = grown(this.prevs, this.capacity * 2);
  }
}
