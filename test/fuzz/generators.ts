/**
 * Random managed configs built from scratch: a few object types whose relationships point at each other (and at
 * missing, internal and invalid targets) with keys drawn at random, so every rule and quick fix meets odd but
 * well-formed shapes: one-sided pairs, polymorphic targets, cycles, self-references, misplaced keys.
 */
import fc from 'fast-check';

export interface GeneratedConfig {
  /** Pretty-printed with this indent (number of spaces, or a tab). */
  text: string;
  names: string[];
}

const TYPE_NAMES = ['user', 'role', 'org', 'device', 'assignment', 'group'];
const PROPERTY_NAMES = ['manager', 'reports', 'roles', 'members', 'parent', 'children', 'owner', 'devices', 'name', 'effective'];

const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined, freq: 2 });

function relationshipNode(typeNames: string[]): fc.Arbitrary<Record<string, unknown>> {
  const path = fc.oneof(
    { arbitrary: fc.constantFrom(...typeNames).map((n) => `managed/${n}`), weight: 6 },
    fc.constantFrom('managed/missing', 'internal/role', 'internal/user', 'repo/internal/role', 'managed/', 'role'),
  );
  const entry = fc.record({
    path: maybe(path),
    notify: maybe(fc.boolean()),
    label: maybe(fc.constantFrom('Role', 'User')),
    query: maybe(fc.record({ queryFilter: fc.constant('true'), fields: maybe(fc.array(fc.constantFrom(...PROPERTY_NAMES, '_id', 'missing'), { maxLength: 3 })) }, { requiredKeys: ['queryFilter'] })),
  }, { requiredKeys: [] });
  return fc.record({
    type: fc.constant('relationship'),
    reverseRelationship: maybe(fc.boolean()),
    reversePropertyName: maybe(fc.constantFrom(...PROPERTY_NAMES)),
    validate: maybe(fc.boolean()),
    notifySelf: maybe(fc.boolean()),
    resourceCollection: maybe(fc.array(entry, { maxLength: 3 })),
  }, { requiredKeys: ['type'] });
}

function propertyDefinition(typeNames: string[]): fc.Arbitrary<Record<string, unknown>> {
  const names = fc.array(fc.constantFrom(...PROPERTY_NAMES), { maxLength: 3 });
  return fc.oneof(
    { arbitrary: relationshipNode(typeNames).map((node) => ({ ...node })), weight: 3 },
    {
      arbitrary: fc.record({
        node: relationshipNode(typeNames),
        misplaced: fc.subarray(['reverseRelationship', 'resourceCollection', 'notifySelf'] as const, { maxLength: 2 }),
        notifyRelationships: maybe(names),
        notifyOnItems: fc.boolean(),
      }).map(({ node, misplaced, notifyRelationships, notifyOnItems }) => {
        const wrapper: Record<string, unknown> = { type: 'array', items: { ...node, ...(notifyOnItems && notifyRelationships ? { notifyRelationships } : {}) } };
        for (const key of misplaced) if (node[key] !== undefined) wrapper[key] = node[key];
        if (notifyRelationships && !notifyOnItems) wrapper.notifyRelationships = notifyRelationships;
        return wrapper;
      }),
      weight: 3,
    },
    { arbitrary: fc.constant({ type: 'string' }), weight: 2 },
    {
      arbitrary: fc.record({
        isVirtual: maybe(fc.boolean()),
        hops: fc.array(fc.constantFrom(...PROPERTY_NAMES), { maxLength: 4 }),
        fields: fc.array(fc.constantFrom(...PROPERTY_NAMES, '*', '_id'), { maxLength: 3 }),
      }).map(({ isVirtual, hops, fields }) => ({ type: 'array', ...(isVirtual === undefined ? {} : { isVirtual }), queryConfig: { referencedRelationshipFields: hops, referencedObjectFields: fields } })),
      weight: 1,
    },
  );
}

/** A managed.json (or an internal.json beside it) generated from scratch. */
export const configArbitrary: fc.Arbitrary<GeneratedConfig> = fc
  .uniqueArray(fc.constantFrom(...TYPE_NAMES), { minLength: 1, maxLength: 4 })
  .chain((typeNames) =>
    fc.record({
      names: fc.constant(typeNames),
      objects: fc.tuple(...typeNames.map((name) =>
        fc.dictionary(fc.constantFrom(...PROPERTY_NAMES), propertyDefinition(typeNames), { maxKeys: 5 }).map((properties) => ({
          name,
          schema: { order: Object.keys(properties), properties: { name: { type: 'string' }, ...properties } },
        })))),
      indent: fc.constantFrom<number | string>(2, 4, '\t'),
      crlf: fc.boolean(),
    }))
  .map(({ names, objects, indent, crlf }) => {
    const text = JSON.stringify({ objects }, null, indent);
    return { names, text: crlf ? text.replace(/\n/g, '\r\n') : text };
  });
