/**
 * Every place a config names an object type or a property: declarations (an object's `name`, a property's key) and
 * references (`resourceCollection` paths, `reversePropertyName`, `notifyRelationships`, `queryConfig` hops and
 * fields, `query.fields`, `sortKeys`, `conditionalAssociationField`, `schema.order`/`required`, `meta` and
 * `lastSync`). Definition, references and rename are all answered from this one list, so they always agree.
 */
import { asArray, asObject, getValueNode, type JsonNode, type JsonString } from '../json/ast';
import type { OffsetRange } from '../diagnostics/finding';
import { parseTargetPath } from '../model/configFile';
import { firstSegment } from '../model/fieldPath';
import { BUILTIN_INTERNAL_OBJECTS } from '../model/internalObjects';
import { Schema, type ResolvedTarget } from '../model/schema';
import type { ConfigFile, ObjectType, PropertyDef, TargetRef } from '../model/types';
import { hopPaths } from '../rules/rdvp';

export type SymbolRef =
  | { kind: 'object'; objectKind: 'managed' | 'internal'; name: string }
  | { kind: 'property'; objectKind: 'managed' | 'internal'; object: string; name: string };

export type SiteRole =
  | 'object-declaration' | 'property-declaration'
  | 'path' | 'meta-path' | 'reverse-name' | 'notify-relationships' | 'hop' | 'object-field'
  | 'query-field' | 'sort-key' | 'conditional-field' | 'order' | 'required' | 'last-sync';

export interface Site {
  file: ConfigFile;
  /** The name's characters inside the string (no quotes, no `managed/` prefix, no `/sub` suffix). */
  range: OffsetRange;
  /** The whole string or key token. */
  token: OffsetRange;
  role: SiteRole;
  /** What the name refers to: several for a polymorphic relationship or hop. */
  targets: SymbolRef[];
  /** The property whose definition holds the site (absent for object-level sites). */
  holder?: PropertyDef;
}

export function sameSymbol(a: SymbolRef, b: SymbolRef): boolean {
  if (a.kind !== b.kind || a.objectKind !== b.objectKind || a.name !== b.name) return false;
  return a.kind === 'object' || a.object === (b as { object: string }).object;
}

export function symbolKey(symbol: SymbolRef): string {
  return symbol.kind === 'object' ? `${symbol.objectKind}:${symbol.name}` : `${symbol.objectKind}:${symbol.object}.${symbol.name}`;
}

export function objectSymbol(object: ObjectType): SymbolRef {
  return { kind: 'object', objectKind: object.kind, name: object.name };
}

export function propertySymbol(property: PropertyDef): SymbolRef {
  return { kind: 'property', objectKind: property.owner.kind, object: property.owner.name, name: property.name };
}

/** The symbol a resolved target stands for (a missing managed type still has a name to refer to). */
function targetObjectSymbol(target: ResolvedTarget, ref: TargetRef): SymbolRef | undefined {
  if (target.kind === 'object') return objectSymbol(target.object);
  if (target.kind === 'internal') return { kind: 'object', objectKind: 'internal', name: target.name };
  if (target.kind === 'missing') return { kind: 'object', objectKind: 'managed', name: target.name };
  void ref;
  return undefined;
}

function propertyOfTarget(target: SymbolRef, name: string): SymbolRef {
  return { kind: 'property', objectKind: target.objectKind, object: target.name, name };
}

/**
 * Sites per object type, per schema. The workspace builds a new Schema whenever one of its files changes, so a
 * schema's sites never go stale; the WeakMap lets old schemas go.
 */
const cache = new WeakMap<Schema, Map<ObjectType, Site[]>>();

/** Every site in the definition of `object`. */
export function sitesOf(schema: Schema, object: ObjectType): Site[] {
  let perObject = cache.get(schema);
  if (!perObject) cache.set(schema, (perObject = new Map()));
  let sites = perObject.get(object);
  if (!sites) perObject.set(object, (sites = collectSites(schema, object)));
  return sites;
}

