/**
 * Draws a view graph as SVG, exactly as the layout computed it: node boxes where ELK put them, each edge as the
 * orthogonal route ELK returned (its bends included), each edge label in the box ELK reserved for it. Nothing is
 * placed again by the renderer, and the SVG export is this same drawing, so the screen, the export and the PNG
 * (the export rasterised) show one picture.
 *
 * Layout: ELK `layered` in a worker for graphs it handles quickly; beyond that (hundreds of relationships, only
 * after "Show all") the force layout with straight edges, whose labels show on the edges in play. After an edit,
 * known nodes keep their places and new edges are routed around the nodes (`pinnedScene`); "Re-layout" lays
 * everything out again.
 *
 * Pan with a drag on the background or the wheel with Shift, zoom with the wheel; drag a node to move it (its
 * edges then run straight until the next re-layout).
 */
import { forceLayout, type Point } from '../shared/layout';
import {
  borderPoint, fromElkGraph, pinnedScene, sceneBounds, sceneFromData, sceneToData, straightRoute, toElkGraph,
  type LayoutInput, type PlacedNode, type RoutedEdge, type Scene, type SceneData, type Size,
} from '../shared/graphLayout';
import { LAYOUT_CACHE_SIZE, layoutKey, type CachedLayout } from '../shared/layoutCache';
import { keepsRasterWhileMoving } from '../shared/rasterHint';
import { escapeXml } from '../shared/svg';
import type { ViewEdge, ViewGraph, ViewNode } from '../shared/viewModel';
import { LayoutWorker } from './layoutWorker';
import type { Theme } from './theme';

/** Above this many edges ELK takes seconds: the force layout places the nodes and edges run straight. */
export const ELK_MAX_EDGES = 400;
/** Above this many edges, edge labels show only on the edges in play (hovered, selected, highlighted). */
const LABELS_IN_PLAY_ONLY = ELK_MAX_EDGES;
/** Text is never shown smaller than this at the first zoom. */
export const READABLE_PX = 11;
/** Edge labels disappear below this rendered size (a zoomed-out overview shows the shape, not unreadable text). */
const LABEL_HIDE_PX = 6;

export interface RenderMetrics {
  /** Milliseconds from the call to the first frame drawn with the result. */
  renderMs: number;
  /** Milliseconds of the layout alone (the worker's round trip for ELK); 0 when no layout ran. */
  layoutMs: number;
  /** `cached`: ELK's answer for the same input, kept from an earlier panel (see layoutCache.ts). */
  layout: 'elk' | 'cached' | 'force' | 'incremental' | 'none';
  phases: Record<string, number>;
  /** A layout ELK has just computed, for the host to keep. */
  computed?: CachedLayout;
}

/** Text widths in the page's font, summed from cached character widths: thousands of labels measure in a blink. */
class TextWidths {
  private readonly cache = new Map<string, number>();
  private readonly context: CanvasRenderingContext2D | null = document.createElement('canvas').getContext('2d');

  width(text: string, font: string): number {
    let total = 0;
    for (const char of text) {
      const key = `${font}\u0000${char}`;
      let width = this.cache.get(key);
      if (width === undefined) {
        if (this.context) {
          this.context.font = font;
          width = this.context.measureText(char).width;
        } else {
          width = 7;
        }
        this.cache.set(key, width);
      }
      total += width;
    }
    return total;
  }
}

export interface RendererEvents {
  tapNode(id: string): void;
  tapEdge(id: string, end: 'source' | 'target'): void;
  /** Double click on a node: show its neighbours too. */
  expandNode(id: string): void;
  hover(text: string | undefined, x: number, y: number): void;
  positionsChanged(scene: Scene): void;
  /** The first view shows only part of the graph (around this node) at a readable size. */
  partialView?(focusId: string): void;
}

export interface ShowOptions {
  /** Stored scene of this document (a reload, or another file of the same configuration). */
  stored?: Scene;
  relayout?: boolean;
  /** The node to open on when the whole graph does not fit at a readable size. */
  focusId?: string;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

function svgElement<K extends keyof SVGElementTagNameMap>(name: K, attributes: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  return element;
}

/** `rgb(r,g,b)` for `#rrggbb`, so colours read the same wherever they are compared. */
export function rgb(color: string): string {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (hex) return `rgb(${hex.slice(1).map((h) => parseInt(h, 16)).join(',')})`;
  return color.replace(/\s+/g, '');
}

function num(value: number): string {
  return Number.isFinite(value) ? String(Math.round(value * 10) / 10) : '0';
}

function pathOf(points: Point[]): string {
  return points.map((p, i) => `${i ? 'L' : 'M'}${num(p.x)} ${num(p.y)}`).join(' ');
}

interface DrawnNode {
  view: ViewNode;
  element: SVGGElement;
  rect: SVGRectElement;
}

interface DrawnEdge {
  view: ViewEdge;
  element: SVGGElement;
  line: SVGPathElement;
  hit: SVGPathElement;
  label?: SVGGElement;
  /** The label's lines, top to bottom, and the end each belongs to. */
  labelLines: Array<{ text: string; end: 'source' | 'target' }>;
}

export class GraphRenderer {
  private theme: Theme;
  private readonly text = new TextWidths();
  private readonly worker = new LayoutWorker();
  readonly svg: SVGSVGElement;
  /** The HTML element pan and zoom transform: the <svg> inside it is painted once and moved by the compositor. */
  private readonly layer: HTMLDivElement;
  private readonly defs: SVGDefsElement;
  private readonly viewport: SVGGElement;
  private readonly layers: { group: SVGGElement; edges: SVGGElement; nodes: SVGGElement; labels: SVGGElement };
  private graph: ViewGraph = { view: 'schema', nodes: [], edges: [] };
  private scene: Scene = { nodes: new Map(), edges: new Map() };
  private readonly nodes = new Map<string, DrawnNode>();
  private readonly edges = new Map<string, DrawnEdge>();
  private documentKey: string | undefined;
  private zoom = 1;
  private pan = { x: 0, y: 0 };
  private frame = 0;
  private settleTimer = 0;
  /** The zoom the drawing was last rasterised sharp at: where the last motion paused. */
  private restZoom = 1;
  private request = 0;
  private labelsInPlayOnly = false;
  private selected: string | undefined;
  private highlighted = new Set<string>();
  private hovered: string | undefined;
  private markers = new Map<string, number>();
  /** ELK's earlier answers by layout key (layoutCache.ts): the host's and those computed in this panel. */
  private readonly cachedLayouts = new Map<string, SceneData>();

