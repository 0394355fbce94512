/**
 * The schema as the simulator needs it: per collection (`managed/user`, `internal/role`), each property's
 * runtime behaviour (returned by default, private, relationship settings, RDVP query, notifyRelationships),
 * compiled once from the model so that requests only do map lookups.
 *
 * Also the load-time refusals IDM makes (OpenIDM `SchemaField` and `ManagedObjectSchema`; the PingIDM relationship-notification page for notify on one-way relationships): `reverseRelationship: true`
 * without `reversePropertyName`, and `notify`/`notifySelf` on a relationship that is not bidirectional.
 */
import { getValueNode, stringValue, toValue } from '../json/ast';
import { BUILTIN_INTERNAL_OBJECTS } from '../model/internalObjects';
import { Schema } from '../model/schema';
import type { ObjectType, PropertyDef, RelationshipDef } from '../model/types';
import { ANY_COLLECTION } from './store/changeStamps';
import type { Interner } from './store/interner';

/** Name id of a property no edge can have: before `bind`, and the missing reverse of a one-way relationship. */
export const UNBOUND = -1;

export interface SimRelationship {
  name: string;
  many: boolean;
  bidirectional: boolean;
  reversePropertyName?: string;
  validate: boolean;
  notifySelf: boolean;
  /** Accepted `_refResourceCollection`s and their `notify` flag; undefined when there is no resourceCollection (any `_ref`). */
  targets?: Map<string, { notify: boolean }>;
  /** Some entry of `targets` has `notify`. */
  notifiesTargets: boolean;
  /** Interned ids (see `SimSchema.bind`) of `name`, and of `reversePropertyName` when bidirectional, else UNBOUND. */
  nameId: number;
  reverseId: number;
}

export interface SimVirtual {
  name: string;
  /** `referencedRelationshipFields`, always as a list of hop paths (the flat form is one path). */
  paths: string[][];
  referencedObjectFields?: string[];
  flatten: boolean;
  /** The value lists the reached objects whole or as references (`*`, or no referencedObjectFields), not picked fields. */
  listsObjects: boolean;
  /** The property is an array (else the value is the first result or null). */
  many: boolean;
  /** The holder's relationship that the first hop of each path follows (undefined: the path reaches nothing). */
  firstHops: Array<SimRelationship | undefined>;
  /**
   * What the value reads, for ChangeStamps (set by `bind`, as interned ids): the slots its paths walk, as
   * (collection, property) pairs laid flat, and the collections whose documents it reads at the ends of its
   * paths (none when it lists references only, which depend on nothing but the edges). A collection may be
   * ANY_COLLECTION, where a hop without resourceCollection may lead anywhere.
   */
  slotReads: number[];
  documentReads: number[];
}

export interface SimProperty {
  name: string;
  returnByDefault: boolean;
  /** `scope: "private"`: never returned over REST. */
  private: boolean;
  relationship?: SimRelationship;
  virtual?: SimVirtual;
  notifyRelationships: readonly string[];
  /** The relationships of the same type that `notifyRelationships` names (names of other properties are ignored). */
  notifyTargets: readonly SimRelationship[];
  /** Declared type includes `string` (populate fills a few of these). */
  isString: boolean;
}

export interface SimType {
  /** `managed/user` */
  collection: string;
  name: string;
  properties: Map<string, SimProperty>;
  relationships: SimRelationship[];
  virtuals: SimVirtual[];
  /** Names of `virtuals`, shared by every notification that recalculates them. */
  virtualNames: readonly string[];
  /** `properties` by interned name id (see `SimSchema.bind`): hot paths compare ids, not strings. */
  propertiesById: Array<SimProperty | undefined>;
}

export type CompileResult = { schema: SimSchema } | { refused: string[] };

export class SimSchema {
  /** The interner whose ids `bind` wrote into the compiled properties. */
  private boundNames: Interner | undefined;
  /** Types by the interned id of their collection (see `bind`). */
  private readonly typesByCollectionId: Array<SimType | undefined> = [];

  private constructor(readonly types: ReadonlyMap<string, SimType>) {}

