/**
 * Completion inside managed configs: relationship keys at the level IDM reads them, values that name things
 * (target paths, reverse properties, fields, hops), and whole-relationship snippets. Works on half-typed JSON:
 * the cursor analysis reads the few characters the tolerant parser could not.
 */
import { asArray, booleanValue, getValueNode, stringValue, toValue, type JsonArray, type JsonNode, type JsonObject } from '../json/ast';
import type { OffsetRange } from '../diagnostics/finding';
import type { OffsetEdit } from '../fixes/edits';
import { parseTargetPath } from '../model/configFile';
import { BUILTIN_INTERNAL_OBJECTS } from '../model/internalObjects';
import { Schema, type ResolvedTarget } from '../model/schema';
import type { ConfigFile, ObjectType, PropertyDef } from '../model/types';
import type { Workspace } from '../model/workspace';
import { propertiesPointingBack } from '../rules/reversePair';
import { analyseCursor, type Cursor } from './cursor';
import { KEYS, LEVEL_NAMES, type KeyInfo } from './keyCatalogue';
import { belowRelationshipNode, keyLevels, matches, placeOf, relationshipNodeOf, type Place } from './place';
import { objectLabel } from './relationshipFacts';
import { objectSymbol, typesReached, declaringObject, type SymbolRef } from './sites';

export type CompletionKind = 'key' | 'value' | 'reference' | 'type' | 'snippet' | 'keyword';

export interface CompletionData {
  label: string;
  kind: CompletionKind;
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /** Replaces `range`; snippet syntax when `snippet` is true. */
  insertText: string;
  snippet: boolean;
  range: OffsetRange;
  filterText: string;
  sortText: string;
  /** A comma the cursor position was missing. */
  additionalEdits: OffsetEdit[];
  /** Ask the editor for completions again after inserting (the value of a key just inserted). */
  retrigger?: boolean;
}

export interface CompletionList {
  items: CompletionData[];
  /** True when the list was cut to what is typed so far: the editor asks again as the user types. */
  isIncomplete: boolean;
}

/** Most completions a list offers: a generated config can have thousands of types. */
const MAX_ITEMS = 500;
/** Above this many object types, target paths are filtered by what is typed (and the list marked incomplete). */
const MAX_TARGET_PATHS = 100;

export function handleCompletion(workspace: Workspace, uri: string, offset: number): CompletionList {
  const file = workspace.getFile(uri);
  const schema = workspace.schemaFor(uri);
  if (!file || !schema) return { items: [], isIncomplete: false };
  const cursor = analyseCursor(file.text, file.root, offset);
  const builder = new ItemBuilder(file, cursor);
  const slot = cursor.slot;
  if (slot.kind === 'key') {
    const place = placeOf(file, slot.object);
    if (place) completeKeys(schema, place, slot.object, builder);
  } else if (slot.kind === 'value') {
    const place = placeOf(file, slot.object);
    if (place) completeValue(schema, place, slot.object, slot.property.key, builder);
  } else if (slot.kind === 'item') {
    const place = placeOf(file, slot.array);
    if (place) completeItem(schema, place, slot.array, slot.index, builder);
  }
  return { items: builder.items.slice(0, MAX_ITEMS), isIncomplete: builder.incomplete || builder.items.length > MAX_ITEMS };
}

/** Builds items that replace the token under the cursor, with the commas the position needs. */
class ItemBuilder {
  readonly items: CompletionData[] = [];
  /** Set when candidates were left out because they do not match what is typed. */
  incomplete = false;

  constructor(readonly file: ConfigFile, readonly cursor: Cursor) {}

  private get startsWithQuote(): boolean {
    return this.file.text.charCodeAt(this.cursor.replace.start) === 34;
  }

  private common(label: string, rank: number) {
    const comma = this.cursor.missingCommaAt;
    return {
      range: this.cursor.replace,
      filterText: this.startsWithQuote ? `"${label}"` : label,
      sortText: `${rank}_${String(this.items.length).padStart(5, '0')}`,
      additionalEdits: comma === undefined ? [] : [{ offset: comma, length: 0, content: ',' }],
    };
  }

