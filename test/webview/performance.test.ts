/**
 * A large schema in the browser: 200 object types with 2,000 relationships open on the busiest type and its
 * neighbours, grow on a double click, and "Show all" lays every type out (the force layout) and pans and zooms.
 * Nothing here is timed: how fast each step is, is `npm run bench:graph`'s to measure (timings depend on the
 * machine and its load, and a test must not fail with them).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchBrowser, openWebview, pagePointOf, settled } from './harness';
import { largeGraph } from './graphs';
import { panZoomFrames } from './timings';

let browser: Browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test('200 object types with 2,000 relationships: opens on a neighbourhood, expands on demand, shows all smoothly', async () => {
  const view = await openWebview(browser, { width: 1400, height: 900 });
  const { uri, graph } = largeGraph(200, 2000);
  if (graph.view !== 'schema') throw new Error('schema graph expected');
  assert.equal(graph.nodes.length, 200);
  assert.equal(graph.edges.length, 2000);

  await view.send({ type: 'graph', documentUri: uri, documentName: 'large managed.json', graph });
  const layout = await view.page.evaluate(() => (globalThis as any).document.body.dataset.layout);
  const counts = () => view.page.evaluate(() => {
    const svg = (globalThis as any).document.querySelector('#graph svg');
    return { nodes: svg.querySelectorAll('g.node').length, edges: svg.querySelectorAll('g.edge').length };
  });
  // The busiest type and its neighbours, laid out by ELK with every label.
  const opened = await counts();
  assert.equal(layout, 'elk');
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
  assert.equal(await view.page.evaluate(() => (globalThis as any).document.body.dataset.layout), 'force');

  // Pan and zoom as a user does (mouse wheel, then a drag): the view follows. The transform is on the HTML wrapper
  // of the <svg> (a compositor layer), never on the <svg> or its content.
  const before = await view.page.evaluate(() => (globalThis as any).__idmGraph.viewport());
  const transforms = () => view.page.evaluate(() => {
    const g = globalThis as any;
    const layer = g.document.querySelector('#graph > .graph-layer');
    const svg = layer?.querySelector(':scope > svg.graph-canvas');
    return { layer: layer ? g.getComputedStyle(layer).transform : 'no layer', svg: svg ? g.getComputedStyle(svg).transform : 'no svg', viewport: svg?.querySelector('g.viewport')?.getAttribute('transform') ?? null };
  });
  const motion = await panZoomFrames(view.page);
  assert.ok(motion.frames > 0);
  // The motion has settled (the drawing no longer a moving layer).
  await view.page.waitForFunction(() => !(globalThis as any).document.querySelector('#graph .graph-layer').classList.contains('moving'));
  const after = await view.page.evaluate(() => (globalThis as any).__idmGraph.viewport());
  assert.notDeepEqual(after.pan, before.pan);
  const moved = await transforms();
  assert.equal(moved.svg, 'none');
  assert.equal(moved.viewport, null);
  const [a, , , d, e, f] = /^matrix\((.*)\)$/.exec(moved.layer)![1].split(',').map(Number);
  assert.ok(Math.abs(a - after.zoom) < 1e-3 && Math.abs(d - after.zoom) < 1e-3, `${moved.layer} at zoom ${after.zoom}`);
  assert.ok(Math.abs(e - after.pan.x) < 0.1 && Math.abs(f - after.pan.y) < 0.1, `${moved.layer} at pan ${JSON.stringify(after.pan)}`);
  assert.deepEqual(view.errors, []);
  await view.page.close();
});

test('the drawing keeps its raster while moving only from the native scale up (below it Chromium would raster it all again at zoom 1)', async () => {
  const view = await openWebview(browser, { width: 1400, height: 900 });
  const { uri, graph } = largeGraph(200, 2000);
  await view.send({ type: 'graph', documentUri: uri, documentName: 'large managed.json', graph });
  await view.page.click('#banner-show-all');
  await settled(view.page);
  // Every time the layer gets or loses the hint, with the zoom of that frame: read once the gestures are over, so
  // nothing here depends on how quickly the test looks.
  await view.page.evaluate(() => {
    const g = globalThis as any;
    const layer = g.document.querySelector('#graph > .graph-layer');
    g.__hints = [];
    new g.MutationObserver(() => {
      const moving = layer.classList.contains('moving');
      if (moving !== (g.__hints.at(-1)?.moving ?? false)) g.__hints.push({ moving, zoom: g.__idmGraph.viewport().zoom });
    }).observe(layer, { attributes: true, attributeFilter: ['class'] });
  });
  const zoom = async (): Promise<number> => (await view.page.evaluate(() => (globalThis as any).__idmGraph.viewport())).zoom;
  const hints = async (): Promise<Array<{ moving: boolean; zoom: number }>> => view.page.evaluate(() => (globalThis as any).__hints.splice(0));
  const box = (await view.page.locator('#graph').boundingBox())!;
  await view.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  /** Wheel steps (negative: in), then the pause that commits the zoom. */
  const wheel = async (steps: number) => {
    const rest = await view.page.evaluate(() => (globalThis as any).document.querySelector('#graph').dataset.zoom);
    for (let i = 0; i < Math.abs(steps); i++) await view.page.mouse.wheel(0, Math.sign(steps) * 120);
    await view.page.waitForFunction((was) => {
      const g = globalThis as any;
      return g.document.querySelector('#graph').dataset.zoom !== was && !g.document.querySelector('#graph > .graph-layer').classList.contains('moving');
    }, rest);
  };

  const overview = await zoom();
  assert.ok(overview < 0.5, `Show all opens at zoom ${overview}`);
  // From the overview, in to about twice its zoom: no hint, each frame is rasterised at its own scale.
  await wheel(-4);
  assert.deepEqual(await hints(), []);
  // In past the native scale, then one more step from there: the hint holds the tiles through that gesture.
  while (await zoom() < 1) await wheel(-3);
  assert.deepEqual(await hints(), []);
  const rest = await zoom();
  await wheel(-3);
  const zoomingIn = await hints();
  assert.ok(zoomingIn.length >= 2 && zoomingIn[0].moving && !zoomingIn.at(-1)!.moving, JSON.stringify(zoomingIn));
  assert.ok(zoomingIn[0].zoom > rest, `hint from zoom ${zoomingIn[0].zoom}, rest ${rest}`);
  // A long zoom-out in one gesture: the hint goes before the zoom is half the one it started from.
  const start = await zoom();
  await wheel(12);
  const zoomingOut = await hints();
  assert.ok(zoomingOut[0]?.moving, JSON.stringify(zoomingOut));
  // Dropped during the gesture (its last zoom is about an eighth of where it started), not when it paused.
  const dropped = zoomingOut.find((hint) => !hint.moving)!;
  const end = await zoom();
  assert.ok(dropped.zoom * 2 < start && dropped.zoom > end * 1.5, `hint dropped at zoom ${dropped.zoom}, from ${start} to ${end}: ${JSON.stringify(zoomingOut)}`);
  assert.deepEqual(view.errors, []);
  await view.page.close();
});
