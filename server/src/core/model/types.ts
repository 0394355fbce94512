/**
 * The relationship model: what a set of managed config files declares, with offsets back into each file.
 * Built by `readConfigFile` (one file) and `Schema` (the files of one configuration together).
 * Everything here is plain data; no part of it knows LSP or the file system.
 */
import type { JsonArray, JsonNode, JsonObject, JsonProperty, JsonString } from '../json/ast';
import type { JsonSyntaxError } from '../json/parser';

/** How a file holds its object types (IDM's `conf/managed.json` and `conf/internal.json`, fr-config-manager's `managed-objects/`, frodo's exports). */
export type ConfigLayout =
  /** `{"objects": [...]}`, optionally with `"_id": "managed"` (conf/managed.json, REST). */
  | 'managed'
  /** `{"name": ..., "schema": {...}}`: one object per file (fr-config-manager, frodo --separate). */
  | 'single-object'
  /** `{"idm": {"managed": {"objects": [...]}}, "meta": {...}}` (frodo exports). */
  | 'frodo-wrapper'
  /** `{"objects": [{"name": "role", "properties": {...}}]}`: overlay on IDM's internal objects. */
  | 'internal'
  /**
   * `[{"operation": "add", "field": "objects/-", "value": {"name": ..., "schema": ...}}]`: patches to
   * `config/managed` kept by projects that configure a tenant from an initializer (also `replace` of `objects/N`,
   * `/objects/-`, and RFC 6902's `op` / `path`).
   */
  | 'json-patch'
  /** Parsed, but not a managed config. */
  | 'unknown';

export interface ConfigFile {
  /** The caller's identifier (a URI or a path); the core treats it as an opaque '/'-separated string. */
  uri: string;
  text: string;
  version: number;
  layout: ConfigLayout;
  root: JsonNode | undefined;
  syntaxErrors: JsonSyntaxError[];
  objects: ObjectType[];
  /** Node holding the object list (`objects` array), when the layout has one. */
  objectsArray?: JsonArray;
  /** Parts of a recognised file the model could not read, with why: reported, never skipped in silence. */
  unread: UnreadPart[];
}

export interface UnreadPart {
  node: JsonNode;
  reason: string;
}

/** Where a relationship points. */
export type TargetRef =
  | { kind: 'managed'; name: string }
  | { kind: 'internal'; name: 'role' | 'user'; legacy: boolean }
  | { kind: 'invalid' };

export interface ObjectType {
  /** `managed` for managed objects, `internal` for internal.json overlays. */
  kind: 'managed' | 'internal';
  name: string;
  /** The `name` value node (absent when the object has no usable name). */
  nameNode?: JsonString;
  file: ConfigFile;
  node: JsonObject;
  /** `schema` for managed objects; absent for internal overlays, whose properties sit on the object. */
  schemaNode?: JsonObject;
  /** The object node that holds the property definitions. */
  propertiesNode?: JsonObject;
  title?: string;
  properties: PropertyDef[];
  /** Last definition wins, as when IDM reads the JSON. */
  propertyMap: PropertiesByName;
  /** Relationship properties (top-level only: IDM ignores nested ones). */
  relationships: RelationshipDef[];
  orderNode?: JsonArray;
  requiredNode?: JsonArray;
}

/** A type's property definitions by name (configFile.ts `PropertyLookup`). */
export interface PropertiesByName {
  get(name: string): PropertyDef | undefined;
  has(name: string): boolean;
  /** How many distinct names: fewer than the definitions when a name is repeated. */
  readonly size: number;
}

export interface PropertyDef {
  name: string;
  owner: ObjectType;
  /** The key/value pair in the properties object. */
  entry: JsonProperty;
  /** The property's definition object (undefined when the value is not an object). */
  node: JsonObject | undefined;
  /** `type` as written: a string, a list of strings, or undefined. */
  type: string | string[] | undefined;
  relationship?: RelationshipDef;
  isVirtual: boolean;
  queryConfig?: JsonObject;
  notifyRelationships?: NameList;
}

/** A list of names written as a JSON array of strings, with each string's node. */
export interface NameList {
  /** The string items, in order (items that are not strings are left out, as in `entries`). */
  names: string[];
  node: JsonArray;
  /** The string items' nodes, aligned with `names`. */
  entries: JsonString[];
}

export type Cardinality = 'one' | 'many';

export interface RelationshipDef {
  property: PropertyDef;
  /** `one` for `type: relationship`, `many` for an array whose items are relationships. */
  cardinality: Cardinality;
  /** The node holding the relationship keys: the property itself, or `items` for arrays. */
  node: JsonObject;
  /** The array wrapper for `many`. */
  wrapper?: JsonObject;
  /** `reverseRelationship === true` on the node. */
  bidirectional: boolean;
  reverseRelationshipNode?: JsonNode;
  reversePropertyName?: string;
  reversePropertyNameNode?: JsonNode;
  validate: boolean;
  notifySelf: boolean;
  notifySelfNode?: JsonNode;
  /** Absent when the node has no `resourceCollection`. */
  resourceCollection?: ResourceCollection;
}

export interface ResourceCollection {
  /** The `resourceCollection` value: normally an array; a single object in IDM 4.0-era files. */
  node: JsonNode;
  entries: ResourceCollectionEntry[];
}

export interface ResourceCollectionEntry {
  node: JsonObject;
  path?: string;
  pathNode?: JsonNode;
  target: TargetRef;
  notify: boolean;
  notifyNode?: JsonNode;
  label?: string;
  queryNode?: JsonObject;
  queryFields?: NameList;
  conditionalAssociation: boolean;
  conditionalAssociationField?: JsonString;
}

/** A config file that matched the file patterns but could not be read; `path` and `reason` are for people. */
export interface UnreadableFile {
  uri: string;
  path: string;
  reason: string;
}
