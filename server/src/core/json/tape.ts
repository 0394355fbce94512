/**
 * The parsed shape of a JSON text as flat typed arrays: one slot per value, in document order (a container's
 * children follow it, each child's subtree before the next sibling). Building this allocates a handful of arrays
 * instead of an object per value, which is what makes multi-megabyte configs cheap; the node objects the rest of
 * the core reads are made from it on demand (lazyNodes.ts).
 */

/** Slot kinds. `Missing` is an object member whose value was not typed yet (`"a": }`). */
export const KIND_OBJECT = 1;
export const KIND_ARRAY = 2;
export const KIND_STRING = 3;
export const KIND_NUMBER = 4;
export const KIND_TRUE = 5;
export const KIND_FALSE = 6;
export const KIND_NULL = 7;
export const KIND_MISSING = 8;

/** Slot flags: a string needs decoding (escapes or no closing quote) rather than a plain slice. */
export const FLAG_KEY_NEEDS_DECODING = 1;
export const FLAG_VALUE_NEEDS_DECODING = 2;

const NO_SLOT = -1;

/** The columns of a tape: one entry per slot in each. */
interface TapeColumns {
  kind: Uint8Array;
  flags: Uint8Array;
  /** Value range; for `Missing`, the end of the key. */
  start: Int32Array;
  end: Int32Array;
  /** Key range (quotes included) of an object member, -1 for array items and the root. */
  keyStart: Int32Array;
  keyEnd: Int32Array;
  /** Next sibling slot, or -1. */
  next: Int32Array;
  /** Number of children of a container (its first child, if any, is the next slot). */
  childCount: Int32Array;
}

const INT_COLUMNS = ['start', 'end', 'keyStart', 'keyEnd', 'next', 'childCount'] as const;
const BYTE_COLUMNS = ['kind', 'flags'] as const;

/**
 * Where the parser writes a tape. Zeroed memory is expensive on some machines (fresh pages from the system cost
 * more than the parse of what they hold), so one writer is kept and reused by every parse; `finish` copies the
 * slots into columns of the exact size.
 */
export class TapeWriter implements TapeColumns {
  count = 0;
  kind!: Uint8Array;
  flags!: Uint8Array;
  start!: Int32Array;
  end!: Int32Array;
  keyStart!: Int32Array;
  keyEnd!: Int32Array;
  next!: Int32Array;
  childCount!: Int32Array;

  /** The length of the text being parsed, for `grow` to project the slots it will take. */
  private textLength = 0;

  private static spare: TapeWriter | undefined;
  /**
   * A writer larger than this (in slots; about 14 MB, a text of about 16 MB) is not kept for the next parse: a thread
   * that parses a huge text now and then would hold it for good.
   */
  private static readonly KEEP_LIMIT = 1 << 19;

  private constructor(capacity: number) {
    this.allocate(capacity);
  }

  /** The kept writer (emptied), or a new one, for a text of `textLength`; parses are synchronous, so one is enough. */
  static acquire(textLength: number): TapeWriter {
    // Pretty-printed configs hold about one value per 35 characters; the writer grows when that is too few.
    const expectedSlots = (textLength / 32) | 0;
    const spare = TapeWriter.spare;
    TapeWriter.spare = undefined;
    // A kept writer too small for this text would grow several times; start at the expected size instead.
    const writer = spare && spare.kind.length >= expectedSlots ? spare : new TapeWriter(Math.max(64, expectedSlots));
    writer.count = 0;
    writer.textLength = textLength;
    return writer;
  }

  add(kind: number, start: number, end: number, keyStart: number, keyEnd: number, flags: number): number {
    const slot = this.count;
    if (slot === this.kind.length) this.grow(start);
    this.kind[slot] = kind;
    this.flags[slot] = flags;
    this.start[slot] = start;
    this.end[slot] = end;
    this.keyStart[slot] = keyStart;
    this.keyEnd[slot] = keyEnd;
    this.next[slot] = NO_SLOT;
    this.childCount[slot] = 0;
    this.count = slot + 1;
    return slot;
  }

  /** The finished tape for `text`; the writer goes back to be reused. */
  finish(text: string): Tape {
    const count = this.count;
    const columns = {} as TapeColumns;
    if (this.kind.length > TapeWriter.KEEP_LIMIT) {
      // Not kept for the next parse (a text of tens of megabytes): the tape takes the writer's own columns, unused
      // room included, rather than copies. A copy made the parse of a 50 MB text hold its tape twice at once.
      for (const name of INT_COLUMNS) columns[name] = this[name].subarray(0, count);
      for (const name of BYTE_COLUMNS) columns[name] = this[name].subarray(0, count);
      return new Tape(text, count, columns);
    }
    // slice() takes memory without zeroing it first. A zeroed buffer of this size (new ArrayBuffer) comes fresh
    // from the system, and on some machines touching fresh pages costs more than the whole parse: 12 ms
    // against 0.4 ms for 4 MB here.
    for (const name of INT_COLUMNS) columns[name] = this[name].slice(0, count);
    for (const name of BYTE_COLUMNS) columns[name] = this[name].slice(0, count);
    this.release();
    return new Tape(text, count, columns);
  }

