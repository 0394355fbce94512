/**
 * Graph data -> what is drawn: labels, classes, tooltips and accessible names of each node and edge, independent
 * of the renderer. Every text here is plain text; the renderer puts it in the DOM as text, never as HTML.
 *
 * Drawing conventions (the panel's legend says the same):
 * - each end of an edge is labelled with the property held by the object at that end and its cardinality
 *   (`1` one, `*` many); a one-way relationship has an arrow and no label at the far end;
 * - `●` notifySelf: this end's object is notified of changes made through this property;
 *   `◆` notify: the other end's object is notified of changes made through this property;
 *   `» a, b` notifyRelationships: notifications arriving through this property travel on through `a`, `b`;
 *   a dot at an end marks the object there as notified of changes to the relationship;
 * - a broken pair (a checker error or warning on it) is drawn in the theme's error (or warning) colour.
 */
import type { WireRange } from '../../../server/src/protocol';
import type { EdgeEnd, SchemaEdge, SchemaNode, SimEdge, SimObjectNode, SimStep } from '../../../server/src/protocol/graph';
import type { WireSchemaGraph } from './messages';

export type ArrowShape = 'none' | 'triangle' | 'circle';

export interface ViewNode {
  id: string;
  /** Lines of the node label. */
  lines: string[];
  classes: string[];
  tooltip: string;
  ariaLabel: string;
  /** Text the name filter matches against (lower case). */
  searchText: string;
  /** The AIC realm (`alpha` for `alpha_user`) when several types share its prefix; realms can be collapsed. */
  realm?: string;
  /** Whether a click can reveal a definition. */
  revealable: boolean;
}

export interface ViewEdge {
  id: string;
  source: string;
  target: string;
  sourceLabel: string;
  targetLabel: string;
  /** Label in the middle (merged edges of collapsed realms). */
  midLabel: string;
  sourceArrow: ArrowShape;
  targetArrow: ArrowShape;
  classes: string[];
  tooltip: string;
  ariaLabel: string;
  searchText: string;
  broken: boolean;
  revealable: boolean;
}

export interface ViewGraph {
  view: 'schema' | 'simulation';
  nodes: ViewNode[];
  edges: ViewEdge[];
}

const CARDINALITY = { one: '1', many: '*' } as const;

export function endLabel(end: EdgeEnd<WireRange>, undeclaredNote = ''): string {
  let label = `${end.property} ${CARDINALITY[end.cardinality]}`;
  if (!end.declared && undeclaredNote) label += ` ${undeclaredNote}`;
  if (end.notifySelf) label += ' ●';
  if (end.notify) label += ' ◆';
  if (end.notifyRelationships.length) label += ` » ${end.notifyRelationships.join(', ')}`;
  return label;
}

