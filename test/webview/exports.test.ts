/** SVG, PNG and Mermaid exports from the drawn graph. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchBrowser, openWebview } from './harness';
import { fixtureGraph, IDM_ONLY, injectionGraph, INJECTION, PREPROD_COPY } from './graphs';

let browser: Browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test('the SVG export is valid SVG with every drawn node and edge, and names escaped', async () => {
  const view = await openWebview(browser);
  const { uri, graph } = fixtureGraph(PREPROD_COPY);
  if (graph.view !== 'schema') throw new Error('schema graph expected');
  await view.send({ type: 'graph', documentUri: uri, documentName: 'managed.json', graph });
  await view.page.click('#export-svg');
  const message = await view.waitForPosted('export');
  assert.equal(message.format, 'svg');
  // Parse it as the browser parses an SVG file.
  const parsed = await view.page.evaluate((svg) => {
    const g = globalThis as any;
    const doc = new g.DOMParser().parseFromString(svg, 'image/svg+xml');
    const root = doc.documentElement;
    return {
      error: doc.getElementsByTagName('parsererror').length,
      root: root.localName,
      namespace: root.namespaceURI,
      viewBox: root.getAttribute('viewBox'),
      nodes: doc.querySelectorAll('g.node').length,
      edges: doc.querySelectorAll('g.edge').length,
      texts: [...doc.querySelectorAll('g.node text')].map((t: any) => t.textContent),
      redPaths: [...doc.querySelectorAll('g.edge path')].filter((p: any) => p.getAttribute('stroke') === 'rgb(229,20,0)').length,
    };
  }, message.data);
  assert.equal(parsed.error, 0);
  assert.equal(parsed.root, 'svg');
  assert.equal(parsed.namespace, 'http://www.w3.org/2000/svg');
  assert.match(parsed.viewBox ?? '', /^-?[\d.]+ -?[\d.]+ [\d.]+ [\d.]+$/);
  assert.equal(parsed.nodes, graph.nodes.length);
  assert.equal(parsed.edges, graph.edges.length);
  assert.ok(parsed.texts.includes('PreProdUser'));
  // The three broken pairs keep the theme's error colour (light theme #e51400).
  assert.equal(parsed.redPaths, 3);
  await view.page.close();
});

test('names with markup survive the SVG export as text', async () => {
  const view = await openWebview(browser);
  const { uri, graph } = injectionGraph();
  await view.send({ type: 'graph', documentUri: uri, documentName: 'managed.json', graph });
  await view.page.click('#export-svg');
  const { data } = await view.waitForPosted('export');
  assert.ok(!data.includes(INJECTION), 'the raw payload must not appear unescaped');
  const texts = await view.page.evaluate((svg) => {
    const doc = new (globalThis as any).DOMParser().parseFromString(svg, 'image/svg+xml');
    return { error: doc.getElementsByTagName('parsererror').length, images: doc.getElementsByTagName('img').length, texts: [...doc.querySelectorAll('text')].map((t: any) => t.textContent) };
  }, data);
  assert.equal(texts.error, 0);
  assert.equal(texts.images, 0);
  assert.ok(texts.texts.includes(`${INJECTION} *`), texts.texts.join(' | '));
  await view.page.close();
});

test('the PNG export is a PNG data URL, the SVG export rasterised', async () => {
  const view = await openWebview(browser);
  const { uri, graph } = fixtureGraph(IDM_ONLY);
  await view.send({ type: 'graph', documentUri: uri, documentName: 'managed.json', graph });
  await view.page.click('#export-png');
  const message = await view.waitForPosted('export');
  assert.equal(message.format, 'png');
  assert.match(message.data, /^data:image\/png;base64,/);
  const bytes = Buffer.from(message.data.slice('data:image/png;base64,'.length), 'base64');
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.ok(bytes.length > 10_000, `a real picture, ${bytes.length} bytes`);
  await view.page.close();
});

test('Mermaid text: one line per node and edge, names as entity codes', async () => {
  const view = await openWebview(browser);
  const { uri, graph } = injectionGraph();
  await view.send({ type: 'graph', documentUri: uri, documentName: 'managed.json', graph });
  await view.page.click('#copy-mermaid');
  const { text } = await view.waitForPosted('copy');
  assert.equal(text, [
    'flowchart LR',
    '  n0["#60;script#62;alert#40;2#41;#60;/script#62; · user · 1 relationship"]',
    '  n1["Group · group · 1 relationship"]',
    '  n0 <-->|#60;img src=x onerror=alert#40;1#41;#62; * / members *| n1',
    '',
  ].join('\n'));
  await view.page.close();
});
