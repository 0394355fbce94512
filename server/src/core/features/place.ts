/**
 * What a JSON node is in the model: the object type and property it belongs to, and the path below that property's
 * definition. Features match on these paths (`['items', 'resourceCollection', 0, 'path']`) instead of walking the
 * tree themselves, so every feature agrees on what "inside a relationship node" means.
 */
import { asObject, findProperty, getValueNode, stringValue, type JsonArray, type JsonNode, type JsonObject } from '../json/ast';
import type { ConfigFile, ObjectType, PropertyDef } from '../model/types';
import type { KeyLevel } from './keyCatalogue';

export type PathSegment = string | number;

const RELATIONSHIP_NODE_KEYS = ['reverseRelationship', 'reversePropertyName', 'resourceCollection'];

export interface Place {
  object: ObjectType;
  /** Path from the object type's node down to the node. */
  objectPath: PathSegment[];
  /** The property whose definition holds the node (top-level properties only, as IDM reads them). */
  property?: PropertyDef;
  /** Path from the property's definition down to the node. */
  propertyPath?: PathSegment[];
}

/** The object type whose definition contains `offset`. */
export function objectAt(file: ConfigFile, offset: number): ObjectType | undefined {
  for (const object of file.objects) {
    if (offset >= object.node.offset && offset <= object.node.end) return object;
  }
  return undefined;
}

/** Where `node` sits, or undefined when it is outside every object type. */
export function placeOf(file: ConfigFile, node: JsonNode): Place | undefined {
  const object = objectAt(file, node.offset);
  if (!object) return undefined;
  const objectPath = pathBetween(object.node, node);
  if (!objectPath) return undefined;
  const propertiesPath = object.kind === 'managed' ? ['schema', 'properties'] : ['properties'];
  const isUnderProperties = propertiesPath.every((segment, i) => objectPath[i] === segment) && objectPath.length > propertiesPath.length;
  if (!isUnderProperties || !object.propertiesNode) return { object, objectPath };
  const name = objectPath[propertiesPath.length];
  // The property entry holding the node: found by node identity, so a duplicated key resolves to the right copy.
  let ancestor: JsonNode = node;
  while (ancestor.parent && ancestor.parent !== object.propertiesNode) ancestor = ancestor.parent;
  const property = object.properties.find((p) => p.entry.value === ancestor) ?? object.propertyMap.get(String(name));
  return { object, objectPath, property, propertyPath: objectPath.slice(propertiesPath.length + 1) };
}

/** The keys and indices from `ancestor` down to `node`, or undefined when `node` is not below `ancestor`. */
export function pathBetween(ancestor: JsonNode, node: JsonNode): PathSegment[] | undefined {
  const path: PathSegment[] = [];
  let current: JsonNode = node;
  while (current !== ancestor) {
    const parent: JsonObject | JsonArray | undefined = current.parent;
    if (!parent) return undefined;
    path.push(parent.type === 'object' ? current.property!.key : parent.items.indexOf(current));
    current = parent;
  }
  return path.reverse();
}

/** The written `type` of a definition: a string, or the first non-null entry of a type list. */
export function declaredType(node: JsonNode | undefined): string | undefined {
  const type = getValueNode(node, 'type');
  if (!type) return undefined;
  if (type.type === 'string') return type.value;
  if (type.type === 'array') return type.items.map(stringValue).find((t) => t !== undefined && t !== 'null');
  return undefined;
}

/**
 * The path prefix of a property's relationship node: `[]` for a singleton, `['items']` for an array, judged from
 * the text (not the model) so that a relationship being typed is recognised before its `type` is complete.
 */
export function relationshipNodePrefix(property: PropertyDef): PathSegment[] | undefined {
  const node = property.node;
  if (!node) return undefined;
  const type = declaredType(node);
  if (type === 'relationship') return [];
  const items = asObject(getValueNode(node, 'items'));
  // `items` still being typed counts once it holds a relationship key.
  const itemsType = declaredType(items);
  if (items && (type === 'array' || type === undefined) && (itemsType === 'relationship' || (itemsType === undefined && RELATIONSHIP_NODE_KEYS.some((key) => findProperty(items, key))))) return ['items'];
  // internal.json overlays give only `items.resourceCollection`.
  if (items && property.owner.kind === 'internal') return ['items'];
  return undefined;
}

/** `path` with the relationship node prefix removed, when `path` is at or below the relationship node. */
export function belowRelationshipNode(property: PropertyDef, path: PathSegment[]): PathSegment[] | undefined {
  const prefix = relationshipNodePrefix(property);
  if (!prefix || path.length < prefix.length) return undefined;
  for (let i = 0; i < prefix.length; i++) if (path[i] !== prefix[i]) return undefined;
  return path.slice(prefix.length);
}

/** Matches a path against a pattern where `#` stands for any array index. */
export function matches(path: PathSegment[] | undefined, pattern: PathSegment[]): boolean {
  if (!path || path.length !== pattern.length) return false;
  return pattern.every((segment, i) => (segment === '#' ? typeof path[i] === 'number' : segment === path[i]));
}

/** The relationship node object of a property (the definition or its `items`). */
export function relationshipNodeOf(property: PropertyDef): JsonObject | undefined {
  const prefix = relationshipNodePrefix(property);
  if (!prefix) return undefined;
  return prefix.length ? asObject(getValueNode(property.node, 'items')) : property.node;
}

/**
 * The levels whose keys belong in `object`, a container inside a property definition. A singleton relationship is
 * both the property and the relationship node; an array keeps them apart (node keys go in `items`). Before `type`
 * says what the property is, only the property-level keys (with `type`) are offered.
 */
export function keyLevels(property: PropertyDef, path: PathSegment[], object: JsonObject): KeyLevel[] {
  if (path.length === 0) {
    const type = declaredType(object);
    if (type === 'relationship') return ['outer', 'node'];
    if (type === 'array') return ['outer', 'wrapper'];
    return ['outer'];
  }
  if (matches(path, ['items']) && (declaredType(property.node) === 'array' || declaredType(property.node) === undefined)) {
    const itemsType = declaredType(object);
    return itemsType === undefined || itemsType === 'relationship' ? ['node'] : [];
  }
  if (matches(path, ['queryConfig'])) return ['queryConfig'];
  const below = belowRelationshipNode(property, path);
  if (matches(below, ['resourceCollection', '#']) || matches(below, ['resourceCollection'])) return ['entry'];
  if (matches(below, ['resourceCollection', '#', 'query']) || matches(below, ['resourceCollection', 'query'])) return ['query'];
  if (matches(below, ['properties'])) return ['refSchema'];
  return [];
}
