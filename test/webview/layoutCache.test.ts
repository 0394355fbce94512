/**
 * Layouts kept across panel openings (client/webview/shared/layoutCache.ts): the page posts ELK's answer for the
 * host to keep, and a panel opened again on the same configuration draws it without running ELK; a layout for other
 * input, or one that does not place every node and edge, is not used.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { HostMessage } from '../../client/webview/shared/messages';
import { drawn, launchBrowser, nodePositions, openWebview, settled } from './harness';
import { AIC_TEMPLATE, fixtureGraph, IDM_ONLY } from './graphs';

let browser: Browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const layoutOf = (page: import('playwright-core').Page) => page.evaluate(() => (globalThis as any).document.body.dataset.layout as string);

test('a panel opened again on the same configuration draws the layout the first one posted, without ELK', async () => {
  const { uri, graph } = fixtureGraph(AIC_TEMPLATE);
  const message: HostMessage = { type: 'graph', documentUri: uri, documentName: 'managed.json', graph };
  const first = await openWebview(browser, { width: 550, height: 800, onReady: message });
  await first.waitForPosted('layout');
  await settled(first.page);
  assert.equal(await layoutOf(first.page), 'elk');
  const posted = await first.waitForPosted('layout');
  const positions = await nodePositions(first.page);
  const picture = await drawn(first.page);
  const viewport = await first.page.evaluate(() => (globalThis as any).__idmGraph.viewport());
  assert.deepEqual(first.errors, []);
  await first.page.close();

  const again = await openWebview(browser, { width: 550, height: 800, onReady: [{ type: 'layouts', layouts: [{ key: posted.key, scene: posted.scene }] }, message] });
  await again.page.waitForFunction(() => (globalThis as any).performance.getEntriesByName('idm:frame').length > 0);
  await settled(again.page);
  assert.equal(await layoutOf(again.page), 'cached');
  // The same picture, at the same first zoom, and nothing posted to keep again.
  assert.deepEqual(await nodePositions(again.page), positions);
  assert.deepEqual(await drawn(again.page), picture);
  assert.deepEqual(await again.page.evaluate(() => (globalThis as any).__idmGraph.viewport()), viewport);
  assert.equal((await again.posted()).filter((m) => m.type === 'layout').length, 0);
  assert.deepEqual(again.errors, []);
  await again.page.close();
});

test('a kept layout is used only for the input it was computed for, and only when it places everything', async () => {
  const aic = fixtureGraph(AIC_TEMPLATE);
  const first = await openWebview(browser, { width: 550, height: 800, onReady: { type: 'graph', documentUri: aic.uri, documentName: 'managed.json', graph: aic.graph } });
  const posted = await first.waitForPosted('layout');
  await first.page.close();

  // Another configuration: its own ELK layout, posted under another key.
  const other = fixtureGraph(IDM_ONLY);
  const view = await openWebview(browser, { width: 550, height: 800, onReady: [
    { type: 'layouts', layouts: [{ key: posted.key, scene: posted.scene }] },
    { type: 'graph', documentUri: other.uri, documentName: 'managed.json', graph: other.graph },
  ] });
  const otherPosted = await view.waitForPosted('layout');
  await settled(view.page);
  assert.equal(await layoutOf(view.page), 'elk');
  assert.notEqual(otherPosted.key, posted.key);
  await view.page.close();

  // The right key with a scene that lacks a node (a collision, or a damaged store): ELK lays the graph out.
  const damaged = { ...posted.scene, nodes: posted.scene.nodes.slice(1) };
  const third = await openWebview(browser, { width: 550, height: 800, onReady: [
    { type: 'layouts', layouts: [{ key: posted.key, scene: damaged }] },
    { type: 'graph', documentUri: aic.uri, documentName: 'managed.json', graph: aic.graph },
  ] });
  await third.waitForPosted('layout');
  await settled(third.page);
  assert.equal(await layoutOf(third.page), 'elk');
  assert.deepEqual(third.errors, []);
  await third.page.close();
});
