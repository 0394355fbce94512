/**
 * Loads the built webview (dist/webview.js, dist/webview.css) in headless Chromium, in the page the panel serves
 * (same HTML, same CSP), with a fake `acquireVsCodeApi` that records what the webview posts, and VS Code's theme
 * variables for a light or dark theme.
 */
import * as fs from 'fs';
import * as path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { webviewHtml } from '../../client/webview/shared/html';
import type { HostMessage, WebviewMessage, WireGraph } from '../../client/webview/shared/messages';
import { mapGraphLocations } from '../../server/src/core/graph/mapLocations';
import type { GraphData } from '../../server/src/protocol/graph';
import { LineIndex } from '../../server/src/core/text/lineIndex';
import { REPO_ROOT } from '../helpers/fixtures';

export const ORIGIN = 'https://webview.test';
export const NONCE = 'dGVzdG5vbmNlMTIzNDU2Nzg5MGFiY2RlZmdo';

export type ThemeName = 'light' | 'dark';

/** A subset of VS Code's Light+ and Dark+ colours, as VS Code sets them on the webview's root element. */
export const THEMES: Record<ThemeName, { bodyClass: string; variables: Record<string, string> }> = {
  light: {
    bodyClass: 'vscode-light',
    variables: {
      '--vscode-font-family': '"DejaVu Sans", system-ui, sans-serif',
      '--vscode-font-size': '13px',
      '--vscode-foreground': '#616161',
      '--vscode-editor-foreground': '#3b3b3b',
      '--vscode-editor-background': '#ffffff',
      '--vscode-descriptionForeground': '#717171',
      '--vscode-editorWidget-background': '#f8f8f8',
      '--vscode-editorWidget-border': '#c8c8c8',
      '--vscode-sideBar-background': '#f8f8f8',
      '--vscode-panel-border': '#e5e5e5',
      '--vscode-editorLineNumber-foreground': '#6e7681',
      '--vscode-errorForeground': '#e51400',
      '--vscode-editorWarning-foreground': '#bf8803',
      '--vscode-focusBorder': '#005fb8',
      '--vscode-charts-orange': '#d18616',
      '--vscode-editor-findMatchHighlightBackground': '#ea5c0055',
      '--vscode-button-secondaryBackground': '#e5e5e5',
      '--vscode-button-secondaryForeground': '#3b3b3b',
      '--vscode-input-background': '#ffffff',
      '--vscode-input-foreground': '#3b3b3b',
      '--vscode-input-border': '#cecece',
      '--vscode-list-activeSelectionBackground': '#e8e8e8',
      '--vscode-list-activeSelectionForeground': '#000000',
      '--vscode-editorHoverWidget-background': '#f8f8f8',
      '--vscode-editorHoverWidget-border': '#c8c8c8',
    },
  },
  dark: {
    bodyClass: 'vscode-dark',
    variables: {
      '--vscode-font-family': '"DejaVu Sans", system-ui, sans-serif',
      '--vscode-font-size': '13px',
      '--vscode-foreground': '#cccccc',
      '--vscode-editor-foreground': '#cccccc',
      '--vscode-editor-background': '#1f1f1f',
      '--vscode-descriptionForeground': '#9d9d9d',
      '--vscode-editorWidget-background': '#202020',
      '--vscode-editorWidget-border': '#454545',
      '--vscode-sideBar-background': '#181818',
      '--vscode-panel-border': '#2b2b2b',
      '--vscode-editorLineNumber-foreground': '#6e7681',
      '--vscode-errorForeground': '#f85149',
      '--vscode-editorWarning-foreground': '#cca700',
      '--vscode-focusBorder': '#0078d4',
      '--vscode-charts-orange': '#d18616',
      '--vscode-editor-findMatchHighlightBackground': '#9e6a03aa',
      '--vscode-button-secondaryBackground': '#313131',
      '--vscode-button-secondaryForeground': '#cccccc',
      '--vscode-input-background': '#313131',
      '--vscode-input-foreground': '#cccccc',
      '--vscode-input-border': '#3c3c3c',
      '--vscode-list-activeSelectionBackground': '#04395e',
      '--vscode-list-activeSelectionForeground': '#ffffff',
      '--vscode-editorHoverWidget-background': '#202020',
      '--vscode-editorHoverWidget-border': '#454545',
    },
  },
};

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

const DIST = path.join(REPO_ROOT, 'dist');

export function assertBundleBuilt(): void {
  for (const file of ['webview.js', 'webview.css']) {
    if (!fs.existsSync(path.join(DIST, file))) throw new Error(`dist/${file} is missing: run \`node scripts/build-webview.mjs\` first`);
  }
}

