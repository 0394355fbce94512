/**
 * A compact JSON syntax tree with offsets. It is what every other part of the core reads:
 * the parser builds it, the model and the rules walk it, fixes use its offsets.
 * Offsets are UTF-16 code unit indices into the document text (as in JavaScript strings and LSP).
 */

export type JsonNode = JsonObject | JsonArray | JsonString | JsonNumber | JsonBoolean | JsonNull;

interface NodeBase {
  /** Offset of the first character of the value. */
  offset: number;
  /** Offset just past the last character of the value. */
  end: number;
  /** The object or array holding this value, undefined for the root. */
  parent: JsonObject | JsonArray | undefined;
  /** The property holding this value when the parent is an object. */
  property?: JsonProperty;
}

export interface JsonObject extends NodeBase {
  type: 'object';
  properties: JsonProperty[];
  /** Built on first lookup in a large object; last key wins, as in JSON.parse. */
  index?: Map<string, JsonProperty>;
  /** A faster `findProperty` the node may offer (the parser's nodes look keys up without listing members). */
  lookup?(key: string): JsonProperty | undefined;
  /** A faster `getValueNode` the node may offer (the parser's nodes make the value without its member). */
  valueNodeOf?(key: string): JsonNode | undefined;
  /** Reads a member's string or boolean value without making its node, where the node offers it. */
  stringMember?(key: string): string | undefined;
  booleanMember?(key: string): boolean | undefined;
  /** The type of a member's value without making its node, where the node offers it. */
  memberType?(key: string): JsonNode['type'] | undefined;
  /** Visits members' keys and values without making the members, where the node offers it. */
  forEachMember?(visit: (key: string, value: JsonNode | undefined, position: number) => void): void;
  /** Reads the string items of an array member without making nodes, where the node offers it. */
  stringItemsOf?(key: string): string[] | undefined;
  /** Whether two members share a key, where the node can tell without listing its members. */
  hasDuplicateKeys?(): boolean;
}

export interface JsonArray extends NodeBase {
  type: 'array';
  items: JsonNode[];
}

export interface JsonString extends NodeBase {
  type: 'string';
  value: string;
}

export interface JsonNumber extends NodeBase {
  type: 'number';
  value: number;
}

export interface JsonBoolean extends NodeBase {
  type: 'boolean';
  value: boolean;
}

export interface JsonNull extends NodeBase {
  type: 'null';
  value: null;
}

export interface JsonProperty {
  key: string;
  /** Offset of the key's opening quote. */
  keyOffset: number;
  /** Offset just past the key's closing quote. */
  keyEnd: number;
  /** The value, undefined while the user is still typing it (`"a": }`). */
  value: JsonNode | undefined;
  /** The object holding this property. */
  owner: JsonObject;
}

const INDEX_THRESHOLD = 8;

/** The property named `key` (the last one when the key is duplicated), or undefined. */
export function findProperty(node: JsonNode | undefined, key: string): JsonProperty | undefined {
  if (!node || node.type !== 'object') return undefined;
  if (node.lookup) return node.lookup(key);
  return findListedProperty(node, key);
}

/** `findProperty` over the listed members: a scan in a small object, a key index kept on the node in a large one. */
export function findListedProperty(node: JsonObject, key: string): JsonProperty | undefined {
  const properties = node.properties;
  if (properties.length <= INDEX_THRESHOLD) {
    for (let i = properties.length - 1; i >= 0; i--) if (properties[i].key === key) return properties[i];
    return undefined;
  }
  let index = node.index;
  if (!index) {
    index = new Map();
    for (const property of properties) index.set(property.key, property);
    node.index = index;
  }
  return index.get(key);
}

/** The value of property `key` when `node` is an object, else undefined. */
export function getValueNode(node: JsonNode | undefined, key: string): JsonNode | undefined {
  if (node && node.type === 'object' && node.valueNodeOf) return node.valueNodeOf(key);
  return findProperty(node, key)?.value;
}

/** The string value of member `key` of `node`, without making nodes where the parser allows. */
export function stringMember(node: JsonNode | undefined, key: string): string | undefined {
  if (!node || node.type !== 'object') return undefined;
  return node.stringMember ? node.stringMember(key) : stringValue(getValueNode(node, key));
}

/** The boolean value of member `key` of `node`, without making nodes where the parser allows. */
export function booleanMember(node: JsonNode | undefined, key: string): boolean | undefined {
  if (!node || node.type !== 'object') return undefined;
  return node.booleanMember ? node.booleanMember(key) : booleanValue(getValueNode(node, key));
}

