/**
 * IDM patch operations (`PATCH managed/user/psmith`, body `[{"operation": "add", "field": "/roles/-", "value": {...}}]`)
 * applied to a plain JSON document. Supported: add, remove, replace, increment, copy, move.
 *
 * - add: on a list, `/-` appends; on a field that holds a list, a list value is appended item by item and any
 *   other value is appended (Common REST's patch "add": "the values included in the PATCH are added to the
 *   existing values"); with `listAddReplaces` (IDM 5.x, whose JsonValuePatch.add is JsonValue.putPermissive)
 *   the field is set to the value instead; otherwise the field is set, creating parent objects as needed.
 * - remove: removes a field; with a `value` on a list, removes every element equal to it as a whole
 *   (JsonValuePatch.remove: `List.remove(value)` until none is left); on a single value, removes it if equal.
 *   A missing field is a no-op.
 * - replace: sets the field; increment adds a number.
 * - No operation may address a list element by position: a pointer whose last token is a single digit under a
 *   list is refused with 400 "Position-based operation is not allowed: <pointer>" (JsonValuePatch.apply checks
 *   `field` for add/remove/replace/increment and `from` for move/copy, as each operation comes; `/-` is fine).
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
  /** `add` on a field holding a list sets the field (IDM 5.x JsonValuePatch) rather than appending. */
  listAddReplaces?: boolean;
}

/** Applies `operations` to `document` in place; throws a 400 IdmError when one cannot apply. */
export function applyPatch(document: JsonRecord, operations: PatchOperation[], options: PatchOptions = {}): void {
  for (const op of operations) {
    refusePosition(document, op.operation === 'move' || op.operation === 'copy' ? op.from! : op.field);
    switch (op.operation) {
      case 'add': add(document, op.field, cloneJson(op.value), options); break;
      case 'replace': set(document, op.field, cloneJson(op.value)); break;
      case 'remove': remove(document, op); break;
      case 'increment': increment(document, op.field, op.value); break;
      case 'copy': add(document, op.field, cloneJson(read(document, op.from!)), options); break;
      case 'move': {
        const value = read(document, op.from!);
        remove(document, { operation: 'remove', field: op.from!, hasValue: false });
        add(document, op.field, value, options);
        break;
      }
    }
  }
}

function show(pointer: string[]): string {
  return '/' + pointer.map((token) => token.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

/** JsonValuePatch.apply: "Position-based operation is not allowed" for `/list/<digit>` (one digit: `\\d`, matched whole). */
function refusePosition(document: JsonRecord, pointer: string[]): void {
  if (pointer.length < 2 || !/^\d$/.test(pointer[pointer.length - 1])) return;
  let parent: unknown = document;
  for (const token of pointer.slice(0, -1)) {
    if (Array.isArray(parent)) parent = /^(0|[1-9][0-9]*)$/.test(token) ? parent[Number(token)] : undefined;
    else if (isRecord(parent)) parent = parent[token];
    else return;
  }
  if (Array.isArray(parent)) throw badRequest(`Position-based operation is not allowed: ${show(pointer)}`);
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

function add(document: JsonRecord, pointer: string[], value: unknown, options: PatchOptions): void {
  const parent = parentOf(document, pointer, true)!;
  const last = pointer[pointer.length - 1];
  if (Array.isArray(parent)) {
    if (last === '-') parent.push(value);
    else parent.splice(indexOf(last, parent.length, pointer), 0, value);
    return;
  }
  const existing = parent[last];
  if (Array.isArray(existing) && !options.listAddReplaces) {
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

function remove(document: JsonRecord, op: PatchOperation): void {
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
  if (op.hasValue && op.value !== null) {
    if (Array.isArray(existing)) parent[last] = existing.filter((item) => !jsonEqual(item, op.value));
    else if (jsonEqual(existing, op.value)) delete parent[last];
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
