// The relationship graph of the forgeops sample: "Show Relationship Graph" opens a webview beside the config with a
// node per object type (the dangling `managed/roles` marked as a problem); the graph follows edits, so fixing the path
// with its quick fix takes the undefined type out. Screenshots of the panel go to test-results/.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { FrameLocator, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './codeServer';
import { openFile, runCommand, waitForProblems, webviewContent } from './workbench';
import { applyQuickFixAt, EXTENSION_ID, problemsOf, showTab, step, TempWorkspace, waitForLanguageStatus, withSession } from './scenarioSupport';

interface GraphState {
  /** From the graph's accessible label: "Relationship graph: N nodes, M edges ...". */
  nodes: number;
  edges: number;
  /** The outline beside the graph: one entry per node, by id (managed/user, internal/role, ...). */
  outline: string[];
  problems: string[];
}

async function readGraph(frame: FrameLocator): Promise<GraphState | undefined> {
  const label = (await frame.locator('#graph').getAttribute('aria-label', { timeout: 1_000 }).catch(() => null)) ?? '';
  const match = /(\d+) nodes?, (\d+) edges?/.exec(label);
  if (!match) return undefined;
  const items = frame.locator('.outline-item.node');
  return {
    nodes: Number(match[1]),
    edges: Number(match[2]),
    outline: await items.evaluateAll((elements) => elements.map((e) => (e as unknown as { getAttribute(n: string): string | null }).getAttribute('data-id') ?? '')),
    problems: await frame.locator('.outline-item.node.problem').evaluateAll((elements) =>
      elements.map((e) => (e as unknown as { getAttribute(n: string): string | null }).getAttribute('data-id') ?? '')),
  };
}

/** Waits until the webview's graph (re)rendered into a state `accept` holds for; the graph label changes with it. */
async function waitForGraph(frame: FrameLocator, accept: (state: GraphState) => boolean, timeoutMs = 60_000): Promise<GraphState> {
  const deadline = Date.now() + timeoutMs;
  let last: GraphState | undefined;
  for (;;) {
    last = await readGraph(frame);
    if (last && accept(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for the graph; last seen: ${JSON.stringify(last)}`);
    // The webview re-renders the outline and the label together: wait for the next change of the outline.
    await frame.locator('#outline-list').evaluate((element, ms) => new Promise<void>((done) => {
      type Observer = { observe(target: unknown, options: unknown): void; disconnect(): void };
      const ObserverClass = (globalThis as unknown as { MutationObserver: new (callback: () => void) => Observer }).MutationObserver;
      const observer = new ObserverClass(() => finish());
      const timer = setTimeout(() => finish(), ms);
      const finish = () => {
        observer.disconnect();
        clearTimeout(timer);
        done();
      };
      observer.observe(element, { childList: true, subtree: true, attributes: true });
    }), 1_000).catch(() => undefined);
  }
}

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
