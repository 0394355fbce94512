/**
 * IDM's REST surface for managed (and internal) objects and their relationship endpoints:
 *
 *   managed/<type>                      GET ?_queryFilter (query), POST [?_action=create] (create, generated id)
 *   managed/<type>/<id>                 GET, PUT (If-None-Match: * create; If-Match update; neither: upsert), PATCH, DELETE
 *   managed/<type>/<id>/<relationship>  singleton: GET, POST, PUT, PATCH, DELETE; array: GET ?_queryFilter, POST
 *   managed/<type>/<id>/<array>/<edge>  GET, PUT, PATCH, DELETE of one edge
 *
 * Choices where the documentation is silent (each tested):
 * - a PUT of an object leaves relationship fields absent from the body untouched (IDM persists only the
 *   relationship fields a request carries); `null` or `[]` clears them;
 * - POST to a singleton relationship that is already set is refused with 412, like any create of an existing resource;
 * - `validate` governs the same checks whether the edge is written through the object or its endpoint.
 */
import { badRequest, IdmError, notFound, preconditionFailed } from './errors';
import { parseFields } from './fields';
import type { Graph, Operation, RefInput } from './relationships';
import { cloneJson, header, isRecord, jsonEqual, type JsonRecord } from './json';
import { applyPatch, parsePatch, type PatchOperation } from './patch';
import { readQueryParams, runQuery } from './query';
import { decodeSegment, objectKey, parseRef } from './refs';
import type { SimRelationship, SimType } from './simSchema';
import { newRecord, type Edge, type ObjectRecord } from './store/store';
import type { SimRequest } from './types';
import type { Views } from './views';

export interface RestOutcome {
  status: number;
  /** Whether the request wrote anything (then notifications run before rendering). */
  write: boolean;
  /** Builds the response body; called after notifications so RDVPs are current. */
  render: () => unknown;
}

export class RestHandler {
  constructor(private readonly graph: Graph, private readonly views: Views) {}

  handle(request: SimRequest, op: Operation): RestOutcome {
    if (request.bodyError !== undefined) throw badRequest(request.bodyError);
    const method = request.method.toUpperCase();
    const segments = request.path.replace(/^\/+|\/+$/g, '').split('/').filter((s) => s !== '').map(decodeSegment);
    if (segments.length < 2 || (segments[0] !== 'managed' && segments[0] !== 'internal')) {
      throw notFound(`Resource '${request.path}' not found`);
    }
    const collection = `${segments[0]}/${segments[1]}`;
    const type = this.graph.schema.type(collection);
    if (!type) throw notFound(`Resource '${collection}' not found`);
    const rest = segments.slice(2);
    const query = request.query ?? {};
    if (rest.length === 0) return this.onCollection(method, type, request, op);
    const id = rest[0];
    if (rest.length === 1) return this.onObject(method, type, id, request, op);
    const record = this.graph.store.get(objectKey(collection, id));
    if (!record) throw notFound(`Object ${id} not found in ${collection}`);
    const relationship = type.properties.get(rest[1])?.relationship;
    if (!relationship) throw badRequest(`Sub-objects are not supported: '${rest.slice(1).join('/')}' of ${collection}/${id} is not a relationship field`);
    if (query._action !== undefined) throw badRequest(`Action '${query._action}' is not supported on relationship '${relationship.name}'`);
    if (rest.length === 2) {
      return relationship.many
        ? this.onArrayField(method, record, type, relationship, request, op)
        : this.onSingletonField(method, record, type, relationship, request, op);
    }
    if (rest.length === 3 && relationship.many) return this.onEdge(method, record, type, relationship, rest[2], request, op);
    throw notFound(`Resource '${request.path}' not found`);
  }

  // ---- managed/<type> -------------------------------------------------------------------------

