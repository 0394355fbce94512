/**
 * The store's edge index in typed arrays (a row per slot): per (object, property) a slot, and per slot a doubly linked
 * list of the edges indexed there, in creation (edge id) order; the links live in the edge table, one pair per
 * edge end. An object's slots form a short chain from its interned key. 100,000 populated users would
 * otherwise keep some 300,000 small arrays and their slot objects, which the garbage collector copies.
 *
 * No allocation per edge or per slot; adding or removing an edge end is O(1) when edges come in creation order,
 * and re-adding older edges (edge moves, rollbacks) walks from the slot's last insertion, so runs of them in
 * either order stay O(1) each.
 */
import { grown } from './columns';
import { NO_EDGE, NO_SLOT, type Edge, type EdgeTable } from './edgeTable';

export { NO_SLOT } from './edgeTable';

const INITIAL_CAPACITY = 256;

/** The ints of a slot's row, and the offset of each. */
const SLOT_ROW = 8;
const KEY = 0;
const PROPERTY = 1;
const HEAD = 2;
const TAIL = 3;
const LIVE = 4;
const HINT = 5;
const NEXT_SLOT = 6;

export class Adjacency {
  private slotCapacity = INITIAL_CAPACITY;
  /** Next never-used slot id. */
  private slotEnd = 0;
  private readonly freeSlots: number[] = [];
  /**
   * One row of SLOT_ROW ints per slot (32 bytes): its key and property, the head and tail of its edge list, the
   * count of its edges, the edge last inserted (where the next insertion starts looking) and the next slot of
   * the same key (NO_SLOT at the end of the chain). A lookup reads a slot's property, next slot and head
   * together: one cache line where columns cost one each.
   */
  private slots = new Int32Array(INITIAL_CAPACITY * SLOT_ROW);
  /** Per interned key: its first slot. */
  private firstSlots = new Int32Array(0);

  constructor(private readonly edges: EdgeTable) {}

  /** The slot of (keyId, propertyId), or NO_SLOT. */
  slotAt(keyId: number, propertyId: number): number {
    for (let slot = this.firstSlot(keyId); slot !== NO_SLOT; slot = this.slots[slot * SLOT_ROW + NEXT_SLOT]) {
      if (this.slots[slot * SLOT_ROW + PROPERTY] === propertyId) return slot;
    }
    return NO_SLOT;
  }

  firstSlot(keyId: number): number {
    return keyId < this.firstSlots.length ? this.firstSlots[keyId] : NO_SLOT;
  }

  nextSlot(slot: number): number { return this.slots[slot * SLOT_ROW + NEXT_SLOT]; }
  slotKey(slot: number): number { return this.slots[slot * SLOT_ROW + KEY]; }
  /** Number of edges in the slot. */
  count(slot: number): number { return this.slots[slot * SLOT_ROW + LIVE]; }
  /** The slot's oldest edge (NO_EDGE when empty); walk on with `EdgeTable.nextIn`. */
  first(slot: number): Edge { return this.slots[slot * SLOT_ROW + HEAD] as Edge; }

  /** Whether the key has any slot. */
  hasSlots(keyId: number): boolean {
    return this.firstSlot(keyId) !== NO_SLOT;
  }

  /** Links one end of `edge` into the slot of (keyId, propertyId), created when missing, at its place by edge id. */
  add(keyId: number, propertyId: number, edge: Edge, fromEnd: boolean): void {
    let slot = this.slotAt(keyId, propertyId);
    if (slot === NO_SLOT) slot = this.newSlot(keyId, propertyId);
    const table = this.edges;
    const seq = table.seq(edge);
    const tail = this.slots[slot * SLOT_ROW + TAIL] as Edge;
    if (tail === NO_EDGE || table.seq(tail) < seq) {
      // The usual case (edges come in creation order): behind the tail, without looking for the place.
      table.setSlot(edge, fromEnd, slot);
      table.setPrev(edge, fromEnd, tail);
      table.setNext(edge, fromEnd, NO_EDGE);
      if (tail === NO_EDGE) this.slots[slot * SLOT_ROW + HEAD] = edge;
      else table.setNext(tail, this.isFromEnd(tail, slot), edge);
      this.slots[slot * SLOT_ROW + TAIL] = edge;
      this.slots[slot * SLOT_ROW + HINT] = edge;
      this.slots[slot * SLOT_ROW + LIVE]++;
      return;
    }
    // `after`: the edge to insert behind (NO_EDGE: at the head). Starts at the last insertion when that one
    // is still in the slot, else at the tail.
    let after = this.slots[slot * SLOT_ROW + HINT] as Edge;
    if (after === NO_EDGE || !this.holds(slot, after)) after = this.slots[slot * SLOT_ROW + TAIL] as Edge;
    if (after !== NO_EDGE && table.seq(after) < seq) {
      for (let next = table.nextIn(after, slot); next !== NO_EDGE && table.seq(next) < seq; next = table.nextIn(after, slot)) after = next;
    } else {
      while (after !== NO_EDGE && table.seq(after) > seq) after = this.prevIn(after, slot);
    }
    const next = after === NO_EDGE ? this.slots[slot * SLOT_ROW + HEAD] as Edge : table.nextIn(after, slot);
    table.setSlot(edge, fromEnd, slot);
    table.setPrev(edge, fromEnd, after);
    table.setNext(edge, fromEnd, next);
    if (after === NO_EDGE) this.slots[slot * SLOT_ROW + HEAD] = edge;
    else table.setNext(after, this.isFromEnd(after, slot), edge);
    if (next === NO_EDGE) this.slots[slot * SLOT_ROW + TAIL] = edge;
    else table.setPrev(next, this.isFromEnd(next, slot), edge);
    this.slots[slot * SLOT_ROW + HINT] = edge;
    this.slots[slot * SLOT_ROW + LIVE]++;
  }

