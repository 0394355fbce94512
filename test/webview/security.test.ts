/** Names from the config are text, never HTML; the CSP blocks anything that is not the bundle. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { drawn, launchBrowser, nextFrames, openWebview, pagePointOf } from './harness';
import { injectionGraph, INJECTION, INJECTION_TITLE } from './graphs';

let browser: Browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test('an HTML payload in a property name or title renders as those characters and runs nothing', async () => {
  const view = await openWebview(browser);
  const { uri, graph } = injectionGraph();
  await view.send({ type: 'graph', documentUri: uri, documentName: INJECTION, graph });

  const shown = await drawn(view.page);
  const edge = shown.edges[0];
  assert.equal(edge.sourceLabel, `${INJECTION} *`);
  assert.equal(shown.nodes.find((n) => n.id === 'managed/user')!.label, `${INJECTION_TITLE}\nuser · 1 relationship`);

  // The list mirror and the title show the characters.
  const texts = await view.page.$$eval('#outline-list button.outline-item', (buttons) => buttons.map((b) => b.textContent));
  assert.ok(texts.includes(`${INJECTION_TITLE} · user · 1 relationship`), texts.join(' | '));
  assert.equal(await view.page.textContent('#document-title'), `Relationships: ${INJECTION}`);
  await view.page.click('#outline-list button.outline-toggle[data-toggle="managed/user"]');
  const edgeTexts = await view.page.$$eval('.outline-edges button', (buttons) => buttons.map((b) => b.textContent));
  assert.deepEqual(edgeTexts, [`${INJECTION} * ⟷ members *`]);

  // Hover: the tooltip holds the payload as text.
  const point = await pagePointOf(view.page, edge.id, 0.5);
  await view.page.mouse.move(point.x, point.y);
  await view.page.waitForSelector('#tooltip:not([hidden])');
  assert.match((await view.page.textContent('#tooltip')) ?? '', /<img src=x onerror=alert\(1\)>/);

  // Nothing was parsed as markup, nothing ran, nothing was even attempted against the CSP.
  assert.equal(await view.page.$$eval('img, body script:not([src])', (found) => found.length), 0);
  assert.deepEqual(await view.page.evaluate(() => (globalThis as any).__alerts), []);
  assert.deepEqual(await view.page.evaluate(() => (globalThis as any).__cspViolations), []);
  assert.deepEqual(view.errors, []);
  await view.page.close();
});

test('the CSP blocks an injected inline script, an inline handler and a foreign script', async () => {
  const view = await openWebview(browser);
  await view.page.evaluate(() => {
    const doc = (globalThis as any).document;
    const script = doc.createElement('script');
    script.textContent = 'globalThis.__inlineRan = true';
    doc.body.append(script);
    const holder = doc.createElement('div');
    holder.innerHTML = '<img src="data:image/png;base64,iVBORw0KGgo=" onerror="globalThis.__handlerRan = true">';
    doc.body.append(holder);
    const foreign = doc.createElement('script');
    foreign.src = 'https://evil.example/x.js';
    doc.body.append(foreign);
  });
  await nextFrames(view.page);
  await view.page.waitForFunction(() => (globalThis as any).__cspViolations.length >= 3);
  assert.equal(await view.page.evaluate(() => (globalThis as any).__inlineRan), undefined);
  assert.equal(await view.page.evaluate(() => (globalThis as any).__handlerRan), undefined);
  const violations: Array<{ directive: string; blocked: string }> = await view.page.evaluate(() => (globalThis as any).__cspViolations);
  const directives = violations.map((v) => `${v.directive} ${v.blocked}`);
  assert.ok(directives.some((d) => d.startsWith('script-src-elem inline')), directives.join(' | '));
  assert.ok(directives.some((d) => d.startsWith('script-src-attr inline')), directives.join(' | '));
  assert.ok(directives.some((d) => d.includes('https://evil.example/x.js')), directives.join(' | '));
  await view.page.close();
});

test('an injected style element is blocked too', async () => {
  const view = await openWebview(browser);
  await view.page.evaluate(() => {
    const doc = (globalThis as any).document;
    const style = doc.createElement('style');
    style.textContent = 'body { display: none }';
    doc.head.append(style);
  });
  await view.page.waitForFunction(() => (globalThis as any).__cspViolations.some((v: { directive: string }) => v.directive.startsWith('style-src')));
  assert.equal(await view.page.evaluate(() => (globalThis as any).getComputedStyle((globalThis as any).document.body).display), 'flex');
  await view.page.close();
});
