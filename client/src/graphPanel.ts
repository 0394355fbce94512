/**
 * "IDM: Show Relationship Graph": a webview panel beside the editor that draws the relationship graph of the active
 * managed config (or the simulation of the active `.idmsim` scenario), follows the active editor, refreshes while
 * the user types (the first change at once, then at most every 300 ms), highlights the edge of the property under
 * the cursor, reveals definitions on click, exports SVG/PNG and copies Mermaid. The panel survives a reload
 * (serializer + the webview's saved state). Every message from the webview is validated, and reveals are looked up
 * in the graph the panel sent, so the webview can only point at places the server reported.
 */
import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { webviewHtml, makeNonce } from '../webview/shared/html';
import { isCachedLayout, isPersistedState, parseWebviewMessage, type HostMessage, type WebviewMessage, type WireGraph, type WireLocation } from '../webview/shared/messages';
import { rememberLayout, type CachedLayout } from '../webview/shared/layoutCache';
import { elementsAt, locationOf } from '../webview/shared/selection';
import { Throttle } from '../webview/shared/throttle';
import {
  GRAPH_CHANGED_NOTIFICATION, GRAPH_REQUEST, SIMULATION_CHANGED_NOTIFICATION,
  type GraphChangedParams, type GraphParams, type GraphResult, type SimulationChangedParams,
} from '../../server/src/protocol';

export const GRAPH_VIEW_TYPE = 'idmRelationships.graph';
export const SHOW_GRAPH_COMMAND = 'idmRelationships.showGraph';
/** How often the graph is re-requested while a document changes. */
const REFRESH_INTERVAL_MS = 300;
/** The workspace-storage key of the layouts ELK computed in earlier panels (see webview/shared/layoutCache.ts). */
const LAYOUTS_KEY = 'idmRelationships.graphLayouts';

type ClientSource = LanguageClient | (() => LanguageClient | undefined);

/**
 * The panel's "document" for the state served by `idm-rel serve`: `idm-rel-serve:http://127.0.0.1:8080/openidm`.
 * Its graph comes from the server's `/_simulator/graph`, not from the language server, and the panel stays on it
 * while the user moves between editors.
 */
export const SERVED_STATE_SCHEME = 'idm-rel-serve:';

/** The served state's graph, as the language server would answer for a scenario. */
async function fetchServedGraph(uri: string, step: number | undefined): Promise<GraphResult> {
  const origin = new URL(uri.slice(SERVED_STATE_SCHEME.length)).origin;
  const response = await fetch(`${origin}/_simulator/graph${step === undefined ? '' : `?step=${step}`}`);
  if (!response.ok) return { kind: 'none', reason: `The simulator server answered ${response.status}.` };
  return (await response.json()) as GraphResult;
}

/** Documents the graph can be drawn for: JSON config files and scenarios (the server decides which JSON is a config). */
function isCandidate(document: vscode.TextDocument): boolean {
  if (document.uri.scheme !== 'file' && document.uri.scheme !== 'untitled') return false;
  return document.languageId === 'idmsim' || /\.idmsim$/i.test(document.uri.path) || /\.json$/i.test(document.uri.path)
    || document.languageId === 'json' || document.languageId === 'jsonc';
}

/**
 * The editor whose graph to show: the active editor, or, while a non-text editor is active (a walkthrough page, the
 * panel itself), the first visible config or scenario editor.
 */
function candidateEditor(): vscode.TextEditor | undefined {
  const active = vscode.window.activeTextEditor;
  if (active) return isCandidate(active.document) ? active : undefined;
  return vscode.window.visibleTextEditors.find((editor) => isCandidate(editor.document));
}

function baseName(uri: string): string {
  try {
    return decodeURIComponent(vscode.Uri.parse(uri).path.split('/').pop() ?? uri);
  } catch {
    return uri;
  }
}

