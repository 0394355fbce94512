/**
 * Bulk test data: N objects per type, related at random within the schema's cardinality, from a seed.
 *
 * - a bidirectional pair is generated once, from its singleton side when it has one (`manager`, not
 *   `reports`), so the reverse side is filled by the same edges;
 * - singleton -> singleton (one-to-one): each target is used once; singleton -> array: any other object;
 *   array: 0..maxPerMany distinct targets;
 * - no object references itself; relationships whose targets are not populated are left empty;
 * - RDVPs of the new objects are calculated once the edges exist (values derived from another RDVP, such
 *   as organization `parentIDs`, after that one).
 * It writes straight into the store (no REST, no notifications, one audit entry).
 */
import type { Graph } from './relationships';
import { NO_PROPERTY } from './store/edgeTable';
import { SeededRandom } from './ids';
import { plainIdKeys } from './refs';
import type { SimRelationship, SimType, SimVirtual } from './simSchema';
import { newMark, newRecord, type ObjectRecord } from './store/store';
import type { VirtualCalculator } from './virtuals';

export interface PopulateOptions {
  seed?: number;
  /** Upper bound of references generated per array relationship per object (default 5). */
  maxPerMany?: number;
}

export interface PopulateReport {
  /** Objects created per collection. */
  objects: Record<string, number>;
  /** Edges created in all. */
  edges: number;
  /** Edges created per generating relationship, `user.manager`. */
  edgesByRelationship: Record<string, number>;
  /** Counts that could not be used, with the reason. */
  skipped: string[];
}

const GIVEN_NAMES = ['Barbara', 'Patricia', 'Sam', 'Alex', 'Jordan', 'Morgan', 'Taylor', 'Casey', 'Robin', 'Jamie'];
const SURNAMES = ['Jensen', 'Smith', 'Carter', 'Nguyen', 'Garcia', 'Okafor', 'Rossi', 'Müller', 'Kowalski', 'Tanaka'];
/** The string properties createObjects fills when a type has them. */
const FILLED_FIELDS = new Set(['userName', 'name', 'givenName', 'sn', 'mail']);

export function populate(graph: Graph, virtuals: VirtualCalculator, counts: Record<string, number>, options: PopulateOptions = {}): PopulateReport {
  const random = new SeededRandom(options.seed ?? 1);
  const maxPerMany = Math.max(0, Math.floor(options.maxPerMany ?? 5));
  const report: PopulateReport = { objects: {}, edges: 0, edgesByRelationship: {}, skipped: [] };

  // Types to fill, in schema order.
  const wanted = new Map<string, number>();
  for (const [name, count] of Object.entries(counts)) {
    const collection = name.includes('/') ? name : `managed/${name}`;
    if (!graph.schema.type(collection)) { report.skipped.push(`${name}: no such object type`); continue; }
    if (!Number.isInteger(count) || count < 0) { report.skipped.push(`${name}: the count must be a non-negative integer`); continue; }
    wanted.set(collection, count);
  }
  const created = new Map<string, ObjectRecord[]>();
  for (const [collection, type] of graph.schema.types) {
    const count = wanted.get(collection);
    if (count === undefined) continue;
    created.set(collection, createObjects(graph, type, count, random));
    report.objects[collection] = count;
  }

  // Every relationship's edges are drawn first and stored after, so that the edge table grows once, to its
  // final size: growing by doublings copies the columns each time and allocates twice their memory, which
  // also makes the garbage collector run.
  const drawn: DrawnEdges[] = [];
  for (const [collection, sources] of created) {
    const type = graph.schema.type(collection)!;
    for (const relationship of type.relationships) {
      if (!generatesPair(graph, type, relationship, created)) continue;
      const targetCollections = [...(relationship.targets?.keys() ?? [])].filter((target) => (created.get(target)?.length ?? 0) > 0);
      if (targetCollections.length === 0) continue;
      const edges = new DrawnEdges(`${type.name}.${relationship.name}`, relationship, sources);
      drawEdges(graph, edges, targetCollections.map((target) => created.get(target)!), random, maxPerMany);
      drawn.push(edges);
    }
  }
  graph.store.reserveEdges(drawn.reduce((n, edges) => n + edges.count, 0));
  for (const edges of drawn) {
    storeEdges(graph, edges);
    report.edges += edges.count;
    report.edgesByRelationship[edges.label] = edges.count;
  }

  const newTypes = [...created].filter(([, records]) => records.length > 0).map(([collection]) => graph.schema.type(collection)!);
  // concat, not flat(): flat() takes some 25 ms over 100,000 records, concat about one.
  const records = ([] as ObjectRecord[]).concat(...created.values());
  virtuals.withinPass(() => calculateVirtuals(graph, virtuals, records, newTypes));
  graph.audit.populate(records.length, report.edges);
  return report;
}