  private get trailer(): string {
    return this.cursor.needsCommaAfter ? ',' : '';
  }

  /** A key with a value placeholder (just the key when the value is already there). */
  key(info: KeyInfo, rank: number, hasValue: boolean, valuePlaceholder: string, note?: string): void {
    const key = `"${escapeSnippet(info.key)}"`;
    this.items.push({
      label: info.key,
      kind: 'key',
      detail: info.detail,
      documentation: `${info.documentation}\n\nBelongs ${LEVEL_NAMES[info.level]}.${note ? `\n\n${note}` : ''}`,
      insertText: hasValue ? key : `${key}: ${valuePlaceholder}${this.trailer}`,
      snippet: true,
      retrigger: !hasValue && valuePlaceholder.startsWith('"$1"'),
      ...this.common(info.key, rank),
    });
  }

  /** A string value (quoted on insertion). */
  string(value: string, kind: CompletionKind, rank: number, detail?: string, documentation?: string): void {
    this.items.push({
      label: value, kind, detail, documentation,
      insertText: JSON.stringify(value) + this.trailer,
      snippet: false,
      ...this.common(value, rank),
    });
  }

  /** A bare JSON literal (`true`, `false`). */
  literal(value: string, rank: number, detail?: string): void {
    this.items.push({ label: value, kind: 'keyword', detail, insertText: value + this.trailer, snippet: false, ...this.common(value, rank) });
  }

  snippetItem(label: string, body: string, rank: number, detail: string, documentation: string): void {
    this.items.push({ label, kind: 'snippet', detail, documentation, insertText: body + this.trailer, snippet: true, ...this.common(label, rank) });
  }
}

export function escapeSnippet(text: string): string {
  return text.replace(/[\\$}]/g, (c) => `\\${c}`);
}

// ---------------------------------------------------------------------------------------------- keys

function completeKeys(schema: Schema, place: Place, object: JsonObject, builder: ItemBuilder): void {
  const slot = builder.cursor.slot;
  const typing = slot.kind === 'key' ? slot.property : undefined;
  const hasValue = slot.kind === 'key' && slot.hasValue;
  const present = new Set(object.properties.filter((p) => p !== typing).map((p) => p.key));

  if (!place.property) {
    // Renaming an existing key (`"mana|": {...}`) is no place for a whole new relationship.
    if (isPropertiesMap(place) && !hasValue) relationshipSnippets(schema, place.object, builder);
    return;
  }
  const levels = keyLevels(place.property, place.propertyPath!, object);
  if (!levels.length) return;
  const offered = new Set<string>();
  for (const level of levels) {
    for (const info of KEYS) {
      if (info.level !== level || present.has(info.key) || offered.has(info.key)) continue;
      if (info.key === 'relationshipGrantTemporalConstraintsEnforced' && !relationshipNodeOf(place.property)) continue;
      offered.add(info.key);
      builder.key(info, info.relationshipKey ? 0 : 1, hasValue, valuePlaceholder(info));
    }
  }
  // `items` of an array relationship: the relationship node also needs its own `type` (and usually a title).
  if (levels.length === 1 && levels[0] === 'node') {
    for (const key of ['type', 'title']) {
      const info = KEYS.find((k) => k.key === key)!;
      if (!present.has(key)) builder.key({ ...info, level: 'node', detail: key === 'type' ? 'Must be "relationship"' : 'Display name of the items' }, 0, hasValue, key === 'type' ? '"${1:relationship}"' : '"$1"');
    }
  }
}

function valuePlaceholder(info: KeyInfo): string {
  if (info.valueSnippet) return info.valueSnippet;
  switch (info.value) {
    case 'boolean': return '${1|true,false|}';
    case 'string': case 'type': return '"$1"';
    case 'stringList': case 'hopList': case 'array': return '[$1]';
    case 'object': return '{$1}';
  }
}

function isPropertiesMap(place: Place): boolean {
  const path = place.objectPath;
  return place.object.kind === 'managed' ? matches(path, ['schema', 'properties']) : matches(path, ['properties']);
}

