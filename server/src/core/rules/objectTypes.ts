/** Object type names and property keys: unique, well-formed, and within platform limits. */
import { hasDuplicateKeys, toValue, type JsonObject } from '../json/ast';
import { Schema } from '../model/schema';
import type { ObjectType } from '../model/types';
import { relativeDisplayPath } from '../text/displayPath';
import { keyRangeOf, objectAnchor, relatedAt, type RuleContext } from './context';

const OBJECT_NAME = /^[A-Za-z0-9_]+$/;

/** Relationship properties AIC ships; the 10-relationship limit counts only the ones users add. */
const AIC_DEFAULT_RELATIONSHIPS = new Set([
  'roles', 'authzRoles', 'reports', 'manager', 'ownerOfOrg', 'adminOfOrg', 'memberOfOrg', 'assignments', 'groups',
  'applications', 'members', 'owners', 'admins', 'parent', 'children',
]);
const AIC_RELATIONSHIP_LIMIT = 10;

export function checkObjectTypes(context: RuleContext): void {
  const { schema } = context;
  for (const [name, definitions] of schema.managed) {
    // Two exports of one configuration (a frodo export file and the per-object files beside it, see Schema): each
    // export's first definition is the type, a further one in the same export is a real duplicate.
    const twoExports = definitions.some((d) => Schema.exportOf(d) === 'frodo-export') && definitions.some((d) => Schema.exportOf(d) === 'per-object');
    const exportKey = (object: ObjectType) => (twoExports && Schema.exportOf(object) !== 'config' ? Schema.exportOf(object) : 'config');
    const firstIn = new Map<string, ObjectType>();
    for (const definition of definitions) {
      const first = firstIn.get(exportKey(definition));
      if (!first) {
        firstIn.set(exportKey(definition), definition);
        if (definition !== definitions[0]) reportRepeat(context, definition, definitions[0]);
        continue;
      }
      context.report('duplicate-object-name', definition.file, objectAnchor(definition),
        `The object type \`${name}\` is already defined${definition.file === first.file ? ' in this file' : ` in ${relativeDisplayPath(definition.file.uri, first.file.uri)}`}; IDM would keep only one of them.`,
        { related: [relatedAt(first.file, objectAnchor(first), 'first definition')], data: { object: name } });
    }
  }
  for (const file of schema.files) {
    for (const object of file.objects) {
      if (object.kind !== 'managed') continue;
      checkName(context, object);
      // The model keyed every definition by name: fewer names than definitions means a duplicate.
      if (object.propertiesNode && object.propertyMap.size < object.properties.length) checkDuplicateKeys(context, object, object.propertiesNode, 'property');
      for (const relationship of object.relationships) checkDuplicateKeys(context, object, relationship.node, 'key');
      if (context.settings.platform === 'aic') checkRelationshipLimit(context, object);
    }
  }
}

/**
 * A per-object file repeating a type of the frodo export file beside it (frodo-cli writes both in a full `--separate`
 * export). Only the export's definition is paired and resolved against; the note says whether the copy's `schema` is
 * the same, or differs (then which one a tenant gets depends on which export is imported).
 */
function reportRepeat(context: RuleContext, copy: ObjectType, read: ObjectType): void {
  const identical = canonical(copy) === canonical(read);
  const where = relativeDisplayPath(copy.file.uri, read.file.uri);
  context.report('export-repeated', copy.file, objectAnchor(copy),
    `\`${copy.name}\` is also in ${where}: frodo wrote this configuration twice, as one export file and as per-object files. ` +
    `The export file is read as the configuration and this file as its repeat, ` +
    (identical ? 'whose `schema` is the same.' : `whose \`schema\` differs: the configuration's relationships are paired with the export file's \`${copy.name}\`, so compare the two (a tenant gets whichever is imported).`),
    { related: [relatedAt(read.file, objectAnchor(read), 'the definition read')], data: { object: copy.name, export: read.file.uri, identical } });
}

/**
 * An object's `schema` (where its relationships are) without layout: comments, whitespace and key order do not make two
 * copies differ, nor do the scripts frodo moves out of a per-object file (`"source": "file://..."`).
 */
function canonical(object: ObjectType): string {
  const sorted = (value: unknown): unknown => Array.isArray(value) ? value.map(sorted)
    : value && typeof value === 'object' ? Object.fromEntries(Object.keys(value).sort().map((key) => [key, sorted((value as Record<string, unknown>)[key])])) : value;
  return JSON.stringify(sorted(toValue(object.schemaNode ?? object.node)));
}

function checkName(context: RuleContext, object: ObjectType): void {
  if (object.nameNode && OBJECT_NAME.test(object.name)) return;
  context.report('invalid-object-name', object.file, objectAnchor(object),
    object.nameNode
      ? `\`${object.name}\` is not a valid object name: only letters, digits and \`_\` are allowed (it becomes the REST path managed/<name>).`
      : 'This object has no `name` string; IDM needs one to serve it at managed/<name>.',
    { data: { object: object.name } });
}

function checkDuplicateKeys(context: RuleContext, object: ObjectType, node: JsonObject, what: 'property' | 'key'): void {
  if (!hasDuplicateKeys(node)) return;
  const seen = new Map<string, JsonObject['properties'][number]>();
  for (const entry of node.properties) {
    const first = seen.get(entry.key);
    if (!first) { seen.set(entry.key, entry); continue; }
    context.report('duplicate-property', object.file, keyRangeOf(entry),
      `Duplicate ${what} \`${entry.key}\` in ${object.name}: JSON readers keep only the last one.`,
      { related: [relatedAt(object.file, keyRangeOf(first), 'first occurrence')], data: { object: object.name, key: entry.key } });
  }
}

function checkRelationshipLimit(context: RuleContext, object: ObjectType): void {
  const custom = object.relationships.filter((r) => !AIC_DEFAULT_RELATIONSHIPS.has(r.property.name));
  if (custom.length <= AIC_RELATIONSHIP_LIMIT) return;
  for (const relationship of custom.slice(AIC_RELATIONSHIP_LIMIT)) {
    context.report('relationship-limit-exceeded', object.file, keyRangeOf(relationship.property.entry),
      `${object.name} has ${custom.length} custom relationship properties; PingOne Advanced Identity Cloud allows ${AIC_RELATIONSHIP_LIMIT}. Define this one from the related type instead.`,
      { data: { object: object.name, count: custom.length, limit: AIC_RELATIONSHIP_LIMIT } });
  }
}

