// The relationship graph of the forgeops sample: "Show Relationship Graph" opens a webview beside the config with a
// node per object type (the dangling `managed/roles` marked as a problem); the graph follows edits, so fixing the path
// with its quick fix takes the undefined type out. Screenshots of the panel go to test-results/.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { FrameLocator, Page } from 'playwright-core';
import { waitForGraph } from './graphSupport';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './codeServer';
import { openFile, runCommand, waitForProblems, webviewContent } from './workbench';
import { applyQuickFixAt, EXTENSION_ID, problemsOf, showTab, step, TempWorkspace, waitForLanguageStatus, withSession } from './scenarioSupport';

/** Saves the graph panel (the webview sits in an overlay above its editor group, not inside it) to test-results/. */
async function screenshotOfWebview(page: Page, name: string): Promise<string> {
  const dir = join(repoRoot(), 'test-results');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  const box = await page.locator('iframe.webview.ready').filter({ visible: true }).first().boundingBox();
  if (!box) throw new Error('the graph webview is not on screen');
  await page.screenshot({ path, clip: box });
  return path;
}

test('graph: the schema as nodes in a webview, following edits', async (t) => {
  const workspace = new TempWorkspace('graph').copy('samples/workspace/conf', 'conf');

  await withSession('graph', workspace, async ({ page }) => {
    let frame: FrameLocator | undefined;

    await step(t, 'Show Relationship Graph: a node per object type, the undefined managed/roles marked', async () => {
      await openFile(page, 'conf/managed.json');
      await waitForLanguageStatus(page);
      await runCommand(page, 'IDM Relationships: Show Relationship Graph');
      frame = await webviewContent(page, { extensionId: EXTENSION_ID });
      const graph = await waitForGraph(frame, (state) => state.nodes > 0);
      assert.deepEqual([...graph.outline].sort(), [
        'internal/role', 'managed/assignment', 'managed/device', 'managed/organization', 'managed/role', 'managed/roles', 'managed/user',
      ]);
      assert.equal(graph.nodes, graph.outline.length);
      assert.deepEqual(graph.problems, ['managed/roles']);
      assert.match(await frame.locator('#document-title').innerText(), /managed\.json/);
      // The graph is drawn (the SVG has a size and a box per listed type), not only listed.
      const canvas = await frame.locator('#graph svg').first().boundingBox();
      assert.ok(canvas && canvas.width > 100 && canvas.height > 100, JSON.stringify(canvas));
      await frame.locator('#graph svg g.node').nth(graph.outline.length - 1).waitFor({ state: 'attached' });
      await screenshotOfWebview(page, 'graph-e2e-schema');
    });

    await step(t, 'fixing the path in the editor takes managed/roles out of the graph', async () => {
      const problems = await waitForProblems(page, (all) => problemsOf(all, 'conf/managed.json').some((p) => p.code === 'resource-collection-unknown'));
      const problem = problemsOf(problems, 'conf/managed.json').find((p) => p.code === 'resource-collection-unknown')!;
      // Back to the config, which the graph opened beside.
      await showTab(page, 'managed.json');
      await applyQuickFixAt(page, problem, 'Change to `managed/role`');
      const graph = await waitForGraph(frame!, (state) => !state.outline.includes('managed/roles'));
      assert.deepEqual([...graph.outline].sort(), ['internal/role', 'managed/assignment', 'managed/device', 'managed/organization', 'managed/role', 'managed/user']);
      assert.deepEqual(graph.problems, []);
      await screenshotOfWebview(page, 'graph-e2e-fixed');
    });
  });
});
