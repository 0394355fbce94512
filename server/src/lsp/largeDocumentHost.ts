/**
 * The server's side of the large-document host: one worker thread (Node's `worker_threads`,
 * https://nodejs.org/api/worker_threads.html) that keeps the text of large open documents and checks the
 * configurations holding a large file, so that a 50 MB config neither blocks requests about other documents nor is
 * held twice. When no worker can be started, or it fails, checks run in the server's thread instead (logged): slower
 * for the other documents, but the diagnostics still come; documents are then kept here as before.
 */
import * as path from 'path';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver/node';
import { Worker } from 'worker_threads';
import { runLargeCheck, type LargeCheckJob, type LargeCheckResult } from './largeCheck';
import { TEXT_PART, type HostReply, type HostRequest } from './largeDocumentProtocol';

/**
 * Beside the server's bundle (esbuild.mjs builds both into dist/). IDM_REL_LARGE_FILE_WORKER names another file: the
 * protocol tests give one that does not exist, to see the server fall back when its worker cannot start.
 */
const WORKER_FILE = process.env.IDM_REL_LARGE_FILE_WORKER || path.join(__dirname, 'largeFileWorker.js');

export interface HostedOpen {
  /** Over `maxFileSize` in UTF-8 bytes: the text stays in the host; otherwise the server takes it back. */
  large: boolean;
  /** The text's length in UTF-16 code units (its UTF-8 size is at least that); undefined when the host did not say. */
  length?: number;
  error?: string;
}

export class LargeDocumentHost {
  private worker: Worker | undefined;
  /** Loaded and answering: only then are large documents handed to it (before, they are decoded and kept here). */
  private ready = false;
  private failed = false;
  private markSettled!: () => void;
  /** Settles once the worker is ready or has failed to start. */
  readonly settled = new Promise<void>((resolve) => (this.markSettled = resolve));
  private nextId = 1;
  private readonly opens = new Map<string, Array<(opened: HostedOpen) => void>>();
  private readonly changes = new Map<string, Array<(changed: { large: boolean; length?: number }) => void>>();
  private readonly checks = new Map<number, { job: LargeCheckJob; resolve: (result: LargeCheckResult | undefined) => void }>();
  private readonly texts = new Map<number, { parts: string[]; resolve: (text: { text: string; version: number } | undefined) => void }>();

  constructor(private readonly log: (message: string) => void) {
    try {
      // A small young generation: what the host keeps lives long (a text, a check's model), and V8's default of up to
      // 48 MB of short-lived space only added to the process's peak (527-530 MB at 32 MB against 485-488 MB at 8, for
      // a 50 MB config opened, edited and saved; the check took no longer).
      this.worker = new Worker(WORKER_FILE, { resourceLimits: { maxYoungGenerationSizeMb: 8 } });
    } catch (error) {
      this.fail(error instanceof Error ? error.message : String(error));
      return;
    }
    this.worker.on('message', (message: HostReply) => this.received(message));
    this.worker.on('error', (error) => this.fail(error.stack ?? error.message));
    this.worker.on('exit', (code) => this.fail(`it exited (code ${code})`));
    // The host must not keep the server alive once the client has gone.
    this.worker.unref();
  }

  /** Whether a large document's text can be handed to the host: now, once it has started, or not at all. */
  get state(): 'starting' | 'ready' | 'stopped' {
    return this.failed ? 'stopped' : this.ready ? 'ready' : 'starting';
  }

  get accepting(): boolean {
    return this.state === 'ready';
  }

  /**
   * Hands a large document's `didOpen` (its raw bytes, in the parts they were read in: moved, not copied) to the host,
   * which decodes and keeps its text.
   */
  open(uri: string, version: number, parts: readonly Buffer[], limit: number): Promise<HostedOpen> {
    return new Promise((resolve) => {
      if (!this.accepting) return resolve({ large: true, error: 'the large-document host is not running' });
      this.opens.set(uri, [...(this.opens.get(uri) ?? []), resolve]);
      // A read from a pipe owns its memory whole, so it can be moved; a part cut from a read (the first and the last)
      // is copied into memory of its own.
      const buffers = parts.map((part) => (part.byteOffset === 0 && part.byteLength === part.buffer.byteLength ? part.buffer : new Uint8Array(part).buffer) as ArrayBuffer);
      try {
        this.worker!.postMessage({ type: 'open', uri, version, parts: buffers, limit } satisfies HostRequest, buffers);
      } catch {
        // Memory Node will not let go of (its shared pool): copied instead.
        this.post({ type: 'open', uri, version, parts: buffers, limit });
      }
    });
  }