function createObjects(graph: Graph, type: SimType, count: number, random: SeededRandom): ObjectRecord[] {
  const records: ObjectRecord[] = [];
  const existing = graph.store.collection(type.collection)?.size ?? 0;
  // The string properties filled, in the schema's order (the order of the fields in each object).
  const filled: string[] = [];
  for (const property of type.properties.values()) {
    if (property.isString && !property.relationship && !property.virtual && FILLED_FIELDS.has(property.name)) filled.push(property.name);
  }
  // Generated UUIDs need no encoding in a key.
  const keyOf = plainIdKeys(type.collection);
  for (let i = 0; i < count; i++) {
    // An id already taken (practically never) draws another.
    let record: ObjectRecord;
    do {
      const id = random.uuid();
      record = newRecord(type.collection, id, keyOf(id), 0, {});
    } while (!graph.store.addObjectIfAbsent(record));
    // The revision and the names come after the id is settled, as they always have (same seed, same data).
    record.rev = graph.ids.next();
    const numbered = `${type.name}${existing + i + 1}`;
    const fields = record.fields;
    const given = GIVEN_NAMES[random.below(GIVEN_NAMES.length)];
    const surname = SURNAMES[random.below(SURNAMES.length)];
    for (const name of filled) {
      switch (name) {
        case 'userName': fields.userName = numbered; break;
        case 'name': fields.name = numbered; break;
        case 'givenName': fields.givenName = given; break;
        case 'sn': fields.sn = surname; break;
        case 'mail': fields.mail = `${numbered}@example.com`; break;
      }
    }
    records.push(record);
  }
  return records;
}

/**
 * Whether `relationship` is the side of its pair that generates the edges: the singleton side, else the
 * side with more new objects (each user gets 0..maxPerMany roles, not each role 0..maxPerMany members).
 */
function generatesPair(graph: Graph, type: SimType, relationship: SimRelationship, created: Map<string, ObjectRecord[]>): boolean {
  if (!relationship.bidirectional || !relationship.reversePropertyName || !relationship.targets) return true;
  for (const target of relationship.targets.keys()) {
    const reverse = graph.schema.relationship(target, relationship.reversePropertyName);
    const consistent = reverse && reverse.bidirectional && reverse.reversePropertyName === relationship.name
      && (!reverse.targets || reverse.targets.has(type.collection));
    if (!consistent) continue;
    if (relationship.many !== reverse.many) return !relationship.many;
    const mySize = created.get(type.collection)?.length ?? 0;
    const theirSize = created.get(target)?.length ?? 0;
    if (mySize !== theirSize) return mySize > theirSize;
    const mine = `${type.collection}.${relationship.name}`;
    const theirs = `${target}.${reverse.name}`;
    if (mine > theirs) return false;
  }
  return true;
}

/** Whether targets reached through `relationship` can hold only one reference back (one-to-one). */
function reverseIsSingleton(graph: Graph, relationship: SimRelationship, targetCollection: string): boolean {
  if (!relationship.bidirectional || !relationship.reversePropertyName) return false;
  const reverse = graph.schema.relationship(targetCollection, relationship.reversePropertyName);
  return !!reverse && !reverse.many && reverse.reversePropertyName === relationship.name;
}

/**
 * The edges drawn for one relationship, in creation order: `counts[s]` edges from `sources[s]`, source after
 * source, to the next `counts[s]` objects of `targets`.
 */
class DrawnEdges {
  readonly targets: ObjectRecord[] = [];
  readonly counts: Int32Array;