/** The type of the value of member `key` of `node` (undefined when absent or not typed yet), without making nodes where the parser allows. */
export function memberType(node: JsonNode | undefined, key: string): JsonNode['type'] | undefined {
  if (!node || node.type !== 'object') return undefined;
  return node.memberType ? node.memberType(key) : getValueNode(node, key)?.type;
}

/** Visits each member's key and value (undefined while not typed yet) in order; `position` indexes `properties`. */
export function forEachMember(node: JsonObject, visit: (key: string, value: JsonNode | undefined, position: number) => void): void {
  if (node.forEachMember) return node.forEachMember(visit);
  node.properties.forEach((property, position) => visit(property.key, property.value, position));
}

/** The string items (others skipped) of the array member `key` of `node`, without making nodes where the parser allows. */
export function stringItemsMember(node: JsonNode | undefined, key: string): string[] | undefined {
  if (!node || node.type !== 'object') return undefined;
  if (node.stringItemsOf) return node.stringItemsOf(key);
  const list = getValueNode(node, key);
  return list?.type === 'array' ? list.items.flatMap((item) => (item.type === 'string' ? [item.value] : [])) : undefined;
}

/** Whether some key of `node` occurs twice (JSON readers then keep only the last). */
export function hasDuplicateKeys(node: JsonObject): boolean {
  if (node.hasDuplicateKeys) return node.hasDuplicateKeys();
  return hasDuplicateListedKeys(node);
}

/** `hasDuplicateKeys` over the listed members. */
export function hasDuplicateListedKeys(node: JsonObject): boolean {
  const keys = new Set<string>();
  for (const property of node.properties) {
    if (keys.has(property.key)) return true;
    keys.add(property.key);
  }
  return false;
}

export function asObject(node: JsonNode | undefined): JsonObject | undefined {
  return node && node.type === 'object' ? node : undefined;
}

export function asArray(node: JsonNode | undefined): JsonArray | undefined {
  return node && node.type === 'array' ? node : undefined;
}

export function stringValue(node: JsonNode | undefined): string | undefined {
  return node && node.type === 'string' ? node.value : undefined;
}

export function booleanValue(node: JsonNode | undefined): boolean | undefined {
  return node && node.type === 'boolean' ? node.value : undefined;
}

/** Converts a node to the plain value JSON.parse would give (duplicate keys: last wins). */
export function toValue(node: JsonNode | undefined): unknown {
  if (!node) return undefined;
  // Iterative so that deeply nested input cannot overflow the stack.
  const convert = (n: JsonNode): unknown => {
    switch (n.type) {
      case 'object': return {};
      case 'array': return [];
      default: return n.value;
    }
  };
  const root = convert(node);
  const stack: Array<[JsonNode, any]> = [[node, root]];
  while (stack.length) {
    const [n, target] = stack.pop()!;
    if (n.type === 'object') {
      for (const p of n.properties) {
        if (!p.value) continue;
        const v = convert(p.value);
        target[p.key] = v;
        if (p.value.type === 'object' || p.value.type === 'array') stack.push([p.value, v]);
      }
    } else if (n.type === 'array') {
      for (const item of n.items) {
        const v = convert(item);
        target.push(v);
        if (item.type === 'object' || item.type === 'array') stack.push([item, v]);
      }
    }
  }
  return root;
}

/** The path of keys and indices from the root to `node`, as jsonc-parser's edit functions expect. */
export function pathOf(node: JsonNode): Array<string | number> {
  const path: Array<string | number> = [];
  let current: JsonNode = node;
  while (current.parent) {
    const parent: JsonObject | JsonArray = current.parent;
    if (parent.type === 'object') path.push(current.property!.key);
    else path.push(parent.items.indexOf(current));
    current = parent;
  }
  return path.reverse();
}

/** The innermost node whose range contains `offset` (end inclusive), starting from `root`. */
export function nodeAtOffset(root: JsonNode | undefined, offset: number): JsonNode | undefined {
  let node = root;
  if (!node || offset < node.offset || offset > node.end) return undefined;
  for (;;) {
    let next: JsonNode | undefined;
    if (node.type === 'object') {
      for (const p of node.properties) {
        if (p.value && offset >= p.value.offset && offset <= p.value.end) { next = p.value; break; }
      }
    } else if (node.type === 'array') {
      for (const item of node.items) {
        if (offset >= item.offset && offset <= item.end) { next = item; break; }
      }
    }
    if (!next) return node;
    node = next;
  }
}
