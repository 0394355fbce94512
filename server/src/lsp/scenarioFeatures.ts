/**
 * `.idmsim` scenario files in the language server: diagnostics, completions and "Send" / "Run all" code lenses,
 * and the simulator the server keeps per scenario (state survives schema edits, as IDM keeps its data).
 */
import { CompletionItemKind, type CodeLens, type CompletionItem, type Diagnostic } from 'vscode-languageserver/node';
import { renderPopulation, renderResult } from '../core/scenario/renderResults';
import { ScenarioRun, type ScenarioResult } from '../core/scenario/scenarioRun';
import { scenarioCompletions, scenarioDiagnostics, type IdmsimCompletion, type IdmsimCompletionKind } from '../core/scenario/idmsimFeatures';
import { parseScenario, type Scenario } from '../core/scenario/scenario';
import { LineIndex } from '../core/text/lineIndex';
import {
  RUN_SCENARIO_REQUEST, SIMULATION_CHANGED_NOTIFICATION,
  type RunScenarioParams, type RunScenarioResult, type ScenarioRunEntry, type SimulationChangedParams,
} from '../protocol';
import { DIAGNOSTIC_SOURCE } from '../core/diagnostics/catalogue';
import { toLspSeverity, toRange } from './convert';
import { languageOf } from './language';
import { scenarioSchema } from './scenarioConfig';
import type { Session } from './session';
import type { Schema } from '../core/model/schema';

/** A scenario replayed on a fresh simulator for the graph, kept while neither the text nor the schema changes. */
interface Replay {
  text: string;
  run: ScenarioRun | { refused: string[] };
}

const COMPLETION_KIND: Record<IdmsimCompletionKind, CompletionItemKind> = {
  method: CompletionItemKind.Keyword,
  collection: CompletionItemKind.Module,
  id: CompletionItemKind.Value,
  relationship: CompletionItemKind.Field,
  'query-parameter': CompletionItemKind.Property,
  header: CompletionItemKind.Property,
  'header-value': CompletionItemKind.Value,
  property: CompletionItemKind.Field,
  reference: CompletionItemKind.Reference,
  value: CompletionItemKind.Value,
};

