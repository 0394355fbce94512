/**
 * Measures what the graph webview drew, from the SVG itself: node boxes and edge routes as drawn, and every text's
 * real extent (`getBBox` of each text element). Used by the layout-quality test and by `npm run bench:graph`.
 *
 * - overlaps: label-label (texts of different edges), label-node (an edge label's text on a node box), node-node;
 * - edge crossings: two routes crossing away from their ends;
 * - edges through nodes: a route crossing the box of a node that is not one of its ends;
 * - labels crossed: a route running through the text of another edge's label;
 * - smallest text at the first zoom: of the texts in view, the smallest rendered font size (px), node texts and
 *   edge labels apart;
 * - time to the first frame: from the graph message to the first frame drawn with the laid-out graph.
 */
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { CORPUS, jsonFilesUnder } from '../helpers/fixtures';
import { openWebview } from './harness';
import { fixtureGraph, largeGraph, textGraph, type FixtureGraph } from './graphs';

export interface DrawingQuality {
  /** Types and relationships in the config, and how many of them are drawn. */
  types: number;
  relationships: number;
  shownTypes: number;
  shownRelationships: number;
  /** Types fully in view at the first zoom. */
  inView: number;
  labelLabel: number;
  labelNode: number;
  nodeNode: number;
  crossings: number;
  edgesThroughNodes: number;
  labelsCrossed: number;
  labels: number;
  /** Smallest rendered text (px) in view at the first zoom: node texts, edge labels (0 when none in view). */
  minNodeTextPx: number;
  minLabelTextPx: number;
  firstFrameMs: number;
  layoutMs: number;
  layout: string;
  firstView: string;
}

/** The 16 managed-object schemas of the corpus fixtures (internal.json overlays ride along with their folder). */
export function corpusSchemas(): Array<{ name: string; graph: FixtureGraph }> {
  const files = jsonFilesUnder(CORPUS).filter((file) => path.basename(file) !== 'internal.json');
  return files.map((file) => {
    const name = path.relative(CORPUS, file);
    return { name, graph: fixtureGraph(name) };
  });
}

export function generatedSchemas(): Array<{ name: string; graph: FixtureGraph }> {
  return [
    { name: 'generated 60 types, 180 relationships', graph: largeGraph(60, 180) },
    { name: 'generated 200 types, 2,000 relationships', graph: largeGraph(200, 2000) },
  ];
}

export { textGraph };

/** Opens a fresh page at the size, sends the graph, waits for its first frame and measures the drawing. */
export async function measureDrawing(browser: Browser, graph: FixtureGraph, width: number, height: number): Promise<DrawingQuality> {
  const view = await openWebview(browser, { width, height });
  // The page has loaded and warmed ELK up, as the panel has while the host asks the server for the graph.
  await view.page.waitForFunction(() => (globalThis as any).document.body.dataset.layoutWarm === 'true', undefined, { timeout: 30_000 }).catch(() => undefined);
  const timing = await view.page.evaluate(async (message) => {
    const g = globalThis as any;
    const body = g.document.body;
    const started = g.performance.now();
    g.postMessage(message, '*');
    while (!body.dataset.renderMs || body.dataset.busy) await new Promise((resolve) => g.setTimeout(resolve, 2));
    return { firstFrameMs: g.performance.now() - started, layoutMs: Number(body.dataset.layoutMs), layout: String(body.dataset.layout) };
  }, { type: 'graph', documentUri: graph.uri, documentName: 'managed.json', graph: graph.graph });
  const measured = await view.page.evaluate(measureInPage);
  if (view.errors.length) throw new Error(view.errors.join('\n'));
  await view.page.close();
  const types = graph.graph.view === 'schema' ? graph.graph.nodes.length : 0;
  const relationships = graph.graph.view === 'schema' ? graph.graph.edges.length : 0;
  return { types, relationships, ...measured, ...timing };
}

type Measured = Omit<DrawingQuality, 'types' | 'relationships' | 'firstFrameMs' | 'layoutMs' | 'layout'>;

