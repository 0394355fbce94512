// Reading the relationship graph's webview the way a user sees it: its accessible label and the outline beside it.
import type { FrameLocator } from 'playwright-core';

export interface GraphState {
  /** From the graph's accessible label: "Relationship graph: N nodes, M edges ...". */
  nodes: number;
  edges: number;
  /** The outline beside the graph: one entry per node, by id (managed/user, internal/role, ...). */
  outline: string[];
  problems: string[];
}

export async function readGraph(frame: FrameLocator): Promise<GraphState | undefined> {
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
export async function waitForGraph(frame: FrameLocator, accept: (state: GraphState) => boolean, timeoutMs = 60_000): Promise<GraphState> {
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