  /**
   * Writes the ids of every property name, as `names` (the store's property interner) numbers them, into the
   * compiled schema, and indexes the types by their collection's id in `collections`, so that notification and
   * RDVP passes over 100,000 objects compare integers instead of looking names up. A schema serves the one
   * store it was bound to.
   */
  bind(names: Interner, collections: Interner): this {
    if (this.boundNames === names) return this;
    if (this.boundNames) throw new Error('SimSchema is bound to another store');
    this.boundNames = names;
    for (const type of this.types.values()) {
      this.typesByCollectionId[collections.intern(type.collection)] = type;
      for (const virtual of type.virtuals) {
        const reads = this.pathReads(type, virtual);
        const collectionId = (collection: string | typeof ANY_COLLECTION) => (collection === ANY_COLLECTION ? collection : collections.intern(collection));
        virtual.slotReads = reads.slots.flatMap(([collection, hop]) => [collectionId(collection), names.intern(hop)]);
        virtual.documentReads = virtual.referencedObjectFields ? reads.ends.map(collectionId) : [];
      }
      for (const property of type.properties.values()) {
        const id = names.intern(property.name);
        type.propertiesById[id] = property;
        const relationship = property.relationship;
        if (!relationship) continue;
        relationship.nameId = id;
        relationship.reverseId = relationship.bidirectional && relationship.reversePropertyName !== undefined ? names.intern(relationship.reversePropertyName) : UNBOUND;
      }
    }
    return this;
  }

  static compile(schema: Schema): CompileResult {
    const refused = findRefusals(schema);
    if (refused.length) return { refused };
    const types = new Map<string, SimType>();
    for (const object of schema.objectTypes) {
      if (!object.name) continue;
      const type = compileType(`managed/${object.name}`, object.name, object.properties.filter((p) => object.propertyMap.get(p.name) === p));
      types.set(type.collection, type);
    }
    for (const name of ['role', 'user'] as const) {
      types.set(`internal/${name}`, compileInternalType(name, schema.internal.get(name)?.[0]));
    }
    return { schema: new SimSchema(types) };
  }

  type(collection: string): SimType | undefined {
    return this.types.get(collection);
  }

  /**
   * The slots an RDVP's paths walk and the collections they can end in. A hop from a collection leads to its
   * resourceCollection and, for the edges a bidirectional hop shows from their other side, to every type whose
   * relationship of the reverse name names the hop back (a broken pair may show edges from collections the hop
   * does not list); a hop without resourceCollection leads to ANY_COLLECTION. Edges are checked against
   * resourceCollection when made, and a schema change distrusts every stamp. A superset only costs recalculations.
   */
  private pathReads(holder: SimType, virtual: SimVirtual): { slots: Array<[string | typeof ANY_COLLECTION, string]>; ends: Array<string | typeof ANY_COLLECTION> } {
    const slots = new Map<string, [string | typeof ANY_COLLECTION, string]>();
    const ends = new Set<string | typeof ANY_COLLECTION>();
    for (const path of virtual.paths) {
      let at = new Set<string | typeof ANY_COLLECTION>([holder.collection]);
      for (const hop of path) {
        const next = new Set<string | typeof ANY_COLLECTION>();
        for (const collection of at) {
          slots.set(`${collection}\u0000${hop}`, [collection, hop]);
          const types = collection === ANY_COLLECTION ? [...this.types.values()] : [this.types.get(collection)].filter((t): t is SimType => !!t);
          for (const type of types) {
            const relationship = type.properties.get(hop)?.relationship;
            if (!relationship) continue;
            if (!relationship.targets) next.add(ANY_COLLECTION);
            else for (const target of relationship.targets.keys()) next.add(target);
            if (!relationship.bidirectional || relationship.reversePropertyName === undefined) continue;
            // Edges seen from their other side: made by a relationship of the reverse name whose own reverse is this
            // hop (their far end sits in this hop's slot) and which may point at this collection.
            for (const other of this.types.values()) {
              const origin = other.properties.get(relationship.reversePropertyName)?.relationship;
              if (origin && origin.bidirectional && origin.reversePropertyName === hop && (!origin.targets || origin.targets.has(type.collection))) next.add(other.collection);
            }
          }
        }
        at = next.has(ANY_COLLECTION) ? new Set([ANY_COLLECTION]) : next;
      }
      for (const collection of at) ends.add(collection);
    }
    return { slots: [...slots.values()], ends: ends.has(ANY_COLLECTION) ? [ANY_COLLECTION] : [...ends] };
  }

