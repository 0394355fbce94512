/**
 * The simulator's request/response contract, shared by the scenario parser (which produces requests),
 * the engine (which answers them), the language server's custom requests and the CLI.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface SimRequest {
  method: string;
  /** Resource path below `/openidm/`, without leading slash or query: `managed/user/psmith/manager`. */
  path: string;
  /** Decoded query parameters (`_queryFilter`, `_fields`, `_action`, ...). */
  query: Record<string, string>;
  /** Header names as written. */
  headers: Record<string, string>;
  /** The parsed JSON body; undefined when there is none. */
  body?: unknown;
  /** Set when the body text is not valid JSON: the engine answers 400 with this message. */
  bodyError?: string;
}

/** Who was notified by a write, and why (PingIDM objects guide, "Relationship change notification"). */
export interface Notification {
  /** `managed/user/psmith` */
  object: string;
  /** `notifySelf` | `notify` | `notifyRelationships` */
  reason: 'notifySelf' | 'notify' | 'notifyRelationships';
  /** The relationship field through which the notification arrived or left. */
  via: string;
  /** The object whose notification was propagated (for notifyRelationships), or the origin. */
  from: string;
  /** Hop count from the write: 1 for direct notifications. */
  depth: number;
  /** Relationship-derived virtual properties recalculated on this object. */
  recalculated?: string[];
}

export interface SimResponse {
  status: number;
  body: unknown;
  notifications: Notification[];
}
