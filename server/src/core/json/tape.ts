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

export class Tape {
  count = 0;
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

  constructor(readonly text: string, capacity: number) {
    this.kind = new Uint8Array(capacity);
    this.flags = new Uint8Array(capacity);
    this.start = new Int32Array(capacity);
    this.end = new Int32Array(capacity);
    this.keyStart = new Int32Array(capacity);
    this.keyEnd = new Int32Array(capacity);
    this.next = new Int32Array(capacity);
    this.childCount = new Int32Array(capacity);
  }

  add(kind: number, start: number, end: number, keyStart: number, keyEnd: number, flags: number): number {
    const slot = this.count;
    if (slot === this.kind.length) this.grow();
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

  private grow(): void {
    const capacity = this.kind.length * 2;
    this.kind = grownBytes(this.kind, capacity);
    this.flags = grownBytes(this.flags, capacity);
    this.start = grownInts(this.start, capacity);
    this.end = grownInts(this.end, capacity);
    this.keyStart = grownInts(this.keyStart, capacity);
    this.keyEnd = grownInts(this.keyEnd, capacity);
    this.next = grownInts(this.next, capacity);
    this.childCount = grownInts(this.childCount, capacity);
  }
}

function grownBytes(array: Uint8Array, capacity: number): Uint8Array {
  const bigger = new Uint8Array(capacity);
  bigger.set(array);
  return bigger;
}

function grownInts(array: Int32Array, capacity: number): Int32Array {
  const bigger = new Int32Array(capacity);
  bigger.set(array);
  return bigger;
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
  const made = text.slice(start, end);
  internTable[bucket] = made;
  return made;
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
