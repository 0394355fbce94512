/**
 * Relationship change notification (aic-relationship-change-notification.md; relationship-semantics-notes §2.4).
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
import { NotificationTrace } from './notificationTrace';
import type { Notification } from './types';
import { reverseOf, visibleOther, type Graph, type Operation } from './graph';
import { collectionOf } from './refs';
import { newMark, type ObjectRecord } from './store';
import type { VirtualCalculator } from './virtuals';

/** An object to propagate from, with the field the notification arrived through. */
interface Delivery {
  record: ObjectRecord;
  field: string;
  depth: number;
}

export function processNotifications(graph: Graph, virtuals: VirtualCalculator, op: Operation): NotificationTrace {
  return virtuals.withinPass(() => notifyAll(graph, virtuals, op));
}

function notifyAll(graph: Graph, virtuals: VirtualCalculator, op: Operation): NotificationTrace {
  const store = graph.store;
  const edges = graph.edges;
  const trace = new NotificationTrace(store.keys, store.names);
  // Which objects this pass notified and recalculated: marks on the records (a role change may notify 100,000 members).
  const pass = newMark();
  /** Per field, the objects that already propagated through it. */
  const propagated = new Map<string, Set<number>>();
  const queue: Delivery[] = [];

  const propagates = (record: ObjectRecord, field: string | undefined): field is string => {
    if (field === undefined) return false;
    const names = graph.typeOf(record)?.properties.get(field)?.notifyRelationships;
    return !!names && names.length > 0 && !propagated.get(field)?.has(record.keyId);
  };

  // A notified object is recalculated on delivery: whoever delivers was recalculated before propagating
  // (written objects first, then each object before its propagation), so the values it reads are current.
  const deliver = (record: ObjectRecord, reason: Notification['reason'], viaNameId: number, fromKeyId: number, depth: number, field: string | undefined) => {
    if (record.notifiedIn !== pass) {
      record.notifiedIn = pass;
      const row = trace.add(record.keyId, reason, viaNameId, fromKeyId, depth);
      if (record.alive) {
        const type = graph.typeOf(record);
        const names = record.recalculatedIn === pass ? (type?.virtuals.length ? type.virtualNames : undefined) : virtuals.recalculate(record, type);
        record.recalculatedIn = pass;
        if (names) trace.setRecalculated(row, names);
      }
    }
    if (propagates(record, field)) queue.push({ record, field, depth });
  };

  const propagate = (record: ObjectRecord, field: string | undefined, depth: number) => {
    if (!propagates(record, field)) return;
    let done = propagated.get(field);
    if (!done) propagated.set(field, (done = new Set()));
    done.add(record.keyId);
    const type = graph.typeOf(record)!;
    for (const name of type.properties.get(field)!.notifyRelationships) {
      if (!type.properties.get(name)?.relationship) continue;
      const nameId = store.names.intern(name);
      // Collected first: deliveries never write, but recalculation later may not see a half-walked slot.
      for (const edge of graph.visibleEdges(record.key, type, name)) {
        const outward = edges.fromKeyId(edge) === record.keyId && edges.fromProperty(edge) === name;
        const otherKey = outward ? edges.toKey(edge) : edges.fromKey(edge);
        const otherProperty = outward ? edges.toProperty(edge) : edges.fromProperty(edge);
        const target = store.endRecord(edge, outward);
        if (!target) continue;
        // The field the target receives the notification through: its side of the edge, when that side shows it.
        const arrivedThrough = otherProperty !== undefined && visibleOther(edges, edge, otherKey, otherProperty, reverseOf(graph.typeOf(target), otherProperty)) !== undefined
          ? otherProperty
          : undefined;
        deliver(target, 'notifyRelationships', nameId, record.keyId, depth + 1, arrivedThrough);
      }
    }
  };

  // The written objects: their own RDVPs, then propagation of their changed fields.
  for (const { record } of op.written.values()) {
    if (!record.alive) continue;
    virtuals.recalculate(record, graph.typeOf(record), true);
    record.recalculatedIn = pass;
  }
  for (const { record, changedFields } of op.written.values()) {
    if (!record.alive) continue;
    for (const field of changedFields) propagate(record, field, 0);
  }

  // Direct notifications of each relationship change.
  for (const change of op.changes) {
    if (change.originProperty === undefined) continue;
    const originType = graph.schema.type(collectionOf(change.originKey));
    const relationship = originType?.properties.get(change.originProperty)?.relationship;
    if (!relationship) continue;
    if (relationship.notifySelf) {
      const origin = store.get(change.originKey);
      if (origin) deliver(origin, 'notifySelf', store.names.intern(relationship.name), store.keys.intern(change.originKey), 1, relationship.name);
    }
    const entry = relationship.targets?.get(collectionOf(change.otherKey));
    if (entry?.notify && relationship.bidirectional && relationship.reversePropertyName) {
      const referenced = store.get(change.otherKey);
      if (referenced) {
        const reverse = relationship.reversePropertyName;
        const receives = graph.typeOf(referenced)?.properties.get(reverse)?.relationship ? reverse : undefined;
        deliver(referenced, 'notify', store.names.intern(reverse), store.keys.intern(change.originKey), 1, receives);
      }
    }
  }

  for (let i = 0; i < queue.length; i++) propagate(queue[i].record, queue[i].field, queue[i].depth);
  return trace;
}
