/**
 * Facts about one relationship as a reader wants them: what it points at, what the other side is, its
 * cardinality, and who gets notified when it changes (PingOne AIC, "Relationship change notification").
 */
import { BUILTIN_INTERNAL_OBJECTS } from '../model/internalObjects';
import { Schema, type ResolvedTarget } from '../model/schema';
import type { Cardinality, ObjectType, PropertyDef, RelationshipDef, ResourceCollectionEntry } from '../model/types';

export interface OtherSide {
  entry: ResourceCollectionEntry;
  target: ResolvedTarget;
  /** The path the entry names (`managed/user`). */
  path: string;
  /** The reverse property, when the target declares it. */
  reverse?: PropertyDef;
  /** Cardinality of the reverse side (declared, or built into IDM for internal objects). */
  reverseCardinality?: Cardinality;
}

/** One entry per `resourceCollection` target, with the reverse property where there is one. */
export function otherSides(schema: Schema, relationship: RelationshipDef): OtherSide[] {
  return (relationship.resourceCollection?.entries ?? []).map((entry) => {
    const target = schema.resolve(entry.target);
    const side: OtherSide = { entry, target, path: entry.path ?? '?' };
    const name = relationship.reversePropertyName;
    if (!relationship.bidirectional || !name) return side;
    side.reverse = schema.propertyOf(target, name);
    side.reverseCardinality = side.reverse?.relationship?.cardinality;
    if (!side.reverseCardinality && target.kind === 'internal') side.reverseCardinality = BUILTIN_INTERNAL_OBJECTS[target.name].relationships[name]?.cardinality;
    return side;
  });
}

/**
 * `many-to-one` for `manager` (many users share one manager). A one-way relationship puts no limit on how many
 * origins point at one target, so its far end counts as `many`.
 */
export function cardinalityLabel(relationship: RelationshipDef, sides: OtherSide[]): string {
  const reverse = relationship.bidirectional ? sides.find((s) => s.reverseCardinality)?.reverseCardinality ?? 'many' : 'many';
  return `${reverse}-to-${relationship.cardinality}`;
}

/** `managed/user.reports`, or `managed/user` for a one-way target; `any resource` without a resourceCollection. */
export function targetsLabel(relationship: RelationshipDef, sides: OtherSide[]): string {
  if (!sides.length) return 'any resource';
  return sides.map((side) => (relationship.bidirectional && relationship.reversePropertyName ? `${side.path}.${relationship.reversePropertyName}` : side.path)).join(' | ');
}

/** Who a change made through this side notifies: `self` (notifySelf) and the referenced types (`notify`). */
export function notifiedParties(relationship: RelationshipDef): string[] {
  const parties: string[] = [];
  if (relationship.notifySelf) parties.push('self');
  for (const entry of relationship.resourceCollection?.entries ?? []) if (entry.notify && entry.path) parties.push(entry.path);
  return parties;
}

/** `manager: many-to-one -> managed/user.reports, bidirectional, validate, notifies: none` */
export function summaryLine(schema: Schema, relationship: RelationshipDef): string {
  const sides = otherSides(schema, relationship);
  const parts = [
    `${relationship.property.name}: ${cardinalityLabel(relationship, sides)} -> ${targetsLabel(relationship, sides)}`,
    relationship.bidirectional ? 'bidirectional' : 'one-way',
  ];
  if (relationship.validate) parts.push('validate');
  const notified = notifiedParties(relationship);
  parts.push(`notifies: ${notified.length ? notified.join(', ') : 'none'}`);
  const passedOn = relationship.property.notifyRelationships?.entries.map((e) => e.value) ?? [];
  if (passedOn.length) parts.push(`passes on to: ${passedOn.join(', ')}`);
  return parts.join(', ');
}

export function objectLabel(object: ObjectType): string {
  return object.kind === 'internal' ? `internal/${object.name}` : object.name;
}

/** `user.reports` */
export function propertyLabel(property: PropertyDef): string {
  return `${objectLabel(property.owner)}.${property.name}`;
}

/** Plain sentences: what a change through either side notifies, and where notifications go next. */
export function notificationStory(schema: Schema, relationship: RelationshipDef): string[] {
  const property = relationship.property;
  const owner = objectLabel(property.owner);
  const url = `${Schema.pathOf(property.owner)}/{id}/${property.name}`;
  const lines: string[] = [];
  const referenced = (relationship.resourceCollection?.entries ?? []).filter((e) => e.notify).map((e) => e.path ?? '?');
  const here = [
    relationship.notifySelf ? `the ${owner} itself (\`notifySelf\`)` : undefined,
    referenced.length ? `the referenced ${referenced.join(' / ')} object (\`notify\`)` : undefined,
  ].filter(Boolean);
  lines.push(`A change made through \`${url}\` notifies ${here.length ? here.join(' and ') : 'no one'}.`);

  if (relationship.bidirectional) {
    for (const side of otherSides(schema, relationship)) {
      const reverse = side.reverse?.relationship;
      if (!reverse) continue;
      const back = reverse.resourceCollection?.entries.find((e) => e.path === Schema.pathOf(property.owner));
      const there = [
        reverse.notifySelf ? `the ${objectLabel(reverse.property.owner)} itself` : undefined,
        back?.notify ? `this ${owner}` : undefined,
      ].filter(Boolean);
      lines.push(`A change made through the other side \`${Schema.pathOf(reverse.property.owner)}/{id}/${reverse.property.name}\` notifies ${there.length ? there.join(' and ') : 'no one'}.`);
    }
  } else if (relationship.notifySelf || referenced.length) {
    lines.push('This relationship is one-way, and IDM throws an exception when notification is configured on a one-way relationship: make it bidirectional.');
  }

  const passedOn = property.notifyRelationships?.entries.map((e) => `\`${e.value}\``) ?? [];
  lines.push(passedOn.length
    ? `When \`${property.name}\` changes or a ${owner} is notified through it, the notification travels on through ${passedOn.join(', ')} (\`notifyRelationships\`).`
    : `Notifications that reach a ${owner} through \`${property.name}\` stop there (no \`notifyRelationships\`).`);
  return lines;
}
