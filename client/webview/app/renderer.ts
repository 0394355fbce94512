/**
 * Draws a view graph with cytoscape and keeps it in step with new data: elements are diffed (added, updated,
 * removed), nodes keep the positions they have, new nodes are placed next to their neighbours. A full layout
 * runs only the first time a document is shown, or on request: dagre for graphs it handles quickly, the
 * force layout beyond that.
 */
import cytoscape from 'cytoscape';
import dagre from 'cytoscape-dagre';
import { forceLayout, placeNewNodes, type LayoutEdge, type LayoutNode, type Point } from '../shared/layout';
import type { SvgEdge, SvgNode, SvgScene } from '../shared/svg';
import type { ViewGraph } from '../shared/viewModel';
import { graphStyle } from './cyStyle';
import type { Theme } from './theme';

cytoscape.use(dagre);

/** Above this, dagre's crossing minimisation gets slow (seconds); the force layout takes over. */
const DAGRE_MAX_NODES = 60;
const DAGRE_MAX_PAIRS = 150;
/** Above this many edges the renderer trades detail for smooth pan and zoom. */
const LARGE_GRAPH_EDGES = 400;

export interface RenderMetrics {
  /** Milliseconds to build, place and draw the elements (the first frame included). */
  renderMs: number;
  /** Milliseconds of the layout alone; 0 when every node already had a position. */
  layoutMs: number;
  layout: 'dagre' | 'force' | 'incremental' | 'none';
  /** Milliseconds per phase: measure (label sizes), layout, build (cytoscape elements), labels, draw. */
  phases: Record<string, number>;
}

/** Text widths in the canvas font, summed from cached character widths: thousands of labels measure in a blink. */
class TextWidths {
  private readonly cache = new Map<string, number>();
  private readonly context: CanvasRenderingContext2D | null = document.createElement('canvas').getContext('2d');

