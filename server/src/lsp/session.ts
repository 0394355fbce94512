/**
 * The language server's state: open documents, config files read from disk, settings, and the scheduling of
 * checks. This is the only place (with its sibling modules in lsp/) that knows LSP; the core does the work.
 */
import { fileURLToPath, pathToFileURL } from 'url';
import {
  DidChangeConfigurationNotification, FileChangeType, TextDocuments, TextDocumentSyncKind,
  type Connection, type Diagnostic, type FileEvent, type TextDocumentContentChangeEvent, type InitializeParams, type InitializeResult, type ServerCapabilities, type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../core/diagnostics/finding';
import type { Schema } from '../core/model/schema';
import { configRootOf, Workspace } from '../core/model/workspace';
import { checkSchema } from '../core/rules/index';
import { entryKind, findFiles, readConfigText, siblingCandidates } from '../node/configFiles';
import { globToRegExp, matchesAny } from '../node/glob';
import { PRODUCT_NAME, VERSION } from '../core/product';
import { CHECKED_NOTIFICATION, STATUS_REQUEST, type CheckedParams, type StatusParams, type StatusResult } from '../protocol';
import { configDocuments, type ConfigDocument } from './configDocument';
import { LineIndexCache, toDiagnostic } from './convert';
import { languageOf } from './language';
import type { Positions } from '../core/text/lineIndex';
import type { ConfigFile } from '../core/model/types';
import { checkSettingsOf, DEFAULT_SETTINGS, readSettings, type ServerSettings } from './settings';
import { LargeDocumentHost } from './largeDocumentHost';
import { exceedsBytes, textBytesAtLeastAfter } from './textSize';
import type { HostedBody } from './largeMessages';
import type { LargeCheckJob, LargeCheckResult } from './largeCheck';

/** Normalises file URIs so a file reached by scanning and by opening is one entry. */
export function normaliseUri(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return pathToFileURL(fileURLToPath(uri)).href;
  } catch {
    return uri;
  }
}

/** The longest a request or a check waits for the workspace's first read before answering from what is read. */
const INITIAL_SCAN_WAIT_MS = 3000;

export class Session {
  /**
   * Keeps the text of large open documents and checks the configurations holding one, in a worker thread
   * (largeDocumentHost.ts). `documents` hands it the documents the stdio filter (largeMessages.ts) passed on as stubs.
   */
  readonly host = new LargeDocumentHost((message) => this.connection.console.log(`${PRODUCT_NAME}: ${message}`));
  readonly documents = new TextDocuments(configDocuments((document, body) => this.hostDocument(document, body)));
  /**
   * Per hosted document, what the host has yet to answer (its open, its edits, a text being taken back), as one chain:
   * the document's own handling and the requests that read it wait for it, in order.
   */
  private readonly hostPending = new Map<ConfigDocument, Promise<void>>();
  /** Per hosted document, a lower bound of its text's size in UTF-8 bytes: while over the limit, nothing waits for the host. */
  private readonly hostedBytes = new WeakMap<ConfigDocument, number>();
  readonly workspace = new Workspace();
  settings: ServerSettings = DEFAULT_SETTINGS;
  private folders: WorkspaceFolder[] = [];
  private supportsConfiguration = false;
  private readonly lineIndexes = new LineIndexCache();
  /** Client URI for each normalised URI of an open document. */
  private readonly clientUris = new Map<string, string>();
  /** URIs with diagnostics currently shown, so they can be cleared. */
  private readonly published = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private lastCheck?: { time: string; durationMs: number };
  /** The document version whose text each open file's model holds (absent: the model holds what is on disk). */
  private readonly modelVersions = new Map<string, number>();
  /**
   * Per config root, the schema last checked and its findings: code actions answer only from a current check. Weakly
   * held, so a replaced schema (with a huge file's text and tree) is not kept alive by it.
   */
  private readonly lastFindings = new Map<string, { schema: WeakRef<Schema>; findings: Map<string, Finding[]> }>();
  /** The client announced `versionSupport`: publishes then carry the document version they were computed for. */
  private versionSupport = false;
  /** Large files are checked only when saved (setting `maxFileSize`). */
  readonly largeFiles = new Set<string>();
  /**
   * The configurations holding a large file are checked in the large-document host (largeDocumentHost.ts): per config root, the number
   * of the newest check started, so an older one's answer is dropped; per large file, the root it was found in and
   * the document version last sent to be checked (what its diagnostics say; code actions answer only for that text).
   */
  private readonly largeChecks = new Map<string, number>();
  private readonly largeRoots = new Map<string, string>();
  private readonly largeCheckedVersions = new Map<string, number>();
  private readonly largeSummaries = new Map<string, LargeCheckResult['summaries'][number]>();
  /** Per config root checked in the host, what its last check counted (this thread's model may not hold it). */
  private readonly largeCounts = new Map<string, { objectTypes: number; relationships: number }>();
  private readonly largeListeners: Array<() => void> = [];
  private readonly listeners: Array<(schema: Schema) => void> = [];
  private readonly extraCapabilities: ServerCapabilities[] = [];
  private readonly scenarioListeners: Array<(clientUri: string, closed: boolean) => void> = [];
  /**
   * Settles when the workspace folders' config files have first been read (after the client's settings, which say
   * which files to read, have been asked for). Until then a file opened alone lacks its siblings: a hover would call
   * a type declared in the next file missing.
   */
  private readonly initialScan: Promise<void>;
  private markInitialScanDone!: () => void;
  private initialScanDone = false;
  private clientCapabilities: InitializeParams['capabilities'] = {};

