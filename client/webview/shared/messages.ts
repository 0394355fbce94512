/**
 * Messages between the graph panel (extension host) and its webview, with their validators. Both sides check every
 * message they receive (type and shape) and drop what does not fit: the webview runs untrusted-looking content (names
 * from the config), and the host must not act on anything it did not send the data for.
 */
import type {
  EdgeEnd, GraphData, GraphLocation, GraphProblem, SchemaEdge, SchemaGraph, SchemaNode, SimEdge, SimNotificationMark,
  SimObjectNode, SimStep, SimulationGraph,
} from '../../../server/src/protocol/graph';
import type { WirePosition, WireRange } from '../../../server/src/protocol';
import type { PlacedGroup, PlacedLabel, PlacedNode, RoutedEdge, SceneData } from './graphLayout';
import { isLayoutKey, type CachedLayout } from './layoutCache';
import {
  isArrayOf, isBoolean, isFiniteNumber, isJsonValue, isNonNegativeInteger, isOneOf, isRecord, isShape, isString, optional, type Check,
} from './validate';

export type WireGraph = GraphData<WireRange>;
export type WireSchemaGraph = SchemaGraph<WireRange>;
export type WireSimulationGraph = SimulationGraph<WireRange>;
export type WireLocation = GraphLocation<WireRange>;

/** What a click asks the host to show: a node or an edge end of the graph it sent, or a scenario step. */
export interface RevealTarget {
  kind: 'node' | 'edge' | 'step';
  id: string;
  /** For edges: the end nearest the click (its property is revealed). */
  end?: 'source' | 'target';
  /** For the simulation view: the step the node or edge was clicked in. */
  step?: number;
}

export type WebviewMessage =
  /** The webview is listening; the host sends the graph only after this. */
  | { type: 'ready' }
  | { type: 'reveal'; target: RevealTarget }
  | { type: 'export'; format: 'svg'; data: string }
  /** `data:image/png;base64,...`: the SVG export rasterised in the webview. */
  | { type: 'export'; format: 'png'; data: string }
  | { type: 'copy'; format: 'mermaid'; text: string }
  | { type: 'log'; level: 'error' | 'info'; message: string }
  /** The simulation view moved to a step the graph lists but has not drawn: the host asks the server for it. */
  | { type: 'showStep'; step: number }
  /** ELK laid out a graph: the host keeps the scene for the next panel opening (see layoutCache.ts). */
  | { type: 'layout'; key: string; scene: SceneData };

export type HostMessage =
  | { type: 'graph'; documentUri: string; documentName: string; graph: WireGraph }
  /** Nothing to draw (not a config, or an error): the reason is shown. */
  | { type: 'empty'; documentUri?: string; reason: string }
  /** The editor selection is on these elements. */
  | { type: 'highlight'; nodeIds: string[]; edgeIds: string[] }
  | { type: 'status'; message: string }
  /** Layouts computed in earlier panels, sent before the first graph (see layoutCache.ts). */
  | { type: 'layouts'; layouts: CachedLayout[] };

/** Exports can be large (2,000 edges as SVG), but a runaway message is refused. */
export const MAX_EXPORT_LENGTH = 64 * 1024 * 1024;
const PNG_DATA_URL = /^data:image\/png;base64,[A-Za-z0-9+/]+=*$/;

const isPosition = isShape<WirePosition>({ line: isNonNegativeInteger, character: isNonNegativeInteger });
const isRange = isShape<WireRange>({ start: isPosition, end: isPosition });
const isLocation = isShape<WireLocation>({ uri: isString, range: isRange, span: isRange });
const isSeverity = isOneOf('error', 'warning', 'information', 'hint');
const isProblem = isShape<GraphProblem>({ code: isString, severity: isSeverity, message: isString });

const isSchemaNode = isShape<SchemaNode<WireRange>>({
  id: isString,
  kind: isOneOf('managed', 'internal', 'missing'),
  name: isString,
  title: optional(isString),
  relationshipCount: isNonNegativeInteger,
  location: optional(isLocation),
  problems: isArrayOf(isProblem),
});

const isEdgeEnd = isShape<EdgeEnd<WireRange>>({
  property: isString,
  cardinality: isOneOf('one', 'many'),
  notifySelf: isBoolean,
  notify: isBoolean,
  notifyRelationships: isArrayOf(isString),
  declared: isBoolean,
  location: optional(isLocation),
});

