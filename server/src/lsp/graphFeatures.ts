/**
 * The graph panel's requests: `idmRelationships/graph` answers the schema view for a managed config and the
 * simulation view for an `.idmsim` scenario; `idmRelationships/graphChanged` tells the client after each check
 * which files' graphs may have changed. Offsets become positions here, at the boundary.
 */
import { fileURLToPath, pathToFileURL } from 'url';
import { buildSchemaGraph } from '../core/graph/schemaGraph';
import { buildSimulationGraph, runScenarioForGraph } from '../core/graph/simulationGraph';
import { mapGraphLocations } from '../core/graph/mapLocations';
import type { GraphData } from '../core/graph/types';
import type { Schema } from '../core/model/schema';
import { dirname, Workspace } from '../core/model/workspace';
import { parseScenario } from '../core/simulator/scenario';
import { LineIndex } from '../core/text/lineIndex';
import { checkSchema } from '../core/rules/index';
import { readText, siblingCandidates } from '../node/configFiles';
import {
  GRAPH_CHANGED_NOTIFICATION, GRAPH_REQUEST,
  type GraphChangedParams, type GraphParams, type GraphResult, type WireRange,
} from '../protocol';
import { normaliseUri, type Session } from './session';
import { checkSettingsOf } from './settings';
import { toRange } from './convert';

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
  if (/\.idmsim$/i.test(params.uri)) return simulationFor(session, params.uri);
  session.sync(params.uri);
  const uri = normaliseUri(params.uri);
  const file = session.workspace.getFile(uri);
  if (!file || file.layout === 'unknown') return { kind: 'none', reason: 'This file is not a managed object config.' };
  const schema = session.workspace.schemaFor(uri)!;
  const graph = buildSchemaGraph(schema, { findings: checkSchema(schema, checkSettingsOf(session.settings)) });
  return { kind: 'graph', graph: toWire(graph, (u) => session.lineIndexOf(u), (u) => session.clientUriOf(u)) };
}

function simulationFor(session: Session, clientUri: string): GraphResult {
  const text = session.documents.get(clientUri)?.getText() ?? readFromDisk(clientUri);
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

/**
 * The schema a scenario runs against: its `@config` (relative to the scenario), else the deepest configuration in
 * the workspace whose root holds the scenario. A `@config` outside the workspace is read from disk with its siblings.
 */
function scenarioSchema(session: Session, scenarioUri: string, configPath: string | undefined): { schema: Schema } | { reason: string } {
  if (configPath !== undefined) {
    let configUri: string;
    try {
      configUri = normaliseUri(new URL(configPath, scenarioUri).href);
    } catch {
      return { reason: `@config ${configPath} is not a valid path.` };
    }
    const known = session.workspace.schemaFor(configUri);
    if (known && session.workspace.getFile(configUri)?.layout !== 'unknown') return { schema: known };
    const loaded = loadFromDisk(configUri, session.settings.files);
    return loaded ? { schema: loaded } : { reason: `@config ${configPath}: no managed config there.` };
  }
  const folder = dirname(normaliseUri(scenarioUri));
  const candidates = session.workspace.allSchemas()
    .filter((schema) => schema.objectTypes.length > 0 && (folder === schema.root || folder.startsWith(`${schema.root}/`) || schema.root.startsWith(`${folder}/`)))
    .sort((a, b) => b.root.length - a.root.length);
  return candidates.length ? { schema: candidates[0] } : { reason: 'No managed config found for this scenario: add a line `@config <path to managed.json>`.' };
}

function loadFromDisk(configUri: string, globs: string[]): Schema | undefined {
  let path: string;
  try {
    path = fileURLToPath(configUri);
  } catch {
    return undefined;
  }
  const text = readText(path);
  if (text === undefined) return undefined;
  const workspace = new Workspace();
  const file = workspace.setFile(configUri, text);
  if (file.layout === 'unknown') return undefined;
  for (const sibling of siblingCandidates(path, globs)) {
    const siblingUri = pathToFileURL(sibling).href;
    if (siblingUri === configUri) continue;
    const siblingText = readText(sibling);
    if (siblingText !== undefined) workspace.setFile(siblingUri, siblingText);
  }
  return workspace.schemaFor(configUri);
}

function readFromDisk(uri: string): string | undefined {
  try {
    return readText(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

function toWire(graph: GraphData, indexOf: (uri: string) => LineIndex | undefined, clientUriOf: (uri: string) => string): GraphData<WireRange> {
  return mapGraphLocations(graph, (location) => {
    const index = indexOf(location.uri);
    if (!index) return undefined;
    return { uri: clientUriOf(location.uri), range: toRange(index, location.range), span: toRange(index, location.span) };
  });
}