  constructor(private readonly container: HTMLElement, theme: Theme, private readonly events: RendererEvents) {
    this.theme = theme;
    this.svg = svgElement('svg', { class: 'graph-canvas', role: 'presentation' });
    this.defs = svgElement('defs');
    this.viewport = svgElement('g', { class: 'viewport' });
    this.layers = {
      group: svgElement('g', { class: 'groups' }),
      edges: svgElement('g', { class: 'edges' }),
      labels: svgElement('g', { class: 'labels' }),
      nodes: svgElement('g', { class: 'nodes' }),
    };
    this.viewport.append(this.layers.group, this.layers.edges, this.layers.nodes, this.layers.labels);
    this.svg.append(this.defs, this.viewport);
    this.layer = document.createElement('div');
    this.layer.className = 'graph-layer';
    this.layer.append(this.svg);
    container.append(this.layer);
    void this.worker.warmUp().then(() => {
      performance.mark('idm:warm');
      document.body.dataset.layoutWarm = 'true';
    });
    this.listen();
  }

  // --- Interaction -------------------------------------------------------------------------------------------

  private listen(): void {
    // On the container, not the <svg>: zoomed out, the transformed <svg> covers only part of the panel.
    const svg = this.container;
    let drag: { kind: 'pan' | 'node'; id?: string; start: Point; last: Point; moved: boolean; pointer: number } | undefined;
    svg.addEventListener('pointerdown', (event) => {
      if (event.button !== 0) return;
      const nodeId = this.targetOf(event, 'node');
      drag = { kind: nodeId ? 'node' : 'pan', id: nodeId, start: { x: event.clientX, y: event.clientY }, last: { x: event.clientX, y: event.clientY }, moved: false, pointer: event.pointerId };
    });
    svg.addEventListener('pointermove', (event) => {
      if (drag && drag.pointer === event.pointerId && (event.buttons & 1)) {
        const dx = event.clientX - drag.last.x;
        const dy = event.clientY - drag.last.y;
        if (!drag.moved && Math.hypot(event.clientX - drag.start.x, event.clientY - drag.start.y) < 4) return;
        if (!drag.moved) svg.setPointerCapture(event.pointerId);
        drag.moved = true;
        drag.last = { x: event.clientX, y: event.clientY };
        if (drag.kind === 'pan') {
          this.pan = { x: this.pan.x + dx, y: this.pan.y + dy };
          this.scheduleTransform();
        } else if (drag.id) {
          this.moveNode(drag.id, dx / this.zoom, dy / this.zoom);
        }
        return;
      }
      this.onHover(event);
    });
    const end = (event: PointerEvent) => {
      if (!drag || drag.pointer !== event.pointerId) return;
      const finished = drag;
      drag = undefined;
      if (svg.hasPointerCapture(event.pointerId)) svg.releasePointerCapture(event.pointerId);
      if (finished.moved) {
        if (finished.kind === 'node') this.events.positionsChanged(this.scene);
        return;
      }
      this.onClick(event);
    };
    svg.addEventListener('pointerup', end);
    svg.addEventListener('pointercancel', (event) => { if (drag?.pointer === event.pointerId) drag = undefined; });
    svg.addEventListener('pointerleave', () => this.setHovered(undefined));
    svg.addEventListener('dblclick', (event) => {
      const nodeId = this.targetOf(event, 'node');
      if (nodeId) this.events.expandNode(nodeId);
    });
    svg.addEventListener('wheel', (event) => {
      event.preventDefault();
      if (event.shiftKey) {
        this.pan = { x: this.pan.x - event.deltaY, y: this.pan.y };
      } else {
        const box = this.container.getBoundingClientRect();
        const at = { x: event.clientX - box.left, y: event.clientY - box.top };
        const factor = Math.exp(-event.deltaY * 0.0015);
        this.zoomAround(at, this.zoom * factor);
      }
      this.scheduleTransform();
    }, { passive: false });
    new ResizeObserver(() => this.scheduleTransform()).observe(this.container);
  }

  private targetOf(event: Event, kind: 'node' | 'edge'): string | undefined {
    const element = (event.target as Element | null)?.closest?.(kind === 'node' ? 'g.node' : 'g.edge, g.edge-label');
    return element instanceof SVGGElement ? element.dataset.id : undefined;
  }

  private onHover(event: PointerEvent): void {
    const nodeId = this.targetOf(event, 'node');
    const edgeId = nodeId ? undefined : this.targetOf(event, 'edge');
    const id = nodeId ?? edgeId;
    this.setHovered(edgeId);
    if (!id) {
      this.events.hover(undefined, 0, 0);
      return;
    }
    const box = this.container.getBoundingClientRect();
    const tooltip = nodeId ? this.nodes.get(nodeId)?.view.tooltip : this.edges.get(edgeId!)?.view.tooltip;
    this.events.hover(tooltip, event.clientX - box.left, event.clientY - box.top);
  }

