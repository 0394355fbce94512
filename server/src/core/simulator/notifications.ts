/**
 * Relationship change notification (PingIDM objects guide, "Relationship change notification"; PingOne AIC, "Relationship change notification").
 *
 * For every edge a request changed, seen from the origin (the object in the URL) through field `f`:
 * - `notifySelf` on `f` notifies the origin;
 * - `notify` on the `resourceCollection` entry of `f` for the referenced object's collection notifies the
 *   referenced object, which receives it through its reverse field.
 * A notified object propagates through the `notifyRelationships` of the field it received the notification
 * through, to every object related through each named relationship; those propagate in turn according to
 * their own field ("Notifications are propagated according to the recipient's notifyRelationships").
 * A written object also propagates through the `notifyRelationships` of each field that changed ("when one
 * of its properties changes through an update or patch": assignment.attributes -> roles -> members).
 *
 * Each object is listed once per request; each (object, field) propagates once, so cycles end.
 * RDVPs are recalculated on the written objects first, then on each notified object as it is notified,
 * breadth-first, so a value derived from another object's RDVP (organization `parentIDs`) reads it after
 * it was refreshed.
 */
import { NotificationTrace } from './store/notificationTrace';
import type { Notification } from './types';
import type { Graph, Operation } from './relationships';
import { collectionOf } from './refs';
import { NO_PROPERTY, type EdgeTable } from './store/edgeTable';
import { UNBOUND, type SimProperty, type SimRelationship, type SimType } from './simSchema';
import { newMark, NO_EDGE, NO_SLOT, type ObjectRecord, type Store } from './store/store';
import type { VirtualCalculator } from './virtuals';

/** An object to propagate from, with the property the notification arrived through. */
interface Delivery {
  record: ObjectRecord;
  property: SimProperty;
  depth: number;
}

export function processNotifications(graph: Graph, virtuals: VirtualCalculator, op: Operation): NotificationTrace {
  return virtuals.withinPass(() => new NotificationPass(graph, virtuals).run(op), true);
}

/**
 * One request's notifications. Names are compared as the ids the schema was bound with (`SimSchema.bind`),
 * never looked up per object: a role change walks 100,000 members.
 */
class NotificationPass {
  private readonly store: Store;
  private readonly edges: EdgeTable;
  private readonly trace: NotificationTrace;
  /** Which objects this pass notified and recalculated: marks on the records. */
  private readonly pass = newMark();
  /** Per property, the objects that already propagated through it (each (object, property) once: cycles end). */
  private readonly propagated = new Map<SimProperty, Set<number>>();
  private readonly queue: Delivery[] = [];

  constructor(private readonly graph: Graph, private readonly virtuals: VirtualCalculator) {
    this.store = graph.store;
    this.edges = graph.store.edges;
    this.trace = new NotificationTrace(this.store.keys, this.store.names);
  }

  run(op: Operation): NotificationTrace {
    const store = this.store;
    // The written objects: their own RDVPs, then propagation of their changed fields.
    for (const { record } of op.written.values()) {
      if (!record.alive) continue;
      this.virtuals.recalculate(record, this.graph.typeOf(record), true);
      record.recalculatedIn = this.pass;
    }
    for (const { record, changedFields } of op.written.values()) {
      if (!record.alive) continue;
      const type = this.graph.typeOf(record);
      for (const field of changedFields) {
        const property = type?.properties.get(field);
        if (property) this.propagate(record, property, 0);
      }
    }

    // Direct notifications of each relationship change. A delete of an object with 10,000 references makes
    // 10,000 changes from one origin: its type is looked up once.
    let originKey: string | undefined;
    let originType: SimType | undefined;
    for (const change of op.changes) {
      if (change.originProperty === undefined) continue;
      if (change.originKey !== originKey) {
        originKey = change.originKey;
        originType = this.graph.schema.type(collectionOf(originKey));
      }
      const relationship = originType?.properties.get(change.originProperty)?.relationship;
      if (!relationship) continue;
      if (relationship.notifySelf) {
        const origin = store.get(change.originKey);
        if (origin) this.deliver(origin, 'notifySelf', relationship.nameId, origin.keyId, 1, originType!.propertiesById[relationship.nameId]);
      }
      if (relationship.notifiesTargets && relationship.reverseId !== UNBOUND && relationship.targets!.get(collectionOf(change.otherKey))?.notify) {
        const referenced = store.get(change.otherKey);
        if (referenced) {
          const receives = this.graph.typeOf(referenced)?.propertiesById[relationship.reverseId];
          this.deliver(referenced, 'notify', relationship.reverseId, store.keys.intern(change.originKey), 1, receives?.relationship ? receives : undefined);
        }
      }
    }

    const queue = this.queue;
    for (let i = 0; i < queue.length; i++) {
      const { record, property, depth } = queue[i];
      this.propagate(record, property, depth);
    }
    return this.trace;
  }

