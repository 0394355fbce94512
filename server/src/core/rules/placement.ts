/**
 * Keys IDM reads from the relationship node only: for an array relationship that is `items`. The same keys on
 * the array wrapper are ignored (OpenIDM `SchemaField.initializeType` reads them from `items` for an array).
 */
import { findProperty } from '../json/ast';
import { displayName, keyRangeOf, refOf, relatedAt, type RuleContext } from './context';

export const NODE_ONLY_KEYS = ['reverseRelationship', 'reversePropertyName', 'validate', 'notifySelf', 'resourceCollection'] as const;

/** Keys whose absence IDM reads as `false` (SchemaField: `defaultTo(false)`). */
const IDM_DEFAULTS: Record<string, false> = { reverseRelationship: false, validate: false, notifySelf: false };

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
      // `false` is what IDM assumes for these keys anyway: on the wrapper it changes nothing, so it is only a hint.
      const harmless = misplaced.value?.type === 'boolean' && misplaced.value.value === false && (key in IDM_DEFAULTS);
      context.report('key-on-array-wrapper', property.owner.file, keyRangeOf(misplaced),
        `\`${key}\` on the array ${displayName(property)} is ignored: IDM reads it from \`items\`.` +
        (inItems ? (same ? ' `items` already has the same value.' : ' `items` has its own value, which is the one IDM uses.') : '') +
        (harmless ? ` \`false\` is IDM's default for \`${key}\`, so this changes nothing.` : ''),
        {
          atMost: harmless ? 'hint' : undefined,
          related: inItems ? [relatedAt(property.owner.file, keyRangeOf(inItems), `the \`${key}\` IDM reads`)] : [],
          data: { origin: refOf(property), key, inItems: !!inItems, sameValue: !!same },
        });
    }
  }
}
