/**
 * Reads one managed config file into the model: recognises its layout by shape and collects its object
 * types, their properties and relationships. Never throws; broken JSON yields what could be read.
 */
import {
  asArray, asObject, booleanMember, findProperty, forEachMember, getValueNode, stringItemsMember, stringMember, stringValue,
  type JsonArray, type JsonNode, type JsonObject, type JsonProperty, type JsonString,
} from '../json/ast';
import { parseContainerAt, parseJson, tapeOf } from '../json/parser';
import type { Tape } from '../json/tape';
import { BUILTIN_INTERNAL_OBJECTS, isInternalName } from './internalObjects';
import type {
  ConfigFile, ConfigLayout, NameList, ObjectType, PropertiesByName, PropertyDef, RelationshipDef, ResourceCollection,
  ResourceCollectionEntry, TargetRef,
} from './types';

export function readConfigFile(uri: string, text: string, version = 0): ConfigFile {
  const { root, errors } = parseJson(text);
  const file: ConfigFile = { uri, text, version, layout: 'unknown', root, syntaxErrors: errors, objects: [], unread: [] };
  const patches = asArray(root);
  if (patches && isPatchList(patches)) {
    file.layout = 'json-patch';
    readPatchList(file, patches);
    return file;
  }
  const rootObject = asObject(root);
  if (!rootObject) return file;

  const wrapped = asObject(getValueNode(asObject(getValueNode(rootObject, 'idm')), 'managed'));
  const wrappedInternal = asObject(getValueNode(asObject(getValueNode(rootObject, 'idm')), 'internal'));
  if (wrapped || wrappedInternal) {
    file.layout = 'frodo-wrapper';
    if (wrapped) readObjectList(file, asArray(getValueNode(wrapped, 'objects')), 'managed');
    if (wrappedInternal) readObjectList(file, asArray(getValueNode(wrappedInternal, 'objects')), 'internal');
    return file;
  }

  const objects = asArray(getValueNode(rootObject, 'objects'));
  if (objects) {
    file.layout = isInternalOverlay(rootObject, objects, uri) ? 'internal' : 'managed';
    readObjectList(file, objects, file.layout === 'internal' ? 'internal' : 'managed');
    return file;
  }

  if (stringMember(rootObject, 'name') !== undefined && asObject(getValueNode(rootObject, 'schema'))) {
    file.layout = 'single-object';
    file.objects.push(readObjectType(file, rootObject, 'managed'));
  }
  return file;
}

/** One edit of a text: `[start, end)` of the old text replaced by `text`. */
export interface TextChange {
  start: number;
  end: number;
  text: string;
}

/**
 * `previous` brought to `text`, the result of `change` to its text, by reading again only the object type the edit
 * lies in: what a keystroke costs then follows the size of that type, not of the file. Gives exactly what
 * `readConfigFile(previous.uri, text, version)` gives, or undefined when that cannot be had this way (the caller reads
 * the whole text): an edit outside a single object type of the object list, a file or an edited type with syntax
 * errors, or an edit that changes what the layout is recognised by. Consumes `previous`: its nodes move to the new
 * offsets and its untouched object types join the new file.
 */