  private onCollection(method: string, type: SimType, request: SimRequest, op: Operation): RestOutcome {
    const query = request.query ?? {};
    const selection = parseFields(query._fields);
    if (method === 'GET') {
      if (query._queryId === 'query-all-ids' && query._queryFilter === undefined) {
        const ids = [...(this.graph.store.collection(type.collection)?.values() ?? [])].map((record) => ({ _id: record.id, _rev: this.graph.ids.format(record.rev) }));
        return read(200, () => envelope(ids));
      }
      const params = readQueryParams(query, type.collection);
      const records = this.graph.store.collection(type.collection)?.values() ?? [];
      return read(200, () => runQuery(records, params, (record) => this.views.objectResolver(record), (record) => this.views.renderObject(record, selection)));
    }
    if (method === 'POST') {
      const action = query._action;
      if (action !== undefined && action !== 'create') throw badRequest(`Action '${action}' is not supported on ${type.collection}`);
      const record = this.createObject(type, this.graph.ids.objectId(), request.body, op);
      return write(201, () => this.views.renderObject(record, selection));
    }
    throw new IdmError(405, `${method} is not supported on the collection ${type.collection}`);
  }

  // ---- managed/<type>/<id> --------------------------------------------------------------------

  private onObject(method: string, type: SimType, id: string, request: SimRequest, op: Operation): RestOutcome {
    const query = request.query ?? {};
    const selection = parseFields(query._fields);
    const key = objectKey(type.collection, id);
    const existing = this.graph.store.get(key);
    const missing = () => notFound(`Object ${id} not found in ${type.collection}`);
    switch (method) {
      case 'GET': {
        if (!existing) throw missing();
        return read(200, () => this.views.renderObject(existing, selection));
      }
      case 'PUT': {
        const ifNoneMatch = header(request.headers, 'If-None-Match');
        const ifMatch = header(request.headers, 'If-Match');
        if (ifNoneMatch !== undefined && unquote(ifNoneMatch) === '*') {
          if (existing) throw preconditionFailed(`The resource with ID '${id}' could not be created because there is already another resource with the same ID`);
          const record = this.createObject(type, id, request.body, op);
          return write(201, () => this.views.renderObject(record, selection));
        }
        if (!existing) {
          if (ifMatch !== undefined) throw missing();
          const record = this.createObject(type, id, request.body, op);
          return write(201, () => this.views.renderObject(record, selection));
        }
        this.checkRevision(existing, ifMatch);
        this.updateObject(type, existing, request.body, op);
        return write(200, () => this.views.renderObject(existing, selection));
      }
      case 'PATCH': {
        if (!existing) throw missing();
        this.checkRevision(existing, header(request.headers, 'If-Match'));
        this.patchObject(type, existing, parsePatch(request.body), op);
        return write(200, () => this.views.renderObject(existing, selection));
      }
      case 'DELETE': {
        if (!existing) throw missing();
        this.checkRevision(existing, header(request.headers, 'If-Match'));
        const body = this.views.renderObject(existing, selection);
        this.graph.deleteObject(op, existing);
        return write(200, () => body);
      }
      case 'POST':
        if (!existing) throw missing();
        throw badRequest(`Action '${query._action ?? ''}' is not supported on ${key}`);
      default:
        throw new IdmError(405, `${method} is not supported on ${key}`);
    }
  }

  private checkRevision(record: ObjectRecord, ifMatch: string | undefined): void {
    if (ifMatch === undefined) return;
    const expected = unquote(ifMatch);
    if (expected === '*') return;
    const current = this.graph.ids.format(record.rev);
    if (expected !== current) {
      throw preconditionFailed(`Update rejected as current Object version '${current}' is different than expected by caller '${expected}', the object has changed since retrieval.`);
    }
  }