// ---------------------------------------------------------------------------------------------- values

function completeValue(schema: Schema, place: Place, object: JsonObject, key: string, builder: ItemBuilder): void {
  if (!place.property) {
    // `meta.resourceCollection` names the type holding this type's metadata.
    if (key === 'resourceCollection' && matches(place.objectPath, ['meta'])) targetPaths(schema, builder, new Set());
    return;
  }
  const property = place.property;
  // The `type` being typed must not decide where it is: `"type": "rel|"` inside `items` is still the node's type.
  const levels = key === 'type' && matches(place.propertyPath, ['items']) ? ['node' as const] : keyLevels(property, place.propertyPath!, object);
  const info = levels.map((level) => KEYS.find((k) => k.key === key && k.level === level)).find(Boolean)
    ?? (key === 'type' && levels.includes('node') ? KEYS.find((k) => k.key === 'type') : undefined);
  if (!info) return;
  if (info.value === 'boolean') {
    // `viewable`, `searchable`...: the contributed JSON schema types them and VS Code's JSON support offers
    // true/false there; offering them too would show each twice. Relationship keys are ours alone.
    if (!info.relationshipKey) return;
    builder.literal('true', 0);
    builder.literal('false', 0);
    return;
  }
  switch (info.key) {
    case 'type': {
      if (place.propertyPath!.length === 0 || matches(place.propertyPath, ['items'])) propertyTypes(property, place.propertyPath!.length > 0, builder);
      return;
    }
    case 'reversePropertyName':
      reverseNames(schema, property, builder);
      return;
    case 'path': {
      const listed = new Set<string>();
      const collection = object.parent;
      for (const item of collection?.type === 'array' ? collection.items : []) {
        const path = stringValue(getValueNode(item, 'path'));
        if (path && item !== object) listed.add(path);
      }
      targetPaths(schema, builder, listed, object);
      return;
    }
    case 'conditionalAssociationField': {
      for (const target of targetsOfEntry(schema, object)) {
        for (const candidate of propertiesOf(target)) {
          const conditional = booleanValue(getValueNode(candidate.node, 'isConditional')) === true;
          builder.string(candidate.name, 'reference', conditional ? 0 : 1, `${objectLabel(candidate.owner)}.${candidate.name}${conditional ? ' (isConditional)' : ''}`);
        }
      }
      return;
    }
    case 'queryFilter':
      builder.string('true', 'value', 0, 'List every object');
      return;
  }
}

/**
 * `type` of a property, or of its `items`. A property that looks like a collection (it has `items`, or a plural
 * name such as `roles`, `members`) gets `array` first; in `items`, `relationship` first.
 */
function propertyTypes(property: PropertyDef, inItems: boolean, builder: ItemBuilder): void {
  if (inItems) {
    builder.string('relationship', 'type', 0, 'Each item is a reference', 'The array holds references: the relationship keys (`resourceCollection`, `reversePropertyName`...) go in this `items`.');
    builder.string('string', 'type', 1, 'Each item is a string');
    builder.string('object', 'type', 1, 'Each item is an object');
    return;
  }
  const collection = getValueNode(property.node, 'items') !== undefined || isPluralName(property.name);
  const reference = (rank: number) => builder.string('relationship', 'type', rank, 'A reference to one object', 'One reference (`_ref`): the relationship keys go on this property.');
  const list = (rank: number) => builder.string('array', 'type', rank, 'A list (with `items`)', 'For a list of references, set `items.type` to `relationship` and put the relationship keys in `items`.');
  if (collection) { list(0); reference(1); } else { reference(0); list(1); }
  for (const type of ['string', 'boolean', 'number', 'object']) builder.string(type, 'type', 2);
}

/** `roles`, `members`, `assignments`, `children`: names of lists (not `status`, `address`, `alias`). */
function isPluralName(name: string): boolean {
  return /[^su]s$/i.test(name) || /(ies|ches|shes|xes|sses)$/i.test(name) || /(children|people|Members)$/.test(name);
}

