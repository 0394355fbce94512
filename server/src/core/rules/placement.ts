/**
 * Keys IDM reads from the relationship node only: for an array relationship that is `items`. The same keys on
 * the array wrapper are ignored (OpenIDM `SchemaField.initializeType` reads them from `items` for an array).
 */
import { findProperty } from '../json/ast';
import { displayName, keyRangeOf, refOf, relatedAt, type RuleContext } from './context';

export const NODE_ONLY_KEYS = ['reverseRelationship', 'reversePropertyName', 'validate', 'notifySelf', 'resourceCollection'] as const;

export function checkKeyPlacement(context: RuleContext): void {
  for (const relationship of context.schema.relationships) {
    const wrapper = relationship.wrapper;
    if (!wrapper || relationship.property.owner.kind !== 'managed') continue;
    const property = relationship.property;
    for (const key of NODE_ONLY_KEYS) {
      const misplaced = findProperty(wrapper, key);
      if (!misplaced) continue;
      const inItems = findProperty(relationship.node, key);
      const same = inItems && misplaced.value && inItems.value &&
        property.owner.file.text.slice(misplaced.value.offset, misplaced.value.end) === property.owner.file.text.slice(inItems.value.offset, inItems.value.end);
      context.report('key-on-array-wrapper', property.owner.file, keyRangeOf(misplaced),
        `\`${key}\` on the array ${displayName(property)} is ignored: IDM reads it from \`items\`.` +
        (inItems ? (same ? ' `items` already has the same value.' : ' `items` has its own value, which is the one IDM uses.') : ''),
        {
          related: inItems ? [relatedAt(property.owner.file, keyRangeOf(inItems), `the \`${key}\` IDM reads`)] : [],
          data: { origin: refOf(property), key, inItems: !!inItems, sameValue: !!same },
        });
    }
  }
}
