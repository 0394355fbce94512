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
import { newMark, NO_EDGE, NO_SLOT, type ObjectRecord } from './store';

const EMPTY: readonly unknown[] = Object.freeze([]);
const EMPTY_OBJECTS: readonly ObjectRecord[] = Object.freeze([]);

/**
 * Shortens a reused list to `length`. Overwriting a reused list and shortening it once keeps its storage;
 * `length = 0` before refilling would drop it and allocate anew on the next push.
 */
function truncate(list: ObjectRecord[], length: number): void {
  if (list.length !== length) list.length = length;
}

export class VirtualCalculator {
  /** Whether a pass runs (see `withinPass`): only then are hop results cached. */
  private inPass = false;
  /** Mark of the cached hop results that are current; renewed when the store's links change. */
  private cacheMark = 0;
  private cacheVersion = -1;
  /** Objects holding a cached hop result, released when the pass ends. */
  private readonly cachedObjects: ObjectRecord[] = [];
  /**
   * The last holder's first hop, for its next RDVP (effectiveRoles and effectiveAssignments both start with
   * `roles`). Kept here, not on the holder, so that a pass does not hold 100,000 holders' lists to its end.
   */
  private holder: ObjectRecord | undefined;
  private holderHop = '';
  private holderReached: readonly ObjectRecord[] = EMPTY_OBJECTS;
  private holderMark = 0;
  /** The list the holder's first hop is walked into during a pass, reused from holder to holder. */
  private readonly holderList: ObjectRecord[] = [];
  /**
   * The lists `follow` builds a path's later hops in, reused from call to call (a role change follows
   * roles -> assignments for each of 100,000 members): hop h writes list h % 2 and reads the other one, or
   * a cached hop result.
   */
  private readonly hopLists: [ObjectRecord[], ObjectRecord[]] = [[], []];

  constructor(private readonly graph: Graph) {}

  /**
   * Runs `work` as one pass (a notification pass, populate's RDVPs), during which the objects a hop reaches
   * from an object are walked once and then reused: a role change asks each of 100,000 members' roles for
   * their assignments, and each member's `roles` is read by two RDVPs. A hop's result depends only on the
   * edges and on which objects exist, never on fields or revisions (which the pass writes); any change to
   * those (`Store.version`) drops every cached result, so a write within the pass is always seen.
   */
  withinPass<T>(work: () => T): T {
    if (this.inPass) return work();
    this.inPass = true;
    this.cacheVersion = -1;
    try {
      return work();
    } finally {
      this.inPass = false;
      for (const object of this.cachedObjects) object.hopReached = undefined;
      this.cachedObjects.length = 0;
      this.holder = undefined;
      this.holderReached = EMPTY_OBJECTS;
      // Not to keep removed objects alive through the reused lists.
      this.holderList.length = 0;
      this.hopLists[0].length = 0;
      this.hopLists[1].length = 0;
    }
  }