/** Every target a `resourceCollection` entry may name, with the type's title. */
function targetPaths(schema: Schema, builder: ItemBuilder, listed: Set<string>, typingEntry?: JsonObject): void {
  // One short detail per type and no documentation: a generated config can have hundreds of types to list. With very
  // many, only the types whose name holds the typed characters in order are sent.
  let objects = schema.objectTypes;
  const typed = builder.cursor.prefix.replace(/^(managed|internal|repo\/internal)\/?/, '').toLowerCase();
  if (objects.length > MAX_TARGET_PATHS) {
    objects = objects.filter((object) => holdsInOrder(object.name.toLowerCase(), typed)).slice(0, MAX_TARGET_PATHS);
    builder.incomplete = true;
  }
  for (const object of objects) {
    const path = Schema.pathOf(object);
    const count = object.relationships.length;
    builder.string(path, 'reference', listed.has(path) ? 2 : 0,
      `${object.title ? `${object.title} · ` : ''}${count} relationship${count === 1 ? '' : 's'}${listed.has(path) ? ' · already listed' : ''}`);
  }
  for (const name of ['role', 'user'] as const) {
    const path = `internal/${name}`;
    builder.string(path, 'reference', listed.has(path) ? 2 : 1, `IDM internal ${name}`);
  }
  // Types the configuration points at but no file of the workspace defines (an export of only some objects).
  for (const [path, users] of undefinedTargets(schema, typingEntry)) {
    if (builder.incomplete && !holdsInOrder(path.slice('managed/'.length).toLowerCase(), typed)) continue;
    builder.string(path, 'reference', listed.has(path) ? 2 : 1, `not in this workspace · named by ${users.slice(0, 2).join(', ')}${users.length > 2 ? ` and ${users.length - 2} more` : ''}`,
      `No file of this workspace defines \`${path}\`; ${users.join(', ')} point${users.length === 1 ? 's' : ''} at it. It may exist in the deployed configuration.`);
  }
}

/**
 * Managed types named by some `resourceCollection` path of the configuration but defined in none of its files
 * (the entry being typed aside: its half-typed path names nothing yet).
 */
function undefinedTargets(schema: Schema, typingEntry: JsonObject | undefined): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const object of schema.objectTypes) {
    for (const relationship of object.relationships) {
      for (const entry of relationship.resourceCollection?.entries ?? []) {
        if (!entry.path || entry.node === typingEntry) continue;
        const target = schema.resolve(parseTargetPath(entry.path));
        if (target.kind !== 'missing') continue;
        const path = `managed/${target.name}`;
        const users = found.get(path) ?? [];
        const user = `${object.name}.${relationship.property.name}`;
        if (!users.includes(user)) users.push(user);
        found.set(path, users);
      }
    }
  }
  return found;
}

/**
 * `reversePropertyName`: first the target's properties that already point back here, then its other
 * relationships, then a new name (the `reverse-property-missing` quick fix creates it).
 */
function reverseNames(schema: Schema, property: PropertyDef, builder: ItemBuilder): void {
  const node = relationshipNodeOf(property);
  if (!node) return;
  const targets = targetsOfNode(schema, node);
  const offered = new Set<string>();
  const offer = (name: string, rank: number, detail: string, documentation?: string) => {
    if (offered.has(name)) return;
    offered.add(name);
    builder.string(name, 'reference', rank, detail, documentation);
  };
  const originPath = Schema.pathOf(property.owner);
  for (const target of targets) {
    const pointing = property.relationship
      ? propertiesPointingBack(schema, property.relationship, target)
      : propertiesOf(target).filter((p) => p.relationship?.reversePropertyName === property.name && p.relationship.resourceCollection?.entries.some((e) => e.path === originPath));
    for (const candidate of pointing) offer(candidate.name, 0, `${objectLabel(candidate.owner)}.${candidate.name} points back here`);
    if (target.kind === 'internal' && !target.overlay) {
      for (const [name, builtin] of Object.entries(BUILTIN_INTERNAL_OBJECTS[target.name].relationships)) {
        offer(name, builtin.reversePropertyName === property.name ? 0 : 1, `internal/${target.name}.${name} (built in)`);
      }
    }
  }
  for (const target of targets) {
    for (const candidate of propertiesOf(target)) {
      if (candidate.relationship) offer(candidate.name, 1, `${objectLabel(candidate.owner)}.${candidate.name}: relationship, ${describePairing(candidate)}`);
    }
  }
  const fresh = newReverseName(property, targets);
  if (fresh) {
    offer(fresh, 2, 'new property', `No target has \`${fresh}\` yet: after choosing it, the quick fix of the \`reverse-property-missing\` problem adds it to ${targets.map(targetLabel).join(', ') || 'the target'}.`);
  }
}