  width(text: string, size: number, family: string): number {
    const font = `${size}px ${family}`;
    let total = 0;
    for (const char of text) {
      const key = `${font}\u0000${char}`;
      let width = this.cache.get(key);
      if (width === undefined) {
        if (this.context) {
          this.context.font = font;
          width = this.context.measureText(char).width;
        } else {
          width = size * 0.6;
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
  hover(text: string | undefined, x: number, y: number): void;
  positionsChanged(positions: Map<string, Point>): void;
}

export class GraphRenderer {
  readonly cy: cytoscape.Core;
  private theme: Theme;
  private large = false;
  private documentKey: string | undefined;
  private readonly text = new TextWidths();

  constructor(container: HTMLElement, theme: Theme, private readonly events: RendererEvents) {
    this.theme = theme;
    this.cy = cytoscape({
      container,
      style: graphStyle(theme, false),
      minZoom: 0.05,
      maxZoom: 4,
      wheelSensitivity: 0.3,
      boxSelectionEnabled: false,
      selectionType: 'single',
    });
    // Cytoscape only notices window resizes; the panel, the legend and the outline change the container's size too.
    new ResizeObserver(() => this.cy.resize()).observe(container);
    this.cy.on('tap', 'node', (event) => this.events.tapNode(event.target.id()));
    this.cy.on('tap', 'edge', (event) => {
      const edge = event.target as cytoscape.EdgeSingular;
      const at = event.position;
      const source = edge.sourceEndpoint();
      const target = edge.targetEndpoint();
      const nearer = Math.hypot(at.x - source.x, at.y - source.y) <= Math.hypot(at.x - target.x, at.y - target.y) ? 'source' : 'target';
      this.events.tapEdge(edge.id(), nearer);
    });
    this.cy.on('mouseover', 'node, edge', (event) => {
      const point = event.renderedPosition ?? { x: 0, y: 0 };
      this.events.hover(String(event.target.data('tooltip') ?? ''), point.x, point.y);
    });
    this.cy.on('mouseover', 'edge', (event) => event.target.addClass('hovered'));
    this.cy.on('mouseout', 'edge', (event) => event.target.removeClass('hovered'));
    this.cy.on('mouseout', 'node, edge', () => this.events.hover(undefined, 0, 0));
    this.cy.on('dragfree', 'node', (event) => {
      this.placeEndLabels((event.target as cytoscape.NodeSingular).connectedEdges());
      this.events.positionsChanged(this.positions());
    });
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
    this.cy.style(graphStyle(theme, this.large));
  }

  positions(): Map<string, Point> {
    const result = new Map<string, Point>();
    this.cy.nodes().forEach((node) => {
      const p = node.position();
      result.set(node.id(), { x: p.x, y: p.y });
    });
    return result;
  }

  /** Width and height of a node box for its label lines, in the theme's font. */
  nodeSize(lines: string[]): { width: number; height: number } {
    const size = this.theme.fontSize;
    let width = 60;
    for (const line of lines) width = Math.max(width, this.text.width(line, size, this.theme.fontFamily));
    return { width: Math.ceil(width + 24), height: Math.ceil(lines.length * size * 1.35 + 16) };
  }

  /**
   * Shows `graph`. `known` are stored positions (of this document); `documentKey` changes clear the canvas.
   * With `relayout`, every node is laid out afresh.
   */
  render(graph: ViewGraph, documentKey: string, known: ReadonlyMap<string, Point>, relayout = false): RenderMetrics {
    const started = performance.now();
    const cy = this.cy;
    const newDocument = documentKey !== this.documentKey;
    this.documentKey = documentKey;
    const large = graph.edges.length > LARGE_GRAPH_EDGES;
    if (large !== this.large) {
      this.large = large;
      cy.style(graphStyle(this.theme, large));
    }

    const phases: Record<string, number> = {};
    let mark = started;
    const phase = (name: string) => {
      const now = performance.now();
      phases[name] = (phases[name] ?? 0) + now - mark;
      mark = now;
    };
    const sized = graph.nodes.map((node) => ({ node, ...this.nodeSize(node.lines) }));
    phase('measure');
    const layoutNodes: LayoutNode[] = sized.map(({ node, width, height }) => ({ id: node.id, width, height }));
    const layoutEdges: LayoutEdge[] = graph.edges.map((edge) => ({ source: edge.source, target: edge.target }));

    let metricsLayout: RenderMetrics['layout'] = 'none';
    let layoutMs = 0;
    const startingPositions = new Map<string, Point>();
    if (!relayout) {
      for (const node of layoutNodes) {
        const stored = known.get(node.id) ?? (newDocument ? undefined : positionOf(cy, node.id));
        if (stored) startingPositions.set(node.id, stored);
      }
    }
    let positions: Map<string, Point>;
    const layoutStarted = performance.now();
    const useDagre = startingPositions.size === 0 && layoutNodes.length <= DAGRE_MAX_NODES && distinctPairs(layoutEdges) <= DAGRE_MAX_PAIRS;
    if (startingPositions.size === 0 && !useDagre) {
      positions = forceLayout(layoutNodes, layoutEdges);
      metricsLayout = 'force';
    } else {
      positions = placeNewNodes(layoutNodes, layoutEdges, startingPositions);
      if (positions.size > startingPositions.size) metricsLayout = 'incremental';
    }
    if (!useDagre) layoutMs = performance.now() - layoutStarted;
    phase('layout');

    cy.batch(() => {
      if (newDocument || relayout) cy.elements().remove();
      const wantedNodes = new Set(graph.nodes.map((node) => node.id));
      const wantedEdges = new Map(graph.edges.map((edge) => [edge.id, edge]));
      cy.edges().forEach((edge) => {
        const wanted = wantedEdges.get(edge.id());
        if (!wanted || wanted.source !== edge.source().id() || wanted.target !== edge.target().id()) edge.remove();
      });
      cy.nodes().forEach((node) => {
        if (!wantedNodes.has(node.id())) node.remove();
      });
      const additions: cytoscape.ElementDefinition[] = [];
      for (const { node, width, height } of sized) {
        const data = { id: node.id, label: node.lines.join('\n'), width, height, tooltip: node.tooltip, revealable: node.revealable };
        const existing = cy.getElementById(node.id);
        if (existing.nonempty()) {
          setChangedData(existing, data);
          if (existing.classes().join(' ') !== node.classes.join(' ')) existing.classes(node.classes);
        } else {
          additions.push({ group: 'nodes', data, classes: node.classes, position: { ...(positions.get(node.id) ?? { x: 0, y: 0 }) } });
        }
      }
      const sizes = new Map(sized.map(({ node, width, height }) => [node.id, { width, height }]));
      const parallel = parallelIndex(graph.edges);
      for (const edge of graph.edges) {
        // A loop's two end labels would run into each other on its short curve: they go beside it, one per line.
        const loopLabel = edge.source === edge.target && !edge.midLabel;
        const labels = {
          sourceLabel: loopLabel ? '' : edge.sourceLabel,
          targetLabel: loopLabel ? '' : edge.targetLabel,
          midLabel: loopLabel ? [edge.sourceLabel, edge.targetLabel].filter(Boolean).join('\n') : edge.midLabel,
        };
        const geometry = this.labelGeometry(labels, positions.get(edge.source), positions.get(edge.target), sizes.get(edge.source), parallel.get(edge.id) ?? 0);
        const data = { id: edge.id, source: edge.source, target: edge.target, ...labels, ...geometry, tooltip: edge.tooltip, revealable: edge.revealable };
        const classes = [...edge.classes];
        if (edge.sourceArrow !== 'none') classes.push(`source-${edge.sourceArrow}`);
        if (edge.targetArrow !== 'none') classes.push(`target-${edge.targetArrow}`);
        const existing = cy.getElementById(edge.id);
        if (existing.nonempty()) {
          setChangedData(existing, data);
          if (existing.classes().join(' ') !== classes.join(' ')) existing.classes(classes);
        } else {
          additions.push({ group: 'edges', data, classes });
        }
      }
      if (additions.length) cy.add(additions);
    });
    phase('build');

    if (useDagre && layoutNodes.length) {
      const dagreStarted = performance.now();
      const guides = cy.add(guideEdges(cy));
      cy.nodes().union(guides).layout({
        name: 'dagre', rankDir: 'TB', nodeSep: 90, rankSep: 210, edgeSep: 30, fit: false, animate: false,
      } as cytoscape.LayoutOptions).run();
      guides.remove();
      this.placeEndLabels(cy.edges());
      this.makeRoomForLoops();
      this.placeEndLabels(cy.edges());
      layoutMs = performance.now() - dagreStarted;
      metricsLayout = 'dagre';
      phase('layout');
    }
    // Large graphs: draw a cached texture while panning and zooming, and skip edges during the motion.
    const renderer = cy as unknown as { renderer(): { textureOnViewport: boolean; hideEdgesOnViewport: boolean } };
    const options = renderer.renderer();
    options.textureOnViewport = large;
    options.hideEdgesOnViewport = large && graph.edges.length > 1500;

    if (newDocument || relayout || metricsLayout === 'dagre' || metricsLayout === 'force') this.fit();
    if (metricsLayout !== 'none') this.events.positionsChanged(this.positions());
    // Force a synchronous frame so the measurement includes drawing.
    (cy as unknown as { forceRender(): void }).forceRender();
    phase('draw');
    return { renderMs: performance.now() - started, layoutMs, layout: metricsLayout, phases };
  }

  /**
   * Dagre knows nothing of loops, which are drawn on a node's right side with their labels: nodes to the right in
   * the same rank move over to make room.
   */
  private makeRoomForLoops(): void {
    const size = Math.round(this.theme.fontSize * 0.85);
    const widthOf = (text: string) => this.text.width(text, size, this.theme.fontFamily);
    const ranks = new Map<number, cytoscape.NodeSingular[]>();
    this.cy.nodes().forEach((node) => {
      const y = Math.round(node.position('y'));
      (ranks.get(y) ?? ranks.set(y, []).get(y)!).push(node);
    });
    for (const nodes of ranks.values()) {
      nodes.sort((a, b) => a.position('x') - b.position('x'));
      let shift = 0;
      for (const node of nodes) {
        if (shift) node.position('x', node.position('x') + shift);
        const loops = node.connectedEdges().filter((edge) => edge.source().same(edge.target()));
        if (loops.empty()) continue;
        const halfWidth = Number(node.data('width')) / 2;
        let room = 0;
        loops.forEach((edge, index) => {
          const reach = 1.4 * Number(edge.data('loopStep')) * (1 + index / 3) - halfWidth;
          const label = Math.max(0, ...String(edge.data('midLabel') ?? '').split('\n').map(widthOf));
          room = Math.max(room, reach + label / 2 + 24);
        });
        shift += room;
      }
    }
  }

  /**
   * End labels sit along the edge, clear of the node: far enough that the label's box (horizontal text) does not
   * reach the node border whatever the edge's angle.
   */
  private placeEndLabels(edges: cytoscape.EdgeCollection): void {
    const parallel = parallelIndex(this.cy.edges().map((edge) => ({ id: edge.id(), source: String(edge.data('source')), target: String(edge.data('target')) })));
    this.cy.batch(() => {
      edges.forEach((edge) => {
        const source = edge.source();
        const target = edge.target();
        const labels = { sourceLabel: String(edge.data('sourceLabel') ?? ''), targetLabel: String(edge.data('targetLabel') ?? ''), midLabel: String(edge.data('midLabel') ?? '') };
        const size = { width: Number(source.data('width')), height: Number(source.data('height')) };
        setChangedData(edge, this.labelGeometry(labels, source.position(), target.position(), size, parallel.get(edge.id()) ?? 0));
      });
    });
  }

  /**
   * Where an edge's labels go. End labels sit along the edge, clear of the node: far enough that the label's box
   * (horizontal text) does not reach the node border whatever the edge's angle; parallel edges stagger theirs. A
   * loop is drawn on the node's right side, big enough for its label to clear the node.
   */
  private labelGeometry(
    labels: { sourceLabel: string; targetLabel: string; midLabel: string },
    source: Point | undefined, target: Point | undefined, sourceSize: { width: number; height: number } | undefined, parallelRank: number,
  ): { sourceOffset: number; targetOffset: number; loopStep: number; loopSweep: string } {
    const size = Math.round(this.theme.fontSize * 0.85);
    const widthOf = (text: string) => this.text.width(text, size, this.theme.fontFamily);
    const loop = source === target || (!!source && !!target && source.x === target.x && source.y === target.y);
    const angle = loop || !source || !target ? 0 : Math.atan2(target.y - source.y, target.x - source.x);
    const stagger = parallelRank * size * 2.2;
    const offset = (text: string) => {
      if (!text) return 0;
      const half = Math.abs(Math.cos(angle)) * (widthOf(text) / 2) + Math.abs(Math.sin(angle)) * (size * 0.8);
      return Math.round(Math.min(half + 16 + stagger, 280));
    };
    const geometry = { sourceOffset: offset(labels.sourceLabel), targetOffset: offset(labels.targetLabel), loopStep: 60, loopSweep: '-40deg' };
    if (loop && sourceSize) {
      const halfWidth = sourceSize.width / 2;
      const halfHeight = sourceSize.height / 2;
      // Both ends on the node's right side: the ends' rays from the centre must leave through it.
      const sweep = Math.max(8, Math.min(50, (2 * Math.atan((halfHeight - 8) / halfWidth) * 180) / Math.PI));
      geometry.loopSweep = `-${Math.round(sweep)}deg`;
      // Cytoscape puts a loop's control points 1.4 steps from the node's centre, whatever the node's size, and
      // centres the label halfway between them.
      const labelWidth = Math.max(0, ...labels.midLabel.split('\n').map(widthOf));
      const reach = halfWidth + labelWidth / 2 + 24;
      geometry.loopStep = Math.round(reach / (1.4 * Math.cos((sweep / 2) * Math.PI / 180)));
    }
    return geometry;
  }

  highlight(nodeIds: string[], edgeIds: string[]): number {
    const cy = this.cy;
    cy.elements('.highlighted').removeClass('highlighted');
    let found = cy.collection();
    for (const id of [...nodeIds, ...edgeIds]) found = found.union(cy.getElementById(id));
    found.addClass('highlighted');
    if (found.nonempty()) {
      const box = found.boundingBox({});
      const extent = cy.extent();
      const inView = box.x1 >= extent.x1 && box.x2 <= extent.x2 && box.y1 >= extent.y1 && box.y2 <= extent.y2;
      if (!inView) cy.center(found);
    }
    return found.length;
  }

  select(id: string): void {
    const element = this.cy.getElementById(id);
    this.cy.elements(':selected').unselect();
    if (element.empty()) return;
    element.select();
    const box = element.boundingBox({});
    const extent = this.cy.extent();
    if (box.x1 < extent.x1 || box.x2 > extent.x2 || box.y1 < extent.y1 || box.y2 > extent.y2) this.cy.center(element);
  }

  /** Fits the graph in the panel, without blowing a small graph up beyond a comfortable size. */
  fit(): void {
    // From node positions and sizes: cytoscape's own fit measures every edge label first (seconds for 2,000 edges).
    const nodes = this.cy.nodes();
    if (nodes.empty()) return;
    let x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
    nodes.forEach((node) => {
      const p = node.position();
      const w = Number(node.data('width')) / 2;
      const h = Number(node.data('height')) / 2;
      x1 = Math.min(x1, p.x - w); x2 = Math.max(x2, p.x + w);
      y1 = Math.min(y1, p.y - h); y2 = Math.max(y2, p.y + h);
    });
    const padding = 40;
    const width = Math.max(1, this.cy.width() - padding * 2);
    const height = Math.max(1, this.cy.height() - padding * 2);
    const zoom = Math.max(this.cy.minZoom(), Math.min(1.2, width / (x2 - x1 || 1), height / (y2 - y1 || 1)));
    this.cy.viewport({ zoom, pan: { x: this.cy.width() / 2 - zoom * (x1 + x2) / 2, y: this.cy.height() / 2 - zoom * (y1 + y2) / 2 } });
  }

  png(): string {
    return this.cy.png({ output: 'base64uri', full: true, scale: 2, maxWidth: 8000, maxHeight: 8000, bg: this.theme.background });
  }

  /** The drawn graph as an SVG scene: positions, sizes, curves and the resolved colours of each element. */
  svgScene(title: string): SvgScene {
    const nodes: SvgNode[] = this.cy.nodes().map((node) => {
      const p = node.position();
      return {
        x: p.x,
        y: p.y,
        width: Number(node.data('width')),
        height: Number(node.data('height')),
        lines: String(node.data('label') ?? '').split('\n'),
        fill: String(node.style('background-color')),
        stroke: String(node.style('border-color')),
        strokeWidth: parseFloat(String(node.style('border-width'))) || 1,
        dashed: node.style('border-style') !== 'solid',
        textColor: String(node.style('color')),
        title: String(node.data('tooltip') ?? ''),
      };
    });
    const edges: SvgEdge[] = this.cy.edges().map((edge) => {
      const control = edge.controlPoints() ?? [];
      return {
        points: [edge.sourceEndpoint(), ...control, edge.targetEndpoint()].map((p) => ({ x: p.x, y: p.y })),
        color: String(edge.style('line-color')),
        width: parseFloat(String(edge.style('width'))) || 1.5,
        dashed: edge.style('line-style') !== 'solid',
        sourceArrow: edge.hasClass('source-circle') ? 'circle' : 'none',
        targetArrow: edge.hasClass('target-triangle') ? 'triangle' : edge.hasClass('target-circle') ? 'circle' : 'none',
        sourceLabel: String(edge.data('sourceLabel') ?? ''),
        targetLabel: String(edge.data('targetLabel') ?? ''),
        midLabel: String(edge.data('midLabel') ?? ''),
        title: String(edge.data('tooltip') ?? '').split('\n')[0],
      };
    });
    return {
      title,
      background: this.theme.background,
      textColor: this.theme.foreground,
      fontFamily: this.theme.fontFamily,
      fontSize: this.theme.fontSize,
      nodes,
      edges,
    };
  }
}

function positionOf(cy: cytoscape.Core, id: string): Point | undefined {
  const node = cy.getElementById(id);
  if (node.empty()) return undefined;
  const p = node.position();
  return { x: p.x, y: p.y };
}

/** Sets only the fields that changed: every data change restyles the element. */
function setChangedData(element: cytoscape.SingularElementArgument, data: Record<string, unknown>): void {
  const changed: Record<string, unknown> = {};
  let any = false;
  for (const [key, value] of Object.entries(data)) {
    if (key === 'id' || key === 'source' || key === 'target') continue;
    if (element.data(key) !== value) {
      changed[key] = value;
      any = true;
    }
  }
  if (any) element.data(changed);
}

/** For each edge, its rank among the edges joining the same two nodes (0 for the first or only one). */
function parallelIndex(edges: Array<{ id: string; source: string; target: string }>): Map<string, number> {
  const groups = new Map<string, string[]>();
  for (const edge of edges) {
    const key = edge.source < edge.target ? `${edge.source}\u0000${edge.target}` : `${edge.target}\u0000${edge.source}`;
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(edge.id);
  }
  const result = new Map<string, number>();
  for (const ids of groups.values()) {
    if (ids.length < 2) continue;
    ids.sort().forEach((id, index) => result.set(id, index));
  }
  return result;
}

function distinctPairs(edges: LayoutEdge[]): number {
  const pairs = new Set<string>();
  for (const edge of edges) {
    if (edge.source === edge.target) continue;
    pairs.add(edge.source < edge.target ? `${edge.source}\u0000${edge.target}` : `${edge.target}\u0000${edge.source}`);
  }
  return pairs.size;
}

/** One edge per pair of nodes, without loops: dagre ranks by connection, and parallel edges only slow it down. */
/**
 * One edge per pair of nodes, without loops, pointing from the type with more relationships to the one with fewer:
 * a relationship pair has no direction of its own, and hubs (user) on top read best. Parallel edges only slow
 * dagre down.
 */
function guideEdges(cy: cytoscape.Core): cytoscape.ElementDefinition[] {
  const degree = new Map<string, number>();
  cy.edges().forEach((edge) => {
    for (const id of [String(edge.data('source')), String(edge.data('target'))]) degree.set(id, (degree.get(id) ?? 0) + 1);
  });
  const seen = new Set<string>();
  const result: cytoscape.ElementDefinition[] = [];
  cy.edges().forEach((edge) => {
    const a = String(edge.data('source'));
    const b = String(edge.data('target'));
    if (a === b) return;
    const key = a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
    if (seen.has(key)) return;
    seen.add(key);
    const [source, target] = (degree.get(a) ?? 0) > (degree.get(b) ?? 0) || ((degree.get(a) ?? 0) === (degree.get(b) ?? 0) && a < b) ? [a, b] : [b, a];
    result.push({ group: 'edges', data: { id: `layout:${result.length}`, source, target }, classes: ['layout-only'] });
  });
  return result;
}
