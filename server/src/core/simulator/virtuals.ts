/**
 * Relationship-derived virtual properties (RDVPs): `isVirtual` + `queryConfig`
 * (PingIDM objects guide, "Relationship-derived virtual properties"). IDM stores their value with the object and recalculates it only when
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
import type { Graph } from './relationships';
import { jsonEqual, type JsonRecord } from './json';
import type { SimRelationship, SimType, SimVirtual } from './simSchema';
import { newMark, NO_EDGE, NO_SLOT, type ObjectRecord } from './store/store';

const EMPTY: readonly unknown[] = Object.freeze([]);
const EMPTY_OBJECTS: readonly ObjectRecord[] = Object.freeze([]);

/**
 * A list reused from call to call: `items[0..length)` are its records, the slots past `length` are stale.
 * A role change walks 100,000 members' roles: shortening and regrowing an array per member would reallocate
 * its storage each time, where a count costs nothing.
 */
interface RecordList {
  items: readonly ObjectRecord[];
  length: number;
}

function newList(): { items: ObjectRecord[]; length: number } {
  return { items: [], length: 0 };
}

const NO_RECORDS: RecordList = Object.freeze({ items: EMPTY_OBJECTS, length: 0 });

export class VirtualCalculator {
  /** Whether a pass runs (see `withinPass`): only then are hop results cached. */
  private inPass = false;
  /** Whether this pass keeps holders' first hops for later passes (notification passes; populate's would only pay for them). */
  private keepFirstHops = false;
  /** Mark of the cached hop results that are current; renewed when the store's links change. */
  private cacheMark = 0;
  private cacheVersion = -1;
  /** Objects holding a cached hop result, released when the pass ends. */
  private readonly cachedObjects: ObjectRecord[] = [];
  /**
   * The last holder's first hop, for its next RDVP (effectiveRoles and effectiveAssignments both start with
   * `roles`), walked into a list reused from holder to holder; what later passes reuse is the holder's own
   * exact copy (`ObjectRecord.firstHop`), kept by notification passes only.
   */
  private holder: ObjectRecord | undefined;
  private holderHop: SimRelationship | undefined;
  private holderMark = 0;
  /** The holder's first hop, walked into this list (reused from holder to holder), or its kept one. */
  private readonly holderList = newList();
  private readonly keptView: RecordList = newList();
  private holderResult: RecordList = NO_RECORDS;
  /**
   * The lists `follow` builds a path's later hops in (a role change follows roles -> assignments for each of
   * 100,000 members): hop h writes list h % 2 and reads the other one, or a cached hop result.
   */
  private readonly hopLists = [newList(), newList()] as const;
  /** Per RDVP, the last list of views it built in this pass (see `compute`). */
  private readonly lastLists = new Map<SimVirtual, readonly unknown[]>();
  /** Shows the end of a path of more than one hop (a reused list, or a cached hop result). */
  private readonly pathEnd: RecordList = newList();

  constructor(private readonly graph: Graph) {}

  /**
   * Runs `work` as one pass (a notification pass, populate's RDVPs), during which the objects a hop reaches
   * from an object are walked once and then reused: a role change asks each of 100,000 members' roles for
   * their assignments, and each member's `roles` is read by two RDVPs. A hop's result depends only on the
   * edges and on which objects exist, never on fields or revisions (which the pass writes); any change to
   * those (`Store.version`) drops every cached result, so a write within the pass is always seen.
   * `keepFirstHops`: holders keep their first hops for later passes (`ObjectRecord.firstHop`).
   */
  withinPass<T>(work: () => T, keepFirstHops = false): T {
    if (this.inPass) return work();
    this.inPass = true;
    this.keepFirstHops = keepFirstHops;
    this.cacheVersion = -1;
    try {
      return work();
    } finally {
      this.inPass = false;
      for (const object of this.cachedObjects) object.hopReached = undefined;
      this.cachedObjects.length = 0;
      this.holder = undefined;
      // Not to keep removed objects alive through the reused lists.
      this.holderResult = NO_RECORDS;
      this.lastLists.clear();
      for (const list of [this.holderList, this.hopLists[0], this.hopLists[1], this.pathEnd, this.keptView]) {
        list.items = [];
        list.length = 0;
      }
    }
  }

  /** The objects a virtual property's paths reach from `holder`, each once, in path order (a new list). */
  reached(holder: ObjectRecord, virtual: SimVirtual): ObjectRecord[] {
    const reached = this.reachedList(holder, virtual);
    return reached.items.slice(0, reached.length);
  }

