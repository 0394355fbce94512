/**
 * The graph's geometry: what the layered layout (ELK `layered`, orthogonal routing) is asked, and what it answered,
 * as plain data the renderer draws as it is. Pure: no DOM, no ELK import, so the worker, the renderer and the tests
 * share it.
 *
 * - Every node and every edge label is given to ELK with its measured size, so ELK keeps them apart; each edge
 *   carries one label (both end labels, one per line) as a centre label, which ELK places on a dummy node of its
 *   own: labels never collide with nodes, edges or each other.
 * - Edges are given pointing from the type with more relationships to the one with fewer (hubs on top read best;
 *   a relationship pair has no direction of its own); the answer is turned back to the edge's own direction.
 * - Types with no relationship are left out of the layout and packed in rows in a group below it.
 * - After an edit, known nodes stay where they were (`pinnedScene`); new ones go next to their neighbours, and
 *   edges whose ends did not move keep their routes.
 */
import { placeNewNodes, type Point } from './layout';

export interface Size {
  width: number;
  height: number;
}

export interface LayoutInputNode extends Size {
  id: string;
}

export interface LayoutInputEdge {
  id: string;
  source: string;
  target: string;
  /** The edge's label box (both lines), when it has a label. */
  label?: Size;
}

export interface LayoutInput {
  nodes: LayoutInputNode[];
  edges: LayoutInputEdge[];
  /** Width / height of the panel: ELK packs disconnected parts towards it. */
  aspectRatio: number;
}

/** A node's centre. */
export interface PlacedNode extends Point {
  width: number;
  height: number;
}

export interface PlacedLabel extends Point {
  width: number;
  height: number;
  /** The line of the source end is the upper one (true), or the lower one. */
  sourceFirst: boolean;
}

export interface RoutedEdge {
  /** From the source node's border to the target node's border, through every bend. */
  points: Point[];
  label?: PlacedLabel;
  /** The route was computed by the layout (false: a straight stand-in after an edit or a drag). */
  routed: boolean;
}

