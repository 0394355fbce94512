/**
 * IDM's internal objects (`internal/role`, `internal/user`) have a built-in schema that no config file
 * declares in full; `internal.json` only overlays the reverse side's `resourceCollection`
 * (the `internal` config object, `conf/internal.json`, as IDM ships it, e.g. ForgeRock/forgeops `docker/idm/config-profiles/idm-only/conf/internal.json`). These are the built-in facts the checker relies on.
 */
export interface BuiltinRelationship {
  cardinality: 'one' | 'many';
  reversePropertyName: string;
}

export interface BuiltinInternalObject {
  /** Fields every instance has (besides relationships). */
  fields: string[];
  relationships: Record<string, BuiltinRelationship>;
}

export const BUILTIN_INTERNAL_OBJECTS: Record<'role' | 'user', BuiltinInternalObject> = {
  role: {
    fields: ['_id', 'name', 'description', 'privileges', 'condition', 'temporalConstraints'],
    // `user.authzRoles` -> `internal/role.authzMembers` is the default pair in every IDM since 4.5.
    relationships: { authzMembers: { cardinality: 'many', reversePropertyName: 'authzRoles' } },
  },
  user: {
    fields: ['_id', 'password'],
    relationships: { authzRoles: { cardinality: 'many', reversePropertyName: 'authzMembers' } },
  },
};

export function isInternalName(name: string): name is 'role' | 'user' {
  return name === 'role' || name === 'user';
}
