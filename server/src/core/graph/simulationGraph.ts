/**
 * The simulation view: the timeline of a scenario run (its requests and populations, in order) and the state
 * after one step drawn: the objects the simulator holds and the edges between them, with the objects the step's
 * write notified and the edges the notifications travelled along. A state too large to draw one node per
 * object is drawn as counts per type and relationship.
 */
import type { ScenarioRun, ScenarioStep } from '../scenario/scenarioRun';
import type { Simulator } from '../simulator/engine';
import { splitKey } from '../simulator/refs';
import type { SimSnapshot, SimSummary } from '../simulator/snapshot';
import type { Notification } from '../simulator/types';
import type { GraphLocation, SimEdge, SimNotificationMark, SimObjectNode, SimStep, SimulationGraph } from '../../protocol/graph';

/** Above this many objects a state is drawn as counts per type and relationship, not one node per object. */
export const MAX_DRAWN_OBJECTS = 1000;

/** Fields that name an object better than its id, in order of preference. */
const LABEL_FIELDS = ['userName', 'name', 'displayName', 'mail'];

function labelOf(fields: Record<string, unknown>, id: string): string {
  for (const field of LABEL_FIELDS) {
    const value = fields[field];
    if (typeof value === 'string' && value.trim()) return value;
  }
  return id;
}

export interface SimulationGraphOptions {
  /** The step to draw (its place in the run's history); the last when absent or out of range. */
  step?: number;
  /** See `SimulationGraph.origin`. */
  origin: 'live' | 'replay';
}

/** The graph of a scenario that could not run: the reasons, no steps. */
export function failedSimulationGraph(uri: string, errors: string[]): SimulationGraph {
  return { view: 'simulation', uri, steps: [], errors, origin: 'replay' };
}

/**
 * Every step of the run for the timeline, and the state after one of them drawn: the live simulator's for the
 * last step, a replay of the history up to it for an earlier one.
 */
export function buildSimulationGraph(uri: string, run: ScenarioRun, options: SimulationGraphOptions): SimulationGraph {
  const history = run.steps;
  const last = history.length - 1;
  const drawnIndex = options.step !== undefined && Number.isInteger(options.step) && options.step >= 0 && options.step <= last ? options.step : last;
  const steps = history.map((step, index) => listedStep(uri, step, index));
  if (drawnIndex >= 0) {
    const simulator = drawnIndex === last ? run.simulator : run.replayTo(drawnIndex);
    if (simulator) steps[drawnIndex] = drawStep(uri, steps[drawnIndex], simulator, history, drawnIndex);
  }
  return { view: 'simulation', uri, steps, errors: [], origin: options.origin };
}

/** A step as the timeline lists it, without its state. */
function listedStep(uri: string, step: ScenarioStep, index: number): SimStep {
  if (step.kind === 'populate') {
    const counts = Object.entries(step.counts).map(([type, n]) => `${type}=${n}`).join(', ');
    return { index, label: `Populate ${counts}`, status: 200, nodes: [], edges: [], notificationCount: 0, drawn: false };
  }
  const { result, place } = step;
  const listed: SimStep = {
    index,
    label: `${String(result.request.method).toUpperCase()} ${result.request.path}`,
    status: result.status,
    nodes: [],
    edges: [],
    notificationCount: result.notifications.length,
    drawn: false,
  };
  if (result.name !== undefined) listed.name = result.name;
  if (place) listed.location = { uri, range: place.requestLine, span: place.range };
  return listed;
}

function drawStep(uri: string, listed: SimStep, simulator: Simulator, history: readonly ScenarioStep[], index: number): SimStep {
  const step = history[index];
  const notifications = step.kind === 'request' ? step.result.notifications : [];
  if (simulator.objectCount() > MAX_DRAWN_OBJECTS) return { ...listed, ...summaryState(simulator.summary()), drawn: true, summarised: true };
  const { nodes, edges } = snapshotState(simulator.snapshot(), notifications, firstWrites(uri, history, index));
  return { ...listed, nodes, edges, drawn: true };
}

/** Where each object and edge was first written: the request that created it, from the history up to `index`. */
function firstWrites(uri: string, history: readonly ScenarioStep[], index: number): Map<string, GraphLocation> {
  const seen = new Map<string, GraphLocation>();
  const note = (key: string, location: GraphLocation) => {
    if (!seen.has(key)) seen.set(key, location);
  };
  for (let i = 0; i <= index; i++) {
    const step = history[i];
    if (step.kind !== 'request' || !step.place || step.result.status >= 300) continue;
    const location: GraphLocation = { uri, range: step.place.requestLine, span: step.place.range };
    const object = writtenObject(step.result.request.path, step.result.body);
    if (object) note(`object ${object}`, location);
    for (const change of step.result.relationshipChanges) {
      if (change.operation !== 'delete') note(`edge ${change.edgeId}`, location);
    }
  }
  return seen;
}