  /** Unlinks one end of `edge`; a slot left empty is dropped from its key's chain and reused. */
  remove(edge: Edge, fromEnd: boolean): void {
    const table = this.edges;
    const slot = table.slotOf(edge, fromEnd);
    if (slot === NO_SLOT) return;
    const prev = table.prevOf(edge, fromEnd);
    const next = table.nextOf(edge, fromEnd);
    if (prev === NO_EDGE) this.slots[slot * SLOT_ROW + HEAD] = next;
    else table.setNext(prev, this.isFromEnd(prev, slot), next);
    if (next === NO_EDGE) this.slots[slot * SLOT_ROW + TAIL] = prev;
    else table.setPrev(next, this.isFromEnd(next, slot), prev);
    table.setSlot(edge, fromEnd, NO_SLOT);
    if (--this.slots[slot * SLOT_ROW + LIVE] > 0) return;
    const keyId = this.slots[slot * SLOT_ROW + KEY];
    let before = NO_SLOT;
    for (let s = this.firstSlots[keyId]; s !== slot; s = this.slots[s * SLOT_ROW + NEXT_SLOT]) before = s;
    if (before === NO_SLOT) this.firstSlots[keyId] = this.slots[slot * SLOT_ROW + NEXT_SLOT];
    else this.slots[before * SLOT_ROW + NEXT_SLOT] = this.slots[slot * SLOT_ROW + NEXT_SLOT];
    this.freeSlots.push(slot);
  }

  /**
   * Takes all of a key's slots off the key at once and returns the chain (NO_SLOT when none). The slots keep
   * their edges, ready for `attach` (a rolled-back delete); `release` them once they cannot come back.
   */
  detach(keyId: number): number {
    const chain = this.firstSlot(keyId);
    if (chain !== NO_SLOT) this.firstSlots[keyId] = NO_SLOT;
    return chain;
  }

  /** Gives a detached chain back to its key, which has no slots meanwhile. */
  attach(keyId: number, chain: number): void {
    this.firstSlots[keyId] = chain;
  }

  /** Makes the slots of a detached chain reusable. */
  release(chain: number): void {
    for (let slot = chain; slot !== NO_SLOT; slot = this.slots[slot * SLOT_ROW + NEXT_SLOT]) this.freeSlots.push(slot);
  }

  /** Whether the end of `edge` held in `slot` is its origin end (a self-reference may sit in two slots of one key). */
  private isFromEnd(edge: Edge, slot: number): boolean {
    return this.edges.slotOf(edge, true) === slot;
  }

  private holds(slot: number, edge: Edge): boolean {
    return this.edges.slotOf(edge, true) === slot || this.edges.slotOf(edge, false) === slot;
  }

  private prevIn(edge: Edge, slot: number): Edge {
    return this.edges.prevOf(edge, this.isFromEnd(edge, slot));
  }

  private newSlot(keyId: number, propertyId: number): number {
    let slot = this.freeSlots.pop();
    if (slot === undefined) {
      if (this.slotEnd === this.slotCapacity) this.growSlots();
      slot = this.slotEnd++;
    }
    this.slots[slot * SLOT_ROW + KEY] = keyId;
    this.slots[slot * SLOT_ROW + PROPERTY] = propertyId;
    this.slots[slot * SLOT_ROW + HEAD] = NO_EDGE;
    this.slots[slot * SLOT_ROW + TAIL] = NO_EDGE;
    this.slots[slot * SLOT_ROW + HINT] = NO_EDGE;
    this.slots[slot * SLOT_ROW + LIVE] = 0;
    this.slots[slot * SLOT_ROW + NEXT_SLOT] = NO_SLOT;
    // Appended to the key's chain, so that a key's slots keep the order they were made in.
    if (keyId >= this.firstSlots.length) this.growKeys(keyId + 1);
    let last = this.firstSlots[keyId];
    if (last === NO_SLOT) {
      this.firstSlots[keyId] = slot;
    } else {
      while (this.slots[last * SLOT_ROW + NEXT_SLOT] !== NO_SLOT) last = this.slots[last * SLOT_ROW + NEXT_SLOT];
      this.slots[last * SLOT_ROW + NEXT_SLOT] = slot;
    }
    return slot;
  }

  private growSlots(): void {
    this.slotCapacity *= 2;
    this.slots = grown(this.slots, this.slotCapacity * SLOT_ROW);
  }

  private growKeys(needed: number): void {
    const previous = this.firstSlots.length;
    this.firstSlots = grown(this.firstSlots, Math.max(needed, previous * 2, INITIAL_CAPACITY));
    // Unlike edge rows, key rows are read before any slot is made for them.
    this.firstSlots.fill(NO_SLOT, previous);
  }
}
