/**
 * Where a cursor sits in a (possibly half-typed) JSON document: in a key, in a value, in an array item, or in the
 * gap where one of those is about to be typed. The tolerant parser gives a partial tree; the few characters around
 * the cursor decide what the tree cannot (a colon already typed, a comma forgotten, a string not yet closed).
 */
import type { JsonArray, JsonNode, JsonObject, JsonProperty } from '../json/ast';
import type { OffsetRange } from '../diagnostics/finding';

export type CursorSlot =
  /** A property name: `property` is the one whose key holds the cursor, undefined in a gap. */
  | { kind: 'key'; object: JsonObject; property?: JsonProperty; hasValue: boolean }
  /** The value of `property`: `node` is the scalar under the cursor, undefined when none is typed yet. */
  | { kind: 'value'; object: JsonObject; property: JsonProperty; node?: JsonNode }
  /** An item of `array` at `index`: `node` is the scalar under the cursor, undefined in a gap. */
  | { kind: 'item'; array: JsonArray; index: number; node?: JsonNode }
  | { kind: 'none' };

export interface Cursor {
  offset: number;
  slot: CursorSlot;
  /** What a completion replaces: the token under the cursor (quotes included) or an empty range at the cursor. */
  replace: OffsetRange;
  /** What has been typed of the token, without its opening quote. */
  prefix: string;
  /** True when the token under the cursor is a string that is already closed. */
  quoted: boolean;
  /** The offset at which a comma is missing before the cursor (`"a": 1 ⏎ "b|`). */
  missingCommaAt?: number;
  /** True when something follows the cursor in the same container, so an insertion needs a trailing comma. */
  needsCommaAfter: boolean;
}

const WORD = /[A-Za-z0-9_$./\-]/;

/** The innermost object or array whose inside holds `offset`. */
export function containerAt(text: string, root: JsonNode | undefined, offset: number): JsonObject | JsonArray | undefined {
  if (!root || (root.type !== 'object' && root.type !== 'array') || !inside(text, root, offset)) return undefined;
  let container: JsonObject | JsonArray = root;
  for (;;) {
    const children: Array<JsonNode | undefined> = container.type === 'object' ? container.properties.map((p) => p.value) : container.items;
    let next: JsonObject | JsonArray | undefined;
    for (const child of children) {
      if (child && (child.type === 'object' || child.type === 'array') && inside(text, child, offset)) { next = child; break; }
    }
    if (!next) return container;
    container = next;
  }
}

/** Between the brackets of `node` (a closed container ends before its closing bracket). */
function inside(text: string, node: JsonObject | JsonArray, offset: number): boolean {
  if (offset <= node.offset) return false;
  return isClosed(text, node) ? offset < node.end : offset <= node.end;
}

function isClosed(text: string, node: JsonObject | JsonArray): boolean {
  return node.end - node.offset >= 2 && text.charCodeAt(node.end - 1) === (node.type === 'object' ? 125 /* } */ : 93 /* ] */);
}

/** A string token is closed when it ends with an unescaped quote. */
export function isClosedString(text: string, start: number, end: number): boolean {
  if (end - start < 2 || text.charCodeAt(end - 1) !== 34) return false;
  let backslashes = 0;
  for (let i = end - 2; i > start && text.charCodeAt(i) === 92; i--) backslashes++;
  return backslashes % 2 === 0;
}

/** A caret holds a token from just after its first character to just after its last. */
function tokenHolds(start: number, end: number, offset: number): boolean {
  return offset > start && offset <= end;
}

export function analyseCursor(text: string, root: JsonNode | undefined, offset: number): Cursor {
  offset = Math.max(0, Math.min(offset, text.length));
  const container = containerAt(text, root, offset);
  const empty: Cursor = { offset, slot: { kind: 'none' }, replace: { start: offset, end: offset }, prefix: '', quoted: false, needsCommaAfter: false };
  if (!container) return empty;

  if (container.type === 'object') {
    for (const property of container.properties) {
      if (tokenHolds(property.keyOffset, property.keyEnd, offset)) {
        const hasValue = !!property.value || /^\s*:/.test(text.slice(property.keyEnd, property.keyEnd + 200));
        return token(text, offset, property.keyOffset, property.keyEnd, { kind: 'key', object: container, property, hasValue }, container);
      }
      const value = property.value;
      if (value && value.type !== 'object' && value.type !== 'array' && tokenHolds(value.offset, value.end, offset)) {
        return token(text, offset, value.offset, value.end, { kind: 'value', object: container, property, node: value }, container);
      }
    }
    return objectGap(text, container, offset);
  }

  for (let index = 0; index < container.items.length; index++) {
    const item = container.items[index];
    if (item.type !== 'object' && item.type !== 'array' && tokenHolds(item.offset, item.end, offset)) {
      return token(text, offset, item.offset, item.end, { kind: 'item', array: container, index, node: item }, container);
    }
  }
  return arrayGap(text, container, offset);
}

/** The cursor in a token the parser read: a string (closed or not) or a bare word. */
function token(text: string, offset: number, start: number, end: number, slot: CursorSlot, container: JsonObject | JsonArray): Cursor {
  const isString = text.charCodeAt(start) === 34;
  const quoted = isString && isClosedString(text, start, end);
  // An unclosed string runs to the end of its line: only the word at the cursor is being replaced.
  const replaceEnd = quoted ? end : wordEnd(text, offset, end);
  const prefix = text.slice(isString ? start + 1 : start, Math.min(offset, quoted ? end - 1 : offset));
  return {
    offset,
    slot,
    replace: { start, end: replaceEnd },
    prefix,
    quoted,
    missingCommaAt: slot.kind === 'value' ? undefined : missingCommaBefore(text, container, start),
    needsCommaAfter: followedByContent(text, replaceEnd, container),
  };
}

