/**
 * Relationship semantics over the store: which edges a field shows, creating/updating/deleting edges with
 * IDM's checks (resourceCollection, `validate`, reverse singleton availability, duplicates), setting a
 * relationship field from an object body, referential integrity on delete, and the audit of each change.
 *
 * Edges are stored once. An edge is seen from its origin field, and from the referenced object's field
 * named by the edge's reverse property when that field is a bidirectional relationship naming the origin
 * field back. A broken reverse pair therefore shows on one side only, as in IDM: the edge row records
 * `secondPropertyName` from the origin side's `reversePropertyName`, and only a reverse relationship field
 * reads the far end of a row (`RelationshipProvider.formatResponseNoException` picks `firstId` only when
 * `schemaField.isReverseRelationship()`), so a reverse property that is missing, one-way or names another
 * field never shows the edge.
 */
import type { AuditEdgeRow, AuditLog, EdgeAuditEntry } from './store/audit';
import type { EdgeTable } from './store/edgeTable';
import { badRequest, preconditionFailed } from './errors';
import type { IdSource } from './ids';
import { cloneJson, isRecord, jsonEqual, type JsonRecord } from './json';
import { encodeSegment, parseRef, splitKey, type ParsedRef } from './refs';
import type { SimRelationship, SimSchema, SimType } from './simSchema';
import { NO_EDGE, NO_SLOT, type Edge, type ObjectRecord, type Store } from './store/store';

/** One edge change of an operation, seen from the object the request named (the origin). */
export interface EdgeChange {
  kind: 'create' | 'update' | 'delete';
  edge: Edge;
  originKey: string;
  /** The origin's field the change went through; undefined when the origin cannot see the edge. */
  originProperty: string | undefined;
  otherKey: string;
}

/** What one request did, for notifications and the response. */
export interface Operation {
  /** `PUT managed/user/psmith` */
  label: string;
  changes: EdgeChange[];
  /** Objects whose document was written (create, PUT, PATCH), with the fields that changed. */
  written: Map<string, { record: ObjectRecord; changedFields: Set<string> }>;
}

export function newOperation(label: string): Operation {
  return { label, changes: [], written: new Map() };
}

/** A relationship reference read from a request: `{_ref, _refProperties}`. */
export interface RefInput {
  ref: ParsedRef;
  /** The `_ref` as written, for messages. */
  text: string;
  /** `_refProperties` without `_id`/`_rev`; undefined when not given. */
  refProperties: JsonRecord | undefined;
  /** `_refProperties._id` when given: names an existing edge. */
  edgeId: string | undefined;
}

export class Graph {
  /** The store's edge data (an edge is a handle into it). */
  readonly edges: EdgeTable;

  private current: SimSchema;

  constructor(
    schema: SimSchema,
    readonly store: Store,
    readonly ids: IdSource,
    readonly audit: AuditLog,
  ) {
    this.edges = store.edges;
    this.current = schema.bind(store.names, store.collectionNames);
  }

  get schema(): SimSchema {
    return this.current;
  }

  /** A schema edit while a simulation is loaded: the data stays; the new schema numbers names as this store does. */
  set schema(schema: SimSchema) {
    if (schema === this.current) return;
    this.current = schema.bind(this.store.names, this.store.collectionNames);
    // Stored RDVP values were calculated by the old definitions; the next notification recalculates them all.
    this.store.changes.distrustAll();
  }

  typeOf(record: ObjectRecord): SimType | undefined {
    // By interned collection id: a notification pass asks this for each of 100,000 objects.
    return record.collectionId >= 0 ? this.current.typeAt(record.collectionId) : this.current.type(record.collection);
  }

  /** Whether `edge`, indexed at (key, property), is part of that field on an object of `type`. */
  isVisibleAt(edge: Edge, key: string, property: string, type: SimType | undefined): boolean {
    return visibleOther(this.edges, edge, key, property, reverseOf(type, property)) !== undefined;
  }

