/**
 * Deterministic identifiers for the simulator: a seeded PRNG for generated object ids (UUIDs, as IDM
 * generates) and one counter for edge ids and revisions. Revisions and edge ids follow the shape of the
 * PingIDM 8.0 relationship examples: `<instance uuid>-<counter>` (`78483e83-9577-40cd-a1d4-6ea0a896e916-4311`).
 * Counters are plain numbers on the records; the strings are built only when a response needs them.
 */

/** Character codes of the hex digits 0-f. */
const HEX_DIGITS = Array.from({ length: 16 }, (_, i) => i.toString(16).charCodeAt(0));
const DASH = '-'.charCodeAt(0);

/** The character codes of the UUID being made, reused from one to the next. */
const uuidCodes: number[] = new Array<number>(36).fill(0);

/** Writes `value` as `digits` hex digits into uuidCodes at `at`. */
function putHex(at: number, value: number, digits: number): void {
  for (let i = at + digits - 1; i >= at; i--) {
    uuidCodes[i] = HEX_DIGITS[value & 15];
    value >>>= 4;
  }
}

/** mulberry32: tiny, fast, good enough for test data; the whole state is one 32-bit integer. */
export class SeededRandom {
  constructor(private state: number) {
    this.state = state >>> 0;
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, bound). */
  below(bound: number): number {
    return Math.floor(this.next() * bound);
  }

  get seedState(): number {
    return this.state;
  }

  set seedState(value: number) {
    this.state = value >>> 0;
  }

  /** A version-4 UUID drawn from this generator: lower-case hex digits and dashes only. */
  uuid(): string {
    const a = this.nextUint32();
    const b = ((this.nextUint32() & 0xffff0fff) | 0x00004000) >>> 0;
    const c = ((this.nextUint32() & 0x3fffffff) | 0x80000000) >>> 0;
    const d = this.nextUint32();
    // One string from its character codes: a template of eleven pieces would be a tree of concatenations,
    // which the id keeps (some 400 bytes per id, and slower to make; populate makes 100,000).
    putHex(0, a, 8);
    uuidCodes[8] = DASH;
    putHex(9, b >>> 16, 4);
    uuidCodes[13] = DASH;
    putHex(14, b & 0xffff, 4);
    uuidCodes[18] = DASH;
    putHex(19, c >>> 16, 4);
    uuidCodes[23] = DASH;
    putHex(24, c & 0xffff, 4);
    putHex(28, d, 8);
    return String.fromCharCode(...uuidCodes);
  }
}

export interface IdState {
  counter: number;
  random: number;
}

/** Everything that hands out identifiers, restorable so that a failed request leaves no trace. */
export class IdSource {
  readonly random: SeededRandom;
  /** The uuid part of every revision and edge id of this simulator. */
  readonly instance: string;
  private counter = 0;

  constructor(seed: number) {
    this.random = new SeededRandom(seed);
    this.instance = new SeededRandom(seed ^ 0x5bd1e995).uuid();
  }

  /** The next counter value (edge ids and revisions share it, as in the IDM examples). */
  next(): number {
    return ++this.counter;
  }

  format(counter: number): string {
    return `${this.instance}-${counter}`;
  }

  /** The counter inside `text` when it is one of ours, else undefined. */
  parse(text: string): number | undefined {
    const prefix = `${this.instance}-`;
    if (!text.startsWith(prefix)) return undefined;
    const digits = text.slice(prefix.length);
    if (!/^[0-9]{1,15}$/.test(digits)) return undefined;
    return Number(digits);
  }

  objectId(): string {
    return this.random.uuid();
  }

  save(): IdState {
    return { counter: this.counter, random: this.random.seedState };
  }

  restore(state: IdState): void {
    this.counter = state.counter;
    this.random.seedState = state.random;
  }
}
