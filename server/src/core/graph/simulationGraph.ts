/**
 * The simulation view: after each request of a scenario, the objects the simulator holds and the edges between
 * them, with the objects the request's write notified and the edges the notifications travelled along.
 */
import type { OffsetRange } from '../diagnostics/finding';
import type { Schema } from '../model/schema';
import { startSimulator, type IdmRelease } from '../simulator/engine';
import { splitKey } from '../simulator/refs';
import { parseScenario, type Scenario } from '../scenario/scenario';
import type { SimSnapshot } from '../simulator/snapshot';
import type { Notification, SimResponse } from '../simulator/types';
import type { GraphLocation, SimEdge, SimNotificationMark, SimObjectNode, SimStep, SimulationGraph } from './types';

export interface SimulationStepInput {
  index: number;
  name?: string;
  label: string;
  status: number;
  location?: GraphLocation;
  snapshot: SimSnapshot;
  notifications: Notification[];
}

/** Fields that name an object better than its id, in order of preference. */
const LABEL_FIELDS = ['userName', 'name', 'displayName', 'mail'];

function labelOf(fields: Record<string, unknown>, id: string): string {
  for (const field of LABEL_FIELDS) {
    const value = fields[field];
    if (typeof value === 'string' && value.trim()) return value;
  }
  return id;
}

export function buildSimulationGraph(uri: string, inputs: SimulationStepInput[], errors: string[] = []): SimulationGraph {
  const firstSeen = new Map<string, GraphLocation | undefined>();
  const steps = inputs.map((input) => buildStep(input, firstSeen));
  return { view: 'simulation', uri, steps, errors };
}

function buildStep(input: SimulationStepInput, firstSeen: Map<string, GraphLocation | undefined>): SimStep {
  const seen = (key: string): GraphLocation | undefined => {
    if (!firstSeen.has(key)) firstSeen.set(key, input.location);
    return firstSeen.get(key);
  };

  const marks = new Map<string, SimNotificationMark[]>();
  for (const notification of input.notifications) {
    const mark: SimNotificationMark = { reason: notification.reason, via: notification.via, from: notification.from, depth: notification.depth };
    if (notification.recalculated?.length) mark.recalculated = [...notification.recalculated];
    const list = marks.get(notification.object);
    if (list) list.push(mark);
    else marks.set(notification.object, [mark]);
  }

  const nodes = new Map<string, SimObjectNode>();
  for (const object of input.snapshot.objects) {
    nodes.set(object.ref, {
      id: object.ref,
      collection: object.collection,
      objectId: object.id,
      label: labelOf(object.fields, object.id),
      missing: false,
      location: seen(`object ${object.ref}`),
      notified: marks.get(object.ref) ?? [],
    });
  }

  const edges: SimEdge[] = input.snapshot.edges.map((edge) => {
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
      location: seen(`edge ${edge.id}`),
      onNotificationPath: false,
    };
    if (edge.to.property !== undefined) simEdge.targetProperty = edge.to.property;
    return simEdge;
  });

  markNotificationPaths(edges, input.notifications);
  return {
    index: input.index,
    name: input.name,
    label: input.label,
    status: input.status,
    location: input.location,
    nodes: [...nodes.values()],
    edges,
    notificationCount: input.notifications.length,
  };
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

export interface ScenarioRun {
  steps: SimulationStepInput[];
  /** Why the scenario could not run (the simulator refused the schema, as IDM would refuse to load it). */
  errors: string[];
}

/** The request line (method and URL) of each scenario request, and the whole request as its span. */
function requestLocation(uri: string, range: OffsetRange, methodRange: OffsetRange, urlRange: OffsetRange): GraphLocation {
  return { uri, range: { start: methodRange.start, end: Math.max(methodRange.end, urlRange.end) }, span: range };
}

/** Runs a scenario on a fresh simulator, one request at a time, taking a snapshot after each. */
export function runScenarioForGraph(schema: Schema, scenarioUri: string, input: Scenario | string, seed = 1, release?: IdmRelease): ScenarioRun {
  const scenario = typeof input === 'string' ? parseScenario(input) : input;
  // The scenario's `@idm` wins over the caller's default (the setting).
  const chosen = scenario.idm?.release ?? release;
  const started = startSimulator(schema, { seed, ...(chosen ? { release: chosen } : {}) });
  if ('refused' in started) return { steps: [], errors: started.refused };
  const simulator = started.simulator;
  const steps = scenario.requests.map((scenarioRequest, index): SimulationStepInput => {
    const request = scenarioRequest.request;
    let response: SimResponse;
    try {
      response = simulator.handle(request);
    } catch {
      // The engine promises not to throw; if it does, this request shows as failed and the scenario goes on.
      response = { status: 500, body: null, notifications: [] };
    }
    const step: SimulationStepInput = {
      index,
      label: `${String(request.method).toUpperCase()} ${request.path}`,
      status: response.status,
      location: requestLocation(scenarioUri, scenarioRequest.range, scenarioRequest.methodRange, scenarioRequest.urlRange),
      snapshot: simulator.snapshot(),
      notifications: response.notifications,
    };
    if (scenarioRequest.name !== undefined) step.name = scenarioRequest.name;
    return step;
  });
  return { steps, errors: [] };
}