export function updateConfigFile(previous: ConfigFile, text: string, version: number, change: TextChange): ConfigFile | undefined {
  const delta = change.text.length - (change.end - change.start);
  if (text.length !== previous.text.length + delta || previous.syntaxErrors.length) return undefined;
  if (previous.layout !== 'managed' && previous.layout !== 'internal' && previous.layout !== 'frodo-wrapper') return undefined;
  // The type whose braces enclose the edit (not touching them: the braces stay, so it stays one object).
  const index = previous.objects.findIndex((o) => o.node.offset < change.start && change.end < o.node.end);
  if (index < 0) return undefined;
  const old = previous.objects[index];
  const list = old.node.parent;
  if (!list || list.type !== 'array') return undefined;
  const position = list.items.indexOf(old.node);
  let depth = 0;
  for (let node: JsonNode | undefined = old.node.parent; node; node = node.parent) depth++;
  const node = asObject(parseContainerAt(text, old.node.offset, old.node.end + delta, depth, list));
  if (!node || position < 0) return undefined;
  // internal.json is told from managed.json by whether its objects carry `schema` or `properties`.
  for (const key of ['schema', 'properties']) if (!findProperty(old.node, key) !== !findProperty(node, key)) return undefined;

  // Every node of the file reads its offsets from the file's tape or, for a type read alone before, from that type's.
  const tapes = new Set<Tape>();
  const rootTape = previous.root && tapeOf(previous.root);
  if (!rootTape) return undefined;
  tapes.add(rootTape);
  for (const object of previous.objects) if (object !== old) tapes.add(tapeOf(object.node)!);
  if ([...tapes].some((tape) => tape === undefined)) return undefined;
  for (const tape of tapes) tape.shiftFrom(old.node.end, delta, text);

  const file: ConfigFile = { ...previous, text, version, syntaxErrors: [], objects: previous.objects.slice(), unread: previous.unread.slice() };
  for (const object of file.objects) object.file = file;
  list.items[position] = node;
  file.objects[index] = readObjectType(file, node, old.kind);
  return file;
}

/** internal.json: `_id: "internal"`, or objects that carry `properties` but no `schema`. */
function isInternalOverlay(root: JsonObject, objects: JsonArray, uri: string): boolean {
  const id = stringMember(root, '_id');
  if (id === 'internal') return true;
  if (id === 'managed') return false;
  let overlays = 0;
  for (const item of objects.items) {
    const object = asObject(item);
    if (!object) continue;
    if (findProperty(object, 'schema')) return false;
    if (findProperty(object, 'properties')) overlays++;
  }
  return overlays > 0 || /(^|\/)internal\.json$/.test(uri);
}

function readObjectList(file: ConfigFile, list: JsonArray | undefined, kind: 'managed' | 'internal'): void {
  if (!list) return;
  if (kind === 'managed' || !file.objectsArray) file.objectsArray = list;
  for (const item of list.items) {
    const object = asObject(item);
    if (object) file.objects.push(readObjectType(file, object, kind));
    // frodo --separate writes an index (`managed/managed.idm.json`) naming each per-object file beside it: those
    // files are read themselves.
    else if (item.type === 'string' && item.value.startsWith('file://')) continue;
    else file.unread.push({ node: item, reason: `This entry of \`objects\` is ${describe(item)}, not an object type: IDM cannot load it.` });
  }
}

/** The operation and field of a patch operation (IDM's `operation`/`field`, or RFC 6902's `op`/`path`). */
function patchParts(item: JsonNode): { operation?: string; field?: string } | undefined {
  const object = asObject(item);
  if (!object) return undefined;
  return { operation: stringMember(object, 'operation') ?? stringMember(object, 'op'), field: stringMember(object, 'field') ?? stringMember(object, 'path') };
}

const OBJECTS_FIELD = /^\/?objects(\/|$)/;
const OBJECT_SLOT = /^\/?objects\/(-|\d+)$/;
const OBJECT_LIST = /^\/?objects$/;

/** A JSON array of patch operations of which at least one changes the `objects` of a managed config. */
function isPatchList(list: JsonArray): boolean {
  let touchesObjects = false;
  for (const item of list.items) {
    const parts = patchParts(item);
    if (!parts?.operation || parts.field === undefined) return false;
    if (OBJECTS_FIELD.test(parts.field)) touchesObjects = true;
  }
  return touchesObjects;
}

