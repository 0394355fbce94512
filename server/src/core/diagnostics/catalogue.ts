/**
 * The diagnostic codes. They are a public interface: users set severities and suppressions by code,
 * in settings and in CI. Never rename one; add new ones.
 */
import { PRODUCT_NAME } from '../product';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface CodeInfo {
  severity: Severity;
  summary: string;
}

/** The `source` of every diagnostic: the product's name. */
export const DIAGNOSTIC_SOURCE = PRODUCT_NAME;

export const CATALOGUE = {
  'pair-wrong-path': { severity: 'error', summary: "A `resourceCollection` path that points away from the relationship's partner, which points back at it from another type (copied path, renamed type, stale polymorphic target)." },
  'pair-wrong-reverse-name': { severity: 'error', summary: '`reversePropertyName` names the wrong property while exactly one property of the target points back (copied name, pair renamed on one side).' },
  'pair-wrong-partner': { severity: 'error', summary: 'The `resourceCollection` path and `reversePropertyName` both point away from the partner (copied together from a neighbour), while exactly one property on another type names the relationship back.' },
  'reverse-name-missing': { severity: 'error', summary: '`reverseRelationship: true` without `reversePropertyName` (IDM fails to load the config).' },
  'reverse-property-missing': { severity: 'error', summary: 'The target type has no property named by `reversePropertyName`.' },
  'reverse-property-not-relationship': { severity: 'error', summary: 'The property named by `reversePropertyName` exists but is not a relationship.' },
  'reverse-name-mismatch': { severity: 'error', summary: "The reverse property's own `reversePropertyName` does not point back." },
  'reverse-not-bidirectional': { severity: 'warning', summary: 'The reverse property is not marked `reverseRelationship: true`.' },
  'reverse-missing-back-path': { severity: 'error', summary: "The reverse property's `resourceCollection` does not list the origin type." },
  'notify-unidirectional': { severity: 'error', summary: '`notify` or `notifySelf` on a relationship that is not bidirectional (IDM throws).' },
  'notify-relationships-unknown': { severity: 'warning', summary: 'A `notifyRelationships` entry names no property of this type.' },
  'notify-relationships-not-relationship': { severity: 'warning', summary: 'A `notifyRelationships` entry names a property that is not a relationship.' },
  'resource-collection-unknown': { severity: 'error', summary: '`managed/<name>` where no managed object `<name>` exists.' },
  'resource-collection-invalid-path': { severity: 'error', summary: 'A path that is not `managed/<name>`, `internal/role`, `internal/user` or `repo/internal/role`.' },
  'resource-collection-missing': { severity: 'error', summary: 'A bidirectional relationship with no `resourceCollection`.' },
  'relationship-key-wrong-type': { severity: 'error', summary: 'A relationship key of the wrong JSON type (`"reverseRelationship": "true"`, a string `notifyRelationships`, a numeric `type`): IDM does not convert it and fails to load the config.' },
  'key-on-array-wrapper': { severity: 'warning', summary: 'A relationship key on the array instead of `items` (IDM ignores it there).' },
  'notify-relationships-on-items': { severity: 'warning', summary: '`notifyRelationships` inside `items` instead of on the property.' },
  'query-field-unknown': { severity: 'warning', summary: '`resourceCollection[].query.fields` names a property the target type does not have.' },
  'query-fields-missing': { severity: 'warning', summary: 'A `resourceCollection` entry without `query.fields` (the admin UIs need it).' },
  'rdvp-path-unknown': { severity: 'error', summary: 'A `queryConfig.referencedRelationshipFields` hop that is not a relationship of the type reached so far.' },
  'rdvp-object-field-unknown': { severity: 'warning', summary: '`referencedObjectFields` names a field the final type lacks.' },
  'rdvp-not-virtual': { severity: 'warning', summary: '`queryConfig` on a property without `isVirtual: true`.' },
  'relationship-limit-exceeded': { severity: 'warning', summary: 'More than 10 custom relationship properties on one type (PingOne AIC limit).' },
  'duplicate-object-name': { severity: 'error', summary: 'The same object type defined twice in one configuration.' },
  'duplicate-property': { severity: 'error', summary: 'The same property key twice in one object.' },
  'invalid-object-name': { severity: 'error', summary: 'An object name outside `[A-Za-z0-9_]`.' },
  'export-repeated': { severity: 'information', summary: 'A per-object file repeating a type of the frodo whole-config export beside it: two exports of one configuration; the export file is read, the copy is said to be identical or to differ.' },
  'config-entry-unread': { severity: 'information', summary: 'A part of a recognised config file the checker cannot read (a JSON-Patch operation other than `add`/`replace` of a whole object, an `objects` entry that is not an object type).' },
  'json-syntax': { severity: 'error', summary: 'The file is not valid JSON (comments and trailing commas are allowed).' },
  'config-file-unreadable': { severity: 'warning', summary: 'A config file of this configuration could not be read (not a regular file, or no permission): its types are missing from the check.' },
} as const satisfies Record<string, CodeInfo>;

export type DiagnosticCode = keyof typeof CATALOGUE;

export const DIAGNOSTIC_CODES = Object.keys(CATALOGUE) as DiagnosticCode[];

export function isDiagnosticCode(code: string): code is DiagnosticCode {
  return Object.prototype.hasOwnProperty.call(CATALOGUE, code);
}

/** A user's severity choice for a code; `off` hides it. */
export type SeveritySetting = Severity | 'off';
