/**
 * The audit log of relationship changes. IDM audits every relationship change whatever the notification
 * settings ("Auditing is not tied to relationship change notification and is always triggered when a
 * relationship changes", PingOne AIC, "Relationship change notification"); so does the simulator, including the
 * edges removed for referential integrity when an object is deleted.
 */
import { grown } from './columns';
import { cloneJson } from '../json';

export interface AuditEdgeEnd {
  /** `managed/user/psmith` */
  ref: string;
  /** The field the edge belongs to at this end; undefined for the pointed-to end of a one-way relationship. */
  property: string | undefined;
}

export interface EdgeAuditEntry {
  kind: 'relationship';
  /** 1-based position in the log. */
  seq: number;
  operation: 'create' | 'update' | 'delete';
  /** `request`: the request changed the edge; `referential-integrity`: an end object was deleted. */
  cause: 'request' | 'referential-integrity';
  /** The request that caused it: `DELETE managed/user/bjensen`. */
  request: string;
  edgeId: string;
  rev: string;
  from: AuditEdgeEnd;
  to: AuditEdgeEnd;
  refProperties: Record<string, unknown>;
  /** The edge before an update. */
  previous?: { from: AuditEdgeEnd; to: AuditEdgeEnd; rev: string; refProperties: Record<string, unknown> };
}

/** `populate` loads data in bulk, outside REST: one entry summarises it instead of one per edge. */
export interface PopulateAuditEntry {
  kind: 'populate';
  seq: number;
  objects: number;
  edges: number;
}

export type AuditEntry = EdgeAuditEntry | PopulateAuditEntry;

/** `delete managed/user/psmith.manager -> managed/user/bjensen.reports (referential-integrity, edge <id>)` */
export function describeRelationshipChange(change: Pick<EdgeAuditEntry, 'operation' | 'cause' | 'edgeId' | 'from' | 'to'>): string {
  const end = (e: AuditEdgeEnd) => (e.property === undefined ? e.ref : `${e.ref}.${e.property}`);
  return `${change.operation} ${end(change.from)} -> ${end(change.to)} (${change.cause}, edge ${change.edgeId})`;
}

/** One end of an edge as the log records it: interned key and property ids (NO_PROPERTY: no property). */
export interface AuditEdgeRow {
  seq: number;
  rev: number;
  fromKeyId: number;
  fromPropertyId: number;
  toKeyId: number;
  toPropertyId: number;
  /** A copy of the edge's `_refProperties` at the time, when it has any. */
  refProperties: Record<string, unknown> | undefined;
}

const OPERATIONS: readonly EdgeAuditEntry['operation'][] = ['create', 'update', 'delete'];
const CAUSES: readonly EdgeAuditEntry['cause'][] = ['request', 'referential-integrity'];
const POPULATE = 255;
const INITIAL_CAPACITY = 64;

/** What the log needs to turn ids back into text. */
export interface AuditNames {
  key(id: number): string;
  /** Undefined for NO_PROPERTY and for the pointed-to end of a one-way edge. */
  property(id: number): string | undefined;
  counter(value: number): string;
}

/**
 * The audit log, recorded compactly: deleting an object with 10,000 references logs 10,000 edge removals,
 * and the log is read far less often than it is written. Rows are integers (interned keys and property
 * names, counters); the entries are built when read, and kept until the next write.
 */
export class AuditLog {
  private size = 0;
  private capacity = INITIAL_CAPACITY;
  /** Operation index, or POPULATE. */
  private kinds = new Uint8Array(INITIAL_CAPACITY);
  private causes = new Uint8Array(INITIAL_CAPACITY);
  /** Index into `labels` of the request (for populate rows: the object count). */
  private requests = new Int32Array(INITIAL_CAPACITY);
  private seqs = new Float64Array(INITIAL_CAPACITY);
  /** For populate rows: the edge count. */
  private revs = new Float64Array(INITIAL_CAPACITY);
  private fromKeys = new Int32Array(INITIAL_CAPACITY);
  private fromProperties = new Int32Array(INITIAL_CAPACITY);
  private toKeys = new Int32Array(INITIAL_CAPACITY);
  private toProperties = new Int32Array(INITIAL_CAPACITY);
  /** Request labels: consecutive rows of one request share one. */
  private readonly labels: string[] = [];
  /** Per label, the first row that used it (so that `truncate` drops the labels of the rows it drops). */
  private readonly labelRows: number[] = [];
  /** The rare parts, by row: `_refProperties` copies and the edge before an update. */
  private readonly refProperties = new Map<number, Record<string, unknown>>();
  private readonly previous = new Map<number, AuditEdgeRow>();
  private built: AuditEntry[] | undefined;