  /** Gives the writer back for the next parse without finishing a tape (a parse whose result is discarded). */
  release(): void {
    if (this.kind.length <= TapeWriter.KEEP_LIMIT) TapeWriter.spare = this;
  }

  /**
   * All columns in one buffer. Eight separate buffers of a huge tape (6 MB each for a 50 MB text) are just under
   * what glibc's malloc always hands back to the system when freed, and each free raises the size it maps
   * directly (its dynamic mmap threshold, see mallopt(3) M_MMAP_THRESHOLD): the next parse's columns then came from
   * the heap and stayed resident after its tape was dropped. One buffer of the whole tape is over that bound.
   */
  private allocate(capacity: number): void {
    const buffer = new ArrayBuffer(capacity * (INT_COLUMNS.length * 4 + BYTE_COLUMNS.length));
    let offset = 0;
    for (const name of INT_COLUMNS) {
      this[name] = new Int32Array(buffer, offset, capacity);
      offset += capacity * 4;
    }
    for (const name of BYTE_COLUMNS) {
      this[name] = new Uint8Array(buffer, offset, capacity);
      offset += capacity;
    }
  }

  /**
   * To the size the text read so far projects for the whole text (its slots per character so far, over its length),
   * with a margin, and by an eighth at least. A fixed factor overshot: a dense 50 MB text filled 1.6 million slots
   * of the 2.3 million that growing by half had reserved, 18 MB held for nothing while its model was built and checked.
   */
  private grow(position: number): void {
    const old: TapeColumns = { ...this };
    const capacity = this.kind.length;
    const projected = Math.ceil((capacity / Math.max(position, 1)) * this.textLength * 1.02);
    this.allocate(Math.max(projected, capacity + (capacity >> 3) + 64));
    for (const name of INT_COLUMNS) this[name].set(old[name]);
    for (const name of BYTE_COLUMNS) this[name].set(old[name]);
  }
}

/** A finished tape: read by the lazy nodes. */
export class Tape implements TapeColumns {
  readonly kind: Uint8Array;
  readonly flags: Uint8Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly keyStart: Int32Array;
  readonly keyEnd: Int32Array;
  readonly next: Int32Array;
  readonly childCount: Int32Array;

  /** The document's text; replaced (with the offsets after an edit shifted) by `shiftFrom`. */
  text: string;

  constructor(text: string, readonly count: number, columns: TapeColumns) {
    this.text = text;
    this.kind = columns.kind;
    this.flags = columns.flags;
    this.start = columns.start;
    this.end = columns.end;
    this.keyStart = columns.keyStart;
    this.keyEnd = columns.keyEnd;
    this.next = columns.next;
    this.childCount = columns.childCount;
  }

  /**
   * After an edit of the text before `from` (in the old text) that moved what follows by `delta`: every offset at or
   * past `from` moves by `delta`, and `text` becomes the edited text. The nodes made from this tape read their ranges
   * from it, so they follow without being made again (model/configFile.ts `updateConfigFile`).
   */
  shiftFrom(from: number, delta: number, text: string): void {
    this.text = text;
    if (delta === 0) return;
    for (const column of [this.start, this.end, this.keyStart, this.keyEnd]) {
      for (let slot = 0; slot < this.count; slot++) if (column[slot] >= from) column[slot] += delta;
    }
  }

  /** A copy of this tape with every offset moved by `base`, over `text` (a value parsed alone, set in its document). */
  rebased(text: string, base: number): Tape {
    const columns: TapeColumns = {
      kind: this.kind, flags: this.flags, next: this.next, childCount: this.childCount,
      start: this.start.map((offset) => offset + base), end: this.end.map((offset) => offset + base),
      keyStart: this.keyStart.map((offset) => (offset < 0 ? offset : offset + base)),
      keyEnd: this.keyEnd.map((offset) => (offset < 0 ? offset : offset + base)),
    };
    return new Tape(text, this.count, columns);
  }

  firstChild(slot: number): number {
    return this.childCount[slot] > 0 ? slot + 1 : NO_SLOT;
  }

  /** Whether the key of member `slot` is `key`, compared in place without making a string. */
  keyEquals(slot: number, key: string): boolean {
    const keyStart = this.keyStart[slot];
    if (this.flags[slot] & FLAG_KEY_NEEDS_DECODING) return this.keyOf(slot) === key;
    return this.keyEnd[slot] - keyStart - 2 === key.length && this.text.startsWith(key, keyStart + 1);
  }

  keyOf(slot: number): string {
    const keyStart = this.keyStart[slot];
    if (this.flags[slot] & FLAG_KEY_NEEDS_DECODING) return decodeString(this.text, keyStart);
    return sliceInterned(this.text, keyStart + 1, this.keyEnd[slot] - 1);
  }

