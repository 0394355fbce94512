/**
 * A large schema in the browser: 200 object types with 2,000 relationships must lay out in under a second and pan
 * and zoom smoothly. The figures are printed (they vary with the machine).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchBrowser, openWebview } from './harness';
import { largeGraph } from './graphs';

let browser: Browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test('200 object types with 2,000 relationships: layout under 1 s, smooth pan and zoom', async () => {
  const view = await openWebview(browser, { width: 1400, height: 900 });
  const { uri, graph } = largeGraph(200, 2000);
  if (graph.view !== 'schema') throw new Error('schema graph expected');
  assert.equal(graph.nodes.length, 200);
  assert.equal(graph.edges.length, 2000);

  // From the message to the first frame drawn after it, measured in the page.
  const timing = await view.page.evaluate(async (message) => {
    const g = globalThis as any;
    const body = g.document.body;
    const started = g.performance.now();
    g.postMessage(message, '*');
    while (!body.dataset.renderMs) await new Promise((resolve) => g.setTimeout(resolve, 5));
    await new Promise((resolve) => g.requestAnimationFrame(resolve));
    return { totalMs: g.performance.now() - started, renderMs: Number(body.dataset.renderMs), layoutMs: Number(body.dataset.layoutMs), layout: body.dataset.layout };
  }, { type: 'graph', documentUri: uri, documentName: 'large managed.json', graph });

  const counts = await view.page.evaluate(() => {
    const cy = (globalThis as any).__idmGraph.cy;
    return { nodes: cy.nodes().length, edges: cy.edges().length };
  });
  assert.deepEqual(counts, { nodes: 200, edges: 2000 });

  // Pan and zoom as a user does (mouse wheel, then a drag), while the page records the interval of every frame.
  await view.page.evaluate(() => {
    const g = globalThis as any;
    g.__frames = [];
    let last = g.performance.now();
    const tick = (now: number) => {
      g.__frames.push(now - last);
      last = now;
      if (!g.__stopFrames) g.requestAnimationFrame(tick);
    };
    g.requestAnimationFrame(tick);
  });
  const box = (await view.page.locator('#graph').boundingBox())!;
  const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  await view.page.mouse.move(centre.x, centre.y);
  for (let i = 0; i < 15; i++) await view.page.mouse.wheel(0, -120);
  await view.page.mouse.down();
  for (let i = 0; i < 30; i++) await view.page.mouse.move(centre.x + i * 12, centre.y - i * 6);
  await view.page.mouse.up();
  for (let i = 0; i < 15; i++) await view.page.mouse.wheel(0, 120);
  const motion = await view.page.evaluate(() => {
    const g = globalThis as any;
    g.__stopFrames = true;
    const frames: number[] = g.__frames.slice(1);
    const sorted = [...frames].sort((a, b) => a - b);
    const mean = frames.reduce((s, f) => s + f, 0) / frames.length;
    return { frames: frames.length, meanMs: mean, p95Ms: sorted[Math.floor(sorted.length * 0.95)], maxMs: sorted[sorted.length - 1] };
  });

  console.log(`# layout of 200 types / 2,000 relationships: ${timing.layoutMs.toFixed(0)} ms (${timing.layout}); ` +
    `message to first frame ${timing.totalMs.toFixed(0)} ms (build and draw ${timing.renderMs.toFixed(0)} ms)`);
  console.log(`# pan/zoom (${motion.frames} frames of wheel zoom and drag): mean ${motion.meanMs.toFixed(1)} ms (${(1000 / motion.meanMs).toFixed(0)} fps), p95 ${motion.p95Ms.toFixed(1)} ms, max ${motion.maxMs.toFixed(1)} ms`);

  assert.equal(timing.layout, 'force');
  assert.ok(timing.layoutMs < 1000, `layout took ${timing.layoutMs} ms`);
  assert.ok(motion.p95Ms < 100, `pan/zoom p95 frame ${motion.p95Ms} ms`);
  assert.deepEqual(view.errors, []);
  await view.page.close();
});