export interface PlacedGroup {
  label: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Scene {
  nodes: Map<string, PlacedNode>;
  edges: Map<string, RoutedEdge>;
  /** The box holding the types with no relationship. */
  unrelated?: PlacedGroup;
}

/** The scene as JSON (worker messages, tests). */
export interface SceneData {
  nodes: Array<[string, PlacedNode]>;
  edges: Array<[string, RoutedEdge]>;
  unrelated?: PlacedGroup;
}

export function sceneToData(scene: Scene): SceneData {
  return { nodes: [...scene.nodes], edges: [...scene.edges], unrelated: scene.unrelated };
}

export function sceneFromData(data: SceneData): Scene {
  return { nodes: new Map(data.nodes), edges: new Map(data.edges), unrelated: data.unrelated };
}

/** The ELK graph JSON (the subset used here). */
export interface ElkGraph {
  id: string;
  layoutOptions?: Record<string, string>;
  children?: ElkGraph[];
  edges?: ElkGraphEdge[];
  x?: number;
  y?: number;
  width?: number;
  height?: number;
}

export interface ElkGraphEdge {
  id: string;
  sources: string[];
  targets: string[];
  labels?: Array<{ id?: string; text?: string; width: number; height: number; x?: number; y?: number }>;
  sections?: Array<{ startPoint: Point; endPoint: Point; bendPoints?: Point[] }>;
  container?: string;
}

export const GROUP_GAP = 48;
const GROUP_PADDING = 16;
const GROUP_HEADER = 26;
const CELL_GAP = 16;

/**
 * ELK's options. Spacing is generous between layers (labels live there) and tight for the edge-label gap, so a
 * label reads as belonging to its line.
 */
export function elkOptions(aspectRatio: number): Record<string, string> {
  return {
    'elk.algorithm': 'layered',
    'elk.direction': 'DOWN',
    'elk.edgeRouting': 'ORTHOGONAL',
    'elk.edgeLabels.placement': 'CENTER',
    'elk.layered.edgeLabels.sideSelection': 'ALWAYS_DOWN',
    'elk.spacing.nodeNode': '28',
    'elk.spacing.edgeNode': '18',
    'elk.spacing.edgeEdge': '12',
    'elk.spacing.edgeLabel': '3',
    'elk.spacing.labelLabel': '6',
    'elk.spacing.componentComponent': '48',
    'elk.layered.spacing.nodeNodeBetweenLayers': '36',
    'elk.layered.spacing.edgeNodeBetweenLayers': '16',
    'elk.layered.spacing.edgeEdgeBetweenLayers': '10',
    'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
    'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
    'elk.layered.mergeEdges': 'false',
    'elk.separateConnectedComponents': 'true',
    'elk.aspectRatio': String(Math.max(0.3, Math.min(3, aspectRatio))),
    'elk.padding': '[top=0,left=0,bottom=0,right=0]',
  };
}

/** Node ids in edges of the input (types that have at least one relationship drawn). */
function connectedIds(input: LayoutInput): Set<string> {
  const ids = new Set(input.nodes.map((node) => node.id));
  const connected = new Set<string>();
  for (const edge of input.edges) {
    if (!ids.has(edge.source) || !ids.has(edge.target)) continue;
    connected.add(edge.source);
    connected.add(edge.target);
  }
  return connected;
}

function degrees(edges: LayoutInputEdge[]): Map<string, number> {
  const degree = new Map<string, number>();
  for (const edge of edges) {
    degree.set(edge.source, (degree.get(edge.source) ?? 0) + 1);
    degree.set(edge.target, (degree.get(edge.target) ?? 0) + 1);
  }
  return degree;
}

/** Whether the edge goes to ELK the other way round (from the end with more relationships). */
function reversedForLayout(edge: LayoutInputEdge, degree: Map<string, number>): boolean {
  const a = degree.get(edge.source) ?? 0;
  const b = degree.get(edge.target) ?? 0;
  return b > a || (a === b && edge.target < edge.source);
}

/** The ELK graph for the connected part of the input (nodes in input order, so the order is stable). */
export function toElkGraph(input: LayoutInput): ElkGraph {
  const connected = connectedIds(input);
  const degree = degrees(input.edges);
  const children = input.nodes.filter((node) => connected.has(node.id)).map((node) => ({ id: node.id, width: node.width, height: node.height }));
  const edges: ElkGraphEdge[] = [];
  for (const edge of input.edges) {
    if (!connected.has(edge.source) || !connected.has(edge.target)) continue;
    const reversed = reversedForLayout(edge, degree);
    const elkEdge: ElkGraphEdge = { id: edge.id, sources: [reversed ? edge.target : edge.source], targets: [reversed ? edge.source : edge.target] };
    // ELK skips labels without text; the size is what counts.
    if (edge.label) elkEdge.labels = [{ id: `${edge.id}#label`, text: 'label', width: edge.label.width, height: edge.label.height }];
    edges.push(elkEdge);
  }
  return { id: 'root', layoutOptions: elkOptions(input.aspectRatio), children, edges };
}

/** ELK's answer as a scene: node centres, routes in each edge's own direction, label centres. */
export function fromElkGraph(input: LayoutInput, laidOut: ElkGraph): Scene {
  const nodes = new Map<string, PlacedNode>();
  for (const child of laidOut.children ?? []) {
    nodes.set(child.id, { x: (child.x ?? 0) + (child.width ?? 0) / 2, y: (child.y ?? 0) + (child.height ?? 0) / 2, width: child.width ?? 0, height: child.height ?? 0 });
  }
  const byId = new Map(input.edges.map((edge) => [edge.id, edge]));
  const edges = new Map<string, RoutedEdge>();
  for (const elkEdge of laidOut.edges ?? []) {
    const edge = byId.get(elkEdge.id);
    const section = elkEdge.sections?.[0];
    if (!edge || !section) continue;
    // Coordinates are relative to the edge's container; every edge here lives in the root.
    let points = [section.startPoint, ...(section.bendPoints ?? []), section.endPoint].map((p) => ({ x: p.x, y: p.y }));
    if (elkEdge.sources[0] !== edge.source) points = points.reverse();
    const routed: RoutedEdge = { points: removeRedundantPoints(points), routed: true };
    const label = elkEdge.labels?.[0];
    if (label && label.x !== undefined && label.y !== undefined) {
      const centre = { x: label.x + label.width / 2, y: label.y + label.height / 2 };
      routed.label = { ...centre, width: label.width, height: label.height, sourceFirst: sourceIsAbove(points, centre) };
    }
    edges.set(edge.id, routed);
  }
  const unrelated = placeUnrelated(input, nodes);
  return { nodes, edges, unrelated };
}

/**
 * Whether the source end's line goes on top: the label sits beside a vertical run of its edge; the end reached by
 * going up from there is the upper one.
 */
function sourceIsAbove(points: Point[], label: Point): boolean {
  // The segment nearest the label's centre, and which way along it the source lies.
  let best = 0;
  let bestDistance = Infinity;
  for (let i = 0; i + 1 < points.length; i++) {
    const d = distanceToSegment(label, points[i], points[i + 1]);
    if (d < bestDistance) {
      bestDistance = d;
      best = i;
    }
  }
  const a = points[best];
  const b = points[best + 1];
  if (Math.abs(a.y - b.y) > 0.5) return a.y < b.y;
  // A horizontal run: compare the ends themselves.
  return points[0].y <= points[points.length - 1].y;
}

export function distanceToSegment(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const length2 = dx * dx + dy * dy;
  const t = length2 ? Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / length2)) : 0;
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