class GraphPanel {
  /** The document the panel follows. */
  private documentUri: string | undefined;
  /** The graph last sent to the webview, and the document it is of. */
  private graph: WireGraph | undefined;
  private graphDocument: string | undefined;
  private ready = false;
  private readonly queue: HostMessage[] = [];
  private sequence = 0;
  /** The simulation step the webview shows when it is not the last; refreshes draw that step. */
  private step: number | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly refresh: Throttle;
  /** The editor column to reveal definitions in (not the panel's own). */
  private editorColumn: vscode.ViewColumn | undefined;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    private readonly getClient: () => LanguageClient | undefined,
    private readonly onDispose: () => void,
  ) {
    const webview = panel.webview;
    webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist')] };
    webview.html = webviewHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce((size) => randomBytes(size)),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview.css')).toString(),
    });
    this.refresh = new Throttle(REFRESH_INTERVAL_MS, () => void this.requestGraph());
    this.disposables.push(
      webview.onDidReceiveMessage((raw: unknown) => this.onMessage(raw)),
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState(() => {
        // A hidden webview is discarded (its state is saved); messages wait for its next 'ready'.
        if (!panel.visible) this.ready = false;
        else this.followActiveEditor();
      }),
      vscode.window.onDidChangeActiveTextEditor(() => this.followActiveEditor()),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length && this.involves(event.document.uri.toString())) this.refresh.trigger();
      }),
      vscode.window.onDidChangeTextEditorSelection((event) => this.highlightSelection(event.textEditor)),
    );
  }

  /** Shows the graph of `uri` (or of the active editor). */
  show(uri?: string): void {
    const target = uri ?? this.activeCandidate()?.document.uri.toString();
    if (!target) {
      if (!this.documentUri) this.post({ type: 'empty', reason: 'Open a managed object config (managed.json, managed-objects/…) or an .idmsim scenario to see its relationships.' });
      return;
    }
    if (target !== this.documentUri) {
      this.step = undefined;
      this.documentUri = target;
      this.refresh.cancel();
    }
    this.refresh.flush();
  }

  /** The server says these files were checked (or this scenario's simulation changed): refresh if they are shown. */
  changed(uris: string[]): void {
    if (!this.documentUri || !this.panel.visible) return;
    const shown = this.documentUri;
    if (uris.includes(shown) || (/\.idmsim$/i.test(shown) && this.graph?.view === 'simulation')) this.refresh.trigger();
  }

  private activeCandidate(): vscode.TextEditor | undefined {
    return candidateEditor();
  }

  private followActiveEditor(): void {
    // The served state's graph follows the server, not the editor.
    if (this.documentUri?.startsWith(SERVED_STATE_SCHEME)) return;
    // Only a text editor becoming active moves the graph: focusing a walkthrough page leaves it where it is.
    const active = vscode.window.activeTextEditor;
    const editor = active && isCandidate(active.document) ? active : undefined;
    if (!editor) return;
    this.editorColumn = editor.viewColumn ?? this.editorColumn;
    const uri = editor.document.uri.toString();
    if (uri !== this.documentUri && this.panel.visible) this.show(uri);
  }

  /** True when an edit to `uri` can change the shown graph: the shown document, or a file the graph points into. */
  private involves(uri: string): boolean {
    if (uri === this.documentUri) return true;
    const graph = this.graph;
    if (!graph) return false;
    if (graph.view === 'simulation') return false;
    return graph.nodes.some((node) => node.location?.uri === uri);
  }

  private async requestGraph(step = this.step): Promise<void> {
    const uri = this.documentUri;
    const client = this.getClient();
    const served = uri?.startsWith(SERVED_STATE_SCHEME);
    if (!uri || (!client && !served)) return;
    const sequence = ++this.sequence;
    let result: GraphResult;
    try {
      result = served
        ? await fetchServedGraph(uri, step)
        : await client!.sendRequest<GraphResult>(GRAPH_REQUEST, (step === undefined ? { uri } : { uri, step }) satisfies GraphParams);
    } catch (error) {
      if (sequence === this.sequence) this.post({ type: 'status', message: `The graph could not be computed: ${error instanceof Error ? error.message : String(error)}` });
      return;
    }
    // A newer request (another edit, another document) is on its way: this answer is stale.
    if (sequence !== this.sequence || uri !== this.documentUri) return;
    if (result.kind === 'none') {
      // Keep showing the last graph when the user moves to a JSON file that is not a config.
      if (!this.graph || this.graphDocument !== uri) this.post({ type: 'empty', documentUri: uri, reason: result.reason });
      return;
    }
    this.graph = result.graph;
    this.graphDocument = uri;
    const name = uri.startsWith(SERVED_STATE_SCHEME) ? `served at ${uri.slice(SERVED_STATE_SCHEME.length)}` : baseName(uri);
    this.panel.title = `${result.graph.view === 'schema' ? 'Relationships' : 'Simulation'}: ${name}`;
    this.post({ type: 'graph', documentUri: uri, documentName: name, graph: result.graph });
    const editor = vscode.window.activeTextEditor;
    if (editor) this.highlightSelection(editor);
  }

  private highlightSelection(editor: vscode.TextEditor): void {
    if (!this.graph) return;
    const position = editor.selection.active;
    const selection = elementsAt(this.graph, editor.document.uri.toString(), { line: position.line, character: position.character });
    this.post({ type: 'highlight', nodeIds: selection.nodeIds, edgeIds: selection.edgeIds });
  }

  private post(message: HostMessage): void {
    if (!this.ready) {
      // Until the webview says it listens, keep the latest of each kind.
      const index = this.queue.findIndex((queued) => queued.type === message.type);
      if (index >= 0) this.queue.splice(index, 1);
      this.queue.push(message);
      return;
    }
    void this.panel.webview.postMessage(message);
  }

  private onMessage(raw: unknown): void {
    const message = parseWebviewMessage(raw);
    if (!message) return;
    void this.handle(message);
  }

  private async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready': {
        this.ready = true;
        // Before the graph: a configuration laid out in an earlier panel is drawn without waiting for ELK.
        const layouts = this.cachedLayouts();
        if (layouts.length) void this.panel.webview.postMessage({ type: 'layouts', layouts } satisfies HostMessage);
        // A reloaded webview starts empty: give it the graph again.
        const pending = this.queue.splice(0);
        if (this.graph && this.graphDocument && !pending.some((m) => m.type === 'graph')) {
          pending.unshift({ type: 'graph', documentUri: this.graphDocument, documentName: baseName(this.graphDocument), graph: this.graph });
        }
        for (const queued of pending) void this.panel.webview.postMessage(queued);
        if (!this.graph && !pending.length) this.show(this.documentUri);
        return;
      }
      case 'reveal': {
        const location = this.graph && locationOf(this.graph, message.target);
        if (location) await this.reveal(location);
        return;
      }
      case 'export':
        await this.save(message.format, message.data);
        return;
      case 'copy':
        await vscode.env.clipboard.writeText(message.text);
        void vscode.window.showInformationMessage('The relationship graph was copied as Mermaid text.');
        return;
      case 'log':
        if (message.level === 'error') console.error(`idm-relationships graph view: ${message.message}`);
        return;
      case 'showStep':
        if (this.graph?.view === 'simulation') {
          this.step = message.step;
          await this.requestGraph(message.step);
        }
        return;
      case 'layout':
        await this.context.workspaceState.update(LAYOUTS_KEY, rememberLayout(this.cachedLayouts(), { key: message.key, scene: message.scene }));
        return;
    }
  }

  /** The kept layouts that still have the expected shape (the storage may hold an older version's). */
  private cachedLayouts(): CachedLayout[] {
    const stored: unknown = this.context.workspaceState.get(LAYOUTS_KEY);
    return Array.isArray(stored) ? stored.filter(isCachedLayout) : [];
  }

  private async reveal(location: WireLocation): Promise<void> {
    const uri = vscode.Uri.parse(location.uri);
    const range = new vscode.Range(location.range.start.line, location.range.start.character, location.range.end.line, location.range.end.character);
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document, { viewColumn: this.editorColumn ?? vscode.ViewColumn.One, selection: range, preserveFocus: false });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private async save(format: 'svg' | 'png', data: string): Promise<void> {
    const source = this.graphDocument ? vscode.Uri.parse(this.graphDocument) : undefined;
    const stem = source ? baseName(source.toString()).replace(/\.[^.]+$/, '') : 'relationships';
    const folder = source && source.scheme === 'file' ? vscode.Uri.joinPath(source, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
    const suggested = folder ? vscode.Uri.joinPath(folder, `${stem}-relationships.${format}`) : undefined;
    const target = await vscode.window.showSaveDialog({
      defaultUri: suggested,
      filters: format === 'svg' ? { 'SVG image': ['svg'] } : { 'PNG image': ['png'] },
      saveLabel: `Export ${format.toUpperCase()}`,
    });
    if (!target) return;
    const bytes = format === 'svg' ? Buffer.from(data, 'utf8') : Buffer.from(data.slice(data.indexOf(',') + 1), 'base64');
    await vscode.workspace.fs.writeFile(target, bytes);
    void vscode.window.showInformationMessage(`Saved ${vscode.workspace.asRelativePath(target)}.`);
  }

  bringToFront(): void {
    this.panel.reveal(undefined, true);
  }

  dispose(): void {
    this.refresh.cancel();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    this.onDispose();
  }
}