  /** The type of the collection with this id in the interner given to `bind`. */
  typeAt(collectionId: number): SimType | undefined {
    return this.typesByCollectionId[collectionId];
  }

  relationship(collection: string, property: string): SimRelationship | undefined {
    return this.types.get(collection)?.properties.get(property)?.relationship;
  }
}

/** The schema problems IDM refuses when it loads the configuration, named `object.property`. */
export function findRefusals(schema: Schema): string[] {
  const reasons: string[] = [];
  const seen = new Set<RelationshipDef>();
  const check = (owner: ObjectType, relationship: RelationshipDef) => {
    if (seen.has(relationship)) return;
    seen.add(relationship);
    const where = `${owner.kind === 'internal' ? 'internal/' : ''}${owner.name}.${relationship.property.name}`;
    if (relationship.bidirectional && !relationship.reversePropertyName) {
      reasons.push(`${where}: "reverseRelationship" is true but "reversePropertyName" is missing; IDM refuses to load a bidirectional relationship without the name of its reverse property.`);
    }
    if (!relationship.bidirectional) {
      const keys: string[] = [];
      if (relationship.notifySelf) keys.push('"notifySelf"');
      if (relationship.resourceCollection?.entries.some((entry) => entry.notify)) keys.push('"notify"');
      if (keys.length) {
        reasons.push(`${where}: ${keys.join(' and ')} set on a relationship that is not bidirectional ("reverseRelationship" is not true); IDM throws an exception when it loads relationship change notification on a unidirectional relationship.`);
      }
    }
  };
  for (const list of [schema.managed, schema.internal]) {
    for (const objects of list.values()) {
      for (const object of objects) for (const relationship of object.relationships) check(object, relationship);
    }
  }
  return reasons;
}

function compileType(collection: string, name: string, properties: PropertyDef[]): SimType {
  const type = newType(collection, name);
  for (const property of properties) {
    const compiled = compileProperty(property);
    type.properties.set(compiled.name, compiled);
    if (compiled.relationship) type.relationships.push(compiled.relationship);
    if (compiled.virtual) type.virtuals.push(compiled.virtual);
  }
  return resolveWithinType(type);
}

function newType(collection: string, name: string): SimType {
  return { collection, name, properties: new Map(), relationships: [], virtuals: [], virtualNames: [], propertiesById: [] };
}

/** What a type's properties name of each other: notification targets, the first hop of each RDVP path. */
function resolveWithinType(type: SimType): SimType {
  for (const property of type.properties.values()) {
    const targets: SimRelationship[] = [];
    for (const name of property.notifyRelationships) {
      const relationship = type.properties.get(name)?.relationship;
      if (relationship) targets.push(relationship);
    }
    property.notifyTargets = Object.freeze(targets);
  }
  for (const virtual of type.virtuals) virtual.firstHops = virtual.paths.map((path) => type.properties.get(path[0])?.relationship);
  type.virtualNames = Object.freeze(type.virtuals.map((v) => v.name));
  return type;
}

function typeIncludes(type: string | string[] | undefined, wanted: string): boolean {
  return Array.isArray(type) ? type.includes(wanted) : type === wanted;
}

function compileProperty(property: PropertyDef): SimProperty {
  const node = property.node;
  const explicitReturn = getValueNode(node, 'returnByDefault');
  const relationship = property.relationship ? compileRelationship(property.relationship) : undefined;
  const virtual = property.isVirtual && property.queryConfig && !relationship ? compileVirtual(property) : undefined;
  return {
    name: property.name,
    // SchemaField: returnByDefault defaults to false for relationship and virtual fields, true otherwise.
    returnByDefault: explicitReturn?.type === 'boolean' ? explicitReturn.value : !(relationship || property.isVirtual),
    private: stringValue(getValueNode(node, 'scope')) === 'private',
    relationship,
    virtual,
    notifyRelationships: Object.freeze(property.notifyRelationships?.entries.map((entry) => entry.value) ?? []),
    notifyTargets: [],
    isString: typeIncludes(property.type, 'string'),
  };
}