function removeRedundantPoints(points: Point[]): Point[] {
  const result: Point[] = [];
  for (const point of points) {
    const last = result[result.length - 1];
    if (last && Math.abs(last.x - point.x) < 0.01 && Math.abs(last.y - point.y) < 0.01) continue;
    const before = result[result.length - 2];
    // Three points on one horizontal or vertical line: the middle one is no bend.
    if (before && last && ((Math.abs(before.x - last.x) < 0.01 && Math.abs(last.x - point.x) < 0.01) || (Math.abs(before.y - last.y) < 0.01 && Math.abs(last.y - point.y) < 0.01))) {
      result[result.length - 1] = point;
      continue;
    }
    result.push(point);
  }
  return result;
}

/**
 * Types with no relationship: in rows under the laid-out part, in a group of their own, as wide as the layout
 * (at least three boxes).
 */
function placeUnrelated(input: LayoutInput, nodes: Map<string, PlacedNode>): PlacedGroup | undefined {
  const loose = input.nodes.filter((node) => !nodes.has(node.id));
  if (!loose.length) return undefined;
  let left = 0, right = 0, bottom = -GROUP_GAP;
  if (nodes.size) {
    left = Infinity; right = -Infinity; bottom = -Infinity;
    for (const node of nodes.values()) {
      left = Math.min(left, node.x - node.width / 2);
      right = Math.max(right, node.x + node.width / 2);
      bottom = Math.max(bottom, node.y + node.height / 2);
    }
  }
  const widest = Math.max(...loose.map((node) => node.width));
  const width = Math.max(right - left, Math.min(loose.length, 3) * (widest + CELL_GAP) - CELL_GAP + GROUP_PADDING * 2);
  const top = bottom + GROUP_GAP;
  let x = left + GROUP_PADDING;
  let y = top + GROUP_HEADER;
  let rowHeight = 0;
  for (const node of loose) {
    if (x > left + GROUP_PADDING && x + node.width > left + width - GROUP_PADDING) {
      x = left + GROUP_PADDING;
      y += rowHeight + CELL_GAP;
      rowHeight = 0;
    }
    nodes.set(node.id, { x: x + node.width / 2, y: y + node.height / 2, width: node.width, height: node.height });
    x += node.width + CELL_GAP;
    rowHeight = Math.max(rowHeight, node.height);
  }
  const label = `No relationships (${loose.length} ${loose.length === 1 ? 'type' : 'types'})`;
  return { label, x: left, y: top, width, height: y + rowHeight + GROUP_PADDING - top };
}

/** Where the straight line from a box's centre towards `towards` leaves the box. */
export function borderPoint(box: PlacedNode, towards: Point): Point {
  const dx = towards.x - box.x;
  const dy = towards.y - box.y;
  if (!dx && !dy) return { x: box.x, y: box.y };
  const scale = 1 / Math.max(Math.abs(dx) / (box.width / 2), Math.abs(dy) / (box.height / 2));
  return { x: box.x + dx * scale, y: box.y + dy * scale };
}