function describePairing(candidate: PropertyDef): string {
  const relationship = candidate.relationship!;
  if (!relationship.bidirectional) return 'one-way';
  return relationship.reversePropertyName ? `paired with ${relationship.reversePropertyName}` : 'bidirectional, unpaired';
}

function targetLabel(target: ResolvedTarget): string {
  return target.kind === 'object' ? target.object.name : target.kind === 'internal' ? `internal/${target.name}` : '?';
}

/** A name for a reverse property not yet written: the owner type's name, pluralised (the usual many side). */
function newReverseName(property: PropertyDef, targets: ResolvedTarget[]): string | undefined {
  const owner = property.owner.name;
  const base = owner.includes('_') ? owner.slice(owner.indexOf('_') + 1) : owner;
  const plural = /[^aeiou]y$/.test(base) ? `${base.slice(0, -1)}ies` : /(s|x|ch|sh)$/.test(base) ? `${base}es` : `${base}s`;
  for (let i = 1; i < 50; i++) {
    const name = i === 1 ? plural : `${plural}${i}`;
    if (!targets.some((t) => propertiesOf(t).some((p) => p.name === name))) return name;
  }
  return undefined;
}

function propertiesOf(target: ResolvedTarget): PropertyDef[] {
  if (target.kind === 'object') return target.object.properties;
  if (target.kind === 'internal') return target.overlay?.properties ?? [];
  return [];
}

/** The resolved targets a relationship node lists, read from the tree (the node may still be half-typed). */
function targetsOfNode(schema: Schema, node: JsonObject): ResolvedTarget[] {
  const collection = getValueNode(node, 'resourceCollection');
  const entries = collection?.type === 'array' ? collection.items : collection?.type === 'object' ? [collection] : [];
  return entries.flatMap((entry) => targetsOfEntry(schema, entry));
}

function targetsOfEntry(schema: Schema, entry: JsonNode | undefined): ResolvedTarget[] {
  const path = stringValue(getValueNode(entry, 'path'));
  if (!path) return [];
  const target = schema.resolve(parseTargetPath(path));
  return target.kind === 'object' || target.kind === 'internal' ? [target] : [];
}

// ---------------------------------------------------------------------------------------------- array items

