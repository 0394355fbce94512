/**
 * Custom requests and notifications between the extension client and the language server. Shared by both
 * sides so that method names and shapes cannot drift; plain types only (no vscode, no LSP library).
 */
import type { GraphData } from './graph';

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
  /** For a scenario: the step of its simulation to draw (its place in the timeline); the last when absent. */
  step?: number;
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

/**
 * Runs requests of the `.idmsim` scenario at `uri` in the simulator the server keeps for that scenario.
 * `send` runs request `index` against the current state; `runAll` starts afresh and runs every request;
 * `populate` adds generated objects (`counts` per object type) to the current state. The reply carries what this
 * call did, not the whole history: a Send's reply is its own result.
 */
export const RUN_SCENARIO_REQUEST = 'idmRelationships/runScenario';

export interface RunScenarioParams {
  uri: string;
  mode: 'send' | 'runAll' | 'populate';
  index?: number;
  counts?: Record<string, number>;
  seed?: number;
}

export interface ScenarioRunEntry {
  index: number;
  name?: string;
  /** 0-based line of the request in the scenario. */
  line: number;
  request: { method: string; path: string; query: Record<string, string>; headers: Record<string, string>; body: unknown };
  status: number;
  body: unknown;
  notifications: Array<{ object: string; reason: string; via: string; from: string; depth: number; recalculated?: string[] }>;
  /** The relationship changes the request made, as the audit log records them (IDM audits every one). */
  relationshipChanges: RelationshipChange[];
}

/** One audited relationship change (the simulator's EdgeAuditEntry). */
export interface RelationshipChange {
  operation: 'create' | 'update' | 'delete';
  cause: 'request' | 'referential-integrity';
  edgeId: string;
  from: { ref: string; property: string | undefined };
  to: { ref: string; property: string | undefined };
}

export interface RunScenarioResult {
  uri: string;
  /** The config the scenario ran against (a file of its schema), when one was found. */
  config?: string;
  /** Why the simulator would not start: IDM would refuse to load the config, or no config was found. */
  refused?: string[];
  /** The responses to this call's requests, in order (one for `send`, every request for `runAll`, none for `populate`). */
  results: ScenarioRunEntry[];
  /** The simulation started afresh with this call (Run all, a first request, another config): earlier responses no longer apply. */
  restarted: boolean;
  /** The response view's heading (scenario, config and why the simulator did not start), rendered by the server. */
  heading: string;
  /** This call's sections of the response view, rendered by the server, to append to the earlier ones. */
  rendered: string;
  /** For `populate`: what was generated. */
  populated?: { objects: Record<string, number>; edges: number; skipped: string[]; ms: number };
}

/** Sent when a scenario's simulation state changed, so an open graph or response view can refresh. */
export const SIMULATION_CHANGED_NOTIFICATION = 'idmRelationships/simulationChanged';

export interface SimulationChangedParams {
  uri: string;
}