/** `add`/`replace` of `objects/-`, `objects/N` or the whole `objects` list; anything else is reported as unread. */
function readPatchList(file: ConfigFile, list: JsonArray): void {
  for (const item of list.items) {
    const { operation, field } = patchParts(item)!;
    const value = getValueNode(item as JsonObject, 'value');
    const writes = operation === 'add' || operation === 'replace';
    if (writes && OBJECT_SLOT.test(field!)) {
      const object = asObject(value);
      if (object && stringMember(object, 'name') !== undefined && asObject(getValueNode(object, 'schema'))) file.objects.push(readObjectType(file, object, 'managed'));
      else file.unread.push({ node: value ?? item, reason: `The value of this \`${operation}\` of \`${field}\` is ${value ? describe(value) : 'missing'}, not a managed object with \`name\` and \`schema\`: its relationships are not checked.` });
    } else if (writes && OBJECT_LIST.test(field!) && value?.type === 'array') {
      readObjectList(file, value, 'managed');
    } else {
      file.unread.push({
        node: item,
        reason: `\`${operation}\` of \`${field}\` is not read: the checker follows \`add\` and \`replace\` of whole objects (\`objects/-\`, \`objects/N\`), ` +
          'so what this operation changes in the tenant\'s config is not checked.',
      });
    }
  }
}

function describe(node: JsonNode): string {
  switch (node.type) {
    case 'object': return 'an object without `name` and `schema`';
    case 'array': return 'a list';
    case 'string': return 'a string';
    case 'number': return 'a number';
    case 'boolean': return 'a boolean';
    default: return 'null';
  }
}

function readObjectType(file: ConfigFile, node: JsonObject, kind: 'managed' | 'internal'): ObjectType {
  const nameNode = getValueNode(node, 'name');
  const schemaNode = kind === 'managed' ? asObject(getValueNode(node, 'schema')) : undefined;
  const propertiesNode = asObject(getValueNode(kind === 'managed' ? schemaNode : node, 'properties'));
  const object: ObjectType = {
    kind,
    name: stringValue(nameNode) ?? '',
    nameNode: nameNode?.type === 'string' ? nameNode : undefined,
    file,
    node,
    schemaNode,
    propertiesNode,
    title: stringMember(schemaNode, 'title') ?? stringMember(node, 'title'),
    properties: NONE,
    propertyMap: new PropertyLookup(NONE),
    relationships: NONE_RELATIONSHIPS,
    orderNode: asArray(getValueNode(schemaNode, 'order')),
    requiredNode: asArray(getValueNode(schemaNode, 'required')),
  };
  if (propertiesNode) {
    const properties: PropertyDef[] = [];
    forEachMember(propertiesNode, (name, value, position) => properties.push(readProperty(object, name, value, position)));
    // Copied to their exact size: an array grown by push keeps room for 16 more, and a large config has tens of
    // thousands of these lists, most of one to three items.
    object.properties = properties.slice();
    object.propertyMap = new PropertyLookup(object.properties);
    // Duplicated keys: only the definition IDM keeps (the last) carries a relationship.
    const relationships: RelationshipDef[] = [];
    for (const property of object.properties) {
      if (property.relationship && object.propertyMap.get(property.name) === property) relationships.push(property.relationship);
    }
    if (relationships.length) object.relationships = relationships.slice();
  }
  return object;
}

/** Shared by the types that have none, so frozen: a type's lists are made whole when it is read, never added to. */
const NONE = Object.freeze([]) as unknown as PropertyDef[];
const NONE_RELATIONSHIPS = Object.freeze([]) as unknown as RelationshipDef[];

/**
 * A type's definitions by name, the last of a duplicated name winning (as JSON.parse and IDM read it). A few
 * definitions are searched in place; a Map, about 250 bytes even for two entries, is made only for a type with many,
 * on its first lookup.
 */
class PropertyLookup implements PropertiesByName {
  private static readonly SCAN_LIMIT = 8;
  private byName: Map<string, PropertyDef> | undefined = undefined;

  constructor(private readonly properties: readonly PropertyDef[]) {}