const isSchemaEdge = isShape<SchemaEdge<WireRange>>({
  id: isString,
  source: isString,
  target: isString,
  direction: isOneOf('one-way', 'two-way'),
  sourceEnd: isEdgeEnd,
  targetEnd: optional(isEdgeEnd),
  polymorphic: isBoolean,
  broken: isBoolean,
  severity: optional(isSeverity),
  problems: isArrayOf(isProblem),
});

const isMark = isShape<SimNotificationMark>({
  reason: isOneOf('notifySelf', 'notify', 'notifyRelationships'),
  via: isString,
  from: isString,
  depth: isNonNegativeInteger,
  recalculated: optional(isArrayOf(isString)),
});

const isSimNode = isShape<SimObjectNode<WireRange>>({
  id: isString,
  collection: isString,
  objectId: isString,
  label: isString,
  missing: isBoolean,
  location: optional(isLocation),
  notified: isArrayOf(isMark),
});

const isRefProperties: Check<Record<string, unknown>> = (value): value is Record<string, unknown> => isRecord(value) && isJsonValue(value);

const isSimEdge = isShape<SimEdge<WireRange>>({
  id: isString,
  source: isString,
  target: isString,
  sourceProperty: isString,
  targetProperty: optional(isString),
  refProperties: isRefProperties,
  dangling: isBoolean,
  orphaned: isBoolean,
  oneSided: isBoolean,
  location: optional(isLocation),
  onNotificationPath: isBoolean,
});

const isSimStep = isShape<SimStep<WireRange>>({
  index: isNonNegativeInteger,
  name: optional(isString),
  label: isString,
  status: isFiniteNumber,
  location: optional(isLocation),
  nodes: isArrayOf(isSimNode),
  edges: isArrayOf(isSimEdge),
  notificationCount: isNonNegativeInteger,
  drawn: isBoolean,
  summarised: optional(isBoolean),
});

const isSchemaGraph = isShape<WireSchemaGraph>({
  view: isOneOf('schema'),
  root: isString,
  nodes: isArrayOf(isSchemaNode),
  edges: isArrayOf(isSchemaEdge),
});

const isSimulationGraph = isShape<WireSimulationGraph>({
  view: isOneOf('simulation'),
  uri: isString,
  steps: isArrayOf(isSimStep),
  errors: isArrayOf(isString),
  origin: isOneOf('live', 'replay'),
});

export function isWireGraph(value: unknown): value is WireGraph {
  if (!isRecord(value)) return false;
  return value.view === 'schema' ? isSchemaGraph(value) : isSimulationGraph(value);
}

const isRevealTarget = isShape<RevealTarget>({
  kind: isOneOf('node', 'edge', 'step'),
  id: isString,
  end: optional(isOneOf('source', 'target')),
  step: optional(isNonNegativeInteger),
});

/** A message from the webview, or undefined when it is not one the host understands. */
export function parseWebviewMessage(value: unknown): WebviewMessage | undefined {
  if (!isRecord(value) || typeof value.type !== 'string') return undefined;
  switch (value.type) {
    case 'ready':
      return { type: 'ready' };
    case 'reveal':
      return isRevealTarget(value.target) ? { type: 'reveal', target: value.target } : undefined;
    case 'export': {
      const data = value.data;
      if (!isString(data) || data.length > MAX_EXPORT_LENGTH) return undefined;
      if (value.format === 'svg') return data.trimStart().startsWith('<') ? { type: 'export', format: 'svg', data } : undefined;
      if (value.format === 'png') return PNG_DATA_URL.test(data) ? { type: 'export', format: 'png', data } : undefined;
      return undefined;
    }
    case 'copy':
      return value.format === 'mermaid' && isString(value.text) && value.text.length <= MAX_EXPORT_LENGTH
        ? { type: 'copy', format: 'mermaid', text: value.text } : undefined;
    case 'log':
      return isOneOf('error', 'info')(value.level) && isString(value.message)
        ? { type: 'log', level: value.level, message: value.message.slice(0, 2000) } : undefined;
    case 'showStep':
      return isNonNegativeInteger(value.step) ? { type: 'showStep', step: value.step } : undefined;
    case 'layout':
      return isCachedLayout(value) ? { type: 'layout', key: value.key, scene: value.scene } : undefined;
    default:
      return undefined;
  }
}

