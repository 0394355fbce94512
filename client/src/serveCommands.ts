/**
 * The simulator as a server from the editor, and scenarios run against a real server:
 *
 * - **Start Simulator Server** runs the bundled CLI's `idm-rel serve` for the workspace's config (the active config
 *   file, else the nearest one to the workspace folder), shows its URL in the status bar and its request log in an
 *   output channel; **Stop Simulator Server** (or a click on the status bar item) stops it, which saves nothing.
 *   **Show Served Simulation** opens the graph's simulation view on the served state; it redraws as requests change
 *   it (the server's `/_simulator/status` is polled once a second while it runs).
 * - **Run All Against Target** runs the active scenario with `idm-rel simulate --target` against its `@target` (or
 *   the `idmRelationships.target.url` setting) and opens the per-request comparison beside it. Credentials come from
 *   **Set Target Credentials…** (VS Code's secret storage) or the environment (IDM_USERNAME/IDM_PASSWORD,
 *   IDM_BEARER_TOKEN), never from the scenario file.
 *
 * Both spawn the extension's own `dist/cli.js` with the editor's Node runtime; nothing from the workspace runs.
 */
import { spawn, type ChildProcess } from 'child_process';
import * as path from 'path';
import * as vscode from 'vscode';
import type { GraphPanelControl } from './graphPanel';

const SECTION = 'idmRelationships';
const SECRET_USERNAME = 'idmRelationships.target.username';
const SECRET_PASSWORD = 'idmRelationships.target.password';
const SECRET_TOKEN = 'idmRelationships.target.bearerToken';

interface RunningServer {
  child: ChildProcess;
  url?: string;
  poll?: NodeJS.Timeout;
}

/** How often the served state is checked for changes while a server runs. */
const STATE_POLL_MS = 1000;

