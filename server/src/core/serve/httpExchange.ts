/**
 * The simulator over HTTP, without the HTTP: turns a request as an HTTP server receives it (method, the URL's path
 * and query, headers, the body's text) into the simulator's `SimRequest`, and the simulator's `SimResponse` into what
 * the server sends back (status, headers, JSON body). `idm-rel serve` (`node/serve/`) is the socket side of it; the
 * REST semantics stay in `rest.ts`, the one implementation.
 *
 * What IDM's REST API does at this level, from the PingIDM 8 docs (REST API reference and the Common REST pages under
 * https://docs.pingidentity.com/pingidm/8/crest/):
 * - resources live under `/openidm/` (every curl example of the docs: `http://localhost:8080/openidm/managed/user`);
 * - a resource's revision is also its `ETag` header, and `If-Match` / `If-None-Match: *` carry it back
 *   (Common REST, "Resource versions");
 * - errors are JSON `{"code": 404, "reason": "Not Found", "message": "..."}` (Common REST, "Errors").
 *
 * The credentials real clients send (`X-OpenIDM-Username`/`X-OpenIDM-Password`, `Authorization: Bearer`) and
 * `Accept-API-Version` are passed through as headers and never checked.
 */
import { reasonPhrase, type IdmErrorBody } from '../simulator/errors';
import { isRecord } from '../simulator/json';
import type { SimRequest, SimResponse } from '../simulator/types';
import { readUrl } from '../scenario/scenario';
import { contiguousText } from '../scenario/mappedText';

/** The bodies the server accepts, in bytes, unless told otherwise. */
export const DEFAULT_BODY_LIMIT = 10 * 1024 * 1024;

/** The methods the simulator answers; anything else is 501. */
const SIMULATED_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
/** The first path segments below `/openidm/` the simulator answers. */
const SIMULATED_ROOTS = new Set(['managed', 'internal']);
/** `_action`s the simulator knows: `create` on a collection or a relationship array (`rest.ts`). */
const SIMULATED_ACTIONS = new Set(['create']);

export interface HttpRequestIn {
  method: string;
  /** The request target as received: `/openidm/managed/user/psmith?_fields=manager`. */
  url: string;
  /** Header names as received (Node gives them lower-cased); repeated headers joined or listed. */
  headers: Record<string, string | string[] | undefined>;
  /** The body's text; '' when there is none. */
  bodyText: string;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  /** The JSON body; undefined for none. */
  body: unknown;
}

export const JSON_CONTENT_TYPE = 'application/json;charset=utf-8';

/** An IDM-shaped error answer (Common REST: `{"code", "reason", "message"}`). */
export function idmErrorAnswer(status: number, message: string): HttpAnswer {
  const body: IdmErrorBody = { code: status, reason: reasonPhrase(status), message };
  return { status, headers: { 'Content-Type': JSON_CONTENT_TYPE }, body };
}

/**
 * The simulator request an HTTP request means, or the answer to give without asking the simulator: 404 outside
 * `/openidm/`, 501 for what the simulator does not implement (other endpoints, methods, actions), 400 for a URL
 * that cannot be decoded. A malformed JSON body becomes the request's `bodyError`, which the engine answers 400.
 */
export function toSimRequest(input: HttpRequestIn): { request: SimRequest } | { answer: HttpAnswer } {
  const method = input.method.toUpperCase();
  const target = input.url.startsWith('/') ? input.url : `/${input.url}`;
  const pathPart = target.split(/[?#]/, 1)[0];
  if (pathPart !== '/openidm' && !pathPart.startsWith('/openidm/')) {
    return { answer: idmErrorAnswer(404, `Resource '${pathPart}' not found: IDM's REST API lives under /openidm/`) };
  }
  const url = readUrl(contiguousText(target, 0, target.length));
  if (url.errors.length) return { answer: idmErrorAnswer(400, url.errors[0].message.replace(/`/g, "'")) };
  const root = url.path.split('/', 1)[0];
  if (!SIMULATED_ROOTS.has(root)) {
    return { answer: idmErrorAnswer(501, `The relationship simulator answers managed/ and internal/ objects only, not '${url.path}'`) };
  }
  if (!SIMULATED_METHODS.has(method)) {
    return { answer: idmErrorAnswer(501, `The relationship simulator does not implement ${method} (it answers GET, POST, PUT, PATCH and DELETE)`) };
  }
  const action = url.query._action;
  if (action !== undefined && !SIMULATED_ACTIONS.has(action)) {
    return { answer: idmErrorAnswer(501, `The relationship simulator does not implement the action '${action}' (it knows ${[...SIMULATED_ACTIONS].join(', ')})`) };
  }
  const request: SimRequest = { method, path: url.path, query: url.query, headers: flattenHeaders(input.headers) };
  if (input.bodyText.trim() !== '') {
    try {
      request.body = JSON.parse(input.bodyText);
    } catch (error) {
      request.bodyError = `Malformed JSON body: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  return { request };
}

/** The HTTP answer to a simulator response: its status and body, `Content-Type`, and `ETag` from the body's `_rev`. */
export function toHttpAnswer(response: Pick<SimResponse, 'status' | 'body'>): HttpAnswer {
  const headers: Record<string, string> = { 'Content-Type': JSON_CONTENT_TYPE };
  // Common REST returns the revision of the resource read or written as its ETag, quoted.
  if (isRecord(response.body) && typeof response.body._rev === 'string') headers.ETag = `"${response.body._rev}"`;
  return { status: response.status, headers, body: response.body };
}

function flattenHeaders(headers: HttpRequestIn['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
