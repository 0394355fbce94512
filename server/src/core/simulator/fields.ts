/**
 * The `_fields` parameter: which fields a response carries.
 *
 * - absent: the fields returned by default (relationships and virtual fields only with `returnByDefault: true`);
 * - `*`: the same default fields, so `*,manager` adds a relationship to them;
 * - `*_ref`: every relationship field as references, and no other field (ManagedObjectSet.prepareResponse puts
 *   the relationship fields in place of `*_ref` in the field list; `_id` and `_rev` always come): `*,*_ref` for both;
 * - `manager`: the reference(s) of a relationship field;
 * - `manager/mail`, `reports/*` + `/mail` style (`relatedObject/property`, `relatedObject/*\/property`):
 *   fields of the referenced object(s), expanded into each reference (PingIDM 8.0, Read relationship fields);
 * - `preferences/marketing`: part of a plain field.
 */

export interface FieldSelection {
  /** Default fields are included (no `_fields`, or `*`). */
  defaults: boolean;
  /** Every relationship field is included as references (`*_ref`). */
  allRelationships: boolean;
  /** Named top-level fields, each with the sub-paths requested under it (an empty list: the whole field). */
  named: Map<string, string[][]>;
}

export const DEFAULT_SELECTION: FieldSelection = Object.freeze({
  defaults: true,
  allRelationships: false,
  named: new Map<string, string[][]>(),
}) as FieldSelection;

/** Parses `_fields`; undefined or empty means the default fields. */
export function parseFields(text: string | undefined): FieldSelection {
  if (text === undefined || text.trim() === '') return DEFAULT_SELECTION;
  const selection: FieldSelection = { defaults: false, allRelationships: false, named: new Map() };
  for (const raw of text.split(',')) {
    const item = raw.trim().replace(/^\/+/, '');
    if (item === '') continue;
    if (item === '*') { selection.defaults = true; continue; }
    if (item === '*_ref') { selection.allRelationships = true; continue; }
    const [top, ...rest] = item.split('/').map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
    addNamed(selection, top, rest);
  }
  return selection;
}

/** A selection of exactly the given sub-paths (used to expand referenced objects). */
export function selectionOf(paths: string[][]): FieldSelection {
  const selection: FieldSelection = { defaults: false, allRelationships: false, named: new Map() };
  for (const path of paths) {
    if (path.length === 0) continue;
    const [top, ...rest] = path;
    if (top === '*' && rest.length === 0) { selection.defaults = true; continue; }
    if (top === '*_ref' && rest.length === 0) { selection.allRelationships = true; continue; }
    addNamed(selection, top, rest);
  }
  return selection;
}

function addNamed(selection: FieldSelection, top: string, rest: string[]): void {
  const existing = selection.named.get(top);
  if (existing === undefined) selection.named.set(top, rest.length ? [rest] : []);
  else if (existing.length && rest.length) existing.push(rest);
  else if (!rest.length) selection.named.set(top, []);
}

/** The part of `value` at the requested sub-paths (plain JSON); undefined when none exists. */
export function projectValue(value: unknown, subPaths: string[][]): unknown {
  if (subPaths.length === 0) return value;
  if (Array.isArray(value)) {
    // `field/*/x` and `field/x` both read `x` of every element.
    const elementPaths = subPaths.map((path) => (path[0] === '*' ? path.slice(1) : path));
    return value.map((item) => projectValue(item, elementPaths));
  }
  if (value === null || typeof value !== 'object') return undefined;
  const source = value as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  const grouped = new Map<string, string[][]>();
  for (const path of subPaths) {
    if (path.length === 0 || path[0] === '*') return value;
    const list = grouped.get(path[0]) ?? [];
    list.push(path.slice(1));
    grouped.set(path[0], list);
  }
  let any = false;
  for (const [key, paths] of grouped) {
    if (!(key in source)) continue;
    const whole = paths.some((path) => path.length === 0);
    const projected = whole ? source[key] : projectValue(source[key], paths);
    if (projected !== undefined) { result[key] = projected; any = true; }
  }
  return any ? result : undefined;
}
