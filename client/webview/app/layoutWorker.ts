/**
 * Runs ELK off the UI thread. ELK's own worker script (elkjs `lib/elk-worker.min.js`, unchanged) is bundled as
 * text and started from a `blob:` URL: a VS Code webview cannot start a worker from its resource origin, and the
 * CSP allows workers from `blob:` only. Requests carry an id; a newer request does not cancel an older one, the
 * caller drops answers it no longer wants.
 */
import elkWorkerSource from 'elk-worker-source';
import type { ElkGraph } from '../shared/graphLayout';

interface Pending {
  resolve(graph: ElkGraph): void;
  reject(error: Error): void;
}

export class LayoutWorker {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  private start(): Worker {
    if (this.worker) return this.worker;
    const url = URL.createObjectURL(new Blob([elkWorkerSource], { type: 'text/javascript' }));
    const worker = new Worker(url);
    URL.revokeObjectURL(url);
    worker.onmessage = (event: MessageEvent) => {
      const { id, data, error } = (event.data ?? {}) as { id?: number; data?: ElkGraph; error?: unknown };
      if (typeof id !== 'number') return;
      const waiting = this.pending.get(id);
      if (!waiting) return;
      this.pending.delete(id);
      if (error !== undefined || !data) waiting.reject(new Error(`ELK layout failed: ${describe(error)}`));
      else waiting.resolve(data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      for (const waiting of this.pending.values()) waiting.reject(new Error(`ELK worker error: ${event.message}`));
      this.pending.clear();
      worker.terminate();
      this.worker = undefined;
    };
    // ELK's worker knows no algorithm until told which to load (as elkjs's own API does first).
    worker.postMessage({ id: 0, cmd: 'register', algorithms: ['layered'] });
    this.worker = worker;
    return worker;
  }

  layout(graph: ElkGraph): Promise<ElkGraph> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, cmd: 'layout', graph, layoutOptions: {}, options: {} });
    });
  }

  /**
   * Lays out a small graph once, so the first real layout does not pay for compiling ELK (about half a second
   * on a slow machine): called when the page loads, while the host fetches the graph.
   */
  warmUp(): Promise<void> {
    const nodes = Array.from({ length: 6 }, (_, i) => ({ id: `w${i}`, width: 80, height: 40 }));
    const edges = nodes.slice(1).map((node, i) => ({ id: `we${i}`, sources: ['w0'], targets: [node.id], labels: [{ text: 'label', width: 50, height: 28 }] }));
    return this.layout({ id: 'warm-up', layoutOptions: { 'elk.algorithm': 'layered', 'elk.edgeRouting': 'ORTHOGONAL', 'elk.edgeLabels.placement': 'CENTER' }, children: nodes, edges })
      .then(() => undefined, () => undefined);
  }
}

function describe(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error) return String((error as { message: unknown }).message);
  return String(error);
}
