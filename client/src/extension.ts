/**
 * The VS Code client: starts the language server, shows a language status item, and restarts the server when
 * the file patterns change. The only code here that knows the `vscode` API.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions, type DocumentSelector } from 'vscode-languageclient/node';
import { CHECKED_NOTIFICATION, STATUS_REQUEST, type StatusResult } from '../../server/src/protocol';
import { registerScenarioRunner } from './scenarioRunner';
import { registerGraphPanel } from './graphPanel';
import { registerGettingStarted } from './gettingStarted';
import { registerServeCommands } from './serveCommands';

const SECTION = 'idmRelationships';
let client: LanguageClient | undefined;
let statusItem: vscode.LanguageStatusItem | undefined;
/** Fires after the client set the server's diagnostics of a file (an empty list included). */
const serverDiagnosticsPublished = new vscode.EventEmitter<vscode.Uri>();

function selectorFor(globs: string[]): DocumentSelector {
  return [...globs.map((pattern) => ({ scheme: 'file', pattern })), { language: 'idmsim' }];
}

function fileGlobs(): string[] {
  return vscode.workspace.getConfiguration(SECTION).get<string[]>('files') ?? [];
}

async function startClient(context: vscode.ExtensionContext): Promise<LanguageClient> {
  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    // A cap makes V8 collect the garbage of re-reading a huge config early, so the server's memory stays bounded.
    // Over stdio rather than Node IPC: the server reads stdio ahead of JSON-RPC to keep a large document's text off
    // its thread (server/src/lsp/largeMessages.ts); Node's IPC channel parses every message on that thread itself.
    run: { module: serverModule, transport: TransportKind.stdio, options: { execArgv: ['--max-old-space-size=2048'] } },
    debug: { module: serverModule, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const globs = fileGlobs();
  const watchers = globs.map((glob) => vscode.workspace.createFileSystemWatcher(glob));
  // A folder deleted, restored or renamed comes as one event for the folder, which no file glob matches: watch
  // creations and deletions of everything, and let the server pick the config files under a folder.
  watchers.push(vscode.workspace.createFileSystemWatcher('**/*', false, true, false));
  const clientOptions: LanguageClientOptions = {
    documentSelector: selectorFor(globs),
    synchronize: { configurationSection: SECTION, fileEvents: watchers },
    initializationOptions: { settings: vscode.workspace.getConfiguration(SECTION) },
    diagnosticCollectionName: 'idm-relationships',
    middleware: {
      handleDiagnostics(uri, diagnostics, next) {
        next(uri, diagnostics);
        serverDiagnosticsPublished.fire(uri);
      },
    },
  };
  const languageClient = new LanguageClient('idmRelationships', 'IDM Relationships', serverOptions, clientOptions);
  await languageClient.start();
  languageClient.onNotification(CHECKED_NOTIFICATION, () => void updateStatus());
  context.subscriptions.push(...watchers);
  return languageClient;
}

async function updateStatus(): Promise<void> {
  if (!client || !statusItem) return;
  try {
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    const status = await client.sendRequest<StatusResult>(STATUS_REQUEST, { uri });
    statusItem.text = `$(type-hierarchy) ${status.objectTypes} object types`;
    const checked = status.lastCheck ? new Date(status.lastCheck).toLocaleTimeString() : 'not yet';
    statusItem.detail = `${status.files} config files · ${status.relationships} relationships · checked ${checked}` +
      (status.largeFiles.length ? ` · ${status.largeFiles.length} large file(s) checked on save only` : '');
    statusItem.busy = false;
  } catch {
    // The server is restarting; the next notification updates the item.
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  statusItem = vscode.languages.createLanguageStatusItem('idmRelationships.status', selectorFor(fileGlobs()) as vscode.DocumentSelector);
  statusItem.name = 'IDM Relationships';
  statusItem.text = '$(sync~spin) IDM relationships';
  statusItem.busy = true;
  statusItem.command = { title: 'Restart', command: 'idmRelationships.restartServer' };
  context.subscriptions.push(statusItem, serverDiagnosticsPublished);

  client = await startClient(context);
  registerScenarioRunner(context, () => client);
  const graphPanel = registerGraphPanel(context, () => client);
  registerServeCommands(context, graphPanel);
  registerGettingStarted(context, {
    serverDiagnostics: (uri) => client?.diagnostics?.get(uri) ?? [],
    onServerDiagnostics: serverDiagnosticsPublished.event,
    fileGlobs,
  });

  context.subscriptions.push(
    vscode.commands.registerCommand('idmRelationships.restartServer', async () => {
      if (client) await client.restart();
      void updateStatus();
    }),
    // Code lens "N relationships · M incoming" lists them in the references view.
    vscode.commands.registerCommand('idmRelationships.showReferences', (uri: string, position: unknown, locations: unknown[]) => {
      if (!client) return undefined;
      const converter = client.protocol2CodeConverter;
      return vscode.commands.executeCommand('editor.action.showReferences', vscode.Uri.parse(uri),
        converter.asPosition(position as never), locations.map((location) => converter.asLocation(location as never)));
    }),
    vscode.window.onDidChangeActiveTextEditor(() => void updateStatus()),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      // New file patterns change what the client syncs: restart with them. Other settings reach the server live.
      if (event.affectsConfiguration(`${SECTION}.files`)) {
        await client?.stop();
        client = await startClient(context);
        // The scenario runner and the graph panel read `client` through their getters: registering them again would
        // throw (their commands exist already) before the status item learns the new patterns.
        if (statusItem) statusItem.selector = selectorFor(fileGlobs()) as vscode.DocumentSelector;
      }
    }),
  );
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
