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
  /** Called once when ELK's script is loaded in the worker. */
  private onReady: (() => void) | undefined;

  private start(): Worker {
    if (this.worker) return this.worker;
    performance.mark('idm:worker-start');
    const url = URL.createObjectURL(new Blob([elkWorkerSource], { type: 'text/javascript' }));
    const worker = new Worker(url);
    URL.revokeObjectURL(url);
    worker.onmessage = (event: MessageEvent) => {
      const { id, data, error } = (event.data ?? {}) as { id?: number; data?: ElkGraph; error?: unknown };
      if (typeof id !== 'number') return;
      // The answer to 'register': the worker has parsed ELK's script and knows the layered algorithm.
      if (id === 0) {
        performance.mark('idm:elk-ready');
        const ready = this.onReady;
        this.onReady = undefined;
        ready?.();
        return;
      }
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
   * Starts the worker (ELK's script is parsed there, in parallel with the page receiving its graph) and, once ELK is
   * loaded, lays out a small graph so the first real layout does not pay for compiling ELK's layered code, unless
   * a real layout was asked for by then: the worker runs one layout at a time, and a warm-up queued before the real
   * graph would only delay its first frame.
   */
  warmUp(): Promise<void> {
    this.start();
    return new Promise<void>((resolve) => {
      this.onReady = () => {
        if (this.nextId > 1) {
          resolve();
          return;
        }
        const nodes = Array.from({ length: 6 }, (_, i) => ({ id: `w${i}`, width: 80, height: 40 }));
        const edges = nodes.slice(1).map((node, i) => ({ id: `we${i}`, sources: ['w0'], targets: [node.id], labels: [{ text: 'label', width: 50, height: 28 }] }));
        this.layout({ id: 'warm-up', layoutOptions: { 'elk.algorithm': 'layered', 'elk.edgeRouting': 'ORTHOGONAL', 'elk.edgeLabels.placement': 'CENTER' }, children: nodes, edges })
          .then(() => resolve(), () => resolve());
      };
    });
  }
}

function describe(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error) return String((error as { message: unknown }).message);
  return String(error);
}