  /** The edges field `property` of the object at `key` shows, in creation order. */
  visibleEdges(key: string, type: SimType | undefined, property: string): Edge[] {
    const slot = this.store.slotOf(key, property);
    if (slot === NO_SLOT) return [];
    const reverse = reverseOf(type, property);
    const visible: Edge[] = [];
    for (let edge = this.store.firstIn(slot); edge !== NO_EDGE; edge = this.edges.nextIn(edge, slot)) {
      if (visibleOther(this.edges, edge, key, property, reverse) !== undefined) visible.push(edge);
    }
    return visible;
  }

  /** The other end of `edge` seen from (key, property). */
  otherEnd(edge: Edge, key: string, property: string): { key: string; property: string | undefined } {
    if (this.edges.fromKey(edge) === key && this.edges.fromProperty(edge) === property) return { key: this.edges.toKey(edge), property: this.edges.toProperty(edge) };
    return { key: this.edges.fromKey(edge), property: this.edges.fromProperty(edge) };
  }

  edgeId(edge: Edge): string {
    return this.ids.format(this.edges.seq(edge));
  }

  /** The reference as a relationship field shows it (`_ref`, `_refResourceCollection`, `_refResourceId`, `_refProperties`). */
  refView(edge: Edge, key: string, property: string): JsonRecord {
    const other = this.otherEnd(edge, key, property).key;
    const { collection, id } = splitKey(other);
    const view: JsonRecord = {
      _ref: other,
      _refResourceCollection: collection,
      _refResourceId: id,
      _refProperties: { ...cloneJson(this.edges.refProperties(edge) ?? {}), _id: this.ids.format(this.edges.seq(edge)), _rev: this.ids.format(this.edges.rev(edge)) },
    };
    if (!this.store.get(other)) {
      // RelationshipProvider marks references it cannot resolve with _refError/_refErrorMessage.
      view._refError = true;
      view._refErrorMessage = `Object ${id} not found in ${collection}`;
    }
    return view;
  }

  // ---- reading references from requests -------------------------------------------------------

  /** Reads `{_ref, _refProperties}` (or `_refResourceCollection` + `_refResourceId`); throws 400 when unusable. */
  readRef(value: unknown, field: string): RefInput {
    if (Array.isArray(value)) throw badRequest(`'${JSON.stringify(value)}' is invalid as a relationship reference`);
    if (!isRecord(value)) throw badRequest(`The value of relationship field '${field}' must be an object with a _ref, not ${JSON.stringify(value)}`);
    let text = value._ref;
    if (text === undefined && typeof value._refResourceCollection === 'string' && typeof value._refResourceId === 'string') {
      text = `${value._refResourceCollection}/${encodeSegment(value._refResourceId)}`;
    }
    if (typeof text !== 'string') throw badRequest(`The relationship reference ${JSON.stringify(value)} of field '${field}' has no _ref`);
    const ref = parseRef(text);
    if (!ref) throw badRequest(`'${text}' is invalid as a relationship reference: expected <collection>/<id>, such as managed/user/bjensen`);
    const rawProperties = value._refProperties;
    if (rawProperties !== undefined && rawProperties !== null && !isRecord(rawProperties)) {
      throw badRequest(`_refProperties of the relationship reference '${text}' must be an object`);
    }
    let refProperties: JsonRecord | undefined;
    let edgeId: string | undefined;
    if (isRecord(rawProperties)) {
      refProperties = cloneJson(rawProperties);
      if (typeof refProperties._id === 'string') edgeId = refProperties._id;
      delete refProperties._id;
      delete refProperties._rev;
      const temporal = refProperties.temporalConstraints;
      if (Array.isArray(temporal) && temporal.length > 1) throw badRequest('Only 1 temporal constraint is supported per grant.');
    }
    return { ref, text, refProperties, edgeId };
  }

  // ---- checks ---------------------------------------------------------------------------------

  /** The target collection must be one the relationship lists (no resourceCollection: any). */
  private checkTarget(origin: ObjectRecord, relationship: SimRelationship, input: RefInput): void {
    if (!relationship.targets || relationship.targets.has(input.ref.collection)) return;
    const accepted = [...relationship.targets.keys()].join(', ');
    throw badRequest(`The reference '${input.text}' is not in a resource collection of relationship '${relationship.name}' of ${origin.collection} (accepted: ${accepted})`);
  }

