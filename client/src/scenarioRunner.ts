/**
 * "Send" and "Run all" for `.idmsim` scenarios: asks the language server's simulator and shows the responses beside
 * the scenario, each with its status, body and the objects notified.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { describeRelationshipChange } from '../../server/src/core/simulator/store/audit';
import { RUN_SCENARIO_REQUEST, type RunScenarioParams, type RunScenarioResult, type ScenarioRunEntry } from '../../server/src/protocol';

const SCHEME = 'idm-simulation';

const STATUS_TEXT: Record<number, string> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found',
  405: 'Method Not Allowed', 409: 'Conflict', 412: 'Precondition Failed', 500: 'Internal Server Error', 501: 'Not Implemented',
};

/** The response view's text: plain and readable, one section per request. */
export function renderResults(result: RunScenarioResult): string {
  const lines: string[] = [];
  lines.push(`# Simulation of ${decodeURIComponent(result.uri.split('/').pop() ?? result.uri)}`);
  if (result.config) lines.push(`Config: ${decodeURIComponent(result.config.replace(/^file:\/\//, ''))}`);
  if (result.refused?.length) {
    lines.push('', 'The simulator did not start:', ...result.refused.map((reason) => `- ${reason}`));
  }
  if (result.populated) {
    const objects = Object.entries(result.populated.objects).map(([type, n]) => `${n} ${type}`).join(', ');
    lines.push('', `Populated ${objects} with ${result.populated.edges} relationships in ${result.populated.ms} ms.`,
      ...result.populated.skipped.map((s) => `- skipped: ${s}`));
  }
  for (const entry of result.results) lines.push('', ...renderEntry(entry));
  return lines.join('\n') + '\n';
}

function renderEntry(entry: ScenarioRunEntry): string[] {
  const query = Object.entries(entry.request.query).map(([k, v]) => `${k}=${v}`).join('&');
  const lines = [
    `## ${entry.index + 1}. ${entry.name ?? `${entry.request.method} ${entry.request.path}`} (line ${entry.line + 1})`,
    `${entry.request.method} ${entry.request.path}${query ? `?${query}` : ''}`,
    `→ ${entry.status} ${STATUS_TEXT[entry.status] ?? ''}`.trimEnd(),
  ];
  if (entry.body !== undefined && entry.body !== null) lines.push('```json', JSON.stringify(entry.body, null, 2), '```');
  if (entry.notifications.length) {
    lines.push('Notified:');
    for (const n of entry.notifications) {
      lines.push(`- ${n.object}: ${n.reason} via ${n.via} from ${n.from} (hop ${n.depth})${n.recalculated?.length ? `, recalculated ${n.recalculated.join(', ')}` : ''}`);
    }
  } else {
    lines.push('Notified: nobody');
  }
  if (entry.relationshipChanges.length) {
    lines.push('Relationship changes (audit):');
    for (const change of entry.relationshipChanges) lines.push(`- ${describeRelationshipChange(change)}`);
  }
  return lines;
}

export function registerScenarioRunner(context: vscode.ExtensionContext, getClient: () => LanguageClient | undefined): void {
  const contents = new Map<string, string>();
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
    contents.set(params.uri, renderResults(result));
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