  /**
   * The objects a virtual property's paths reach from `holder`, each once, in path order. Not to be modified,
   * and valid only until the next call (the list may be one this calculator reuses).
   */
  reached(holder: ObjectRecord, virtual: SimVirtual): readonly ObjectRecord[] {
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

  /** The objects at the end of one hop path, each once. Allocation-light: this runs for every notified object. */
  private follow(holder: ObjectRecord, path: string[]): readonly ObjectRecord[] {
    let frontier = this.firstHop(holder, path[0]);
    for (let h = 1; h < path.length && frontier.length > 0; h++) {
      if (frontier.length === 1) { frontier = this.hop(frontier[0], path[h]); continue; }
      const next = this.hopLists[h & 1];
      let count = 0;
      const mark = newMark();
      // Indexed loops: this runs per notified object, and array iterators allocate when not optimised away.
      for (let i = 0; i < frontier.length; i++) {
        const reached = this.hop(frontier[i], path[h]);
        for (let j = 0; j < reached.length; j++) {
          const other = reached[j];
          if (other.inHopList === mark) continue;
          other.inHopList = mark;
          next[count++] = other;
        }
      }
      truncate(next, count);
      frontier = next;
    }
    return frontier;
  }

  /** The mark of the cached hop results that are still current. */
  private currentMark(): number {
    const version = this.graph.store.version;
    if (version !== this.cacheVersion) {
      this.cacheVersion = version;
      this.cacheMark = newMark();
    }
    return this.cacheMark;
  }

  /** `hop` from an RDVP's holder; the last holder's is reused during a pass. */
  private firstHop(holder: ObjectRecord, hop: string): readonly ObjectRecord[] {
    if (!this.inPass) return this.step(holder, hop);
    const mark = this.currentMark();
    if (this.holder === holder && this.holderHop === hop && this.holderMark === mark) return this.holderReached;
    this.holder = holder;
    this.holderHop = hop;
    this.holderMark = mark;
    return (this.holderReached = this.step(holder, hop, this.holderList));
  }

  /** The objects `object` reaches through `hop`, each once; cached on the object during a pass. */
  private hop(object: ObjectRecord, hop: string): readonly ObjectRecord[] {
    if (!this.inPass) return this.step(object, hop);
    const mark = this.currentMark();
    if (object.hopMark === mark && object.hopName === hop) return object.hopReached!;
    const reached = this.step(object, hop);
    if (object.hopReached === undefined) this.cachedObjects.push(object);
    object.hopMark = mark;
    object.hopName = hop;
    object.hopReached = reached;
    return reached;
  }

  /**
   * Walks `hop` of `object`: the objects reached, each once, in edge order. They are written over `into` when
   * given (which is then the result, or EMPTY_OBJECTS: `into` is left as it was), else into a new list.
   */
  private step(object: ObjectRecord, hop: string, into?: ObjectRecord[]): readonly ObjectRecord[] {
    const store = this.graph.store;
    const relationship = this.graph.typeOf(object)?.properties.get(hop)?.relationship;
    if (!relationship) return EMPTY_OBJECTS;
    // Property names compared by interned id (a name no edge ever had is no edge's property: -1).
    const hopId = store.names.find(hop) ?? -1;
    const slot = hopId === -1 ? NO_SLOT : store.slotOfRecord(object, hopId);
    if (slot === NO_SLOT) return EMPTY_OBJECTS;
    const reverseId = relationship.bidirectional && relationship.reversePropertyName !== undefined ? store.names.find(relationship.reversePropertyName) ?? -1 : -1;
    const edges = store.edges;
    const keyId = object.keyId;
    const next = into ?? [];
    let count = 0;
    const mark = newMark();
    for (let edge = store.firstIn(slot); edge !== NO_EDGE; edge = edges.nextIn(edge, slot)) {
      let other: ObjectRecord | undefined;
      const fromPropertyId = edges.fromPropertyId(edge);
      if (fromPropertyId === hopId && edges.fromKeyId(edge) === keyId) other = store.endRecord(edge, true);
      else if (fromPropertyId === reverseId && edges.toKeyId(edge) === keyId) other = store.endRecord(edge, false);
      else continue;
      if (!other || other.inStepList === mark) continue;
      other.inStepList = mark;
      next[count++] = other;
    }
    truncate(next, count);
    return next;
  }

  /**
   * The value of `virtual` for `holder`. `current`, the stored value, is returned itself when the new value
   * would be a list of the very same elements (references and `*` views are shared per object), which
   * spares a list per notified object whose value did not change.
   */
  compute(holder: ObjectRecord, virtual: SimVirtual, current?: unknown): unknown {
    const reached = this.reached(holder, virtual);
    if (reached.length === 0) return virtual.many ? EMPTY : null;
    const fields = virtual.referencedObjectFields;
    if (!fields || (!virtual.flatten && fields.includes('*'))) {
      const whole = fields !== undefined;
      if (!virtual.many) return this.sharedView(reached[0], whole);
      if (Array.isArray(current) && current.length === reached.length) {
        let same = true;
        for (let i = 0; i < reached.length && same; i++) same = current[i] === this.sharedView(reached[i], whole);
        if (same) return current;
      }
      const views: unknown[] = new Array(reached.length);
      for (let i = 0; i < reached.length; i++) views[i] = this.sharedView(reached[i], whole);
      return views;
    }
    let values: unknown[];
    if (virtual.flatten) {
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
      const current = (fields ?? record.fields)[virtual.name];
      const value = this.compute(record, virtual, current);
      if (jsonEqual(current, value)) continue;
      fields ??= { ...record.fields };
      fields[virtual.name] = value;
    }
    if (fields) this.graph.store.setFields(record, fields, written ? undefined : this.graph.ids.next());
    return type.virtualNames;
  }

  /** What an RDVP lists for `object`, shared by every RDVP that lists it: the whole view (`*`) or the reference. */
  private sharedView(object: ObjectRecord, whole: boolean): JsonRecord {
    return whole ? this.whole(object) : this.refTriple(object);
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