  /**
   * Notifies `record` (listed once per pass, its RDVPs recalculated on first delivery: whoever delivers was
   * recalculated before propagating, so the values it reads are current), then queues its propagation
   * through `property`, the field the notification arrived through, when that field names relationships.
   */
  private deliver(record: ObjectRecord, reason: Notification['reason'], viaNameId: number, fromKeyId: number, depth: number, property: SimProperty | undefined, type = this.graph.typeOf(record)): void {
    const pass = this.pass;
    if (record.notifiedIn !== pass) {
      record.notifiedIn = pass;
      const row = this.trace.add(record.keyId, reason, viaNameId, fromKeyId, depth);
      if (record.alive) {
        const names = record.recalculatedIn === pass ? (type?.virtuals.length ? type.virtualNames : undefined) : this.virtuals.recalculate(record, type);
        record.recalculatedIn = pass;
        if (names) this.trace.setRecalculated(row, names);
      }
    }
    if (property && property.notifyTargets.length > 0 && !this.propagated.get(property)?.has(record.keyId)) this.queue.push({ record, property, depth });
  }

  /** Notifies every object related to `record` through the relationships `property` names in `notifyRelationships`. */
  private propagate(record: ObjectRecord, property: SimProperty, depth: number): void {
    if (property.notifyTargets.length === 0) return;
    let done = this.propagated.get(property);
    if (!done) this.propagated.set(property, (done = new Set()));
    if (done.has(record.keyId)) return;
    done.add(record.keyId);
    const store = this.store;
    const edges = this.edges;
    const keyId = record.keyId;
    for (const relationship of property.notifyTargets) {
      const nameId = relationship.nameId;
      const reverseId = relationship.reverseId;
      const slot = store.slotOfRecord(record, nameId);
      if (slot === NO_SLOT) continue;
      // The slot is walked while deliveries recalculate RDVPs: those write fields, never edges.
      for (let edge = store.firstIn(slot); edge !== NO_EDGE; edge = edges.nextIn(edge, slot)) {
        const fromPropertyId = edges.fromPropertyId(edge);
        let target: ObjectRecord | undefined;
        let targetType: SimType | undefined;
        let arrivedThrough: number;
        if (fromPropertyId === nameId && edges.fromKeyId(edge) === keyId) {
          // From this field: the target receives it through the edge's reverse property, when that side shows the edge.
          target = store.endRecord(edge, true);
          targetType = target && this.graph.typeOf(target);
          arrivedThrough = edges.toPropertyId(edge);
          if (arrivedThrough !== NO_PROPERTY && !showsFromReverse(targetType, arrivedThrough, fromPropertyId, edges.fromKeyId(edge) === edges.toKeyId(edge))) arrivedThrough = NO_PROPERTY;
        } else if (reverseId !== UNBOUND && fromPropertyId === reverseId && edges.toKeyId(edge) === keyId) {
          // From the other side's field, which the target always shows.
          target = store.endRecord(edge, false);
          targetType = target && this.graph.typeOf(target);
          arrivedThrough = fromPropertyId;
        } else {
          continue;
        }
        if (!target) continue;
        const through = arrivedThrough === NO_PROPERTY ? undefined : targetType?.propertiesById[arrivedThrough];
        this.deliver(target, 'notifyRelationships', nameId, keyId, depth + 1, through, targetType);
      }
    }
  }
}

/**
 * Whether an object of `type` shows, in its property `propertyId`, an edge that came from property
 * `originPropertyId` of the other end: that property must be a bidirectional relationship naming the origin
 * property back, or the edge a symmetric self-reference stored under that very property.
 */
function showsFromReverse(type: SimType | undefined, propertyId: number, originPropertyId: number, selfReference: boolean): boolean {
  if (selfReference && propertyId === originPropertyId) return true;
  const relationship: SimRelationship | undefined = type?.propertiesById[propertyId]?.relationship;
  return relationship !== undefined && relationship.reverseId === originPropertyId;
}