/**
 * Registers the command, the panel serializer and the server notifications that refresh the graph. Call once
 * from `activate`; `client` may be a getter when the client is restarted.
 */
export interface GraphPanelControl {
  /** Opens (or brings forward) the panel on the state served at `url` (`http://127.0.0.1:8080/openidm`). */
  showServed(url: string): void;
  /** The served state changed: a panel showing it redraws. */
  servedChanged(url: string): void;
}

export function registerGraphPanel(context: vscode.ExtensionContext, client: ClientSource): GraphPanelControl {
  const getClient = typeof client === 'function' ? client : () => client;
  let current: GraphPanel | undefined;
  let listening: LanguageClient | undefined;
  const listen = () => {
    // A restarted client is a new object: subscribe it too.
    const instance = getClient();
    if (!instance || instance === listening) return;
    listening = instance;
    context.subscriptions.push(
      instance.onNotification(GRAPH_CHANGED_NOTIFICATION, (params: GraphChangedParams) => current?.changed(Array.isArray(params?.uris) ? params.uris : [])),
      instance.onNotification(SIMULATION_CHANGED_NOTIFICATION, (params: SimulationChangedParams) => current?.changed(typeof params?.uri === 'string' ? [params.uri] : [])),
    );
  };
  const adopt = (panel: vscode.WebviewPanel) => {
    listen();
    current = new GraphPanel(panel, context, () => {
      listen();
      return getClient();
    }, () => { current = undefined; });
    return current;
  };

  const showGraph = (uri: string | undefined) => {
    if (current) {
      current.bringToFront();
      current.show(uri);
      return;
    }
    // Beside the config: the active editor's column, or the column after the config's when a walkthrough is active.
    const config = vscode.window.activeTextEditor ? undefined : candidateEditor();
    const viewColumn = config?.viewColumn !== undefined ? config.viewColumn + 1 : vscode.ViewColumn.Beside;
    const panel = vscode.window.createWebviewPanel(GRAPH_VIEW_TYPE, 'Relationship graph',
      { viewColumn, preserveFocus: true },
      { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist')] });
    adopt(panel).show(uri);
  };
  context.subscriptions.push(
    vscode.commands.registerCommand(SHOW_GRAPH_COMMAND, (resource?: vscode.Uri) => {
      showGraph(resource instanceof vscode.Uri ? resource.toString() : undefined);
    }),
    vscode.window.registerWebviewPanelSerializer(GRAPH_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        const restored = adopt(panel);
        const documentUri = isPersistedState(state) ? state.documentUri : undefined;
        // A served state does not outlive its server: a restored panel follows the editor again.
        restored.show(documentUri?.startsWith(SERVED_STATE_SCHEME) ? undefined : documentUri);
      },
    }),
  );
  return {
    showServed: (url) => showGraph(`${SERVED_STATE_SCHEME}${url}`),
    servedChanged: (url) => current?.changed([`${SERVED_STATE_SCHEME}${url}`]),
  };
}