function completeItem(schema: Schema, place: Place, array: JsonArray, index: number, builder: ItemBuilder): void {
  const atCursor = builder.cursor.slot.kind === 'item' ? builder.cursor.slot.node : undefined;
  const listed = new Set(array.items.filter((item) => item !== atCursor).map(stringValue).filter((v): v is string => v !== undefined));
  const object = place.object;

  if (!place.property) {
    if (matches(place.objectPath, ['schema', 'order']) || matches(place.objectPath, ['schema', 'required'])) {
      for (const property of object.properties) if (!listed.has(property.name)) builder.string(property.name, 'reference', 0, describe(property));
    }
    return;
  }
  const property = place.property;
  const path = place.propertyPath!;

  if (matches(path, ['notifyRelationships'])) {
    for (const candidate of object.properties) {
      if (listed.has(candidate.name)) continue;
      builder.string(candidate.name, 'reference', candidate.relationship ? 0 : 3, describe(candidate),
        candidate.relationship ? undefined : 'Not a relationship: notifications only travel along relationships.');
    }
    return;
  }

  const below = belowRelationshipNode(property, path);
  const entryFields = matches(below, ['resourceCollection', '#', 'query', 'fields']) || matches(below, ['resourceCollection', 'query', 'fields']);
  const entrySortKeys = matches(below, ['resourceCollection', '#', 'query', 'sortKeys']) || matches(below, ['resourceCollection', 'query', 'sortKeys']);
  if (entryFields || entrySortKeys) {
    const entry = array.parent?.parent;
    for (const target of targetsOfEntry(schema, entry)) fieldsOf(target, listed, builder);
    return;
  }

  if (matches(path, ['queryConfig', 'referencedRelationshipFields']) || matches(path, ['queryConfig', 'referencedRelationshipFields', '#'])) {
    const nested = path.length === 3;
    if (!nested && array.items.some((item) => item.type === 'array')) return; // a list of paths: hops go in the inner lists
    const hops = array.items.slice(0, index).map(stringValue);
    if (hops.some((h) => h === undefined)) return;
    let types: SymbolRef[] = [objectSymbol(object)];
    for (const hop of hops as string[]) types = typesReached(schema, types, hop);
    const offered = new Set<string>();
    for (const type of types) {
      for (const candidate of declaringObject(schema, type)?.relationships ?? []) {
        const name = candidate.property.name;
        if (offered.has(name)) continue;
        offered.add(name);
        builder.string(name, 'reference', 0, `hop ${index + 1}: ${objectLabel(candidate.property.owner)}.${name}`, describe(candidate.property));
      }
    }
    return;
  }

  if (matches(path, ['queryConfig', 'referencedObjectFields'])) {
    builder.string('*', 'value', 0, 'every field');
    builder.string('_id', 'value', 0, 'the id of each object reached');
    for (const type of finalTypes(schema, property)) {
      const target = declaringObject(schema, type);
      if (target) fieldsOf({ kind: 'object', object: target }, listed, builder);
    }
  }
}

/** The types the property's `referencedRelationshipFields` lead to (every path, unioned). */
function finalTypes(schema: Schema, property: PropertyDef): SymbolRef[] {
  const fields = asArray(getValueNode(property.queryConfig, 'referencedRelationshipFields'));
  if (!fields) return [];
  const value = toValue(fields);
  const paths = Array.isArray(value) && value.some(Array.isArray) ? value.filter(Array.isArray) : [value];
  const result: SymbolRef[] = [];
  for (const hops of paths as unknown[][]) {
    let types: SymbolRef[] = [objectSymbol(property.owner)];
    for (const hop of hops) if (typeof hop === 'string') types = typesReached(schema, types, hop);
    result.push(...types);
  }
  return result;
}

function fieldsOf(target: ResolvedTarget, listed: Set<string>, builder: ItemBuilder): void {
  if (target.kind === 'internal' && !target.overlay) {
    for (const field of BUILTIN_INTERNAL_OBJECTS[target.name].fields) if (!listed.has(field)) builder.string(field, 'reference', 1, `internal/${target.name}.${field}`);
    return;
  }
  // In the order a person picks them: the usual display fields, then the type's own `order` (the order its UI
  // shows), then the rest as declared; relationships and virtual fields last (a UI can rarely show them).
  const order = target.kind === 'object' ? target.object.orderNode?.items.map(stringValue) ?? [] : [];
  const rankOf = (candidate: PropertyDef): number => {
    if (candidate.relationship || candidate.isVirtual) return 3000;
    const usual = USUAL_DISPLAY_FIELDS.indexOf(candidate.name);
    if (usual >= 0) return usual;
    const ordered = order.indexOf(candidate.name);
    return ordered >= 0 ? 100 + ordered : 2000;
  };
  const candidates = propertiesOf(target).filter((c) => !listed.has(c.name)).map((candidate, i) => ({ candidate, rank: rankOf(candidate), i }));
  candidates.sort((a, b) => a.rank - b.rank || a.i - b.i);
  for (const { candidate, rank } of candidates) builder.string(candidate.name, 'reference', rank < 100 ? 0 : rank < 2000 ? 1 : rank < 3000 ? 2 : 3, describe(candidate));
}

