/**
 * Screenshots of both views in the light and dark themes, at the width of a panel beside an editor, for the
 * documentation. They go to `out/screenshots/`; with `UPDATE_SCREENSHOTS=1` they replace
 * `docs/images/graph-{schema,simulation}-{light,dark}.png` and `graph-aic-light.png`.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { REPO_ROOT } from '../helpers/fixtures';
import { launchBrowser, nextFrames, openWebview, pagePointOf, type ThemeName } from './harness';
import { AIC_TEMPLATE, fixtureGraph, PREPROD_COPY, SCENARIO_URI, simulationGraph } from './graphs';

const folder = process.env.UPDATE_SCREENSHOTS === '1' ? path.join(REPO_ROOT, 'docs', 'images') : path.join(REPO_ROOT, 'out', 'screenshots');

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
  fs.mkdirSync(folder, { recursive: true });
});
after(async () => { await browser?.close(); });

/** At the width of a panel beside an editor (VS Code's default split of a 1,100-pixel editor area). */
const PANEL = { width: 550, height: 800 };

async function capture(view: 'schema' | 'simulation' | 'aic', theme: ThemeName): Promise<Buffer> {
  const page = await openWebview(browser, { theme, ...PANEL });
  if (view === 'aic') {
    const { uri, graph } = fixtureGraph(AIC_TEMPLATE);
    await page.send({ type: 'graph', documentUri: uri, documentName: 'managed.json', graph });
  } else if (view === 'schema') {
    const { uri, graph } = fixtureGraph(PREPROD_COPY);
    await page.send({ type: 'graph', documentUri: uri, documentName: 'managed.json', graph });
    // Hover the broken pair: its tooltip shows the checker's finding.
    const point = await pagePointOf(page.page, 'managed/preproduser.roles->managed/role.members', 0.55);
    await page.page.mouse.move(point.x, point.y);
    await page.page.waitForSelector('#tooltip:not([hidden])');
  } else {
    await page.send({ type: 'graph', documentUri: SCENARIO_URI, documentName: 'team.idmsim', graph: simulationGraph() });
    // Hover the edge the last write's notification travelled along.
    const id = await page.page.evaluate(() => (globalThis as any).document.querySelector('#graph g.edge.notification-path').dataset.id);
    const point = await pagePointOf(page.page, id, 0.45);
    await page.page.mouse.move(point.x, point.y);
    await page.page.waitForSelector('#tooltip:not([hidden])');
  }
  await nextFrames(page.page);
  const file = path.join(folder, `graph-${view}-${theme}.png`);
  const image = await page.page.screenshot({ path: file });
  assert.deepEqual(page.errors, []);
  await page.page.close();
  return image;
}

test('screenshots of the schema and simulation views in light and dark themes', async () => {
  const images: Record<string, Buffer> = {};
  for (const view of ['schema', 'simulation'] as const) {
    for (const theme of ['light', 'dark'] as const) images[`${view}-${theme}`] = await capture(view, theme);
  }
  images['aic-light'] = await capture('aic', 'light');
  for (const [name, image] of Object.entries(images)) {
    assert.deepEqual([...image.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], `${name} is a PNG`);
    assert.ok(image.length > 30_000, `${name} has content (${image.length} bytes)`);
  }
  assert.notDeepEqual(images['schema-light'], images['schema-dark']);
  console.log(`# screenshots written to ${path.relative(REPO_ROOT, folder)}`);
});
