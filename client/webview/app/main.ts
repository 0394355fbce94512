/**
 * The graph webview: receives graph data from the panel, draws it, and sends back clicks (reveal), exports and the
 * state to keep across reloads. Every message it receives is validated first; anything else is ignored.
 */
import { applyFilters, realmsOf, REALM_PREFIX } from '../shared/filters';
import { emptyState, isPersistedState, parseHostMessage, type HostMessage, type PersistedState, type RevealTarget, type WebviewMessage, type WireGraph } from '../shared/messages';
import { toMermaid } from '../shared/mermaid';
import { schemaView, simulationView, stepSummary, type ViewGraph } from '../shared/viewModel';
import { sceneFromData, sceneToData, type Scene, type SceneData } from '../shared/graphLayout';
import { neighbourhood } from '../shared/filters';
import { Outline } from './outline';
import { GraphRenderer, pointAlong, type RenderMetrics } from './renderer';
import { readTheme } from './theme';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: PersistedState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

performance.mark('idm:script');
const vscode = acquireVsCodeApi();

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`The page has no #${id}`);
  return found as T;
}

const ui = {
  title: element<HTMLHeadingElement>('document-title'),
  search: element<HTMLInputElement>('search'),
  focus: element<HTMLButtonElement>('focus'),
  depth: element<HTMLSelectElement>('depth'),
  showAll: element<HTMLButtonElement>('show-all'),
  realmsToggle: element<HTMLLabelElement>('realms-toggle'),
  collapseRealms: element<HTMLInputElement>('collapse-realms'),
  fit: element<HTMLButtonElement>('fit'),
  relayout: element<HTMLButtonElement>('relayout'),
  exportSvg: element<HTMLButtonElement>('export-svg'),
  exportPng: element<HTMLButtonElement>('export-png'),
  copyMermaid: element<HTMLButtonElement>('copy-mermaid'),
  legendToggle: element<HTMLButtonElement>('legend-toggle'),
  legend: element<HTMLElement>('legend'),
  listToggle: element<HTMLButtonElement>('list-toggle'),
  outlinePanel: element<HTMLElement>('outline'),
  banner: element<HTMLDivElement>('banner'),
  bannerText: element<HTMLSpanElement>('banner-text'),
  bannerShowAll: element<HTMLButtonElement>('banner-show-all'),
  graph: element<HTMLDivElement>('graph'),
  tooltip: element<HTMLDivElement>('tooltip'),
  message: element<HTMLDivElement>('message'),
  outline: element<HTMLUListElement>('outline-list'),
  timeline: element<HTMLElement>('timeline'),
  step: element<HTMLInputElement>('step'),
  stepPrevious: element<HTMLButtonElement>('step-previous'),
  stepNext: element<HTMLButtonElement>('step-next'),
  stepLabel: element<HTMLButtonElement>('step-label'),
};

const restored = vscode.getState();
const state: PersistedState = isPersistedState(restored) ? restored : emptyState();

let current: { documentUri: string; documentName: string; graph: WireGraph } | undefined;
let focus: { id: string; depth: number } | undefined;
let shown: ViewGraph | undefined;
let highlighted: { nodeIds: string[]; edgeIds: string[] } = { nodeIds: [], edgeIds: [] };
let lastMetrics: RenderMetrics | undefined;
/** When the message being handled arrived: the render metrics count from it. */
let messageReceived = 0;

function post(message: WebviewMessage): void {
  vscode.postMessage(message);
}

function save(): void {
  vscode.setState(state);
}

/**
 * Positions belong to a configuration (all its files draw the same graph: revealing a property in internal.json must
 * not re-lay out the graph) or to a scenario.
 */
function positionsKey(): string {
  if (!current) return '';
  return current.graph.view === 'schema' ? `schema:${current.graph.root}` : `simulation:${current.documentUri}`;
}

/** Scenes (positions and routes) are kept for the last few documents only, so the state stays small. */
function storeScene(scene: Scene): void {
  const key = positionsKey();
  if (!key) return;
  // Positions of every node ever shown (a filtered-out node comes back where it was); the scene of the last view.
  const positions = state.positions[key] ?? {};
  for (const [id, node] of scene.nodes) positions[id] = [node.x, node.y];
  delete state.positions[key];
  state.positions[key] = positions;
  const keys = Object.keys(state.positions);
  for (const old of keys.slice(0, Math.max(0, keys.length - 8))) delete state.positions[old];
  state.scenes ??= {};
  delete state.scenes[key];
  // Routes of very large graphs are not worth the state's size: their edges are straight anyway.
  if (scene.edges.size <= 400) state.scenes[key] = sceneToData(scene);
  const sceneKeys = Object.keys(state.scenes);
  for (const old of sceneKeys.slice(0, Math.max(0, sceneKeys.length - 3))) delete state.scenes[old];
  save();
}

