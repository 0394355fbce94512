/**
 * The relationship simulator: an in-memory model of IDM's REST semantics for managed objects and their
 * relationships, configured by a `Schema`. Pure and deterministic: ids, revisions and generated data
 * come from the seed.
 *
 * Every request runs as a transaction: a request that fails (any error, including an internal one,
 * which answers 500) changes nothing, on either side of any relationship, nor the audit log or id counters.
 */
import { AuditLog } from './store/audit';
import { IdmError, reasonPhrase } from './errors';
import { Graph, newOperation } from './relationships';
import { IdSource } from './ids';
import type { NotificationTrace } from './store/notificationTrace';
import { processNotifications } from './notifications';
import { populate, type PopulateOptions, type PopulateReport } from './populate';
import { RestHandler } from './rest';
import { SimSchema } from './simSchema';
import { objectCount, takeSnapshot, takeSummary, type SimSnapshot, type SimSummary } from './snapshot';
import { POINTED_TO, Store } from './store/store';
import { NO_PROPERTY } from './store/edgeTable';
import type { Notification, SimRequest, SimResponse } from './types';
import { Views } from './views';
import { VirtualCalculator } from './virtuals';
import type { Schema } from '../model/schema';

export type { AuditEntry, AuditLog, EdgeAuditEntry, PopulateAuditEntry, AuditEdgeEnd } from './store/audit';
export type { PopulateOptions, PopulateReport } from './populate';
export type { SimSnapshot, SimSummary, SnapshotEdge, SnapshotObject } from './snapshot';

export interface Simulator {
  /** Answers one request. Never throws: internal bugs answer 500 with an IDM-shaped error. */
  handle(request: SimRequest): SimResponse;
  /** Switches to another schema, keeping the data; values of properties it lacks become orphaned data. */
  setSchema(schema: Schema): { refused?: string[] };
  /** Objects and edges, for the graph view. */
  snapshot(): SimSnapshot;
  /** How many objects there are, without copying them. */
  objectCount(): number;
  /** Objects per type and edges per relationship, for a state too large to copy whole. */
  summary(): SimSummary;
  /** Every relationship change, in order (`entries()`). */
  readonly audit: AuditLog;
  /** Creates `counts[type]` objects per type with random relationships (seeded). */
  populate(counts: Record<string, number>, options?: PopulateOptions): PopulateReport;
}

export function startSimulator(schema: Schema, options: { seed?: number } = {}): { simulator: Simulator } | { refused: string[] } {
  const compiled = SimSchema.compile(schema);
  if ('refused' in compiled) return { refused: compiled.refused };
  return { simulator: new SimulatorEngine(compiled.schema, options.seed ?? 1) };
}

class SimulatorEngine implements Simulator {
  readonly audit: AuditLog;
  private readonly graph: Graph;
  private readonly views: Views;
  private readonly virtuals: VirtualCalculator;
  private readonly rest: RestHandler;

  constructor(schema: SimSchema, seed: number) {
    const store = new Store();
    const ids = new IdSource(seed);
    this.audit = auditLogOf(store, ids);
    this.graph = new Graph(schema, store, ids, this.audit);
    this.views = new Views(this.graph);
    this.virtuals = new VirtualCalculator(this.graph);
    this.rest = new RestHandler(this.graph, this.views);
  }

  handle(request: SimRequest): SimResponse {
    const ids = this.graph.ids.save();
    const auditLength = this.audit.length;
    const store = this.graph.store;
    store.begin();
    try {
      const op = newOperation(`${String(request.method).toUpperCase()} ${request.path}`);
      const outcome = this.rest.handle(request, op);
      const trace = outcome.write ? processNotifications(this.graph, this.virtuals, op) : undefined;
      const body = outcome.render();
      store.commit();
      return withNotifications({ status: outcome.status, body }, trace);
    } catch (error) {
      store.rollback();
      this.graph.ids.restore(ids);
      this.audit.truncate(auditLength);
      if (error instanceof IdmError) return { status: error.status, body: error.body, notifications: [] };
      const message = error instanceof Error ? error.message : String(error);
      return { status: 500, body: { code: 500, reason: reasonPhrase(500), message: `Simulator error: ${message}` }, notifications: [] };
    }
  }

  setSchema(schema: Schema): { refused?: string[] } {
    const compiled = SimSchema.compile(schema);
    if ('refused' in compiled) return { refused: compiled.refused };
    this.graph.schema = compiled.schema;
    return {};
  }

  snapshot(): SimSnapshot {
    return takeSnapshot(this.graph);
  }

  objectCount(): number {
    return objectCount(this.graph);
  }

  summary(): SimSummary {
    return takeSummary(this.graph);
  }

  populate(counts: Record<string, number>, options?: PopulateOptions): PopulateReport {
    return populate(this.graph, this.virtuals, counts, options);
  }
}

/** An audit log that names keys, properties and counters as `store` and `ids` do. */
export function auditLogOf(store: Store, ids: IdSource): AuditLog {
  return new AuditLog({
    key: (id) => store.keys.name(id),
    // One-way edges have no reverse property (NO_PROPERTY); their pointed-to slot's name is POINTED_TO.
    property: (id) => (id === NO_PROPERTY || store.names.name(id) === POINTED_TO ? undefined : store.names.name(id)),
    counter: (value) => ids.format(value),
  });
}

/**
 * The response with its `notifications`, built from the trace when first read (a write may notify 100,000
 * objects; most callers read a few or none). The property is an ordinary enumerable one to its readers.
 */
function withNotifications(response: Omit<SimResponse, 'notifications'>, trace: NotificationTrace | undefined): SimResponse {
  if (!trace || trace.size === 0) return { ...response, notifications: [] };
  let notifications: Notification[] | undefined;
  return Object.defineProperty(response, 'notifications', {
    enumerable: true,
    configurable: true,
    get: () => (notifications ??= trace.toArray()),
    set: (value: Notification[]) => { notifications = value; },
  }) as SimResponse;
}