/** Runs in the page. */
function measureInPage(): Measured {
  const g = globalThis as any;
  const hook = g.__idmGraph;
  const scene = hook.scene();
  const viewport = hook.viewport();
  const svg = g.document.querySelector('#graph svg');
  type Box = { x1: number; y1: number; x2: number; y2: number };
  type P = { x: number; y: number };
  const nodes: Array<{ id: string; box: Box }> = scene.nodes.map(([id, n]: [string, any]) => ({ id, box: { x1: n.x - n.width / 2, y1: n.y - n.height / 2, x2: n.x + n.width / 2, y2: n.y + n.height / 2 } }));
  const nodeById = new Map(nodes.map((n) => [n.id, n]));
  const shown = hook.shown();
  const edgeEnds = new Map(shown.edges.map((e: any) => [e.id, e]));
  const edges: Array<{ id: string; source: string; target: string; points: P[] }> = scene.edges.map(([id, e]: [string, any]) => ({ id, source: (edgeEnds.get(id) as any).source, target: (edgeEnds.get(id) as any).target, points: e.points }));
  // Edge label texts with their boxes (graph coordinates), only those drawn.
  const labelTexts: Array<{ edge: string; box: Box; size: number }> = [];
  for (const group of svg.querySelectorAll('g.edge-label')) {
    if (g.getComputedStyle(group).display === 'none' || svg.classList.contains('labels-hidden')) continue;
    for (const text of group.querySelectorAll('text')) {
      const b = text.getBBox();
      if (!b.width) continue;
      labelTexts.push({ edge: group.dataset.id, box: { x1: b.x, y1: b.y, x2: b.x + b.width, y2: b.y + b.height }, size: Number(text.getAttribute('font-size')) });
    }
  }
  const nodeTexts: Array<{ box: Box; size: number }> = [];
  for (const node of svg.querySelectorAll('g.node')) {
    const placed = nodeById.get(node.dataset.id);
    if (!placed) continue;
    const cx = (placed.box.x1 + placed.box.x2) / 2;
    const cy = (placed.box.y1 + placed.box.y2) / 2;
    for (const text of node.querySelectorAll('text')) {
      const b = text.getBBox();
      nodeTexts.push({ box: { x1: cx + b.x, y1: cy + b.y, x2: cx + b.x + b.width, y2: cy + b.y + b.height }, size: Number(text.getAttribute('font-size')) });
    }
  }
  const overlap = (a: Box, b: Box, tolerance = 0.5) => a.x1 + tolerance < b.x2 && b.x1 + tolerance < a.x2 && a.y1 + tolerance < b.y2 && b.y1 + tolerance < a.y2;
  let labelLabel = 0;
  for (let i = 0; i < labelTexts.length; i++) {
    for (let j = i + 1; j < labelTexts.length; j++) if (labelTexts[i].edge !== labelTexts[j].edge && overlap(labelTexts[i].box, labelTexts[j].box)) labelLabel++;
  }
  let labelNode = 0;
  for (const label of labelTexts) for (const node of nodes) if (overlap(label.box, node.box)) labelNode++;
  let nodeNode = 0;
  for (let i = 0; i < nodes.length; i++) for (let j = i + 1; j < nodes.length; j++) if (overlap(nodes[i].box, nodes[j].box, 0)) nodeNode++;

  const segments = (points: P[]) => points.slice(1).map((p, i) => [points[i], p] as [P, P]);
  const cross = (a: P, b: P, c: P, d: P) => {
    const den = (b.x - a.x) * (d.y - c.y) - (b.y - a.y) * (d.x - c.x);
    if (Math.abs(den) < 1e-9) return false;
    const t = ((c.x - a.x) * (d.y - c.y) - (c.y - a.y) * (d.x - c.x)) / den;
    const u = ((c.x - a.x) * (b.y - a.y) - (c.y - a.y) * (b.x - a.x)) / den;
    const eps = 1e-3;
    return t > eps && t < 1 - eps && u > eps && u < 1 - eps;
  };
  /** Whether a segment passes through the inside of a box (shrunk by `inset`). */
  const through = (a: P, b: P, box: Box, inset: number) => {
    const x1 = box.x1 + inset, y1 = box.y1 + inset, x2 = box.x2 - inset, y2 = box.y2 - inset;
    if (x1 >= x2 || y1 >= y2) return false;
    // Liang-Barsky clipping.
    let t0 = 0, t1 = 1;
    const dx = b.x - a.x, dy = b.y - a.y;
    const clip = (p: number, q: number) => {
      if (p === 0) return q >= 0;
      const r = q / p;
      if (p < 0) { if (r > t1) return false; if (r > t0) t0 = r; }
      else { if (r < t0) return false; if (r < t1) t1 = r; }
      return true;
    };
    return clip(-dx, a.x - x1) && clip(dx, x2 - a.x) && clip(-dy, a.y - y1) && clip(dy, y2 - a.y) && t1 - t0 > 1e-6;
  };
  let crossings = 0;
  const edgeSegments = edges.map((edge) => segments(edge.points));
  for (let i = 0; i < edges.length; i++) {
    for (let j = i + 1; j < edges.length; j++) {
      for (const [a, b] of edgeSegments[i]) for (const [c, d] of edgeSegments[j]) if (cross(a, b, c, d)) crossings++;
    }
  }
  let edgesThroughNodes = 0;
  edges.forEach((edge, i) => {
    for (const node of nodes) {
      if (node.id === edge.source || node.id === edge.target) continue;
      if (edgeSegments[i].some(([a, b]) => through(a, b, node.box, 1))) edgesThroughNodes++;
    }
  });
  let labelsCrossed = 0;
  const byEdge = new Map<string, Box[]>();
  for (const label of labelTexts) (byEdge.get(label.edge) ?? byEdge.set(label.edge, []).get(label.edge)!).push(label.box);
  for (const [edgeId, boxes] of byEdge) {
    const crossed = edges.some((edge, i) => edge.id !== edgeId && edgeSegments[i].some(([a, b]) => boxes.some((box) => through(a, b, box, 0.5))));
    if (crossed) labelsCrossed++;
  }
  // What is in view at the first zoom.
  const toScreen = (box: Box): Box => ({ x1: box.x1 * viewport.zoom + viewport.pan.x, y1: box.y1 * viewport.zoom + viewport.pan.y, x2: box.x2 * viewport.zoom + viewport.pan.x, y2: box.y2 * viewport.zoom + viewport.pan.y });
  const screen = { x1: 0, y1: 0, x2: viewport.width, y2: viewport.height };
  const inScreen = (box: Box) => overlap(toScreen(box), screen, 0);
  const fullyInScreen = (box: Box) => { const s = toScreen(box); return s.x1 >= -0.5 && s.y1 >= -0.5 && s.x2 <= screen.x2 + 0.5 && s.y2 <= screen.y2 + 0.5; };
  const minOf = (list: Array<{ box: Box; size: number }>) => {
    const sizes = list.filter((t) => inScreen(t.box)).map((t) => t.size * viewport.zoom);
    return sizes.length ? Math.min(...sizes) : 0;
  };
  return {
    shownTypes: nodes.length,
    shownRelationships: edges.length,
    inView: nodes.filter((node) => fullyInScreen(node.box)).length,
    labelLabel,
    labelNode,
    nodeNode,
    crossings,
    edgesThroughNodes,
    labelsCrossed,
    labels: byEdge.size,
    minNodeTextPx: Math.round(minOf(nodeTexts) * 10) / 10,
    minLabelTextPx: Math.round(minOf(labelTexts) * 10) / 10,
    firstView: String(g.document.getElementById('graph').dataset.firstView ?? ''),
  };
}

export function formatTable(rows: Array<{ name: string; size: string; quality: DrawingQuality }>): string {
  const header = ['schema', 'panel', 'types (shown, in view)', 'rels (shown)', 'label-label', 'label-node', 'node-node', 'crossings', 'edges through nodes', 'labels crossed', 'min text px (nodes/labels)', 'first frame ms', 'layout'];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const { name, size, quality: q } of rows) {
    lines.push(`| ${name} | ${size} | ${q.types} (${q.shownTypes}, ${q.inView}) | ${q.relationships} (${q.shownRelationships}) | ${q.labelLabel} | ${q.labelNode} | ${q.nodeNode} | ${q.crossings} | ${q.edgesThroughNodes} | ${q.labelsCrossed} of ${q.labels} | ${q.minNodeTextPx}/${q.minLabelTextPx || '-'} | ${q.firstFrameMs.toFixed(0)} | ${q.layout} (${q.layoutMs.toFixed(0)} ms) |`);
  }
  return lines.join('\n');
}