  get(name: string): PropertyDef | undefined {
    const properties = this.properties;
    if (properties.length > PropertyLookup.SCAN_LIMIT) return this.index().get(name);
    for (let i = properties.length - 1; i >= 0; i--) if (properties[i].name === name) return properties[i];
    return undefined;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  get size(): number {
    if (this.properties.length > PropertyLookup.SCAN_LIMIT) return this.index().size;
    return this.properties.filter((property) => this.get(property.name) === property).length;
  }

  private index(): Map<string, PropertyDef> {
    if (!this.byName) {
      this.byName = new Map();
      for (const property of this.properties) this.byName.set(property.name, property);
    }
    return this.byName;
  }
}

/** The `type` of a property definition or `items`: a name, or a list of names (`["string", "null"]`). */
function readType(definition: JsonObject | undefined): string | string[] | undefined {
  const name = stringMember(definition, 'type');
  if (name !== undefined) return name;
  const list = asArray(getValueNode(definition, 'type'));
  return list?.items.flatMap((item) => (item.type === 'string' ? [item.value] : []));
}

function typeIs(type: string | string[] | undefined, wanted: string): boolean {
  return Array.isArray(type) ? type.includes(wanted) : type === wanted;
}

function readProperty(owner: ObjectType, name: string, value: JsonNode | undefined, position: number): PropertyDef {
  const node = asObject(value);
  const property = new PropertyDefinition(name, owner, node, position);
  if (!node) return property;

  const type = property.type;
  if (typeIs(type, 'relationship')) {
    property.relationship = readRelationship(property, node, 'one', undefined);
  } else {
    const items = asObject(getValueNode(node, 'items'));
    if (items && typeIs(type, 'array') && typeIs(readType(items), 'relationship')) {
      property.relationship = readRelationship(property, items, 'many', node);
    } else if (items && owner.kind === 'internal' && findProperty(items, 'resourceCollection')) {
      // internal.json overlays give only `items.resourceCollection`; the rest is built in.
      property.relationship = readRelationship(property, items, 'many', node);
    }
  }
  return property;
}

class PropertyDefinition implements PropertyDef {
  readonly type: string | string[] | undefined;
  readonly isVirtual: boolean;
  readonly queryConfig: JsonObject | undefined;
  readonly notifyRelationships: NameList | undefined;
  relationship: RelationshipDef | undefined = undefined;

  constructor(readonly name: string, readonly owner: ObjectType, readonly node: JsonObject | undefined, private readonly position: number) {
    this.type = readType(node);
    this.isVirtual = booleanMember(node, 'isVirtual') === true;
    this.queryConfig = asObject(getValueNode(node, 'queryConfig'));
    this.notifyRelationships = readNameList(node, 'notifyRelationships');
  }

  /** The key/value pair, made when asked: most definitions are never reported on. */
  get entry(): JsonProperty {
    return this.owner.propertiesNode!.properties[this.position];
  }
}

function readRelationship(property: PropertyDef, node: JsonObject, cardinality: 'one' | 'many', wrapper: JsonObject | undefined): RelationshipDef {
  const relationship = new Relationship(property, cardinality, node, wrapper);
  const owner = property.owner;
  if (owner.kind === 'internal' && isInternalName(owner.name)) {
    const builtin = BUILTIN_INTERNAL_OBJECTS[owner.name].relationships[property.name];
    if (builtin && getValueNode(node, 'reverseRelationship') === undefined) {
      relationship.bidirectional = true;
      relationship.reversePropertyName ??= builtin.reversePropertyName;
    }
  }
  return relationship;
}

// The model reads values eagerly but finds the nodes behind them (wanted only to place a diagnostic or an edit)
// when asked: on a large config that saves making most of them. Prototype getters, so nothing per instance.
class Relationship implements RelationshipDef {
  bidirectional: boolean;
  reversePropertyName: string | undefined;
  validate: boolean;
  notifySelf: boolean;
  resourceCollection: ResourceCollection | undefined;

  constructor(
    readonly property: PropertyDef,
    readonly cardinality: 'one' | 'many',
    readonly node: JsonObject,
    readonly wrapper: JsonObject | undefined,
  ) {
    this.bidirectional = isTrue(node, 'reverseRelationship');
    this.reversePropertyName = meantString(node, 'reversePropertyName');
    this.validate = isTrue(node, 'validate');
    this.notifySelf = isTrue(node, 'notifySelf');
    this.resourceCollection = readResourceCollection(getValueNode(node, 'resourceCollection'));
  }