/** A message from the host, or undefined when it does not have the expected shape. */
export function parseHostMessage(value: unknown): HostMessage | undefined {
  if (!isRecord(value) || typeof value.type !== 'string') return undefined;
  switch (value.type) {
    case 'graph':
      return isString(value.documentUri) && isString(value.documentName) && isWireGraph(value.graph)
        ? { type: 'graph', documentUri: value.documentUri, documentName: value.documentName, graph: value.graph } : undefined;
    case 'empty':
      return isString(value.reason) && optional(isString)(value.documentUri)
        ? { type: 'empty', documentUri: value.documentUri, reason: value.reason } : undefined;
    case 'highlight':
      return isArrayOf(isString)(value.nodeIds) && isArrayOf(isString)(value.edgeIds)
        ? { type: 'highlight', nodeIds: value.nodeIds, edgeIds: value.edgeIds } : undefined;
    case 'status':
      return isString(value.message) ? { type: 'status', message: value.message } : undefined;
    case 'layouts':
      return isArrayOf(isCachedLayout)(value.layouts) ? { type: 'layouts', layouts: value.layouts } : undefined;
    default:
      return undefined;
  }
}

/** What the webview keeps across reloads (`vscode.setState`); the host's serializer reads `documentUri` back. */
export interface PersistedState {
  documentUri?: string;
  /** Node positions per document (and view), so a reload or an edit does not move what the user arranged. */
  positions: Record<string, Record<string, [number, number]>>;
  search: string;
  focusDepth: number;
  collapseRealms: boolean;
  step?: number;
  /** The laid-out scene (positions, routes, label boxes) of the last few documents, so a reload draws it again. */
  scenes?: Record<string, SceneData>;
}

const isPositions: Check<Record<string, Record<string, [number, number]>>> = (value): value is Record<string, Record<string, [number, number]>> =>
  isRecord(value) && Object.values(value).every((byNode) => isRecord(byNode) &&
    Object.values(byNode).every((point) => Array.isArray(point) && point.length === 2 && isFiniteNumber(point[0]) && isFiniteNumber(point[1])));

const isPoint = isShape<{ x: number; y: number }>({ x: isFiniteNumber, y: isFiniteNumber });
const isPlacedNode = isShape<PlacedNode>({ x: isFiniteNumber, y: isFiniteNumber, width: isFiniteNumber, height: isFiniteNumber });
const isPlacedLabel = isShape<PlacedLabel>({ x: isFiniteNumber, y: isFiniteNumber, width: isFiniteNumber, height: isFiniteNumber, sourceFirst: isBoolean });
const isRoutedEdge = isShape<RoutedEdge>({ points: isArrayOf(isPoint), label: optional(isPlacedLabel), routed: isBoolean });
const isPlacedGroup = isShape<PlacedGroup>({ label: isString, x: isFiniteNumber, y: isFiniteNumber, width: isFiniteNumber, height: isFiniteNumber });
const isEntry = <T>(check: Check<T>): Check<[string, T]> => (value): value is [string, T] =>
  Array.isArray(value) && value.length === 2 && isString(value[0]) && check(value[1]);
const isSceneData = isShape<SceneData>({ nodes: isArrayOf(isEntry(isPlacedNode)), edges: isArrayOf(isEntry(isRoutedEdge)), unrelated: optional(isPlacedGroup) });
export const isCachedLayout = isShape<CachedLayout>({ key: isLayoutKey, scene: isSceneData });
const isScenes: Check<Record<string, SceneData>> = (value): value is Record<string, SceneData> => isRecord(value) && Object.values(value).every(isSceneData);

export const isPersistedState = isShape<PersistedState>({
  documentUri: optional(isString),
  positions: isPositions,
  search: isString,
  focusDepth: isNonNegativeInteger,
  collapseRealms: isBoolean,
  step: optional(isNonNegativeInteger),
  scenes: optional(isScenes),
});

export function emptyState(): PersistedState {
  return { positions: {}, search: '', focusDepth: 1, collapseRealms: false };
}
