/**
 * The graph webview: receives graph data from the panel, draws it, and sends back clicks (reveal), exports and the
 * state to keep across reloads. Every message it receives is validated first; anything else is ignored.
 */
import { applyFilters, realmsOf, REALM_PREFIX } from '../shared/filters';
import { emptyState, isPersistedState, parseHostMessage, type HostMessage, type PersistedState, type RevealTarget, type WebviewMessage, type WireGraph } from '../shared/messages';
import { toMermaid } from '../shared/mermaid';
import { sceneToSvg } from '../shared/svg';
import { schemaView, simulationView, stepSummary, type ViewGraph } from '../shared/viewModel';
import type { Point } from '../shared/layout';
import { Outline } from './outline';
import { GraphRenderer, type RenderMetrics } from './renderer';
import { readTheme } from './theme';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: PersistedState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

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

/** Positions are kept for the last few documents only, so the state stays small. */
function storePositions(positions: Map<string, Point>): void {
  const key = positionsKey();
  if (!key) return;
  const stored = state.positions[key] ?? {};
  for (const [id, p] of positions) stored[id] = [p.x, p.y];
  delete state.positions[key];
  state.positions[key] = stored;
  const keys = Object.keys(state.positions);
  for (const old of keys.slice(0, Math.max(0, keys.length - 8))) delete state.positions[old];
  save();
}

function storedPositions(): Map<string, Point> {
  const stored = state.positions[positionsKey()] ?? {};
  const result = new Map<string, Point>();
  for (const [id, [x, y]] of Object.entries(stored)) result.set(id, { x, y });
  // A collapsed realm starts at the centre of its members.
  if (shown) {
    for (const node of shown.nodes) {
      if (!node.id.startsWith(REALM_PREFIX) || result.has(node.id)) continue;
      const realm = node.id.slice(REALM_PREFIX.length);
      const members = Object.entries(stored).filter(([id]) => id.startsWith(`managed/${realm}_`)).map(([, p]) => p);
      if (members.length) result.set(node.id, { x: members.reduce((s, p) => s + p[0], 0) / members.length, y: members.reduce((s, p) => s + p[1], 0) / members.length });
    }
  }
  return result;
}

const renderer = new GraphRenderer(ui.graph, readTheme(), {
  tapNode(id) {
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
  positionsChanged(positions) {
    storePositions(positions);
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
renderer.cy.on('select', 'node', (event) => {
  focusCandidate = event.target.id();
});

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

function render(relayout = false): void {
  const base = baseView();
  if (current && !base) {
    renderTimeline();
    showMessage('Drawing this step…');
  }
  if (!current || !base) return;
  const realms = realmsOf(base);
  ui.realmsToggle.hidden = realms.size === 0;
  const view = applyFilters(base, { search: state.search, focus, collapseRealms: state.collapseRealms && realms.size > 0 });
  shown = view;
  if (relayout) {
    delete state.positions[positionsKey()];
  }
  const prepared = performance.now();
  lastMetrics = renderer.render(view, positionsKey(), storedPositions(), relayout);
  document.body.dataset.prepareMs = (prepared - messageReceived).toFixed(1);
  document.body.dataset.renderMs = lastMetrics.renderMs.toFixed(1);
  document.body.dataset.layoutMs = lastMetrics.layoutMs.toFixed(1);
  document.body.dataset.layout = lastMetrics.layout;
  document.body.dataset.phases = Object.entries(lastMetrics.phases).map(([name, ms]) => `${name} ${ms.toFixed(0)}`).join(', ');
  outline.render(view);
  ui.graph.setAttribute('aria-label', `Relationship graph: ${view.nodes.length} nodes, ${view.edges.length} edges (the list beside it has the same content)`);
  renderer.highlight(highlighted.nodeIds, highlighted.edgeIds);
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
  }
}

window.addEventListener('message', (event: MessageEvent) => {
  messageReceived = performance.now();
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
ui.showAll.addEventListener('click', () => {
  focus = undefined;
  state.search = '';
  ui.search.value = '';
  save();
  render();
});
ui.collapseRealms.addEventListener('change', () => {
  state.collapseRealms = ui.collapseRealms.checked;
  save();
  render();
});
ui.fit.addEventListener('click', () => renderer.fit());
ui.relayout.addEventListener('click', () => render(true));
ui.exportSvg.addEventListener('click', () => {
  post({ type: 'export', format: 'svg', data: sceneToSvg(renderer.svgScene(ui.title.textContent ?? 'Relationship graph')) });
});
ui.exportPng.addEventListener('click', () => post({ type: 'export', format: 'png', data: renderer.png() }));
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
  (window as unknown as { __idmGraph: unknown }).__idmGraph = { cy: renderer.cy, metrics: () => lastMetrics, shown: () => shown };
}

post({ type: 'ready' });
