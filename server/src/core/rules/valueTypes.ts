/**
 * The JSON type of every relationship key IDM reads. IDM reads its config through `JsonValue`, whose `asBoolean()`,
 * `asString()` and `asList()` throw on any other type: `"reverseRelationship": "true"` is not converted, and the
 * managed object fails to load (SchemaField, openidm-core `org.forgerock.openidm.managed`). `type` must be a string or
 * a list ("Schema field 'type' must be a String or List"). The keys IDM ignores (on the array wrapper) are not checked
 * here; `key-on-array-wrapper` says they are ignored.
 */
import { asObject, getValueNode, memberType, pathOf, type JsonNode, type JsonObject } from '../json/ast';
import type { PropertyDef } from '../model/types';
import { displayName, rangeOf, refOf, type RuleContext } from './context';

export type ExpectedType = 'boolean' | 'string' | 'array' | 'string or list';

// As lists: read for every relationship of every check, where Object.entries would make them each time.
const RELATIONSHIP_KEYS: ReadonlyArray<[string, ExpectedType]> = [
  ['reverseRelationship', 'boolean'],
  ['validate', 'boolean'],
  ['notifySelf', 'boolean'],
  ['reversePropertyName', 'string'],
  ['resourceCollection', 'array'],
];

const ENTRY_KEYS: ReadonlyArray<[string, ExpectedType]> = [['path', 'string'], ['notify', 'boolean']];

export function checkValueTypes(context: RuleContext): void {
  for (const file of context.schema.files) {
    for (const object of file.objects) {
      if (object.kind !== 'managed') continue;
      // Reads the type's own definitions only: an edit elsewhere leaves its findings as they were (moved).
      context.perObject(object, 'value-types', () => {
        for (const property of object.properties) checkProperty(context, property);
      });
    }
  }
}

function checkProperty(context: RuleContext, property: PropertyDef): void {
  const node = property.node;
  if (!node) return;
  checkKey(context, property, node, 'type', 'string or list');
  const items = memberType(node, 'items') === 'object' ? asObject(getValueNode(node, 'items')) : undefined;
  if (items) checkKey(context, property, items, 'type', 'string or list');
  const relationship = property.relationship;
  if (!relationship) return;
  checkKey(context, property, node, 'notifyRelationships', 'array');
  for (const [key, expected] of RELATIONSHIP_KEYS) {
    // IDM 4.0 configs wrote a single `resourceCollection` object; the model reads it as a one-entry list.
    if (key === 'resourceCollection' && memberType(relationship.node, key) === 'object') continue;
    // IDM reads `reversePropertyName` only for a bidirectional relationship (SchemaField).
    if (key === 'reversePropertyName' && !relationship.bidirectional) continue;
    checkKey(context, property, relationship.node, key, expected);
  }
  for (const entry of relationship.resourceCollection?.entries ?? []) {
    for (const [key, expected] of ENTRY_KEYS) checkKey(context, property, entry.node, key, expected);
    if (entry.queryNode) checkKey(context, property, entry.queryNode, 'fields', 'array');
  }
}

function checkKey(context: RuleContext, property: PropertyDef, owner: JsonObject, key: string, expected: ExpectedType): void {
  // Told from the type alone, without making the value's node: almost every key has the right type.
  const type = memberType(owner, key);
  if (type === undefined || (type === 'null' && key !== 'type') || (fitsType(type, expected) && !(type === 'array' && expected === 'string or list'))) return;
  const value = getValueNode(owner, key);
  // `null` is JsonValue's "absent": IDM takes the key's default, as when it is not written (exported configs have it).
  if (!value || (value.type === 'null' && key !== 'type') || fits(value, expected)) return;
  const written = property.owner.file.text.slice(value.offset, value.end);
  const replacement = key === 'resourceCollection' ? undefined : repairOf(value, expected);
  context.report('relationship-key-wrong-type', property.owner.file, rangeOf(value),
    `\`${key}\` of ${displayName(property)} must be ${article(expected)}, not ${describe(value)} (${shorten(written)}): ` +
    (key === 'type'
      ? 'IDM stops loading the managed object ("Schema field \'type\' must be a String or List").'
      : `IDM reads it as ${article(expected)} and does not convert ${describe(value)}, so the config fails to load.`) +
    (replacement !== undefined ? ` Write \`${JSON.stringify(replacement)}\`.` : ''),
    { data: { origin: refOf(property), key, expected, valuePath: pathOf(value), written, replacement } });
}

function fits(value: JsonNode, expected: ExpectedType): boolean {
  if (expected === 'string or list' && value.type === 'array') return value.items.every((item) => item.type === 'string');
  return fitsType(value.type, expected);
}

/** Whether a value of `type` can be what is expected (a list for `string or list` still needs its items checked). */

function fitsType(type: JsonNode['type'], expected: ExpectedType): boolean {
  switch (expected) {
    case 'boolean': return type === 'boolean';
    case 'string': return type === 'string';
    case 'array': return type === 'array';
    case 'string or list': return type === 'string' || type === 'array';
  }
}

/** The value the author evidently meant, when there is exactly one: `"true"` -> `true`, `"roles"` -> `["roles"]`. */
function repairOf(value: JsonNode, expected: ExpectedType): unknown {
  if (expected === 'boolean' && value.type === 'string') {
    const word = value.value.trim().toLowerCase();
    return word === 'true' ? true : word === 'false' ? false : undefined;
  }
  if (expected === 'string' && value.type === 'array' && value.items.length === 1 && value.items[0].type === 'string') return value.items[0].value;
  if (expected === 'array' && value.type === 'string') {
    const names = value.value.split(',').map((name) => name.trim()).filter((name) => name);
    return names.length ? names : undefined;
  }
  return undefined;
}

function article(expected: ExpectedType): string {
  return expected === 'array' ? 'a list' : expected === 'string or list' ? 'a string or a list of strings' : `a ${expected}`;
}

function describe(value: JsonNode): string {
  switch (value.type) {
    case 'string': return 'a string';
    case 'boolean': return 'a boolean';
    case 'number': return 'a number';
    case 'array': return 'a list';
    case 'object': return 'an object';
    default: return 'null';
  }
}

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 57)}…` : flat;
}