/** The stored scene of this document: its routes when kept, else the node positions alone. */
function storedScene(): Scene | undefined {
  const key = positionsKey();
  const data: SceneData | undefined = state.scenes?.[key];
  const stored = state.positions[key];
  if (!data && !stored) return undefined;
  const scene: Scene = data ? sceneFromData(data) : { nodes: new Map(), edges: new Map() };
  for (const [id, [x, y]] of Object.entries(stored ?? {})) if (!scene.nodes.has(id)) scene.nodes.set(id, { x, y, width: 0, height: 0 });
  if (!stored) return scene;
  // A collapsed realm starts at the centre of its members.
  if (shown) {
    for (const node of shown.nodes) {
      if (!node.id.startsWith(REALM_PREFIX) || scene.nodes.has(node.id)) continue;
      const realm = node.id.slice(REALM_PREFIX.length);
      const members = Object.entries(stored).filter(([id]) => id.startsWith(`managed/${realm}_`)).map(([, p]) => p);
      if (members.length) scene.nodes.set(node.id, { x: members.reduce((s, p) => s + p[0], 0) / members.length, y: members.reduce((s, p) => s + p[1], 0) / members.length, width: 0, height: 0 });
    }
  }
  return scene;
}

const renderer = new GraphRenderer(ui.graph, readTheme(), {
  tapNode(id) {
    focusCandidate = id;
    if (id.startsWith(REALM_PREFIX)) return;
    reveal({ kind: 'node', id });
  },
  tapEdge(id, end) {
    if (id.startsWith('merged:')) return;
    reveal({ kind: 'edge', id, end });
  },
  hover(text, x, y) {
    if (!text) {
      ui.tooltip.hidden = true;
      return;
    }
    ui.tooltip.textContent = text;
    ui.tooltip.hidden = false;
    const bounds = ui.graph.getBoundingClientRect();
    const left = Math.min(bounds.left + x + 14, window.innerWidth - ui.tooltip.offsetWidth - 8);
    const top = Math.min(bounds.top + y + 14, window.innerHeight - ui.tooltip.offsetHeight - 8);
    ui.tooltip.style.left = `${Math.max(4, left)}px`;
    ui.tooltip.style.top = `${Math.max(4, top)}px`;
  },
  expandNode(id) {
    if (!around) return;
    around.expanded.add(id);
    render();
  },
  positionsChanged(scene) {
    storeScene(scene);
  },
  partialView(focusId) {
    if (!ui.banner.hidden) return;
    ui.bannerText.textContent = `The whole graph does not fit at a readable size: this is ${focusId.replace(/^managed\//, '')} and its neighbours. Drag or scroll to see the rest.`;
    ui.bannerShowAll.textContent = 'Fit all';
    ui.banner.hidden = false;
    bannerAction = () => {
      ui.banner.hidden = true;
      renderer.fit();
    };
  },
});

const outline = new Outline(ui.outline, {
  focus(kind, id) {
    renderer.select(id);
    if (kind === 'node') focusCandidate = id;
  },
  activate(kind, id) {
    if (kind === 'node' && id.startsWith(REALM_PREFIX)) return;
    if (kind === 'edge' && id.startsWith('merged:')) return;
    reveal({ kind, id });
  },
});

let focusCandidate: string | undefined;

function reveal(target: RevealTarget): void {
  if (current?.graph.view === 'simulation') target = { ...target, step: currentStep() };
  post({ type: 'reveal', target });
}

function currentStep(): number {
  if (!current || current.graph.view !== 'simulation') return 0;
  const last = current.graph.steps.length - 1;
  return Math.max(0, Math.min(state.step ?? last, last));
}

/** The step last asked of the host, so that a graph that still lacks it does not ask again. */
let askedStep: { documentUri: string; step: number } | undefined;

