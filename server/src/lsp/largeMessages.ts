/**
 * Reads the server's input (stdio) ahead of JSON-RPC, to keep a large document's text off the server's thread. The
 * JSON-RPC layer decodes each message whole, in one go: for a 50 MB `didOpen` that held every other request for half a
 * second, and the text was then kept here and copied again for each check. Instead, a `didOpen` whose body is over
 * the size limit is kept as bytes and passed on as a stub: the same message with its text replaced by a marker. The
 * document made from the stub (configDocument.ts `configDocuments`) takes the bytes by that marker and hands them to
 * the large-document host (largeDocumentHost.ts), which decodes them in its own thread. Every other message passes
 * through untouched, and so does a large one this filter cannot read with certainty (then the JSON-RPC layer decodes
 * it, as before). Messages keep their order: the stub stands where the large message stood.
 *
 * Framing is LSP's base protocol: headers, an empty line, `Content-Length` bytes of body
 * (https://microsoft.github.io/language-server-protocol/specifications/lsp/3.17/specification/#baseProtocol).
 */
import { randomBytes } from 'crypto';
import { Transform, type TransformCallback } from 'stream';
import { languageOf } from './language';

/** Begins every marker; a private-use character no real file begins with, then this process's own random nonce. */
const MARKER_PREFIX = `\uF8FFidm-rel-hosted:${randomBytes(8).toString('hex')}:`;
const bodies = new Map<string, HostedBody>();
let nextMarker = 1;

export interface HostedBody {
  /** The whole `didOpen` message, in the parts it was read in. */
  parts: Buffer[];
  /** A lower bound of the size of its text in UTF-8 bytes (the unit of `maxFileSize`), told without decoding it. */
  textBytesAtLeast: number;
}

/** The raw `didOpen` body a stub's text stands for, once: undefined for any other text. */
export function takeHostedBody(text: string): HostedBody | undefined {
  if (!text.startsWith(MARKER_PREFIX)) return undefined;
  const body = bodies.get(text);
  bodies.delete(text);
  return body;
}

const UNICODE_ESCAPE = Buffer.from('\\u');

/**
 * A lower bound of the UTF-8 size of the string whose JSON literal lies at `[start, end)` of the message (between its
 * quotes; `parts` is the message in the parts it was read in), without decoding it: a `\uXXXX` escape (6 bytes) is at
 * least 1 byte of text, any other escape (2 bytes) 1, and raw bytes are themselves. So the text is at least
 * U + (L - 6U) / 2 bytes for U such escapes in L bytes. Counting stops once the bound is no more than `enough`: the
 * caller only asks whether it is over that.
 */
export function decodedBytesAtLeast(parts: readonly Buffer[], start: number, end: number, enough = -1): number {
  const length = end - start;
  // Were every byte part of such an escape, it would still be over: no need to look (a search through 50 MB).
  if (enough >= 0 && Math.floor(length / 6) > enough) return Math.floor(length / 6);
  let escapes = 0;
  const bound = () => Math.max(0, escapes + Math.floor((length - 6 * escapes) / 2));
  const counts = (at: number) => at >= start && at < end - 1;
  // A `\\u` (an escaped backslash, then a u) is counted too: that only lowers the bound.
  for (let i = 0, base = 0; i < parts.length && base < end; base += parts[i].length, i++) {
    const part = parts[i];
    for (let at = part.indexOf(UNICODE_ESCAPE); at >= 0; at = part.indexOf(UNICODE_ESCAPE, at + 2)) {
      if (counts(base + at)) escapes++;
      if (bound() <= enough) return bound();
    }
    // One cut between this part and the next (parts are never empty).
    const next = parts[i + 1];
    if (next && part[part.length - 1] === 0x5c && next[0] === 0x75 && counts(base + part.length - 1)) escapes++;
  }
  return bound();
}

const HEADER_END = Buffer.from('\r\n\r\n');
/** Where the text key is looked for: a `didOpen` names its document (a URI) before its text, within this many bytes. */
const PEEK = 64 * 1024;

export class LargeMessageFilter extends Transform {
  private pending: Buffer[] = [];
  private pendingLength = 0;
  /** The large body being gathered: the parts read so far, its length, and how much of it has come. */
  private body: { header: Buffer; parts: Buffer[]; length: number; filled: number } | undefined;
  /** Bytes of a small message's body still to pass through untouched. */
  private passing = 0;