/** A stand-in route for an edge the layout did not route: straight between borders, label at the middle. */
export function straightRoute(source: PlacedNode, target: PlacedNode, label: Size | undefined): RoutedEdge {
  let points: Point[];
  if (source === target || (source.x === target.x && source.y === target.y)) {
    // A loop on the right side.
    const right = source.x + source.width / 2;
    const reach = right + 24;
    points = [{ x: right, y: source.y - 8 }, { x: reach, y: source.y - 8 }, { x: reach, y: source.y + 8 }, { x: right, y: source.y + 8 }];
    const edge: RoutedEdge = { points, routed: false };
    if (label) edge.label = { x: reach + 4 + label.width / 2, y: source.y, width: label.width, height: label.height, sourceFirst: true };
    return edge;
  }
  points = [borderPoint(source, target), borderPoint(target, source)];
  const edge: RoutedEdge = { points, routed: false };
  if (label) {
    const middle = { x: (points[0].x + points[1].x) / 2, y: (points[0].y + points[1].y) / 2 };
    edge.label = { ...middle, width: label.width, height: label.height, sourceFirst: source.y <= target.y };
  }
  return edge;
}

/**
 * The scene after an edit, without a new layout: nodes of `previous` keep their places (the user has seen them),
 * new ones go next to their neighbours on a free spot; edges whose two ends kept their places and whose label kept
 * its size keep their routes, the others are routed around the nodes (`routeAround`).
 */
export function pinnedScene(input: LayoutInput, previous: Scene): Scene {
  const known = new Map<string, Point>();
  for (const node of input.nodes) {
    const placed = previous.nodes.get(node.id);
    if (placed && placed.width === node.width && placed.height === node.height) known.set(node.id, placed);
    else if (placed) known.set(node.id, { x: placed.x, y: placed.y });
  }
  const labels = input.nodes.some((node) => !known.has(node.id)) ? [...previous.edges.values()].flatMap((edge) => (edge.label ? [edge.label] : [])) : [];
  const positions = placeNewNodes(input.nodes, input.edges, known, labels);
  const nodes = new Map<string, PlacedNode>();
  for (const node of input.nodes) {
    const p = positions.get(node.id)!;
    nodes.set(node.id, { x: p.x, y: p.y, width: node.width, height: node.height });
  }
  const edges = new Map<string, RoutedEdge>();
  const pending: LayoutInputEdge[] = [];
  for (const edge of input.edges) {
    const source = nodes.get(edge.source);
    const target = nodes.get(edge.target);
    if (!source || !target) continue;
    const old = previous.edges.get(edge.id);
    const unmoved = (id: string) => {
      const before = previous.nodes.get(id);
      const now = nodes.get(id)!;
      return !!before && before.x === now.x && before.y === now.y && before.width === now.width && before.height === now.height;
    };
    const sameLabel = (!old?.label && !edge.label) || (!!old?.label && !!edge.label && old.label.width === edge.label.width && old.label.height === edge.label.height);
    if (old && sameLabel && unmoved(edge.source) && unmoved(edge.target)) edges.set(edge.id, old);
    else pending.push(edge);
  }
  // New edges go around the nodes (an orthogonal route on a grid along their sides), straight only if none exists.
  const obstacles = [...nodes.values()];
  const taken: RoutesTaken = { labels: [], segments: [] };
  if (pending.length) {
    for (const edge of edges.values()) {
      if (edge.label) taken.labels.push(edge.label);
      for (let k = 0; k + 1 < edge.points.length; k++) taken.segments.push([edge.points[k], edge.points[k + 1]]);
    }
  }
  for (const [k, edge] of pending.entries()) {
    const source = nodes.get(edge.source)!;
    const target = nodes.get(edge.target)!;
    // A paste of many types at once routes the first ones; the rest wait for "Re-layout".
    if (k >= ROUTE_MAX_EDGES) {
      edges.set(edge.id, straightRoute(source, target, edge.label));
      continue;
    }
    // Labels are walls first; when they close every way (a new type right beside a busy one), only nodes are.
    let route = routeAround(source, target, obstacles, edge.label, taken);
    if (!route) {
      const nodesOnly: RoutesTaken = { labels: [], segments: taken.segments };
      route = routeAround(source, target, obstacles, edge.label, nodesOnly);
      taken.labels.push(...nodesOnly.labels);
    }
    edges.set(edge.id, route ?? straightRoute(source, target, edge.label));
  }
  return { nodes, edges, unrelated: previous.unrelated && stillFits(previous.unrelated, nodes, input) ? previous.unrelated : undefined };
}