/** The object a successful request wrote: the one its path names, or the one a POST to the collection created. */
function writtenObject(path: string, body: unknown): string | undefined {
  const segments = path.split('/');
  if (segments.length >= 3) return segments.slice(0, 3).join('/');
  const id = body && typeof body === 'object' ? (body as Record<string, unknown>)._id : undefined;
  return segments.length === 2 && typeof id === 'string' ? `${path}/${id}` : undefined;
}

/** Object types as nodes and relationships as edges, each with its count. */
function summaryState(summary: SimSummary): Pick<SimStep, 'nodes' | 'edges'> {
  const nodes = new Map<string, SimObjectNode>();
  const node = (collection: string) => {
    if (!nodes.has(collection)) {
      const count = summary.objects[collection] ?? 0;
      nodes.set(collection, {
        id: collection, collection, objectId: '', label: `${collection.split('/').pop()}: ${count.toLocaleString('en-US')} object${count === 1 ? '' : 's'}`,
        missing: count === 0, notified: [],
      });
    }
  };
  for (const collection of Object.keys(summary.objects)) node(collection);
  const edges: SimEdge[] = summary.relationships.map((relationship) => {
    node(relationship.fromCollection);
    node(relationship.toCollection);
    return {
      id: `${relationship.fromCollection}.${relationship.property}->${relationship.toCollection}`,
      source: relationship.fromCollection, target: relationship.toCollection,
      sourceProperty: `${relationship.property} (${relationship.count.toLocaleString('en-US')})`,
      refProperties: {}, dangling: false, orphaned: false, oneSided: false, onNotificationPath: false,
    };
  });
  return { nodes: [...nodes.values()], edges };
}

function snapshotState(snapshot: SimSnapshot, notifications: Notification[], written: Map<string, GraphLocation>): Pick<SimStep, 'nodes' | 'edges'> {
  const marks = new Map<string, SimNotificationMark[]>();
  for (const notification of notifications) {
    const mark: SimNotificationMark = { reason: notification.reason, via: notification.via, from: notification.from, depth: notification.depth };
    if (notification.recalculated?.length) mark.recalculated = [...notification.recalculated];
    const list = marks.get(notification.object);
    if (list) list.push(mark);
    else marks.set(notification.object, [mark]);
  }

  const nodes = new Map<string, SimObjectNode>();
  for (const object of snapshot.objects) {
    nodes.set(object.ref, {
      id: object.ref,
      collection: object.collection,
      objectId: object.id,
      label: labelOf(object.fields, object.id),
      missing: false,
      location: written.get(`object ${object.ref}`),
      notified: marks.get(object.ref) ?? [],
    });
  }

  const edges: SimEdge[] = snapshot.edges.map((edge) => {
    for (const ref of [edge.from.ref, edge.to.ref]) {
      if (nodes.has(ref)) continue;
      const { collection, id } = splitKey(ref);
      nodes.set(ref, { id: ref, collection, objectId: id, label: id, missing: true, notified: marks.get(ref) ?? [] });
    }
    const simEdge: SimEdge = {
      id: edge.id,
      source: edge.from.ref,
      target: edge.to.ref,
      sourceProperty: edge.from.property,
      refProperties: edge.refProperties,
      dangling: edge.dangling,
      orphaned: edge.orphaned,
      oneSided: edge.oneSided,
      location: written.get(`edge ${edge.id}`),
      onNotificationPath: false,
    };
    if (edge.to.property !== undefined) simEdge.targetProperty = edge.to.property;
    return simEdge;
  });

  markNotificationPaths(edges, notifications);
  return { nodes: [...nodes.values()], edges };
}

/**
 * A notification that came from another object travelled along an edge between the two: the one whose end at
 * the sender (propagation through `notifyRelationships`) or at the receiver (`notify`, arriving through the
 * reverse field) is the notification's `via` field; any edge between them when none matches by field.
 */
function markNotificationPaths(edges: SimEdge[], notifications: Notification[]): void {
  for (const notification of notifications) {
    if (notification.from === notification.object) continue;
    const between = edges.filter((edge) => (edge.source === notification.from && edge.target === notification.object) ||
      (edge.target === notification.from && edge.source === notification.object));
    const byField = between.filter((edge) => propertyAt(edge, notification.from) === notification.via || propertyAt(edge, notification.object) === notification.via);
    for (const edge of byField.length ? byField : between) edge.onNotificationPath = true;
  }
}

function propertyAt(edge: SimEdge, ref: string): string | undefined {
  if (edge.source === ref) return edge.sourceProperty;
  if (edge.target === ref) return edge.targetProperty;
  return undefined;
}
