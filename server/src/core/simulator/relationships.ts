/**
 * Relationship semantics over the store: which edges a field shows, creating/updating/deleting edges with
 * IDM's checks (resourceCollection, `validate`, reverse singleton availability, duplicates), setting a
 * relationship field from an object body, referential integrity on delete, and the audit of each change.
 *
 * Edges are stored once, as IDM stores one row per edge in repo/relationships. Which fields show an edge
 * follows the repository query `find-relationships-for-resource` (the default repo configs of OpenIDM 5.x): a
 * row is in field `f` of object `x` when one of its ends is `x` with property name `f`. The origin's end is
 * named after the origin field; the far end after the origin field's `reversePropertyName` when that field is
 * reverse (bidirectional), else nothing (RelationshipProvider.convertToRepoObject). So a reverse field whose
 * `reversePropertyName` names a field that points back elsewhere, or is not reverse at all, still shows the
 * edges created from the other side; a field without `reverseRelationship` never shows edges it did not create
 * unless a reverse field on the other side names it (an IDM 4.0-style pair declared on one side only).
 * What the field shows as `_ref` is RelationshipProvider.formatResponseNoException's choice: a reverse field
 * shows the other end; a field that is not reverse shows the row's second end, which for a bidirectional row
 * is the larger of the two resource paths (convertToRepoObject orders them), possibly the object itself.
 */
import type { AuditEdgeRow, AuditLog, EdgeAuditEntry } from './store/audit';
import type { EdgeTable } from './store/edgeTable';
import { badRequest, preconditionFailed } from './errors';
import type { IdSource } from './ids';
import { cloneJson, isRecord, jsonEqual, type JsonRecord } from './json';
import { encodeSegment, parseRef, splitKey, type ParsedRef } from './refs';
import type { SimRelationship, SimSchema, SimType } from './simSchema';
import { releaseFeatures, type ReleaseFeatures } from './release';
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