export class ScenarioFeatures {
  /** The simulation each scenario's Send, Run all and Populate built: the state the user sees. */
  private readonly simulations = new Map<string, ScenarioRun>();
  private readonly replays = new Map<string, Replay>();
  private readonly parsed = new Map<string, { scenario: Scenario; text: string; index: LineIndex }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly session: Session) {
    session.onScenarioDocument((clientUri, closed) => {
      if (closed) {
        this.parsed.delete(clientUri);
        void session.connection.sendDiagnostics({ uri: clientUri, diagnostics: [] });
        return;
      }
      const existing = this.timers.get(clientUri);
      if (existing) clearTimeout(existing);
      this.timers.set(clientUri, setTimeout(() => {
        this.timers.delete(clientUri);
        this.publishDiagnostics(clientUri);
      }, session.settings.validationDelay));
    });
    // A scenario's diagnostics and simulation follow the config as it is edited.
    session.onDidCheck(() => {
      this.publishAllDiagnostics();
      for (const [uri, run] of this.simulations) this.followSchema(uri, run);
    });
    // A large file's check tells which types it defines (Session.unreadObjectTypes).
    session.onDidCheckLarge(() => this.publishAllDiagnostics());
    session.connection.onRequest(RUN_SCENARIO_REQUEST, (params: RunScenarioParams) => {
      const failed: RunScenarioResult = {
        uri: params?.uri ?? '', refused: ['The simulator failed on this request (see the server log).'], results: [], restarted: false,
        heading: '', rendered: '\nThe simulator failed on this request (see the server log).\n',
      };
      // A run reads its whole configuration: an open large file's text comes from the large-document host first (as
      // for the graph), or the run would not find the types that file defines.
      return session.afterHostedTexts(params?.uri, failed, () => this.run(params));
    });
  }

  private text(clientUri: string): string | undefined {
    return this.session.documents.get(clientUri)?.getText();
  }

  private scenarioOf(clientUri: string): { scenario: Scenario; text: string; index: LineIndex } | undefined {
    const text = this.text(clientUri);
    return text === undefined ? undefined : this.parse(clientUri, text);
  }

  /**
   * The scenario parsed, once per text: diagnostics, code lenses, completion, Send and the graph all read it, and a
   * scenario of 10,000 requests takes a while to parse.
   */
  parse(clientUri: string, text: string): { scenario: Scenario; text: string; index: LineIndex } {
    const cached = this.parsed.get(clientUri);
    if (cached && cached.text === text) return cached;
    const parsed = { scenario: parseScenario(text), text, index: new LineIndex(text) };
    this.parsed.set(clientUri, parsed);
    return parsed;
  }

  private publishAllDiagnostics(): void {
    for (const document of this.session.documents.all()) if (languageOf(document.uri) === 'scenario') this.publishDiagnostics(document.uri);
  }

  private publishDiagnostics(clientUri: string): void {
    this.session.safely(() => {
      const parsed = this.scenarioOf(clientUri);
      if (!parsed) return;
      const found = scenarioSchema(this.session, clientUri, parsed.scenario.config?.path);
      const index = parsed.index;
      // An open large file of the configuration is not in the model (its text is the host's): the types it defined at
      // its last check are not unknown.
      const schema = 'schema' in found ? found.schema : undefined;
      const elsewhere = schema ? this.session.unreadObjectTypes(schema.root) ?? 'unknown' : undefined;
      const diagnostics: Diagnostic[] = scenarioDiagnostics(parsed.scenario, schema, elsewhere).map((d) => ({
        range: toRange(index, d.range),
        severity: toLspSeverity(d.severity),
        code: d.code,
        source: DIAGNOSTIC_SOURCE,
        message: d.message,
      }));
      if ('reason' in found && parsed.scenario.config) {
        diagnostics.push({ range: toRange(index, parsed.scenario.config.range), severity: toLspSeverity('error'), code: 'idmsim-config', source: DIAGNOSTIC_SOURCE, message: found.reason });
      }
      void this.session.connection.sendDiagnostics({ uri: clientUri, diagnostics });
    }, undefined);
  }

  completions(clientUri: string, offset: number): CompletionItem[] {
    const parsed = this.scenarioOf(clientUri);
    if (!parsed) return [];
    const found = scenarioSchema(this.session, clientUri, parsed.scenario.config?.path);
    const index = parsed.index;
    return scenarioCompletions(parsed.text, offset, 'schema' in found ? found.schema : undefined, parsed.scenario).map((item: IdmsimCompletion) => ({
      label: item.label,
      kind: COMPLETION_KIND[item.kind],
      detail: item.detail,
      textEdit: { range: toRange(index, item.range), newText: item.insertText ?? item.label },
    }));
  }

  codeLenses(clientUri: string): CodeLens[] {
    const parsed = this.scenarioOf(clientUri);
    if (!parsed) return [];
    const index = parsed.index;
    const lenses: CodeLens[] = [];
    parsed.scenario.requests.forEach((request, i) => {
      const range = toRange(index, { start: request.range.start, end: request.range.start });
      lenses.push({ range, command: { title: '$(play) Send', command: 'idmRelationships.sendRequest', arguments: [clientUri, i] } });
      if (i === 0) lenses.push({ range, command: { title: '$(run-all) Run all', command: 'idmRelationships.runAll', arguments: [clientUri] } });
    });
    return lenses;
  }

  /** The simulation the user built for this scenario, if any. */
  liveRun(clientUri: string): ScenarioRun | undefined {
    return this.simulations.get(clientUri);
  }

  /**
   * The scenario's requests replayed on a fresh simulator (seed 1), for a graph of a scenario the user has not run:
   * computed once per text and schema, so that stepping through the timeline does not replay it again.
   */
  replayRun(clientUri: string, text: string, schema: Schema): ScenarioRun | { refused: string[] } {
    const cached = this.replays.get(clientUri);
    if (cached && cached.text === text && (!(cached.run instanceof ScenarioRun) || cached.run.schema === schema)) return cached.run;
    const scenario = this.parse(clientUri, text).scenario;
    // The scenario's `@idm` line, else the `simulator.idmVersion` setting.
    const run = ScenarioRun.start(schema, { seed: 1, release: scenario.idm?.release ?? this.session.settings.idmRelease });
    if (run instanceof ScenarioRun) run.sendAll(scenario);
    this.replays.set(clientUri, { text, run });
    return run;
  }

  private run(params: RunScenarioParams): RunScenarioResult {
    const clientUri = params.uri;
    const title = `# Simulation of ${decodeURIComponent(clientUri.split('/').pop() ?? clientUri)}`;
    const headingOf = (config: string | undefined, lines: string[] = []) =>
      [title, ...(config ? [`Config: ${displayedConfig(config)}`] : []), ...lines].join('\n') + '\n';
    const refusal = (refused: string[], config?: string): RunScenarioResult => ({
      uri: clientUri, config, refused, results: [], restarted: true,
      heading: headingOf(config, ['', 'The simulator did not start:', ...refused.map((reason) => `- ${reason}`)]),
      rendered: '',
    });
    // The run reads its config's model: bring it up to date with the open documents first.
    this.session.bringUpToDate();
    const parsed = this.scenarioOf(clientUri);
    if (!parsed) return refusal(['Open the scenario first.']);
    const found = scenarioSchema(this.session, clientUri, parsed.scenario.config?.path);
    if ('reason' in found) return refusal([found.reason]);
    // Name the config itself, not the internal.json overlay beside it.
    const configFile = found.schema.files.find((f) => f.layout !== 'internal' && f.layout !== 'unknown') ?? found.schema.files[0];
    const config = configFile ? this.session.clientUriOf(configFile.uri) : undefined;

    let run = this.simulations.get(clientUri);
    // The scenario's `@idm` line, else the `simulator.idmVersion` setting; a change of release starts afresh.
    const release = parsed.scenario.idm?.release ?? this.session.settings.idmRelease;
    const restarted = params.mode === 'runAll' || !run || run.schema.root !== found.schema.root || run.simulator.release !== release;
    if (restarted) {
      const started = ScenarioRun.start(found.schema, { release, ...(params.seed === undefined ? {} : { seed: params.seed }) });
      if (!(started instanceof ScenarioRun)) {
        this.simulations.delete(clientUri);
        return refusal(started.refused, config);
      }
      run = started;
      this.simulations.set(clientUri, run);
    } else {
      this.followSchema(clientUri, run!, found.schema);
    }
    const live = run!;

    const index = parsed.index;
    const lineOf = (result: ScenarioResult) => index.positionAt(parsed.scenario.requests[result.index].range.start).line;
    const results: ScenarioResult[] = [];
    const rendered: string[] = [];
    let populated: RunScenarioResult['populated'];
    if (params.mode === 'runAll') results.push(...live.sendAll(parsed.scenario));
    else if (params.mode === 'send') {
      if (typeof params.index !== 'number' || !parsed.scenario.requests[params.index]) {
        return { uri: clientUri, config, refused: [`No request ${params.index}.`], results: [], restarted: false, heading: headingOf(config), rendered: `\nNo request ${params.index}.\n` };
      }
      results.push(live.send(parsed.scenario, params.index));
    } else if (params.mode === 'populate') {
      const started = performance.now();
      const report = live.populate(params.counts ?? {}, params.seed);
      populated = { objects: report.objects, edges: report.edges, skipped: report.skipped, ms: Math.round(performance.now() - started) };
      rendered.push('', ...renderPopulation(report, populated.ms));
    }
    // Each section is numbered by its place in the simulation's history, so Sends in any order read in sequence.
    const firstPosition = live.steps.length - results.length + 1;
    results.forEach((result, i) => rendered.push('', ...renderResult(result, lineOf(result) + 1, firstPosition + i)));
    void this.session.connection.sendNotification(SIMULATION_CHANGED_NOTIFICATION, { uri: clientUri } satisfies SimulationChangedParams);
    return {
      uri: clientUri, config, restarted, populated,
      results: results.map((result) => toEntry(result, lineOf(result))),
      heading: headingOf(config),
      rendered: rendered.length ? `${rendered.join('\n')}\n` : '',
    };
  }

  /** Keeps the state when the config changes; properties that disappeared become orphaned data, as in IDM. */
  private followSchema(clientUri: string, run: ScenarioRun, schema?: Schema): void {
    const current = schema ?? (() => {
      const parsed = this.scenarioOf(clientUri);
      const found = parsed && scenarioSchema(this.session, clientUri, parsed.scenario.config?.path);
      return found && 'schema' in found ? found.schema : undefined;
    })();
    if (current) run.followSchema(current);
  }
}

function displayedConfig(config: string): string {
  return decodeURIComponent(config.replace(/^file:\/\//, ''));
}

function toEntry(result: ScenarioResult, line: number): ScenarioRunEntry {
  const { method, path, query, headers, body } = result.request;
  return {
    index: result.index, name: result.name, line,
    request: { method, path, query, headers, body: body ?? null },
    status: result.status, body: result.body, notifications: result.notifications,
    relationshipChanges: result.relationshipChanges.map(({ operation, cause, edgeId, from, to }) => ({ operation, cause, edgeId, from, to })),
  };
}

/** The scenario features; the completion and code lens handlers route `.idmsim` documents to the one returned. */
export function registerScenarioFeatures(session: Session): ScenarioFeatures {
  return new ScenarioFeatures(session);
}
