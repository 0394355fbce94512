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
  // Every time the layer gets or loses the hint: the zoom of that frame, the zoom the drawing last rested at, and
  // whether this is the rest itself (the pause that ends a gesture). Read once the gestures are over, so nothing here
  // depends on how quickly the test looks, nor on whether a slow machine paused within a gesture.
  await view.page.evaluate(() => {
    const g = globalThis as any;
    const container = g.document.querySelector('#graph');
    const layer = container.querySelector(':scope > .graph-layer');
    g.__hints = [];
    new g.MutationObserver(() => {
      const moving = layer.classList.contains('moving');
      const zoom = g.__idmGraph.viewport().zoom;
      // applyTransform drops the hint and then records the zoom it rests at, both before this observer runs.
      const atRest = container.dataset.zoom === zoom.toFixed(3);
      if (moving !== (g.__hints.at(-1)?.moving ?? false)) g.__hints.push({ moving, zoom, rest: Number(container.dataset.zoom), atRest });
    }).observe(layer, { attributes: true, attributeFilter: ['class'] });
  });
  type Hint = { moving: boolean; zoom: number; rest: number; atRest: boolean };
  const zoom = async (): Promise<number> => (await view.page.evaluate(() => (globalThis as any).__idmGraph.viewport())).zoom;
  const hints = async (): Promise<Hint[]> => view.page.evaluate(() => (globalThis as any).__hints.splice(0));
  const box = (await view.page.locator('#graph').boundingBox())!;
  await view.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  /** One gesture: wheel events of these deltas (negative: in), then the pause that commits its zoom. */
  const gesture = async (...deltas: number[]) => {
    for (const delta of deltas) await view.page.mouse.wheel(0, delta);
    // The wheel handler has set the zoom before the event is acknowledged: wait for the rest at that zoom.
    await view.page.waitForFunction(() => {
      const g = globalThis as any;
      const container = g.document.querySelector('#graph');
      return container.dataset.zoom === g.__idmGraph.viewport().zoom.toFixed(3) && !container.querySelector(':scope > .graph-layer').classList.contains('moving');
    });
  };

  const overview = await zoom();
  assert.ok(overview < 0.5, `Show all opens at zoom ${overview}`);
  // From the overview in to the native scale, a step at a time: no hint, each frame is rasterised at its own scale.
  while (await zoom() < 1) await gesture(-120);
  assert.deepEqual(await hints(), []);
  // From there, in: the hint holds the tiles through the gesture, and goes when it rests.
  const rest = await zoom();
  await gesture(-120, -120, -120);
  const zoomingIn = await hints();
  assert.ok(zoomingIn.length >= 2 && zoomingIn[0].moving && zoomingIn[0].zoom > rest && !zoomingIn.at(-1)!.moving && zoomingIn.at(-1)!.atRest, JSON.stringify(zoomingIn));
  // A step out keeps it; a long step out, past half the zoom it rested at, drops it before the gesture rests.
  await gesture(120, 720);
  const zoomingOut = await hints();
  assert.ok(zoomingOut[0]?.moving, JSON.stringify(zoomingOut));
  const dropped = zoomingOut.find((hint) => !hint.moving && !hint.atRest);
  assert.ok(dropped && dropped.zoom * 2 < dropped.rest, JSON.stringify(zoomingOut));
  // Whenever the hint was on, the drawing had rested at the native scale or above, and the zoom was not past half that.
  for (const hint of [...zoomingIn, ...zoomingOut].filter((h) => h.moving)) assert.ok(hint.rest >= 1 && hint.zoom * 2 >= hint.rest, JSON.stringify(hint));
  assert.deepEqual(view.errors, []);
  await view.page.close();
});