export interface WebviewPage {
  page: Page;
  /** Errors thrown in the page, and console errors. */
  errors: string[];
  /** Sends a host message, as the panel's `webview.postMessage` does. */
  send(message: HostMessage | Record<string, unknown>): Promise<void>;
  posted(): Promise<WebviewMessage[]>;
  waitForPosted<T extends WebviewMessage['type']>(type: T, count?: number): Promise<Extract<WebviewMessage, { type: T }>>;
  clearPosted(): Promise<void>;
  setTheme(theme: ThemeName): Promise<void>;
}

export interface OpenOptions {
  theme?: ThemeName;
  state?: unknown;
  width?: number;
  height?: number;
  /** Sent as soon as the webview posts 'ready', as the panel does when it opens with a graph already computed (a list: in order). */
  onReady?: HostMessage | HostMessage[];
}

export async function openWebview(browser: Browser, options: OpenOptions = {}): Promise<WebviewPage> {
  assertBundleBuilt();
  const page = await browser.newPage({ viewport: { width: options.width ?? 1280, height: options.height ?? 800 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  await page.route(`${ORIGIN}/**`, async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/index.html') {
      const html = webviewHtml({ cspSource: ORIGIN, nonce: NONCE, scriptUri: `${ORIGIN}/dist/webview.js`, styleUri: `${ORIGIN}/dist/webview.css` });
      await route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
      return;
    }
    const file = path.join(DIST, path.basename(url.pathname));
    if (url.pathname.startsWith('/dist/') && fs.existsSync(file)) {
      const type = file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'application/octet-stream';
      await route.fulfill({ status: 200, contentType: type, body: fs.readFileSync(file) });
      return;
    }
    await route.fulfill({ status: 404, body: '' });
  });
  const theme = THEMES[options.theme ?? 'light'];
  await page.addInitScript(({ theme: initialTheme, state, onReady }) => {
    // Runs in the page before its scripts; written against globalThis so the test build needs no DOM types.
    const w = globalThis as any;
    const doc = w.document;
    w.__IDM_GRAPH_TEST__ = true;
    w.__posted = [];
    w.__state = state;
    w.__cspViolations = [];
    w.__alerts = [];
    w.alert = (message?: unknown) => { w.__alerts.push(String(message)); };
    doc.addEventListener('securitypolicyviolation', (event: any) => {
      w.__cspViolations.push({ directive: event.violatedDirective, blocked: event.blockedURI, sample: event.sample });
    });
    let acquired = false;
    w.acquireVsCodeApi = () => {
      if (acquired) throw new Error('acquireVsCodeApi may be called only once');
      acquired = true;
      return {
        postMessage: (message: unknown) => {
          w.__posted.push(JSON.parse(JSON.stringify(message)));
          if (onReady && (message as { type?: string }).type === 'ready') for (const sent of [onReady].flat()) w.postMessage(sent, '*');
        },
        getState: () => w.__state,
        setState: (next: unknown) => { w.__state = JSON.parse(JSON.stringify(next)); },
      };
    };
    // VS Code sets the theme variables on <html> and the theme class on <body> before the page's scripts run.
    const apply = () => {
      if (doc.documentElement && !doc.documentElement.dataset.themed) {
        doc.documentElement.dataset.themed = 'yes';
        for (const [name, value] of Object.entries(initialTheme.variables)) doc.documentElement.style.setProperty(name, value);
      }
      if (doc.body && !doc.body.classList.contains(initialTheme.bodyClass)) doc.body.classList.add(initialTheme.bodyClass);
      return doc.documentElement && doc.body;
    };
    if (!apply()) {
      const observer = new w.MutationObserver(() => { if (apply()) observer.disconnect(); });
      observer.observe(doc, { childList: true, subtree: true });
    }
  }, { theme, state: options.state, onReady: options.onReady });
  await page.goto(`${ORIGIN}/index.html`);
  await page.waitForFunction(() => (globalThis as any).__posted.some((m: { type: string }) => m.type === 'ready'));

  const webview: WebviewPage = {
    page,
    errors,
    async send(message) {
      await page.evaluate((data) => (globalThis as any).postMessage(data, '*'), message);
      await nextFrames(page);
      await settled(page);
    },
    async posted() {
      return page.evaluate(() => (globalThis as any).__posted as WebviewMessage[]);
    },
    async waitForPosted(type, count = 1) {
      const handle = await page.waitForFunction(({ type: wanted, count: n }) => {
        const list = (globalThis as any).__posted.filter((m: { type: string }) => m.type === wanted);
        return list.length >= n ? list[n - 1] : undefined;
      }, { type, count });
      return (await handle.jsonValue()) as never;
    },
    async clearPosted() {
      await page.evaluate(() => { (globalThis as any).__posted = []; });
    },
    async setTheme(name) {
      await page.evaluate((next) => {
        const doc = (globalThis as any).document;
        for (const [variable, value] of Object.entries(next.variables)) doc.documentElement.style.setProperty(variable, value);
        doc.body.classList.remove('vscode-light', 'vscode-dark');
        doc.body.classList.add(next.bodyClass);
      }, THEMES[name]);
      await nextFrames(page);
    },
  };
  return webview;
}

/** Converts a core graph to what the server sends: positions instead of offsets (as graphFeatures does). */
export function toWireGraph(graph: GraphData, texts: Record<string, string>): WireGraph {
  const indexes = new Map<string, LineIndex>();
  return mapGraphLocations(graph, (location) => {
    const text = texts[location.uri];
    if (text === undefined) return undefined;
    let index = indexes.get(location.uri);
    if (!index) indexes.set(location.uri, (index = new LineIndex(text)));
    return { uri: location.uri, range: { start: index.positionAt(location.range.start), end: index.positionAt(location.range.end) }, span: { start: index.positionAt(location.span.start), end: index.positionAt(location.span.end) } };
  });
}

/** Waits until the webview has laid out and drawn what it was last given (the layout runs in a worker). */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => !(globalThis as any).document.body.dataset.busy);
}