function baseView(): ViewGraph | undefined {
  if (!current) return undefined;
  if (current.graph.view === 'schema') return schemaView(current.graph);
  const index = currentStep();
  const step = current.graph.steps[index];
  if (step && !step.drawn) {
    // Only one step's state comes with the graph; the others are drawn when the user moves to them.
    if (askedStep?.documentUri !== current.documentUri || askedStep.step !== index) {
      askedStep = { documentUri: current.documentUri, step: index };
      post({ type: 'showStep', step: index });
    }
    return undefined;
  }
  return step ? simulationView(step) : { view: 'simulation', nodes: [], edges: [] };
}

function showMessage(text: string): void {
  ui.message.textContent = text;
  ui.message.hidden = !text;
}

/** Above this many types, the graph opens on one type and its neighbours; "Show all" draws every type. */
const LARGE_TYPES = 40;
/** The neighbourhood shown of a large graph: around these types (the first one, then those expanded). */
let around: { expanded: Set<string> } | undefined;
let showAllTypes = false;
let renderCount = 0;

/** The type to open on: the active editor's (what the host highlighted), else the one with most relationships. */
function focusType(view: { nodes: Array<{ id: string }>; edges: Array<{ source: string; target: string }> }): string | undefined {
  const ids = new Set(view.nodes.map((node) => node.id));
  const fromEditor = highlighted.nodeIds.find((id) => ids.has(id));
  if (fromEditor) return fromEditor;
  const edge = highlighted.edgeIds.length ? current?.graph.view === 'schema' ? current.graph.edges.find((e) => highlighted.edgeIds.includes(e.id)) : undefined : undefined;
  if (edge && ids.has(edge.source)) return edge.source;
  const degree = new Map<string, number>();
  for (const e of view.edges) {
    degree.set(e.source, (degree.get(e.source) ?? 0) + 1);
    degree.set(e.target, (degree.get(e.target) ?? 0) + 1);
  }
  let best: string | undefined;
  for (const node of view.nodes) if (!best || (degree.get(node.id) ?? 0) > (degree.get(best) ?? 0)) best = node.id;
  return best;
}

function render(relayout = false): void {
  const base = baseView();
  if (current && !base) {
    renderTimeline();
    showMessage('Drawing this step…');
  }
  if (!current || !base) return;
  const realms = realmsOf(base);
  ui.realmsToggle.hidden = realms.size === 0;
  let view = applyFilters(base, { search: state.search, focus, collapseRealms: state.collapseRealms && realms.size > 0 });
  // A large graph opens on a neighbourhood; double-clicking a type adds its neighbours.
  const large = view.nodes.length > LARGE_TYPES && !focus && !state.search.trim() && !showAllTypes;
  if (large) {
    if (!around) {
      const start = focusType(view);
      around = start ? { expanded: new Set([start]) } : undefined;
    }
    if (around) {
      const total = view.nodes.length;
      view = neighbourhood(view, around.expanded);
      ui.bannerText.textContent = `Showing ${view.nodes.length} of ${total} types, around ${[...around.expanded].map((id) => id.replace(/^managed\//, '')).join(', ')}. Double-click a type to add its neighbours.`;
    }
  } else {
    around = undefined;
  }
  ui.banner.hidden = !large || !around;
  ui.bannerShowAll.textContent = 'Show all';
  bannerAction = showAll;
  shown = view;
  const relayoutNow = relayout || (large && !!around && around.expanded.size > 1);
  if (relayout) {
    delete state.positions[positionsKey()];
    if (state.scenes) delete state.scenes[positionsKey()];
  }
  const prepared = performance.now();
  const count = ++renderCount;
  document.body.dataset.busy = 'true';
  const received = messageReceived;
  renderer.show(view, positionsKey(), { stored: storedScene(), relayout: relayoutNow, focusId: focusType(view) }).then((metrics) => {
    if (!metrics || count !== renderCount) return;
    lastMetrics = metrics;
    if (metrics.computed) post({ type: 'layout', key: metrics.computed.key, scene: metrics.computed.scene });
    document.body.dataset.prepareMs = (prepared - received).toFixed(1);
    document.body.dataset.renderMs = metrics.renderMs.toFixed(1);
    document.body.dataset.layoutMs = metrics.layoutMs.toFixed(1);
    document.body.dataset.layout = metrics.layout;
    document.body.dataset.phases = Object.entries(metrics.phases).map(([name, ms]) => `${name} ${ms.toFixed(0)}`).join(', ');
    renderer.highlight(highlighted.nodeIds, highlighted.edgeIds);
    if (focusCandidate) renderer.select(focusCandidate, false);
    delete document.body.dataset.busy;
  }, (error: unknown) => {
    if (count !== renderCount) return;
    delete document.body.dataset.busy;
    showMessage(`The graph could not be laid out: ${error instanceof Error ? error.message : String(error)}`);
    post({ type: 'log', level: 'error', message: `Graph layout failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}` });
  });
  outline.render(view);
  ui.graph.setAttribute('aria-label', `Relationship graph: ${view.nodes.length} nodes, ${view.edges.length} edges (the list beside it has the same content)`);
  outline.markCurrent([...highlighted.nodeIds, ...highlighted.edgeIds]);
  renderTimeline();
  const graph = current.graph;
  const shownStep = graph.view === 'simulation' ? graph.steps[currentStep()] : undefined;
  if (graph.view === 'simulation' && graph.errors.length) showMessage(graph.errors.join('\n'));
  else if (shownStep?.summarised) showMessage('Too many objects to draw one by one: each object type shows its count, each relationship its number of edges.');
  else if (graph.view === 'simulation' && !graph.steps.length) showMessage('The scenario has no requests yet.');
  else if (!base.nodes.length) showMessage(graph.view === 'schema' ? 'No object types in this configuration.' : 'No objects yet.');
  else if (!view.nodes.length) showMessage('Nothing matches the filter.');
  else showMessage('');
}

