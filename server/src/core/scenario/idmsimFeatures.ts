/**
 * Editor features for `*.idmsim` scenario files, as pure functions over text, offsets and a Schema:
 * diagnostics (the parser's problems plus checks against the schema) and completions.
 * The LSP glue converts offsets to positions and these kinds to LSP kinds.
 */
import { getLocation, type JSONPath } from 'jsonc-parser';
import type { OffsetRange } from '../diagnostics/finding';
import { asArray, asObject, getValueNode, stringValue, type JsonNode } from '../json/ast';
import { BUILTIN_INTERNAL_OBJECTS } from '../model/internalObjects';
import type { Schema } from '../model/schema';
import type { ObjectType } from '../model/types';
import { sourceRange, textIndexAt } from './mappedText';
import { allScenarioErrors, parseScenario, SIM_METHODS, type Scenario, type ScenarioErrorCode, type ScenarioRequest } from './scenario';

// ---------------------------------------------------------------------------------------------------
// Diagnostics

export type IdmsimSchemaCode =
  | 'idmsim-unknown-collection'
  | 'idmsim-unknown-field'
  | 'idmsim-not-relationship'
  | 'idmsim-bad-method'
  | 'idmsim-unknown-ref-collection';

export type IdmsimDiagnosticCode = IdmsimSchemaCode | ScenarioErrorCode;

export interface IdmsimDiagnostic {
  code: IdmsimDiagnosticCode;
  severity: 'error' | 'warning';
  message: string;
  range: OffsetRange;
}

/**
 * Severities of the schema checks. A scenario may mean to exercise a failure (a 404 on purpose), so
 * what the simulator will merely refuse is a warning; a method it cannot run at all is an error.
 */
const SEVERITY: Record<IdmsimSchemaCode, 'error' | 'warning'> = {
  'idmsim-bad-method': 'error',
  'idmsim-unknown-collection': 'warning',
  'idmsim-unknown-field': 'warning',
  'idmsim-not-relationship': 'warning',
  'idmsim-unknown-ref-collection': 'warning',
};

/**
 * Managed object types the configuration defines in files the schema does not hold (an open large file the language
 * server has not parsed): none is reported unknown. `unknown`: those files' types are not known, so no managed type
 * is reported unknown (a finding the user could not trust is worse than one missed).
 */
export type DefinedElsewhere = ReadonlySet<string> | 'unknown';

/** Problems in a scenario. Without a schema only the ones that need none are reported. */
export function scenarioDiagnostics(input: string | Scenario, schema: Schema | undefined, elsewhere: DefinedElsewhere = new Set()): IdmsimDiagnostic[] {
  const scenario = typeof input === 'string' ? parseScenario(input) : input;
  const diagnostics: IdmsimDiagnostic[] = allScenarioErrors(scenario).map((e) => ({ ...e }));
  const add = (code: IdmsimSchemaCode, range: OffsetRange, message: string) => diagnostics.push({ code, severity: SEVERITY[code], range, message });

  for (const request of scenario.requests) {
    const method = request.request.method;
    if (!(SIM_METHODS as readonly string[]).includes(method)) {
      add('idmsim-bad-method', request.methodRange, `Unknown method \`${method}\`: IDM's REST API takes ${SIM_METHODS.join(', ')}`);
    }
    if (!schema) continue;
    checkPath(request, schema, elsewhere, add);
    checkBodyRefs(request, schema, elsewhere, add);
  }
  return diagnostics.sort((a, b) => a.range.start - b.range.start);
}

type AddDiagnostic = (code: IdmsimSchemaCode, range: OffsetRange, message: string) => void;

function isDefinedElsewhere(elsewhere: DefinedElsewhere, name: string): boolean {
  return elsewhere === 'unknown' || elsewhere.has(name);
}

