/**
 * "Send" and "Run all" for `.idmsim` scenarios: asks the language server's simulator and shows the responses beside
 * the scenario, each with its status, body and the objects notified.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { RUN_SCENARIO_REQUEST, type RunScenarioParams, type RunScenarioResult } from '../../server/src/protocol';

const SCHEME = 'idm-simulation';

/**
 * The response view's text after a reply: the server renders every section (one renderer for the editor and the CLI);
 * the view keeps the sections of earlier replies until the simulation restarts.
 */
export function nextViewText(previousSections: string | undefined, result: RunScenarioResult): { sections: string; text: string } {
  const sections = result.restarted || previousSections === undefined ? result.rendered : previousSections + result.rendered;
  return { sections, text: result.heading + sections };
}

export function registerScenarioRunner(context: vscode.ExtensionContext, getClient: () => LanguageClient | undefined): void {
  const contents = new Map<string, string>();
  const sections = new Map<string, string>();
  const changed = new vscode.EventEmitter<vscode.Uri>();
  const viewUri = (scenario: string) => vscode.Uri.from({ scheme: SCHEME, path: `/${decodeURIComponent(scenario.split('/').pop() ?? 'scenario')}.responses.md`, query: scenario });

  context.subscriptions.push(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, {
      onDidChange: changed.event,
      provideTextDocumentContent: (uri) => contents.get(uri.query) ?? 'Run the scenario to see its responses.\n',
    }),
  );

  const run = async (params: RunScenarioParams) => {
    const client = getClient();
    if (!client) return;
    const result = await client.sendRequest<RunScenarioResult>(RUN_SCENARIO_REQUEST, params);
    const next = nextViewText(sections.get(params.uri), result);
    sections.set(params.uri, next.sections);
    contents.set(params.uri, next.text);
    const uri = viewUri(params.uri);
    changed.fire(uri);
    const shown = vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === uri.toString());
    if (!shown) {
      const view = await vscode.workspace.openTextDocument(uri);
      await vscode.languages.setTextDocumentLanguage(view, 'markdown');
      await vscode.window.showTextDocument(view, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
    }
    if (result.refused?.length) void vscode.window.showWarningMessage(`Simulation: ${result.refused[0]}`);
    return result;
  };

  const activeScenario = (uri?: string) => uri ?? (vscode.window.activeTextEditor?.document.languageId === 'idmsim' ? vscode.window.activeTextEditor.document.uri.toString() : undefined);

  context.subscriptions.push(
    vscode.commands.registerCommand('idmRelationships.sendRequest', (uri?: string, index?: number) => {
      const scenario = activeScenario(uri);
      if (scenario && typeof index === 'number') return run({ uri: scenario, mode: 'send', index });
      return undefined;
    }),
    vscode.commands.registerCommand('idmRelationships.runAll', (uri?: string) => {
      const scenario = activeScenario(uri);
      return scenario ? run({ uri: scenario, mode: 'runAll' }) : undefined;
    }),
    vscode.commands.registerCommand('idmRelationships.populate', async (uri?: string) => {
      const scenario = activeScenario(uri);
      if (!scenario) {
        void vscode.window.showInformationMessage('Open an .idmsim scenario first: the population is added to its simulation.');
        return undefined;
      }
      const spec = await vscode.window.showInputBox({
        prompt: 'Objects to generate per type (relationships are drawn at random by the schema\'s cardinality)',
        value: 'user=1000,role=20', placeHolder: 'user=100000,role=1000',
        validateInput: (text) => (/^\s*\w+\s*=\s*\d+\s*(,\s*\w+\s*=\s*\d+\s*)*$/.test(text) ? undefined : 'type=count, separated by commas'),
      });
      if (!spec) return undefined;
      const counts = Object.fromEntries(spec.split(',').map((part) => part.split('=').map((s) => s.trim())).map(([type, n]) => [type, Number(n)]));
      return run({ uri: scenario, mode: 'populate', counts });
    }),
  );
}
