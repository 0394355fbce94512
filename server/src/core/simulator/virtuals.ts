/**
 * Relationship-derived virtual properties (RDVPs): `isVirtual` + `queryConfig`
 * (relationship-semantics-notes §2.5). IDM stores their value with the object and recalculates it only when
 * the object is written or notified; the simulator does the same, so a missing notification on the
 * path leaves a stale value, exactly what a user of the real server would see.
 *
 * - `referencedRelationshipFields`: hops from the holder (`["roles", "assignments"]`), or a list of such
 *   paths whose results are unioned (AIC, PingIDM 7.5+). Each reached object counts once.
 * - no `referencedObjectFields`: each value is the reference (`_refResourceCollection`, `_refResourceId`, `_ref`);
 * - `["*"]`: the reached object's returned fields plus its reference; a list: those fields plus the reference;
 * - `flattenProperties`: the values of the listed fields, lists spread, as one flat list. Repeated values are
 *   kept once (inference: the defaults flatten ids, `memberOfOrgIDs`, `parentIDs`, where a repeat carries nothing).
 * A non-array property takes the first value, or null.
 */
import type { Graph } from './graph';
import { jsonEqual, type JsonRecord } from './json';
import type { SimType, SimVirtual } from './simSchema';
import { NO_EDGE, type ObjectRecord } from './store';

const EMPTY: readonly unknown[] = Object.freeze([]);

export class VirtualCalculator {
  /** Objects already in the hop list being built by `follow`, once the list is too long to scan. */
  private seen: Set<ObjectRecord> | undefined;

  constructor(private readonly graph: Graph) {}

  /** The objects a virtual property's paths reach from `holder`, each once, in path order. */
  reached(holder: ObjectRecord, virtual: SimVirtual): ObjectRecord[] {
    if (virtual.paths.length === 1) return this.follow(holder, virtual.paths[0]);
    const union: ObjectRecord[] = [];
    const keys = new Set<string>();
    for (const path of virtual.paths) {
      for (const object of this.follow(holder, path)) {
        if (keys.has(object.key)) continue;
        keys.add(object.key);
        union.push(object);
      }
    }
    return union;
  }

  /** The objects at the end of one hop path. Allocation-light: this runs for every notified object. */
  private follow(holder: ObjectRecord, path: string[]): ObjectRecord[] {
    let frontier: ObjectRecord[] | undefined;
    for (let h = 0; h < path.length; h++) {
      const next: ObjectRecord[] = [];
      this.seen = undefined;
      if (frontier === undefined) this.step(holder, path[h], next);
      else for (const object of frontier) this.step(object, path[h], next);
      frontier = next;
      if (next.length === 0) break;
    }
    return frontier ?? [];
  }

  /** Appends to `next` the objects `object` reaches through `hop`, each once. */
  private step(object: ObjectRecord, hop: string, next: ObjectRecord[]): void {
    const store = this.graph.store;
    const relationship = this.graph.typeOf(object)?.properties.get(hop)?.relationship;
    if (!relationship) return;
    const slot = store.rawSlotOf(object, hop);
    if (!slot) return;
    const reverse = relationship.bidirectional ? relationship.reversePropertyName : undefined;
    const edges = store.edges;
    for (let i = 0; i < slot.length; i++) {
      const edge = slot[i];
      if (edge === NO_EDGE) continue;
      let other: ObjectRecord | undefined;
      if (edges.fromKeyId(edge) === object.keyId && edges.fromProperty(edge) === hop) other = store.endRecord(edge, true);
      else if (reverse !== undefined && edges.fromProperty(edge) === reverse && edges.toKeyId(edge) === object.keyId) other = store.endRecord(edge, false);
      else continue;
      if (!other) continue;
      // Small lists are checked by scanning; a set only once they grow.
      if (this.seen) {
        if (this.seen.has(other)) continue;
        this.seen.add(other);
      } else if (next.length >= 16) {
        this.seen = new Set(next);
        if (this.seen.has(other)) continue;
        this.seen.add(other);
      } else if (next.includes(other)) {
        continue;
      }
      next.push(other);
    }
  }

