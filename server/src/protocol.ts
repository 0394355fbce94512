/**
 * Custom requests and notifications between the extension client and the language server. Shared by both
 * sides so that method names and shapes cannot drift; plain types only (no vscode, no LSP library).
 */

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