export interface DrawnNode { id: string; label: string; classes: string[]; fill: string; stroke: string }
export interface DrawnEdge { id: string; source: string; target: string; sourceLabel: string; targetLabel: string; midLabel: string; classes: string[]; lineColor: string }

/** Reads the drawn elements from the SVG (after the layout settled). */
export async function drawn(page: Page): Promise<{ nodes: DrawnNode[]; edges: DrawnEdge[] }> {
  await settled(page);
  return page.evaluate(() => {
    const g = globalThis as any;
    const shown = g.__idmGraph.shown();
    const byId = new Map(shown.edges.map((e: any) => [e.id, e]));
    const svg = g.document.querySelector('#graph svg');
    const nodes = [...svg.querySelectorAll('g.node')].map((n: any) => ({
      id: n.dataset.id,
      label: [...n.querySelectorAll('text')].map((t: any) => t.textContent).join('\n'),
      classes: [...n.classList].filter((c: string) => c !== 'node'),
      fill: n.querySelector('rect').getAttribute('fill'),
      stroke: n.querySelector('rect').getAttribute('stroke'),
    }));
    const labelOf = (id: string) => svg.querySelector(`g.edge-label[data-id="${g.CSS.escape(id)}"]`);
    const edges = [...svg.querySelectorAll('g.edge')].map((e: any) => {
      const view: any = byId.get(e.dataset.id);
      const label = labelOf(e.dataset.id);
      const lines = label ? [...label.querySelectorAll('text')] : [];
      const line = (end: string) => lines.filter((t: any) => t.dataset.end === end).map((t: any) => t.textContent).join('\n');
      return {
        id: e.dataset.id,
        source: view.source,
        target: view.target,
        // What the label shows for each end (a loop's or a merged edge's lines are its middle label).
        sourceLabel: view.midLabel || view.source === view.target ? '' : line('source'),
        targetLabel: view.midLabel || view.source === view.target ? '' : line('target'),
        midLabel: view.midLabel || view.source === view.target ? lines.map((t: any) => t.textContent).join('\n') : '',
        classes: [...e.classList].filter((c: string) => c !== 'edge'),
        lineColor: e.querySelector('path.line').getAttribute('stroke'),
      };
    });
    return { nodes, edges };
  });
}

/** The page coordinates of a node's centre, or of a point a fraction along an edge's route (for real mouse clicks). */
export async function pagePointOf(page: Page, id: string, along = 0.5): Promise<{ x: number; y: number }> {
  await settled(page);
  const point = await page.evaluate(({ id: wanted, along: t }) => (globalThis as any).__idmGraph.pagePoint(wanted, t), { id, along });
  if (!point) throw new Error(`${id} is not drawn`);
  return point;
}

/** Node centres by id, as drawn. */
export async function nodePositions(page: Page): Promise<Record<string, { x: number; y: number }>> {
  await settled(page);
  return page.evaluate(() => Object.fromEntries((globalThis as any).__idmGraph.scene().nodes.map(([id, n]: [string, any]) => [id, { x: n.x, y: n.y }])));
}

/** Waits two animation frames: the message has been handled and drawn. */
export async function nextFrames(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((resolve) => (globalThis as any).requestAnimationFrame(() => (globalThis as any).requestAnimationFrame(resolve))));
}
