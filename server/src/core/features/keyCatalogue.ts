/**
 * The keys of a relationship definition, where each belongs and what it does, written from
 * the PingIDM and PingOne AIC relationship pages ("Configuring relationships", "Relationship property reference") and OpenIDM's `SchemaField`. Completion offers them at
 * their level only; hover explains them and says when one sits where IDM does not read it.
 */

/**
 * Levels of a relationship definition:
 * - `outer`: the property itself (for an array relationship, the array wrapper);
 * - `wrapper`: the array wrapper only;
 * - `node`: the relationship node (the property for a singleton, `items` for an array);
 * - `entry`: a `resourceCollection` entry; `query`: its `query`;
 * - `queryConfig`: a virtual property's `queryConfig`; `refSchema`: the node's `properties`.
 */
export type KeyLevel = 'outer' | 'wrapper' | 'node' | 'entry' | 'query' | 'queryConfig' | 'refSchema';

export type ValueKind = 'boolean' | 'string' | 'stringList' | 'object' | 'array' | 'type' | 'hopList';

export interface KeyInfo {
  key: string;
  level: KeyLevel;
  value: ValueKind;
  /** One line, shown next to the completion. */
  detail: string;
  /** What it does and where it belongs (Markdown). */
  documentation: string;
  /** The value inserted after `"key": ` (snippet syntax). */
  valueSnippet?: string;
  /** True for keys specific to relationships (the rest are generic property keys offered alongside). */
  relationshipKey: boolean;
}

const REF_SCHEMA_SNIPPET = '{\n\t"_ref": { "type": "string" },\n\t"_refProperties": {\n\t\t"type": "object",\n\t\t"properties": {\n\t\t\t"_id": { "type": "string" }\n\t\t}\n\t}\n}';

