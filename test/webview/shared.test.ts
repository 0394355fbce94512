/** The webview's pure parts, in Node: message validation, editor links, filters, layout, exports, page, throttle. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFilters, collapseRealms, focusOn, realmsOf } from '../../client/webview/shared/filters';
import { contentSecurityPolicy, makeNonce, webviewHtml } from '../../client/webview/shared/html';
import { forceLayout, placeNewNodes, type LayoutNode, type Point } from '../../client/webview/shared/layout';
import { toMermaid } from '../../client/webview/shared/mermaid';
import { isPersistedState, isWireGraph, MAX_EXPORT_LENGTH, parseHostMessage, parseWebviewMessage } from '../../client/webview/shared/messages';
import { elementsAt, locationOf } from '../../client/webview/shared/selection';
import { routeAround } from '../../client/webview/shared/graphLayout';
import { isLayoutKey, LAYOUT_CACHE_SIZE, layoutKey, rememberLayout, type CachedLayout } from '../../client/webview/shared/layoutCache';
import { keepsRasterWhileMoving } from '../../client/webview/shared/rasterHint';
import { escapeXml } from '../../client/webview/shared/svg';
import { Throttle, type TimerApi } from '../../client/webview/shared/throttle';
import { endLabel, schemaView } from '../../client/webview/shared/viewModel';
import { AIC_TEMPLATE, fixtureGraph, IDM_ONLY, simulationGraph, SCENARIO_URI } from './graphs';

test('webview messages: only known types with the right shape pass', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(parseWebviewMessage({ type: 'reveal', target: { kind: 'edge', id: 'a', end: 'target' } }), { type: 'reveal', target: { kind: 'edge', id: 'a', end: 'target' } });
  assert.equal(parseWebviewMessage({ type: 'reveal', target: { kind: 'file', id: '/etc/passwd' } }), undefined);
  assert.equal(parseWebviewMessage({ type: 'reveal', target: { kind: 'node', id: 7 } }), undefined);
  assert.equal(parseWebviewMessage({ type: 'reveal', target: { kind: 'edge', id: 'a', end: 'middle' } }), undefined);
  assert.equal(parseWebviewMessage({ type: 'export', format: 'svg', data: 'not svg' }), undefined);
  assert.ok(parseWebviewMessage({ type: 'export', format: 'svg', data: '<?xml version="1.0"?><svg/>' }));
  assert.ok(parseWebviewMessage({ type: 'export', format: 'png', data: 'data:image/png;base64,iVBORw0KGgo=' }));
  assert.equal(parseWebviewMessage({ type: 'export', format: 'png', data: 'data:text/html;base64,PHNjcmlwdD4=' }), undefined);
  assert.equal(parseWebviewMessage({ type: 'export', format: 'svg', data: `<${'x'.repeat(MAX_EXPORT_LENGTH)}` }), undefined);
  assert.equal(parseWebviewMessage({ type: 'export', format: 'pdf', data: '<x/>' }), undefined);
  assert.equal(parseWebviewMessage({ type: 'copy', format: 'mermaid', text: 42 }), undefined);
  assert.equal(parseWebviewMessage({ type: 'runCommand', command: 'workbench.action.terminal.new' }), undefined);
  assert.equal(parseWebviewMessage(null), undefined);
  assert.equal(parseWebviewMessage('ready'), undefined);
});

test('host messages: graphs are checked field by field', () => {
  const { uri, graph } = fixtureGraph(IDM_ONLY);
  assert.ok(isWireGraph(graph));
  assert.ok(isWireGraph(JSON.parse(JSON.stringify(simulationGraph()))));
  assert.ok(parseHostMessage({ type: 'graph', documentUri: uri, documentName: 'managed.json', graph }));
  if (graph.view !== 'schema') throw new Error('schema graph expected');
  const broken = (mutate: (copy: any) => void) => {
    const copy = JSON.parse(JSON.stringify(graph));
    mutate(copy);
    return parseHostMessage({ type: 'graph', documentUri: uri, documentName: 'x', graph: copy });
  };
  assert.equal(broken((g) => { g.nodes[0].id = 1; }), undefined);
  assert.equal(broken((g) => { g.edges[0].direction = 'sideways'; }), undefined);
  assert.equal(broken((g) => { g.edges[0].sourceEnd.location.range.start.line = -1; }), undefined);
  assert.equal(broken((g) => { g.edges[0].problems = [{ code: 'x', severity: 'fatal', message: 'm' }]; }), undefined);
  assert.equal(broken((g) => { g.view = 'other'; }), undefined);
  assert.equal(parseHostMessage({ type: 'highlight', nodeIds: ['a'], edgeIds: 'b' }), undefined);
  assert.deepEqual(parseHostMessage({ type: 'empty', reason: 'r' }), { type: 'empty', documentUri: undefined, reason: 'r' });
  const simulation = JSON.parse(JSON.stringify(simulationGraph()));
  simulation.steps[1].edges[0].refProperties = { nested: { fn: 'ok', n: Number.NaN } };
  assert.equal(isWireGraph(simulation), false, 'refProperties must be plain JSON');
});

test('persisted state is read back only when it has the expected shape', () => {
  assert.ok(isPersistedState({ documentUri: 'file:///a.json', positions: { 'schema:file:///a.json': { 'managed/user': [1, 2] } }, search: '', focusDepth: 1, collapseRealms: false }));
  assert.equal(isPersistedState({ positions: { k: { n: [1] } }, search: '', focusDepth: 1, collapseRealms: false }), false);
  assert.equal(isPersistedState({ positions: {}, search: '', focusDepth: -1, collapseRealms: false }), false);
});

test('editor selection: the property under the cursor selects its edge; elsewhere in a type, the node', () => {
  const { uri, text, graph } = fixtureGraph(IDM_ONLY);
  const at = (needle: string, delta = 2) => {
    const offset = text.indexOf(needle) + delta;
    const before = text.slice(0, offset).split('\n');
    return { line: before.length - 1, character: before[before.length - 1].length };
  };
  assert.deepEqual(elementsAt(graph, uri, at('"manager" : {')), { nodeIds: [], edgeIds: ['managed/user.reports<->managed/user.manager'] });
  // Inside the manager definition, on its resourceCollection.
  const inside = at('"manager" : {', text.slice(text.indexOf('"manager" : {')).indexOf('"resourceCollection"'));
  assert.deepEqual(elementsAt(graph, uri, inside).edgeIds, ['managed/user.reports<->managed/user.manager']);
  assert.deepEqual(elementsAt(graph, uri, at('"userName" : {')), { nodeIds: ['managed/user'], edgeIds: [] });
  assert.deepEqual(elementsAt(graph, 'file:///elsewhere.json', at('"manager" : {')), { nodeIds: [], edgeIds: [] });
});

test('reveal targets resolve only against the graph the host sent', () => {
  const { uri, text, graph } = fixtureGraph(IDM_ONLY);
  const line = (location: ReturnType<typeof locationOf>) => text.split('\n')[location!.range.start.line].slice(location!.range.start.character, location!.range.end.character);
  const id = 'managed/user.reports<->managed/user.manager';
  assert.equal(line(locationOf(graph, { kind: 'edge', id, end: 'source' })), '"reports"');
  assert.equal(line(locationOf(graph, { kind: 'edge', id, end: 'target' })), '"manager"');
  assert.equal(line(locationOf(graph, { kind: 'node', id: 'managed/role' })), '"role"');
  assert.equal(locationOf(graph, { kind: 'node', id: 'managed/nope' }), undefined);
  assert.equal(locationOf(graph, { kind: 'step', id: '0' }), undefined);
  assert.equal(locationOf(graph, { kind: 'edge', id, end: 'source' })!.uri, uri);
  const simulation = simulationGraph();
  assert.equal(locationOf(simulation, { kind: 'step', id: '1' })?.uri, SCENARIO_URI);
  assert.equal(locationOf(simulation, { kind: 'step', id: '1e3' }), undefined);
  assert.ok(locationOf(simulation, { kind: 'node', id: 'managed/user/bjensen', step: 0 }));
  assert.equal(locationOf(simulation, { kind: 'node', id: 'managed/user/psmith', step: 0 }), undefined, 'not there yet in step 1');
});

test('the refresh throttle: the first change at once, then at most one per interval', () => {
  let now = 0;
  const timers: Array<{ at: number; run: () => void } | undefined> = [];
  const fake: TimerApi = {
    now: () => now,
    setTimeout: (run, ms) => timers.push({ at: now + ms, run }) - 1,
    clearTimeout: (handle) => { timers[handle as number] = undefined; },
  };
  const advance = (ms: number) => {
    now += ms;
    for (let i = 0; i < timers.length; i++) {
      const timer = timers[i];
      if (timer && timer.at <= now) {
        timers[i] = undefined;
        timer.run();
      }
    }
  };
  const runs: number[] = [];
  const throttle = new Throttle(300, () => runs.push(now), fake);
  throttle.trigger();
  assert.deepEqual(runs, [0]);
  advance(50); throttle.trigger();
  advance(50); throttle.trigger();
  advance(100); throttle.trigger();
  assert.deepEqual(runs, [0]);
  advance(100);
  assert.deepEqual(runs, [0, 300]);
  advance(1000); throttle.trigger();
  assert.deepEqual(runs, [0, 300, 1300]);
  throttle.trigger();
  throttle.flush();
  assert.deepEqual(runs, [0, 300, 1300, 1300]);
  advance(1000);
  assert.equal(runs.length, 4, 'flush dropped the pending run');
});

test('filters: realms collapse into one node each, focus keeps neighbours to a depth, search keeps matches', () => {
  const { graph } = fixtureGraph(AIC_TEMPLATE);
  if (graph.view !== 'schema') throw new Error('schema graph expected');
  const view = schemaView(graph);
  assert.deepEqual([...realmsOf(view)], [['alpha', 5], ['bravo', 5]]);
  const collapsed = collapseRealms(view);
  assert.deepEqual(collapsed.nodes.map((n) => n.id).sort(), ['internal/role', 'managed/teammember', 'managed/teammembergroup', 'managed/teammembermeta', 'realm:alpha', 'realm:bravo']);
  const merged = collapsed.edges.filter((e) => e.id.startsWith('merged:'));
  assert.ok(merged.some((e) => e.midLabel === '7 relationships' && e.source === 'realm:alpha' && e.target === 'realm:alpha'), merged.map((e) => `${e.id} ${e.midLabel}`).join(' | '));
  // teammember.authzRoles -> alpha_role is broken; its merged edge into the alpha realm says so.
  const intoAlpha = collapsed.edges.find((e) => (e.source === 'managed/teammember' && e.target === 'realm:alpha'))!;
  assert.equal(intoAlpha.broken, true);

  assert.deepEqual(focusOn(view, 'managed/alpha_assignment', 1).nodes.map((n) => n.id), ['managed/alpha_role', 'managed/alpha_assignment']);
  assert.equal(focusOn(view, 'managed/alpha_assignment', 0).nodes.length, 10, 'all = the connected component (internal/role joins both realms)');
  assert.deepEqual(applyFilters(view, { search: 'TEAMMEMBER', collapseRealms: false }).nodes.map((n) => n.id), ['managed/teammembergroup', 'managed/teammember', 'managed/teammembermeta']);
  assert.equal(applyFilters(view, { search: '', collapseRealms: false }), view);
});

test('force layout: deterministic, and no two boxes overlap', () => {
  const nodes: LayoutNode[] = Array.from({ length: 60 }, (_, i) => ({ id: `n${i}`, width: 80 + (i % 5) * 20, height: 40 }));
  const edges = nodes.flatMap((node, i) => [{ source: node.id, target: `n${(i * 7 + 3) % 60}` }, { source: node.id, target: `n${(i + 1) % 60}` }]);
  const first = forceLayout(nodes, edges);
  assert.deepEqual([...forceLayout(nodes, edges)], [...first]);
  let overlaps = 0;
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) {
      const a = first.get(nodes[i].id)!;
      const b = first.get(nodes[j].id)!;
      if (Math.abs(a.x - b.x) * 2 < nodes[i].width + nodes[j].width && Math.abs(a.y - b.y) * 2 < nodes[i].height + nodes[j].height) overlaps++;
    }
  }
  assert.equal(overlaps, 0);
});

test('placing new nodes: known ones stay, new ones go next to their neighbours without overlapping', () => {
  const nodes: LayoutNode[] = ['a', 'b', 'c', 'new1', 'new2', 'lonely'].map((id) => ({ id, width: 100, height: 40 }));
  const known = new Map<string, Point>([['a', { x: 0, y: 0 }], ['b', { x: 300, y: 0 }], ['c', { x: 600, y: 0 }]]);
  const edges = [{ source: 'new1', target: 'b' }, { source: 'new2', target: 'new1' }];
  const placed = placeNewNodes(nodes, edges, known);
  for (const [id, point] of known) assert.deepEqual(placed.get(id), point);
  const near = (id: string, other: string) => Math.hypot(placed.get(id)!.x - placed.get(other)!.x, placed.get(id)!.y - placed.get(other)!.y);
  assert.ok(near('new1', 'b') < near('new1', 'a') && near('new1', 'b') < near('new1', 'c'), 'new1 sits by b');
  assert.ok(near('new2', 'new1') < 250, 'new2 sits by new1');
  assert.ok(placed.get('lonely')!.y > 20, 'an unconnected new node goes below');
  const boxes = nodes.map((n) => ({ ...placed.get(n.id)!, n }));
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const overlap = Math.abs(boxes[i].x - boxes[j].x) < 100 && Math.abs(boxes[i].y - boxes[j].y) < 40;
      assert.ok(!overlap, `${boxes[i].n.id} overlaps ${boxes[j].n.id}`);
    }
  }
});

test('routing a new edge: orthogonal, around the node between its ends, from the middle of a side, label clear', () => {
  const source = { x: 0, y: 0, width: 100, height: 40 };
  const target = { x: 400, y: 0, width: 100, height: 40 };
  const between = { x: 200, y: 0, width: 120, height: 60 };
  const route = routeAround(source, target, [source, target, between], { width: 50, height: 18 })!;
  assert.ok(route.routed);
  const points = route.points;
  for (let k = 0; k + 1 < points.length; k++) {
    const [a, b] = [points[k], points[k + 1]];
    assert.ok(Math.abs(a.x - b.x) < 0.01 || Math.abs(a.y - b.y) < 0.01, 'orthogonal');
    const crosses = Math.min(a.x, b.x) < between.x + between.width / 2 && Math.max(a.x, b.x) > between.x - between.width / 2
      && Math.min(a.y, b.y) < between.y + between.height / 2 && Math.max(a.y, b.y) > between.y - between.height / 2;
    assert.ok(!crosses, `segment ${k} runs through the node between`);
  }
  // It starts and ends on the ends' borders, at the middle of a side.
  assert.ok(points[0].x === source.x || Math.abs(points[0].y - source.y) < 0.01);
  assert.ok(points[points.length - 1].x === target.x || Math.abs(points[points.length - 1].y - target.y) < 0.01);
  const label = route.label!;
  assert.ok(Math.abs(label.x - between.x) * 2 >= label.width + between.width || Math.abs(label.y - between.y) * 2 >= label.height + between.height, 'the label is clear of the node');
  // Nothing in the way: one straight segment.
  assert.equal(routeAround(source, target, [source, target], undefined)!.points.length, 2);
});

test('XML escaping for the SVG export: markup, quotes and characters XML forbids', () => {
  assert.equal(escapeXml('<script>a & "b" o\'k</script>'), '&lt;script&gt;a &amp; &quot;b&quot; o&apos;k&lt;/script&gt;');
  assert.equal(escapeXml('a\u0000b\u001Fc\tok'), 'abc\tok');
});

test('Mermaid: generated ids, entity-coded labels, broken links styled', () => {
  const { graph } = fixtureGraph('tahahasan88_idmapi/conf/managed.json');
  if (graph.view !== 'schema') throw new Error('schema graph expected');
  const text = toMermaid(schemaView(graph));
  const lines = text.trim().split('\n');
  assert.equal(lines[0], 'flowchart LR');
  assert.equal(lines.filter((l) => /^ {2}n\d+\["/.test(l)).length, graph.nodes.length);
  assert.equal(lines.filter((l) => /^ {2}n\d+ (<-->|-->)/.test(l)).length, graph.edges.length);
  assert.match(text, /n4 <-->\|roles \* ● \/ members \*\| n2/);
  const broken = graph.edges.map((e, i) => (e.broken ? i : -1)).filter((i) => i >= 0);
  assert.ok(text.includes(`linkStyle ${broken.join(',')} stroke:#d13438`));
});

test('end labels: cardinality and the three notification marks', () => {
  const end = { property: 'assignments', cardinality: 'many' as const, notifySelf: true, notify: true, notifyRelationships: ['members', 'owners'], declared: true };
  assert.equal(endLabel(end), 'assignments * ● ◆ » members, owners');
  assert.equal(endLabel({ ...end, cardinality: 'one', notifySelf: false, notify: false, notifyRelationships: [], declared: false }, '(built in)'), 'assignments 1 (built in)');
});

test('the page: strict CSP, one nonce-bearing script, no inline handlers or styles', () => {
  const csp = contentSecurityPolicy('https://x.vscode-cdn.net', 'abc');
  assert.equal(csp, "default-src 'none'; script-src 'nonce-abc'; style-src https://x.vscode-cdn.net; img-src https://x.vscode-cdn.net data:; font-src https://x.vscode-cdn.net; worker-src blob:");
  const nonce = makeNonce((size) => Uint8Array.from({ length: size }, (_, i) => i * 37));
  assert.match(nonce, /^[A-Za-z0-9]{32}$/);
  const html = webviewHtml({ cspSource: 'https://x.vscode-cdn.net', nonce, scriptUri: 'https://x/dist/webview.js?a=1&b="2"', styleUri: 'https://x/dist/webview.css' });
  assert.equal((html.match(/<script/g) ?? []).length, 1);
  assert.ok(html.includes(`<script nonce="${nonce}" src="https://x/dist/webview.js?a=1&amp;b=&quot;2&quot;"></script>`));
  assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handler');
  assert.doesNotMatch(html, /\sstyle=|<style/i, 'no inline style');
  assert.doesNotMatch(csp, /unsafe-/);
});

test('layouts kept across panels: the key follows ELK\'s input, the host keeps the last few, messages are checked', () => {
  const graph = { id: 'root', layoutOptions: { 'elk.algorithm': 'layered' }, children: [{ id: 'a', width: 80, height: 40 }, { id: 'b', width: 80, height: 40 }] };
  const key = layoutKey(graph);
  assert.ok(isLayoutKey(key), key);
  assert.equal(layoutKey(structuredClone(graph)), key);
  // Any change ELK would see changes the key: a size (another font), an option (another panel shape), a node.
  assert.notEqual(layoutKey({ ...graph, children: [{ id: 'a', width: 81, height: 40 }, { id: 'b', width: 80, height: 40 }] }), key);
  assert.notEqual(layoutKey({ ...graph, layoutOptions: { 'elk.algorithm': 'layered', 'elk.aspectRatio': '2' } }), key);
  assert.notEqual(layoutKey({ ...graph, children: graph.children.slice(0, 1) }), key);

  const scene = (x: number) => ({ nodes: [['a', { x, y: 0, width: 80, height: 40 }]] as Array<[string, { x: number; y: number; width: number; height: number }]>, edges: [] });
  let list: CachedLayout[] = [];
  for (let i = 0; i < LAYOUT_CACHE_SIZE + 3; i++) list = rememberLayout(list, { key: `${i.toString(16)}-1`, scene: scene(i) });
  assert.equal(list.length, LAYOUT_CACHE_SIZE);
  assert.equal(list.at(-1)!.key, `${(LAYOUT_CACHE_SIZE + 2).toString(16)}-1`);
  // The same key again replaces its entry and becomes the most recent.
  list = rememberLayout(list, { key: list[0].key, scene: scene(99) });
  assert.equal(list.length, LAYOUT_CACHE_SIZE);
  assert.equal(list.at(-1)!.scene.nodes[0][1].x, 99);
  // A scene too large for the workspace's storage is not kept.
  const huge = { nodes: Array.from({ length: 20_000 }, (_, i) => [`managed/type${i}`, { x: i, y: i, width: 80, height: 40 }] as [string, { x: number; y: number; width: number; height: number }]), edges: [] };
  assert.equal(rememberLayout([], { key: 'ab-1', scene: huge }).length, 0);

  assert.deepEqual(parseWebviewMessage({ type: 'layout', key, scene: scene(1) }), { type: 'layout', key, scene: scene(1) });
  assert.equal(parseWebviewMessage({ type: 'layout', key: '../../etc', scene: scene(1) }), undefined);
  assert.equal(parseWebviewMessage({ type: 'layout', key, scene: { nodes: [['a', { x: 'far' }]], edges: [] } }), undefined);
  assert.deepEqual(parseHostMessage({ type: 'layouts', layouts: [{ key, scene: scene(1) }] }), { type: 'layouts', layouts: [{ key, scene: scene(1) }] });
  assert.equal(parseHostMessage({ type: 'layouts', layouts: [{ key, scene: null }] }), undefined);
  assert.equal(parseHostMessage({ type: 'layouts', layouts: 'all' }), undefined);
});

test('the raster hint while the view moves: only from the native scale up, dropped far into a zoom-out', () => {
  // Below the native scale Chromium would rasterise the whole view again at zoom 1 when the hint is given.
  assert.equal(keepsRasterWhileMoving(0.19, 0.19), false);
  assert.equal(keepsRasterWhileMoving(0.19, 0.6), false);
  assert.equal(keepsRasterWhileMoving(0.99, 1.2), false);
  // From it, zooming in, panning, or zooming out by up to half keep the tiles the drawing has.
  assert.equal(keepsRasterWhileMoving(1, 1), true);
  assert.equal(keepsRasterWhileMoving(1, 4), true);
  assert.equal(keepsRasterWhileMoving(2.8, 1.4), true);
  // Further out, the tiles coming into view would be rasterised at the starting scale: four times the panel and more.
  assert.equal(keepsRasterWhileMoving(2.8, 1.3), false);
  assert.equal(keepsRasterWhileMoving(4, 0.5), false);
});
