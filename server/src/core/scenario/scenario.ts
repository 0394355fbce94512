/**
 * Parses `*.idmsim` scenario files: requests written the way REST clients (VS Code REST Client,
 * JetBrains HTTP client) write them, or curl commands pasted from the IDM docs.
 *
 * ```
 * @config ../conf/managed.json
 * ### create psmith
 * PUT /openidm/managed/user/psmith
 * Content-Type: application/json
 *
 * { "userName": "psmith", "manager": { "_ref": "managed/user/bjensen" } }
 * ```
 *
 * Requests are separated by `###` lines (the text after `###` names the next request). A request also
 * starts without a separator at a line `GET|POST|PUT|PATCH|DELETE <url>` or `curl ...` where a body
 * cannot be (a JSON body never holds such a line). `#` and `//` lines are comments; `# @name x` names a
 * request as in REST Client. The parser never throws: problems are located errors and parsing goes on.
 */
import type { OffsetRange } from '../diagnostics/finding';
import { toValue, type JsonNode } from '../json/ast';
import { parseJson } from '../json/parser';
import { readCurlCommand, scanShellCommand, type CurlHeader } from './curl';
import { contiguousText, joinMapped, sourceRange, type MappedText } from './mappedText';
import type { SimRequest } from '../simulator/types';
import { KNOWN_RELEASES, parseRelease, type IdmRelease } from '../simulator/release';
import type { ScenarioError } from './scenarioError';

export type { ScenarioError, ScenarioErrorCode } from './scenarioError';

export interface LocatedText {
  value: string;
  range: OffsetRange;
}

export interface ScenarioQueryParam {
  name: string;
  value: string;
  nameRange: OffsetRange;
  valueRange: OffsetRange;
}

export type ScenarioHeader = CurlHeader;

export interface ScenarioRequest {
  name?: string;
  nameRange?: OffsetRange;
  /** `http`: `METHOD URL` + headers + body; `curl`: a curl command. */
  style: 'http' | 'curl';
  /** The whole request, from its first line to the end of its last non-blank line. */
  range: OffsetRange;
  methodRange: OffsetRange;
  urlRange: OffsetRange;
  bodyRange?: OffsetRange;
  /** The resource path's segments after the host and `/openidm/` prefix, decoded, with their ranges. */
  pathSegments: LocatedText[];
  queryParams: ScenarioQueryParam[];
  headerList: ScenarioHeader[];
  /** http style: from the line after the request line to the end of the header lines. */
  headerBlock?: OffsetRange;
  /** The body text as sent (curl quoting removed, `#` comment lines blanked), mapped to the file. */
  bodySource?: MappedText;
  /** The body's JSON tree; its offsets index `bodySource.text`. */
  bodyJson?: JsonNode;
  request: SimRequest;
  errors: ScenarioError[];
}

export interface Scenario {
  /** `@config <path>`: the managed config to simulate, relative to the scenario file. */
  config?: { path: string; range: OffsetRange };
  /**
   * `@target http://localhost:8080/openidm`: a server to run the scenario against as well (Run all against target,
   * `idm-rel simulate --target`), its answers compared with the simulator's. Credentials never come from the file.
   */
  target?: { url: string; range: OffsetRange };
  /** `@idm <release>`: the IDM release whose behaviour the scenario expects (`simulator/release.ts`). */
  idm?: { release: IdmRelease; range: OffsetRange };
  requests: ScenarioRequest[];
  /** Problems outside any request (directives, stray text). Each request carries its own. */
  errors: ScenarioError[];
}

export const SIM_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

interface Line {
  start: number;
  /** Offset of the line break (or the end of the text). */
  end: number;
  text: string;
}