function checkPath(request: ScenarioRequest, schema: Schema, elsewhere: DefinedElsewhere, add: AddDiagnostic): void {
  const segments = request.pathSegments;
  if (segments.length < 2) return;
  const collection = collectionOf(schema, segments[0].value, segments[1].value);
  if (segments[0].value === 'managed' && !collection && !isDefinedElsewhere(elsewhere, segments[1].value)) {
    add('idmsim-unknown-collection', { start: segments[0].range.start, end: segments[1].range.end },
      `\`managed/${segments[1].value}\` is not an object type of this config`);
    return;
  }
  if (!collection || segments.length < 4) return;
  const field = segments[3];
  const fields = fieldsOf(collection);
  const relationship = relationshipsOf(collection).find((r) => r.name === field.value);
  if (relationship) return;
  if (fields.includes(field.value)) {
    add('idmsim-not-relationship', field.range,
      `\`${field.value}\` is a property of \`${collection.path}\` but not a relationship: it has no endpoint of its own`);
  } else {
    add('idmsim-unknown-field', field.range, `\`${collection.path}\` has no relationship \`${field.value}\``);
  }
}

function checkBodyRefs(request: ScenarioRequest, schema: Schema, elsewhere: DefinedElsewhere, add: AddDiagnostic): void {
  const body = request.bodySource;
  if (!request.bodyJson || !body) return;
  const stack: JsonNode[] = [request.bodyJson];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === 'array') stack.push(...node.items);
    if (node.type !== 'object') continue;
    for (const property of node.properties) {
      if (!property.value) continue;
      if (property.key === '_ref' && property.value.type === 'string') {
        const [root, name] = property.value.value.split('/');
        if (root === 'managed' && name !== undefined && !schema.getObject(name) && !isDefinedElsewhere(elsewhere, name)) {
          add('idmsim-unknown-ref-collection', sourceRange(body, property.value.offset, property.value.end),
            `\`_ref\` points into \`managed/${name}\`, which is not an object type of this config`);
        }
      } else stack.push(property.value);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// What the schema says about a collection

interface Collection {
  /** `managed/user`, `internal/role`. */
  path: string;
  managed?: ObjectType;
  internal?: 'role' | 'user';
  overlay?: ObjectType;
}

interface RelationshipInfo {
  name: string;
  cardinality: 'one' | 'many';
  /** `managed/role`, `internal/role`, ... */
  targets: string[];
}

function collectionOf(schema: Schema | undefined, root: string, name: string): Collection | undefined {
  if (root === 'managed') {
    const managed = schema?.getObject(name);
    return managed ? { path: `managed/${name}`, managed } : undefined;
  }
  if (root === 'internal' && (name === 'role' || name === 'user')) {
    return { path: `internal/${name}`, internal: name, overlay: schema?.internal.get(name)?.[0] };
  }
  return undefined;
}

function fieldsOf(collection: Collection): string[] {
  if (collection.managed) return collection.managed.properties.map((p) => p.name);
  const builtin = BUILTIN_INTERNAL_OBJECTS[collection.internal!];
  return [...builtin.fields, ...Object.keys(builtin.relationships), ...(collection.overlay?.properties.map((p) => p.name) ?? [])];
}

/** IDM's defaults for the internal relationships when internal.json does not overlay them. */
const INTERNAL_DEFAULT_TARGETS: Record<string, string[]> = {
  'role.authzMembers': ['managed/user', 'internal/user'],
  'user.authzRoles': ['internal/role'],
};

function relationshipsOf(collection: Collection): RelationshipInfo[] {
  const fromDefs = (object: ObjectType) => object.relationships.map((r) => ({
    name: r.property.name,
    cardinality: r.cardinality,
    targets: (r.resourceCollection?.entries ?? []).flatMap((e) => (e.path ? [e.path === 'repo/internal/role' ? 'internal/role' : e.path] : [])),
  }));
  if (collection.managed) return fromDefs(collection.managed);
  const name = collection.internal!;
  const overlay = collection.overlay ? fromDefs(collection.overlay) : [];
  const builtin = Object.entries(BUILTIN_INTERNAL_OBJECTS[name].relationships)
    .filter(([field]) => !overlay.some((o) => o.name === field))
    .map(([field, info]) => ({ name: field, cardinality: info.cardinality, targets: INTERNAL_DEFAULT_TARGETS[`${name}.${field}`] ?? [] }));
  return [...overlay, ...builtin];
}

// ---------------------------------------------------------------------------------------------------
// Completions

export type IdmsimCompletionKind =
  | 'method'
  | 'collection'
  | 'id'
  | 'relationship'
  | 'query-parameter'
  | 'header'
  | 'header-value'
  | 'property'
  | 'reference'
  | 'value';

export interface IdmsimCompletion {
  label: string;
  kind: IdmsimCompletionKind;
  /** Text to insert over `range`; the label when absent. */
  insertText?: string;
  detail?: string;
  /** The text the completion replaces. */
  range: OffsetRange;
}

export const QUERY_PARAMETERS: Array<{ name: string; detail: string }> = [
  { name: '_queryFilter', detail: 'Filter expression (`true` for everything); required when querying a collection' },
  { name: '_fields', detail: 'Comma-separated fields to return; relationship fields must be asked for' },
  { name: '_pageSize', detail: 'Number of results per page' },
  { name: '_pagedResultsCookie', detail: 'Cookie from the previous page' },
  { name: '_pagedResultsOffset', detail: 'Index of the first result to return' },
  { name: '_sortKeys', detail: 'Comma-separated fields to sort on; `-field` for descending' },
  { name: '_action', detail: 'Action to perform (`create`, `patch`, ...)' },
];

export const HEADERS: Array<{ name: string; detail: string; values: string[] }> = [
  { name: 'Content-Type', detail: 'Body format', values: ['application/json'] },
  { name: 'Accept', detail: 'Response format', values: ['application/json'] },
  { name: 'Accept-API-Version', detail: 'CREST resource version', values: ['resource=1.0', 'resource=2.0'] },
  { name: 'If-Match', detail: 'Update only this revision (`*`: any)', values: ['*'] },
  { name: 'If-None-Match', detail: '`*`: create only, fail when the object exists', values: ['*'] },
  { name: 'X-OpenIDM-Username', detail: 'Self-managed IDM user name', values: ['openidm-admin'] },
  { name: 'X-OpenIDM-Password', detail: 'Self-managed IDM password', values: ['openidm-admin'] },
  { name: 'Authorization', detail: 'PingOne AIC access token', values: ['Bearer <access-token>'] },
];

const PATCH_OPERATIONS = ['add', 'remove', 'replace', 'increment', 'move', 'copy', 'transform'];

/** Completions at `offset` in a scenario's text. */
export function scenarioCompletions(text: string, offset: number, schema: Schema | undefined, parsed?: Scenario): IdmsimCompletion[] {
  const scenario = parsed ?? parseScenario(text);
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const linePrefix = text.slice(lineStart, offset);
  const request = requestAt(scenario, offset);
  const ids = knownIds(scenario, request ? request.range.start : offset);
  const context: Context = { text, offset, schema, ids, request };

  if (request?.bodySource && request.bodyRange && offset >= request.bodyRange.start && offset <= request.bodyRange.end) {
    const inside = bodyCompletions(context, request);
    if (inside) return inside;
  }
  if (request?.style === 'curl' || /^[ \t]*(?:\$[ \t]+)?curl\b/.test(linePrefix)) {
    const header = /(?:-H|--header)[ \t]+["']?([\w-]*)$/.exec(linePrefix);
    if (header) return headerNames({ start: offset - header[1].length, end: offset });
    const url = /["']?((?:https?:\/\/|\{\{|\/|managed\/|internal\/)[^"'\s]*)$/.exec(linePrefix);
    if (url && (request?.style === 'curl' || /curl\b/.test(linePrefix))) return urlCompletions(context, url[1], offset - url[1].length);
    return [];
  }

  const inHeaders = request?.style === 'http' && request.headerBlock
    && lineStart >= request.headerBlock.start && lineStart <= request.headerBlock.end && lineStart > request.methodRange.start;
  if (inHeaders) {
    const value = /^[ \t]*([\w-]+)[ \t]*:[ \t]*(.*)$/.exec(linePrefix);
    if (value) return headerValues(value[1], { start: offset - value[2].length, end: offset });
    const name = /^[ \t]*([\w-]*)$/.exec(linePrefix);
    if (!name) return [];
    const range = { start: offset - name[1].length, end: offset };
    // Right under a request line without headers, the next request may start just as well.
    const firstLine = request.headerList.length === 0 && lineStart === request.headerBlock!.start;
    return firstLine ? [...headerNames(range), ...methodItems(range)] : headerNames(range);
  }
  const continuation = /^[ \t]+([?&][^\s]*)$/.exec(linePrefix);
  if (continuation && request?.style === 'http') return urlCompletions(context, continuation[1], offset - continuation[1].length, true);

  const word = /^[ \t]*([A-Za-z]*)$/.exec(linePrefix);
  if (word) return methodItems({ start: offset - word[1].length, end: offset });
  const requestLine = /^[ \t]*([A-Za-z]+)[ \t]+(\S*)$/.exec(linePrefix);
  if (requestLine && (SIM_METHODS as readonly string[]).includes(requestLine[1].toUpperCase())) {
    return urlCompletions(context, requestLine[2], offset - requestLine[2].length);
  }
  return [];
}

interface Context {
  text: string;
  offset: number;
  schema: Schema | undefined;
  /** Ids created earlier in the file, by collection path. */
  ids: Map<string, string[]>;
  request: ScenarioRequest | undefined;
}

/** The request whose text holds `offset` (a request's end is inclusive, for typing at its end). */
function requestAt(scenario: Scenario, offset: number): ScenarioRequest | undefined {
  let found: ScenarioRequest | undefined;
  for (const request of scenario.requests) {
    if (request.range.start > offset) break;
    const end = Math.max(request.range.end, request.headerBlock?.end ?? 0);
    if (offset <= end) found = request;
  }
  return found;
}

/** Ids created by requests before `before`: `PUT managed/x/<id>`, and `_id` in bodies POSTed to a collection. */
export function knownIds(scenario: Scenario, before: number): Map<string, string[]> {
  const ids = new Map<string, string[]>();
  const add = (collection: string, id: string) => {
    const list = ids.get(collection) ?? [];
    if (!list.includes(id)) list.push(id);
    ids.set(collection, list);
  };
  for (const request of scenario.requests) {
    if (request.range.start >= before) break;
    const segments = request.pathSegments.map((s) => s.value);
    const { method, body, query } = request.request;
    if (method === 'PUT' && segments.length === 3) add(`${segments[0]}/${segments[1]}`, segments[2]);
    if (method === 'POST' && segments.length === 2 && (query._action === undefined || query._action === 'create')) {
      const id = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>)._id : undefined;
      if (typeof id === 'string') add(`${segments[0]}/${segments[1]}`, id);
    }
  }
  return ids;
}

function collectionPaths(schema: Schema | undefined): Array<{ path: string; detail: string }> {
  const managed = (schema?.objectTypes ?? []).map((o) => ({ path: `managed/${o.name}`, detail: o.title ?? 'Managed object' }));
  return [...managed, { path: 'internal/role', detail: 'Internal role' }, { path: 'internal/user', detail: 'Internal user' }];
}

function urlCompletions(context: Context, partial: string, partialStart: number, queryOnly = false): IdmsimCompletion[] {
  const { offset, schema } = context;
  const question = partial.indexOf('?');
  let pathPart = question >= 0 ? partial.slice(0, question) : partial;
  if (queryOnly) pathPart = context.request?.request.path ?? '';
  if (question >= 0 || queryOnly) {
    const queryStart = queryOnly ? 0 : question;
    const query = partial.slice(queryStart);
    const separator = Math.max(query.lastIndexOf('&'), query.lastIndexOf('?'));
    const current = query.slice(separator + 1);
    const equals = current.indexOf('=');
    if (equals < 0) {
      const range = { start: offset - current.length, end: offset };
      return QUERY_PARAMETERS.map((p) => ({ label: p.name, kind: 'query-parameter' as const, insertText: `${p.name}=`, detail: p.detail, range }));
    }
    const name = current.slice(0, equals);
    const value = current.slice(equals + 1);
    const segments = stripHostAndPrefix(pathPart).split('/').filter(Boolean);
    const collection = segments.length >= 2 ? collectionOf(schema, segments[0], segments[1]) : undefined;
    if (name === '_fields' && collection) {
      // After `managed/x/<id>/<relationship>`, the fields are the target's; keep it simple: the type's own.
      const item = value.slice(value.lastIndexOf(',') + 1);
      const range = { start: offset - item.length, end: offset };
      return fieldsOf(collection).map((field) => ({ label: field, kind: 'property' as const, range }));
    }
    if (name === '_action') {
      const range = { start: offset - value.length, end: offset };
      return ['create', 'patch'].map((action) => ({ label: action, kind: 'value' as const, range }));
    }
    return [];
  }

  const prefixLength = partial.length - stripHostAndPrefix(partial).length;
  const path = partial.slice(prefixLength);
  const pathStart = partialStart + prefixLength;
  const segments = path.split('/');
  const typed = segments.pop()!;
  const done = segments;
  const segmentRange = { start: offset - typed.length, end: offset };

  if (done.length === 0 || (done.length === 1 && (done[0] === 'managed' || done[0] === 'internal'))) {
    const range = { start: pathStart, end: offset };
    return collectionPaths(schema).map((c) => ({ label: c.path, kind: 'collection' as const, detail: c.detail, range }));
  }
  const collection = collectionOf(schema, done[0], done[1]);
  const collectionPath = `${done[0]}/${done[1]}`;
  if (done.length === 2) {
    return (context.ids.get(collectionPath) ?? []).map((id) => ({
      label: id, kind: 'id' as const, detail: `${collectionPath}/${id}, created earlier in this file`, range: segmentRange,
    }));
  }
  if (done.length === 3 && collection) {
    return relationshipsOf(collection).map((r) => ({
      label: r.name,
      kind: 'relationship' as const,
      detail: `${r.cardinality === 'many' ? 'many' : 'one'} → ${r.targets.join(', ') || 'any'}`,
      range: segmentRange,
    }));
  }
  return [];
}

function stripHostAndPrefix(url: string): string {
  return url.replace(/^(?:[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/]*|\{\{[^}]*\}\})/, '').replace(/^\/+/, '').replace(/^openidm(?:\/|$)/, '');
}

function methodItems(range: OffsetRange): IdmsimCompletion[] {
  return SIM_METHODS.map((method) => ({ label: method, kind: 'method' as const, insertText: `${method} `, range }));
}

function headerNames(range: OffsetRange): IdmsimCompletion[] {
  return HEADERS.map((h) => ({ label: h.name, kind: 'header' as const, insertText: `${h.name}: `, detail: h.detail, range }));
}

function headerValues(name: string, range: OffsetRange): IdmsimCompletion[] {
  const header = HEADERS.find((h) => h.name.toLowerCase() === name.toLowerCase());
  return (header?.values ?? []).map((value) => ({ label: value, kind: 'header-value' as const, range }));
}

// ---------------------------------------------------------------------------------------------------
// JSON bodies

type BodyShape =
  | { kind: 'object'; collection: Collection }
  | { kind: 'patch'; collection: Collection }
  | { kind: 'reference'; relationship: RelationshipInfo };

function bodyShape(schema: Schema | undefined, request: ScenarioRequest): BodyShape | undefined {
  const segments = request.pathSegments.map((s) => s.value);
  if (segments.length < 2) return undefined;
  const collection = collectionOf(schema, segments[0], segments[1]);
  if (!collection) return undefined;
  if (segments.length >= 4) {
    const relationship = relationshipsOf(collection).find((r) => r.name === segments[3]);
    return relationship ? { kind: 'reference', relationship } : undefined;
  }
  const { method, query } = request.request;
  if (method === 'PATCH' || query._action === 'patch') return { kind: 'patch', collection };
  return { kind: 'object', collection };
}

/** Completions inside a JSON body; undefined when the cursor is not inside the body's JSON value. */
function bodyCompletions(context: Context, request: ScenarioRequest): IdmsimCompletion[] | undefined {
  const body = request.bodySource!;
  const index = textIndexAt(body, context.offset);
  const root = request.bodyJson;
  const trimmed = body.text.trimStart();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
  if (root && (index < root.offset || index > root.end)) return undefined;
  const shape = bodyShape(context.schema, request);
  if (!shape) return [];
  const location = getLocation(body.text, index);
  const path = location.path;
  const previous = location.previousNode;

  /** The range to replace: the string or word under the cursor, mapped to the file. */
  const replaced = (): { range: OffsetRange; quoted: boolean } => {
    if (previous && (previous.type === 'string' || previous.type === 'property') && index >= previous.offset && index <= previous.offset + previous.length) {
      return { range: sourceRange(body, previous.offset, previous.offset + previous.length), quoted: true };
    }
    const word = /[\w$-]*$/.exec(body.text.slice(0, index))![0];
    return { range: sourceRange(body, index - word.length, index), quoted: false };
  };
  const keyItems = (names: Array<{ name: string; detail?: string }>, existing: Set<string>): IdmsimCompletion[] => {
    const { range } = replaced();
    const after = body.text.slice(Math.min(body.text.length, index + (previous && previous.offset + previous.length > index ? previous.offset + previous.length - index : 0)));
    const needsColon = !/^\s*:/.test(after);
    const seen = new Set(existing);
    return names
      .filter((n) => !seen.has(n.name) && seen.add(n.name) !== undefined)
      .map((n) => ({ label: n.name, kind: 'property' as const, insertText: `"${n.name}"${needsColon ? ': ' : ''}`, detail: n.detail, range }));
  };
  const valueItems = (values: Array<{ label: string; text: string; kind: IdmsimCompletionKind; detail?: string }>): IdmsimCompletion[] => {
    const { range } = replaced();
    return values.map((v) => ({ label: v.label, kind: v.kind, insertText: v.text, detail: v.detail, range }));
  };
  const refValues = (relationship: RelationshipInfo) => valueItems(referenceTargets(context, relationship).map((ref) => ({
    label: ref, text: JSON.stringify(ref), kind: 'reference' as const, detail: `${relationship.name} → ${ref}`,
  })));
  const referenceKeys = (existing: Set<string>) => keyItems([
    { name: '_ref', detail: 'Path of the referenced object: managed/<type>/<id>' },
    { name: '_refProperties', detail: 'Properties stored on the relationship itself' },
  ], existing);
  const referenceSnippets = (relationship: RelationshipInfo) => valueItems(referenceTargets(context, relationship)
    .filter((ref) => !ref.endsWith('/'))
    .map((ref) => {
      const one = `{ "_ref": ${JSON.stringify(ref)} }`;
      return { label: relationship.cardinality === 'many' ? `[ ${one} ]` : one, text: relationship.cardinality === 'many' ? `[ ${one} ]` : one, kind: 'reference' as const };
    }));

  const existingKeys = (containerPath: JSONPath): Set<string> => {
    const container = nodeAtPath(root, containerPath);
    return new Set(container?.type === 'object' ? container.properties.map((p) => p.key) : []);
  };

  if (shape.kind === 'reference') {
    if (location.isAtPropertyKey && path.length === 1) return referenceKeys(existingKeys([]));
    if (!location.isAtPropertyKey && path.length === 1 && path[0] === '_ref') return refValues(shape.relationship);
    return [];
  }

  if (shape.kind === 'patch') {
    // [ { "operation": "add", "field": "/roles/-", "value": { "_ref": ... } } ]
    if (typeof path[0] !== 'number') return [];
    if (location.isAtPropertyKey && path.length === 2) {
      return keyItems(['operation', 'field', 'value', 'from'].map((name) => ({ name })), existingKeys(path.slice(0, 1)));
    }
    if (location.isAtPropertyKey) return [];
    if (path.length === 2 && path[1] === 'operation') {
      return valueItems(PATCH_OPERATIONS.map((op) => ({ label: op, text: JSON.stringify(op), kind: 'value' as const })));
    }
    if (path.length === 2 && (path[1] === 'field' || path[1] === 'from')) {
      const relationships = relationshipsOf(shape.collection);
      const fields = fieldsOf(shape.collection).flatMap((f) => {
        const many = relationships.find((r) => r.name === f && r.cardinality === 'many');
        return many ? [`/${f}`, `/${f}/-`] : [`/${f}`];
      });
      return valueItems(fields.map((f) => ({ label: f, text: JSON.stringify(f), kind: 'value' as const })));
    }
    const operation = nodeAtPath(root, path.slice(0, 1));
    const field = stringValue(getValueNode(operation, 'field'))?.split('/').filter(Boolean)[0];
    const relationship = field ? relationshipsOf(shape.collection).find((r) => r.name === field) : undefined;
    if (!relationship || path[1] !== 'value') return [];
    const rest = path.slice(2).filter((p) => typeof p !== 'number');
    if (rest.length === 0) return referenceSnippets(relationship);
    if (rest.length === 1 && rest[0] === '_ref') return refValues(relationship);
    return [];
  }

  // An object body (create / replace): its properties, and references inside relationship fields.
  const relationships = relationshipsOf(shape.collection);
  if (location.isAtPropertyKey && path.length === 1) {
    const properties = shape.collection.managed?.properties ?? [];
    const names = [{ name: '_id', detail: 'Object id' }, ...fieldsOf(shape.collection).map((name) => {
      const relationship = relationships.find((r) => r.name === name);
      const definition = properties.find((p) => p.name === name);
      const type = Array.isArray(definition?.type) ? definition?.type.join('|') : definition?.type;
      return { name, detail: relationship ? `relationship (${relationship.cardinality}) → ${relationship.targets.join(', ')}` : type };
    })];
    return keyItems(names, existingKeys([]));
  }
  const relationship = typeof path[0] === 'string' ? relationships.find((r) => r.name === path[0]) : undefined;
  if (!relationship) return [];
  const rest = path.slice(1).filter((p) => typeof p !== 'number');
  if (location.isAtPropertyKey && rest.length === 1) return referenceKeys(existingKeys(path.slice(0, -1)));
  if (location.isAtPropertyKey) return [];
  if (path.length === 1) return referenceSnippets(relationship);
  if (rest.length === 1 && rest[0] === '_ref') return refValues(relationship);
  return [];
}

/** `managed/<target>/<id>` for every id known in each target collection; the bare collection when none is. */
function referenceTargets(context: Context, relationship: RelationshipInfo): string[] {
  const refs: string[] = [];
  for (const target of relationship.targets) {
    const ids = context.ids.get(target) ?? [];
    for (const id of ids) refs.push(`${target}/${id}`);
    if (ids.length === 0) refs.push(`${target}/`);
  }
  return refs;
}

function nodeAtPath(root: JsonNode | undefined, path: JSONPath): JsonNode | undefined {
  let node = root;
  for (const segment of path) {
    if (!node) return undefined;
    if (typeof segment === 'number') node = asArray(node)?.items[segment];
    else node = getValueNode(asObject(node), segment);
  }
  return node;
}