/** `realm` for `realm_name` (AIC realms: alpha_, bravo_); counted as a realm only when several types share it. */
export function realmPrefixOf(name: string): string | undefined {
  const match = /^([A-Za-z0-9]+)_./.exec(name);
  return match ? match[1] : undefined;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function describeNotification(edge: SchemaEdge<WireRange>, sourceName: string, targetName: string): string[] {
  const lines: string[] = [];
  const { sourceEnd, targetEnd } = edge;
  if (sourceEnd.notifySelf) lines.push(`${sourceName} is notified of changes made through ${sourceEnd.property} (notifySelf)`);
  if (sourceEnd.notify) lines.push(`${targetName} is notified of changes made through ${sourceName}.${sourceEnd.property} (notify)`);
  if (targetEnd?.notifySelf) lines.push(`${targetName} is notified of changes made through ${targetEnd.property} (notifySelf)`);
  if (targetEnd?.notify) lines.push(`${sourceName} is notified of changes made through ${targetName}.${targetEnd.property} (notify)`);
  if (sourceEnd.notifyRelationships.length) lines.push(`${sourceName} passes notifications from ${sourceEnd.property} on to ${sourceEnd.notifyRelationships.join(', ')} (notifyRelationships)`);
  if (targetEnd?.notifyRelationships.length) lines.push(`${targetName} passes notifications from ${targetEnd.property} on to ${targetEnd.notifyRelationships.join(', ')} (notifyRelationships)`);
  return lines;
}

export function schemaView(graph: WireSchemaGraph): ViewGraph {
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  const realmCounts = new Map<string, number>();
  for (const node of graph.nodes) {
    const realm = node.kind === 'managed' ? realmPrefixOf(node.name) : undefined;
    if (realm) realmCounts.set(realm, (realmCounts.get(realm) ?? 0) + 1);
  }
  const nameOf = (id: string) => {
    const node = byId.get(id);
    return node ? (node.kind === 'internal' ? `internal/${node.name}` : node.name) : id;
  };
  const nodes = graph.nodes.map((node) => schemaNodeView(node, realmCounts));
  const edges = graph.edges.map((edge) => schemaEdgeView(edge, nameOf(edge.source), nameOf(edge.target), byId.get(edge.target)?.kind));
  return { view: 'schema', nodes, edges };
}

function schemaNodeView(node: SchemaNode<WireRange>, realmCounts: Map<string, number>): ViewNode {
  const displayName = node.kind === 'internal' ? `internal/${node.name}` : node.name;
  const heading = node.title && node.title !== node.name ? node.title : displayName;
  const count = plural(node.relationshipCount, 'relationship');
  const lines = node.kind === 'missing'
    ? [displayName, 'not defined']
    : [heading, heading === displayName ? count : `${displayName} · ${count}`];
  const classes: string[] = [node.kind];
  if (node.problems.length) classes.push('has-problems');
  const tooltipLines = [`${heading}${heading === displayName ? '' : ` (${displayName})`}`, node.kind === 'missing' ? 'No file of this configuration defines this type.' : count];
  if (node.kind === 'internal') tooltipLines.push('Built into IDM; internal.json may add to it.');
  for (const problem of node.problems) tooltipLines.push(`${problem.severity} ${problem.code}: ${problem.message}`);
  const realm = node.kind === 'managed' ? realmPrefixOf(node.name) : undefined;
  return {
    id: node.id,
    lines,
    classes,
    tooltip: tooltipLines.join('\n'),
    ariaLabel: `${heading}${heading === displayName ? '' : `, ${displayName}`}, ${node.kind === 'missing' ? 'not defined' : count}${node.problems.length ? `, ${plural(node.problems.length, 'problem')}` : ''}`,
    searchText: `${node.name} ${node.title ?? ''} ${node.id}`.toLowerCase(),
    realm: realm && (realmCounts.get(realm) ?? 0) > 1 ? realm : undefined,
    revealable: !!node.location,
  };
}

function schemaEdgeView(edge: SchemaEdge<WireRange>, sourceName: string, targetName: string, targetKind: string | undefined): ViewEdge {
  const twoWay = edge.direction === 'two-way' && edge.targetEnd;
  const undeclaredNote = targetKind === 'internal' ? '(built in)' : '(missing)';
  const sourceNotified = edge.sourceEnd.notifySelf || !!edge.targetEnd?.notify;
  const targetNotified = !!edge.targetEnd?.notifySelf || edge.sourceEnd.notify;
  const classes: string[] = [edge.direction];
  if (edge.source === edge.target) classes.push('loop');
  if (edge.polymorphic) classes.push('polymorphic');
  if (edge.broken) classes.push('broken', `severity-${edge.severity ?? 'error'}`);
  if (edge.targetEnd && !edge.targetEnd.declared) classes.push('undeclared-end');

  const title = twoWay
    ? `${sourceName}.${edge.sourceEnd.property} ⟷ ${targetName}.${edge.targetEnd!.property}`
    : `${sourceName}.${edge.sourceEnd.property} → ${targetName} (one-way)`;
  const tooltip = [title];
  tooltip.push(twoWay
    ? `${edge.sourceEnd.property}: ${edge.sourceEnd.cardinality} · ${edge.targetEnd!.property}: ${edge.targetEnd!.cardinality}${edge.targetEnd!.declared ? '' : ` ${undeclaredNote}`}`
    : `${edge.sourceEnd.property}: ${edge.sourceEnd.cardinality}`);
  if (edge.polymorphic) tooltip.push(`${edge.sourceEnd.property} is polymorphic: it also points at other types.`);
  tooltip.push(...describeNotification(edge, sourceName, targetName));
  for (const problem of edge.problems) tooltip.push(`${problem.severity} ${problem.code}: ${problem.message}`);

  const aria = [title.replace('⟷', 'paired with').replace('→', 'to'),
    twoWay ? `${edge.sourceEnd.cardinality} to ${edge.targetEnd!.cardinality}` : edge.sourceEnd.cardinality];
  if (edge.broken) aria.push(`broken: ${edge.problems.map((p) => p.message).join(' ')}`);
  return {
    id: edge.id,
    source: edge.source,
    target: edge.target,
    sourceLabel: endLabel(edge.sourceEnd),
    targetLabel: twoWay ? endLabel(edge.targetEnd!, undeclaredNote) : '',
    midLabel: '',
    sourceArrow: twoWay && sourceNotified ? 'circle' : 'none',
    targetArrow: twoWay ? (targetNotified ? 'circle' : 'none') : 'triangle',
    classes,
    tooltip: tooltip.join('\n'),
    ariaLabel: aria.join(', '),
    searchText: `${edge.sourceEnd.property} ${edge.targetEnd?.property ?? ''}`.toLowerCase(),
    broken: edge.broken,
    revealable: !!(edge.sourceEnd.location || edge.targetEnd?.location),
  };
}

const STATUS_OK = (status: number) => status >= 200 && status < 300;

export function stepSummary(step: SimStep<WireRange>): string {
  const name = step.name ? ` (${step.name})` : '';
  const notified = step.notificationCount ? `, ${plural(step.notificationCount, 'object')} notified` : '';
  return `${step.index + 1}. ${step.label}${name} → ${step.status}${STATUS_OK(step.status) ? '' : ' (failed)'}${notified}`;
}

export function simulationView(step: SimStep<WireRange>): ViewGraph {
  return { view: 'simulation', nodes: step.nodes.map(simNodeView), edges: step.edges.map(simEdgeView) };
}

function simNodeView(node: SimObjectNode<WireRange>): ViewNode {
  const classes = ['object'];
  if (node.missing) classes.push('missing-object');
  const depth = node.notified.length ? Math.min(...node.notified.map((mark) => mark.depth)) : 0;
  if (depth) classes.push('notified', `notified-depth-${Math.min(depth, 3)}`);
  const tooltip = [node.id];
  if (node.label !== node.objectId) tooltip.push(node.label);
  if (node.missing) tooltip.push('This object does not exist: an edge points at it.');
  for (const mark of node.notified) {
    tooltip.push(`notified (${mark.reason}) through ${mark.via} from ${mark.from}, ${plural(mark.depth, 'hop')}`);
    if (mark.recalculated?.length) tooltip.push(`recalculated ${mark.recalculated.join(', ')}`);
  }
  return {
    id: node.id,
    lines: [node.label, node.collection],
    classes,
    tooltip: tooltip.join('\n'),
    ariaLabel: `${node.label}, ${node.collection}${node.missing ? ', missing' : ''}${depth ? `, notified by the last write (${plural(depth, 'hop')} away)` : ''}`,
    searchText: `${node.id} ${node.label}`.toLowerCase(),
    revealable: !!node.location,
  };
}

function simEdgeView(edge: SimEdge<WireRange>): ViewEdge {
  const classes = ['relationship-instance'];
  if (edge.source === edge.target) classes.push('loop');
  if (edge.onNotificationPath) classes.push('notification-path');
  if (edge.dangling) classes.push('dangling');
  if (edge.oneSided) classes.push('one-sided');
  if (edge.orphaned) classes.push('orphaned');
  const broken = edge.dangling || edge.oneSided || edge.orphaned;
  if (broken) classes.push('broken', 'severity-warning');
  const tooltip = [`${edge.source}.${edge.sourceProperty} → ${edge.target}${edge.targetProperty ? `.${edge.targetProperty}` : ''}`];
  if (edge.dangling) tooltip.push('The referenced object does not exist.');
  if (edge.oneSided) tooltip.push('The reverse field does not show this edge (a broken reverse pair).');
  if (edge.orphaned) tooltip.push('The origin field is no longer a relationship in the schema.');
  if (edge.onNotificationPath) tooltip.push('The last write\'s notification travelled along this edge.');
  tooltip.push(`_refProperties: ${JSON.stringify(edge.refProperties, null, 2)}`);
  return {
    id: edge.id,
    source: edge.source,
    target: edge.target,
    sourceLabel: edge.sourceProperty,
    targetLabel: edge.targetProperty ?? '',
    midLabel: '',
    sourceArrow: 'none',
    targetArrow: edge.targetProperty ? 'none' : 'triangle',
    classes,
    tooltip: tooltip.join('\n'),
    ariaLabel: `${edge.source} ${edge.sourceProperty} to ${edge.target}${edge.targetProperty ? ` ${edge.targetProperty}` : ''}${edge.onNotificationPath ? ', on the notification path' : ''}${broken ? ', broken' : ''}`,
    searchText: `${edge.sourceProperty} ${edge.targetProperty ?? ''}`.toLowerCase(),
    broken,
    revealable: !!edge.location,
  };
}
