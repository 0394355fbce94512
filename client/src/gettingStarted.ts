/**
 * The commands behind the Getting Started walkthrough (`contributes.walkthroughs` in package.json), usable on their
 * own from the command palette too, and the first run of `npm start` (see firstRun.ts):
 *  - "Go to a Broken Relationship Pair": opens the first broken reverse pair the checker reports in the workspace's
 *    configs, with its message under it (the problem widget of F8);
 *  - "Fix a Broken Relationship Pair…": the same place, with its quick fixes (the light bulb menu) open;
 *  - "Open a Scenario and Run All": the workspace's first `.idmsim` scenario, run from the start.
 * A walkthrough page is an editor without text: the files these commands open go into the group of a text editor
 * already visible (the walkthrough's `command:toSide:` links make one beside it), never over the walkthrough.
 * Walkthroughs: https://code.visualstudio.com/api/references/contribution-points#contributes.walkthroughs
 */
import * as vscode from 'vscode';
import { FIRST_RUN_DONE_KEY, firstRunConfig } from './firstRun';
import { SHOW_GRAPH_COMMAND } from './graphPanel';

export const GO_TO_BROKEN_PAIR_COMMAND = 'idmRelationships.goToBrokenPair';
export const FIX_BROKEN_PAIR_COMMAND = 'idmRelationships.fixBrokenPair';
export const RUN_WORKSPACE_SCENARIO_COMMAND = 'idmRelationships.runWorkspaceScenario';
const RUN_ALL_COMMAND = 'idmRelationships.runAll';

/** The diagnostic codes of a broken reverse pair (the README's Diagnostics table; the codes are a public interface). */
export const BROKEN_PAIR_CODES: ReadonlySet<string> = new Set([
  'pair-wrong-path',
  'pair-wrong-reverse-name',
  'pair-wrong-partner',
  'reverse-name-missing',
  'reverse-property-missing',
  'reverse-property-not-relationship',
  'reverse-name-mismatch',
  'reverse-not-bidirectional',
  'reverse-missing-back-path',
]);

/** How many config files are opened, at most, looking for a broken pair. */
const MAX_CONFIGS_OPENED = 5;
/** How long to wait for the server's diagnostics of a config just opened (its first check can wait for a workspace scan). */
const DIAGNOSTICS_TIMEOUT_MS = 30_000;

export interface GettingStartedHost {
  /** The language server's diagnostics of a file (none when the server has not published any). */
  serverDiagnostics(uri: vscode.Uri): readonly vscode.Diagnostic[];
  /** Fires whenever the server publishes the diagnostics of a file, empty ones included. */
  onServerDiagnostics: vscode.Event<vscode.Uri>;
  /** The glob patterns of config files (setting `idmRelationships.files`). */
  fileGlobs(): string[];
}

interface BrokenPair {
  uri: vscode.Uri;
  diagnostic: vscode.Diagnostic;
}

function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' && code !== null ? String(code.value) : String(code ?? '');
}

/**
 * The column to open files in while a walkthrough (or another non-text editor) may be active: the active text
 * editor's, else a visible text editor's, else the active group when it is empty (a `command:toSide:` link has just
 * made it beside the walkthrough), else beside the active group.
 */
function textEditorColumn(): vscode.ViewColumn {
  const activeGroup = vscode.window.tabGroups.activeTabGroup;
  // A file's editor, not a scenario's response view (shown beside its scenario).
  const visibleFile = vscode.window.visibleTextEditors.find((editor) => editor.document.uri.scheme === 'file');
  return vscode.window.activeTextEditor?.viewColumn
    ?? visibleFile?.viewColumn
    ?? (activeGroup.tabs.length === 0 ? activeGroup.viewColumn : vscode.ViewColumn.Beside);
}

function brokenPairsOf(host: GettingStartedHost, uris: readonly vscode.Uri[]): BrokenPair[] {
  const pairs = uris.flatMap((uri) =>
    host.serverDiagnostics(uri).filter((diagnostic) => BROKEN_PAIR_CODES.has(codeOf(diagnostic))).map((diagnostic) => ({ uri, diagnostic })));
  // Errors before warnings, then in file order.
  return pairs.sort((a, b) => a.diagnostic.severity - b.diagnostic.severity || a.diagnostic.range.start.compareTo(b.diagnostic.range.start));
}

/** Config files of the workspace, `managed.json` first, then the shallowest paths. */
async function configFiles(host: GettingStartedHost): Promise<vscode.Uri[]> {
  const found = new Map<string, vscode.Uri>();
  for (const glob of host.fileGlobs()) {
    for (const uri of await vscode.workspace.findFiles(glob, '**/node_modules/**', 200)) found.set(uri.toString(), uri);
  }
  const rank = (uri: vscode.Uri) => (uri.path.endsWith('/managed.json') ? 0 : 1);
  const depth = (uri: vscode.Uri) => uri.path.split('/').length;
  return [...found.values()].sort((a, b) => rank(a) - rank(b) || depth(a) - depth(b) || a.path.localeCompare(b.path));
}