  constructor(private readonly names: AuditNames) {}

  get length(): number {
    return this.size;
  }

  /** Logs an edge change by the request `label`; `previous` is the edge before an update. */
  edge(operation: EdgeAuditEntry['operation'], cause: EdgeAuditEntry['cause'], label: string, now: AuditEdgeRow, previous?: AuditEdgeRow): void {
    const row = this.add(OPERATIONS.indexOf(operation), this.labelIndex(label), now.seq, now.rev);
    this.causes[row] = CAUSES.indexOf(cause);
    this.fromKeys[row] = now.fromKeyId;
    this.fromProperties[row] = now.fromPropertyId;
    this.toKeys[row] = now.toKeyId;
    this.toProperties[row] = now.toPropertyId;
    if (now.refProperties) this.refProperties.set(row, now.refProperties);
    if (previous) this.previous.set(row, previous);
  }

  /** `populate` loads data in bulk: one row summarises it. */
  populate(objects: number, edges: number): void {
    this.add(POPULATE, objects, 0, edges);
  }

  /** Forgets the rows from `length` on (a failed request logged them). */
  truncate(length: number): void {
    if (length >= this.size) return;
    for (let row = length; row < this.size; row++) {
      this.refProperties.delete(row);
      this.previous.delete(row);
    }
    this.size = length;
    while (this.labelRows.length > 0 && this.labelRows[this.labelRows.length - 1] >= length) {
      this.labels.pop();
      this.labelRows.pop();
    }
    this.built = undefined;
  }

  /** The relationship changes logged from row `start` on (a request's own: `start` is the length before it). */
  edgeEntriesSince(start: number): EdgeAuditEntry[] {
    const entries: EdgeAuditEntry[] = [];
    for (let row = Math.max(0, start); row < this.size; row++) {
      if (this.kinds[row] !== POPULATE) entries.push(this.entry(row) as EdgeAuditEntry);
    }
    return entries;
  }

  /** Every entry, in order (a list kept until the next write; not to be modified). */
  entries(): readonly AuditEntry[] {
    if (this.built && this.built.length === this.size) return this.built;
    const entries = this.built?.slice(0, Math.min(this.built.length, this.size)) ?? [];
    for (let row = entries.length; row < this.size; row++) entries.push(this.entry(row));
    return (this.built = entries);
  }

  private labelIndex(label: string): number {
    const last = this.labels.length - 1;
    if (last >= 0 && this.labels[last] === label) return last;
    this.labels.push(label);
    this.labelRows.push(this.size);
    return last + 1;
  }

  private add(kind: number, request: number, seq: number, rev: number): number {
    if (this.size === this.capacity) this.grow();
    const row = this.size++;
    this.kinds[row] = kind;
    this.requests[row] = request;
    this.seqs[row] = seq;
    this.revs[row] = rev;
    this.built = undefined;
    return row;
  }

  private entry(row: number): AuditEntry {
    const kind = this.kinds[row];
    if (kind === POPULATE) return { kind: 'populate', seq: row + 1, objects: this.requests[row], edges: this.revs[row] };
    const names = this.names;
    const entry: EdgeAuditEntry = {
      kind: 'relationship',
      seq: row + 1,
      operation: OPERATIONS[kind],
      cause: CAUSES[this.causes[row]],
      request: this.labels[this.requests[row]],
      edgeId: names.counter(this.seqs[row]),
      rev: names.counter(this.revs[row]),
      from: { ref: names.key(this.fromKeys[row]), property: names.property(this.fromProperties[row]) },
      to: { ref: names.key(this.toKeys[row]), property: names.property(this.toProperties[row]) },
      refProperties: cloneJson(this.refProperties.get(row) ?? {}),
    };
    const previous = this.previous.get(row);
    if (previous) {
      entry.previous = {
        from: { ref: names.key(previous.fromKeyId), property: names.property(previous.fromPropertyId) },
        to: { ref: names.key(previous.toKeyId), property: names.property(previous.toPropertyId) },
        rev: names.counter(previous.rev),
        refProperties: cloneJson(previous.refProperties ?? {}),
      };
    }
    return entry;
  }

  private grow(): void {
    this.capacity *= 2;
    this.kinds = grown(this.kinds, this.capacity);
    this.causes = grown(this.causes, this.capacity);
    this.requests = grown(this.requests, this.capacity);
    this.seqs = grown(this.seqs, this.capacity);
    this.revs = grown(this.revs, this.capacity);
    this.fromKeys = grown(this.fromKeys, this.capacity);
    this.fromProperties = grown(this.fromProperties, this.capacity);
    this.toKeys = grown(this.toKeys, this.capacity);
    this.toProperties = grown(this.toProperties, this.capacity);
  }
}