/** The end of the member before `start` when no comma separates it from `start`. */
function missingCommaBefore(text: string, container: JsonObject | JsonArray, start: number): number | undefined {
  let previousEnd: number | undefined;
  if (container.type === 'object') {
    const previous = lastBefore(container.properties, (p) => p.keyOffset < start);
    // A property still without its value is not finished: a comma after it would not help.
    if (!previous?.value) return undefined;
    previousEnd = previous.value.end;
  } else {
    previousEnd = lastBefore(container.items, (item) => item.end <= start)?.end;
  }
  if (previousEnd === undefined) return undefined;
  return withoutComments(text.slice(previousEnd, start)).includes(',') ? undefined : previousEnd;
}

function wordEnd(text: string, offset: number, limit: number): number {
  let end = offset;
  while (end < limit && WORD.test(text[end])) end++;
  return end;
}

/** A bare word being typed at the cursor (`rev|`, `tr|`): the parser skipped it, the text still has it. */
function bareWord(text: string, offset: number, floor: number): OffsetRange {
  let start = offset;
  while (start > floor && WORD.test(text[start - 1])) start--;
  let end = offset;
  while (end < text.length && WORD.test(text[end])) end++;
  return { start, end };
}

function objectGap(text: string, object: JsonObject, offset: number): Cursor {
  const word = bareWord(text, offset, object.offset + 1);
  const previous = lastBefore(object.properties, (p) => p.keyOffset < word.start);
  const base = { offset, replace: word, prefix: text.slice(word.start, offset), quoted: false };
  const needsCommaAfter = followedByContent(text, word.end, object);
  if (!previous) return { ...base, slot: { kind: 'key', object, hasValue: false }, needsCommaAfter };
  const previousEnd = previous.value ? previous.value.end : previous.keyEnd;
  const between = withoutComments(text.slice(previousEnd, word.start));
  if (!previous.value) {
    // `"key": |` — the value is what is being typed.
    if (between.includes(':') || /^\s*:/.test(withoutComments(text.slice(previous.keyEnd, word.start)))) {
      return { ...base, slot: { kind: 'value', object, property: previous }, needsCommaAfter };
    }
    return { ...base, slot: { kind: 'none' }, needsCommaAfter: false };
  }
  if (between.includes(':')) {
    // Inside a value the parser could not read (an object key typed where a value goes): nothing sensible to offer.
    return { ...base, slot: { kind: 'none' }, needsCommaAfter: false };
  }
  return {
    ...base,
    slot: { kind: 'key', object, hasValue: false },
    missingCommaAt: between.includes(',') ? undefined : previousEnd,
    needsCommaAfter,
  };
}

function arrayGap(text: string, array: JsonArray, offset: number): Cursor {
  const word = bareWord(text, offset, array.offset + 1);
  let index = 0;
  let previous: JsonNode | undefined;
  for (const item of array.items) {
    if (item.end <= word.start) { previous = item; index++; }
  }
  const between = previous ? withoutComments(text.slice(previous.end, word.start)) : '';
  return {
    offset,
    slot: { kind: 'item', array, index },
    replace: word,
    prefix: text.slice(word.start, offset),
    quoted: false,
    missingCommaAt: previous && !between.includes(',') ? previous.end : undefined,
    needsCommaAfter: followedByContent(text, word.end, array),
  };
}

function lastBefore<T>(list: T[], test: (item: T) => boolean): T | undefined {
  let found: T | undefined;
  for (const item of list) if (test(item)) found = item;
  return found;
}

/** True when the next significant character after `from` starts another member of `container`. */
function followedByContent(text: string, from: number, container: JsonObject | JsonArray): boolean {
  const rest = withoutComments(text.slice(from, from + 400)).trimStart();
  if (!rest) return false;
  const next = rest[0];
  if (next === ',' || next === '}' || next === ']') return false;
  if (container.type === 'object') return next === '"';
  return true;
}

function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?(\*\/|$)/g, ' ').replace(/\/\/[^\n]*/g, ' ');
}

export type TokenAt =
  | { kind: 'key'; object: JsonObject; property: JsonProperty; range: OffsetRange }
  | { kind: 'value'; object: JsonObject; property: JsonProperty; node: JsonNode; range: OffsetRange }
  | { kind: 'item'; array: JsonArray; index: number; node: JsonNode; range: OffsetRange };

/** The key or scalar whose characters include `offset` (the character right of a caret, as hover positions are). */
export function tokenAt(text: string, root: JsonNode | undefined, offset: number): TokenAt | undefined {
  // A token's first character is inside its container, so look from just right of it.
  const container = containerAt(text, root, offset + 1) ?? containerAt(text, root, offset);
  if (!container) return undefined;
  const holds = (start: number, end: number) => offset >= start && offset < end;
  if (container.type === 'object') {
    for (const property of container.properties) {
      if (holds(property.keyOffset, property.keyEnd)) return { kind: 'key', object: container, property, range: { start: property.keyOffset, end: property.keyEnd } };
      const value = property.value;
      if (value && value.type !== 'object' && value.type !== 'array' && holds(value.offset, value.end)) {
        return { kind: 'value', object: container, property, node: value, range: { start: value.offset, end: value.end } };
      }
    }
    return undefined;
  }
  for (let index = 0; index < container.items.length; index++) {
    const item = container.items[index];
    if (item.type !== 'object' && item.type !== 'array' && holds(item.offset, item.end)) return { kind: 'item', array: container, index, node: item, range: { start: item.offset, end: item.end } };
  }
  return undefined;
}
