/**
 * Node placement that scales and keeps positions stable.
 *
 * - `forceLayout`: a deterministic force-directed layout for graphs too large for ELK's layered algorithm
 *   (seconds on 200 types with 2,000 relationships); budgeted so 200 nodes take a few tens of ms.
 * - `placeNewNodes`: after an edit, nodes that already have a position keep it; new ones go next to their
 *   positioned neighbours (or below everything), on a free spot.
 */

export interface Point {
  x: number;
  y: number;
}

export interface LayoutNode {
  id: string;
  width: number;
  height: number;
}

export interface LayoutEdge {
  source: string;
  target: string;
}

const GAP = 40;

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

function overlaps(a: Box, b: Box, gap: number): boolean {
  return Math.abs(a.x - b.x) * 2 < a.w + b.w + gap * 2 && Math.abs(a.y - b.y) * 2 < a.h + b.h + gap * 2;
}

/** Distinct neighbour pairs, without loops: parallel relationships pull no harder than one. */
function adjacency(nodes: LayoutNode[], edges: LayoutEdge[]): Array<[number, number]> {
  const index = new Map(nodes.map((node, i) => [node.id, i]));
  const seen = new Set<number>();
  const pairs: Array<[number, number]> = [];
  for (const edge of edges) {
    const a = index.get(edge.source);
    const b = index.get(edge.target);
    if (a === undefined || b === undefined || a === b) continue;
    const key = a < b ? a * nodes.length + b : b * nodes.length + a;
    if (seen.has(key)) continue;
    seen.add(key);
    pairs.push([a, b]);
  }
  return pairs;
}

export function forceLayout(nodes: LayoutNode[], edges: LayoutEdge[]): Map<string, Point> {
  const n = nodes.length;
  const result = new Map<string, Point>();
  if (n === 0) return result;
  const pairs = adjacency(nodes, edges);
  const size = nodes.reduce((sum, node) => sum + Math.max(node.width, node.height), 0) / n;
  // Ideal distance between neighbours: a node and a gap.
  const k = size + GAP * 2;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  // Deterministic start: a sunflower spiral in input order (related types are usually declared near each other).
  const golden = Math.PI * (3 - Math.sqrt(5));
  for (let i = 0; i < n; i++) {
    const r = k * 0.6 * Math.sqrt(i + 0.5);
    xs[i] = r * Math.cos(i * golden);
    ys[i] = r * Math.sin(i * golden);
  }
  // About 40 million pair steps at most, whatever the size.
  const iterations = Math.max(30, Math.min(300, Math.floor(4e7 / (n * n + pairs.length * 4))));
  const dx = new Float64Array(n);
  const dy = new Float64Array(n);
  let temperature = k * Math.sqrt(n) / 2;
  const cooling = Math.pow(0.02, 1 / iterations);
  const k2 = k * k;
  for (let iteration = 0; iteration < iterations; iteration++) {
    dx.fill(0);
    dy.fill(0);
    for (let i = 0; i < n; i++) {
      const xi = xs[i];
      const yi = ys[i];
      for (let j = i + 1; j < n; j++) {
        let ddx = xi - xs[j];
        let ddy = yi - ys[j];
        let d2 = ddx * ddx + ddy * ddy;
        if (d2 < 1e-6) {
          ddx = (i - j) * 0.01 + 0.01;
          ddy = 0.01;
          d2 = ddx * ddx + ddy * ddy;
        }
        const force = k2 / d2;
        dx[i] += ddx * force;
        dy[i] += ddy * force;
        dx[j] -= ddx * force;
        dy[j] -= ddy * force;
      }
    }
    for (const [a, b] of pairs) {
      const ddx = xs[a] - xs[b];
      const ddy = ys[a] - ys[b];
      const d = Math.sqrt(ddx * ddx + ddy * ddy) || 0.01;
      const force = d / k;
      dx[a] -= ddx * force;
      dy[a] -= ddy * force;
      dx[b] += ddx * force;
      dy[b] += ddy * force;
    }
    // A weak pull to the centre keeps disconnected parts from drifting away.
    for (let i = 0; i < n; i++) {
      dx[i] -= xs[i] * 0.002;
      dy[i] -= ys[i] * 0.002;
      const length = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]);
      if (length > 0) {
        const step = Math.min(length, temperature);
        xs[i] += (dx[i] / length) * step;
        ys[i] += (dy[i] / length) * step;
      }
    }
    temperature *= cooling;
  }
  // Dense graphs pull nodes onto each other: spread the whole picture (keeping its shape) until few overlap.
  for (let round = 0; round < 10 && countOverlaps(nodes, xs, ys) > n * 0.08; round++) {
    for (let i = 0; i < n; i++) {
      xs[i] *= 1.12;
      ys[i] *= 1.12;
    }
  }
  separate(nodes, xs, ys);
  for (let i = 0; i < n; i++) result.set(nodes[i].id, { x: Math.round(xs[i]), y: Math.round(ys[i]) });
  return result;
}

function countOverlaps(nodes: LayoutNode[], xs: Float64Array, ys: Float64Array): number {
  let count = 0;
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) {
      if (Math.abs(xs[i] - xs[j]) * 2 < nodes[i].width + nodes[j].width + GAP && Math.abs(ys[i] - ys[j]) * 2 < nodes[i].height + nodes[j].height + GAP) count++;
    }
  }
  return count;
}