  /**
   * IDM's relationship validation, run only when the relationship has `validate: true` (the checks live in
   * RelationshipValidator / ReverseRelationshipValidator): the referenced object must exist, a singleton
   * reverse field must be free (or already point back at the origin), and an array must not get a second
   * edge to the same object with the same grant. `ignore` is an edge being replaced by this change.
   */
  private validate(origin: ObjectRecord, relationship: SimRelationship, input: RefInput, ignore?: Edge): ObjectRecord | undefined {
    const target = this.store.get(input.ref.key);
    if (!relationship.validate) return target;
    if (!target) throw badRequest(`The referenced relationship '${input.text}', does not exist`);
    if (relationship.bidirectional && relationship.reversePropertyName) {
      const targetType = this.typeOf(target);
      const reverse = targetType?.properties.get(relationship.reversePropertyName)?.relationship;
      if (reverse && !reverse.many) {
        for (const edge of this.visibleEdges(target.key, targetType, reverse.name)) {
          if (edge === ignore) continue;
          if (this.otherEnd(edge, target.key, reverse.name).key !== origin.key) {
            throw badRequest(`Field '${reverse.name}' of managed object '${target.key}' is not null, and thus not available for assignment.`);
          }
        }
      }
    }
    if (relationship.many && this.hasEdgeBetween(origin, relationship, target, input.refProperties, ignore)) {
      throw preconditionFailed(`Managed object '${origin.key}' has already been assigned relationship '${input.text}'.`);
    }
    return target;
  }

  /**
   * Whether field `relationship` of `origin` already holds an edge to `target` with the same grant. Walks
   * the smaller of the two ends when the pair is consistent (then both ends index the same edges), so adding
   * a member to a role with 100,000 members reads the new member's few roles, not the role's members.
   */
  private hasEdgeBetween(origin: ObjectRecord, relationship: SimRelationship, target: ObjectRecord, refProperties: JsonRecord | undefined, ignore?: Edge): boolean {
    const targetType = this.typeOf(target);
    const reverse = relationship.bidirectional && relationship.reversePropertyName ? targetType?.properties.get(relationship.reversePropertyName)?.relationship : undefined;
    const consistent = !!reverse && reverse.bidirectional && reverse.reversePropertyName === relationship.name;
    const [key, type, property, wanted] = consistent && this.store.countAt(target.key, reverse!.name) < this.store.countAt(origin.key, relationship.name)
      ? [target.key, targetType, reverse!.name, origin.key]
      : [origin.key, this.typeOf(origin), relationship.name, target.key];
    for (const edge of this.visibleEdges(key, type, property)) {
      if (edge === ignore) continue;
      if (this.otherEnd(edge, key, property).key === wanted && sameGrant(this.edges.refProperties(edge), refProperties)) return true;
    }
    return false;
  }

  // ---- edge changes ---------------------------------------------------------------------------

  createEdge(op: Operation, origin: ObjectRecord, relationship: SimRelationship, input: RefInput): Edge {
    this.checkTarget(origin, relationship, input);
    const target = this.validate(origin, relationship, input);
    const seq = this.ids.next();
    const edge = this.store.addEdge(
      seq, this.ids.next(), origin, relationship.name, target ?? input.ref.key,
      relationship.bidirectional ? relationship.reversePropertyName : undefined,
      input.refProperties && Object.keys(input.refProperties).length ? input.refProperties : undefined,
    );
    op.changes.push({ kind: 'create', edge, originKey: origin.key, originProperty: relationship.name, otherKey: this.edges.toKey(edge) });
    this.log(op, 'create', 'request', edge);
    return edge;
  }

