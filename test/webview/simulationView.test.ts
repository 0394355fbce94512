/** The simulation view: objects and edges after each request, notification highlights, the timeline. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { drawn, launchBrowser, openWebview, pagePointOf } from './harness';
import { SCENARIO_URI, simulationGraph } from './graphs';

let browser: Browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test('the last step: objects, edges, and the objects the last write notified along the notification path', async () => {
  const view = await openWebview(browser);
  const graph = simulationGraph();
  if (graph.view !== 'simulation') throw new Error('simulation graph expected');
  assert.equal(graph.steps.length, 6);
  await view.send({ type: 'graph', documentUri: SCENARIO_URI, documentName: 'team.idmsim', graph });
  const shown = await drawn(view.page);
  assert.deepEqual(shown.nodes.map((n) => n.id).sort(), ['managed/organization/acme', 'managed/role/admins', 'managed/user/bjensen', 'managed/user/psmith']);
  assert.equal(shown.edges.length, 3);
  const psmith = shown.nodes.find((n) => n.id === 'managed/user/psmith')!;
  assert.ok(psmith.classes.includes('notified'), psmith.classes.join(' '));
  assert.ok(!shown.nodes.find((n) => n.id === 'managed/user/bjensen')!.classes.includes('notified'));
  const onPath = shown.edges.filter((e) => e.classes.includes('notification-path'));
  assert.deepEqual(onPath.map((e) => `${e.source} ${e.sourceLabel} -> ${e.target} ${e.targetLabel}`), ['managed/role/admins members -> managed/user/psmith roles']);
  assert.equal(onPath[0].lineColor, 'rgb(209,134,22)');
  assert.equal((await view.page.textContent('#step-label'))?.trim(), '6. POST managed/role/admins/members (psmith joins the role through the role\'s members) → 201, 1 object notified');
  await view.page.close();
});

test('hovering an edge shows its _refProperties', async () => {
  const view = await openWebview(browser);
  const graph = simulationGraph();
  await view.send({ type: 'graph', documentUri: SCENARIO_URI, documentName: 'team.idmsim', graph });
  const shown = await drawn(view.page);
  const manager = shown.edges.find((e) => e.sourceLabel === 'manager')!;
  const point = await pagePointOf(view.page, manager.id, 0.5);
  await view.page.mouse.move(point.x, point.y);
  await view.page.waitForSelector('#tooltip:not([hidden])');
  const text = (await view.page.textContent('#tooltip')) ?? '';
  assert.match(text, /managed\/user\/psmith\.manager → managed\/user\/bjensen\.reports/);
  assert.match(text, /_refProperties: \{\n {2}"since": "2024"\n\}/);
  await view.page.close();
});

test('the timeline steps through the requests and the graph follows, keeping positions', async () => {
  const view = await openWebview(browser);
  const graph = simulationGraph();
  await view.send({ type: 'graph', documentUri: SCENARIO_URI, documentName: 'team.idmsim', graph });
  const positionOf = (id: string) => view.page.evaluate((n) => (globalThis as any).__idmGraph.cy.getElementById(n).position(), id);
  const psmithAtEnd = await positionOf('managed/user/psmith');

  await view.page.click('#step-previous');
  let shown = await drawn(view.page);
  assert.equal(shown.nodes.length, 4);
  assert.equal(shown.edges.length, 2, 'before the role membership');
  assert.match((await view.page.textContent('#step-label')) ?? '', /^5\. PUT managed\/role\/admins/);
  assert.ok(shown.nodes.every((n) => !n.classes.includes('notified')), 'creating the role notified nobody');

  // Keyboard on the slider: Home goes to the first request.
  await view.page.focus('#step');
  await view.page.keyboard.press('Home');
  shown = await drawn(view.page);
  assert.deepEqual(shown.nodes.map((n) => n.id), ['managed/user/bjensen']);
  assert.equal(await view.page.isDisabled('#step-previous'), true);

  await view.page.keyboard.press('End');
  shown = await drawn(view.page);
  assert.equal(shown.edges.length, 3);
  assert.deepEqual(await positionOf('managed/user/psmith'), psmithAtEnd);

  // The step label reveals the request in the scenario.
  await view.page.click('#step-label');
  assert.deepEqual(await view.waitForPosted('reveal'), { type: 'reveal', target: { kind: 'step', id: '5' } });
  // Clicking an object reveals the request that wrote it, in the shown step.
  const point = await pagePointOf(view.page, 'managed/user/bjensen');
  await view.page.mouse.click(point.x, point.y);
  assert.deepEqual(await view.waitForPosted('reveal', 2), { type: 'reveal', target: { kind: 'node', id: 'managed/user/bjensen', step: 5 } });
  await view.page.close();
});

test('a scenario that cannot run shows why', async () => {
  const view = await openWebview(browser);
  await view.send({ type: 'graph', documentUri: SCENARIO_URI, documentName: 'team.idmsim', graph: { view: 'simulation', uri: SCENARIO_URI, origin: 'replay', steps: [], errors: ['IDM would not load this config: user.manager: "notifySelf" set on a relationship that is not bidirectional'] } });
  assert.match((await view.page.textContent('#message')) ?? '', /IDM would not load this config/);
  assert.equal(await view.page.isHidden('#timeline'), true);
  await view.page.close();
});