  /** Resolves with whether the text is still over `limit` after the edit, and its length. */
  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[], limit: number): Promise<{ large: boolean; length?: number }> {
    return new Promise((resolve) => {
      if (this.failed) return resolve({ large: true });
      this.changes.set(uri, [...(this.changes.get(uri) ?? []), resolve]);
      this.post({ type: 'change', uri, version, changes, limit });
    });
  }

  close(uri: string): void {
    this.post({ type: 'close', uri });
  }

  /** A hosted document's text and version, gathered from its parts; `take`: the host forgets it. */
  text(uri: string, take = false): Promise<{ text: string; version: number } | undefined> {
    return new Promise((resolve) => {
      if (this.failed) return resolve(undefined);
      const id = this.nextId++;
      this.texts.set(id, { parts: [], resolve });
      this.post({ type: 'text', id, uri, take });
    });
  }

  /** Undefined only when the check failed, or needs a hosted text the host lost (logged). */
  check(job: LargeCheckJob): Promise<LargeCheckResult | undefined> {
    return new Promise((resolve) => {
      if (this.failed || !this.worker) return resolve(this.checkHere(job));
      const id = this.nextId++;
      this.checks.set(id, { job, resolve });
      void this.sendJob(id, job);
    });
  }

  /**
   * Sends the job with each large text it carries in parts, one per turn of the event loop: copying 50 MB into the
   * worker's message in one go held this thread for 0.1-0.2 s (the structured clone of the whole string); a 4 MB part
   * takes a few ms, and requests that arrive meanwhile are answered between parts. A slice of a flat string shares its
   * characters, so only the part's copy is made.
   */
  private async sendJob(id: number, job: LargeCheckJob): Promise<void> {
    const files = job.files.map((file) => (!file.hosted && file.text.length > TEXT_PART ? { ...file, text: '', parts: Math.ceil(file.text.length / TEXT_PART) } : file));
    this.post({ type: 'check', id, job: { ...job, files } });
    for (const file of job.files) {
      if (file.hosted || file.text.length <= TEXT_PART) continue;
      for (let start = 0; start < file.text.length; start += TEXT_PART) {
        await new Promise((resolve) => setImmediate(resolve));
        if (this.failed || !this.checks.has(id)) return;
        this.worker?.postMessage(file.text.slice(start, start + TEXT_PART));
      }
    }
  }

  private checkHere(job: LargeCheckJob): Promise<LargeCheckResult | undefined> {
    if (job.files.some((file) => file.hosted)) {
      this.log('a large document\'s text was in the large-document host, which stopped: it is not checked until it is opened again');
      return Promise.resolve(undefined);
    }
    this.log("checking a large configuration in the server's thread");
    // Deferred, so the messages already received are answered first.
    return new Promise((resolve) => setImmediate(() => {
      try {
        resolve(runLargeCheck(job));
      } catch (error) {
        this.log(`the check failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
        resolve(undefined);
      }
    }));
  }

  private post(message: HostRequest, transfer: ArrayBuffer[] = []): void {
    if (this.failed || !this.worker) return;
    this.worker.postMessage(message, transfer);
  }

  private received(message: HostReply): void {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.markSettled();
        return;
      case 'opened': {
        const waiting = this.opens.get(message.uri);
        const resolve = waiting?.shift();
        if (!waiting?.length) this.opens.delete(message.uri);
        if (message.error) this.log(`the large-document host could not read ${message.uri}: ${message.error}`);
        resolve?.({ large: message.large, length: message.length, error: message.error });
        return;
      }
      case 'changed': {
        const waiting = this.changes.get(message.uri);
        const resolve = waiting?.shift();
        if (!waiting?.length) this.changes.delete(message.uri);
        resolve?.({ large: message.large, length: message.length });
        return;
      }
      case 'text': {
        const pending = this.texts.get(message.id);
        if (!pending) return;
        pending.parts.push(message.part);
        if (!message.last) return;
        this.texts.delete(message.id);
        pending.resolve(message.version < 0 ? undefined : { text: pending.parts.join(''), version: message.version });
        return;
      }
      case 'checked': {
        const pending = this.checks.get(message.id);
        if (!pending) return;
        this.checks.delete(message.id);
        if (message.result) return pending.resolve(message.result);
        this.log(`the large-document host's check failed: ${message.error ?? 'no result'}`);
        void this.checkHere(pending.job).then(pending.resolve);
        return;
      }
    }
  }

  /** The worker is gone: what waits on it is answered here, or with nothing when it needed a text only the host had. */
  private fail(reason: string): void {
    if (this.failed) return;
    this.failed = true;
    this.markSettled();
    this.log(`the large-document host stopped: ${reason}`);
    void this.worker?.terminate();
    this.worker = undefined;
    for (const [, waiting] of this.opens) for (const resolve of waiting) resolve({ large: true, error: reason });
    this.opens.clear();
    for (const [, waiting] of this.changes) for (const resolve of waiting) resolve({ large: true });
    this.changes.clear();
    for (const [, { resolve }] of this.texts) resolve(undefined);
    this.texts.clear();
    for (const [, { job, resolve }] of this.checks) void this.checkHere(job).then(resolve);
    this.checks.clear();
  }
}