  /** Splits an object body into stored fields and relationship values; RDVP values are the server's, not the client's. */
  private splitBody(type: SimType, body: unknown): { fields: JsonRecord; relationships: Array<[SimRelationship, unknown]> } {
    if (!isRecord(body)) throw badRequest('The request body must be a JSON object');
    const fields: JsonRecord = {};
    const relationships: Array<[SimRelationship, unknown]> = [];
    for (const name of Object.keys(body)) {
      if (name === '_id' || name === '_rev') continue;
      const property = type.properties.get(name);
      if (property?.relationship) relationships.push([property.relationship, body[name]]);
      else if (property?.virtual) continue;
      else if (body[name] !== undefined) fields[name] = cloneJson(body[name]);
    }
    return { fields, relationships };
  }

  private createObject(type: SimType, id: string, body: unknown, op: Operation): ObjectRecord {
    if (id === '') throw badRequest('The object id must not be empty');
    const { fields, relationships } = this.splitBody(type, body);
    const record = newRecord(type.collection, id, objectKey(type.collection, id), this.graph.ids.next(), fields);
    this.graph.store.addObject(record);
    const changed = new Set(Object.keys(fields));
    for (const [relationship, value] of relationships) {
      this.graph.setField(op, record, relationship, value);
      changed.add(relationship.name);
    }
    op.written.set(record.key, { record, changedFields: changed });
    return record;
  }

  private updateObject(type: SimType, record: ObjectRecord, body: unknown, op: Operation): void {
    const { fields, relationships } = this.splitBody(type, body);
    this.replaceFields(type, record, fields, op, relationships);
  }

  /** Stores new plain fields (keeping stored RDVP values), sets relationship fields, bumps the revision, records what changed. */
  private replaceFields(type: SimType, record: ObjectRecord, fields: JsonRecord, op: Operation, relationships: Array<[SimRelationship, unknown]>): void {
    const changed = new Set<string>();
    const next: JsonRecord = { ...fields };
    for (const name of Object.keys(record.fields)) {
      if (type.properties.get(name)?.virtual) next[name] = record.fields[name];
      else if (!(name in fields)) changed.add(name);
    }
    for (const name of Object.keys(fields)) {
      if (!jsonEqual(record.fields[name], fields[name])) changed.add(name);
    }
    this.graph.store.setFields(record, next);
    this.graph.store.setRev(record, this.graph.ids.next());
    for (const [relationship, value] of relationships) {
      if (this.graph.setField(op, record, relationship, value)) changed.add(relationship.name);
    }
    const previous = op.written.get(record.key);
    if (previous) for (const name of previous.changedFields) changed.add(name);
    op.written.set(record.key, { record, changedFields: changed });
  }

  private patchObject(type: SimType, record: ObjectRecord, operations: PatchOperation[], op: Operation): void {
    const touched = new Map<string, SimRelationship>();
    for (const operation of operations) {
      for (const pointer of [operation.field, operation.from]) {
        const relationship = pointer && type.properties.get(pointer[0])?.relationship;
        if (relationship) touched.set(relationship.name, relationship);
      }
    }
    const document: JsonRecord = cloneJson(record.fields);
    for (const relationship of touched.values()) {
      const value = this.views.relationshipValue(record, type, relationship, []);
      if (value !== null) document[relationship.name] = value;
    }
    applyPatch(document, operations, {
      // Removing a reference by value matches on `_ref` (and `_refProperties._id` when given).
      matchesRemoval: (field, element, value) => {
        if (!touched.has(field) || !isRecord(element) || !isRecord(value)) return jsonEqual(element, value);
        if (element._ref !== value._ref) return false;
        const id = isRecord(value._refProperties) ? value._refProperties._id : undefined;
        return id === undefined || (isRecord(element._refProperties) && element._refProperties._id === id);
      },
    });
    const fields: JsonRecord = {};
    for (const name of Object.keys(document)) {
      if (name === '_id' || name === '_rev' || touched.has(name)) continue;
      const property = type.properties.get(name);
      if (property?.relationship || property?.virtual) continue;
      fields[name] = document[name];
    }
    const relationships: Array<[SimRelationship, unknown]> = [...touched.values()].map((relationship) => [relationship, document[relationship.name] ?? null]);
    this.replaceFields(type, record, fields, op, relationships);
  }