  compute(holder: ObjectRecord, virtual: SimVirtual): unknown {
    const reached = this.reached(holder, virtual);
    const fields = virtual.referencedObjectFields;
    let values: unknown[];
    if (!fields) {
      // `reached` is this call's own list: reused for the values.
      values = reached as unknown[];
      for (let i = 0; i < reached.length; i++) values[i] = this.refTriple(reached[i]);
    } else if (virtual.flatten) {
      values = [];
      const seen = new Set<unknown>();
      for (const object of reached) {
        for (const field of fields) {
          const value = field === '_id' ? object.id : object.fields[field];
          for (const item of Array.isArray(value) ? value : [value]) {
            if (item === undefined || item === null) continue;
            const primitive = typeof item !== 'object';
            if (primitive && seen.has(item)) continue;
            if (primitive) seen.add(item);
            values.push(item);
          }
        }
      }
    } else if (fields.includes('*')) {
      values = reached as unknown[];
      for (let i = 0; i < reached.length; i++) values[i] = this.whole(reached[i]);
    } else {
      values = reached.map((object) => {
        const element: JsonRecord = {};
        for (const field of fields) {
          if (field === '_id') element._id = object.id;
          else if (field === '_rev') element._rev = this.graph.ids.format(object.rev);
          else if (object.fields[field] !== undefined) element[field] = object.fields[field];
        }
        return Object.assign(element, this.refTriple(object));
      });
    }
    if (!virtual.many) return values[0] ?? null;
    // Empty values are the same frozen list everywhere (100,000 users without organizations need no 100,000 lists).
    return values.length ? values : EMPTY;
  }

  /**
   * Recalculates every RDVP of `record`, storing the values; a changed value is a write (new revision),
   * unless the object was written by this very request (`written`), which already gave it one.
   * Returns the names recalculated (shared per type), or undefined when the type has none.
   */
  recalculate(record: ObjectRecord, type: SimType | undefined, written = false): readonly string[] | undefined {
    if (!type || type.virtuals.length === 0) return undefined;
    let fields: JsonRecord | undefined;
    for (const virtual of type.virtuals) {
      const value = this.compute(record, virtual);
      const current = (fields ?? record.fields)[virtual.name];
      if (jsonEqual(current, value)) continue;
      fields ??= { ...record.fields };
      fields[virtual.name] = value;
    }
    if (fields) this.graph.store.setFields(record, fields, written ? undefined : this.graph.ids.next());
    return type.virtualNames;
  }

  /** The reference to `object`, shared by every RDVP that lists it. */
  private refTriple(object: ObjectRecord): Record<string, string> {
    return this.cacheOf(object).refTriple;
  }

  /** `*`: the object's returned fields, its id and revision and its reference; shared until the object changes. */
  private whole(object: ObjectRecord): JsonRecord {
    const cache = this.cacheOf(object);
    // Keyed by the fields object itself (stored fields are replaced, never mutated), the revision and the
    // schema (which decides the returned fields).
    if (!cache.whole || cache.whole.fields !== object.fields || cache.whole.rev !== object.rev || cache.whole.schema !== this.graph.schema) {
      const type = this.graph.typeOf(object);
      const value: JsonRecord = { _id: object.id, _rev: this.graph.ids.format(object.rev) };
      for (const [name, field] of Object.entries(object.fields)) {
        const property = type?.properties.get(name);
        if (property && (property.private || !property.returnByDefault)) continue;
        value[name] = field;
      }
      cache.whole = { fields: object.fields, rev: object.rev, schema: this.graph.schema, value: Object.assign(value, cache.refTriple) };
    }
    return cache.whole.value;
  }

  private cacheOf(object: ObjectRecord): NonNullable<ObjectRecord['cache']> {
    object.cache ??= { refTriple: { _refResourceCollection: object.collection, _refResourceId: object.id, _ref: object.key } };
    return object.cache;
  }
}
