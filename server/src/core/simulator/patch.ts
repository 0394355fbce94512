/**
 * IDM patch operations (`PATCH managed/user/psmith`, body `[{"operation": "add", "field": "/roles/-", "value": {...}}]`)
 * applied to a plain JSON document. Supported: add, remove, replace, increment, copy, move.
 *
 * - add: on a list, `/-` appends and `/<n>` inserts; on a field that holds a list, a list value is
 *   appended item by item and any other value is appended (IDM: "the values included in the PATCH are
 *   added to the existing values"); otherwise the field is set, creating parent objects as needed.
 * - remove: removes a field or a list element; with a `value` on a list, removes the matching elements
 *   (the caller decides what matches: relationship lists match on `_ref`). A missing field is a no-op.
 * - replace: sets the field (or list element); increment adds a number.
 */
import { badRequest } from './errors';
import { cloneJson, isRecord, jsonEqual, type JsonRecord } from './json';
import { parsePointer } from './queryFilter';

export type PatchOperationName = 'add' | 'remove' | 'replace' | 'increment' | 'copy' | 'move';

export interface PatchOperation {
  operation: PatchOperationName;
  field: string[];
  from?: string[];
  value?: unknown;
  hasValue: boolean;
}

const NAMES = new Set<string>(['add', 'remove', 'replace', 'increment', 'copy', 'move']);

/** Reads a patch body; throws a 400 IdmError describing the first bad operation. */
export function parsePatch(body: unknown): PatchOperation[] {
  if (!Array.isArray(body)) throw badRequest('The patch request body must be a JSON array of patch operations');
  return body.map((raw, index) => {
    if (!isRecord(raw)) throw badRequest(`Patch operation ${index} is not a JSON object`);
    const operation = raw.operation;
    if (typeof operation !== 'string' || !NAMES.has(operation)) {
      throw badRequest(`Patch operation ${index}: unsupported operation ${JSON.stringify(operation)}; expected add, remove, replace, increment, copy or move`);
    }
    if (typeof raw.field !== 'string') throw badRequest(`Patch operation ${index}: "field" must be a JSON pointer string`);
    const field = parsePointer(raw.field);
    if (field.length === 0) throw badRequest(`Patch operation ${index}: cannot patch the whole object`);
    const hasValue = 'value' in raw;
    if ((operation === 'add' || operation === 'replace' || operation === 'increment') && !hasValue) {
      throw badRequest(`Patch operation ${index}: "${operation}" needs a "value"`);
    }
    let from: string[] | undefined;
    if (operation === 'copy' || operation === 'move') {
      if (typeof raw.from !== 'string') throw badRequest(`Patch operation ${index}: "${operation}" needs a "from" pointer`);
      from = parsePointer(raw.from);
    }
    return { operation: operation as PatchOperationName, field, from, value: raw.value, hasValue };
  });
}

export interface PatchOptions {
  /** Whether `element` of the list at top-level field `field` matches a remove operation's `value`. */
  matchesRemoval?(field: string, element: unknown, value: unknown): boolean;
}

/** Applies `operations` to `document` in place; throws a 400 IdmError when one cannot apply. */
export function applyPatch(document: JsonRecord, operations: PatchOperation[], options: PatchOptions = {}): void {
  for (const op of operations) {
    switch (op.operation) {
      case 'add': add(document, op.field, cloneJson(op.value)); break;
      case 'replace': set(document, op.field, cloneJson(op.value)); break;
      case 'remove': remove(document, op, options); break;
      case 'increment': increment(document, op.field, op.value); break;
      case 'copy': add(document, op.field, cloneJson(read(document, op.from!))); break;
      case 'move': {
        const value = read(document, op.from!);
        remove(document, { operation: 'remove', field: op.from!, hasValue: false }, options);
        add(document, op.field, value);
        break;
      }
    }
  }
}

function show(pointer: string[]): string {
  return '/' + pointer.join('/');
}