/** The group box stays only while exactly its members are still unrelated and inside it. */
function stillFits(group: PlacedGroup, nodes: Map<string, PlacedNode>, input: LayoutInput): boolean {
  const connected = connectedIds(input);
  for (const [id, node] of nodes) {
    const inside = node.x > group.x && node.x < group.x + group.width && node.y > group.y && node.y < group.y + group.height;
    if (inside !== !connected.has(id)) return false;
  }
  return true;
}

/** The bounding box of everything drawn: nodes, routes, labels and the group. */
export function sceneBounds(scene: Scene, only?: ReadonlySet<string>): { x1: number; y1: number; x2: number; y2: number } {
  let x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
  const add = (x: number, y: number, w = 0, h = 0) => {
    x1 = Math.min(x1, x - w / 2); x2 = Math.max(x2, x + w / 2);
    y1 = Math.min(y1, y - h / 2); y2 = Math.max(y2, y + h / 2);
  };
  for (const [id, node] of scene.nodes) if (!only || only.has(id)) add(node.x, node.y, node.width, node.height);
  if (!only) {
    for (const edge of scene.edges.values()) {
      for (const p of edge.points) add(p.x, p.y);
      if (edge.label) add(edge.label.x, edge.label.y, edge.label.width, edge.label.height);
    }
    if (scene.unrelated) {
      add(scene.unrelated.x, scene.unrelated.y);
      add(scene.unrelated.x + scene.unrelated.width, scene.unrelated.y + scene.unrelated.height);
    }
  }
  if (x1 === Infinity) return { x1: 0, y1: 0, x2: 0, y2: 0 };
  return { x1, y1, x2, y2 };
}

/** Clearance kept between a routed edge and the nodes it passes. */
const ROUTE_MARGIN = 12;
/** Above this many nodes a routing grid grows too large to search at each keystroke: new edges stay straight. */
const ROUTE_MAX_NODES = 80;
/** At most this many new edges are routed after one edit. */
const ROUTE_MAX_EDGES = 30;
/** A bend costs as much as this much length: routes prefer few bends. */
const BEND_COST = 40;

/**
 * An orthogonal route from `source` to `target` around the other nodes, for an edge the layout did not route (a
 * new type after an edit, whose known neighbours keep their places). The search runs on the grid of lines along
 * the sides of every node (with a margin) and through both ends' centres, so a straight or one-bend route is found
 * when one exists; the cost is length plus a penalty per bend. Undefined when no route exists (then the caller
 * draws it straight). The label goes at the middle of the route's longest segment.
 */