  stringValueOf(slot: number): string {
    const start = this.start[slot];
    if (this.flags[slot] & FLAG_VALUE_NEEDS_DECODING) return decodeString(this.text, start);
    return sliceInterned(this.text, start + 1, this.end[slot] - 1);
  }

  numberValueOf(slot: number): number {
    return Number(this.text.slice(this.start[slot], numberValueEnd(this.text, this.start[slot])));
  }
}

// Keys and short values repeat endlessly in configs ("type", "string", "items"...). Handing out one shared string
// per spelling saves an allocation per read; the table is small and shared by all parses.
const INTERN_MAX_LENGTH = 32;
const INTERN_TABLE_SIZE = 4096;
const internTable: string[] = new Array<string>(INTERN_TABLE_SIZE).fill('');

function sliceInterned(text: string, start: number, end: number): string {
  const length = end - start;
  if (length > INTERN_MAX_LENGTH) return text.slice(start, end);
  let hash = length;
  for (let i = start; i < end; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  const bucket = hash & (INTERN_TABLE_SIZE - 1);
  const cached = internTable[bucket];
  if (cached.length === length && text.startsWith(cached, start)) return cached;
  const made = ownCopy(text.slice(start, end));
  internTable[bucket] = made;
  return made;
}

/**
 * The same characters, in a string that does not hold `text`. V8 makes a slice of 13 characters or more a view
 * into the whole text; kept in the table, such a view held an old version of a text being edited in memory (50 MB
 * for a 50 MB config, for as long as the entry lasted). Prefixing makes a short concatenation, which slicing copies
 * into its own small string first.
 */
function ownCopy(slice: string): string {
  return slice.length < 13 ? slice : ` ${slice}`.slice(1);
}

/**
 * The value of the string token opening at `quote`, as jsonc-parser's scanner gives it: escapes decoded, an
 * invalid escape dropped, and an unterminated string cut at the line break or the end of the text.
 */
export function decodeString(text: string, quote: number): string {
  const length = text.length;
  let result = '';
  let pos = quote + 1;
  let start = pos;
  for (;;) {
    if (pos >= length) return result + text.substring(start, pos);
    const ch = text.charCodeAt(pos);
    if (ch === 0x22) return result + text.substring(start, pos);
    if (ch === 0x5c) {
      result += text.substring(start, pos);
      pos++;
      if (pos >= length) return result;
      const escaped = text.charCodeAt(pos++);
      switch (escaped) {
        case 0x22: result += '"'; break;
        case 0x5c: result += '\\'; break;
        case 0x2f: result += '/'; break;
        case 0x62: result += '\b'; break;
        case 0x66: result += '\f'; break;
        case 0x6e: result += '\n'; break;
        case 0x72: result += '\r'; break;
        case 0x74: result += '\t'; break;
        case 0x75: {
          let digits = 0;
          let code = 0;
          while (digits < 4) {
            const hex = hexValue(text.charCodeAt(pos));
            if (hex < 0) break;
            code = code * 16 + hex;
            pos++;
            digits++;
          }
          if (digits === 4) result += String.fromCharCode(code);
          break;
        }
        default: break; // dropped, reported as invalid-escape
      }
      start = pos;
      continue;
    }
    if (ch === 0x0a || ch === 0x0d) return result + text.substring(start, pos);
    pos++;
  }
}

export function hexValue(ch: number): number {
  if (ch >= 0x30 && ch <= 0x39) return ch - 0x30;
  if (ch >= 0x41 && ch <= 0x46) return ch - 0x41 + 10;
  if (ch >= 0x61 && ch <= 0x66) return ch - 0x61 + 10;
  return -1;
}

/**
 * Where the numeric value of the number token at `start` ends: its end, except that a dangling exponent
 * (`1e`, reported as invalid-number) is not part of the value, as in jsonc-parser.
 */
export function numberValueEnd(text: string, start: number): number {
  let pos = start;
  if (text.charCodeAt(pos) === 0x2d) pos++;
  if (text.charCodeAt(pos) === 0x30) pos++;
  else while (isDigit(text.charCodeAt(pos))) pos++;
  if (text.charCodeAt(pos) === 0x2e) {
    pos++;
    if (!isDigit(text.charCodeAt(pos))) return pos;
    while (isDigit(text.charCodeAt(pos))) pos++;
  }
  const ch = text.charCodeAt(pos);
  if (ch === 0x45 || ch === 0x65) {
    let exponent = pos + 1;
    const sign = text.charCodeAt(exponent);
    if (sign === 0x2b || sign === 0x2d) exponent++;
    if (isDigit(text.charCodeAt(exponent))) {
      while (isDigit(text.charCodeAt(exponent))) exponent++;
      return exponent;
    }
  }
  return pos;
}

export function isDigit(ch: number): boolean {
  return ch >= 0x30 && ch <= 0x39;
}