function renderTimeline(): void {
  if (!current || current.graph.view !== 'simulation' || !current.graph.steps.length) {
    ui.timeline.hidden = true;
    return;
  }
  const steps = current.graph.steps;
  const index = currentStep();
  ui.timeline.hidden = false;
  ui.step.max = String(steps.length - 1);
  ui.step.value = String(index);
  ui.step.setAttribute('aria-valuetext', stepSummary(steps[index]));
  ui.stepLabel.textContent = stepSummary(steps[index]);
  ui.stepPrevious.disabled = index === 0;
  ui.stepNext.disabled = index === steps.length - 1;
}

function setStep(index: number): void {
  if (!current || current.graph.view !== 'simulation') return;
  const last = current.graph.steps.length - 1;
  // Following the last step means later requests are shown as they are added.
  state.step = index >= last ? undefined : Math.max(0, index);
  save();
  render();
}

function onHostMessage(message: HostMessage): void {
  switch (message.type) {
    case 'graph': {
      const before = positionsKey();
      const switched = !current || before !== (message.graph.view === 'schema' ? `schema:${message.graph.root}` : `simulation:${message.documentUri}`);
      if (switched) {
        focus = undefined;
        around = undefined;
        showAllTypes = false;
        highlighted = { nodeIds: [], edgeIds: [] };
        if (state.documentUri !== message.documentUri) state.step = undefined;
      }
      current = { documentUri: message.documentUri, documentName: message.documentName, graph: message.graph };
      state.documentUri = message.documentUri;
      save();
      ui.title.textContent = message.graph.view === 'schema' ? `Relationships: ${message.documentName}`
        : message.graph.origin === 'replay' ? `Simulation: ${message.documentName} (the file replayed; Send or Run all to build your own)`
          : `Simulation: ${message.documentName}`;
      render();
      return;
    }
    case 'empty':
      if (message.documentUri) state.documentUri = message.documentUri;
      save();
      showMessage(message.reason);
      return;
    case 'highlight':
      highlighted = { nodeIds: message.nodeIds, edgeIds: message.edgeIds };
      if (renderer.highlight(message.nodeIds, message.edgeIds) === 0 && message.nodeIds.length + message.edgeIds.length > 0) {
        showMessage('The selected definition is hidden by the filter or focus.');
      }
      outline.markCurrent([...message.nodeIds, ...message.edgeIds]);
      return;
    case 'status':
      showMessage(message.message);
      return;
    case 'layouts':
      renderer.useCachedLayouts(message.layouts);
      return;
  }
}

window.addEventListener('message', (event: MessageEvent) => {
  messageReceived = performance.now();
  performance.mark('idm:message');
  const message = parseHostMessage(event.data);
  document.body.dataset.validateMs = (performance.now() - messageReceived).toFixed(1);
  if (!message) {
    post({ type: 'log', level: 'error', message: 'The graph view ignored a message it does not understand.' });
    return;
  }
  onHostMessage(message);
});