  /** `reached`, in a list valid until the next call (it may be one this calculator reuses). */
  private reachedList(holder: ObjectRecord, virtual: SimVirtual): RecordList {
    if (virtual.paths.length === 1) return this.follow(holder, virtual, 0);
    const union: ObjectRecord[] = [];
    const keys = new Set<string>();
    for (let p = 0; p < virtual.paths.length; p++) {
      const { items, length } = this.follow(holder, virtual, p);
      for (let i = 0; i < length; i++) {
        const object = items[i];
        if (keys.has(object.key)) continue;
        keys.add(object.key);
        union.push(object);
      }
    }
    return { items: union, length: union.length };
  }

  /** The objects at the end of path `p` of `virtual`, each once. Allocation-light: this runs for every notified object. */
  private follow(holder: ObjectRecord, virtual: SimVirtual, p: number): RecordList {
    const path = virtual.paths[p];
    const first = this.firstHop(holder, virtual.firstHops[p]);
    if (path.length === 1 || first.length === 0) return first;
    // The frontier as locals: a role change reads 100,000 members' roles' cached hops, ten each.
    let items = first.items;
    let length = first.length;
    const cacheMark = this.inPass ? this.currentMark() : 0;
    for (let h = 1; h < path.length && length > 0; h++) {
      const hop = path[h];
      if (length === 1) {
        items = this.hop(items[0], hop, cacheMark);
        length = items.length;
        continue;
      }
      const next = this.inPass ? this.hopLists[h & 1] : newList();
      const into = next.items;
      let count = 0;
      const seen = newMark();
      for (let i = 0; i < length; i++) {
        const object = items[i];
        const reached = object.hopMark === cacheMark && object.hopName === hop ? object.hopReached! : this.hop(object, hop, cacheMark);
        for (let j = 0; j < reached.length; j++) {
          const other = reached[j];
          if (other.inHopList === seen) continue;
          other.inHopList = seen;
          into[count++] = other;
        }
      }
      next.length = count;
      items = into;
      length = count;
    }
    const result = this.pathEnd;
    result.items = items;
    result.length = length;
    return result;
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

  /**
   * The first hop of a path from an RDVP's holder (its own relationship, compiled with the RDVP). During a
   * pass, the last holder's is reused (its RDVPs often share it), and so is the holder's own from an earlier
   * walk while no slot of that relationship changed since (`ObjectRecord.firstHop`).
   */
  private firstHop(holder: ObjectRecord, relationship: SimRelationship | undefined): RecordList {
    if (!relationship) return NO_RECORDS;
    if (!this.inPass) return this.step(holder, relationship, newList());
    const mark = this.currentMark();
    if (this.holder === holder && this.holderHop === relationship && this.holderMark === mark) return this.holderResult;
    this.holder = holder;
    this.holderHop = relationship;
    this.holderMark = mark;
    const kept = this.keepFirstHops ? holder.firstHop : undefined;
    if (kept !== undefined && kept.relationship === relationship && this.graph.store.changes.slotUnchangedSince(kept.at, holder.collectionId, relationship.nameId)) {
      const view = this.keptView;
      view.items = kept.reached;
      view.length = kept.reached.length;
      return (this.holderResult = view);
    }
    // Taken before the walk: a slot change from here on makes the kept list stale.
    const at = newMark();
    const list = this.step(holder, relationship, this.holderList);
    if (this.keepFirstHops) holder.firstHop = { relationship, reached: list.length === 0 ? EMPTY_OBJECTS : list.items.slice(0, list.length), at };
    return (this.holderResult = list);
  }

  /**
   * The objects `object` reaches through its field `hop`, each once, as an exact list; during a pass cached
   * on the object under `cacheMark` (the current mark: 0 outside a pass, which caches nothing).
   */
  private hop(object: ObjectRecord, hop: string, cacheMark: number): readonly ObjectRecord[] {
    if (this.inPass && object.hopMark === cacheMark && object.hopName === hop) return object.hopReached!;
    const walked = this.step(object, this.relationshipOf(object, hop), newList());
    const reached = walked.length === 0 ? EMPTY_OBJECTS : walked.items.slice(0, walked.length);
    if (!this.inPass) return reached;
    if (object.hopReached === undefined) this.cachedObjects.push(object);
    object.hopMark = cacheMark;
    object.hopName = hop;
    object.hopReached = reached;
    return reached;
  }

  private relationshipOf(object: ObjectRecord, name: string): SimRelationship | undefined {
    return this.graph.typeOf(object)?.properties.get(name)?.relationship;
  }

  /**
   * Walks `relationship`, a field of `object`, into `into`: the objects reached, each once, in edge order.
   * Property names are compared by the ids the schema was bound with.
   */
  private step(object: ObjectRecord, relationship: SimRelationship | undefined, into: { items: ObjectRecord[]; length: number }): RecordList {
    into.length = 0;
    if (!relationship) return into;
    const store = this.graph.store;
    const hopId = relationship.nameId;
    const slot = store.slotOfRecord(object, hopId);
    if (slot === NO_SLOT) return into;
    const reverseId = relationship.reverseId;
    const edges = store.edges;
    const keyId = object.keyId;
    const items = into.items;
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
      items[count++] = other;
    }
    into.length = count;
    return into;
  }