export const KEYS: KeyInfo[] = [
  // The relationship node.
  {
    key: 'reverseRelationship', level: 'node', value: 'boolean', relationshipKey: true,
    detail: 'Bidirectional relationship (default false)',
    documentation: 'Makes the relationship two-way: IDM stores one edge and shows it on both sides, so the target type sees the link through the property named by `reversePropertyName`. ' +
      'Both sides of a pair must say `true` and name each other. Notification (`notify`, `notifySelf`) only works on bidirectional relationships.',
  },
  {
    key: 'reversePropertyName', level: 'node', value: 'string', relationshipKey: true,
    detail: 'The property on the target that is the other side',
    documentation: 'Names the property on each target type (every `resourceCollection` path) that holds the other end of this relationship; that property must be a relationship, bidirectional, name this property back and list this type. ' +
      'Required when `reverseRelationship` is true: IDM will not load the config without it.',
  },
  {
    key: 'validate', level: 'node', value: 'boolean', relationshipKey: true,
    detail: 'Check the referenced object exists (default false)',
    documentation: 'When true, IDM reads the referenced object whenever the relationship is created or updated and rejects a reference to an object that does not exist; on a bidirectional relationship it also enforces the cardinality of the other side. ' +
      'Off by default because of the extra read; IDM\'s default relationships turn it on for both sides.',
  },
  {
    key: 'notifySelf', level: 'node', value: 'boolean', relationshipKey: true,
    detail: 'Notify the origin object of changes made through it',
    documentation: 'When the relationship is changed through a URL that names this object (`managed/user/{id}/manager`), the object itself is notified so its derived state (virtual properties, effective roles) is recalculated. ' +
      'Needs `reverseRelationship: true`. For an array relationship it goes in `items`.',
  },
  {
    key: 'resourceCollection', level: 'node', value: 'array', relationshipKey: true,
    detail: 'The object types the relationship may point at',
    documentation: 'The list of target types: each entry has a `path` (`managed/<name>`, `internal/role`, `internal/user`), a UI `label`, a `query` the admin UIs use to list candidates, and optionally `notify`. ' +
      'Several entries make the relationship polymorphic. A bidirectional relationship needs one.',
    valueSnippet: '[\n\t{\n\t\t"path": "$1",\n\t\t"label": "$2",\n\t\t"query": {\n\t\t\t"queryFilter": "true",\n\t\t\t"fields": [$3]\n\t\t}\n\t}\n]',
  },
  {
    key: 'properties', level: 'node', value: 'object', relationshipKey: true,
    detail: '`_ref` and `_refProperties` of the relationship',
    documentation: 'The shape of a reference: `_ref` (the target\'s path and id) and `_refProperties` (metadata stored on the edge itself, such as `_id` or `_grantType`). ' +
      '`_refProperties` belong to one side: a custom field added here is not added to the reverse property.',
    valueSnippet: REF_SCHEMA_SNIPPET,
  },

  // The outer property.
  {
    key: 'notifyRelationships', level: 'outer', value: 'stringList', relationshipKey: true,
    detail: 'Relationships that pass notifications on',
    documentation: 'A list of relationship properties of this same type. When this property changes, or this object is notified through it, the notification is passed on along each one listed ' +
      '(for example `role.assignments` lists `members`, so users hear about assignment changes). It belongs on the property itself, never inside `items`.',
    valueSnippet: '[$1]',
  },
  {
    key: 'returnByDefault', level: 'outer', value: 'boolean', relationshipKey: true,
    detail: 'Return the relationship in every read',
    documentation: 'Whether reads include the property without asking for it. IDM treats relationships as `false` by default and they are then fetched only when requested (`_fields=manager`). ' +
      'IDM\'s policy guidance asks for `false` on arrays of relationships.',
  },
  {
    key: 'relationshipGrantTemporalConstraintsEnforced', level: 'wrapper', value: 'boolean', relationshipKey: true,
    detail: 'Enforce time limits on grants (array only)',
    documentation: 'For arrays of relationships that grant something (roles, members, groups): when true, each grant may carry one `_refProperties.temporalConstraints` duration and IDM enforces it. ' +
      'It goes on the array property, not on `items`.',
  },
  {
    key: 'items', level: 'wrapper', value: 'object', relationshipKey: false,
    detail: 'The relationship node of an array relationship',
    documentation: 'For an array relationship, `items` is the relationship itself: `type: relationship`, `reverseRelationship`, `reversePropertyName`, `validate`, `notifySelf`, `resourceCollection` and `properties` go here.',
    valueSnippet: '{\n\t"type": "relationship",\n\t$1\n}',
  },
  { key: 'type', level: 'outer', value: 'type', relationshipKey: false, detail: 'Property type', documentation: 'The property\'s type: `relationship` for a reference to one object, `array` (with `items.type: relationship`) for a list of references.' },
  { key: 'title', level: 'outer', value: 'string', relationshipKey: false, detail: 'Display name', documentation: 'The name the admin UIs show for the property.' },
  { key: 'description', level: 'outer', value: 'string', relationshipKey: false, detail: 'Description', documentation: 'A longer description for the admin UIs.' },
  { key: 'viewable', level: 'outer', value: 'boolean', relationshipKey: false, detail: 'Shown in the UI (default true)', documentation: 'Whether the admin UIs show the property.' },
  { key: 'searchable', level: 'outer', value: 'boolean', relationshipKey: false, detail: 'Offered as a UI filter (default false)', documentation: 'Whether the UIs offer the property for searching; for a relationship, whether it can be used as a filter.' },
  { key: 'userEditable', level: 'outer', value: 'boolean', relationshipKey: false, detail: 'End users may edit it (default false)', documentation: 'Whether end users can change the property through self-service.' },
  { key: 'isVirtual', level: 'outer', value: 'boolean', relationshipKey: false, detail: 'Computed, not stored', documentation: 'Marks a virtual property. With `queryConfig` it is derived from related objects (a relationship-derived virtual property); without `isVirtual: true` IDM never computes it.' },
  {
    key: 'queryConfig', level: 'outer', value: 'object', relationshipKey: true,
    detail: 'How a virtual property is derived from relationships',
    documentation: 'For a virtual property: `referencedRelationshipFields` is the path of relationship hops to follow from this object (hop 1 is a relationship of this type, hop 2 one of the type reached, and so on, or a list of such paths), ' +
      '`referencedObjectFields` the fields to copy from the objects reached. The holder is recalculated when notified, so every hop needs notification configured.',
    valueSnippet: '{\n\t"referencedRelationshipFields": [$1],\n\t"referencedObjectFields": [$2]\n}',
  },

  // resourceCollection entries.
  { key: 'path', level: 'entry', value: 'string', relationshipKey: true, detail: 'Target type', documentation: 'The target collection: `managed/<name>` for a managed object type, `internal/role` or `internal/user` for IDM\'s internal objects (`repo/internal/role` in configs before IDM 6.5).' },
  { key: 'label', level: 'entry', value: 'string', relationshipKey: true, detail: 'UI name of the target type', documentation: 'How the admin UIs name this target type, for example in the type selector of a polymorphic relationship.' },
  { key: 'query', level: 'entry', value: 'object', relationshipKey: true, detail: 'How the UIs list candidates', documentation: 'The query the admin UIs run to list objects that can be linked: `queryFilter` (usually `"true"`), `fields` to show and search, optional `sortKeys`. The consoles fail on a relationship without it.', valueSnippet: '{\n\t"queryFilter": "true",\n\t"fields": [$1]\n}' },
  {
    key: 'notify', level: 'entry', value: 'boolean', relationshipKey: true,
    detail: 'Notify the referenced object of changes',
    documentation: 'When the relationship changes through this side, the referenced object of this target type is notified so it can recalculate. Needs a bidirectional relationship: a one-way target has no field pointing back and IDM throws.',
  },
  { key: 'conditionalAssociation', level: 'entry', value: 'boolean', relationshipKey: true, detail: 'Grants may come from a condition (grantor side)', documentation: 'Set on the grantor\'s entry (for example `role.members` → `managed/user`): members may be granted by the role\'s condition rather than only by hand.' },
  { key: 'conditionalAssociationField', level: 'entry', value: 'string', relationshipKey: true, detail: 'Target field holding the condition (grantee side)', documentation: 'Set on the grantee\'s entry (for example `user.roles` → `managed/role`): names the field of the target type that holds the grant condition, a property marked `isConditional: true`.' },

  // query.
  { key: 'queryFilter', level: 'query', value: 'string', relationshipKey: true, detail: 'Filter for listing candidates', documentation: 'The filter the UIs use to list candidate objects; `"true"` lists all.' },
  { key: 'fields', level: 'query', value: 'stringList', relationshipKey: true, detail: 'Target fields shown and searched', documentation: 'Properties of the target type the UIs display and search when linking; the first is used to sort.', valueSnippet: '[$1]' },
  { key: 'sortKeys', level: 'query', value: 'stringList', relationshipKey: true, detail: 'Target fields to sort by', documentation: 'Properties of the target type used to sort candidates (prefix `-` for descending).', valueSnippet: '[$1]' },

  // queryConfig.
  { key: 'referencedRelationshipFields', level: 'queryConfig', value: 'hopList', relationshipKey: true, detail: 'Relationship hops to follow', documentation: 'The path of relationships to follow: hop 1 is a relationship of this type, each next hop a relationship of the type reached. IDM 7.5+ and AIC also take a list of such paths, unioned.', valueSnippet: '[$1]' },
  { key: 'referencedObjectFields', level: 'queryConfig', value: 'stringList', relationshipKey: true, detail: 'Fields copied from the objects reached', documentation: 'Fields of the type reached by the last hop to copy into the virtual property (`*` for all). Without it the value is the list of references.', valueSnippet: '[$1]' },
  { key: 'flattenProperties', level: 'queryConfig', value: 'boolean', relationshipKey: true, detail: 'Flatten the values', documentation: 'Returns the copied fields as one flat list of values instead of a list of objects.' },

  // The node's `properties`.
  { key: '_ref', level: 'refSchema', value: 'object', relationshipKey: true, detail: 'The reference', documentation: 'The target\'s path and id (`managed/user/<id>`).', valueSnippet: '{ "type": "string" }' },
  { key: '_refProperties', level: 'refSchema', value: 'object', relationshipKey: true, detail: 'Metadata on the edge', documentation: 'Fields stored on the relationship edge itself; IDM adds `_id` and `_rev`.', valueSnippet: '{\n\t"type": "object",\n\t"properties": {\n\t\t"_id": { "type": "string" }\n\t}\n}' },
];

const BY_LEVEL_AND_KEY = new Map(KEYS.map((info) => [`${info.level}:${info.key}`, info]));

export function keyInfo(level: KeyLevel, key: string): KeyInfo | undefined {
  return BY_LEVEL_AND_KEY.get(`${level}:${key}`);
}

/** The level a relationship-specific key belongs to, wherever it was written. */
export function homeOf(key: string): KeyInfo | undefined {
  return KEYS.find((info) => info.key === key && info.relationshipKey && info.level !== 'refSchema' && info.level !== 'query')
    ?? KEYS.find((info) => info.key === key && info.relationshipKey);
}

export const LEVEL_NAMES: Record<KeyLevel, string> = {
  outer: 'on the property itself (for an array, on the array, not in `items`)',
  wrapper: 'on the array property, not in `items`',
  node: 'on the relationship node (the property for a single relationship, `items` for an array)',
  entry: 'in a `resourceCollection` entry',
  query: 'in a `resourceCollection` entry\'s `query`',
  queryConfig: 'in a virtual property\'s `queryConfig`',
  refSchema: 'in the relationship node\'s `properties`',
};
