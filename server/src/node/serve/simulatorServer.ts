/**
 * The relationship simulator as an HTTP server (Node's own `http`): `idm-rel serve` and the tests. The socket side
 * only: reading bodies within a limit, timing and logging each request, and writing answers. What a request means
 * and what is answered is `core/serve/httpExchange.ts` and the one scenario runner (`ScenarioRun`), so the server
 * answers exactly as the simulator does.
 *
 * Every request is answered from start to end in one turn of the event loop, once its body has arrived: the
 * simulator is single-threaded and each request is a transaction, so concurrent clients see requests applied one
 * after the other, and a slow or dropped client only holds its own socket.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';
import { DEFAULT_BODY_LIMIT, idmErrorAnswer, toHttpAnswer, toSimRequest, type HttpAnswer } from '../../core/serve/httpExchange';
import type { ScenarioRun } from '../../core/scenario/scenarioRun';
import { buildSimulationGraph } from '../../core/graph/simulationGraph';
import { mapGraphLocations } from '../../core/graph/mapLocations';

export interface SimulatorServerOptions {
  /** Largest request body in bytes; larger ones are answered 413 (10 MB by default). */
  bodyLimit?: number;
  /** One line per request: method, path, status, time. */
  log?: (line: string) => void;
  /** Milliseconds, for the request log; `performance.now` by default. */
  now?: () => number;
}

/** What the server exposes beside IDM's API, for tools (the bench script, the editor's graph): never under /openidm/. */
export const SIMULATOR_STATUS_PATH = '/_simulator/status';
/** The served state as the graph's simulation view draws it (`?step=N` for an earlier step), without source locations. */
export const SIMULATOR_GRAPH_PATH = '/_simulator/graph';

export class SimulatorServer {
  private readonly server: http.Server;
  private readonly bodyLimit: number;
  private readonly now: () => number;
  /** Writes answered by the simulator (whatever their status), for the bench's "nothing lost" check. */
  private answered = 0;

  constructor(private readonly run: () => ScenarioRun, private readonly options: SimulatorServerOptions = {}) {
    this.bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
    this.now = options.now ?? (() => performance.now());
    this.server = http.createServer((req, res) => this.onRequest(req, res));
    // A client that never finishes its headers or body is dropped instead of holding a socket for ever.
    this.server.headersTimeout = 20_000;
    this.server.requestTimeout = 60_000;
    this.server.keepAliveTimeout = 5_000;
  }

  /** Listens on `host:port` (port 0: a free one) and resolves with the bound address. */
  listen(port: number, host: string): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  /** Stops accepting connections and closes the idle ones; resolves when every connection is closed. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
      // Connections still mid-request get a moment to finish, then are cut.
      setTimeout(() => this.server.closeAllConnections(), 1_000).unref();
    });
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const started = this.now();
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const finish = (answer: HttpAnswer, closeAfter = false) => {
      this.send(res, answer, closeAfter);
      this.options.log?.(`${method} ${url} ${answer.status} ${(this.now() - started).toFixed(1)}ms`);
    };

    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > this.bodyLimit) {
      finish(idmErrorAnswer(413, `The request body of ${declared} bytes is over the limit of ${this.bodyLimit} bytes`), true);
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > this.bodyLimit) {
        refused = true;
        chunks.length = 0;
        finish(idmErrorAnswer(413, `The request body is over the limit of ${this.bodyLimit} bytes`), true);
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => {
      // A client that went away mid-body: nothing was applied, and nobody is left to answer.
      refused = true;
    });
    req.on('end', () => {
      if (refused) return;
      finish(this.answer(method, url, req.headers, Buffer.concat(chunks).toString('utf8')));
    });
  }

  private answer(method: string, url: string, headers: http.IncomingHttpHeaders, bodyText: string): HttpAnswer {
    try {
      const resource = url.split('?', 1)[0];
      if (resource === SIMULATOR_STATUS_PATH && method === 'GET') return this.status();
      if (resource === SIMULATOR_GRAPH_PATH && method === 'GET') return this.graph(new URLSearchParams(url.slice(resource.length + 1)).get('step'));
      const translated = toSimRequest({ method, url, headers, bodyText });
      if ('answer' in translated) return translated.answer;
      const result = this.run().sendRequest(translated.request, { keepAnswer: false });
      this.answered++;
      return toHttpAnswer(result);
    } catch (error) {
      // Nothing throws on user input (ARCHITECTURE.md); should a bug do so, the client still gets IDM's error shape.
      return idmErrorAnswer(500, `Simulator error: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Object and edge counts, the audit log's length and the requests answered: what the bench compares. */
  private status(): HttpAnswer {
    const run = this.run();
    const summary = run.simulator.summary();
    return toHttpAnswer({
      status: 200,
      body: { release: run.simulator.release, objects: run.simulator.objectCount(), summary, auditEntries: run.simulator.audit.length, requestsAnswered: this.answered },
    });
  }

  /** The simulation view of the served state: the request timeline and the objects and edges of the step drawn. */
  private graph(step: string | null): HttpAnswer {
    const run = this.run();
    const drawn = step !== null && /^\d+$/.test(step) ? Number(step) : undefined;
    const graph = buildSimulationGraph('idm-rel-serve:state', run, { origin: 'live', ...(drawn === undefined ? {} : { step: drawn }) });
    // Served requests come from no file: there is nothing to reveal.
    return toHttpAnswer({ status: 200, body: { kind: 'graph', graph: mapGraphLocations(graph, () => undefined) } });
  }

  private send(res: http.ServerResponse, answer: HttpAnswer, closeAfter: boolean): void {
    if (res.headersSent || res.destroyed) return;
    const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
    const headers: http.OutgoingHttpHeaders = { ...answer.headers, 'Content-Length': Buffer.byteLength(text) };
    if (closeAfter) headers.Connection = 'close';
    res.writeHead(answer.status, headers);
    res.end(text);
  }
}