export function routeAround(source: PlacedNode, target: PlacedNode, obstacles: PlacedNode[], label: Size | undefined, taken: RoutesTaken = { labels: [], segments: [] }): RoutedEdge | undefined {
  if (source === target || obstacles.length > ROUTE_MAX_NODES) return undefined;
  const boxes = [...obstacles.filter((node) => node !== source && node !== target), ...taken.labels].map((node) => ({
    x1: node.x - node.width / 2 - ROUTE_MARGIN, y1: node.y - node.height / 2 - ROUTE_MARGIN,
    x2: node.x + node.width / 2 + ROUTE_MARGIN, y2: node.y + node.height / 2 + ROUTE_MARGIN,
  }));
  // A step along a line already drawn costs more: the new edge should not run on top of another.
  const alongTaken = (a: Point, b: Point) => taken.segments.some(([c, d]) => {
    if (Math.abs(a.y - b.y) < 0.5 && Math.abs(c.y - d.y) < 0.5 && Math.abs(a.y - c.y) < 4) return Math.min(a.x, b.x) < Math.max(c.x, d.x) && Math.min(c.x, d.x) < Math.max(a.x, b.x);
    if (Math.abs(a.x - b.x) < 0.5 && Math.abs(c.x - d.x) < 0.5 && Math.abs(a.x - c.x) < 4) return Math.min(a.y, b.y) < Math.max(c.y, d.y) && Math.min(c.y, d.y) < Math.max(a.y, b.y);
    return false;
  });
  const xs = unique([source.x, target.x, ...boxes.flatMap((b) => [b.x1, b.x2]), source.x - source.width / 2 - ROUTE_MARGIN, source.x + source.width / 2 + ROUTE_MARGIN, target.x - target.width / 2 - ROUTE_MARGIN, target.x + target.width / 2 + ROUTE_MARGIN]);
  const ys = unique([source.y, target.y, ...boxes.flatMap((b) => [b.y1, b.y2]), source.y - source.height / 2 - ROUTE_MARGIN, source.y + source.height / 2 + ROUTE_MARGIN, target.y - target.height / 2 - ROUTE_MARGIN, target.y + target.height / 2 + ROUTE_MARGIN]);
  // Inside its own end's box, a route runs only along the box's centre lines: it leaves through a side's middle.
  const endBlocks = (x: number, y: number, end: PlacedNode) => Math.abs(x - end.x) * 2 < end.width + 0.02 && Math.abs(y - end.y) * 2 < end.height + 0.02
    && Math.abs(x - end.x) > 0.01 && Math.abs(y - end.y) > 0.01;
  const inside = (x: number, y: number) => endBlocks(x, y, source) || endBlocks(x, y, target)
    || boxes.some((b) => x > b.x1 + 0.01 && x < b.x2 - 0.01 && y > b.y1 + 0.01 && y < b.y2 - 0.01);
  const nx = xs.length;
  const ny = ys.length;
  const blocked = new Uint8Array(nx * ny);
  for (let i = 0; i < nx; i++) for (let j = 0; j < ny; j++) blocked[j * nx + i] = inside(xs[i], ys[j]) ? 1 : 0;
  // A step between neighbouring grid points is free when its middle is outside every box (box sides are grid lines).
  const free = (i: number, j: number, di: number, dj: number) => {
    const a = j * nx + i;
    const b = (j + dj) * nx + i + di;
    if (blocked[a] || blocked[b]) return false;
    return !inside((xs[i] + xs[i + di]) / 2, (ys[j] + ys[j + dj]) / 2);
  };
  const start = { i: xs.indexOf(round2(source.x)), j: ys.indexOf(round2(source.y)) };
  const goal = { i: xs.indexOf(round2(target.x)), j: ys.indexOf(round2(target.y)) };
  // Dijkstra over (point, direction of arrival); directions 0 right, 1 left, 2 down, 3 up.
  const steps = [[1, 0], [-1, 0], [0, 1], [0, -1]];
  const states = nx * ny * 4;
  const cost = new Float64Array(states).fill(Infinity);
  const from = new Int32Array(states).fill(-1);
  const heap = new MinHeap();
  for (let d = 0; d < 4; d++) {
    const s = (start.j * nx + start.i) * 4 + d;
    cost[s] = 0;
    heap.push(s, 0);
  }
  let reached = -1;
  while (heap.size) {
    const [state, c] = heap.pop();
    if (c > cost[state]) continue;
    const point = state >> 2;
    const dir = state & 3;
    const i = point % nx;
    const j = (point - i) / nx;
    if (i === goal.i && j === goal.j) {
      reached = state;
      break;
    }
    for (let d = 0; d < 4; d++) {
      const [di, dj] = steps[d];
      const ni = i + di;
      const nj = j + dj;
      if (ni < 0 || nj < 0 || ni >= nx || nj >= ny) continue;
      if (!free(i, j, di, dj)) continue;
      let length = Math.abs(xs[ni] - xs[i]) + Math.abs(ys[nj] - ys[j]);
      if (alongTaken({ x: xs[i], y: ys[j] }, { x: xs[ni], y: ys[nj] })) length *= 4;
      const next = (nj * nx + ni) * 4 + d;
      const total = c + length + (d !== dir && from[state] !== -1 ? BEND_COST : 0);
      if (total < cost[next]) {
        cost[next] = total;
        from[next] = state;
        heap.push(next, total);
      }
    }
  }
  if (reached < 0) return undefined;
  const centres: Point[] = [];
  for (let state = reached; state !== -1; state = from[state]) {
    const point = state >> 2;
    const i = point % nx;
    centres.push({ x: xs[i], y: ys[(point - i) / nx] });
  }
  centres.reverse();
  const points = clipToBorders(removeRedundantPoints(centres), source, target);
  if (points.length < 2) return undefined;
  const edge: RoutedEdge = { points, routed: true };
  if (label) {
    // On the longest segment whose middle leaves the label clear of every node and label; else the longest.
    const order = points.slice(1).map((_, k) => k).sort((a, b) => segmentLength(points[b], points[b + 1]) - segmentLength(points[a], points[a + 1]));
    const placed = (k: number) => ({ x: (points[k].x + points[k + 1].x) / 2, y: (points[k].y + points[k + 1].y) / 2, width: label.width, height: label.height });
    const clear = (box: PlacedNode) => ![...obstacles, ...taken.labels].some((other) => Math.abs(other.x - box.x) * 2 < other.width + box.width && Math.abs(other.y - box.y) * 2 < other.height + box.height);
    const chosen = placed(order.find((k) => clear(placed(k))) ?? order[0]);
    edge.label = { ...chosen, sourceFirst: sourceIsAbove(points, chosen) };
    taken.labels.push(chosen);
  }
  for (let k = 0; k + 1 < points.length; k++) taken.segments.push([points[k], points[k + 1]]);
  return edge;
}