  get reverseRelationshipNode(): JsonNode | undefined { return getValueNode(this.node, 'reverseRelationship'); }
  get reversePropertyNameNode(): JsonNode | undefined { return getValueNode(this.node, 'reversePropertyName'); }
  get notifySelfNode(): JsonNode | undefined { return getValueNode(this.node, 'notifySelf'); }
}

function readResourceCollection(node: JsonNode | undefined): ResourceCollection | undefined {
  if (!node) return undefined;
  const items = node.type === 'array' ? node.items : node.type === 'object' ? [node] : [];
  const entries = items.filter((item): item is JsonObject => item.type === 'object').map((item) => new CollectionEntry(item));
  return { node, entries };
}

class CollectionEntry implements ResourceCollectionEntry {
  readonly path: string | undefined;
  readonly target: TargetRef;
  readonly notify: boolean;
  readonly label: string | undefined;
  readonly queryNode: JsonObject | undefined;
  readonly queryFields: NameList | undefined;
  readonly conditionalAssociation: boolean;

  constructor(readonly node: JsonObject) {
    this.path = meantString(node, 'path');
    this.target = this.path === undefined ? { kind: 'invalid' } : parseTargetPath(this.path);
    this.notify = isTrue(node, 'notify');
    this.label = stringMember(node, 'label');
    this.queryNode = asObject(getValueNode(node, 'query'));
    this.queryFields = readNameList(this.queryNode, 'fields');
    this.conditionalAssociation = booleanMember(node, 'conditionalAssociation') === true;
  }

  get pathNode(): JsonNode | undefined { return getValueNode(this.node, 'path'); }
  get notifyNode(): JsonNode | undefined { return getValueNode(this.node, 'notify'); }
  get conditionalAssociationField(): JsonString | undefined {
    const field = getValueNode(this.node, 'conditionalAssociationField');
    return field?.type === 'string' ? field : undefined;
  }
}

/**
 * `true`, or the string `"true"`: IDM refuses the string (rules/valueTypes.ts reports it), but what the author meant is
 * plain, so the rest of the checker reads the intent instead of adding symptoms of the one wrong value.
 */
function isTrue(node: JsonObject, key: string): boolean {
  const value = booleanMember(node, key);
  if (value !== undefined) return value;
  return stringMember(node, key)?.trim().toLowerCase() === 'true';
}

/** A string, or a list holding just one string (`["reports"]`): reported as the wrong type, read as what was meant. */
function meantString(node: JsonObject, key: string): string | undefined {
  const value = stringMember(node, key);
  if (value !== undefined) return value;
  const list = asArray(getValueNode(node, key));
  return list?.items.length === 1 && list.items[0].type === 'string' ? list.items[0].value : undefined;
}

const MANAGED_PATH = /^managed\/([^/]+)$/;

/** `managed/<name>`, `internal/role`, `internal/user`, legacy `repo/internal/role`; anything else is invalid. */
export function parseTargetPath(path: string): TargetRef {
  const managed = MANAGED_PATH.exec(path);
  if (managed) return { kind: 'managed', name: managed[1] };
  if (path === 'internal/role') return { kind: 'internal', name: 'role', legacy: false };
  if (path === 'internal/user') return { kind: 'internal', name: 'user', legacy: false };
  if (path === 'repo/internal/role') return { kind: 'internal', name: 'role', legacy: true };
  return { kind: 'invalid' };
}

/** The name list in member `key` of `owner`; the names are read at once, the nodes behind them when asked. */
export function readNameList(owner: JsonNode | undefined, key: string): NameList | undefined {
  const names = stringItemsMember(owner, key);
  return names && new NameListOf(owner as JsonObject, key, names);
}

class NameListOf implements NameList {
  private made: JsonString[] | undefined = undefined;

  constructor(private readonly owner: JsonObject, private readonly key: string, readonly names: string[]) {}

  get node(): JsonArray {
    return getValueNode(this.owner, this.key) as JsonArray;
  }

  get entries(): JsonString[] {
    return (this.made ??= this.node.items.filter((item): item is JsonString => item.type === 'string'));
  }
}
