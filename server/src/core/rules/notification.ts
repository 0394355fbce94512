/**
 * Notification keys (PingOne AIC, "Relationship change notification"): `notifySelf` on the relationship node, `notify` on
 * `resourceCollection` entries, `notifyRelationships` on the outer property. "If you configure relationship change
 * notification on a unidirectional relationship, IDM throws an exception."
 */
import { findProperty, getValueNode, asObject, memberType } from '../json/ast';
import type { PropertyDef } from '../model/types';
import { displayName, keyRangeOf, rangeOf, refOf, relatedAt, type RuleContext } from './context';

export function checkNotification(context: RuleContext): void {
  for (const relationship of context.schema.relationships) {
    const property = relationship.property;
    if (property.owner.kind !== 'managed' || relationship.bidirectional) continue;
    const file = property.owner.file;
    if (relationship.notifySelf && relationship.notifySelfNode) {
      context.report('notify-unidirectional', file, rangeOf(relationship.notifySelfNode),
        `\`notifySelf\` on ${displayName(property)}, which is not bidirectional: IDM throws an exception when it loads this. Make the relationship bidirectional or remove \`notifySelf\`.`,
        { data: { origin: refOf(property), key: 'notifySelf' } });
    }
    relationship.resourceCollection?.entries.forEach((entry, entryIndex) => {
      if (!entry.notify || !entry.notifyNode) return;
      context.report('notify-unidirectional', file, rangeOf(entry.notifyNode),
        `\`notify\` on ${displayName(property)} → ${entry.path ?? '?'}, which is not bidirectional: the referenced object has no field pointing back, so IDM cannot notify it and throws. Make the relationship bidirectional or remove \`notify\`.`,
        { data: { origin: refOf(property), key: 'notify', entryIndex } });
    });
  }

  for (const object of context.schema.objectTypes) {
    if (object.kind !== 'managed') continue;
    for (const property of object.properties) {
      checkNotifyRelationships(context, property);
      checkNotifyRelationshipsOnItems(context, property);
    }
  }
}

function checkNotifyRelationships(context: RuleContext, property: PropertyDef): void {
  const list = property.notifyRelationships;
  if (!list) return;
  const object = property.owner;
  list.names.forEach((name, entryIndex) => {
    const named = object.propertyMap.get(name);
    if (named?.relationship) return;
    const entry = list.entries[entryIndex];
    const data = { origin: refOf(property), name, entryIndex };
    if (!named) {
      context.report('notify-relationships-unknown', object.file, rangeOf(entry),
        `\`notifyRelationships\` of ${displayName(property)} names \`${entry.value}\`, which is not a property of ${object.name}: notifications stop here.`,
        { data });
    } else {
      context.report('notify-relationships-not-relationship', object.file, rangeOf(entry),
        `\`notifyRelationships\` of ${displayName(property)} names \`${entry.value}\`, which is not a relationship: notifications only travel along relationships.`,
        { data, related: [relatedAt(object.file, keyRangeOf(named.entry), `${displayName(named)} is defined here`)] });
    }
  });
}

function checkNotifyRelationshipsOnItems(context: RuleContext, property: PropertyDef): void {
  // Most properties have no `items`: told off the tape, without making a node.
  if (memberType(property.node, 'items') !== 'object') return;
  const items = asObject(getValueNode(property.node, 'items'));
  const misplaced = findProperty(items, 'notifyRelationships');
  if (!misplaced) return;
  context.report('notify-relationships-on-items', property.owner.file, keyRangeOf(misplaced),
    `\`notifyRelationships\` belongs on ${displayName(property)} itself, not inside \`items\`; IDM does not read it there.`,
    { data: { origin: refOf(property), alsoOnProperty: !!property.notifyRelationships } });
}