  /**
   * `limit()`: bodies over this many bytes are candidates; `host`: whether the host can take one. A large body read
   * while the host is still starting (its first hundred milliseconds) waits for it, and so does what follows: the
   * same input always takes the same path.
   */
  constructor(private readonly limit: () => number, private readonly host: () => { state: 'starting' | 'ready' | 'stopped'; settled: Promise<void> } | undefined) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.consume(chunk, 0, done);
  }

  private consume(chunk: Buffer, offset: number, done: TransformCallback): void {
    while (offset < chunk.length) {
      if (this.passing > 0) {
        const take = Math.min(this.passing, chunk.length - offset);
        this.push(chunk.subarray(offset, offset + take));
        this.passing -= take;
        offset += take;
        continue;
      }
      if (this.body) {
        // Kept as read, not copied into one buffer: copying 50 MB into fresh memory as it came made it arrive 1.5-2 times
        // as slowly as a reader that keeps the reads (scripts/bench-lsp.mjs prints the pipe's own time beside).
        const take = Math.min(this.body.length - this.body.filled, chunk.length - offset);
        this.body.parts.push(offset === 0 && take === chunk.length ? chunk : chunk.subarray(offset, offset + take));
        this.body.filled += take;
        offset += take;
        if (this.body.filled < this.body.length) continue;
        const host = this.host();
        if (host?.state === 'starting') {
          void host.settled.then(() => {
            this.finishLarge();
            this.consume(chunk, offset, done);
          });
          return;
        }
        this.finishLarge();
        continue;
      }
      // Headers: gathered until the empty line (they are small; a chunk may split them).
      this.pending.push(offset ? chunk.subarray(offset) : chunk);
      this.pendingLength += chunk.length - offset;
      offset = chunk.length;
      const gathered = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingLength);
      const end = gathered.indexOf(HEADER_END);
      if (end < 0) {
        this.pending = [gathered];
        continue;
      }
      this.pending = [];
      this.pendingLength = 0;
      const header = gathered.subarray(0, end + HEADER_END.length);
      const length = contentLength(header);
      const rest = gathered.subarray(end + HEADER_END.length);
      const state = this.host()?.state ?? 'stopped';
      if (length !== undefined && length > this.limit() && state !== 'stopped') {
        this.body = { header, parts: [], length, filled: 0 };
      } else {
        // Not ours (or unreadable headers, for the JSON-RPC layer to report): through as it came.
        this.push(header);
        this.passing = length ?? 0;
      }
      // What followed the headers in this chunk is read again by the loop.
      chunk = rest;
      offset = 0;
    }
    done();
  }

  /** At the end of input, whatever was held (unfinished headers or body) goes on as it came. */
  override _flush(done: TransformCallback): void {
    if (this.pending.length) this.push(Buffer.concat(this.pending, this.pendingLength));
    if (this.body) {
      this.push(this.body.header);
      for (const part of this.body.parts) this.push(part);
    }
    done();
  }

  private finishLarge(): void {
    const { header, parts, length } = this.body!;
    this.body = undefined;
    const found = this.host()?.state === 'ready' ? stubOf(parts, length) : undefined;
    if (!found) {
      this.push(header);
      for (const part of parts) this.push(part);
      return;
    }
    const { stub, textStart, textEnd } = found;
    const marker = `${MARKER_PREFIX}${nextMarker++}`;
    bodies.set(marker, { parts, textBytesAtLeast: decodedBytesAtLeast(parts, textStart, textEnd, this.limit()) });
    stub.params.textDocument.text = marker;
    const body = Buffer.from(JSON.stringify(stub), 'utf8');
    this.push(Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'));
    this.push(body);
  }
}

function contentLength(header: Buffer): number | undefined {
  const match = /(?:^|\r\n)content-length:\s*(\d+)\s*(?:\r\n|$)/i.exec(header.toString('ascii'));
  return match ? Number(match[1]) : undefined;
}

interface DidOpenStub {
  method: 'textDocument/didOpen';
  params: { textDocument: { uri: string; languageId: string; version: number; text: string } };
}

/**
 * The message with its text left out (an empty string), when the body is certainly a `didOpen` of a config document whose
 * text is its last member (as clients write it: `{"jsonrpc":"2.0","method":"textDocument/didOpen","params":
 * {"textDocument":{"uri":…,"languageId":…,"version":…,"text":"…"}}}`), with where the text's literal lies between its
 * quotes. Undefined otherwise.
 */
function stubOf(parts: readonly Buffer[], length: number): { stub: DidOpenStub; textStart: number; textEnd: number } | undefined {
  // The text's key and opening quote are near the start, its closing quote near the end: only those ends are read.
  const head = edgeOf(parts, Math.min(PEEK, length), 'head');
  const tail = edgeOf(parts, Math.min(PEEK, length), 'tail');
  const tailStart = length - tail.length;
  const key = head.indexOf('"text"');
  if (key < 0) return undefined;
  let open = key + '"text"'.length;
  while (isSpace(head[open])) open++;
  if (head[open] !== 0x3a /* : */) return undefined;
  open++;
  while (isSpace(head[open])) open++;
  if (head[open] !== 0x22 /* " */) return undefined;
  // The text's closing quote: the last one, when only closing braces and spaces follow it.
  let close = tail.length - 1;
  while (close > 0 && (isSpace(tail[close]) || tail[close] === 0x7d /* } */)) close--;
  if (close <= 0 || tail[close] !== 0x22 || tailStart + close <= open) return undefined;
  let backslashes = 0;
  while (close - 1 - backslashes >= 0 && tail[close - 1 - backslashes] === 0x5c /* \ */) backslashes++;
  if (backslashes % 2 || close - 1 - backslashes < 0) return undefined;
  const stub = `${head.toString('utf8', 0, open)}""${tail.toString('utf8', close + 1)}`;
  let message: { method?: unknown; params?: { textDocument?: { uri?: unknown; languageId?: unknown; version?: unknown; text?: unknown } } };
  try {
    message = JSON.parse(stub);
  } catch {
    return undefined;
  }
  const document = message.params?.textDocument;
  if (message.method !== 'textDocument/didOpen' || document?.text !== '') return undefined;
  if (typeof document.uri !== 'string' || typeof document.version !== 'number' || typeof document.languageId !== 'string') return undefined;
  if (languageOf(document.uri) !== 'config') return undefined;
  return { stub: message as DidOpenStub, textStart: open + 1, textEnd: tailStart + close };
}

/** The first or last `size` bytes of the message read in `parts` (a copy of at most that much). */
function edgeOf(parts: readonly Buffer[], size: number, edge: 'head' | 'tail'): Buffer {
  const taken: Buffer[] = [];
  let length = 0;
  for (let i = 0; i < parts.length && length < size; i++) {
    const part = parts[edge === 'head' ? i : parts.length - 1 - i];
    taken.push(part);
    length += part.length;
  }
  if (edge === 'tail') taken.reverse();
  const joined = taken.length === 1 ? taken[0] : Buffer.concat(taken, length);
  return edge === 'head' ? joined.subarray(0, size) : joined.subarray(joined.length - size);
}

function isSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}