/** Who writes a reference, which decides how it is validated (`Graph.validate`). */
export type Validation = 'endpoint' | 'create' | 'update' | 'patch' | 'none';

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

  /** The IDM release the simulator answers as (`release.ts`). */
  release: ReleaseFeatures = releaseFeatures();

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
    return visibleOther(this.edges, edge, key, property, relationshipField(type, property)) !== undefined;
  }

  /** The edges field `property` of the object at `key` shows, in creation order. */
  visibleEdges(key: string, type: SimType | undefined, property: string): Edge[] {
    const slot = this.store.slotOf(key, property);
    if (slot === NO_SLOT) return [];
    const reverse = relationshipField(type, property);
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

  /**
   * The key field `property` of the object at `key` shows as `_ref` for `edge` (`visibleOther`): the other end,
   * except where a field that is not reverse reads a bidirectional row from its far end.
   */
  seenOther(edge: Edge, key: string, property: string, known?: SimRelationship): string {
    const edges = this.edges;
    const oneWay = edges.toProperty(edge) === undefined;
    if (oneWay && edges.fromKey(edge) === key && edges.fromProperty(edge) === property) return edges.toKey(edge);
    const record = known ? undefined : this.store.get(key);
    const field = known ?? relationshipField(record ? this.typeOf(record) : this.current.type(splitKey(key).collection), property);
    const seen = visibleOther(edges, edge, key, property, field);
    if (seen !== undefined) return seen;
    // An edge the field does not show, named by its id under this object's URL: formatResponseNoException reads its
    // row all the same (first and second end as convertToRepoObject stored them).
    const fromKey = edges.fromKey(edge);
    const toKey = edges.toKey(edge);
    const [first, second] = oneWay || fromKey <= toKey ? [fromKey, toKey] : [toKey, fromKey];
    return field?.bidirectional && first !== key ? first : second;
  }

  /**
   * The reference as a relationship field shows it: `_ref`, `_refResourceCollection`, `_refResourceId` (from 7.x;
   * `release.ts`), `_refProperties` with the edge's `_id` and `_rev`. A reference to an object that no longer
   * exists reads like any other: the repository row is all RelationshipProvider.formatResponseNoException reads
   * (`_refError` comes only from a failed expansion, `Views.reference`). `known`: the field, when the caller has it.
   */
  refView(edge: Edge, key: string, property: string, known?: SimRelationship): JsonRecord {
    const other = this.seenOther(edge, key, property, known);
    const refProperties = { ...cloneJson(this.edges.refProperties(edge) ?? {}), _id: this.ids.format(this.edges.seq(edge)), _rev: this.ids.format(this.edges.rev(edge)) };
    if (!this.release.referenceResourceFields) return { _ref: other, _refProperties: refProperties };
    const { collection, id } = splitKey(other);
    return { _ref: other, _refResourceCollection: collection, _refResourceId: id, _refProperties: refProperties };
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
   * IDM's relationship validation (RelationshipValidator.validateRelationship). Who asks decides whether it runs:
   * - `endpoint`: a POST to a relationship endpoint always validates, whatever `validate` says, with the
   *   duplicate check (RelationshipProvider.createInstance -> validateRelationshipOperand(..., true));
   * - `create`, `update`, `patch`: an object write validates only fields with `validate: true`
   *   (ManagedObjectSet.validateRelationshipFields, SchemaField.isValidationRequired); only a PATCH runs the
   *   duplicate check against stored edges (ManagedObjectSet.requestRequiresDuplicateAssignmentCheck);
   * - `none`: a PUT or PATCH of an existing edge through its endpoint is not validated at all
   *   (RelationshipProvider.updateInstance / patchInstance persist it, then ManagedObjectSet.update skips the
   *   field as already persisted), so it may point at an object that does not exist.
   * The checks: the referenced object must exist (a read of `_ref`); for a reverse field, ForwardRelationshipValidator
   * stops there, ReverseRelationshipValidator.validateSuccessfulReadResponse goes on by the shape of the target's
   * reverse property, found only for `managed/` targets (getReverseReferenceType): array to array (many-to-many), the
   * duplicate check; a singleton, it must be empty or point back at the origin. `ignore` is an edge being replaced.
   */
  private validate(origin: ObjectRecord, relationship: SimRelationship, input: RefInput, mode: Validation, ignore?: Edge): ObjectRecord | undefined {
    const target = this.store.get(input.ref.key);
    if (mode === 'none' || (mode !== 'endpoint' && !relationship.validate)) return target;
    if (!target) throw badRequest(`The referenced relationship '${input.text}', does not exist`);
    if (!relationship.bidirectional || relationship.reversePropertyName === undefined || !input.ref.collection.startsWith('managed/')) return target;
    const targetType = this.typeOf(target);
    const reverse = targetType?.properties.get(relationship.reversePropertyName)?.relationship;
    if (!reverse) return target;
    if (relationship.many && reverse.many) {
      if ((mode === 'endpoint' || mode === 'patch') && this.hasEdgeBetween(origin, relationship, target, input.refProperties, ignore)) {
        throw preconditionFailed(`Managed object '${origin.key}' has already been assigned relationship '${input.text}'.`);
      }
    } else if (!reverse.many) {
      const held = this.visibleEdges(target.key, targetType, reverse.name).find((edge) => edge !== ignore);
      if (held !== undefined && this.seenOther(held, target.key, reverse.name) !== origin.key) {
        // validateSingletonRelationshipReadResponse names the object by its id (ResourceResponse.getId), not its path.
        throw badRequest(`Field '${reverse.name}' of managed object '${target.id}' is not null, and thus not available for assignment.`);
      }
    }
    return target;
  }

  /**
   * Whether a row already joins (`origin`, field) and (`target`, its reverse property) with equal `_refProperties`:
   * ReverseRelationshipValidator's `find-relationship-edges` query, compared by RelationshipEqualityHash (every
   * `_refProperties` entry but `_id`/`_rev`). Walks the smaller of the two ends, so adding a member to a role with
   * 100,000 members reads the new member's few roles, not the role's members.
   */
  private hasEdgeBetween(origin: ObjectRecord, relationship: SimRelationship, target: ObjectRecord, refProperties: JsonRecord | undefined, ignore?: Edge): boolean {
    const reverseName = relationship.reversePropertyName!;
    const [key, property, otherKey, otherProperty] = this.store.countAt(target.key, reverseName) < this.store.countAt(origin.key, relationship.name)
      ? [target.key, reverseName, origin.key, relationship.name]
      : [origin.key, relationship.name, target.key, reverseName];
    const slot = this.store.slotOf(key, property);
    if (slot === NO_SLOT) return false;
    const edges = this.edges;
    for (let edge = this.store.firstIn(slot); edge !== NO_EDGE; edge = edges.nextIn(edge, slot)) {
      if (edge === ignore) continue;
      const forward = edges.fromKey(edge) === key && edges.fromProperty(edge) === property && edges.toKey(edge) === otherKey && edges.toProperty(edge) === otherProperty;
      const backward = !forward && edges.toKey(edge) === key && edges.toProperty(edge) === property && edges.fromKey(edge) === otherKey && edges.fromProperty(edge) === otherProperty;
      if ((forward || backward) && sameRefProperties(edges.refProperties(edge), refProperties)) return true;
    }
    return false;
  }

  // ---- edge changes ---------------------------------------------------------------------------

  createEdge(op: Operation, origin: ObjectRecord, relationship: SimRelationship, input: RefInput, mode: Validation): Edge {
    this.checkTarget(origin, relationship, input);
    const target = this.validate(origin, relationship, input, mode);
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
  updateEdge(op: Operation, origin: ObjectRecord, relationship: SimRelationship, edge: Edge, input: RefInput, mode: Validation): Edge {
    const current = this.otherEnd(edge, origin.key, relationship.name).key;
    const refProperties = input.refProperties && Object.keys(input.refProperties).length ? input.refProperties : undefined;
    const sameRef = current === input.ref.key;
    if (sameRef && jsonEqual(this.edges.refProperties(edge) ?? {}, refProperties ?? {})) return edge;
    this.checkTarget(origin, relationship, input);
    const target = this.validate(origin, relationship, input, mode, edge);
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
   * With `validate`, only references that are not already held, by RelationshipEqualityHash, are validated
   * (CollectionRelationshipProvider.validateRelationshipField).
   */
  setField(op: Operation, origin: ObjectRecord, relationship: SimRelationship, value: unknown, mode: 'create' | 'update' | 'patch'): boolean {
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
      if (kept) this.updateEdge(op, origin, relationship, kept, input, mode);
      else this.createEdge(op, origin, relationship, input, mode);
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
    const held = relationship.validate
      ? new Set(existing.map((edge) => referenceIdentity(this.seenOther(edge, origin.key, relationship.name), this.edges.refProperties(edge))))
      : undefined;
    const modeFor = (input: RefInput): Validation => (held?.has(referenceIdentity(input.ref.key, input.refProperties)) ? 'none' : mode);
    const keep = new Set(updates.map(([edge]) => edge));
    for (const edge of existing) if (!keep.has(edge)) this.deleteEdge(op, edge, origin.key, relationship.name, 'request');
    for (const [edge, input] of updates) this.updateEdge(op, origin, relationship, edge, input, modeFor(input));
    for (const input of creates) this.createEdge(op, origin, relationship, input, modeFor(input));
    return op.changes.length > changesBefore;
  }

  /**
   * Deletes an object and, for referential integrity, the edges its own relationship fields show:
   * ManagedObjectSet.deleteInstance clears each of the object's relationship providers (RelationshipProvider.clear).
   * An edge that points at the object from a field it cannot see there (a one-way relationship, or a reverse
   * property its type does not have) is not one of them: the row stays and the reference dangles, as on the server.
   */
  deleteObject(op: Operation, record: ObjectRecord): void {
    const type = this.typeOf(record);
    const edges = this.edges;
    const touching = this.store.edgesOf(record.key);
    const shown = touching.filter((edge) => this.shownByOwnField(edge, record.key, type));
    let removed: Edge[];
    if (shown.length === touching.length) {
      removed = this.store.removeEdgesOf(record.key, touching);
    } else {
      for (const edge of shown) this.store.removeEdge(edge);
      removed = shown;
    }
    for (const edge of removed) {
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

  /** Whether `edge` is in one of the relationship fields of the object at `key` (find-relationships-for-resource). */
  private shownByOwnField(edge: Edge, key: string, type: SimType | undefined): boolean {
    const edges = this.edges;
    if (edges.fromKey(edge) === key && type?.properties.get(edges.fromProperty(edge))?.relationship) return true;
    const toProperty = edges.toProperty(edge);
    return edges.toKey(edge) === key && toProperty !== undefined && !!type?.properties.get(toProperty)?.relationship;
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

/** The relationship field `property` of `type`, if it is one. */
export function relationshipField(type: SimType | undefined, property: string): SimRelationship | undefined {
  return type?.properties.get(property)?.relationship;
}

/**
 * The key field `property` of the object at `key` shows as `_ref` for `edge`, or undefined when the edge is not
 * in that field (see the module comment): `find-relationships-for-resource` picks the rows with an end
 * (`key`, `property`); RelationshipProvider.formatResponseNoException shows the other end from a reverse field,
 * and the row's second end (`secondId`) from any other field. `field` is the relationship field `property` of the
 * object's type; without one (data of a field the schema no longer has) the edges it created still show.
 */
export function visibleOther(edges: EdgeTable, edge: Edge, key: string, property: string, field: SimRelationship | undefined): string | undefined {
  const fromKey = edges.fromKey(edge);
  const toKey = edges.toKey(edge);
  let other: string;
  if (fromKey === key && edges.fromProperty(edge) === property) other = toKey;
  else if (field !== undefined && toKey === key && edges.toProperty(edge) === property) other = fromKey;
  else return undefined;
  if (field === undefined || field.bidirectional || edges.toProperty(edge) === undefined) return other;
  // A row written from a reverse field is stored with its two paths in order (convertToRepoObject): its second end is the larger.
  return fromKey > toKey ? fromKey : toKey;
}

/**
 * Whether two references' `_refProperties` are equal once `_id` and `_rev` are set aside, absent ones counting as
 * empty (RelationshipEqualityHash.relationshipRefPropertiesEqual): every custom property counts, not only the
 * grant type and temporal constraints. Stored and read `_refProperties` never hold `_id`/`_rev`.
 */
export function sameRefProperties(a: JsonRecord | undefined, b: JsonRecord | undefined): boolean {
  return jsonEqual(a ?? {}, b ?? {});
}

/** A string equal for two references exactly when RelationshipEqualityHash calls them equal: `_ref` and `_refProperties`. */
export function referenceIdentity(key: string, refProperties: JsonRecord | undefined): string {
  return `${key}\u0000${canonicalJson(refProperties ?? {})}`;
}

function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as JsonRecord;
  return `{${Object.keys(record).filter((k) => record[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
}

/** RelationshipValidator.checkForDuplicateRelationshipsInInvocationState: one request may not name the same reference twice. */
export function checkDuplicatesInRequest(inputs: RefInput[]): void {
  const seen = new Set<string>();
  for (const input of inputs) {
    const key = referenceIdentity(input.ref.key, input.refProperties);
    if (seen.has(key)) throw preconditionFailed('Duplicate relationship specified in relationship collection.');
    seen.add(key);
  }
}