/** What routes and labels already occupy: new routes avoid the labels and pay to run along the segments. */
export interface RoutesTaken {
  labels: PlacedNode[];
  segments: Array<[Point, Point]>;
}

function segmentLength(a: Point, b: Point): number {
  return Math.abs(b.x - a.x) + Math.abs(b.y - a.y);
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function unique(values: number[]): number[] {
  return [...new Set(values.map(round2))].sort((a, b) => a - b);
}

/** The route from centre to centre, cut where it leaves the source's box and where it enters the target's. */
function clipToBorders(points: Point[], source: PlacedNode, target: PlacedNode): Point[] {
  const inBox = (p: Point, box: PlacedNode) => Math.abs(p.x - box.x) <= box.width / 2 + 0.01 && Math.abs(p.y - box.y) <= box.height / 2 + 0.01;
  let first = 0;
  while (first + 1 < points.length && inBox(points[first + 1], source)) first++;
  let last = points.length - 1;
  while (last - 1 > first && inBox(points[last - 1], target)) last--;
  const exit = borderCrossing(points[first], points[first + 1], source);
  const entry = borderCrossing(points[last], points[last - 1], target);
  return [exit, ...points.slice(first + 1, last), entry];
}

/** Where the axis-parallel segment from `inner` (inside the box) towards `outer` crosses the box's border. */
function borderCrossing(inner: Point, outer: Point, box: PlacedNode): Point {
  if (Math.abs(inner.x - outer.x) < 0.01) return { x: inner.x, y: box.y + Math.sign(outer.y - inner.y) * box.height / 2 };
  return { x: box.x + Math.sign(outer.x - inner.x) * box.width / 2, y: inner.y };
}

class MinHeap {
  private readonly items: Array<[number, number]> = [];

  get size(): number {
    return this.items.length;
  }

  push(value: number, priority: number): void {
    const items = this.items;
    items.push([value, priority]);
    let k = items.length - 1;
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (items[parent][1] <= items[k][1]) break;
      [items[parent], items[k]] = [items[k], items[parent]];
      k = parent;
    }
  }

  pop(): [number, number] {
    const items = this.items;
    const top = items[0];
    const last = items.pop()!;
    if (items.length) {
      items[0] = last;
      let k = 0;
      for (;;) {
        const l = k * 2 + 1;
        const r = l + 1;
        let m = k;
        if (l < items.length && items[l][1] < items[m][1]) m = l;
        if (r < items.length && items[r][1] < items[m][1]) m = r;
        if (m === k) break;
        [items[m], items[k]] = [items[k], items[m]];
        k = m;
      }
    }
    return top;
  }
}