  constructor(readonly connection: Connection) {
    this.initialScan = new Promise((resolve) => (this.markInitialScanDone = resolve));
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => void this.initialized());
    connection.onDidChangeConfiguration(() => void this.reloadSettings());
    connection.onDidChangeWatchedFiles((params) => this.safely(() => this.watchedFilesChanged(params.changes), undefined));
    // After the host's answers: whether a document is large may wait on one.
    connection.onRequest(STATUS_REQUEST, (params: StatusParams) => this.hostSettled().then(() => this.status(params)));

    // TextDocuments fires onDidChangeContent right after onDidOpen for an opened document: handled once, as an open
    // (checked at once), or that second event would put the open's check off by `validationDelay`.
    const opening = new Set<TextDocument>();
    this.documents.onDidOpen((event) => opening.add(event.document));
    this.documents.onDidChangeContent((event) => {
      const opened = opening.delete(event.document);
      this.afterHostOpening(event.document, () => this.documentChanged(event.document, opened));
    });
    this.documents.onDidSave((event) => {
      if (this.largeFiles.has(normaliseUri(event.document.uri))) this.schedule(event.document.uri, 0, true);
    });
    this.documents.onDidClose((event) => this.documentClosed(event.document.uri));
    this.documents.listen(connection);
  }

  /**
   * A document opened from the stdio filter's stub: its `didOpen` goes to the host as bytes. When the filter could not
   * tell that the text is over `maxFileSize` (its escapes count towards the message's size, not the text's), the
   * document waits for the host's answer, and the text comes back if it is not.
   */
  private hostDocument(document: ConfigDocument, { parts, textBytesAtLeast }: HostedBody): void {
    document.hostIn({ change: (uri, version, changes) => this.hostedEdit(document, version, changes) });
    const limit = this.settings.maxFileSize;
    const version = document.version;
    this.hostedBytes.set(document, textBytesAtLeast);
    const opened = this.host.open(document.uri, version, parts, limit).then(({ large, length, error }) => {
      if (length !== undefined && document.version === version) this.hostedBytes.set(document, length);
      return large || error !== undefined;
    });
    // Certainly large: nothing need wait for the host to decode 50 MB.
    if (textBytesAtLeast > limit) return;
    this.chainHost(document, () => opened.then((stays) => (stays ? undefined : this.takeBack(document))));
  }

  /**
   * An edit of a hosted document: the host applies it. When the edit cannot have brought the text under the limit
   * (`textBytesAtLeastAfter`), nothing waits for that; otherwise the document waits for the host to say whether it
   * is still large.
   */
  private hostedEdit(document: ConfigDocument, version: number, changes: TextDocumentContentChangeEvent[]): void {
    const limit = this.settings.maxFileSize;
    const atLeast = textBytesAtLeastAfter(this.hostedBytes.get(document) ?? 0, changes);
    this.hostedBytes.set(document, atLeast);
    const changed = this.host.change(document.uri, version, changes, limit).then(({ large, length }) => {
      if (length !== undefined && document.version === version) this.hostedBytes.set(document, length);
      return large;
    });
    if (atLeast > limit) return;
    this.chainHost(document, () => changed.then((large) => (large ? undefined : this.takeBack(document))));
  }

  /** The text is no longer over `maxFileSize`: it comes back here, and edits made meanwhile apply to it. */
  private async takeBack(document: ConfigDocument): Promise<void> {
    if (!document.hosted) return;
    document.holdEdits();
    const taken = await this.host.text(document.uri, true);
    if (taken) document.unhost(taken.text, taken.version);
  }

  /** Adds `step` to what `document` waits for from the host. */
  private chainHost(document: ConfigDocument, step: () => Promise<void> | void): void {
    const next = (this.hostPending.get(document) ?? Promise.resolve()).then(step).catch((error) => this.safely(() => { throw error; }, undefined));
    this.hostPending.set(document, next);
    void next.then(() => {
      if (this.hostPending.get(document) === next) this.hostPending.delete(document);
    });
  }

  /** Runs `work` once the host has answered what `document` waits for, in order; at once when nothing waits. */
  private afterHostOpening(document: ConfigDocument, work: () => void): void {
    if (!this.hostPending.has(document)) return work();
    // Closed meanwhile: nothing to do.
    this.chainHost(document, () => {
      if (this.documents.get(document.uri) === document) this.safely(work, undefined);
    });
  }

  /** Resolves once the host has answered everything the open documents wait for (before a request reads them). */
  hostSettled(): Promise<void> {
    return Promise.all([...this.hostPending.values()]).then(() => undefined);
  }

  /**
   * Brings from the host the text of each hosted document a request about `clientUri` reads: the document itself and
   * the large files of its configuration (every hosted one for a scenario, or when `clientUri` is undefined). It is
   * held until the document's next edit, and the request then reads it in this thread, as any other document.
   */
  async fetchHostedTexts(clientUri?: string): Promise<void> {
    await this.hostSettled();
    const hosted = this.documents.all().filter((document) => document.hosted && !document.hasText);
    if (!hosted.length) return;
    let root: string | undefined;
    if (clientUri !== undefined && languageOf(clientUri) === 'config') {
      const uri = normaliseUri(clientUri);
      const file = this.workspace.getFile(uri);
      root = file ? this.workspace.rootOf(file) : this.largeRootOf(uri);
    }
    for (const document of hosted) {
      const uri = normaliseUri(document.uri);
      if (clientUri !== undefined && root !== undefined && document.uri !== clientUri && this.largeRootOf(uri) !== root) continue;
      const fetched = await this.host.text(document.uri);
      if (fetched && this.documents.get(document.uri) === document) document.holdFetched(fetched.text, fetched.version);
    }
  }

  /**
   * `work`'s answer once the hosted texts a request about `clientUri` reads have come from the host
   * (`fetchHostedTexts`), for the requests that read a whole configuration; `fallback` when either fails (logged).
   */
  afterHostedTexts<T>(clientUri: string | undefined, fallback: T, work: () => T): Promise<T> {
    return this.fetchHostedTexts(clientUri).then(() => this.safely(work, fallback), () => fallback);
  }

  /** `.idmsim` scenarios are not configs: their changes go to the scenario features instead of the checker. */
  onScenarioDocument(listener: (clientUri: string, closed: boolean) => void): void {
    this.scenarioListeners.push(listener);
  }

  /** Feature modules declare their capabilities before the client initializes. */
  addCapabilities(capabilities: ServerCapabilities): void {
    this.extraCapabilities.push(capabilities);
  }

  /** Called with each schema after it has been checked (features such as code lens refresh from it). */
  onDidCheck(listener: (schema: Schema) => void): void {
    this.listeners.push(listener);
  }

  /** Called after a configuration holding a large file has been checked (in a worker: there is no schema here to give). */
  onDidCheckLarge(listener: () => void): void {
    this.largeListeners.push(listener);
  }

  /**
   * The summarised outline and code lenses of a large open file, as its last check made them, while the document holds
   * the text that check saw. Undefined for files that are not large; empty before the first check and after an edit
   * (the outline of unsaved text is not built: that would parse tens of megabytes on this thread at every pause in
   * typing).
   */
  largeSummary(clientUri: string): Pick<LargeCheckResult['summaries'][number], 'symbols' | 'lenses'> | undefined {
    const uri = normaliseUri(clientUri);
    if (!this.largeFiles.has(uri)) return undefined;
    return this.summaryOfCurrentText(uri) ?? { symbols: [], lenses: [] };
  }

  /** A large file's summary from its last check, while its open document still holds the text that check saw. */
  private summaryOfCurrentText(uri: string): LargeCheckResult['summaries'][number] | undefined {
    const summary = this.largeSummaries.get(uri);
    const document = this.documents.get(this.clientUris.get(uri) ?? '');
    return summary && document && summary.version === document.version ? summary : undefined;
  }

  /**
   * The managed object types `root`'s configuration defines in files the model lacks: its open large files whose text
   * is the host's (not parsed in this thread), as their last check found them. Undefined when one of those has been
   * edited since its last check, or not checked yet: what it defines now is not known here.
   */
  unreadObjectTypes(root: string): ReadonlySet<string> | undefined {
    const names = new Set<string>();
    for (const uri of this.largeFiles) {
      if (this.largeRootOf(uri) !== root || this.workspace.getFile(uri)) continue;
      const summary = this.summaryOfCurrentText(uri);
      if (!summary) return undefined;
      for (const name of summary.objectNames) names.add(name);
    }
    return names;
  }

  /** Runs a request handler; a bug in it is logged and answered with `fallback`, never a dead server. */
  safely<T>(work: () => T, fallback: T): T {
    try {
      return work();
    } catch (error) {
      this.connection.console.error(`${PRODUCT_NAME}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      return fallback;
    }
  }

  private initialize(params: InitializeParams): InitializeResult {
    this.folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
    this.clientCapabilities = params.capabilities;
    this.supportsConfiguration = !!params.capabilities.workspace?.configuration;
    this.versionSupport = !!params.capabilities.textDocument?.publishDiagnostics?.versionSupport;
    const initial = (params.initializationOptions as { settings?: unknown } | undefined)?.settings;
    if (initial) this.settings = readSettings(initial);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        workspace: { workspaceFolders: { supported: true } },
        ...Object.assign({}, ...this.extraCapabilities),
      },
      serverInfo: { name: PRODUCT_NAME, version: VERSION },
    };
  }

  private async initialized(): Promise<void> {
    if (this.supportsConfiguration) {
      void this.connection.client.register(DidChangeConfigurationNotification.type, { section: 'idmRelationships' }).catch(() => undefined);
      await this.reloadSettings(false);
    }
    this.scanWorkspace();
    this.initialScanDone = true;
    this.markInitialScanDone();
    this.checkAll();
  }

  /** The workspace folders' paths on disk. */
  workspaceFolderPaths(): string[] {
    return this.folders.flatMap((folder) => {
      try {
        return [fileURLToPath(folder.uri)];
      } catch {
        return [];
      }
    });
  }

  /** What the client announced it can do (`initialize`'s capabilities). */
  get capabilities(): InitializeParams['capabilities'] {
    return this.clientCapabilities;
  }

  /**
   * Resolves once the workspace's config files have first been read, or after `INITIAL_SCAN_WAIT_MS` if that takes
   * longer (a client that never answers `workspace/configuration`): answers that depend on the whole configuration
   * wait for it rather than speak from the opened file alone.
   */
  workspaceRead(): Promise<void> {
    if (this.initialScanDone) return Promise.resolve();
    return Promise.race([this.initialScan, new Promise<void>((resolve) => setTimeout(resolve, INITIAL_SCAN_WAIT_MS).unref())]);
  }

  private async reloadSettings(recheck = true): Promise<void> {
    if (this.supportsConfiguration) {
      try {
        this.settings = readSettings(await this.connection.workspace.getConfiguration('idmRelationships'));
      } catch {
        // Keep the settings we have.
      }
    }
    if (recheck) {
      this.scanWorkspace();
      this.checkAll();
    }
  }

  /** Reads every config file in the workspace folders that is not open in the editor. */
  private scanWorkspace(): void {
    for (const folder of this.folders) {
      let path: string;
      try {
        path = fileURLToPath(folder.uri);
      } catch {
        continue;
      }
      for (const file of findFiles(path, this.settings.files)) {
        const uri = pathToFileURL(file).href;
        if (!this.clientUris.has(uri)) this.loadFromDisk(uri);
      }
    }
  }

  /**
   * Files and folders created, changed or deleted on disk. An event for a folder (deleted, created, renamed: editors
   * send one event for the folder, none for what it holds) stands for every config file under it.
   */
  private watchedFilesChanged(changes: FileEvent[]): void {
    const roots = new Set<string>();
    for (const change of changes) {
      for (const { uri, gone } of this.configFilesAt(normaliseUri(change.uri), change.type === FileChangeType.Deleted)) {
        if (this.documents.get(this.clientUris.get(uri) ?? '')) continue; // the open document wins over the disk
        const before = this.workspace.getFile(uri);
        if (before) roots.add(this.workspace.rootOf(before));
        // An unread file may have belonged to either root its path allows.
        for (const root of [configRootOf(uri, 'managed'), configRootOf(uri, 'single-object')]) roots.add(root);
        if (gone) this.workspace.removeFile(uri);
        else this.loadFromDisk(uri);
        const after = this.workspace.getFile(uri);
        if (after) roots.add(this.workspace.rootOf(after));
      }
    }
    this.checkRoots(roots);
  }

  /** The config files an event at `uri` stands for, and whether each is gone. */
  private configFilesAt(uri: string, deleted: boolean): Array<{ uri: string; gone: boolean }> {
    const known = this.workspace.filesUnder(uri);
    let path: string;
    try {
      path = fileURLToPath(uri);
    } catch {
      return known.map((file) => ({ uri: file, gone: true }));
    }
    const kind = deleted ? undefined : entryKind(path);
    if (kind === 'folder') {
      const found = findFiles(path, this.settings.files).map((file) => pathToFileURL(file).href);
      const present = new Set(found);
      return [...found.map((file) => ({ uri: file, gone: false })), ...known.filter((file) => !present.has(file)).map((file) => ({ uri: file, gone: true }))];
    }
    if (kind === 'file') return known.length || this.matchesFileGlobs(uri) ? [{ uri, gone: false }] : [];
    return known.map((file) => ({ uri: file, gone: true }));
  }

  /** Reads a config file into the model; one that exists but cannot be read is recorded as such, with the reason. */
  private loadFromDisk(uri: string): void {
    let path: string;
    try {
      path = fileURLToPath(uri);
    } catch {
      return;
    }
    const read = readConfigText(path);
    this.modelVersions.delete(uri);
    if ('text' in read) this.workspace.setFile(uri, read.text);
    else if (entryKind(path) !== 'file') this.workspace.removeFile(uri);
    else this.workspace.setUnreadable({ uri, path, reason: read.error });
  }

  private documentChanged(document: ConfigDocument, opened: boolean): void {
    if (languageOf(document.uri) === 'scenario') {
      for (const listener of this.scenarioListeners) this.safely(() => listener(document.uri, false), undefined);
      return;
    }
    const uri = normaliseUri(document.uri);
    this.clientUris.set(uri, document.uri);
    if (opened) this.loadSiblings(uri);
    // A hosted document is large: the host gives back a text that is no longer over the limit (takeBack).
    const large = document.hosted || exceedsBytes(document.getText(), this.settings.maxFileSize);
    if (large) this.largeFiles.add(uri);
    else this.largeFiles.delete(uri);
    // A large file is read when opened and when saved, not on every keystroke, and in a worker: the tree this thread
    // holds of another text (read from disk, or built for a request) is let go; a request about the file builds it
    // again from the current text.
    if (large) this.releaseLargeTree(uri);
    if (large && !opened) return;
    // Before the workspace is read, a check would see this file without its siblings: wait (bounded) for the read.
    // An open before that read is checked by the workspace's first check (checkAll), which takes in every open
    // document, the large ones too; only one whose wait ran out first needs its own. (A second check of a 50 MB file
    // opened as the editor starts, as restored editors are, cost the host 1.5 s and its result was thrown away.)
    if (!this.initialScanDone) {
      void this.workspaceRead().then(() => {
        if (!(opened && this.initialScanDone)) this.schedule(document.uri, opened ? 0 : this.settings.validationDelay, large);
      });
    }
    else this.schedule(document.uri, opened ? 0 : this.settings.validationDelay, large);
  }

  private releaseLargeTree(uri: string): void {
    if (!this.workspace.getFile(uri)) return;
    this.workspace.removeFile(uri);
    this.modelVersions.delete(uri);
    this.lineIndexes.delete(uri);
  }

  /** A file opened outside the workspace folders still sees the files it belongs with. */
  private loadSiblings(uri: string): void {
    if (!uri.startsWith('file:')) return;
    const inFolder = this.folders.some((folder) => uri.startsWith(normaliseUri(folder.uri).replace(/\/?$/, '/')));
    if (inFolder) return;
    try {
      for (const file of siblingCandidates(fileURLToPath(uri), this.settings.files)) {
        const sibling = pathToFileURL(file).href;
        if (sibling !== uri && !this.workspace.getFile(sibling)) this.loadFromDisk(sibling);
      }
    } catch {
      // Unreadable folders: check the file alone.
    }
  }

  private documentClosed(clientUri: string): void {
    if (languageOf(clientUri) === 'scenario') {
      for (const listener of this.scenarioListeners) this.safely(() => listener(clientUri, true), undefined);
      return;
    }
    const uri = normaliseUri(clientUri);
    // The host forgets its copy, if it has one (in order: after the document's open and edits).
    this.host.close(clientUri);
    const timer = this.timers.get(clientUri);
    if (timer) clearTimeout(timer);
    this.timers.delete(clientUri);
    this.clientUris.delete(uri);
    this.largeFiles.delete(uri);
    this.largeRoots.delete(uri);
    this.largeCheckedVersions.delete(uri);
    this.largeSummaries.delete(uri);
    this.modelVersions.delete(uri);
    const before = this.workspace.getFile(uri);
    const root = before ? this.workspace.rootOf(before) : undefined;
    // Back to what is on disk (the edits may not have been saved), or gone if it is not a workspace file.
    const onDisk = uri.startsWith('file:') && this.matchesFileGlobs(uri);
    if (onDisk) this.loadFromDisk(uri);
    else this.workspace.removeFile(uri);
    this.clear(clientUri);
    this.checkRoots(root === undefined ? [] : [root]);
  }

  private matchesFileGlobs(uri: string): boolean {
    try {
      return matchesAny(fileURLToPath(uri), this.settings.files.map(globToRegExp));
    } catch {
      return false;
    }
  }

  /** Debounced per document: the newest edit wins. */
  private schedule(clientUri: string, delay: number, force = false): void {
    const existing = this.timers.get(clientUri);
    if (existing) clearTimeout(existing);
    this.timers.set(clientUri, setTimeout(() => {
      this.timers.delete(clientUri);
      const document = this.documents.get(clientUri);
      if (!document) return;
      const uri = normaliseUri(clientUri);
      if (this.largeFiles.has(uri) && !force && this.workspace.getFile(uri)) return;
      if (this.largeFiles.has(uri)) {
        this.checkInWorker(this.largeRootOf(uri));
        return;
      }
      const before = this.workspace.getFile(uri);
      const roots = this.syncOpenDocuments(uri);
      if (before) roots.add(this.workspace.rootOf(before));
      const file = this.workspace.getFile(uri);
      if (file) roots.add(this.workspace.rootOf(file));
      this.checkRoots(roots);
    }, delay));
  }

  /**
   * Puts the current text of open config documents into the model: every one but the large files (read only when
   * saved), and `alsoUri` even if large. Returns the config roots whose schema changed (before and after the move, when
   * an edit moved a file from one root to another).
   */
  private syncOpenDocuments(alsoUri?: string, includeLarge = false): Set<string> {
    const roots = new Set<string>();
    for (const [uri, clientUri] of this.clientUris) {
      if (!includeLarge && uri !== alsoUri && this.largeFiles.has(uri)) continue;
      const document = this.documents.get(clientUri);
      // A hosted document's text is read here only when a request fetched it (fetchHostedTexts).
      if (!document || !document.hasText) continue;
      const before = this.workspace.getFile(uri);
      if (before && this.modelVersions.get(uri) === document.version) continue;
      this.modelVersions.set(uri, document.version);
      // A newer version of an open document is new text: comparing megabytes of it first would only cost time. Text
      // read from disk (version 0) is worth comparing: the same text needs no new parse.
      if (before && before.version === 0 && before.text === document.getText()) continue;
      if (before) roots.add(this.workspace.rootOf(before));
      // The edits since the version the model holds: only the object type they lie in is read again, when possible.
      const change = document.changeSince(before?.version);
      const file = change && before ? this.workspace.updateFile(uri, document.getText(), document.version, change) : this.workspace.setFile(uri, document.getText(), document.version);
      roots.add(this.workspace.rootOf(file));
    }
    return roots;
  }

  /** Checks the configurations at `roots` against the open documents' current text (and any other root that text moved). */
  private checkRoots(roots: Iterable<string>): void {
    const all = new Set(roots);
    for (const root of this.syncOpenDocuments()) all.add(root);
    for (const root of all) {
      if (this.holdsLargeFile(root)) {
        this.checkInWorker(root);
        continue;
      }
      const schema = this.workspace.allSchemas().find((s) => s.root === root);
      if (schema) this.check(schema);
      else this.clearMissing();
    }
  }

  private checkAll(): void {
    this.syncOpenDocuments();
    for (const schema of this.workspace.allSchemas()) {
      if (!this.holdsLargeFile(schema.root)) this.check(schema);
    }
    for (const root of new Set([...this.largeFiles].map((uri) => this.largeRootOf(uri)))) this.checkInWorker(root);
  }

  /** The config root of an open large file: where its last check found it, else where a whole `managed.json` would be. */
  private largeRootOf(uri: string): string {
    return this.largeRoots.get(uri) ?? configRootOf(uri, 'managed');
  }

  private holdsLargeFile(root: string): boolean {
    for (const uri of this.largeFiles) if (this.largeRootOf(uri) === root) return true;
    return false;
  }

  /**
   * Checks the configuration at `root`, which holds a large file, in a worker thread: every file the model holds
   * there, with the open documents' current text (the large ones' too: this runs when they are opened or saved, or
   * when a file beside them changes). Diagnostics are published with the version they were computed for, unless a
   * newer check of the root started meanwhile or the document was closed.
   */
  private checkInWorker(root: string): void {
    const generation = (this.largeChecks.get(root) ?? 0) + 1;
    this.largeChecks.set(root, generation);
    const files: LargeCheckJob['files'] = [];
    for (const file of this.workspace.allFiles) {
      if (this.largeFiles.has(file.uri) || this.workspace.rootOf(file) !== root) continue;
      files.push({ uri: file.uri, text: file.text, version: file.version, clientUri: this.documents.get(this.clientUris.get(file.uri) ?? '') ? this.clientUris.get(file.uri) : undefined });
    }
    for (const uri of this.largeFiles) {
      const clientUri = this.clientUris.get(uri);
      const document = clientUri ? this.documents.get(clientUri) : undefined;
      if (!document || this.largeRootOf(uri) !== root) continue;
      // A hosted document's text is the host's own: the job names it only.
      files.push({ uri, text: document.hosted ? '' : document.getText(), version: document.version, clientUri, large: true, hosted: document.hosted });
      this.largeCheckedVersions.set(uri, document.version);
    }
    void this.host.check({ files, settings: checkSettingsOf(this.settings) }).then((result) => this.safely(() => {
      if (!result) return;
      const superseded = this.largeChecks.get(root) !== generation;
      // One line per check of a large configuration, in the output channel: they take seconds, and say why.
      this.connection.console.log(`${PRODUCT_NAME}: checked the configuration at ${root} (${files.length} file(s), a large one among ` +
        `them) in ${result.durationMs.toFixed(0)} ms${superseded ? ': a newer check had started, so this one is not published' : ''}`);
      if (superseded) return;
      for (const { uri, root: found } of result.roots) if (this.largeFiles.has(uri)) this.largeRoots.set(uri, found);
      for (const summary of result.summaries) if (this.largeFiles.has(summary.uri)) this.largeSummaries.set(summary.uri, summary);
      this.largeCounts.set(root, { objectTypes: result.objectTypes, relationships: result.relationships });
      const checked: string[] = [];
      for (const { uri, clientUri, version, diagnostics } of result.published) {
        if (this.clientUris.get(uri) !== clientUri || !this.documents.get(clientUri)) continue;
        this.publishDiagnostics(clientUri, diagnostics, version);
        checked.push(clientUri);
      }
      this.lastCheck = { time: new Date().toISOString(), durationMs: result.durationMs };
      void this.connection.sendNotification(CHECKED_NOTIFICATION, { uris: checked, time: this.lastCheck.time, durationMs: result.durationMs } satisfies CheckedParams);
      for (const listener of this.largeListeners) listener();
    }, undefined));
  }

  /** Checks one schema and publishes diagnostics for its open documents; returns the findings per file URI. */
  check(schema: Schema): Map<string, Finding[]> | undefined {
    return this.safely(() => {
      const started = performance.now();
      const findings = checkSchema(schema, checkSettingsOf(this.settings));
      this.lastFindings.set(schema.root, { schema: new WeakRef(schema), findings });
      const checked: string[] = [];
      for (const file of schema.files) {
        const clientUri = this.clientUris.get(file.uri);
        if (!clientUri) continue;
        // Files that are not managed configs (a stray JSON matched by a glob) get nothing, not even syntax errors.
        const list = file.layout === 'unknown' ? [] : findings.get(file.uri) ?? [];
        this.publish(clientUri, list, this.modelVersions.get(file.uri));
        checked.push(clientUri);
      }
      this.clearMissing();
      const durationMs = performance.now() - started;
      this.lastCheck = { time: new Date().toISOString(), durationMs };
      void this.connection.sendNotification(CHECKED_NOTIFICATION, { uris: checked, time: this.lastCheck.time, durationMs } satisfies CheckedParams);
      for (const listener of this.listeners) listener(schema);
      return findings;
    }, undefined);
  }

  /**
   * The findings of `uri`'s configuration for the current text of every open document: the last check's when it saw
   * that text, else a check now (a few ms). Undefined when that would check a large file before it is saved, or when
   * the file is not in a configuration.
   */
  currentFindings(uri: string): Map<string, Finding[]> | undefined {
    this.bringUpToDate(uri);
    const schema = this.workspace.schemaFor(uri);
    if (!schema) return undefined;
    const last = this.lastFindings.get(schema.root);
    if (last && last.schema.deref() === schema) return last.findings;
    const large = schema.files.filter((file) => this.largeFiles.has(file.uri));
    if (!large.length) return this.check(schema);
    // Checked in a worker: here only for the text that check saw (a large file is not checked before it is saved).
    if (large.some((file) => file.version !== this.largeCheckedVersions.get(file.uri))) return undefined;
    return this.safely(() => {
      const findings = checkSchema(schema, checkSettingsOf(this.settings));
      this.lastFindings.set(schema.root, { schema: new WeakRef(schema), findings });
      return findings;
    }, undefined);
  }

  /** `version`: the document version the findings were computed for, sent when the client can use it. */
  private publish(clientUri: string, findings: Finding[], version: number | undefined): void {
    this.publishDiagnostics(clientUri, findings.map((finding) => this.diagnosticOf(finding)), version);
  }

  private publishDiagnostics(clientUri: string, diagnostics: Diagnostic[], version: number | undefined): void {
    if (!diagnostics.length && !this.published.has(clientUri)) return;
    if (diagnostics.length) this.published.add(clientUri);
    else this.published.delete(clientUri);
    void this.connection.sendDiagnostics({ uri: clientUri, diagnostics, version: this.versionSupport ? version : undefined });
  }

  /** A finding as the client sees it, in the positions of the model's current text. */
  diagnosticOf(finding: Finding): Diagnostic {
    const indexFor = (uri: string) => this.lineIndexOf(uri);
    return toDiagnostic(finding, indexFor, (uri) => this.clientUriOf(uri));
  }

  private clear(clientUri: string): void {
    if (!this.published.delete(clientUri)) return;
    void this.connection.sendDiagnostics({ uri: clientUri, diagnostics: [] });
  }

  /** Clears diagnostics of documents whose file is no longer a config the workspace holds. */
  private clearMissing(): void {
    for (const clientUri of [...this.published]) {
      // A large file's diagnostics come from a worker's check: this thread's model may not hold the file at all.
      if (this.largeFiles.has(normaliseUri(clientUri)) && this.documents.get(clientUri)) continue;
      if (!this.workspace.getFile(normaliseUri(clientUri)) || !this.documents.get(clientUri)) this.clear(clientUri);
    }
  }

  private status(params: StatusParams): StatusResult {
    const uri = params?.uri ? normaliseUri(params.uri) : undefined;
    if (uri) this.bringUpToDate(params.uri);
    const schemas = uri ? [this.workspace.schemaFor(uri)].filter((s): s is Schema => !!s) : this.workspace.allSchemas();
    const configFiles = this.workspace.allFiles.filter((f) => f.layout !== 'unknown');
    // A large document whose text is in the host: its configuration as its last check counted it.
    const counts = uri && this.largeFiles.has(uri) && !this.workspace.getFile(uri) ? this.largeCounts.get(this.largeRootOf(uri)) : undefined;
    if (counts) schemas.length = 0;
    return {
      files: configFiles.length,
      objectTypes: counts?.objectTypes ?? schemas.reduce((n, s) => n + s.managed.size, 0),
      relationships: counts?.relationships ?? schemas.reduce((n, s) => n + s.relationships.length, 0),
      schemas: this.workspace.allSchemas().length,
      lastCheck: this.lastCheck?.time,
      lastCheckMs: this.lastCheck?.durationMs,
      largeFiles: [...this.largeFiles].map((u) => this.clientUris.get(u) ?? u),
    };
  }

  /** The text and line index of a file, for feature handlers. */
  fileOf(clientUri: string) {
    const uri = normaliseUri(clientUri);
    const file = this.workspace.getFile(uri);
    return file ? { file, index: this.positionsOf(uri, file), uri } : undefined;
  }

  /** The URI the client knows `uri` by. */
  clientUriOf(uri: string): string {
    return this.clientUris.get(uri) ?? uri;
  }

  lineIndexOf(uri: string): Positions | undefined {
    const file = this.workspace.getFile(uri);
    return file ? this.positionsOf(uri, file) : undefined;
  }

  /**
   * Offsets to positions in `file`: an open document whose text the model holds keeps its line starts up to date
   * through each edit, so indexing megabytes again after every keystroke is not needed; other files get a LineIndex.
   */
  private positionsOf(uri: string, file: ConfigFile): Positions {
    const document = this.documents.get(this.clientUris.get(uri) ?? '');
    // The model sets a file from an open document with that document's version (files read from disk have 0).
    if (document && file.version > 0 && document.version === file.version) return document;
    return this.lineIndexes.get(uri, file.text);
  }

  /**
   * Brings the model up to date with every open config document, large ones included, before a request reads it:
   * answers come from the text the user sees, never the debounced one. Parses only documents whose version changed;
   * the check itself stays debounced.
   */
  bringUpToDate(clientUri?: string): void {
    if (clientUri === undefined) {
      this.syncOpenDocuments(undefined, true);
      return;
    }
    // A request about one document reads its configuration only: a large file elsewhere is not parsed for it (that
    // would hold the request for as long as the parse of tens of megabytes takes).
    const uri = normaliseUri(clientUri);
    this.syncOpenDocuments(uri);
    const file = this.workspace.getFile(uri);
    if (!file) return;
    const root = this.workspace.rootOf(file);
    for (const large of [...this.largeFiles]) {
      if (large !== uri && this.largeRootOf(large) === root) this.syncOpenDocuments(large);
    }
  }
}
