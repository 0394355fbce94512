/** Object type names and property keys: unique, well-formed, and within platform limits. */
import { hasDuplicateKeys, type JsonObject } from '../json/ast';
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
    const first = definitions[0];
    for (const duplicate of definitions.slice(1)) {
      context.report('duplicate-object-name', duplicate.file, objectAnchor(duplicate),
        `The object type \`${name}\` is already defined${duplicate.file === first.file ? ' in this file' : ` in ${relativeDisplayPath(duplicate.file.uri, first.file.uri)}`}; IDM would keep only one of them.`,
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

