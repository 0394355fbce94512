/** The schema view in headless Chromium: what is drawn, clicks, filters, the editor link, theme. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { drawn, launchBrowser, nodePositions, openWebview, pagePointOf, settled } from './harness';
import { AIC_TEMPLATE, fixtureGraph, IDM_ONLY, PREPROD_COPY, textGraph } from './graphs';

let browser: Browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test('the nodes and edges drawn match the schema', async () => {
  const view = await openWebview(browser);
  const { uri, graph } = fixtureGraph(IDM_ONLY);
  assert.equal(graph.view, 'schema');
  if (graph.view !== 'schema') return;
  await view.send({ type: 'graph', documentUri: uri, documentName: 'managed.json', graph });
  const shown = await drawn(view.page);
  assert.deepEqual(shown.nodes.map((n) => n.id).sort(), graph.nodes.map((n) => n.id).sort());
  assert.deepEqual(shown.edges.map((e) => e.id).sort(), graph.edges.map((e) => e.id).sort());
  const reports = shown.edges.find((e) => e.id === 'managed/user.reports<->managed/user.manager')!;
  // A loop carries both ends' labels beside it, one per line.
  assert.deepEqual([reports.source, reports.target, reports.midLabel], ['managed/user', 'managed/user', 'reports *\nmanager 1']);
  const roles = shown.edges.find((e) => e.id === 'managed/user.roles<->managed/role.members')!;
  assert.deepEqual([roles.sourceLabel, roles.targetLabel], ['roles * ●', 'members * ◆']);
  const user = shown.nodes.find((n) => n.id === 'managed/user')!;
  assert.equal(user.label, 'User\nuser · 7 relationships');
  // The ARIA mirror lists every node with its accessible name.
  const names = await view.page.$$eval('#outline-list button.outline-item.node', (buttons) => buttons.map((b) => b.getAttribute('aria-label')));
  assert.equal(names.length, graph.nodes.length);
  assert.ok(names.includes('User, user, 7 relationships'), names.join(' | '));
  assert.deepEqual(view.errors, []);
  await view.page.close();
});

test('a broken pair is drawn in the theme\'s error colour with the problem in its tooltip', async () => {
  const view = await openWebview(browser, { theme: 'dark' });
  const { uri, graph } = fixtureGraph(PREPROD_COPY);
  await view.send({ type: 'graph', documentUri: uri, documentName: 'managed.json', graph });
  const shown = await drawn(view.page);
  const broken = shown.edges.find((e) => e.id === 'managed/preproduser.roles->managed/role.members')!;
  assert.ok(broken.classes.includes('broken'));
  // Dark theme --vscode-errorForeground is #f85149.
  assert.equal(broken.lineColor, 'rgb(248,81,73)');
  const healthy = shown.edges.find((e) => e.id === 'managed/role.members<->managed/user.roles')!;
  assert.ok(!healthy.classes.includes('broken'));
  assert.notEqual(healthy.lineColor, 'rgb(248,81,73)');
  // Hovering shows the checker's message.
  const point = await pagePointOf(view.page, broken.id, 0.5);
  await view.page.mouse.move(point.x, point.y);
  await view.page.waitForSelector('#tooltip:not([hidden])');
  const tooltip = await view.page.textContent('#tooltip');
  assert.match(tooltip ?? '', /error reverse-missing-back-path: .*does not list `managed\/preproduser`/);
  await view.page.close();
});

test('clicking a node or an edge end asks the host to reveal its definition', async () => {
  const view = await openWebview(browser);
  const { uri, graph } = fixtureGraph(IDM_ONLY);
  await view.send({ type: 'graph', documentUri: uri, documentName: 'managed.json', graph });
  const role = await pagePointOf(view.page, 'managed/role');
  await view.page.mouse.click(role.x, role.y);
  assert.deepEqual(await view.waitForPosted('reveal'), { type: 'reveal', target: { kind: 'node', id: 'managed/role' } });

  const edge = 'managed/role.assignments<->managed/assignment.roles';
  const nearTarget = await pagePointOf(view.page, edge, 0.8);
  await view.page.mouse.click(nearTarget.x, nearTarget.y);
  assert.deepEqual(await view.waitForPosted('reveal', 2), { type: 'reveal', target: { kind: 'edge', id: edge, end: 'target' } });
  const nearSource = await pagePointOf(view.page, edge, 0.2);
  await view.page.mouse.click(nearSource.x, nearSource.y);
  assert.deepEqual(await view.waitForPosted('reveal', 3), { type: 'reveal', target: { kind: 'edge', id: edge, end: 'source' } });
  await view.page.close();
});

test('keyboard: Tab reaches the nodes in the list, focus selects in the graph, Enter reveals', async () => {
  const view = await openWebview(browser);
  const { uri, graph } = fixtureGraph(IDM_ONLY);
  await view.send({ type: 'graph', documentUri: uri, documentName: 'managed.json', graph });
  await view.page.focus('#outline-list button.outline-item.node');
  // The first node is focused; Tab moves through toggles and nodes.
  for (let i = 0; i < 2; i++) await view.page.keyboard.press('Tab');
  const focused = await view.page.evaluate(() => (globalThis as any).document.activeElement.dataset.id);
  assert.equal(focused, 'managed/role');
  const selected = await view.page.evaluate(() => (globalThis as any).__idmGraph.selected());
  assert.deepEqual(selected, ['managed/role']);
  await view.page.keyboard.press('Enter');
  assert.deepEqual(await view.waitForPosted('reveal'), { type: 'reveal', target: { kind: 'node', id: 'managed/role' } });
  // The disclosure lists the node's relationships as buttons too.
  await view.page.keyboard.press('Shift+Tab');
  await view.page.keyboard.press('Enter');
  const edgeLabels = await view.page.$$eval('.outline-edges button', (buttons) => buttons.map((b) => b.textContent));
  assert.deepEqual(edgeLabels, ['members * ◆ ⟷ roles * ●', 'assignments * ● » members ⟷ roles * ◆']);
  await view.page.close();
});

test('selecting a property in the editor highlights its edge', async () => {
  const view = await openWebview(browser);
  const { uri, graph } = fixtureGraph(IDM_ONLY);
  await view.send({ type: 'graph', documentUri: uri, documentName: 'managed.json', graph });
  await view.send({ type: 'highlight', nodeIds: [], edgeIds: ['managed/user.reports<->managed/user.manager'] });
  const shown = await drawn(view.page);
  const highlighted = shown.edges.filter((e) => e.classes.includes('highlighted')).map((e) => e.id);
  assert.deepEqual(highlighted, ['managed/user.reports<->managed/user.manager']);
  assert.equal(shown.edges.find((e) => e.id === highlighted[0])!.lineColor, 'rgb(0,95,184)');
  const current = await view.page.$$eval('[aria-current="true"]', (items) => items.length);
  assert.equal(current, 0, 'the edge is in a collapsed part of the list');
  await view.page.close();
});

test('edits keep the positions of existing nodes and place new ones on a free spot', async () => {
  const view = await openWebview(browser);
  const first = fixtureGraph(IDM_ONLY);
  await view.send({ type: 'graph', documentUri: first.uri, documentName: 'managed.json', graph: first.graph });
  const positions = () => nodePositions(view.page);
  const before = await positions();
  // The user's edit: a new type `device` owned by users.
  const edited = first.text.replace('"objects" : [', `"objects" : [ { "name": "device", "schema": { "title": "Device", "properties": { "owner": { "type": "relationship", "resourceCollection": [ { "path": "managed/user", "query": { "queryFilter": "true", "fields": [] } } ] } } } },`);
  assert.notEqual(edited, first.text);
  const second = textGraph(edited, first.uri);
  await view.send({ type: 'graph', documentUri: first.uri, documentName: 'managed.json', graph: second.graph });
  const after = await positions();
  for (const [id, point] of Object.entries(before)) assert.deepEqual(after[id], point, `${id} moved`);
  assert.ok(after['managed/device'], 'the new type is drawn');
  const box = (id: string) => view.page.evaluate((n) => (globalThis as any).__idmGraph.renderer.boxOf([n]), id);
  const device = await box('managed/device');
  for (const id of Object.keys(before)) {
    const other = await box(id);
    const overlap = device.x1 < other.x2 && other.x1 < device.x2 && device.y1 < other.y2 && other.y1 < device.y2;
    assert.ok(!overlap, `device overlaps ${id}`);
  }
  assert.equal(await view.page.evaluate(() => (globalThis as any).document.body.dataset.layout), 'incremental');
  // The new edge is routed around the nodes (orthogonal, through no other node), not drawn straight.
  const scene = await view.page.evaluate(() => (globalThis as any).__idmGraph.scene());
  const route = scene.edges.find(([id]: [string]) => id.startsWith('managed/device.owner'))[1];
  assert.equal(route.routed, true);
  const points: Array<{ x: number; y: number }> = route.points;
  for (let k = 0; k + 1 < points.length; k++) {
    const [a, b] = [points[k], points[k + 1]];
    assert.ok(Math.abs(a.x - b.x) < 0.01 || Math.abs(a.y - b.y) < 0.01, 'orthogonal');
    for (const [id, n] of scene.nodes as Array<[string, { x: number; y: number; width: number; height: number }]>) {
      if (id === 'managed/device' || id === 'managed/user') continue;
      const crosses = Math.min(a.x, b.x) < n.x + n.width / 2 && Math.max(a.x, b.x) > n.x - n.width / 2 && Math.min(a.y, b.y) < n.y + n.height / 2 && Math.max(a.y, b.y) > n.y - n.height / 2;
      assert.ok(!crosses, `the new edge runs through ${id}`);
    }
  }
  await view.page.close();
});

test('search, focus to a depth and realm collapsing', async () => {
  const view = await openWebview(browser);
  const { uri, graph } = fixtureGraph(AIC_TEMPLATE);
  await view.send({ type: 'graph', documentUri: uri, documentName: 'managed.json', graph });
  assert.equal(await view.page.isVisible('#realms-toggle'), true);
  await view.page.check('#collapse-realms');
  await view.page.waitForFunction(() => (globalThis as any).__idmGraph.scene().nodes.some(([id]: [string]) => id === 'realm:alpha'));
  let shown = await drawn(view.page);
  assert.deepEqual(shown.nodes.map((n) => n.id).sort(), ['internal/role', 'managed/teammember', 'managed/teammembergroup', 'managed/teammembermeta', 'realm:alpha', 'realm:bravo']);
  await view.page.uncheck('#collapse-realms');

  await view.page.fill('#search', 'org');
  await view.page.waitForFunction(() => (globalThis as any).__idmGraph.scene().nodes.length < 10);
  shown = await drawn(view.page);
  assert.deepEqual(shown.nodes.map((n) => n.id).sort(), ['managed/alpha_organization', 'managed/alpha_user', 'managed/bravo_organization', 'managed/bravo_user']);
  await view.page.click('#show-all');

  await view.page.focus('#outline-list button.outline-item[data-id="managed/alpha_assignment"]');
  await view.page.selectOption('#depth', '1');
  await view.page.click('#focus');
  shown = await drawn(view.page);
  assert.deepEqual(shown.nodes.map((n) => n.id).sort(), ['managed/alpha_assignment', 'managed/alpha_role']);
  await view.page.selectOption('#depth', '2');
  shown = await drawn(view.page);
  assert.deepEqual(shown.nodes.map((n) => n.id).sort(), ['managed/alpha_assignment', 'managed/alpha_role', 'managed/alpha_user', 'managed/teammember']);
  await view.page.close();
});

test('messages that do not have the expected shape are ignored', async () => {
  const view = await openWebview(browser);
  const { uri, graph } = fixtureGraph(IDM_ONLY);
  await view.send({ type: 'graph', documentUri: uri, documentName: 'managed.json', graph });
  if (graph.view !== 'schema') return;
  const tampered = { ...graph, nodes: [...graph.nodes, { ...graph.nodes[0], id: 42 }] };
  await view.send({ type: 'graph', documentUri: uri, documentName: 'managed.json', graph: tampered });
  await view.send({ type: 'highlight', nodeIds: 'managed/user', edgeIds: [] });
  await view.send({ type: 'run', code: 'alert(1)' });
  const shown = await drawn(view.page);
  assert.equal(shown.nodes.length, graph.nodes.length);
  const logs = (await view.posted()).filter((m) => m.type === 'log');
  assert.equal(logs.length, 3);
  assert.deepEqual(await view.page.evaluate(() => (globalThis as any).__alerts), []);
  await view.page.close();
});

test('the theme follows VS Code: a switch to dark recolours the graph', async () => {
  const view = await openWebview(browser);
  const { uri, graph } = fixtureGraph(IDM_ONLY);
  await view.send({ type: 'graph', documentUri: uri, documentName: 'managed.json', graph });
  const background = async () => (await drawn(view.page)).nodes.find((n) => n.id === 'managed/user')!.fill;
  assert.equal(await background(), 'rgb(248,248,248)');
  await view.setTheme('dark');
  assert.equal(await background(), 'rgb(32,32,32)');
  await view.page.close();
});

test('the same configuration seen from another of its files keeps its layout', async () => {
  const view = await openWebview(browser);
  const { uri, graph } = fixtureGraph(IDM_ONLY);
  await view.send({ type: 'graph', documentUri: uri, documentName: 'managed.json', graph });
  const positions = () => nodePositions(view.page);
  // The user drags a node to the right by hand.
  const start = await pagePointOf(view.page, 'managed/assignment');
  const before = await positions();
  await view.page.mouse.move(start.x, start.y);
  await view.page.mouse.down();
  for (let i = 1; i <= 10; i++) await view.page.mouse.move(start.x + i * 15, start.y);
  await view.page.mouse.up();
  await settled(view.page);
  const arranged = await positions();
  assert.ok(arranged['managed/assignment'].x > before['managed/assignment'].x + 50, 'the node moved with the mouse');
  assert.equal(arranged['managed/role'].x, before['managed/role'].x, 'the other nodes stay');
  await view.send({ type: 'graph', documentUri: uri.replace('managed.json', 'internal.json'), documentName: 'internal.json', graph });
  assert.deepEqual(await positions(), arranged);
  assert.equal(await view.page.evaluate(() => (globalThis as any).document.body.dataset.layout), 'none');
  // A reload of the webview restores the arrangement from its saved state.
  const state = await view.page.evaluate(() => (globalThis as any).__state);
  const reloaded = await openWebview(browser, { state });
  await reloaded.send({ type: 'graph', documentUri: uri, documentName: 'managed.json', graph });
  assert.deepEqual(await nodePositions(reloaded.page), arranged);
  await view.page.close();
  await reloaded.page.close();
});