/** Opens `uri` (without showing it) and resolves once the server has published its diagnostics, or after the timeout. */
async function openAndWaitForDiagnostics(host: GettingStartedHost, uri: vscode.Uri): Promise<void> {
  const alreadyOpen = vscode.workspace.textDocuments.some((document) => document.uri.toString() === uri.toString());
  let subscription: vscode.Disposable | undefined;
  let timer: NodeJS.Timeout | undefined;
  const published = new Promise<void>((resolve) => {
    subscription = host.onServerDiagnostics((published) => {
      if (published.toString() === uri.toString()) resolve();
    });
    timer = setTimeout(resolve, DIAGNOSTICS_TIMEOUT_MS);
  });
  try {
    await vscode.workspace.openTextDocument(uri);
    if (!alreadyOpen) await published;
  } finally {
    subscription?.dispose();
    clearTimeout(timer);
  }
}

/**
 * The broken pair to show: in the active editor first, then among the files with diagnostics, then in the workspace's
 * config files opened one by one.
 */
async function findBrokenPair(host: GettingStartedHost): Promise<BrokenPair | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  const inActive = active ? brokenPairsOf(host, [active]) : [];
  if (inActive.length) return inActive[0];
  const withDiagnostics = vscode.languages.getDiagnostics().map(([uri]) => uri);
  const known = brokenPairsOf(host, withDiagnostics);
  if (known.length) return known[0];
  for (const uri of (await configFiles(host)).slice(0, MAX_CONFIGS_OPENED)) {
    await openAndWaitForDiagnostics(host, uri);
    const pairs = brokenPairsOf(host, [uri]);
    if (pairs.length) return pairs[0];
  }
  return undefined;
}

async function revealBrokenPair(host: GettingStartedHost): Promise<BrokenPair | undefined> {
  const pair = await findBrokenPair(host);
  if (!pair) {
    void vscode.window.showInformationMessage('No broken relationship pair in the config files of this workspace: the checker reports none.');
    return undefined;
  }
  const start = pair.diagnostic.range.start;
  const editor = await vscode.window.showTextDocument(pair.uri, {
    viewColumn: textEditorColumn(),
    selection: new vscode.Range(start, start),
    preview: false,
  });
  editor.revealRange(pair.diagnostic.range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return pair;
}

/**
 * Shows the pair's message under its line, in the editor's problem widget (what F8 shows): from the start of the
 * line, the next problem is the pair's own unless another one starts earlier on that line.
 */
async function showProblemWidget(pair: BrokenPair): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.uri.toString() !== pair.uri.toString()) return;
  const lineStart = new vscode.Position(pair.diagnostic.range.start.line, 0);
  editor.selection = new vscode.Selection(lineStart, lineStart);
  await vscode.commands.executeCommand('editor.action.marker.next');
}

async function runWorkspaceScenario(): Promise<unknown> {
  const active = vscode.window.activeTextEditor?.document;
  const scenario = active?.languageId === 'idmsim' ? active.uri : (await vscode.workspace.findFiles('**/*.idmsim', '**/node_modules/**', 1))[0];
  if (!scenario) {
    void vscode.window.showInformationMessage('No .idmsim scenario in this workspace: create a file ending in .idmsim and write a request such as `GET managed/user?_queryFilter=true`.');
    return undefined;
  }
  // Where it is already shown, so that a second run replaces the responses beside it rather than adding a group.
  const shown = vscode.window.visibleTextEditors.find((editor) => editor.document.uri.toString() === scenario.toString());
  await vscode.window.showTextDocument(scenario, { viewColumn: shown?.viewColumn ?? textEditorColumn(), preview: false });
  return vscode.commands.executeCommand(RUN_ALL_COMMAND, scenario.toString());
}

/**
 * `npm start`'s first run (firstRun.ts): the config in the editor and the relationship graph beside it, once per
 * workspace. A missing file is left alone: the variable only asks.
 */
async function openFirstRun(context: vscode.ExtensionContext): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const config = firstRunConfig(process.env, context.workspaceState.get<boolean>(FIRST_RUN_DONE_KEY, false));
  if (!folder || !config) return;
  await context.workspaceState.update(FIRST_RUN_DONE_KEY, true);
  const uri = vscode.Uri.joinPath(folder.uri, ...config.split('/'));
  try {
    await vscode.workspace.fs.stat(uri);
  } catch {
    return;
  }
  await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.One, preview: false });
  await vscode.commands.executeCommand(SHOW_GRAPH_COMMAND, uri);
}

export function registerGettingStarted(context: vscode.ExtensionContext, host: GettingStartedHost): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(GO_TO_BROKEN_PAIR_COMMAND, async () => {
      const pair = await revealBrokenPair(host);
      if (pair) await showProblemWidget(pair);
    }),
    vscode.commands.registerCommand(FIX_BROKEN_PAIR_COMMAND, async () => {
      if (!(await revealBrokenPair(host))) return;
      // The problem widget of the previous step, if still open, would take the focus back from the light bulb menu as
      // the cursor moves, closing the menu: close it first. It acts on the focused editor, so only once the pair's
      // editor has the focus (a walkthrough page that held it made this a no-op).
      await vscode.commands.executeCommand('closeMarkersNavigation');
      await vscode.commands.executeCommand('editor.action.quickFix');
    }),
    vscode.commands.registerCommand(RUN_WORKSPACE_SCENARIO_COMMAND, () => runWorkspaceScenario()),
  );
  void openFirstRun(context).catch((error) => console.error(`idm-relationships first run: ${error instanceof Error ? error.message : String(error)}`));
}