  /** `label`: the generating relationship, `user.manager`. */
  constructor(readonly label: string, readonly relationship: SimRelationship, readonly sources: ObjectRecord[]) {
    this.counts = new Int32Array(sources.length);
  }

  get count(): number {
    return this.targets.length;
  }

  /** Adds an edge from `sources[source]`: a source's edges come together, sources in order. */
  add(source: number, target: ObjectRecord): void {
    this.targets.push(target);
    this.counts[source]++;
  }
}

/** Stores the drawn edges, ids and revisions from the counter in creation order. */
function storeEdges(graph: Graph, edges: DrawnEdges): void {
  const store = graph.store;
  const ids = graph.ids;
  const relationship = edges.relationship;
  // Property names interned once for all the edges.
  const fromPropertyId = store.names.intern(relationship.name);
  const toProperty = relationship.bidirectional ? relationship.reversePropertyName : undefined;
  const toPropertyId = toProperty === undefined ? NO_PROPERTY : store.names.intern(toProperty);
  const { sources, counts, targets } = edges;
  let next = 0;
  for (let s = 0; s < sources.length; s++) {
    for (const end = next + counts[s]; next < end; next++) {
      const seq = ids.next();
      store.addEdgeById(seq, ids.next(), sources[s], fromPropertyId, targets[next], toPropertyId);
    }
  }
}

/** Draws the edges of `edges.relationship` from `sources` to objects of `pools` (one per target collection). */
function drawEdges(graph: Graph, edges: DrawnEdges, pools: ObjectRecord[][], random: SeededRandom, maxPerMany: number): void {
  const { relationship, sources } = edges;
  const poolCollections = pools.map((pool) => pool[0].collection);
  if (!relationship.many) {
    const oneToOne = poolCollections.map((collection) => reverseIsSingleton(graph, relationship, collection));
    // One-to-one: a shuffled queue of free targets per pool. A symmetric pair (`partner` <-> `partner`) fills
    // the same field at both ends, so an object linked as a target is no longer a free source, and the reverse.
    const free = pools.map((pool, i) => (oneToOne[i] ? shuffle([...pool], random) : undefined));
    const symmetric = relationship.reversePropertyName === relationship.name;
    const taken = new Set<ObjectRecord>();
    // Only a symmetric pair takes objects: any other asks no set (a lookup per object is not free).
    const isTaken = symmetric ? (record: ObjectRecord) => taken.has(record) : () => false;
    for (let s = 0; s < sources.length; s++) {
      const source = sources[s];
      if (isTaken(source)) continue;
      const p = random.below(pools.length);
      const queue = free[p];
      if (queue) {
        let target = queue.pop();
        const skipped: ObjectRecord[] = [];
        while (target && (target === source || isTaken(target))) {
          if (!isTaken(target)) skipped.push(target);
          target = queue.pop();
        }
        queue.push(...skipped);
        if (!target) continue;
        edges.add(s, target);
        if (symmetric) { taken.add(source); taken.add(target); }
        continue;
      }
      const pool = pools[p];
      if (pool.length === 1 && pool[0] === source) continue;
      let target = pool[random.below(pool.length)];
      while (target === source) target = pool[random.below(pool.length)];
      edges.add(s, target);
    }
    return;
  }
  // Each source's targets are distinct. A target is numbered by its place in the pools laid end to end, and
  // `chosenBy` holds the number (index + 1) of the source that last drew it: no set to fill and clear per source.
  const poolStarts: number[] = [];
  let targetCount = 0;
  for (const pool of pools) { poolStarts.push(targetCount); targetCount += pool.length; }
  const chosenBy = new Int32Array(targetCount);
  for (let s = 0; s < sources.length; s++) {
    const source = sources[s];
    const k = random.below(maxPerMany + 1);
    let found = 0;
    for (let attempt = 0; found < k && attempt < k * 4; attempt++) {
      const p = random.below(pools.length);
      const pool = pools[p];
      const i = random.below(pool.length);
      const target = pool[i];
      if (target === source || chosenBy[poolStarts[p] + i] === s + 1) continue;
      chosenBy[poolStarts[p] + i] = s + 1;
      edges.add(s, target);
      found++;
    }
  }
}