function collectSites(schema: Schema, object: ObjectType): Site[] {
  const sites: Site[] = [];
  const file = object.file;
  const self = objectSymbol(object);
  const add = (node: JsonNode | undefined, role: SiteRole, targets: SymbolRef[], holder?: PropertyDef, segment: (value: string) => [number, number] = (v) => [0, v.length]) => {
    if (!node || node.type !== 'string' || !targets.length) return;
    const [from, to] = segment(node.value);
    const start = node.offset + 1 + rawOffset(file.text, node, from);
    const end = node.offset + 1 + rawOffset(file.text, node, to);
    sites.push({ file, range: { start, end }, token: { start: node.offset, end: node.end }, role, targets, holder });
  };

  if (object.nameNode) add(object.nameNode, 'object-declaration', [self]);
  for (const property of object.properties) {
    const entry = property.entry;
    sites.push({
      file, role: 'property-declaration', targets: [propertySymbol(property)], holder: property,
      range: { start: entry.keyOffset + 1, end: Math.max(entry.keyOffset + 1, entry.keyEnd - (file.text.charCodeAt(entry.keyEnd - 1) === 34 ? 1 : 0)) },
      token: { start: entry.keyOffset, end: entry.keyEnd },
    });
    addPropertySites(schema, object, property, add);
  }
  for (const list of [object.orderNode, object.requiredNode]) {
    for (const item of list?.items ?? []) add(item, list === object.orderNode ? 'order' : 'required', [propertyOfTarget(self, stringOf(item))]);
  }
  if (object.kind === 'managed') {
    const meta = asObject(getValueNode(object.node, 'meta'));
    const metaPath = getValueNode(meta, 'resourceCollection');
    if (metaPath?.type === 'string') {
      const ref = parseTargetPath(metaPath.value);
      const symbol = ref.kind === 'invalid' ? undefined : targetObjectSymbol(schema.resolve(ref), ref);
      if (symbol) add(metaPath, 'meta-path', [symbol], undefined, pathNameSegment);
    }
    const lastSync = asObject(getValueNode(object.node, 'lastSync'));
    for (const key of ['effectiveAssignmentsProperty', 'lastSyncProperty']) {
      const node = getValueNode(lastSync, key);
      if (node?.type === 'string') add(node, 'last-sync', [propertyOfTarget(self, node.value)]);
    }
  }
  return sites;
}

type AddSite = (node: JsonNode | undefined, role: SiteRole, targets: SymbolRef[], holder?: PropertyDef, segment?: (value: string) => [number, number]) => void;

function addPropertySites(schema: Schema, object: ObjectType, property: PropertyDef, add: AddSite): void {
  const self = objectSymbol(object);
  const relationship = property.relationship;
  if (relationship) {
    const targets: SymbolRef[] = [];
    for (const entry of relationship.resourceCollection?.entries ?? []) {
      const resolved = schema.resolve(entry.target);
      const target = entry.target.kind === 'invalid' ? undefined : targetObjectSymbol(resolved, entry.target);
      if (!target) continue;
      targets.push(target);
      add(entry.pathNode, 'path', [target], property, pathNameSegment);
      const fieldTarget = (value: string) => [propertyOfTarget(target, firstSegment(value))];
      for (const field of entry.queryFields?.entries ?? []) if (!isOwnField(field.value)) add(field, 'query-field', fieldTarget(field.value), property, firstSegmentRange);
      for (const key of asArray(getValueNode(entry.queryNode, 'sortKeys'))?.items ?? []) {
        if (key.type === 'string' && !isOwnField(key.value.replace(/^[+-]/, ''))) add(key, 'sort-key', fieldTarget(key.value.replace(/^[+-]/, '')), property, sortKeyRange);
      }
      if (entry.conditionalAssociationField) add(entry.conditionalAssociationField, 'conditional-field', fieldTarget(entry.conditionalAssociationField.value), property);
    }
    if (relationship.reversePropertyNameNode?.type === 'string' && targets.length) {
      const name = relationship.reversePropertyNameNode.value;
      add(relationship.reversePropertyNameNode, 'reverse-name', targets.map((target) => propertyOfTarget(target, name)), property);
    }
  }
  for (const entry of property.notifyRelationships?.entries ?? []) add(entry, 'notify-relationships', [propertyOfTarget(self, entry.value)], property);

  if (property.queryConfig) {
    const finalTypes: SymbolRef[] = [];
    let known = true;
    for (const path of hopPaths(property)) {
      let current: SymbolRef[] = [self];
      for (const hop of path) {
        add(hop, 'hop', current.map((type) => propertyOfTarget(type, hop.value)), property);
        current = typesReached(schema, current, hop.value);
        if (!current.length) break;
      }
      if (current.length) finalTypes.push(...current);
      else known = false;
    }
    if (known && finalTypes.length) {
      const unique = uniqueSymbols(finalTypes);
      for (const item of asArray(getValueNode(property.queryConfig, 'referencedObjectFields'))?.items ?? []) {
        if (item.type !== 'string' || item.value === '*' || isOwnField(item.value)) continue;
        add(item, 'object-field', unique.map((type) => propertyOfTarget(type, firstSegment(item.value))), property, firstSegmentRange);
      }
    }
  }
}