/** Fields people list first in `query.fields` / `sortKeys` (read off real configs: the names, then ids, then contact). */
const USUAL_DISPLAY_FIELDS = ['userName', 'name', 'title', 'displayName', '_id', 'givenName', 'sn', 'mail', 'description'];

function describe(property: PropertyDef): string {
  const relationship = property.relationship;
  const type = Array.isArray(property.type) ? property.type.join(' | ') : property.type ?? 'untyped';
  if (!relationship) return `${objectLabel(property.owner)}.${property.name}: ${type}`;
  const targets = relationship.resourceCollection?.entries.map((e) => e.path).filter(Boolean).join(', ') || 'any resource';
  return `${objectLabel(property.owner)}.${property.name}: relationship (${relationship.cardinality === 'one' ? 'to one' : 'to many'}) -> ${targets}`;
}

// ---------------------------------------------------------------------------------------------- snippets

/** Whole relationships, offered where a property name goes. */
function relationshipSnippets(schema: Schema, object: ObjectType, builder: ItemBuilder): void {
  const paths = schema.objectTypes.map((o) => Schema.pathOf(o)).slice(0, 200);
  for (const internal of ['internal/role', 'internal/user']) paths.push(internal);
  const choice = paths.length ? `\${5|${paths.map(escapeChoice).join(',')}|}` : '"${5:managed/}"';
  const node = (bidirectional: boolean, indent: string) => [
    `${indent}"type": "relationship",`,
    ...(bidirectional ? [`${indent}"reverseRelationship": true,`, `${indent}"reversePropertyName": "\${3:reverse}",`] : []),
    `${indent}"validate": true,`,
    `${indent}"properties": {`,
    `${indent}\t"_ref": { "type": "string" },`,
    `${indent}\t"_refProperties": { "type": "object", "properties": { "_id": { "type": "string" } } }`,
    `${indent}},`,
    `${indent}"resourceCollection": [`,
    `${indent}\t{`,
    `${indent}\t\t"path": "${choice}",`,
    `${indent}\t\t"label": "\${6:Label}",`,
    `${indent}\t\t"query": { "queryFilter": "true", "fields": [\${7:"_id"}] }`,
    `${indent}\t}`,
    `${indent}]`,
  ];
  const singleton = (bidirectional: boolean) => ['"${1:name}": {', '\t"title": "${2:Title}",', ...node(bidirectional, '\t'), '}'].join('\n');
  const array = (bidirectional: boolean) => [
    '"${1:name}": {', '\t"title": "${2:Title}",', '\t"type": "array",', '\t"returnByDefault": false,', '\t"items": {', ...node(bidirectional, '\t\t'), '\t}', '}',
  ].join('\n');
  const pairNote = `Inserts this side, bidirectional. The checker then reports that the target lacks the reverse property, and its quick fix (\`reverse-property-missing\`) creates the other side in the target's file, pointing back here.`;
  builder.snippetItem('relationship (to one)', singleton(false), 0, `one-way singleton relationship on ${object.name}`, 'A property holding one reference (`type: relationship`), one-way. Add `reverseRelationship` and `reversePropertyName` to make it a pair.');
  builder.snippetItem('relationship (to many)', array(false), 0, `one-way array relationship on ${object.name}`, 'A property holding a list of references (`type: array`, `items.type: relationship`), one-way. The relationship keys go in `items`.');
  builder.snippetItem('relationship pair (this side to one)', singleton(true), 0, 'bidirectional singleton + reverse side via quick fix', pairNote);
  builder.snippetItem('relationship pair (this side to many)', array(true), 0, 'bidirectional array + reverse side via quick fix', pairNote);
}

/** True when `name` contains the characters of `typed` in order (`alus` in `alpha_user`). */
function holdsInOrder(name: string, typed: string): boolean {
  let at = 0;
  for (const c of typed) {
    at = name.indexOf(c, at) + 1;
    if (at === 0) return false;
  }
  return true;
}

function escapeChoice(text: string): string {
  return text.replace(/[\\$},|]/g, (c) => `\\${c}`);
}