  // ---- managed/<type>/<id>/<singleton> --------------------------------------------------------

  private onSingletonField(method: string, record: ObjectRecord, type: SimType, relationship: SimRelationship, request: SimRequest, op: Operation): RestOutcome {
    const objectFields = this.views.endpointObjectFields(request.query?._fields);
    const current = this.graph.visibleEdges(record.key, type, relationship.name)[0];
    const item = (edge: Edge) => () => this.views.edgeItem(edge, record.key, relationship.name, objectFields);
    const none = () => notFound(`Relationship '${relationship.name}' of ${record.key} is not set`);
    switch (method) {
      case 'GET':
        if (!current) throw none();
        return read(200, item(current));
      case 'POST': {
        if (current) throw preconditionFailed(`The relationship '${relationship.name}' of managed object '${record.key}' already exists; use PUT to replace it`);
        const edge = this.graph.createEdge(op, record, relationship, this.graph.readRef(request.body, relationship.name));
        return write(201, item(edge));
      }
      case 'PUT': {
        if (!current) {
          if (header(request.headers, 'If-Match') !== undefined && unquote(header(request.headers, 'If-Match')!) !== '*') throw none();
          const edge = this.graph.createEdge(op, record, relationship, this.graph.readRef(request.body, relationship.name));
          return write(201, item(edge));
        }
        this.checkEdgeRevision(current, header(request.headers, 'If-Match'));
        const edge = this.graph.updateEdge(op, record, relationship, current, this.edgeInput(request.body, current, record, relationship));
        return write(200, item(edge));
      }
      case 'PATCH': {
        if (!current) throw none();
        this.checkEdgeRevision(current, header(request.headers, 'If-Match'));
        const edge = this.patchEdge(op, record, relationship, current, parsePatch(request.body));
        return write(200, item(edge));
      }
      case 'DELETE': {
        if (!current) throw none();
        this.checkEdgeRevision(current, header(request.headers, 'If-Match'));
        const body = this.views.edgeItem(current, record.key, relationship.name, objectFields);
        for (const edge of this.graph.visibleEdges(record.key, type, relationship.name)) this.graph.deleteEdge(op, edge, record.key, relationship.name, 'request');
        return write(200, () => body);
      }
      default:
        throw new IdmError(405, `${method} is not supported on ${record.key}/${relationship.name}`);
    }
  }

  // ---- managed/<type>/<id>/<array> ------------------------------------------------------------

  private onArrayField(method: string, record: ObjectRecord, type: SimType, relationship: SimRelationship, request: SimRequest, op: Operation): RestOutcome {
    const objectFields = this.views.endpointObjectFields(request.query?._fields);
    switch (method) {
      case 'GET': {
        const params = readQueryParams(request.query ?? {}, `${record.key}/${relationship.name}`);
        const edges = this.graph.visibleEdges(record.key, type, relationship.name);
        return read(200, () => runQuery(
          edges, params,
          (edge) => this.views.edgeResolver(edge, record.key, relationship.name),
          (edge) => this.views.edgeItem(edge, record.key, relationship.name, objectFields),
        ));
      }
      case 'POST': {
        if (request.query?._action !== undefined && request.query._action !== 'create') throw badRequest(`Action '${request.query._action}' is not supported`);
        const edge = this.graph.createEdge(op, record, relationship, this.graph.readRef(request.body, relationship.name));
        return write(201, () => this.views.edgeItem(edge, record.key, relationship.name, objectFields));
      }
      default:
        throw new IdmError(405, `${method} is not supported on the relationship collection ${record.key}/${relationship.name}; name one edge: ${record.key}/${relationship.name}/<edge id>`);
    }
  }

