/**
 * The audit log of relationship changes. IDM audits every relationship change whatever the notification
 * settings ("Auditing is not tied to relationship change notification and is always triggered when a
 * relationship changes", aic-relationship-change-notification.md); so does the simulator, including the
 * edges removed for referential integrity when an object is deleted.
 */

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
