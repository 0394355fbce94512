/**
 * Relationship-derived virtual properties: `isVirtual` + `queryConfig` whose `referencedRelationshipFields` is a
 * path of relationship hops (or, since IDM 7.5 / AIC, a list of such paths) and whose `referencedObjectFields` names
 * fields of the type reached (PingIDM objects guide, "Relationship-derived virtual properties").
 */
import { asArray, findProperty, getValueNode, type JsonString } from '../json/ast';
import type { ObjectType, PropertyDef } from '../model/types';
import { firstSegment } from '../model/fieldPath';
import { displayName, keyRangeOf, rangeOf, refOf, type RuleContext } from './context';

export function checkVirtualProperties(context: RuleContext): void {
  for (const object of context.schema.objectTypes) {
    if (object.kind !== 'managed') continue;
    for (const property of object.properties) {
      if (!property.queryConfig) continue;
      if (!property.isVirtual) {
        const key = findProperty(property.node, 'queryConfig')!;
        context.report('rdvp-not-virtual', object.file, keyRangeOf(key),
          `${displayName(property)} has a \`queryConfig\` but no \`isVirtual: true\`: IDM never computes it.`,
          { data: { origin: refOf(property) } });
      }
      checkQueryConfig(context, property);
    }
  }
}

/** The hop paths of `referencedRelationshipFields`, flat (`["roles","assignments"]`) or nested. */
export function hopPaths(property: PropertyDef): JsonString[][] {
  const fields = asArray(getValueNode(property.queryConfig, 'referencedRelationshipFields'));
  if (!fields) return [];
  if (fields.items.some((item) => item.type === 'array')) {
    return fields.items.flatMap((item) => (item.type === 'array' ? [item.items.filter((h): h is JsonString => h.type === 'string')] : []));
  }
  return [fields.items.filter((h): h is JsonString => h.type === 'string')];
}

function checkQueryConfig(context: RuleContext, property: PropertyDef): void {
  const { schema } = context;
  const file = property.owner.file;
  const finalTypes: ObjectType[] = [];
  let opaque = false;
  for (const path of hopPaths(property)) {
    let current: ObjectType[] = [property.owner];
    let pathOpaque = false;
    for (let hop = 0; hop < path.length; hop++) {
      const name = path[hop].value;
      const lacking = current.filter((type) => !type.propertyMap.get(name)?.relationship);
      if (lacking.length) {
        const notRelationship = lacking.filter((type) => type.propertyMap.has(name));
        context.report('rdvp-path-unknown', file, rangeOf(path[hop]),
          `Hop ${hop + 1} of ${displayName(property)}'s \`referencedRelationshipFields\`: ` +
          lacking.map((type) => (type.propertyMap.has(name) ? `${type.name}.${name} is not a relationship` : `${type.name} has no relationship \`${name}\``)).join('; ') + '.',
          { data: { origin: refOf(property), hop, name, types: lacking.map((t) => t.name), notRelationship: notRelationship.map((t) => t.name) } });
        pathOpaque = true;
        break;
      }
      const next = new Map<string, ObjectType>();
      for (const type of current) {
        for (const entry of type.propertyMap.get(name)!.relationship!.resourceCollection?.entries ?? []) {
          const target = schema.resolve(entry.target);
          if (target.kind === 'object') next.set(target.object.name, target.object);
          else pathOpaque = true; // internal or missing types: fields unknown from here on
        }
      }
      if (pathOpaque) break;
      current = [...next.values()];
      if (!current.length) { pathOpaque = true; break; }
    }
    if (pathOpaque) opaque = true;
    else for (const type of current) finalTypes.push(type);
  }
  if (opaque || !finalTypes.length) return;

  const objectFields = asArray(getValueNode(property.queryConfig, 'referencedObjectFields'));
  for (const item of objectFields?.items ?? []) {
    if (item.type !== 'string') continue;
    const name = firstSegment(item.value);
    if (name === '*' || name.startsWith('_')) continue;
    if (finalTypes.some((type) => type.propertyMap.has(name))) continue;
    context.report('rdvp-object-field-unknown', file, rangeOf(item),
      `\`${name}\` is not a property of ${[...new Set(finalTypes.map((t) => t.name))].join(' or ')}, the type reached by ${displayName(property)}'s relationship path.`,
      { data: { origin: refOf(property), field: item.value } });
  }
}