  /** Replaces the reference and/or properties of `edge`, seen from origin field `relationship`; keeps its id. */
  updateEdge(op: Operation, origin: ObjectRecord, relationship: SimRelationship, edge: Edge, input: RefInput): Edge {
    const current = this.otherEnd(edge, origin.key, relationship.name).key;
    const refProperties = input.refProperties && Object.keys(input.refProperties).length ? input.refProperties : undefined;
    const sameRef = current === input.ref.key;
    if (sameRef && jsonEqual(this.edges.refProperties(edge) ?? {}, refProperties ?? {})) return edge;
    this.checkTarget(origin, relationship, input);
    const target = sameRef ? this.store.get(current) : this.validate(origin, relationship, input, edge);
    const previous = this.describe(edge);
    if (sameRef) {
      this.store.updateEdge(edge, { refProperties, rev: this.ids.next() });
    } else {
      // The origin keeps its end; the edge now points at the new object (re-oriented when it was updated from its reverse side).
      this.store.updateEdge(edge, {
        fromKey: origin.key,
        fromProperty: relationship.name,
        toKey: target?.key ?? input.ref.key,
        toProperty: relationship.bidirectional ? relationship.reversePropertyName : undefined,
        refProperties,
        rev: this.ids.next(),
      });
    }
    if (!sameRef) op.changes.push({ kind: 'delete', edge, originKey: origin.key, originProperty: relationship.name, otherKey: current });
    op.changes.push({ kind: sameRef ? 'update' : 'create', edge, originKey: origin.key, originProperty: relationship.name, otherKey: sameRef ? current : this.edges.toKey(edge) });
    this.log(op, 'update', 'request', edge, previous);
    return edge;
  }

  /** Deletes `edge`; `originKey` is the object the request named, `originProperty` its field when it sees the edge. */
  deleteEdge(op: Operation, edge: Edge, originKey: string, originProperty: string | undefined, cause: 'request' | 'referential-integrity'): void {
    const otherKey = this.edges.fromKey(edge) === originKey && (originProperty === undefined || this.edges.fromProperty(edge) === originProperty) ? this.edges.toKey(edge) : this.edges.fromKey(edge);
    this.store.removeEdge(edge);
    op.changes.push({ kind: 'delete', edge, originKey, originProperty, otherKey });
    this.log(op, 'delete', cause, edge);
  }

  /**
   * Sets a relationship field from an object body (create, PUT, PATCH), as IDM's
   * `setRelationshipValueForResource`: references carrying `_refProperties._id` of an existing edge update
   * that edge, the others are created, and existing edges not named are deleted. Returns whether anything changed.
   */
  setField(op: Operation, origin: ObjectRecord, relationship: SimRelationship, value: unknown): boolean {
    const type = this.typeOf(origin);
    const existing = this.visibleEdges(origin.key, type, relationship.name);
    const changesBefore = op.changes.length;
    if (!relationship.many) {
      if (Array.isArray(value)) throw badRequest(`'${JSON.stringify(value)}' is invalid as a relationship reference`);
      if (value === null || value === undefined) {
        for (const edge of existing) this.deleteEdge(op, edge, origin.key, relationship.name, 'request');
        return op.changes.length > changesBefore;
      }
      const input = this.readRef(value, relationship.name);
      const kept = input.edgeId !== undefined ? existing.find((edge) => this.edgeId(edge) === input.edgeId) : undefined;
      for (const edge of existing) if (edge !== kept) this.deleteEdge(op, edge, origin.key, relationship.name, 'request');
      if (kept) this.updateEdge(op, origin, relationship, kept, input);
      else this.createEdge(op, origin, relationship, input);
      return op.changes.length > changesBefore;
    }
    if (value === null || value === undefined) {
      for (const edge of existing) this.deleteEdge(op, edge, origin.key, relationship.name, 'request');
      return op.changes.length > changesBefore;
    }
    if (!Array.isArray(value)) throw badRequest(`Relationship field '${relationship.name}' is an array: expected a list of references, not ${JSON.stringify(value)}`);
    const inputs = value.map((item) => this.readRef(item, relationship.name));
    if (relationship.validate) checkDuplicatesInRequest(inputs);
    const byId = new Map(existing.map((edge) => [this.edgeId(edge), edge]));
    const updates: Array<[Edge, RefInput]> = [];
    const creates: RefInput[] = [];
    for (const input of inputs) {
      const edge = input.edgeId !== undefined ? byId.get(input.edgeId) : undefined;
      // A `_refProperties._id` naming no edge of this field is treated as a new reference.
      if (edge && !updates.some(([e]) => e === edge)) updates.push([edge, input]);
      else creates.push(input);
    }
    const keep = new Set(updates.map(([edge]) => edge));
    for (const edge of existing) if (!keep.has(edge)) this.deleteEdge(op, edge, origin.key, relationship.name, 'request');
    for (const [edge, input] of updates) this.updateEdge(op, origin, relationship, edge, input);
    for (const input of creates) this.createEdge(op, origin, relationship, input);
    return op.changes.length > changesBefore;
  }