  // ---- managed/<type>/<id>/<array>/<edge id> --------------------------------------------------

  private onEdge(method: string, record: ObjectRecord, type: SimType, relationship: SimRelationship, edgeId: string, request: SimRequest, op: Operation): RestOutcome {
    const objectFields = this.views.endpointObjectFields(request.query?._fields);
    const seq = this.graph.ids.parse(edgeId);
    const candidate = seq === undefined ? undefined : this.graph.store.edgeAt(record.key, relationship.name, seq);
    const edge = candidate && this.graph.isVisibleAt(candidate, record.key, relationship.name, type) ? candidate : undefined;
    if (!edge) throw notFound(`Relationship ${edgeId} not found in ${record.key}/${relationship.name}`);
    const item = () => this.views.edgeItem(edge, record.key, relationship.name, objectFields);
    const ifMatch = header(request.headers, 'If-Match');
    switch (method) {
      case 'GET':
        return read(200, item);
      case 'PUT':
        this.checkEdgeRevision(edge, ifMatch);
        this.graph.updateEdge(op, record, relationship, edge, this.edgeInput(request.body, edge, record, relationship));
        return write(200, item);
      case 'PATCH':
        this.checkEdgeRevision(edge, ifMatch);
        this.patchEdge(op, record, relationship, edge, parsePatch(request.body));
        return write(200, item);
      case 'DELETE': {
        this.checkEdgeRevision(edge, ifMatch);
        const body = item();
        this.graph.deleteEdge(op, edge, record.key, relationship.name, 'request');
        return write(200, () => body);
      }
      default:
        throw new IdmError(405, `${method} is not supported on ${record.key}/${relationship.name}/${edgeId}`);
    }
  }

  private checkEdgeRevision(edge: Edge, ifMatch: string | undefined): void {
    if (ifMatch === undefined) return;
    const expected = unquote(ifMatch);
    const current = this.graph.ids.format(this.graph.edges.rev(edge));
    if (expected !== '*' && expected !== current) {
      throw preconditionFailed(`Update rejected as current Object version '${current}' is different than expected by caller '${expected}', the object has changed since retrieval.`);
    }
  }

  /** A PUT body for an existing edge: a missing `_ref` keeps the current reference. */
  private edgeInput(body: unknown, edge: Edge, record: ObjectRecord, relationship: SimRelationship): RefInput {
    if (isRecord(body) && body._ref === undefined && body._refResourceCollection === undefined) {
      const currentRef = this.graph.otherEnd(edge, record.key, relationship.name).key;
      return this.graph.readRef({ ...body, _ref: currentRef }, relationship.name);
    }
    return this.graph.readRef(body, relationship.name);
  }

  private patchEdge(op: Operation, record: ObjectRecord, relationship: SimRelationship, edge: Edge, operations: PatchOperation[]): Edge {
    const document = this.graph.refView(edge, record.key, relationship.name);
    applyPatch(document, operations);
    if (typeof document._ref === 'string' && document._ref !== this.graph.otherEnd(edge, record.key, relationship.name).key) {
      // A patched `_ref` wins over the derived collection and id fields.
      const ref = parseRef(document._ref);
      if (ref) { document._refResourceCollection = ref.collection; document._refResourceId = ref.id; }
    }
    return this.graph.updateEdge(op, record, relationship, edge, this.graph.readRef(document, relationship.name));
  }
}

function read(status: number, render: () => unknown): RestOutcome {
  return { status, write: false, render };
}

function write(status: number, render: () => unknown): RestOutcome {
  return { status, write: true, render };
}

function envelope(result: unknown[]): JsonRecord {
  return { result, resultCount: result.length, pagedResultsCookie: null, totalPagedResultsPolicy: 'NONE', totalPagedResults: -1, remainingPagedResults: -1 };
}

function unquote(value: string): string {
  const trimmed = value.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
}