function read(document: JsonRecord, pointer: string[]): unknown {
  let current: unknown = document;
  for (const segment of pointer) {
    if (Array.isArray(current)) current = current[indexOf(segment, current.length - 1, pointer)];
    else if (isRecord(current)) current = current[segment];
    else current = undefined;
    if (current === undefined) throw badRequest(`Patch: no value at ${show(pointer)}`);
  }
  return current;
}

/** The container holding the last segment, creating objects on the way when asked. */
function parentOf(document: JsonRecord, pointer: string[], create: boolean): JsonRecord | unknown[] | undefined {
  let current: unknown = document;
  for (let i = 0; i < pointer.length - 1; i++) {
    const segment = pointer[i];
    if (Array.isArray(current)) {
      current = current[indexOf(segment, current.length - 1, pointer)];
    } else if (isRecord(current)) {
      if (current[segment] === undefined || current[segment] === null) {
        if (!create) return undefined;
        current[segment] = {};
      }
      current = current[segment];
    } else {
      throw badRequest(`Patch: ${show(pointer.slice(0, i + 1))} is not an object or a list`);
    }
  }
  if (!Array.isArray(current) && !isRecord(current)) throw badRequest(`Patch: the parent of ${show(pointer)} is not an object or a list`);
  return current;
}

function indexOf(segment: string, max: number, pointer: string[]): number {
  if (!/^(0|[1-9][0-9]*)$/.test(segment) || Number(segment) > max) {
    throw badRequest(`Patch: '${segment}' is not a valid list index in ${show(pointer)}`);
  }
  return Number(segment);
}

function add(document: JsonRecord, pointer: string[], value: unknown): void {
  const parent = parentOf(document, pointer, true)!;
  const last = pointer[pointer.length - 1];
  if (Array.isArray(parent)) {
    if (last === '-') parent.push(value);
    else parent.splice(indexOf(last, parent.length, pointer), 0, value);
    return;
  }
  const existing = parent[last];
  if (Array.isArray(existing)) {
    if (Array.isArray(value)) existing.push(...value);
    else existing.push(value);
    return;
  }
  parent[last] = value;
}

function set(document: JsonRecord, pointer: string[], value: unknown): void {
  const parent = parentOf(document, pointer, true)!;
  const last = pointer[pointer.length - 1];
  if (Array.isArray(parent)) {
    if (last === '-') parent.push(value);
    else parent[indexOf(last, parent.length - 1, pointer)] = value;
    return;
  }
  parent[last] = value;
}

function remove(document: JsonRecord, op: PatchOperation, options: PatchOptions): void {
  const pointer = op.field;
  const parent = parentOf(document, pointer, false);
  if (!parent) return;
  const last = pointer[pointer.length - 1];
  if (Array.isArray(parent)) {
    parent.splice(indexOf(last, parent.length - 1, pointer), 1);
    return;
  }
  const existing = parent[last];
  if (existing === undefined) return;
  if (op.hasValue && Array.isArray(existing)) {
    const matches = options.matchesRemoval && pointer.length === 1
      ? (item: unknown) => options.matchesRemoval!(last, item, op.value)
      : (item: unknown) => jsonEqual(item, op.value);
    parent[last] = existing.filter((item) => !matches(item));
    return;
  }
  delete parent[last];
}

function increment(document: JsonRecord, pointer: string[], value: unknown): void {
  if (typeof value !== 'number') throw badRequest(`Patch: increment of ${show(pointer)} needs a number value`);
  const parent = parentOf(document, pointer, true)!;
  const last = pointer[pointer.length - 1];
  const key = Array.isArray(parent) ? indexOf(last, parent.length - 1, pointer) : last;
  const current = (parent as Record<string | number, unknown>)[key];
  if (current !== undefined && typeof current !== 'number') throw badRequest(`Patch: ${show(pointer)} is not a number`);
  (parent as Record<string | number, unknown>)[key] = (current ?? 0) + value;
}