  /**
   * The value of `virtual` for `holder`. `current`, the stored value, is returned itself when the new value
   * would be a list of the very same elements (references and `*` views are shared per object), which
   * spares a list per notified object whose value did not change.
   */
  compute(holder: ObjectRecord, virtual: SimVirtual, current?: unknown): unknown {
    const { items: reached, length } = this.reachedList(holder, virtual);
    if (length === 0) return virtual.many ? EMPTY : null;
    const fields = virtual.referencedObjectFields;
    if (virtual.listsObjects || !fields) {
      const whole = fields !== undefined;
      if (!virtual.many) return this.sharedView(reached[0], whole);
      if (this.sameViews(current, reached, length, whole)) return current;
      // Within a pass, a holder whose list is the one the previous holder got shares it (stored values are never
      // modified): a role change gives many of its members the same new list.
      const previous = this.inPass ? this.lastLists.get(virtual) : undefined;
      if (this.sameViews(previous, reached, length, whole)) return previous;
      const views: unknown[] = new Array(length);
      for (let i = 0; i < length; i++) views[i] = this.sharedView(reached[i], whole);
      if (this.inPass) this.lastLists.set(virtual, views);
      return views;
    }
    const values: unknown[] = [];
    if (virtual.flatten) {
      const seen = new Set<unknown>();
      for (let i = 0; i < length; i++) {
        const object = reached[i];
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
      for (let i = 0; i < length; i++) {
        const object = reached[i];
        const element: JsonRecord = {};
        for (const field of fields) {
          if (field === '_id') element._id = object.id;
          else if (field === '_rev') element._rev = this.graph.ids.format(object.rev);
          else if (object.fields[field] !== undefined) element[field] = object.fields[field];
        }
        values.push(Object.assign(element, this.refTriple(object)));
      }
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
    if (!type) return undefined;
    const virtuals = type.virtuals;
    if (virtuals.length === 0) return undefined;
    const changes = this.graph.store.changes;
    // Taken first: a write while calculating (a self-reference reading its own RDVPs) makes the values suspect.
    const calculatedAt = newMark();
    // A written object is recalculated whole, as IDM does; a notified one keeps the values nothing has changed under.
    const since = written ? 0 : record.virtualsAt;
    // Decided at the first change: at most one new revision per recalculation.
    let rev = -1;
    for (let i = 0; i < virtuals.length; i++) {
      const virtual = virtuals[i];
      if (since > 0 && changes.unchangedSince(since, virtual.slotReads, virtual.documentReads)) continue;
      const current = record.fields[virtual.name];
      const value = this.compute(record, virtual, current);
      if (value === current || jsonEqual(current, value)) continue;
      if (rev === -1) rev = written ? record.rev : this.graph.ids.next();
      this.graph.store.setField(record, virtual.name, value, rev);
    }
    record.virtualsAt = calculatedAt;
    return type.virtualNames;
  }

  /** Whether `list` holds exactly the views of `reached[0..length)`, in order. */
  private sameViews(list: unknown, reached: readonly ObjectRecord[], length: number, whole: boolean): list is unknown[] {
    if (!Array.isArray(list) || list.length !== length) return false;
    for (let i = 0; i < length; i++) if (list[i] !== this.sharedView(reached[i], whole)) return false;
    return true;
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
    // Keyed by the last write of the fields, the revision and the schema (which decides the returned fields).
    if (!cache.whole || cache.whole.fieldsWrite !== object.fieldsWrite || cache.whole.rev !== object.rev || cache.whole.schema !== this.graph.schema) {
      const type = this.graph.typeOf(object);
      const value: JsonRecord = { _id: object.id, _rev: this.graph.ids.format(object.rev) };
      for (const [name, field] of Object.entries(object.fields)) {
        const property = type?.properties.get(name);
        if (property && (property.private || !property.returnByDefault)) continue;
        value[name] = field;
      }
      cache.whole = { fieldsWrite: object.fieldsWrite, rev: object.rev, schema: this.graph.schema, value: Object.assign(value, cache.refTriple) };
    }
    return cache.whole.value;
  }

  private cacheOf(object: ObjectRecord): NonNullable<ObjectRecord['cache']> {
    object.cache ??= { refTriple: { _refResourceCollection: object.collection, _refResourceId: object.id, _ref: object.key } };
    return object.cache;
  }
}

