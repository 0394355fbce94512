/**
 * The graph panel's requests: `idmRelationships/graph` answers the schema view for a managed config and the
 * simulation view for an `.idmsim` scenario; `idmRelationships/graphChanged` tells the client after each check
 * which files' graphs may have changed. Offsets become positions here, at the boundary.
 */
import { buildSchemaGraph } from '../core/graph/schemaGraph';
import { buildSimulationGraph, runScenarioForGraph } from '../core/graph/simulationGraph';
import { mapGraphLocations } from '../core/graph/mapLocations';
import type { GraphData } from '../core/graph/types';
import { parseScenario } from '../core/scenario/scenario';
import { LineIndex } from '../core/text/lineIndex';
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

export function registerGraphFeatures(session: Session): void {
  const failed: GraphResult = { kind: 'none', reason: 'The graph could not be built (see the server log).' };
  session.connection.onRequest<GraphResult, unknown>(GRAPH_REQUEST, (params: GraphParams): GraphResult => session.safely(() => graphFor(session, params), failed));
  session.onDidCheck((schema) => {
    const params: GraphChangedParams = { uris: schema.files.map((file) => session.clientUriOf(file.uri)) };
    void session.connection.sendNotification(GRAPH_CHANGED_NOTIFICATION, params);
  });
}

function graphFor(session: Session, params: GraphParams): GraphResult {
  if (!params || typeof params.uri !== 'string') return { kind: 'none', reason: 'No document.' };
  // Both views read the model (a scenario runs against its config): answer from the text the user sees.
  session.bringUpToDate();
  if (languageOf(params.uri) === 'scenario') return simulationFor(session, params.uri);
  const uri = normaliseUri(params.uri);
  const file = session.workspace.getFile(uri);
  if (!file || file.layout === 'unknown') return { kind: 'none', reason: 'This file is not a managed object config.' };
  const schema = session.workspace.schemaFor(uri)!;
  const graph = buildSchemaGraph(schema, { findings: checkSchema(schema, checkSettingsOf(session.settings)) });
  return { kind: 'graph', graph: toWire(graph, (u) => session.lineIndexOf(u), (u) => session.clientUriOf(u)) };
}

function simulationFor(session: Session, clientUri: string): GraphResult {
  const text = scenarioText(session, clientUri);
  if (text === undefined) return { kind: 'none', reason: 'The scenario could not be read.' };
  const scenario = parseScenario(text);
  const found = scenarioSchema(session, clientUri, scenario.config?.path);
  if ('reason' in found) {
    return { kind: 'graph', graph: toWire(buildSimulationGraph(clientUri, [], [found.reason]), () => undefined, (u) => u) };
  }
  const run = runScenarioForGraph(found.schema, clientUri, scenario);
  const graph = buildSimulationGraph(clientUri, run.steps, run.errors.map((reason) => `IDM would not load this config: ${reason}`));
  const scenarioIndex = new LineIndex(text);
  return {
    kind: 'graph',
    graph: toWire(graph, (u) => (u === clientUri ? scenarioIndex : session.lineIndexOf(u)), (u) => (u === clientUri ? u : session.clientUriOf(u))),
  };
}

function toWire(graph: GraphData, indexOf: (uri: string) => LineIndex | undefined, clientUriOf: (uri: string) => string): GraphData<WireRange> {
  return mapGraphLocations(graph, (location) => {
    const index = indexOf(location.uri);
    if (!index) return undefined;
    return { uri: clientUriOf(location.uri), range: toRange(index, location.range), span: toRange(index, location.span) };
  });
}