const SEPARATOR = /^[ \t]*###/;
const COMMENT = /^[ \t]*(?:#|\/\/)/;
const NAME_COMMENT = /^[ \t]*(?:#|\/\/)[ \t]*@name[ \t]+(\S(?:.*\S)?)[ \t]*$/;
const DIRECTIVE = /^[ \t]*@([A-Za-z][\w-]*)/;
const CURL_START = /^[ \t]*(?:\$[ \t]+)?curl(?=[ \t]|\\|$)/;
/** A line that cannot be inside a JSON body, so it starts a new request even without `###`. */
const STRONG_REQUEST_START = /^[ \t]*(?:(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)[ \t]+\S|(?:\$[ \t]+)?curl(?:[ \t]|\\|$))/;
/** A request line made of a URL alone (REST Client reads it as GET). */
const URL_ONLY = /^[ \t]*(?:[A-Za-z][A-Za-z0-9+.-]*:\/\/|\/|\{\{|(?:managed|internal|openidm|config|schema|system)\/)/;
const REQUEST_LINE = /^([ \t]*)([A-Za-z]+)(?=[ \t]|$)[ \t]*(.*?)[ \t]*$/;
const HTTP_VERSION = /[ \t]+HTTP\/\d+(?:\.\d+)?$/i;
const HEADER = /^[ \t]*([^\s:][^:]*?)[ \t]*:[ \t]*(.*?)[ \t]*$/;

export function parseScenario(text: string): Scenario {
  const lines = splitLines(text);
  const scenario: Scenario = { requests: [], errors: [] };
  let pendingName: LocatedText | undefined;
  /** After a curl command, text that starts no request is left over (a pasted response, usually). */
  let afterCurl = false;
  let stray: OffsetRange | undefined;

  const flushStray = () => {
    if (!stray) return;
    scenario.errors.push({
      code: 'idmsim-stray-text', severity: 'warning', range: stray,
      message: 'Text after a curl command is ignored (a pasted response?). Separate requests with `###`.',
    });
    stray = undefined;
  };
  // nextSeparator[k]: the first `###` line at or after line k (lines.length when none).
  const nextSeparator = new Array<number>(lines.length + 1);
  nextSeparator[lines.length] = lines.length;
  for (let k = lines.length - 1; k >= 0; k--) nextSeparator[k] = SEPARATOR.test(lines[k].text) ? k : nextSeparator[k + 1];

  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (SEPARATOR.test(line.text)) {
      flushStray();
      afterCurl = false;
      const hashes = line.text.indexOf('###');
      const nameText = line.text.slice(hashes + 3).replace(/^#+/, '');
      const trimmed = nameText.trim();
      if (trimmed) {
        const nameStart = line.start + hashes + 3 + (line.text.slice(hashes + 3).length - line.text.slice(hashes + 3).trimStart().length);
        pendingName = { value: trimmed, range: { start: nameStart, end: nameStart + trimmed.length } };
      } else pendingName = undefined;
      i++;
      continue;
    }
    if (line.text.trim() === '' || (COMMENT.test(line.text) && !CURL_START.test(line.text))) {
      const named = NAME_COMMENT.exec(line.text);
      if (named) {
        const nameStart = line.start + line.text.lastIndexOf(named[1]);
        pendingName = { value: named[1], range: { start: nameStart, end: nameStart + named[1].length } };
      }
      i++;
      continue;
    }
    if (DIRECTIVE.test(line.text)) {
      readDirective(line, scenario);
      i++;
      continue;
    }
    const blockEnd = nextSeparator[i + 1];
    const limit = blockEnd < lines.length ? lines[blockEnd].start : text.length;
    if (CURL_START.test(line.text)) {
      flushStray();
      const { request, end } = readCurlRequest(text, line, limit);
      attachName(request, pendingName);
      pendingName = undefined;
      scenario.requests.push(request);
      afterCurl = true;
      i = lineIndexAfter(lines, end, i);
      continue;
    }
    if (afterCurl && !STRONG_REQUEST_START.test(line.text)) {
      stray = stray ? { start: stray.start, end: line.end } : { start: line.start, end: line.end };
      i++;
      continue;
    }
    flushStray();
    afterCurl = false;
    const { request, next } = readHttpRequest(text, lines, i, blockEnd);
    attachName(request, pendingName);
    pendingName = undefined;
    scenario.requests.push(request);
    i = next;
  }
  flushStray();
  return scenario;
}

/** Every problem of the scenario: its own and its requests', in file order. */
export function allScenarioErrors(scenario: Scenario): ScenarioError[] {
  return [...scenario.errors, ...scenario.requests.flatMap((r) => r.errors)].sort((a, b) => a.range.start - b.range.start);
}

function attachName(request: ScenarioRequest, name: LocatedText | undefined): void {
  if (!name) return;
  request.name = name.value;
  request.nameRange = name.range;
}

function readDirective(line: Line, scenario: Scenario): void {
  const match = /^([ \t]*)@([A-Za-z][\w-]*)[ \t]*(.*?)[ \t]*$/.exec(line.text)!;
  const directive = match[2];
  const nameRange = { start: line.start + match[1].length, end: line.start + match[1].length + 1 + directive.length };
  if (directive === 'idm') {
    readReleaseDirective(line, match[3], nameRange, scenario);
    return;
  }
  if (directive === 'target') {
    readTargetDirective(line, match[3], nameRange, scenario);
    return;
  }
  if (directive !== 'config') {
    scenario.errors.push({
      code: 'idmsim-bad-directive', severity: 'error', range: nameRange,
      message: `Unknown directive \`@${directive}\` (the known ones are \`@config <path>\`, \`@idm <release>\` and \`@target <url>\`)`,
    });
    return;
  }
  let path = match[3];
  const afterName = line.text.slice(nameRange.end - line.start);
  let pathStart = nameRange.end + (afterName.length - afterName.trimStart().length);
  if (/^(["']).*\1$/.test(path)) {
    path = path.slice(1, -1);
    pathStart++;
  }
  if (!path) {
    scenario.errors.push({ code: 'idmsim-bad-directive', severity: 'error', range: nameRange, message: '`@config` needs a path' });
    return;
  }
  if (scenario.config) {
    scenario.errors.push({
      code: 'idmsim-bad-directive', severity: 'error', range: { start: nameRange.start, end: line.end },
      message: 'A second `@config`: a scenario runs against one config (the first one is used)',
    });
    return;
  }
  scenario.config = { path, range: { start: pathStart, end: pathStart + path.length } };
}

/** `@target http://localhost:8080/openidm`: an http(s) URL of an IDM server's REST root, without credentials. */
function readTargetDirective(line: Line, value: string, nameRange: OffsetRange, scenario: Scenario): void {
  const afterName = line.text.slice(nameRange.end - line.start);
  const start = nameRange.end + (afterName.length - afterName.trimStart().length);
  const range = value ? { start, end: start + value.length } : nameRange;
  const problem = !value
    ? '`@target` needs the URL of a server: `@target http://localhost:8080/openidm`'
    : !/^https?:\/\/[^/?#\s]+(?:\/[^?#\s]*)?$/.test(value)
      ? `\`@target ${value}\` is not an http(s) URL of a server (\`http://localhost:8080/openidm\`)`
      : /^https?:\/\/[^/?#]*@/.test(value)
        ? 'Credentials do not belong in the file: give them in IDM_USERNAME/IDM_PASSWORD or IDM_BEARER_TOKEN (or the editor\'s secret storage)'
        : scenario.target ? 'A second `@target`: a scenario runs against one server (the first one is used)' : undefined;
  if (problem) {
    scenario.errors.push({ code: 'idmsim-bad-directive', severity: 'error', range, message: problem });
    return;
  }
  scenario.target = { url: value.replace(/\/+$/, ''), range };
}

/** `@idm 8`, `@idm 7.5`, `@idm 5.5`: the release the scenario expects; the newest documented one when absent. */
function readReleaseDirective(line: Line, value: string, nameRange: OffsetRange, scenario: Scenario): void {
  const afterName = line.text.slice(nameRange.end - line.start);
  const start = nameRange.end + (afterName.length - afterName.trimStart().length);
  const range = value ? { start, end: start + value.length } : nameRange;
  const release = value ? parseRelease(value) : undefined;
  if (!release) {
    scenario.errors.push({
      code: 'idmsim-bad-directive', severity: 'error', range,
      message: value
        ? `\`@idm ${value}\` names no release the simulator knows (${KNOWN_RELEASES.join(', ')}; a minor version such as 7.5.1 counts as its release)`
        : `\`@idm\` needs a release: ${KNOWN_RELEASES.join(', ')}`,
    });
    return;
  }
  if (scenario.idm) {
    scenario.errors.push({
      code: 'idmsim-bad-directive', severity: 'error', range: { start: nameRange.start, end: line.end },
      message: 'A second `@idm`: a scenario runs against one release (the first one is used)',
    });
    return;
  }
  scenario.idm = { release, range };
}

function readCurlRequest(text: string, line: Line, limit: number): { request: ScenarioRequest; end: number } {
  const firstNonBlank = line.start + (line.text.length - line.text.trimStart().length);
  const curlWord = line.start + line.text.indexOf('curl', firstNonBlank - line.start);
  const command = scanShellCommand(text, curlWord, limit);
  const curl = readCurlCommand(command.tokens);
  const errors = [...command.errors, ...curl.errors];
  const range = { start: firstNonBlank, end: command.end };
  const method = curl.method!;

  let url: ParsedUrl;
  let urlRange: OffsetRange;
  if (curl.url) {
    url = readUrl(curl.url);
    urlRange = { start: curl.url.start, end: curl.url.end };
  } else {
    url = emptyUrl();
    urlRange = { start: command.end, end: command.end };
    errors.push({ code: 'idmsim-missing-url', severity: 'error', range: curl.commandRange, message: 'The curl command has no URL' });
  }
  errors.push(...url.errors);

  let bodyText = curl.data;
  if (curl.dataInQuery && bodyText) {
    // `-G`: the data is appended to the query string.
    const extra = readQuery(bodyText, 0, bodyText.text.length);
    mergeQuery(url, extra);
    errors.push(...extra.errors);
    bodyText = undefined;
  }

  const request: ScenarioRequest = {
    style: 'curl',
    range,
    methodRange: method.range,
    urlRange,
    pathSegments: url.segments,
    queryParams: url.params,
    headerList: curl.headers,
    request: {
      method: method.value.toUpperCase(),
      path: url.path,
      query: url.query,
      headers: headerRecord(curl.headers),
    },
    errors,
  };
  if (bodyText) {
    request.bodyRange = curl.dataRange;
    readBody(request, bodyText);
  }
  return { request, end: command.end };
}

function readHttpRequest(text: string, lines: Line[], first: number, blockEnd: number): { request: ScenarioRequest; next: number } {
  const line = lines[first];
  const errors: ScenarioError[] = [];
  let methodValue: string;
  let methodRange: OffsetRange;
  let urlPiece: MappedText;

  const match = URL_ONLY.test(line.text) ? undefined : REQUEST_LINE.exec(line.text);
  if (match) {
    const methodStart = line.start + match[1].length;
    methodValue = match[2];
    methodRange = { start: methodStart, end: methodStart + methodValue.length };
    let urlText = match[3].replace(HTTP_VERSION, '');
    const urlStart = urlText ? line.start + line.text.indexOf(urlText, methodRange.end - line.start) : methodRange.end;
    urlPiece = contiguousText(text, urlStart, urlStart + urlText.length);
  } else {
    // A bare URL (or something that is not a request line at all: the URL reader will say so).
    const start = line.start + (line.text.length - line.text.trimStart().length);
    const urlText = line.text.trim().replace(HTTP_VERSION, '');
    methodValue = 'GET';
    methodRange = { start, end: start };
    urlPiece = contiguousText(text, start, start + urlText.length);
  }

  // REST Client lets a long query continue on indented lines starting with `?` or `&`.
  const urlPieces = [urlPiece];
  let k = first + 1;
  while (k < blockEnd && /^[ \t]+[?&]/.test(lines[k].text)) {
    const continued = lines[k];
    const start = continued.start + (continued.text.length - continued.text.trimStart().length);
    urlPieces.push(contiguousText(text, start, continued.start + continued.text.trimEnd().length));
    k++;
  }
  const urlText = joinMapped(urlPieces);
  const urlRange = { start: urlPieces[0].offsets[0], end: urlPieces[urlPieces.length - 1].offsets[urlPieces[urlPieces.length - 1].text.length] };
  let url: ParsedUrl;
  if (urlText.text === '') {
    url = emptyUrl();
    errors.push({ code: 'idmsim-missing-url', severity: 'error', range: methodRange, message: `\`${methodValue}\` needs a URL` });
  } else url = readUrl(urlText);
  errors.push(...url.errors);

  const headers: ScenarioHeader[] = [];
  const headerStart = k < lines.length ? lines[k].start : text.length;
  let headerEnd = headerStart;
  let bodyFirst = -1;
  let lastContentLine = k - 1;
  for (; k < blockEnd; k++) {
    const current = lines[k];
    if (STRONG_REQUEST_START.test(current.text)) break;
    if (current.text.trim() === '') {
      bodyFirst = k + 1;
      break;
    }
    if (COMMENT.test(current.text)) continue;
    if (/^[ \t]*[{[]/.test(current.text)) {
      bodyFirst = k;
      break;
    }
    headerEnd = current.end;
    lastContentLine = k;
    const header = HEADER.exec(current.text);
    if (!header) {
      errors.push({
        code: 'idmsim-bad-header', severity: 'error', range: { start: current.start + (current.text.length - current.text.trimStart().length), end: current.end },
        message: 'Expected a header (`Name: value`) or a blank line before the body',
      });
      continue;
    }
    const nameStart = current.start + current.text.indexOf(header[1]);
    const valueStart = header[2] ? current.start + current.text.indexOf(header[2], nameStart - current.start + header[1].length + 1) : current.end;
    headers.push({
      name: header[1],
      value: header[2],
      nameRange: { start: nameStart, end: nameStart + header[1].length },
      valueRange: { start: valueStart, end: valueStart + header[2].length },
    });
  }

  let next = k;
  let bodyRange: OffsetRange | undefined;
  let bodySource: MappedText | undefined;
  if (bodyFirst >= 0) {
    let end = bodyFirst;
    while (end < blockEnd && !STRONG_REQUEST_START.test(lines[end].text)) end++;
    next = end;
    const isContent = (l: Line) => l.text.trim() !== '' && !isHashComment(l.text);
    let from = bodyFirst;
    while (from < end && !isContent(lines[from])) from++;
    let to = end - 1;
    while (to >= from && !isContent(lines[to])) to--;
    if (from <= to) {
      lastContentLine = to;
      bodyRange = { start: lines[from].start, end: lines[to].end };
      // `#` comment lines inside the body are blanked so offsets still match the file.
      let body = '';
      for (let l = from; l <= to; l++) {
        body += isHashComment(lines[l].text) ? ' '.repeat(lines[l].text.length) : lines[l].text;
        if (l < to) body += text.slice(lines[l].end, lines[l + 1].start);
      }
      bodySource = { text: body, offsets: contiguousText(text, bodyRange.start, bodyRange.end).offsets };
    }
  }

  const requestStart = methodRange.start;
  const lastLine = lines[Math.max(first, lastContentLine)];
  const request: ScenarioRequest = {
    style: 'http',
    range: { start: requestStart, end: Math.max(lastLine.end, urlRange.end) },
    methodRange,
    urlRange,
    pathSegments: url.segments,
    queryParams: url.params,
    headerList: headers,
    headerBlock: { start: headerStart, end: Math.max(headerStart, headerEnd) },
    request: {
      method: methodValue.toUpperCase(),
      path: url.path,
      query: url.query,
      headers: headerRecord(headers),
    },
    errors,
  };
  if (bodySource && bodyRange) {
    request.bodyRange = bodyRange;
    readBody(request, bodySource);
  }
  return { request, next: Math.max(next, first + 1) };
}

function isHashComment(line: string): boolean {
  return /^[ \t]*#/.test(line);
}

/** Parses the body as JSONC; a malformed body is kept as `bodyError` for the engine to answer 400. */
function readBody(request: ScenarioRequest, body: MappedText): void {
  request.bodySource = body;
  const { root, errors } = parseJson(body.text);
  // Only comments or blanks: no body at all.
  if (!root && stripComments(body.text).trim() === '') return;
  request.bodyJson = root;
  if (errors.length === 0) {
    request.request.body = toValue(root);
    return;
  }
  for (const error of errors) {
    const range = sourceRange(body, error.offset, Math.max(error.end, Math.min(error.offset + 1, body.text.length)));
    request.errors.push({ code: 'idmsim-bad-json', severity: 'error', range, message: `Malformed JSON body: ${error.message}` });
  }
  const first = errors[0];
  const before = body.text.slice(0, first.offset);
  const line = before.split('\n').length;
  const column = first.offset - before.lastIndexOf('\n');
  request.request.bodyError = `Malformed JSON body: ${first.message} (body line ${line}, column ${column})`;
}

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
}

function headerRecord(headers: ScenarioHeader[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (const header of headers) {
    // A repeated header is one comma-separated header in HTTP.
    const existing = Object.keys(record).find((name) => name.toLowerCase() === header.name.toLowerCase());
    if (existing) record[existing] = `${record[existing]}, ${header.value}`;
    else record[header.name] = header.value;
  }
  return record;
}

// ---------------------------------------------------------------------------------------------------
// URLs

interface ParsedUrl {
  path: string;
  segments: LocatedText[];
  query: Record<string, string>;
  params: ScenarioQueryParam[];
  errors: ScenarioError[];
}

function emptyUrl(): ParsedUrl {
  return { path: '', segments: [], query: {}, params: [], errors: [] };
}

const SCHEME_AND_HOST = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/;
const VARIABLE_HOST = /^\{\{[^}]*\}\}/;
/** CREST accepts these several times and joins them (comma-separated lists). */
const LIST_PARAMS = new Set(['_fields', '_sortKeys']);

/**
 * Reads a URL into a resource path below `/openidm/` and decoded query parameters. Hosts (including
 * `<tenant-env-fqdn>` placeholders) are dropped, as is the `/openidm/` prefix; path segments are
 * %-decoded; query names and values also turn `+` into a space.
 */
export function readUrl(url: MappedText): ParsedUrl {
  const errors: ScenarioError[] = [];
  let text = url.text;
  const hash = text.indexOf('#');
  if (hash >= 0) text = text.slice(0, hash);
  const question = text.indexOf('?');
  const pathEnd = question < 0 ? text.length : question;
  let p = 0;
  const host = SCHEME_AND_HOST.exec(text.slice(0, pathEnd)) ?? VARIABLE_HOST.exec(text.slice(0, pathEnd));
  if (host) p = host[0].length;
  while (p < pathEnd && text[p] === '/') p++;
  if (text.startsWith('openidm', p) && (p + 7 === pathEnd || text[p + 7] === '/')) p += 7;

  const segments: LocatedText[] = [];
  let segmentStart = p;
  for (let k = p; k <= pathEnd; k++) {
    if (k < pathEnd && text[k] !== '/') continue;
    if (k > segmentStart) {
      const raw = text.slice(segmentStart, k);
      const range = sourceRange(url, segmentStart, k);
      let value = raw;
      try {
        value = decodeURIComponent(raw);
      } catch {
        errors.push({ code: 'idmsim-bad-url', severity: 'error', range, message: `Malformed %-escape in \`${raw}\`` });
      }
      segments.push({ value, range });
    }
    segmentStart = k + 1;
  }
  if (segments.length === 0) {
    errors.push({
      code: 'idmsim-bad-url', severity: 'error', range: sourceRange(url, 0, text.length),
      message: 'The URL names no resource below `/openidm/` (for example `managed/user`)',
    });
  }
  const parsed: ParsedUrl = { path: segments.map((s) => s.value).join('/'), segments, query: {}, params: [], errors };
  if (question >= 0) {
    const query = readQuery(url, question + 1, text.length);
    mergeQuery(parsed, query);
  }
  return parsed;
}

function readQuery(url: MappedText, from: number, to: number): { params: ScenarioQueryParam[]; errors: ScenarioError[] } {
  const params: ScenarioQueryParam[] = [];
  const errors: ScenarioError[] = [];
  const text = url.text;
  let start = from;
  for (let k = from; k <= to; k++) {
    if (k < to && text[k] !== '&') continue;
    if (k > start) {
      const part = text.slice(start, k);
      const equals = part.indexOf('=');
      const nameEnd = equals < 0 ? k : start + equals;
      const valueStart = equals < 0 ? k : nameEnd + 1;
      const name = decodeQueryPart(url, start, nameEnd, errors);
      const value = decodeQueryPart(url, valueStart, k, errors);
      params.push({ name, value, nameRange: sourceRange(url, start, nameEnd), valueRange: sourceRange(url, valueStart, k) });
    }
    start = k + 1;
  }
  return { params, errors };
}

function decodeQueryPart(url: MappedText, start: number, end: number, errors: ScenarioError[]): string {
  const raw = url.text.slice(start, end);
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    errors.push({ code: 'idmsim-bad-query', severity: 'error', range: sourceRange(url, start, end), message: `Malformed %-escape in \`${raw}\`` });
    return raw.replace(/\+/g, ' ');
  }
}

function mergeQuery(url: ParsedUrl, extra: { params: ScenarioQueryParam[]; errors: ScenarioError[] }): void {
  url.errors.push(...extra.errors);
  for (const param of extra.params) {
    const previous = url.query[param.name];
    if (previous !== undefined && LIST_PARAMS.has(param.name)) url.query[param.name] = `${previous},${param.value}`;
    else {
      if (previous !== undefined) {
        url.errors.push({
          code: 'idmsim-duplicate-query', severity: 'warning', range: param.nameRange,
          message: `\`${param.name}\` is given twice; the last value is used`,
        });
      }
      url.query[param.name] = param.value;
    }
    url.params.push(param);
  }
}

// ---------------------------------------------------------------------------------------------------
// Lines

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  // A byte order mark is not part of the first line's text.
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let i = start; i <= text.length; i++) {
    const c = text.charCodeAt(i);
    if (i === text.length || c === 10 || c === 13) {
      lines.push({ start, end: i, text: text.slice(start, i) });
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
  }
  return lines;
}

/** The index of the first line starting after `offset` (at least `current + 1`). */
function lineIndexAfter(lines: Line[], offset: number, current: number): number {
  let k = current + 1;
  while (k < lines.length && lines[k].start <= offset) k++;
  return k;
}

