/**
 * Query requests on object collections (`GET managed/user?_queryFilter=...`) and relationship endpoints
 * (`GET managed/user/bjensen/reports?_queryFilter=...`): filter, sort, page, and the CREST envelope exactly
 * as the PingIDM 8.0 examples show it:
 *
 *   {"result": [...], "resultCount": 1, "pagedResultsCookie": null,
 *    "totalPagedResultsPolicy": "NONE", "totalPagedResults": -1, "remainingPagedResults": -1}
 *
 * Paging: `_pageSize` (0 or absent: everything), `_pagedResultsOffset`, `_pagedResultsCookie` (an opaque
 * string from a previous page; null when there is no further page), `_totalPagedResultsPolicy`
 * (NONE, EXACT or ESTIMATE: EXACT and ESTIMATE both count exactly here). Sorting: `_sortKeys=sn,-givenName`.
 */
import { badRequest } from './errors';
import type { JsonRecord } from './json';
import { compareJsonValues, evaluateFilter, parsePointer, parseQueryFilter, type PointerResolver, type QueryFilter } from './queryFilter';

export interface SortKey {
  pointer: string[];
  descending: boolean;
}

export interface QueryParams {
  filter: QueryFilter;
  sortKeys: SortKey[];
  pageSize: number;
  start: number;
  policy: 'NONE' | 'EXACT' | 'ESTIMATE';
}

/** Reads the query parameters; throws 400 for a missing or bad `_queryFilter` and bad paging values. */
export function readQueryParams(query: Record<string, string>, resource: string): QueryParams {
  const text = query._queryFilter;
  if (text === undefined) {
    throw badRequest(`Querying ${resource} requires the _queryFilter parameter (use _queryFilter=true for every entry)`);
  }
  const parsed = parseQueryFilter(text);
  if (!parsed.ok) throw badRequest(parsed.error.message);
  const pageSize = readCount(query._pageSize, '_pageSize');
  let start = readCount(query._pagedResultsOffset, '_pagedResultsOffset');
  const cookie = query._pagedResultsCookie;
  if (cookie !== undefined && cookie !== '') {
    if (!/^[0-9]{1,12}$/.test(cookie)) throw badRequest(`Invalid _pagedResultsCookie '${cookie}'`);
    start = Number(cookie);
  }
  const policyText = (query._totalPagedResultsPolicy ?? 'NONE').toUpperCase();
  if (policyText !== 'NONE' && policyText !== 'EXACT' && policyText !== 'ESTIMATE') {
    throw badRequest(`Invalid _totalPagedResultsPolicy '${query._totalPagedResultsPolicy}': expected NONE, EXACT or ESTIMATE`);
  }
  const sortKeys: SortKey[] = [];
  for (const raw of (query._sortKeys ?? '').split(',')) {
    const key = raw.trim();
    if (key === '') continue;
    const descending = key.startsWith('-');
    const field = key.startsWith('-') || key.startsWith('+') ? key.slice(1) : key;
    if (field === '') throw badRequest(`Invalid _sortKeys '${query._sortKeys}'`);
    sortKeys.push({ pointer: parsePointer(field), descending });
  }
  return { filter: parsed.filter, sortKeys, pageSize, start, policy: policyText };
}

function readCount(text: string | undefined, name: string): number {
  if (text === undefined || text === '') return 0;
  if (!/^[0-9]{1,9}$/.test(text)) throw badRequest(`Invalid ${name} '${text}': expected a non-negative integer`);
  return Number(text);
}

/** Filters, sorts and pages `items`, rendering only the page. */
export function runQuery<T>(
  items: Iterable<T>,
  params: QueryParams,
  resolverOf: (item: T) => PointerResolver,
  render: (item: T) => JsonRecord,
): JsonRecord {
  const matched: Array<{ item: T; resolve: PointerResolver }> = [];
  const filter = params.filter;
  const everything = filter.kind === 'literal' && filter.value;
  for (const item of items) {
    const resolve = resolverOf(item);
    if (everything || evaluateFilter(filter, resolve)) matched.push({ item, resolve });
  }
  if (params.sortKeys.length) {
    const keyed = matched.map((entry, index) => ({ entry, index, keys: params.sortKeys.map((key) => first(entry.resolve(key.pointer))) }));
    keyed.sort((a, b) => {
      for (let k = 0; k < params.sortKeys.length; k++) {
        const order = compareJsonValues(a.keys[k], b.keys[k]);
        if (order !== 0) return params.sortKeys[k].descending ? -order : order;
      }
      return a.index - b.index;
    });
    for (let i = 0; i < keyed.length; i++) matched[i] = keyed[i].entry;
  }
  const start = Math.min(params.start, matched.length);
  const end = params.pageSize > 0 ? Math.min(start + params.pageSize, matched.length) : matched.length;
  const result = matched.slice(start, end).map((entry) => render(entry.item));
  const counted = params.policy !== 'NONE';
  return {
    result,
    resultCount: result.length,
    pagedResultsCookie: params.pageSize > 0 && end < matched.length ? String(end) : null,
    totalPagedResultsPolicy: params.policy,
    totalPagedResults: counted ? matched.length : -1,
    remainingPagedResults: counted && params.pageSize > 0 ? matched.length - end : -1,
  };
}

function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}