  private setHovered(edgeId: string | undefined): void {
    if (this.hovered === edgeId) return;
    const previous = this.hovered ? this.edges.get(this.hovered) : undefined;
    this.hovered = edgeId;
    if (previous) this.paintEdge(previous);
    const now = edgeId ? this.edges.get(edgeId) : undefined;
    if (now) this.paintEdge(now);
    if (!edgeId) this.events.hover(undefined, 0, 0);
  }

  private onClick(event: PointerEvent): void {
    const nodeId = this.targetOf(event, 'node');
    if (nodeId) {
      this.select(nodeId, false);
      this.events.tapNode(nodeId);
      return;
    }
    const edgeId = this.targetOf(event, 'edge');
    const drawn = edgeId ? this.edges.get(edgeId) : undefined;
    if (!drawn || !edgeId) {
      this.select(undefined, false);
      return;
    }
    this.select(edgeId, false);
    // A click on a label line reveals that line's end; on the line, the nearer end along the route.
    const line = (event.target as Element).closest?.('text[data-end]') as SVGTextElement | null;
    if (line?.dataset.end === 'source' || line?.dataset.end === 'target') {
      this.events.tapEdge(edgeId, line.dataset.end);
      return;
    }
    const route = this.scene.edges.get(edgeId);
    if (!route) return;
    const at = this.toGraph({ x: event.clientX, y: event.clientY });
    this.events.tapEdge(edgeId, fractionAlong(route.points, at) <= 0.5 ? 'source' : 'target');
  }

  /** Page coordinates to graph coordinates. */
  toGraph(client: Point): Point {
    const box = this.container.getBoundingClientRect();
    return { x: (client.x - box.left - this.pan.x) / this.zoom, y: (client.y - box.top - this.pan.y) / this.zoom };
  }

  /** Graph coordinates to page coordinates. */
  toPage(point: Point): Point {
    const box = this.container.getBoundingClientRect();
    return { x: box.left + this.pan.x + point.x * this.zoom, y: box.top + this.pan.y + point.y * this.zoom };
  }

  private moveNode(id: string, dx: number, dy: number): void {
    const node = this.scene.nodes.get(id);
    if (!node) return;
    node.x += dx;
    node.y += dy;
    const drawn = this.nodes.get(id);
    if (drawn) drawn.element.setAttribute('transform', `translate(${num(node.x)} ${num(node.y)})`);
    for (const edge of this.graph.edges) {
      if (edge.source !== id && edge.target !== id) continue;
      const source = this.scene.nodes.get(edge.source);
      const target = this.scene.nodes.get(edge.target);
      const old = this.scene.edges.get(edge.id);
      if (!source || !target) continue;
      const route = straightRoute(source, target, old?.label);
      this.scene.edges.set(edge.id, route);
      const drawnEdge = this.edges.get(edge.id);
      if (drawnEdge) this.drawRoute(drawnEdge, route);
    }
    if (this.scene.unrelated) {
      this.scene.unrelated = undefined;
      this.layers.group.replaceChildren();
    }
  }

  private zoomAround(at: Point, zoom: number): void {
    const next = Math.max(0.05, Math.min(4, zoom));
    this.pan = { x: at.x - ((at.x - this.pan.x) * next) / this.zoom, y: at.y - ((at.y - this.pan.y) * next) / this.zoom };
    this.zoom = next;
  }

