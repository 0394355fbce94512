/**
 * Timings for `npm run bench:graph` (never asserted: they depend on the machine and its load).
 *
 * - `openToFirstFrame`: a panel opening on a graph, as in VS Code: the page loads, posts 'ready', the graph is sent
 *   at once; from the navigation's start to the first frame drawn with the laid-out graph, with the page's
 *   performance marks (`idm:*`, set by the webview) as the breakdown.
 * - `panZoomFrames`: the interval of every animation frame while the mouse zooms (wheel), drags and zooms back, as
 *   a user does.
 */
import type { Browser, Page } from 'playwright-core';
import type { WireGraph } from '../../client/webview/shared/messages';
import type { CachedLayout } from '../../client/webview/shared/layoutCache';
import { openWebview, settled } from './harness';

export interface OpenTiming {
  /** Navigation start to the first frame with the graph. */
  totalMs: number;
  /** Milliseconds since navigation start of each mark (script, worker-start, elk-ready, message, layout-start, layout-end, frame). */
  marks: Record<string, number>;
  /** How the graph was placed: `elk`, or `cached` when the layouts given held it. */
  layout: string;
  /** The layout the page posted for the host to keep (when ELK ran). */
  computed?: CachedLayout;
}

/**
 * `layouts`: what the panel keeps from earlier panels, sent before the graph as the panel does (a panel opened again
 * on the same configuration).
 */
export async function openToFirstFrame(browser: Browser, graph: { uri: string; graph: WireGraph }, width: number, height: number, layouts?: CachedLayout[]): Promise<OpenTiming> {
  const message = { type: 'graph' as const, documentUri: graph.uri, documentName: 'managed.json', graph: graph.graph };
  const view = await openWebview(browser, { width, height, onReady: layouts ? [{ type: 'layouts', layouts }, message] : message });
  try {
    await view.page.waitForFunction(() => (globalThis as any).performance.getEntriesByName('idm:frame').length > 0, undefined, { timeout: 60_000 });
    const marks: Record<string, number> = await view.page.evaluate(() => Object.fromEntries((globalThis as any).performance.getEntriesByType('mark')
      .filter((mark: any) => mark.name.startsWith('idm:')).map((mark: any) => [mark.name.slice(4), mark.startTime])));
    if (view.errors.length) throw new Error(view.errors.join('\n'));
    await settled(view.page);
    const layout: string = await view.page.evaluate(() => (globalThis as any).document.body.dataset.layout);
    const computed = (await view.posted()).find((posted) => posted.type === 'layout');
    return { totalMs: marks.frame, marks, layout, computed: computed?.type === 'layout' ? { key: computed.key, scene: computed.scene } : undefined };
  } finally {
    await view.page.close();
  }
}

export interface FrameTiming {
  frames: number;
  /** Interval between frames (the display's refresh at best: 16.7 ms at 60 Hz). */
  meanMs: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  /** Frames that took three display refreshes or more (50 ms at 60 Hz, counted from 49 ms as the timestamps jitter): the stalls a user sees as a jerk. */
  stalls: number;
  /**
   * Main-thread work per frame: from the frame's animation callbacks to the end of its style, layout and paint
   * (a message posted in requestAnimationFrame is handled once the frame is rendered), plus the input handlers
   * run since the previous frame. Under 16 ms, the page keeps up with a 60 Hz display.
   */
  workMeanMs: number;
  workP95Ms: number;
  workMaxMs: number;
}

/** Wheel-zooms in, drags, wheel-zooms out over the graph's centre, recording every frame's interval. */
export async function panZoomFrames(page: Page): Promise<FrameTiming> {
  await settled(page);
  await page.evaluate(() => {
    const g = globalThis as any;
    g.__frames = [];
    g.__work = [];
    g.__stopFrames = false;
    let last = g.performance.now();
    let input = 0;
    const channel = new g.MessageChannel();
    let frameStart = 0;
    channel.port1.onmessage = () => {
      g.__work.push(g.performance.now() - frameStart + input);
      input = 0;
    };
    // Input handlers' time: from a capturing listener on the window (first) to a bubbling one (last).
    let began = 0;
    for (const type of ['wheel', 'pointermove', 'pointerdown', 'pointerup']) {
      g.addEventListener(type, () => { began = g.performance.now(); }, { capture: true, passive: true });
      g.addEventListener(type, () => { input += g.performance.now() - began; }, { passive: true });
    }
    const tick = (now: number) => {
      g.__frames.push(now - last);
      last = now;
      frameStart = g.performance.now();
      channel.port2.postMessage(0);
      if (!g.__stopFrames) g.requestAnimationFrame(tick);
    };
    g.requestAnimationFrame(tick);
  });
  const box = (await page.locator('#graph').boundingBox())!;
  const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  await page.mouse.move(centre.x, centre.y);
  // A user pauses now and then: the drawing is then committed at the new zoom (labels shown or hidden), and those
  // frames count too.
  const pause = () => page.waitForTimeout(250);
  for (let i = 0; i < 15; i++) {
    await page.mouse.wheel(0, -120);
    if (i % 5 === 4) await pause();
  }
  await page.mouse.down();
  for (let i = 0; i < 30; i++) await page.mouse.move(centre.x + i * 12, centre.y - i * 6);
  await page.mouse.up();
  await pause();
  for (let i = 0; i < 15; i++) {
    await page.mouse.wheel(0, 120);
    if (i % 5 === 4) await pause();
  }
  return page.evaluate(() => {
    const g = globalThis as any;
    g.__stopFrames = true;
    const frames: number[] = g.__frames.slice(1);
    const sorted = [...frames].sort((a, b) => a - b);
    const work: number[] = g.__work.slice(1);
    const sortedWork = [...work].sort((a, b) => a - b);
    return {
      frames: frames.length,
      meanMs: frames.reduce((s, f) => s + f, 0) / frames.length,
      medianMs: sorted[Math.floor(sorted.length / 2)],
      p95Ms: sorted[Math.floor(sorted.length * 0.95)],
      maxMs: sorted[sorted.length - 1],
      stalls: frames.filter((interval) => interval >= 49).length,
      workMeanMs: work.reduce((s, f) => s + f, 0) / work.length,
      workP95Ms: sortedWork[Math.floor(sortedWork.length * 0.95)],
      workMaxMs: sortedWork[sortedWork.length - 1],
    };
  });
}

/** Opens the graph, shows all of it (the banner's button, when the graph opened on a neighbourhood), and pans and zooms. */
export async function panZoomAll(browser: Browser, graph: { uri: string; graph: WireGraph }, width: number, height: number): Promise<FrameTiming & { types: number; edges: number }> {
  const view = await openWebview(browser, { width, height });
  try {
    await view.send({ type: 'graph', documentUri: graph.uri, documentName: 'managed.json', graph: graph.graph });
    if (await view.page.isVisible('#banner-show-all')) {
      await view.page.click('#banner-show-all');
      await settled(view.page);
    }
    const counts = await view.page.evaluate(() => {
      const svg = (globalThis as any).document.querySelector('#graph svg');
      return { types: svg.querySelectorAll('g.node').length, edges: svg.querySelectorAll('g.edge').length };
    });
    const timing = await panZoomFrames(view.page);
    if (view.errors.length) throw new Error(view.errors.join('\n'));
    return { ...timing, ...counts };
  } finally {
    await view.page.close();
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