export function registerServeCommands(context: vscode.ExtensionContext, graph: GraphPanelControl): void {
  const output = vscode.window.createOutputChannel('IDM Simulator Server');
  const statusBar = vscode.window.createStatusBarItem('idmRelationships.serve', vscode.StatusBarAlignment.Left, 10);
  statusBar.name = 'IDM Simulator Server';
  statusBar.command = 'idmRelationships.stopServer';
  let server: RunningServer | undefined;
  const cli = context.asAbsolutePath(path.join('dist', 'cli.js'));
  // The editor's own Node runtime: in VS Code process.execPath is Electron, which runs as Node with this variable.
  const nodeEnv = (extra: Record<string, string> = {}) => ({ ...process.env, ELECTRON_RUN_AS_NODE: '1', ...extra });

  const stop = () => {
    if (!server) return;
    if (server.poll) clearInterval(server.poll);
    server.child.kill('SIGTERM');
    server = undefined;
    statusBar.hide();
  };

  const start = async () => {
    if (server) {
      void vscode.window.showInformationMessage(`The IDM simulator server is already running${server.url ? ` at ${server.url}` : ''}.`);
      return;
    }
    const folder = vscode.workspace.workspaceFolders?.[0];
    const active = vscode.window.activeTextEditor?.document;
    const args = [cli, 'serve', '--port', String(vscode.workspace.getConfiguration(SECTION).get<number>('serve.port', 8080))];
    if (active && active.uri.scheme === 'file' && active.languageId.startsWith('json')) args.push('--config', active.uri.fsPath);
    const cwd = active && active.uri.scheme === 'file' && !folder ? path.dirname(active.uri.fsPath) : folder?.uri.fsPath;
    if (!cwd) {
      void vscode.window.showErrorMessage('Open a folder holding a managed config (or a config file) to serve it.');
      return;
    }
    const child = spawn(process.execPath, args, { cwd, env: nodeEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    const running: RunningServer = { child };
    server = running;
    statusBar.text = '$(loading~spin) IDM simulator';
    statusBar.tooltip = 'Starting the IDM simulator server';
    statusBar.show();
    output.appendLine(`$ idm-rel ${args.slice(1).join(' ')}   (in ${cwd})`);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      output.append(chunk);
      const listening = /Listening on (http:\/\/\S+)/.exec(chunk);
      if (listening && server === running) {
        running.url = listening[1];
        statusBar.text = `$(broadcast) ${listening[1].replace(/^http:\/\//, '')}`;
        statusBar.tooltip = `IDM simulator server at ${listening[1]} (credentials not checked). Click to stop.`;
        const url = listening[1];
        let last = '';
        running.poll = setInterval(() => {
          void fetch(`${new URL(url).origin}/_simulator/status`).then((response) => response.text()).then((text) => {
            if (text !== last && server === running) {
              last = text;
              graph.servedChanged(url);
            }
          }, () => undefined);
        }, STATE_POLL_MS);
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => output.append(chunk));
    child.on('exit', (code) => {
      if (running.poll) clearInterval(running.poll);
      output.appendLine(`idm-rel serve exited (${code ?? 'signal'})`);
      if (server === running) {
        server = undefined;
        statusBar.hide();
        if (code) void vscode.window.showErrorMessage('The IDM simulator server stopped: see the "IDM Simulator Server" output.', 'Show Output').then((pick) => pick && output.show());
      }
    });
  };

  const setCredentials = async () => {
    const kind = await vscode.window.showQuickPick(['Username and password (X-OpenIDM-Username/Password)', 'Bearer token (PingOne AIC)', 'Forget stored credentials'], { title: 'Credentials for Run All Against Target' });
    if (!kind) return;
    if (kind.startsWith('Forget')) {
      for (const key of [SECRET_USERNAME, SECRET_PASSWORD, SECRET_TOKEN]) await context.secrets.delete(key);
      return;
    }
    if (kind.startsWith('Bearer')) {
      const token = await vscode.window.showInputBox({ title: 'Bearer token', password: true, ignoreFocusOut: true });
      if (token) await context.secrets.store(SECRET_TOKEN, token);
      return;
    }
    const username = await vscode.window.showInputBox({ title: 'IDM username', ignoreFocusOut: true });
    if (!username) return;
    const password = await vscode.window.showInputBox({ title: `Password of ${username}`, password: true, ignoreFocusOut: true });
    if (password === undefined) return;
    await context.secrets.store(SECRET_USERNAME, username);
    await context.secrets.store(SECRET_PASSWORD, password);
  };

  const runAgainstTarget = async () => {
    const document = vscode.window.activeTextEditor?.document;
    if (!document || document.languageId !== 'idmsim' || document.uri.scheme !== 'file') {
      void vscode.window.showErrorMessage('Open a saved .idmsim scenario to run it against a server.');
      return;
    }
    if (document.isDirty) await document.save();
    const setting = vscode.workspace.getConfiguration(SECTION).get<string>('target.url', '');
    const hasDirective = /^[ \t]*@target[ \t]+\S/m.test(document.getText());
    const target = hasDirective ? undefined : setting || server?.url;
    if (!hasDirective && !target) {
      void vscode.window.showErrorMessage('Name the server with `@target http://localhost:8080/openidm` in the scenario, the idmRelationships.target.url setting, or start the simulator server.');
      return;
    }
    const env: Record<string, string> = {};
    const token = await context.secrets.get(SECRET_TOKEN);
    const username = await context.secrets.get(SECRET_USERNAME);
    const password = await context.secrets.get(SECRET_PASSWORD);
    if (token) env.IDM_BEARER_TOKEN = token;
    else if (username && password !== undefined) { env.IDM_USERNAME = username; env.IDM_PASSWORD = password; }
    const args = [cli, 'simulate', document.uri.fsPath, ...(target ? ['--target', target] : [])];
    const text = await new Promise<string>((resolve) => {
      const child = spawn(process.execPath, args, { cwd: path.dirname(document.uri.fsPath), env: nodeEnv(env) });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => { out += chunk; });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => { out += chunk; });
      child.on('close', () => resolve(out));
    });
    const shown = await vscode.workspace.openTextDocument({ language: 'markdown', content: `# ${path.basename(document.uri.fsPath)} against its target\n\n${text}` });
    await vscode.window.showTextDocument(shown, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  };

  context.subscriptions.push(
    output,
    statusBar,
    { dispose: stop },
    vscode.commands.registerCommand('idmRelationships.startServer', start),
    vscode.commands.registerCommand('idmRelationships.stopServer', stop),
    vscode.commands.registerCommand('idmRelationships.showServedGraph', () => {
      if (!server?.url) {
        void vscode.window.showErrorMessage('Start the simulator server first (IDM Relationships: Start Simulator Server).');
        return;
      }
      graph.showServed(server.url);
    }),
    vscode.commands.registerCommand('idmRelationships.setTargetCredentials', setCredentials),
    vscode.commands.registerCommand('idmRelationships.runAllAgainstTarget', runAgainstTarget),
  );
}
