/**
 * Editor selection -> graph elements: the edges whose property definition holds the cursor (and, outside any
 * relationship, the type whose definition holds it). In the simulation view, the objects and edges the request
 * under the cursor wrote first. Pure, on positions, so the host can answer without asking the server.
 */
import type { WirePosition, WireRange } from '../../../server/src/protocol';
import type { WireGraph, WireLocation } from './messages';

function before(a: WirePosition, b: WirePosition): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

export function rangeContains(range: WireRange, position: WirePosition): boolean {
  return before(range.start, position) && before(position, range.end);
}

function holds(location: WireLocation | undefined, uri: string, position: WirePosition): boolean {
  return !!location && location.uri === uri && rangeContains(location.span, position);
}

export interface GraphSelection {
  nodeIds: string[];
  edgeIds: string[];
}

export function elementsAt(graph: WireGraph, uri: string, position: WirePosition, step?: number): GraphSelection {
  if (graph.view === 'simulation') {
    const current = graph.steps[step ?? graph.steps.length - 1] ?? graph.steps[graph.steps.length - 1];
    if (!current) return { nodeIds: [], edgeIds: [] };
    return {
      nodeIds: current.nodes.filter((node) => holds(node.location, uri, position)).map((node) => node.id),
      edgeIds: current.edges.filter((edge) => holds(edge.location, uri, position)).map((edge) => edge.id),
    };
  }
  const edgeIds = graph.edges
    .filter((edge) => holds(edge.sourceEnd.location, uri, position) || holds(edge.targetEnd?.location, uri, position))
    .map((edge) => edge.id);
  if (edgeIds.length) return { nodeIds: [], edgeIds };
  return { nodeIds: graph.nodes.filter((node) => node.kind !== 'missing' && holds(node.location, uri, position)).map((node) => node.id), edgeIds: [] };
}

/** The location a reveal request names, looked up in the graph the host sent (never taken from the webview). */
export function locationOf(graph: WireGraph, target: { kind: string; id: string; end?: 'source' | 'target'; step?: number }): WireLocation | undefined {
  if (graph.view === 'simulation') {
    if (target.kind === 'step') return /^\d+$/.test(target.id) ? graph.steps[Number(target.id)]?.location : undefined;
    const step = graph.steps[target.step ?? graph.steps.length - 1];
    if (!step) return undefined;
    if (target.kind === 'node') return step.nodes.find((node) => node.id === target.id)?.location;
    if (target.kind === 'edge') return step.edges.find((edge) => edge.id === target.id)?.location;
    return undefined;
  }
  if (target.kind === 'node') return graph.nodes.find((node) => node.id === target.id)?.location;
  if (target.kind === 'edge') {
    const edge = graph.edges.find((candidate) => candidate.id === target.id);
    if (!edge) return undefined;
    return target.end === 'target' ? edge.targetEnd?.location ?? edge.sourceEnd.location : edge.sourceEnd.location ?? edge.targetEnd?.location;
  }
  return undefined;
}