/** The object types a relationship hop named `name` leads to from each of `types`. */
export function typesReached(schema: Schema, types: SymbolRef[], name: string): SymbolRef[] {
  const next: SymbolRef[] = [];
  for (const type of types) {
    const relationship = declaringObject(schema, type)?.propertyMap.get(name)?.relationship;
    for (const entry of relationship?.resourceCollection?.entries ?? []) {
      if (entry.target.kind === 'invalid') continue;
      const symbol = targetObjectSymbol(schema.resolve(entry.target), entry.target);
      if (symbol) next.push(symbol);
    }
  }
  return uniqueSymbols(next);
}

function uniqueSymbols(symbols: SymbolRef[]): SymbolRef[] {
  const seen = new Map<string, SymbolRef>();
  for (const symbol of symbols) seen.set(symbolKey(symbol), symbol);
  return [...seen.values()];
}

/** `_id`, `_rev`, `*`: IDM's own fields, not properties anyone declares. */
function isOwnField(name: string): boolean {
  return name.startsWith('_') || name === '*' || name === '';
}

function firstSegmentRange(value: string): [number, number] {
  return [0, firstSegment(value).length];
}

function sortKeyRange(value: string): [number, number] {
  const sign = /^[+-]/.test(value) ? 1 : 0;
  return [sign, sign + firstSegment(value.slice(sign)).length];
}

/** `managed/user` names `user`; `internal/role` and `repo/internal/role` name `role`. */
function pathNameSegment(value: string): [number, number] {
  const slash = value.lastIndexOf('/');
  return [slash + 1, value.length];
}

function stringOf(node: JsonNode): string {
  return node.type === 'string' ? node.value : '';
}

/**
 * Offset within a string token's raw text of the `index`-th character of its value. Equal when the string has no
 * escapes (the usual case); otherwise walks the escapes.
 */
function rawOffset(text: string, node: JsonString, index: number): number {
  const raw = text.slice(node.offset + 1, node.end);
  if (!raw.includes('\\')) return index;
  let value = 0;
  let i = 0;
  while (i < raw.length && value < index) {
    if (raw[i] === '\\') i += raw[i + 1] === 'u' ? 6 : 2;
    else i++;
    value++;
  }
  return i;
}

/** Declarations of a symbol: the object types (all copies) or the property entries it names. */
export function declarationsOf(schema: Schema, symbol: SymbolRef): Array<{ object: ObjectType; property?: PropertyDef }> {
  const objects = (symbol.objectKind === 'managed' ? schema.managed : schema.internal).get(symbol.kind === 'object' ? symbol.name : symbol.object) ?? [];
  if (symbol.kind === 'object') return objects.map((object) => ({ object }));
  return objects.flatMap((object) => object.properties.filter((p) => p.name === symbol.name).map((property) => ({ object, property })));
}

/** The first declaration of the object type a symbol names or belongs to. */
export function declaringObject(schema: Schema, symbol: SymbolRef): ObjectType | undefined {
  const name = symbol.kind === 'object' ? symbol.name : symbol.object;
  return (symbol.objectKind === 'managed' ? schema.managed : schema.internal).get(name)?.[0];
}

/** True for names IDM builds in (the internal objects and their default relationships): they cannot be renamed. */
export function isBuiltIn(symbol: SymbolRef): boolean {
  if (symbol.objectKind !== 'internal') return false;
  if (symbol.kind === 'object') return true;
  const builtin = BUILTIN_INTERNAL_OBJECTS[symbol.object as 'role' | 'user'];
  return !!builtin && (symbol.name in builtin.relationships || builtin.fields.includes(symbol.name));
}

/** The site under `offset` in `file`, looking only at the object type there. */
export function siteAt(schema: Schema, file: ConfigFile, offset: number): Site | undefined {
  const object = file.objects.find((o) => offset >= o.node.offset && offset <= o.node.end);
  if (!object) return undefined;
  let best: Site | undefined;
  for (const site of sitesOf(schema, object)) {
    if (offset < site.token.start || offset > site.token.end) continue;
    // Nested tokens cannot overlap, but a declaration key and a value can touch: prefer the tighter token.
    if (!best || site.token.end - site.token.start < best.token.end - best.token.start) best = site;
  }
  return best;
}

/** Every site of every object type in the schema. `isCancelled` is polled between files. */
export function allSites(schema: Schema, isCancelled: () => boolean = () => false): Site[] | undefined {
  const sites: Site[] = [];
  for (const file of schema.files) {
    if (isCancelled()) return undefined;
    // A loop, not push(...): spreading a type with hundreds of thousands of sites would overflow the call stack.
    for (const object of file.objects) for (const site of sitesOf(schema, object)) sites.push(site);
  }
  return sites;
}

export { Schema };
