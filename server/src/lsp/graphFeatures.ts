/**
 * The graph panel's requests: `idmRelationships/graph` answers the schema view for a managed config and the
 * simulation view for an `.idmsim` scenario; `idmRelationships/graphChanged` tells the client after each check
 * which files' graphs may have changed. Offsets become positions here, at the boundary.
 */
import { buildSchemaGraph } from '../core/graph/schemaGraph';
import { buildSimulationGraph, failedSimulationGraph } from '../core/graph/simulationGraph';
import { mapGraphLocations } from '../core/graph/mapLocations';
import type { GraphData } from '../protocol/graph';
import { ScenarioRun } from '../core/scenario/scenarioRun';
import type { Positions } from '../core/text/lineIndex';
import { checkSchema } from '../core/rules/index';
import {
  GRAPH_CHANGED_NOTIFICATION, GRAPH_REQUEST,
  type GraphChangedParams, type GraphParams, type GraphResult, type WireRange,
} from '../protocol';
import { scenarioSchema, scenarioText } from './scenarioConfig';
import { normaliseUri, type Session } from './session';
import { checkSettingsOf } from './settings';
import { toRange } from './convert';
import { languageOf } from './language';
import type { ScenarioFeatures } from './scenarioFeatures';

export function registerGraphFeatures(session: Session, scenarios: ScenarioFeatures): void {
  const failed: GraphResult = { kind: 'none', reason: 'The graph could not be built (see the server log).' };
  // The graph reads the whole configuration: a large document's text comes from the host first.
  session.connection.onRequest<GraphResult, unknown>(GRAPH_REQUEST, (params: GraphParams): Promise<GraphResult> =>
    session.afterHostedTexts(typeof params?.uri === 'string' ? params.uri : undefined, failed, () => graphFor(session, scenarios, params)));
  session.onDidCheck((schema) => {
    const params: GraphChangedParams = { uris: schema.files.map((file) => session.clientUriOf(file.uri)) };
    void session.connection.sendNotification(GRAPH_CHANGED_NOTIFICATION, params);
  });
}

function graphFor(session: Session, scenarios: ScenarioFeatures, params: GraphParams): GraphResult {
  if (!params || typeof params.uri !== 'string') return { kind: 'none', reason: 'No document.' };
  // Both views read the model (a scenario runs against its config): answer from the text the user sees.
  session.bringUpToDate();
  if (languageOf(params.uri) === 'scenario') return simulationFor(session, scenarios, params.uri, typeof params.step === 'number' ? params.step : undefined);
  const uri = normaliseUri(params.uri);
  const file = session.workspace.getFile(uri);
  if (!file || file.layout === 'unknown') return { kind: 'none', reason: 'This file is not a managed object config.' };
  const schema = session.workspace.schemaFor(uri)!;
  const graph = buildSchemaGraph(schema, { findings: checkSchema(schema, checkSettingsOf(session.settings)) });
  return { kind: 'graph', graph: toWire(graph, (u) => session.lineIndexOf(u), (u) => session.clientUriOf(u)) };
}

/**
 * The simulation view: the state the user built with Send, Run all and Populate when there is one; otherwise the
 * scenario's requests replayed on a fresh simulator, and the graph says it is a replay.
 */
function simulationFor(session: Session, scenarios: ScenarioFeatures, clientUri: string, step: number | undefined): GraphResult {
  const text = scenarioText(session, clientUri);
  if (text === undefined) return { kind: 'none', reason: 'The scenario could not be read.' };
  const parsed = scenarios.parse(clientUri, text);
  const scenarioIndex = parsed.index;
  const wire = (graph: GraphData) => ({
    kind: 'graph' as const,
    graph: toWire(graph, (u) => (u === clientUri ? scenarioIndex : session.lineIndexOf(u)), (u) => (u === clientUri ? u : session.clientUriOf(u))),
  });
  const live = scenarios.liveRun(clientUri);
  if (live) return wire(buildSimulationGraph(clientUri, live, { step, origin: 'live' }));
  const found = scenarioSchema(session, clientUri, parsed.scenario.config?.path);
  if ('reason' in found) return wire(failedSimulationGraph(clientUri, [found.reason]));
  const replay = scenarios.replayRun(clientUri, text, found.schema);
  if (!(replay instanceof ScenarioRun)) return wire(failedSimulationGraph(clientUri, replay.refused.map((reason) => `IDM would not load this config: ${reason}`)));
  return wire(buildSimulationGraph(clientUri, replay, { step, origin: 'replay' }));
}

function toWire(graph: GraphData, indexOf: (uri: string) => Positions | undefined, clientUriOf: (uri: string) => string): GraphData<WireRange> {
  return mapGraphLocations(graph, (location) => {
    const index = indexOf(location.uri);
    if (!index) return undefined;
    return { uri: clientUriOf(location.uri), range: toRange(index, location.range), span: toRange(index, location.span) };
  });
}