  /** Deletes an object and, for referential integrity, every edge touching it at either end. */
  deleteObject(op: Operation, record: ObjectRecord): void {
    const type = this.typeOf(record);
    const edges = this.edges;
    for (const edge of this.store.removeEdgesOf(record.key)) {
      let originProperty: string | undefined;
      let otherKey = edges.toKey(edge);
      const fromProperty = edges.fromProperty(edge);
      const toProperty = edges.toProperty(edge);
      if (edges.fromKey(edge) === record.key && type?.properties.get(fromProperty)?.relationship) {
        originProperty = fromProperty;
      } else if (otherKey === record.key) {
        otherKey = edges.fromKey(edge);
        if (toProperty !== undefined && this.isVisibleAt(edge, record.key, toProperty, type)) originProperty = toProperty;
      }
      op.changes.push({ kind: 'delete', edge, originKey: record.key, originProperty, otherKey });
      this.log(op, 'delete', 'referential-integrity', edge);
    }
    this.store.removeObject(record);
  }

  // ---- audit ----------------------------------------------------------------------------------

  /** The edge as the audit log records it (its `_refProperties` copied: the edge may change later). */
  private describe(edge: Edge): AuditEdgeRow {
    const table = this.edges;
    const refProperties = table.refProperties(edge);
    return {
      seq: table.seq(edge), rev: table.rev(edge),
      fromKeyId: table.fromKeyId(edge), fromPropertyId: table.fromPropertyId(edge),
      toKeyId: table.toKeyId(edge), toPropertyId: table.toPropertyId(edge),
      refProperties: refProperties && cloneJson(refProperties),
    };
  }

  private log(op: Operation, operation: EdgeAuditEntry['operation'], cause: EdgeAuditEntry['cause'], edge: Edge, previous?: AuditEdgeRow): void {
    this.audit.edge(operation, cause, op.label, this.describe(edge), previous);
  }
}

/** The origin field an edge must come from to show in `property` of `type` from its reverse side. */
export function reverseOf(type: SimType | undefined, property: string): string | undefined {
  const relationship = type?.properties.get(property)?.relationship;
  return relationship?.bidirectional ? relationship.reversePropertyName : undefined;
}

/**
 * The key at the other end of `edge` when the edge shows in (key, property), else undefined: from its origin
 * field, or from the reverse field that names the origin field back (`reverse`, from `reverseOf`).
 */
export function visibleOther(edges: EdgeTable, edge: Edge, key: string, property: string, reverse: string | undefined): string | undefined {
  if (edges.fromKey(edge) === key && edges.fromProperty(edge) === property) return edges.toKey(edge);
  if (reverse !== undefined && edges.fromProperty(edge) === reverse && edges.toKey(edge) === key) return edges.fromKey(edge);
  return undefined;
}

/** Two grants of the same object differ only by grant type or temporal constraints (ReverseRelationshipValidator.refPropStateEqual). */
function sameGrant(a: JsonRecord | undefined, b: JsonRecord | undefined): boolean {
  return jsonEqual(a?._grantType, b?._grantType) && jsonEqual(a?.temporalConstraints, b?.temporalConstraints);
}

/** RelationshipValidator.checkForDuplicateRelationships: one request may not name the same grant twice. */
export function checkDuplicatesInRequest(inputs: RefInput[]): void {
  const seen = new Set<string>();
  for (const input of inputs) {
    const grant = input.refProperties;
    const key = `${input.ref.key}\u0000${JSON.stringify(grant?._grantType ?? null)}\u0000${JSON.stringify(grant?.temporalConstraints ?? null)}`;
    if (seen.has(key)) throw preconditionFailed('Duplicate relationship specified in relationship collection.');
    seen.add(key);
  }
}