  /**
   * Pan and zoom are one CSS transform on an HTML wrapper of the <svg> (the drawing stays in graph coordinates and
   * is never touched). Changing an SVG transform makes Chromium lay out every text and path again at the new scale
   * (hundreds of milliseconds for 200 types). The wrapper is always its own compositor layer (its transform is a 3D
   * one), so moving it only moves painted tiles: nothing is repainted into the page's layer when a gesture starts or
   * pauses. While the view moves, `will-change: transform` keeps the layer's raster scale, so frames reuse its tiles
   * instead of rasterising the whole graph again at each zoom step; when the motion pauses the hint is dropped and
   * Chromium rasterises the layer sharp at the new scale (https://developer.mozilla.org/en-US/docs/Web/CSS/will-change,
   * https://developer.chrome.com/blog/inside-browser-part3). The hint is given only where it saves raster work, not
   * below the native scale nor far into a zoom-out (see rasterHint.ts). Wheel events are coalesced to one transform
   * per animation frame.
   */
  private scheduleTransform(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.layer.classList.toggle('moving', keepsRasterWhileMoving(this.restZoom, this.zoom));
      this.setCssTransform();
      window.clearTimeout(this.settleTimer);
      this.settleTimer = window.setTimeout(() => this.applyTransform(), 140);
    });
  }

  private setCssTransform(): void {
    this.layer.style.transform = `translate3d(${num(this.pan.x)}px, ${num(this.pan.y)}px, 0) scale(${this.zoom})`;
  }

  private applyTransform(): void {
    window.clearTimeout(this.settleTimer);
    this.setCssTransform();
    this.layer.classList.remove('moving');
    this.restZoom = this.zoom;
    const labelPx = this.labelFontSize() * this.zoom;
    this.svg.classList.toggle('labels-hidden', labelPx < LABEL_HIDE_PX);
    this.container.dataset.zoom = this.zoom.toFixed(3);
  }

  // --- Theme and sizes ---------------------------------------------------------------------------------------

  setTheme(theme: Theme): void {
    this.theme = theme;
    this.markers.clear();
    this.defs.replaceChildren();
    this.svg.setAttribute('font-family', theme.fontFamily);
    for (const drawn of this.nodes.values()) this.paintNode(drawn);
    for (const drawn of this.edges.values()) this.paintEdge(drawn);
    this.paintGroup();
  }

  private labelFontSize(): number {
    return Math.max(READABLE_PX, Math.round(this.theme.fontSize * 0.85));
  }

  private nodeFonts(): { heading: string; detail: string; headingSize: number; detailSize: number } {
    const headingSize = this.theme.fontSize;
    const detailSize = this.labelFontSize();
    return { heading: `600 ${headingSize}px ${this.theme.fontFamily}`, detail: `${detailSize}px ${this.theme.fontFamily}`, headingSize, detailSize };
  }

  nodeSize(lines: string[]): Size {
    const fonts = this.nodeFonts();
    let width = 60;
    lines.forEach((line, i) => { width = Math.max(width, this.text.width(line, i === 0 ? fonts.heading : fonts.detail)); });
    const height = fonts.headingSize * 1.3 + (lines.length - 1) * fonts.detailSize * 1.3 + 14;
    return { width: Math.ceil(width + 24), height: Math.ceil(height) };
  }

  private labelLines(edge: ViewEdge): Array<{ text: string; end: 'source' | 'target' }> {
    if (edge.midLabel) return edge.midLabel.split('\n').map((text) => ({ text, end: 'source' as const }));
    const lines: Array<{ text: string; end: 'source' | 'target' }> = [];
    if (edge.sourceLabel) lines.push({ text: edge.sourceLabel, end: 'source' });
    if (edge.targetLabel) lines.push({ text: edge.targetLabel, end: 'target' });
    return lines;
  }

  private labelSize(lines: Array<{ text: string }>): Size | undefined {
    if (!lines.length) return undefined;
    const size = this.labelFontSize();
    const font = `${size}px ${this.theme.fontFamily}`;
    const width = Math.max(...lines.map((line) => this.text.width(line.text, font)));
    return { width: Math.ceil(width + 6), height: Math.ceil(lines.length * size * 1.25 + 4) };
  }

  // --- Showing a graph ---------------------------------------------------------------------------------------

  /**
   * Lays out (in the worker when ELK runs) and draws `graph`. Resolves with the metrics once the first frame with
   * the result is drawn, or with undefined when a newer call superseded this one.
   */
  async show(graph: ViewGraph, documentKey: string, options: ShowOptions = {}): Promise<RenderMetrics | undefined> {
    const started = performance.now();
    const request = ++this.request;
    const phases: Record<string, number> = {};
    let mark = started;
    const phase = (name: string) => {
      const now = performance.now();
      phases[name] = (phases[name] ?? 0) + now - mark;
      mark = now;
    };
    const newDocument = documentKey !== this.documentKey;
    const input = this.layoutInput(graph);
    phase('measure');

    // Nodes seen before keep their places, also those hidden for a while (a filter, an earlier step).
    const previous = newDocument ? options.stored : withHidden(this.scene, options.stored);
    const covered = !options.relayout && !!previous && input.nodes.every((node) => previous.nodes.has(node.id));
    const anyKnown = !options.relayout && !!previous && input.nodes.some((node) => previous.nodes.has(node.id));
    let scene: Scene;
    let layout: RenderMetrics['layout'];
    let layoutMs = 0;
    let computed: CachedLayout | undefined;
    if (anyKnown && previous) {
      scene = pinnedScene(input, previous);
      layout = covered ? 'none' : 'incremental';
    } else if (input.edges.length <= ELK_MAX_EDGES) {
      const elkGraph = toElkGraph(input);
      const key = layoutKey(elkGraph);
      const cached = this.cachedLayouts.get(key);
      if (cached && coversInput(cached, input)) {
        // A copy: the scene's nodes move when dragged, the cached answer must not.
        scene = sceneFromData(structuredClone(cached));
        layout = 'cached';
      } else {
        const layoutStarted = performance.now();
        let answer;
        performance.mark('idm:layout-start');
        try {
          answer = await this.worker.layout(elkGraph);
          performance.mark('idm:layout-end');
        } catch (error) {
          if (request !== this.request) return undefined;
          throw error;
        }
        if (request !== this.request) return undefined;
        scene = fromElkGraph(input, answer);
        layoutMs = performance.now() - layoutStarted;
        layout = 'elk';
        computed = { key, scene: structuredClone(sceneToData(scene)) };
        this.keepLayout(key, computed.scene);
      }
    } else {
      const layoutStarted = performance.now();
      const positions = forceLayout(input.nodes, input.edges);
      const nodes = new Map<string, PlacedNode>();
      for (const node of input.nodes) nodes.set(node.id, { ...positions.get(node.id)!, width: node.width, height: node.height });
      const edges = new Map<string, RoutedEdge>();
      for (const edge of input.edges) edges.set(edge.id, straightRoute(nodes.get(edge.source)!, nodes.get(edge.target)!, edge.label));
      scene = { nodes, edges };
      layoutMs = performance.now() - layoutStarted;
      layout = 'force';
    }
    phase('layout');

    this.documentKey = documentKey;
    this.graph = graph;
    this.scene = scene;
    this.labelsInPlayOnly = graph.edges.length > LABELS_IN_PLAY_ONLY;
    this.draw();
    phase('build');
    if (newDocument || options.relayout || layout === 'elk' || layout === 'cached' || layout === 'force') this.firstView(options.focusId);
    else this.applyTransform();
    if (layout !== 'none') this.events.positionsChanged(this.scene);
    await new Promise((resolve) => requestAnimationFrame(resolve));
    phase('draw');
    if (request !== this.request) return undefined;
    performance.mark('idm:frame');
    return { renderMs: performance.now() - started, layoutMs, layout, phases, computed };
  }

  /** Layouts ELK computed in earlier panels (the host's cache), used when the same input comes again. */
  useCachedLayouts(layouts: CachedLayout[]): void {
    for (const { key, scene } of layouts) this.keepLayout(key, scene);
  }

  /** Keeps a layout by key, the most recent last, as many as the host keeps. */
  private keepLayout(key: string, scene: SceneData): void {
    this.cachedLayouts.delete(key);
    this.cachedLayouts.set(key, scene);
    for (const old of this.cachedLayouts.keys()) {
      if (this.cachedLayouts.size <= LAYOUT_CACHE_SIZE) break;
      this.cachedLayouts.delete(old);
    }
  }

  private layoutInput(graph: ViewGraph): LayoutInput {
    const box = this.container.getBoundingClientRect();
    return {
      nodes: graph.nodes.map((node) => ({ id: node.id, ...this.nodeSize(node.lines) })),
      edges: graph.edges.map((edge) => ({ id: edge.id, source: edge.source, target: edge.target, label: this.labelSize(this.labelLines(edge)) })),
      aspectRatio: box.width && box.height ? box.width / box.height : 1.6,
    };
  }

  /** Rebuilds the SVG from the graph and the scene. */
  private draw(): void {
    this.nodes.clear();
    this.edges.clear();
    const fonts = this.nodeFonts();
    const nodeElements: SVGGElement[] = [];
    for (const view of this.graph.nodes) {
      const placed = this.scene.nodes.get(view.id);
      if (!placed) continue;
      const element = svgElement('g', { class: ['node', ...view.classes].join(' '), transform: `translate(${num(placed.x)} ${num(placed.y)})` });
      element.dataset.id = view.id;
      const title = svgElement('title');
      title.textContent = view.ariaLabel;
      const rect = svgElement('rect', { x: num(-placed.width / 2), y: num(-placed.height / 2), width: num(placed.width), height: num(placed.height), rx: 5 });
      const texts: SVGTextElement[] = [];
      const total = fonts.headingSize * 1.3 + (view.lines.length - 1) * fonts.detailSize * 1.3;
      let y = -total / 2;
      view.lines.forEach((line, i) => {
        const size = i === 0 ? fonts.headingSize : fonts.detailSize;
        const text = svgElement('text', { x: 0, y: num(y + size * 1.3 / 2), 'text-anchor': 'middle', 'dominant-baseline': 'central', 'font-size': size });
        if (i === 0) text.setAttribute('font-weight', '600');
        text.textContent = line;
        texts.push(text);
        y += size * 1.3;
      });
      element.append(title, rect, ...texts);
      const drawn = { view, element, rect };
      this.nodes.set(view.id, drawn);
      this.paintNode(drawn);
      nodeElements.push(element);
    }
    const edgeElements: SVGGElement[] = [];
    const labelElements: SVGGElement[] = [];
    for (const view of this.graph.edges) {
      const route = this.scene.edges.get(view.id);
      if (!route) continue;
      const element = svgElement('g', { class: ['edge', ...view.classes].join(' ') });
      element.dataset.id = view.id;
      const title = svgElement('title');
      title.textContent = view.ariaLabel;
      const hit = svgElement('path', { class: 'hit', fill: 'none', stroke: 'transparent', 'stroke-width': 10 });
      const line = svgElement('path', { class: 'line', fill: 'none' });
      element.append(title, hit, line);
      const drawn: DrawnEdge = { view, element, line, hit, labelLines: this.labelLines(view) };
      if (drawn.labelLines.length) {
        drawn.label = svgElement('g', { class: 'edge-label' });
        drawn.label.dataset.id = view.id;
        labelElements.push(drawn.label);
      }
      this.edges.set(view.id, drawn);
      this.drawRoute(drawn, route);
      this.paintEdge(drawn);
      edgeElements.push(element);
    }
    this.layers.nodes.replaceChildren(...nodeElements);
    this.layers.edges.replaceChildren(...edgeElements);
    this.layers.labels.replaceChildren(...labelElements);
    this.paintGroup();
    this.svg.classList.toggle('labels-in-play-only', this.labelsInPlayOnly);
  }

  private drawRoute(drawn: DrawnEdge, route: RoutedEdge): void {
    const d = pathOf(route.points);
    drawn.line.setAttribute('d', d);
    drawn.hit.setAttribute('d', d);
    if (!drawn.label) return;
    const label = route.label;
    if (!label) {
      drawn.label.replaceChildren();
      return;
    }
    const size = this.labelFontSize();
    const lines = label.sourceFirst ? drawn.labelLines : [...drawn.labelLines].reverse();
    const background = svgElement('rect', { class: 'label-background', x: num(label.x - label.width / 2), y: num(label.y - label.height / 2), width: num(label.width), height: num(label.height), rx: 2 });
    const top = label.y - (lines.length * size * 1.25) / 2;
    const texts = lines.map((line, i) => {
      const text = svgElement('text', { x: num(label.x), y: num(top + (i + 0.5) * size * 1.25), 'text-anchor': 'middle', 'dominant-baseline': 'central', 'font-size': size });
      text.dataset.end = line.end;
      text.textContent = line.text;
      return text;
    });
    drawn.label.replaceChildren(background, ...texts);
    this.paintLabel(drawn);
  }

  private paintGroup(): void {
    const group = this.scene.unrelated;
    if (!group) {
      this.layers.group.replaceChildren();
      return;
    }
    const rect = svgElement('rect', {
      x: num(group.x), y: num(group.y), width: num(group.width), height: num(group.height), rx: 6,
      fill: 'none', stroke: rgb(this.theme.nodeBorder), 'stroke-dasharray': '4 4',
    });
    const heading = svgElement('text', { x: num(group.x + 12), y: num(group.y + 14), 'dominant-baseline': 'central', 'font-size': this.labelFontSize(), fill: rgb(this.theme.mutedForeground) });
    heading.textContent = group.label;
    const box = svgElement('g', { class: 'group unrelated' });
    box.append(rect, heading);
    this.layers.group.replaceChildren(box);
  }

  private paintNode(drawn: DrawnNode): void {
    const theme = this.theme;
    const classes = new Set(drawn.view.classes);
    const id = drawn.view.id;
    let fill = theme.nodeBackground;
    let stroke = theme.nodeBorder;
    let width = theme.kind.startsWith('high-contrast') ? 2 : 1;
    let dash = '';
    let textColor = theme.foreground;
    if (classes.has('internal')) dash = '5 3';
    if (classes.has('missing')) { dash = '2 3'; stroke = theme.error; width = 2; textColor = theme.error; }
    if (classes.has('has-problems')) { stroke = theme.error; width = 2; }
    if (classes.has('realm')) width = 3;
    if (classes.has('missing-object')) { dash = '5 3'; stroke = theme.error; textColor = theme.error; }
    if (classes.has('notified')) { stroke = theme.notified; width = classes.has('notified-depth-1') ? 3 : 2; fill = theme.notifiedBackground; }
    if (classes.has('notified-depth-3')) dash = '5 3';
    if (this.selected === id || this.highlighted.has(id)) { stroke = theme.focus; width = 3; }
    drawn.element.classList.toggle('selected', this.selected === id);
    drawn.element.classList.toggle('highlighted', this.highlighted.has(id));
    const rect = drawn.rect;
    rect.setAttribute('fill', rgb(fill));
    rect.setAttribute('stroke', rgb(stroke));
    rect.setAttribute('stroke-width', String(width));
    if (dash) rect.setAttribute('stroke-dasharray', dash);
    else rect.removeAttribute('stroke-dasharray');
    for (const text of drawn.element.querySelectorAll('text')) text.setAttribute('fill', rgb(textColor));
  }

  private edgeColor(drawn: DrawnEdge): string {
    const classes = drawn.view.classes;
    const id = drawn.view.id;
    if (this.selected === id || this.highlighted.has(id)) return this.theme.focus;
    if (classes.includes('notification-path')) return this.theme.notified;
    if (classes.includes('severity-error')) return this.theme.error;
    if (classes.includes('severity-warning')) return this.theme.warning;
    return this.theme.edge;
  }

  private paintEdge(drawn: DrawnEdge): void {
    const classes = drawn.view.classes;
    const id = drawn.view.id;
    const color = rgb(this.edgeColor(drawn));
    const inPlay = this.selected === id || this.highlighted.has(id) || this.hovered === id;
    let width = 1.5;
    if (classes.includes('merged')) width = 3;
    if (classes.includes('broken')) width = 2.5;
    if (classes.includes('notification-path')) width = 3.5;
    if (this.selected === id || this.highlighted.has(id)) width = 4;
    const line = drawn.line;
    line.setAttribute('stroke', color);
    line.setAttribute('stroke-width', String(width));
    const dashed = classes.includes('undeclared-end') || classes.includes('dangling') || classes.includes('one-sided') || classes.includes('orphaned');
    if (dashed) line.setAttribute('stroke-dasharray', '6 4');
    else line.removeAttribute('stroke-dasharray');
    const start = drawn.view.sourceArrow === 'circle' ? this.marker('circle', color) : '';
    const end = drawn.view.targetArrow === 'triangle' ? this.marker('triangle', color) : drawn.view.targetArrow === 'circle' ? this.marker('circle', color) : '';
    if (start) line.setAttribute('marker-start', `url(#${start})`);
    else line.removeAttribute('marker-start');
    if (end) line.setAttribute('marker-end', `url(#${end})`);
    else line.removeAttribute('marker-end');
    drawn.element.classList.toggle('in-play', inPlay || classes.includes('notification-path'));
    drawn.element.classList.toggle('selected', this.selected === id);
    drawn.element.classList.toggle('highlighted', this.highlighted.has(id));
    if (drawn.label) {
      drawn.label.classList.toggle('in-play', inPlay || classes.includes('notification-path') || classes.includes('loop'));
      this.paintLabel(drawn);
    }
    // Edges in play are drawn above the others.
    if (inPlay && drawn.element.parentNode === this.layers.edges && drawn.element !== this.layers.edges.lastChild) this.layers.edges.append(drawn.element);
  }

  private paintLabel(drawn: DrawnEdge): void {
    if (!drawn.label) return;
    const color = this.edgeColor(drawn);
    const textColor = color === this.theme.edge ? this.theme.foreground : color;
    drawn.label.querySelector('rect')?.setAttribute('fill', rgb(this.theme.labelBackground));
    for (const text of drawn.label.querySelectorAll('text')) text.setAttribute('fill', rgb(textColor));
  }

  /** A marker (arrowhead or dot) in this colour, created once. */
  private marker(shape: 'triangle' | 'circle', color: string): string {
    const key = `${shape} ${color}`;
    let index = this.markers.get(key);
    if (index === undefined) {
      index = this.markers.size;
      this.markers.set(key, index);
      const marker = shape === 'triangle'
        ? svgElement('marker', { id: `m${index}`, viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 9, markerHeight: 9, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' })
        : svgElement('marker', { id: `m${index}`, viewBox: '0 0 10 10', refX: 5, refY: 5, markerWidth: 8, markerHeight: 8, markerUnits: 'userSpaceOnUse' });
      marker.append(shape === 'triangle' ? svgElement('path', { d: 'M0 0 L10 5 L0 10 z', fill: color }) : svgElement('circle', { cx: 5, cy: 5, r: 4.5, fill: color }));
      this.defs.append(marker);
    }
    return `m${index}`;
  }

  // --- Views -------------------------------------------------------------------------------------------------

  /**
   * The first view: everything, labels included, when it fits at a readable size; otherwise the focus node and its
   * neighbours at the readable zoom (the rest is a pan or "Fit" away).
   */
  private firstView(focusId: string | undefined): void {
    const width = this.svg.clientWidth || this.container.clientWidth || 800;
    const height = this.svg.clientHeight || this.container.clientHeight || 600;
    const padding = 16;
    const bounds = sceneBounds(this.scene);
    const fitZoom = Math.min((width - padding * 2) / Math.max(1, bounds.x2 - bounds.x1), (height - padding * 2) / Math.max(1, bounds.y2 - bounds.y1));
    const readable = READABLE_PX / this.labelFontSize();
    if (fitZoom >= readable || this.labelsInPlayOnly) {
      this.fitTo(bounds, Math.min(1.25, this.labelsInPlayOnly ? fitZoom : Math.max(fitZoom, readable)));
      this.container.dataset.firstView = 'all';
      return;
    }
    const focus = focusId && this.scene.nodes.has(focusId) ? focusId : this.busiestNode();
    if (!focus) return;
    const neighbourhood = new Set([focus]);
    for (const edge of this.graph.edges) {
      if (edge.source === focus) neighbourhood.add(edge.target);
      if (edge.target === focus) neighbourhood.add(edge.source);
    }
    // The focus node and as many of its neighbours as fit, nearest first.
    const centre = this.scene.nodes.get(focus)!;
    const shown = new Set([focus]);
    const byDistance = [...neighbourhood].filter((id) => id !== focus).sort((a, b) => distance(this.scene.nodes.get(a)!, centre) - distance(this.scene.nodes.get(b)!, centre));
    // Boxes of the nodes with the routes and labels of the edges among them.
    const boxWith = (ids: Set<string>) => this.boxOf([...ids, ...this.graph.edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map((e) => e.id)])!;
    for (const id of byDistance) {
      const trial = new Set([...shown, id]);
      const box = boxWith(trial);
      if ((box.x2 - box.x1) * readable > width - padding * 2 || (box.y2 - box.y1) * readable > height - padding * 2) continue;
      shown.add(id);
    }
    this.fitTo(boxWith(shown), readable);
    this.container.dataset.firstView = `focus ${focus}`;
    this.events.partialView?.(focus);
  }

  private busiestNode(): string | undefined {
    const degree = new Map<string, number>();
    for (const edge of this.graph.edges) {
      degree.set(edge.source, (degree.get(edge.source) ?? 0) + 1);
      degree.set(edge.target, (degree.get(edge.target) ?? 0) + 1);
    }
    let best: string | undefined;
    for (const node of this.graph.nodes) if (!best || (degree.get(node.id) ?? 0) > (degree.get(best) ?? 0)) best = node.id;
    return best;
  }

  /**
   * Centres `bounds` at `zoom`, then, on each axis where the whole graph is larger than the panel, slides so no
   * empty band shows beside it (the panel shows as much of the graph as it can).
   */
  private fitTo(bounds: { x1: number; y1: number; x2: number; y2: number }, zoom: number): void {
    const width = this.svg.clientWidth || 800;
    const height = this.svg.clientHeight || 600;
    this.zoom = Math.max(0.05, Math.min(4, zoom));
    const all = sceneBounds(this.scene);
    const margin = 16;
    const axis = (centre: number, size: number, low: number, high: number) => {
      let pan = size / 2 - this.zoom * centre;
      if ((high - low) * this.zoom + margin * 2 <= size) return size / 2 - this.zoom * (low + high) / 2;
      pan = Math.min(pan, margin - low * this.zoom);
      pan = Math.max(pan, size - margin - high * this.zoom);
      return pan;
    };
    this.pan = { x: axis((bounds.x1 + bounds.x2) / 2, width, all.x1, all.x2), y: axis((bounds.y1 + bounds.y2) / 2, height, all.y1, all.y2) };
    this.applyTransform();
  }

  /** Fits the whole graph, labels included, in the panel (without blowing a small graph up). */
  fit(): void {
    const width = this.svg.clientWidth || 800;
    const height = this.svg.clientHeight || 600;
    const bounds = sceneBounds(this.scene);
    const zoom = Math.min(1.25, (width - 32) / Math.max(1, bounds.x2 - bounds.x1), (height - 32) / Math.max(1, bounds.y2 - bounds.y1));
    this.fitTo(bounds, zoom);
  }

  highlight(nodeIds: string[], edgeIds: string[]): number {
    const before = this.highlighted;
    this.highlighted = new Set([...nodeIds, ...edgeIds].filter((id) => this.nodes.has(id) || this.edges.has(id)));
    for (const id of new Set([...before, ...this.highlighted])) this.repaint(id);
    if (this.highlighted.size) this.reveal([...this.highlighted]);
    return this.highlighted.size;
  }

  select(id: string | undefined, scroll = true): void {
    const before = this.selected;
    this.selected = id && (this.nodes.has(id) || this.edges.has(id)) ? id : undefined;
    if (before) this.repaint(before);
    if (this.selected) {
      this.repaint(this.selected);
      if (scroll) this.reveal([this.selected]);
    }
  }

  selectedIds(): string[] {
    return this.selected ? [this.selected] : [];
  }

  private repaint(id: string): void {
    const node = this.nodes.get(id);
    if (node) this.paintNode(node);
    const edge = this.edges.get(id);
    if (edge) this.paintEdge(edge);
  }

  /** Pans (keeping the zoom) so the elements are in view, when they are not. */
  private reveal(ids: string[]): void {
    const box = this.boxOf(ids);
    if (!box) return;
    const width = this.svg.clientWidth || 800;
    const height = this.svg.clientHeight || 600;
    const x1 = box.x1 * this.zoom + this.pan.x, x2 = box.x2 * this.zoom + this.pan.x;
    const y1 = box.y1 * this.zoom + this.pan.y, y2 = box.y2 * this.zoom + this.pan.y;
    if (x1 >= 0 && y1 >= 0 && x2 <= width && y2 <= height) return;
    this.pan = { x: width / 2 - this.zoom * (box.x1 + box.x2) / 2, y: height / 2 - this.zoom * (box.y1 + box.y2) / 2 };
    this.applyTransform();
  }

  /** The graph-coordinate box of nodes and edges (routes and labels). */
  boxOf(ids: string[]): { x1: number; y1: number; x2: number; y2: number } | undefined {
    let x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
    const add = (x: number, y: number) => { x1 = Math.min(x1, x); x2 = Math.max(x2, x); y1 = Math.min(y1, y); y2 = Math.max(y2, y); };
    for (const id of ids) {
      const node = this.scene.nodes.get(id);
      if (node) {
        add(node.x - node.width / 2, node.y - node.height / 2);
        add(node.x + node.width / 2, node.y + node.height / 2);
      }
      const edge = this.scene.edges.get(id);
      if (edge) {
        for (const p of edge.points) add(p.x, p.y);
        if (edge.label) {
          add(edge.label.x - edge.label.width / 2, edge.label.y - edge.label.height / 2);
          add(edge.label.x + edge.label.width / 2, edge.label.y + edge.label.height / 2);
        }
      }
    }
    return x1 === Infinity ? undefined : { x1, y1, x2, y2 };
  }

  currentScene(): Scene {
    return this.scene;
  }

  viewportState(): { zoom: number; pan: Point; width: number; height: number } {
    return { zoom: this.zoom, pan: { ...this.pan }, width: this.svg.clientWidth, height: this.svg.clientHeight };
  }

  /** The drawing as a standalone SVG file: the same elements, translated to start at the origin. */
  exportSvg(title: string): string {
    const bounds = sceneBounds(this.scene);
    const margin = 20;
    const width = bounds.x2 - bounds.x1 + margin * 2;
    const height = bounds.y2 - bounds.y1 + margin * 2;
    const clone = this.viewport.cloneNode(true) as SVGGElement;
    clone.setAttribute('transform', `translate(${num(margin - bounds.x1)} ${num(margin - bounds.y1)})`);
    // Labels hidden only on screen (zoomed out, or in play only) are written too: the file shows them all.
    clone.removeAttribute('class');
    const serializer = new XMLSerializer();
    const body = serializer.serializeToString(clone);
    const defs = serializer.serializeToString(this.defs);
    return [
      '<?xml version="1.0" encoding="UTF-8"?>',
      `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" viewBox="0 0 ${num(width)} ${num(height)}" width="${num(width)}" height="${num(height)}" font-family="${escapeXml(this.theme.fontFamily)}" role="img">`,
      `<title>${escapeXml(title)}</title>`,
      `<rect width="100%" height="100%" fill="${escapeXml(rgb(this.theme.background))}"/>`,
      defs,
      body,
      '</svg>',
      '',
    ].join('\n');
  }

  /** The export rasterised at twice the size (at most 8,000 pixels a side): the PNG shows the SVG's picture. */
  async png(title: string): Promise<string> {
    const svg = this.exportSvg(title);
    const size = /width="([\d.]+)" height="([\d.]+)"/.exec(svg);
    const width = Number(size?.[1] ?? 800);
    const height = Number(size?.[2] ?? 600);
    const scale = Math.min(2, 8000 / width, 8000 / height);
    const image = new Image();
    image.src = `data:image/svg+xml;base64,${btoa(unescape(encodeURIComponent(svg)))}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    const context = canvas.getContext('2d')!;
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return canvas.toDataURL('image/png');
  }
}

/** Whether a cached scene places every node and edge of the input (a key collision would not). */
function coversInput(scene: SceneData, input: LayoutInput): boolean {
  const nodes = new Set(scene.nodes.map(([id]) => id));
  const edges = new Set(scene.edges.map(([id]) => id));
  return input.nodes.every((node) => nodes.has(node.id)) && input.edges.every((edge) => edges.has(edge.id));
}

/** `scene` plus the nodes of `stored` it lacks (where they were when last shown). */
function withHidden(scene: Scene, stored: Scene | undefined): Scene {
  if (!stored) return scene;
  const nodes = new Map(scene.nodes);
  for (const [id, node] of stored.nodes) if (!nodes.has(id)) nodes.set(id, node);
  return { ...scene, nodes };
}

function distance(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

/** How far along the route (0 at the source, 1 at the target) its point nearest `at` lies. */
export function fractionAlong(points: Point[], at: Point): number {
  let total = 0;
  let best = Infinity;
  let bestAt = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i];
    const b = points[i + 1];
    const length = Math.hypot(b.x - a.x, b.y - a.y);
    const t = length ? Math.max(0, Math.min(1, ((at.x - a.x) * (b.x - a.x) + (at.y - a.y) * (b.y - a.y)) / (length * length))) : 0;
    const d = Math.hypot(at.x - (a.x + t * (b.x - a.x)), at.y - (a.y + t * (b.y - a.y)));
    if (d < best) {
      best = d;
      bestAt = total + t * length;
    }
    total += length;
  }
  return total ? bestAt / total : 0;
}

/** The point a fraction of the way along a route. */
export function pointAlong(points: Point[], fraction: number): Point {
  const lengths = points.slice(1).map((p, i) => Math.hypot(p.x - points[i].x, p.y - points[i].y));
  let remaining = lengths.reduce((s, l) => s + l, 0) * Math.max(0, Math.min(1, fraction));
  for (let i = 0; i < lengths.length; i++) {
    if (remaining <= lengths[i] || i === lengths.length - 1) {
      const t = lengths[i] ? Math.min(1, remaining / lengths[i]) : 0;
      return { x: points[i].x + t * (points[i + 1].x - points[i].x), y: points[i].y + t * (points[i + 1].y - points[i].y) };
    }
    remaining -= lengths[i];
  }
  return points[0] ?? { x: 0, y: 0 };
}

export { borderPoint };
