/**
 * `.idmsim` scenario files in the language server: diagnostics, completions and "Send" / "Run all" code lenses,
 * and the simulator the server keeps per scenario (state survives schema edits, as IDM keeps its data).
 */
import { CompletionItemKind, type CodeLens, type CompletionItem, type Diagnostic } from 'vscode-languageserver/node';
import type { Schema } from '../core/model/schema';
import { startSimulator, type Simulator } from '../core/simulator/engine';
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

interface Simulation {
  simulator: Simulator;
  schema: Schema;
  results: ScenarioRunEntry[];
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
  private readonly simulations = new Map<string, Simulation>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly session: Session) {
    session.onScenarioDocument((clientUri, closed) => {
      if (closed) {
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
      for (const document of session.documents.all()) if (languageOf(document.uri) === 'scenario') this.publishDiagnostics(document.uri);
      for (const [uri, simulation] of this.simulations) this.followSchema(uri, simulation);
    });
    session.connection.onRequest(RUN_SCENARIO_REQUEST, (params: RunScenarioParams) => session.safely(() => this.run(params), {
      uri: params?.uri ?? '', refused: ['The simulator failed on this request (see the server log).'], results: [],
    }));
  }

  private text(clientUri: string): string | undefined {
    return this.session.documents.get(clientUri)?.getText();
  }

  private scenarioOf(clientUri: string): { scenario: Scenario; text: string } | undefined {
    const text = this.text(clientUri);
    return text === undefined ? undefined : { scenario: parseScenario(text), text };
  }

  private publishDiagnostics(clientUri: string): void {
    this.session.safely(() => {
      const parsed = this.scenarioOf(clientUri);
      if (!parsed) return;
      const found = scenarioSchema(this.session, clientUri, parsed.scenario.config?.path);
      const index = new LineIndex(parsed.text);
      const diagnostics: Diagnostic[] = scenarioDiagnostics(parsed.scenario, 'schema' in found ? found.schema : undefined).map((d) => ({
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
    const index = new LineIndex(parsed.text);
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
    const index = new LineIndex(parsed.text);
    const lenses: CodeLens[] = [];
    parsed.scenario.requests.forEach((request, i) => {
      const range = toRange(index, { start: request.range.start, end: request.range.start });
      lenses.push({ range, command: { title: '$(play) Send', command: 'idmRelationships.sendRequest', arguments: [clientUri, i] } });
      if (i === 0) lenses.push({ range, command: { title: '$(run-all) Run all', command: 'idmRelationships.runAll', arguments: [clientUri] } });
    });
    return lenses;
  }

  private run(params: RunScenarioParams): RunScenarioResult {
    const clientUri = params.uri;
    this.session.bringUpToDate();
    const parsed = this.scenarioOf(clientUri);
    if (!parsed) return { uri: clientUri, refused: ['Open the scenario first.'], results: [] };
    const found = scenarioSchema(this.session, clientUri, parsed.scenario.config?.path);
    if ('reason' in found) return { uri: clientUri, refused: [found.reason], results: [] };
    // Name the config itself, not the internal.json overlay beside it.
    const configFile = found.schema.files.find((f) => f.layout !== 'internal' && f.layout !== 'unknown') ?? found.schema.files[0];
    const config = configFile ? this.session.clientUriOf(configFile.uri) : undefined;

    let simulation = this.simulations.get(clientUri);
    if (params.mode === 'runAll' || !simulation || simulation.schema.root !== found.schema.root) {
      const started = startSimulator(found.schema, params.seed === undefined ? {} : { seed: params.seed });
      if ('refused' in started) {
        this.simulations.delete(clientUri);
        return { uri: clientUri, config, refused: started.refused, results: [] };
      }
      simulation = { simulator: started.simulator, schema: found.schema, results: [] };
      this.simulations.set(clientUri, simulation);
    } else {
      this.followSchema(clientUri, simulation, found.schema);
    }

    const index = new LineIndex(parsed.text);
    const runOne = (i: number) => {
      const request = parsed.scenario.requests[i];
      const auditLength = simulation!.simulator.audit.length;
      const response = simulation!.simulator.handle(request.request);
      const { method, path, query, headers, body } = request.request;
      simulation!.results.push({
        index: i, name: request.name, line: index.positionAt(request.range.start).line,
        request: { method, path, query, headers, body: body ?? null },
        status: response.status, body: response.body, notifications: response.notifications,
        relationshipChanges: simulation!.simulator.audit.edgeEntriesSince(auditLength).map(({ operation, cause, edgeId, from, to }) => ({ operation, cause, edgeId, from, to })),
      });
    };
    let populated: RunScenarioResult['populated'];
    if (params.mode === 'runAll') parsed.scenario.requests.forEach((_, i) => runOne(i));
    else if (params.mode === 'send') {
      if (typeof params.index !== 'number' || !parsed.scenario.requests[params.index]) return { uri: clientUri, config, refused: [`No request ${params.index}.`], results: simulation.results };
      runOne(params.index);
    } else if (params.mode === 'populate') {
      const started = performance.now();
      const report = simulation.simulator.populate(params.counts ?? {}, params.seed === undefined ? {} : { seed: params.seed });
      populated = { objects: report.objects, edges: report.edges, skipped: report.skipped, ms: Math.round(performance.now() - started) };
    }
    void this.session.connection.sendNotification(SIMULATION_CHANGED_NOTIFICATION, { uri: clientUri } satisfies SimulationChangedParams);
    return { uri: clientUri, config, results: simulation.results, populated };
  }

  /** Keeps the state when the config changes; properties that disappeared become orphaned data, as in IDM. */
  private followSchema(clientUri: string, simulation: Simulation, schema?: Schema): void {
    const current = schema ?? (() => {
      const parsed = this.scenarioOf(clientUri);
      const found = parsed && scenarioSchema(this.session, clientUri, parsed.scenario.config?.path);
      return found && 'schema' in found ? found.schema : undefined;
    })();
    if (!current || current === simulation.schema) return;
    simulation.schema = current;
    simulation.simulator.setSchema(current);
  }
}

/** The scenario features; the completion and code lens handlers route `.idmsim` documents to the one returned. */
export function registerScenarioFeatures(session: Session): ScenarioFeatures {
  return new ScenarioFeatures(session);
}