function shuffle<T>(items: T[], random: SeededRandom): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.below(i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/**
 * RDVPs of the new objects. A value that reads another new object's RDVP (`referencedObjectFields` naming a
 * virtual property of the reached type) is calculated after that object's; cycles fall back to whatever
 * the other object holds. Iterative, so long chains cannot overflow the stack. An RDVP can wait only for
 * objects of `newTypes`, the types of the new objects: one that reads no virtual property of theirs
 * (`memberOfOrgIDs` reads organization `parentIDs`, but no organization is new) is calculated at once.
 *
 * `records` are in the order the store numbered them (`order`), one run with no other object in between, so
 * a record's place in the list is its `order` less the first one's: the calculation state of each new record
 * is a byte at that place, with no map or set of 100,000 records.
 */
function calculateVirtuals(graph: Graph, virtuals: VirtualCalculator, records: ObjectRecord[], newTypes: SimType[]): void {
  const isNewVirtual = (field: string) => newTypes.some((type) => type.properties.get(field)?.virtual);
  const waitingVirtuals = new Set<SimVirtual>();
  const ordered = new Set<SimType>();
  for (const type of newTypes) {
    for (const virtual of type.virtuals) {
      if (!virtual.referencedObjectFields?.some(isNewVirtual)) continue;
      waitingVirtuals.add(virtual);
      ordered.add(type);
    }
  }
  const firstOrder = records.length ? records[0].order : 0;
  /** The place of a new record in `records`; -1 for any other object. */
  const placeOf = (record: ObjectRecord): number => {
    const place = record.order - firstOrder;
    return place >= 0 && place < records.length && records[place] === record ? place : -1;
  };
  const state = new Uint8Array(records.length);
  const stack: ObjectRecord[] = [];
  // Values that read no RDVP of a new object are exact from here on: every edge and plain field is in place.
  const calculatedAt = newMark();
  for (let r = 0; r < records.length; r++) {
    const root = records[r];
    const rootType = graph.typeOf(root);
    if (!rootType || rootType.virtuals.length === 0) continue;
    if (!ordered.has(rootType)) {
      // Nothing to wait for: calculated at once (the fields object is populate's own, filled in place).
      for (const virtual of rootType.virtuals) root.fields[virtual.name] = virtuals.compute(root, virtual);
      // Stamped as calculated, so that a notification keeps what nothing changes under (ChangeStamps). Values
      // that wait for other new objects' RDVPs are not: where those form a cycle, one read the other's old value.
      root.virtualsAt = calculatedAt;
      state[r] = DONE;
      continue;
    }
    if (state[r] === DONE) continue;
    stack.push(root);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const place = placeOf(top);
      if (state[place] === DONE) { stack.pop(); continue; }
      const type = graph.typeOf(top);
      if (!type || type.virtuals.length === 0) { state[place] = DONE; stack.pop(); continue; }
      if (state[place] === WAITING) {
        // An object is pushed only while it is not WAITING, so this is the entry that expanded it: the
        // objects it waits for are done.
        stack.pop();
        // The fields object was made by createObjects and is not shared yet: filled in place.
        const fields = top.fields;
        for (const virtual of type.virtuals) fields[virtual.name] = virtuals.compute(top, virtual);
        state[place] = DONE;
        continue;
      }
      state[place] = WAITING;
      for (const virtual of type.virtuals) {
        if (!waitingVirtuals.has(virtual)) continue;
        for (const reached of virtuals.reached(top, virtual)) {
          const reachedPlace = placeOf(reached);
          if (reachedPlace === -1 || state[reachedPlace] !== NOT_STARTED) continue;
          const reachedType = graph.typeOf(reached);
          if (virtual.referencedObjectFields!.some((field) => reachedType?.properties.get(field)?.virtual)) stack.push(reached);
        }
      }
    }
  }
}

/** Calculation states of calculateVirtuals' records. */
const NOT_STARTED = 0;
/** Waiting for the RDVPs it reads (its entry stays on the stack under theirs). */
const WAITING = 1;
const DONE = 2;
