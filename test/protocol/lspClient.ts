/**
 * A small LSP client for protocol tests: starts `node dist/server.js --stdio` and speaks JSON-RPC with
 * Content-Length framing, the way an editor does.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'child_process';
import * as path from 'path';
import { REPO_ROOT } from '../helpers/fixtures';

type Handler = (params: any) => void;

export interface Notification {
  method: string;
  params: unknown;
}

/** A JSON-RPC message with its Content-Length header. */
function frame(message: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]);
}

export class LspClient {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  /** Chunks received after `buffer` while a message's body is incomplete: joined once it is (not once per chunk). */
  private pendingChunks: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes `buffer` must hold before the next message can be read (0: unknown, read its header first). */
  private awaitedBytes = 0;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  private readonly handlers = new Map<string, Handler[]>();
  /** Latest published diagnostics per URI. */
  readonly diagnostics = new Map<string, any[]>();
  /** Answers to the server's workspace/configuration requests. */
  settings: Record<string, unknown> = {};
  /** While set, answers to workspace/configuration wait for it (a client slow to answer, as an editor still starting). */
  private configurationHeld?: Promise<void>;
  stderr = '';

  constructor(args: string[] = ['--stdio']) {
    // LSP_SERVER_NODE_ARGS passes Node flags to the server only (e.g. --cpu-prof for a benchmark), which NODE_OPTIONS
    // cannot do for the profiling flags.
    const nodeArgs = (process.env.LSP_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
    this.child = spawn(process.execPath, [...nodeArgs, path.join(REPO_ROOT, 'dist', 'server.js'), ...args], { stdio: 'pipe' });
    this.child.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.on('textDocument/publishDiagnostics', (params) => this.diagnostics.set(params.uri, params.diagnostics));
  }

  /** The server's process id (for reading its memory from /proc). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** True once the server process has exited. */
  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** Holds the answers to the server's workspace/configuration requests until the returned function is called. */
  holdConfiguration(): () => void {
    let release!: () => void;
    this.configurationHeld = new Promise((resolve) => (release = resolve));
    return () => {
      this.configurationHeld = undefined;
      release();
    };
  }

  on(method: string, handler: Handler): void {
    const list = this.handlers.get(method) ?? [];
    list.push(handler);
    this.handlers.set(method, list);
  }

  request<T = any>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++;
    this.send({ jsonrpc: '2.0', id, method, params });
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** Resolves when a notification matching `predicate` arrives (or rejects after `timeoutMs`). */
  waitFor(method: string, predicate: (params: any) => boolean = () => true, timeoutMs = 10000): Promise<any> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${method}`)), timeoutMs);
      this.on(method, (params) => {
        if (!predicate(params)) return;
        clearTimeout(timer);
        resolve(params);
      });
    });
  }

  waitForDiagnostics(uri: string, predicate: (diagnostics: any[]) => boolean = () => true, timeoutMs = 10000): Promise<any[]> {
    const current = this.diagnostics.get(uri);
    if (current && predicate(current)) return Promise.resolve(current);
    return this.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && predicate(p.diagnostics), timeoutMs).then((p) => p.diagnostics);
  }

  /** `publishDiagnostics`: the client's capability of that name (VS Code announces `versionSupport`). */
  /** `workspace`: more workspace capabilities (`workspaceEdit`, as VS Code announces it). */
  async initialize(rootUri: string | null, initializationOptions: unknown = undefined, publishDiagnostics: Record<string, unknown> = { relatedInformation: true }, workspace: Record<string, unknown> = {}): Promise<any> {
    const result = await this.request('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: rootUri ? [{ uri: rootUri, name: 'test' }] : null,
      capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, ...workspace }, textDocument: { publishDiagnostics } },
      initializationOptions,
    });
    this.notify('initialized', {});
    return result;
  }

  open(uri: string, text: string, version = 1, languageId = 'json'): void {
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  change(uri: string, text: string, version: number): void {
    this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  /**
   * Several whole-text changes in one write, as an editor sends a burst of keystrokes: the server reads them together,
   * so a debounce that fires between them would be a server fault, not the test machine pausing between writes.
   */
  changesInOneWrite(uri: string, changes: Array<{ text: string; version: number }>): void {
    const messages = changes.map(({ text, version }) => ({
      jsonrpc: '2.0', method: 'textDocument/didChange', params: { textDocument: { uri, version }, contentChanges: [{ text }] },
    }));
    this.child.stdin.write(Buffer.concat(messages.map(frame)));
  }

  close(uri: string): void {
    this.notify('textDocument/didClose', { textDocument: { uri } });
  }

  async shutdown(): Promise<void> {
    try {
      await Promise.race([this.request('shutdown', null), new Promise((r) => setTimeout(r, 2000))]);
      this.notify('exit', null);
    } finally {
      setTimeout(() => this.child.kill(), 200).unref();
    }
  }

  /**
   * Sends a request and notifications in one write, so the server reads them together, as when one keystroke sends
   * an edit and a request, or a request and its cancellation: `before` go ahead of the request, `after(id)` behind it.
   */
  requestInOneWrite<T = any>(method: string, params: unknown, before: Notification[] = [], after: (id: number) => Notification[] = () => []): Promise<T> {
    const id = this.nextId++;
    const answer = new Promise<T>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    const messages = [...before.map((n) => ({ jsonrpc: '2.0', ...n })), { jsonrpc: '2.0', id, method, params }, ...after(id).map((n) => ({ jsonrpc: '2.0', ...n }))];
    this.child.stdin.write(Buffer.concat(messages.map(frame)));
    return answer;
  }

  private send(message: unknown): void {
    this.child.stdin.write(frame(message));
  }

  private receive(chunk: Buffer): void {
    // A large reply arrives in many chunks: joining each one onto the buffer would copy the message once per chunk
    // (quadratic, seconds for a 10 MB graph), which a benchmark would then count as the server's time.
    this.pendingChunks.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.buffer.length + this.pendingBytes < this.awaitedBytes) return;
    this.buffer = Buffer.concat([this.buffer, ...this.pendingChunks]);
    this.pendingChunks = [];
    this.pendingBytes = 0;
    this.awaitedBytes = 0;
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) {
        this.awaitedBytes = headerEnd + 4 + length;
        return;
      }
      const message = JSON.parse(this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8'));
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.dispatch(message);
    }
  }

  private dispatch(message: any): void {
    if (message.id !== undefined && message.method === undefined) {
      const pending = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) pending?.reject(new Error(message.error.message));
      else pending?.resolve(message.result);
      return;
    }
    if (message.id !== undefined) {
      // A request from the server.
      let result: unknown = null;
      if (message.method === 'workspace/configuration') {
        result = message.params.items.map(() => this.settings);
        if (this.configurationHeld) {
          void this.configurationHeld.then(() => this.send({ jsonrpc: '2.0', id: message.id, result }));
          return;
        }
      }
      this.send({ jsonrpc: '2.0', id: message.id, result });
      return;
    }
    for (const handler of this.handlers.get(message.method) ?? []) handler(message.params);
  }
}

/** Applies LSP TextEdits (against the original text) to `text`. */
export function applyTextEdits(text: string, edits: Array<{ range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }>): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (p: { line: number; character: number }) => (lineStarts[p.line] ?? text.length) + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  for (const edit of sorted) text = text.slice(0, offset(edit.range.start)) + edit.newText + text.slice(offset(edit.range.end));
  return text;
}
