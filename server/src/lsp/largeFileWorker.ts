/**
 * The large-document host (bundled as dist/largeFileWorker.js): one worker thread for the server's life that keeps
 * the text of every large open document and checks the configurations holding a large file. The text of a large
 * document opened through the stdio filter (largeMessages.ts) arrives here as the raw bytes of its `didOpen` and is
 * decoded here: the server's thread never holds it, so neither the 50 MB decode nor the copy are its. The messages
 * and their order are those `LargeDocumentHost` (largeDocumentHost.ts) sends; see `HostRequest`.
 */
import { readlinkSync } from 'fs';
import { setPriority } from 'os';
import { setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';
import { parentPort } from 'worker_threads';
import { CONFIG_DOCUMENTS, type ConfigDocument } from './configDocument';
import { runLargeCheck, type LargeCheckJob } from './largeCheck';
import { TEXT_PART, type HostReply, type HostRequest } from './largeDocumentProtocol';
import { exceedsBytes } from './textSize';

const documents = new Map<string, ConfigDocument>();
/** A check's job waiting for the parts of the large texts sent with it (files the server's thread holds). */
let assembling: { id: number; job: LargeCheckJob; waiting: LargeCheckJob['files']; parts: string[] } | undefined;

const reply = (message: HostReply) => parentPort?.postMessage(message);

function open(uri: string, version: number, parts: ArrayBuffer[], limit: number): void {
  // The whole message is parsed, not just its text: that the stub the server's thread made from it names the same
  // document is checked here, on the real JSON.
  let bytes: Buffer | undefined = Buffer.concat(parts.map((part) => new Uint8Array(part)));
  parts.length = 0;
  let json: string | undefined = new TextDecoder().decode(bytes);
  bytes = undefined;
  const message = JSON.parse(json) as { params?: { textDocument?: { uri?: unknown; text?: unknown } } };
  json = undefined;
  const text = message.params?.textDocument?.text;
  if (message.params?.textDocument?.uri !== uri || typeof text !== 'string') throw new Error(`the didOpen of ${uri} did not hold its text`);
  documents.set(uri, CONFIG_DOCUMENTS.create(uri, 'json', version, text));
  reply({ type: 'opened', uri, large: exceedsBytes(text, limit), length: text.length });
  // The message's bytes and its decoded JSON, each as large as the text, are garbage now.
  collectGarbage();
}

/** Sends a text in parts: one structured clone of 50 MB would hold the server's thread as long as it takes to read. */
function sendText(id: number, text: string, version: number): void {
  if (!text.length) reply({ type: 'text', id, part: '', last: true, version });
  for (let start = 0; start < text.length; start += TEXT_PART) {
    reply({ type: 'text', id, part: text.slice(start, start + TEXT_PART), last: start + TEXT_PART >= text.length, version });
  }
}

/**
 * A full garbage collection, where V8 allows one to be asked for (https://nodejs.org/api/v8.html#v8setflagsfromstringflags
 * shows this use). A check builds a tree of about four times its text, and each edit of a 50 MB text leaves the old
 * text behind: collected only when V8's heuristics say so, these add up to hundreds of megabytes before the next
 * collection. Collected after an open, each edit, and before and after a check, the host stays at its text plus one
 * tree.
 */
const collectGarbage: () => void = (() => {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? () => (gc as () => void)() : () => undefined;
  } catch {
    return () => undefined;
  }
})();

function check(id: number, job: LargeCheckJob): void {
  // The hosted documents' text is this thread's own; the rest came with the job.
  for (const file of job.files) {
    if (!file.hosted) continue;
    // The host knows documents by the URI the client gave.
    const document = documents.get(file.clientUri ?? file.uri);
    if (!document) throw new Error(`no text for ${file.uri}`);
    file.text = document.getText();
    file.version = document.version;
  }
  collectGarbage();
  const result = runLargeCheck(job);
  job.files.length = 0;
  reply({ type: 'checked', id, result });
  // In a task of its own: within the one that ran the check, V8 still counted the check's model live (its 230 MB for
  // a 50 MB text stayed until the next collection, which could be the next check's).
  setImmediate(collectGarbage);
}

function handle(message: HostRequest | string): void {
  if (typeof message === 'string') {
    // A part of a large text the server's thread holds, for the job being assembled.
    if (!assembling) return;
    assembling.parts.push(message);
    const file = assembling.waiting[0];
    if (assembling.parts.length < (file.parts ?? 0)) return;
    file.text = assembling.parts.join('');
    assembling.parts = [];
    assembling.waiting.shift();
    if (assembling.waiting.length) return;
    const { id, job } = assembling;
    assembling = undefined;
    return guarded(id, () => check(id, job));
  }
  switch (message.type) {
    case 'open':
      return guarded(-1, () => open(message.uri, message.version, message.parts, message.limit), message.uri);
    case 'change': {
      const document = documents.get(message.uri);
      // Always an answer: the server's thread waits for it before it reads the document again.
      if (!document) return reply({ type: 'changed', uri: message.uri, version: message.version, large: true });
      CONFIG_DOCUMENTS.update(document, message.changes, message.version);
      const text = document.getText();
      reply({ type: 'changed', uri: message.uri, version: message.version, large: exceedsBytes(text, message.limit), length: text.length });
      // Each edit leaves a whole old text behind (V8 copies the text into one piece when the next edit reads it), and
      // V8 let them pile up: five quick edits of a 50 MB text took the process from 460 to 700 MB. A collection costs
      // the host 10-20 ms per edit, on its own thread.
      collectGarbage();
      return;
    }
    case 'close':
      documents.delete(message.uri);
      return;
    case 'text': {
      const document = documents.get(message.uri);
      if (!document) return reply({ type: 'text', id: message.id, part: '', last: true, version: -1 });
      sendText(message.id, document.getText(), document.version);
      if (message.take) documents.delete(message.uri);
      return;
    }
    case 'check': {
      const waiting = message.job.files.filter((file) => file.parts);
      if (!waiting.length) return guarded(message.id, () => check(message.id, message.job));
      assembling = { id: message.id, job: message.job, waiting, parts: [] };
      return;
    }
  }
}

/** A failure answers the request it belongs to (or the open) with its reason; the host goes on. */
function guarded(id: number, work: () => void, uri?: string): void {
  try {
    work();
  } catch (error) {
    const reason = error instanceof Error ? error.stack ?? error.message : String(error);
    if (uri !== undefined) reply({ type: 'opened', uri, large: true, error: reason });
    else reply({ type: 'checked', id, error: reason });
  }
}

parentPort?.on('message', handle);
/**
 * The host's work is background work: on a busy machine its decode and checks took the CPU from the server's thread,
 * and a request about another document queued behind a 50 MB open waited 200-300 ms instead of 80. On Linux a
 * thread has a nice value of its own: this one is lowered to 10 (`setpriority` takes a thread id there; the thread's
 * is read from /proc/thread-self). Elsewhere it stays as it is.
 */
function yieldToTheServer(): void {
  try {
    const tid = Number(/task\/(\d+)$/.exec(readlinkSync('/proc/thread-self'))?.[1]);
    if (tid > 0) setPriority(tid, 10);
  } catch {
    // Not Linux, or not allowed: the host runs at the server's priority.
  }
}

yieldToTheServer();
reply({ type: 'ready' });