// Toolbar.
ui.search.value = state.search;
ui.collapseRealms.checked = state.collapseRealms;
ui.depth.value = String(state.focusDepth);
let searchTimer: number | undefined;
ui.search.addEventListener('input', () => {
  window.clearTimeout(searchTimer);
  searchTimer = window.setTimeout(() => {
    state.search = ui.search.value;
    save();
    render();
  }, 120);
});
ui.focus.addEventListener('click', () => {
  if (!focusCandidate) {
    showMessage('Select a node first (click it, or Tab to it in the list).');
    return;
  }
  focus = { id: focusCandidate, depth: state.focusDepth };
  render();
});
ui.depth.addEventListener('change', () => {
  state.focusDepth = Math.max(0, Number(ui.depth.value) || 0);
  save();
  if (focus) {
    focus = { ...focus, depth: state.focusDepth };
    render();
  }
});
function showAll(): void {
  // From a large graph's neighbourhood, every type is laid out afresh: a few placed nodes should not bend the rest.
  const fromNeighbourhood = !!around;
  focus = undefined;
  showAllTypes = true;
  around = undefined;
  state.search = '';
  ui.search.value = '';
  save();
  render(fromNeighbourhood);
}
ui.showAll.addEventListener('click', showAll);
let bannerAction: () => void = showAll;
ui.bannerShowAll.addEventListener('click', () => bannerAction());
/** The list beside the graph: open by default where there is room for both. */
function setListOpen(open: boolean): void {
  ui.outlinePanel.hidden = !open;
  ui.listToggle.setAttribute('aria-expanded', String(open));
  document.body.classList.toggle('list-open', open);
}
setListOpen(window.innerWidth >= 900);
ui.listToggle.addEventListener('click', () => setListOpen(ui.outlinePanel.hidden));
ui.collapseRealms.addEventListener('change', () => {
  state.collapseRealms = ui.collapseRealms.checked;
  save();
  render();
});
ui.fit.addEventListener('click', () => {
  if (!around) ui.banner.hidden = true;
  renderer.fit();
});
ui.relayout.addEventListener('click', () => render(true));
ui.exportSvg.addEventListener('click', () => {
  post({ type: 'export', format: 'svg', data: renderer.exportSvg(ui.title.textContent ?? 'Relationship graph') });
});
ui.exportPng.addEventListener('click', () => {
  renderer.png(ui.title.textContent ?? 'Relationship graph').then(
    (data) => post({ type: 'export', format: 'png', data }),
    (error: unknown) => showMessage(`The PNG could not be drawn: ${error instanceof Error ? error.message : String(error)}`),
  );
});
ui.copyMermaid.addEventListener('click', () => {
  if (shown) post({ type: 'copy', format: 'mermaid', text: toMermaid(shown) });
});
ui.legendToggle.addEventListener('click', () => {
  ui.legend.hidden = !ui.legend.hidden;
  ui.legendToggle.setAttribute('aria-expanded', String(!ui.legend.hidden));
});

// Timeline.
ui.step.addEventListener('input', () => setStep(Number(ui.step.value)));
ui.stepPrevious.addEventListener('click', () => setStep(currentStep() - 1));
ui.stepNext.addEventListener('click', () => setStep(currentStep() + 1));
ui.stepLabel.addEventListener('click', () => post({ type: 'reveal', target: { kind: 'step', id: String(currentStep()) } }));

// VS Code changes the body's class and the CSS variables when the theme changes.
new MutationObserver(() => renderer.setTheme(readTheme())).observe(document.body, { attributes: true, attributeFilter: ['class'] });

window.addEventListener('error', (event) => post({ type: 'log', level: 'error', message: `Graph view error: ${event.message}` }));

// Browser tests reach the renderer through this hook; VS Code never sets the flag.
if ((window as unknown as { __IDM_GRAPH_TEST__?: boolean }).__IDM_GRAPH_TEST__) {
  (window as unknown as { __idmGraph: unknown }).__idmGraph = {
    renderer,
    metrics: () => lastMetrics,
    shown: () => shown,
    scene: () => sceneToData(renderer.currentScene()),
    viewport: () => renderer.viewportState(),
    selected: () => renderer.selectedIds(),
    around: () => [...(around?.expanded ?? [])],
    /** The page point a fraction along an edge's route, or a node's centre. */
    pagePoint(id: string, along = 0.5) {
      const scene = renderer.currentScene();
      const node = scene.nodes.get(id);
      if (node) return renderer.toPage(node);
      const edge = scene.edges.get(id);
      return edge ? renderer.toPage(pointAlong(edge.points, along)) : undefined;
    },
  };
}

post({ type: 'ready' });