/** Pushes overlapping boxes apart along the axis where they overlap least (a few sweeps). */
function separate(nodes: LayoutNode[], xs: Float64Array, ys: Float64Array): void {
  const n = nodes.length;
  const gap = GAP / 2;
  for (let sweep = 0; sweep < 40; sweep++) {
    let moved = false;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const overlapX = (nodes[i].width + nodes[j].width) / 2 + gap - Math.abs(xs[i] - xs[j]);
        const overlapY = (nodes[i].height + nodes[j].height) / 2 + gap - Math.abs(ys[i] - ys[j]);
        if (overlapX <= 0 || overlapY <= 0) continue;
        moved = true;
        if (overlapX < overlapY) {
          const push = (overlapX / 2) * (xs[i] < xs[j] ? -1 : 1);
          xs[i] += push;
          xs[j] -= push;
        } else {
          const push = (overlapY / 2) * (ys[i] < ys[j] ? -1 : 1);
          ys[i] += push;
          ys[j] -= push;
        }
      }
    }
    if (!moved) return;
  }
}

/**
 * Positions for every node: `known` ones stay where they are; new ones are placed next to the centre of their
 * positioned neighbours, on the first free spot of a spiral around it; new ones with no positioned neighbour go
 * in a row below everything. New nodes connected only to other new nodes are placed after those.
 */
export function placeNewNodes(nodes: LayoutNode[], edges: LayoutEdge[], known: ReadonlyMap<string, Point>, occupied: Array<Point & { width: number; height: number }> = []): Map<string, Point> {
  const result = new Map<string, Point>();
  // Besides the known nodes, what else is drawn there (the edge labels): a new node does not go on top of it.
  const boxes: Box[] = occupied.map((o) => ({ x: o.x, y: o.y, w: o.width, h: o.height }));
  const byId = new Map(nodes.map((node) => [node.id, node]));
  for (const node of nodes) {
    const point = known.get(node.id);
    if (!point) continue;
    result.set(node.id, { x: point.x, y: point.y });
    boxes.push({ x: point.x, y: point.y, w: node.width, h: node.height });
  }
  const pending = nodes.filter((node) => !result.has(node.id));
  if (!pending.length) return result;

  const neighbours = new Map<string, string[]>();
  for (const edge of edges) {
    if (edge.source === edge.target || !byId.has(edge.source) || !byId.has(edge.target)) continue;
    (neighbours.get(edge.source) ?? neighbours.set(edge.source, []).get(edge.source)!).push(edge.target);
    (neighbours.get(edge.target) ?? neighbours.set(edge.target, []).get(edge.target)!).push(edge.source);
  }

  const row = new RowBelow(boxes);
  let remaining = pending;
  while (remaining.length) {
    const next: LayoutNode[] = [];
    let placedAny = false;
    for (const node of remaining) {
      const anchors = (neighbours.get(node.id) ?? []).map((id) => result.get(id)).filter((p): p is Point => !!p);
      if (!anchors.length) {
        next.push(node);
        continue;
      }
      const centre = { x: anchors.reduce((s, p) => s + p.x, 0) / anchors.length, y: anchors.reduce((s, p) => s + p.y, 0) / anchors.length };
      const point = freeSpotNear(centre, node, boxes) ?? row.place(node);
      result.set(node.id, point);
      boxes.push({ x: point.x, y: point.y, w: node.width, h: node.height });
      placedAny = true;
    }
    if (!placedAny) {
      // Nothing left connects to a placed node: put the first one in the row below everything, then go on from it.
      const [first, ...rest] = next;
      const point = row.place(first);
      result.set(first.id, point);
      boxes.push({ x: point.x, y: point.y, w: first.width, h: first.height });
      remaining = rest;
    } else {
      remaining = next;
    }
  }
  return result;
}

function freeSpotNear(centre: Point, node: LayoutNode, boxes: Box[]): Point | undefined {
  const step = Math.max(node.width, node.height) / 2 + GAP;
  // Golden-angle spiral: even coverage, deterministic.
  for (let i = 1; i < 4000; i++) {
    const r = step * Math.sqrt(i);
    const angle = i * 2.399963229728653;
    const candidate = { x: Math.round(centre.x + r * Math.cos(angle)), y: Math.round(centre.y + r * Math.sin(angle)) };
    const box = { x: candidate.x, y: candidate.y, w: node.width, h: node.height };
    if (!boxes.some((other) => overlaps(box, other, GAP / 2))) return candidate;
  }
  return undefined;
}

/** Places nodes left to right in rows under everything that was placed when it was created. */
class RowBelow {
  private x: number;
  private y: number;
  private rowHeight = 0;
  private readonly left: number;
  private readonly maxWidth: number;

  constructor(private readonly boxes: Box[]) {
    const bottom = boxes.length ? Math.max(...boxes.map((b) => b.y + b.h / 2)) : -GAP;
    this.left = boxes.length ? Math.min(...boxes.map((b) => b.x - b.w / 2)) : 0;
    const right = boxes.length ? Math.max(...boxes.map((b) => b.x + b.w / 2)) : 1200;
    this.maxWidth = Math.max(1200, right - this.left);
    this.x = this.left;
    this.y = bottom + GAP;
  }

  place(node: LayoutNode): Point {
    for (;;) {
      if (this.x > this.left && this.x + node.width > this.left + this.maxWidth) {
        this.x = this.left;
        this.y += this.rowHeight + GAP;
        this.rowHeight = 0;
      }
      const point = { x: Math.round(this.x + node.width / 2), y: Math.round(this.y + node.height / 2) };
      this.x += node.width + GAP;
      this.rowHeight = Math.max(this.rowHeight, node.height);
      // Nodes placed next to their neighbours may already sit here.
      const box = { x: point.x, y: point.y, w: node.width, h: node.height };
      if (!this.boxes.some((other) => overlaps(box, other, GAP / 2))) return point;
    }
  }
}
