/**
 * Custom requests and notifications between the extension client and the language server. Shared by both
 * sides so that method names and shapes cannot drift; plain types only (no vscode, no LSP library).
 */
import type { GraphData } from './core/graph/types';

export const STATUS_REQUEST = 'idmRelationships/status';

export interface StatusParams {
  /** The document the status is for; omit for the whole workspace. */
  uri?: string;
}

export interface StatusResult {
  /** Managed config files loaded (open and on disk). */
  files: number;
  /** Object types in the schema of `uri` (or in all schemas). */
  objectTypes: number;
  relationships: number;
  /** Number of separate configurations (config roots) in the workspace. */
  schemas: number;
  /** ISO time of the last completed check, undefined before the first. */
  lastCheck?: string;
  /** Milliseconds the last check took. */
  lastCheckMs?: number;
  /** Files above the size limit, checked only on save. */
  largeFiles: string[];
}

/** Sent by the server after every completed check, so the client's status item can follow. */
export const CHECKED_NOTIFICATION = 'idmRelationships/checked';

export interface CheckedParams {
  uris: string[];
  time: string;
  durationMs: number;
}

/**
 * The relationship graph of the config (or `.idmsim` scenario) at `uri`, for the graph panel: the schema view for a
 * managed config, the simulation view for a scenario. Ranges are LSP positions in the file each location names.
 */
export const GRAPH_REQUEST = 'idmRelationships/graph';

export interface GraphParams {
  uri: string;
}

export interface WirePosition {
  line: number;
  character: number;
}

export interface WireRange {
  start: WirePosition;
  end: WirePosition;
}

export type GraphResult =
  | { kind: 'graph'; graph: GraphData<WireRange> }
  /** Nothing to draw for this document; `reason` says why, for the panel to show. */
  | { kind: 'none'; reason: string };

/** Sent after every check with the (client) URIs of the schema's files, so an open graph panel can refresh. */
export const GRAPH_CHANGED_NOTIFICATION = 'idmRelationships/graphChanged';

export interface GraphChangedParams {
  uris: string[];
}