function compileRelationship(def: RelationshipDef): SimRelationship {
  let targets: Map<string, { notify: boolean }> | undefined;
  if (def.resourceCollection && def.resourceCollection.entries.some((entry) => entry.path !== undefined)) {
    targets = new Map();
    for (const entry of def.resourceCollection.entries) {
      if (entry.path === undefined) continue;
      // Legacy IDM paths name the same internal objects.
      const path = entry.path === 'repo/internal/role' ? 'internal/role' : entry.path;
      const previous = targets.get(path);
      targets.set(path, { notify: entry.notify || (previous?.notify ?? false) });
    }
  }
  return {
    name: def.property.name,
    many: def.cardinality === 'many',
    bidirectional: def.bidirectional,
    reversePropertyName: def.reversePropertyName,
    validate: def.validate,
    notifySelf: def.notifySelf,
    targets,
    notifiesTargets: !!targets && [...targets.values()].some((target) => target.notify),
    nameId: UNBOUND,
    reverseId: UNBOUND,
  };
}

function compileVirtual(property: PropertyDef): SimVirtual | undefined {
  const config = toValue(property.queryConfig) as Record<string, unknown>;
  const raw = config.referencedRelationshipFields;
  if (!Array.isArray(raw) || raw.length === 0) return undefined;
  let paths: string[][];
  if (raw.every((item) => typeof item === 'string')) {
    paths = [raw as string[]];
  } else {
    // AIC / PingIDM 7.5+: a list of paths whose results are unioned; a bare string is a one-hop path.
    paths = raw.flatMap((item) => (Array.isArray(item) ? [item.filter((s): s is string => typeof s === 'string')] : typeof item === 'string' ? [[item]] : []))
      .filter((path) => path.length > 0);
  }
  if (paths.length === 0) return undefined;
  const objectFields = Array.isArray(config.referencedObjectFields)
    ? config.referencedObjectFields.filter((s): s is string => typeof s === 'string')
    : undefined;
  return {
    name: property.name,
    paths,
    referencedObjectFields: objectFields && objectFields.length ? objectFields : undefined,
    flatten: config.flattenProperties === true,
    listsObjects: !objectFields?.length || (config.flattenProperties !== true && objectFields.includes('*')),
    many: typeIncludes(property.type, 'array'),
    firstHops: [],
    slotReads: [],
    documentReads: [],
  };
}

/**
 * internal/role and internal/user: the built-in relationship (authzMembers / authzRoles), with the
 * resourceCollection and notify flags internal.json overlays on it when the schema has the overlay.
 */
function compileInternalType(name: 'role' | 'user', overlay: ObjectType | undefined): SimType {
  const type = newType(`internal/${name}`, name);
  for (const field of BUILTIN_INTERNAL_OBJECTS[name].fields) {
    type.properties.set(field, { name: field, returnByDefault: true, private: false, notifyRelationships: [], notifyTargets: [], isString: true });
  }
  for (const [relName, builtin] of Object.entries(BUILTIN_INTERNAL_OBJECTS[name].relationships)) {
    const overlaid = overlay?.propertyMap.get(relName)?.relationship;
    const relationship: SimRelationship = overlaid
      ? compileRelationship(overlaid)
      : { name: relName, many: builtin.cardinality === 'many', bidirectional: true, reversePropertyName: builtin.reversePropertyName, validate: false, notifySelf: false, notifiesTargets: false, nameId: UNBOUND, reverseId: UNBOUND };
    relationship.many = builtin.cardinality === 'many';
    type.properties.set(relName, { name: relName, returnByDefault: false, private: false, relationship, notifyRelationships: [], notifyTargets: [], isString: false });
    type.relationships.push(relationship);
  }
  if (overlay) {
    for (const property of overlay.properties) {
      if (type.properties.has(property.name)) continue;
      const compiled = compileProperty(property);
      type.properties.set(compiled.name, compiled);
      if (compiled.relationship) type.relationships.push(compiled.relationship);
    }
  }
  return resolveWithinType(type);
}

