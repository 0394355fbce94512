/**
 * A large schema in the browser: 200 object types with 2,000 relationships open on the busiest type and its
 * neighbours, grow on a double click, and "Show all" lays every type out in under a second and pans and zooms
 * smoothly. The figures are printed (they vary with the machine).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchBrowser, openWebview, pagePointOf, settled } from './harness';
import { largeGraph } from './graphs';

let browser: Browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test('200 object types with 2,000 relationships: opens on a neighbourhood, expands on demand, shows all smoothly', async () => {
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
    while (!body.dataset.renderMs || body.dataset.busy) await new Promise((resolve) => g.setTimeout(resolve, 5));
    return { totalMs: g.performance.now() - started, renderMs: Number(body.dataset.renderMs), layoutMs: Number(body.dataset.layoutMs), layout: body.dataset.layout };
  }, { type: 'graph', documentUri: uri, documentName: 'large managed.json', graph });
  const counts = () => view.page.evaluate(() => {
    const svg = (globalThis as any).document.querySelector('#graph svg');
    return { nodes: svg.querySelectorAll('g.node').length, edges: svg.querySelectorAll('g.edge').length };
  });
  // The busiest type and its neighbours, laid out by ELK with every label.
  const opened = await counts();
  assert.equal(timing.layout, 'elk');
  assert.ok(opened.nodes > 1 && opened.nodes < 60, `opened on ${opened.nodes} types`);
  assert.equal(await view.page.isVisible('#banner'), true);
  assert.match((await view.page.textContent('#banner-text')) ?? '', /^Showing \d+ of 200 types, around /);

  // Double-clicking a neighbour adds its neighbours.
  const shownIds: string[] = await view.page.evaluate(() => (globalThis as any).__idmGraph.shown().nodes.map((n: any) => n.id));
  const around: string[] = await view.page.evaluate(() => (globalThis as any).__idmGraph.around());
  assert.equal(around.length, 1);
  // A neighbour in view (the first view shows the busiest type and the neighbours that fit at a readable size).
  const graphBox = (await view.page.locator('#graph').boundingBox())!;
  let neighbour = '';
  let point = { x: 0, y: 0 };
  for (const id of shownIds.filter((id) => !around.includes(id))) {
    point = await pagePointOf(view.page, id);
    if (point.x > graphBox.x && point.x < graphBox.x + graphBox.width && point.y > graphBox.y && point.y < graphBox.y + graphBox.height) {
      neighbour = id;
      break;
    }
  }
  assert.ok(neighbour, 'a neighbour is in view');
  await view.page.mouse.dblclick(point.x, point.y);
  await settled(view.page);
  const expanded = await counts();
  assert.ok(expanded.nodes > opened.nodes, `expanding ${neighbour}: ${opened.nodes} -> ${expanded.nodes} types`);

  // Show all: every type and relationship, placed by the force layout.
  await view.page.click('#banner-show-all');
  await settled(view.page);
  assert.deepEqual(await counts(), { nodes: 200, edges: 2000 });
  const all = await view.page.evaluate(() => ({ layout: (globalThis as any).document.body.dataset.layout, layoutMs: Number((globalThis as any).document.body.dataset.layoutMs) }));
  assert.equal(all.layout, 'force');

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

  console.log(`# 200 types / 2,000 relationships: opened on ${opened.nodes} types in ${timing.totalMs.toFixed(0)} ms (ELK ${timing.layoutMs.toFixed(0)} ms); ` +
    `show all: force layout ${all.layoutMs.toFixed(0)} ms`);
  console.log(`# pan/zoom of all 200 types (${motion.frames} frames of wheel zoom and drag): mean ${motion.meanMs.toFixed(1)} ms (${(1000 / motion.meanMs).toFixed(0)} fps), p95 ${motion.p95Ms.toFixed(1)} ms, max ${motion.maxMs.toFixed(1)} ms`);

  assert.ok(all.layoutMs < 1000, `layout took ${all.layoutMs} ms`);
  assert.ok(motion.p95Ms < 100, `pan/zoom p95 frame ${motion.p95Ms} ms`);
  assert.deepEqual(view.errors, []);
  await view.page.close();
});
