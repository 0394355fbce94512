/**
 * The relationship graph as plain data: what the graph panel draws. Built from a schema (the schema view) or
 * from simulator snapshots (the simulation view). Generic over the range type so the core speaks offsets and
 * the LSP boundary converts them to line/character positions without a second set of types.
 * Everything here is JSON-serialisable: it crosses the language server, the extension and the webview.
 */
import type { OffsetRange } from '../core/diagnostics/finding';

export type GraphSeverity = 'error' | 'warning' | 'information' | 'hint';

/** A place in a config file (or scenario): `range` is selected on reveal, `span` is the whole definition. */
export interface GraphLocation<R = OffsetRange> {
  uri: string;
  range: R;
  span: R;
}

export interface GraphProblem {
  code: string;
  severity: GraphSeverity;
  message: string;
}

export type SchemaNodeKind =
  /** A managed object type defined in the schema. */
  | 'managed'
  /** `internal/role` or `internal/user` (built in, maybe overlaid by internal.json). */
  | 'internal'
  /** A target that no file of the schema defines, or a path that names nothing IDM knows. */
  | 'missing';

export interface SchemaNode<R = OffsetRange> {
  /** `managed/user`, `internal/role`: the `resourceCollection` path (legacy `repo/internal/role` maps to `internal/role`). */
  id: string;
  kind: SchemaNodeKind;
  /** `user`, `role`; for a missing node the path as written. */
  name: string;
  title?: string;
  /** Relationship properties the type declares (built-in ones included for internal objects). */
  relationshipCount: number;
  /** The type's name in its file; for a missing node, the first path that names it. */
  location?: GraphLocation<R>;
  /** Findings on the type that belong to no relationship edge (names, duplicates, limits, RDVPs...). */
  problems: GraphProblem[];
}

/** One side of a relationship: the property held by the object at this end. */
export interface EdgeEnd<R = OffsetRange> {
  property: string;
  cardinality: 'one' | 'many';
  /** The object at this end is notified of changes made through this property (`notifySelf`). */
  notifySelf: boolean;
  /** The object at the other end is notified of changes made through this property (`notify` on its entry). */
  notify: boolean;
  /** `notifyRelationships` of this property: where notifications it receives travel on. */
  notifyRelationships: string[];
  /** No declared property backs this end (named as the reverse but absent, or built into IDM). */
  declared: boolean;
  location?: GraphLocation<R>;
}

export interface SchemaEdge<R = OffsetRange> {
  /** Stable across edits that do not rename the property or its target. */
  id: string;
  source: string;
  target: string;
  /** `one-way`: `reverseRelationship` is off; an arrow from source to target with no back label. */
  direction: 'one-way' | 'two-way';
  sourceEnd: EdgeEnd<R>;
  /** The reverse side for two-way edges; absent for one-way ones. */
  targetEnd?: EdgeEnd<R>;
  /** The source property fans out to several targets (one edge each). */
  polymorphic: boolean;
  /** Some checker finding of severity error or warning is on this pair. */
  broken: boolean;
  /** The worst severity among `problems`. */
  severity?: GraphSeverity;
  problems: GraphProblem[];
}

export interface SchemaGraph<R = OffsetRange> {
  view: 'schema';
  /** The config root the schema was read from. */
  root: string;
  nodes: Array<SchemaNode<R>>;
  edges: Array<SchemaEdge<R>>;
}

/** Why an object was notified by the last write (simulator `Notification`, grouped per object). */
export interface SimNotificationMark {
  reason: 'notifySelf' | 'notify' | 'notifyRelationships';
  via: string;
  from: string;
  depth: number;
  recalculated?: string[];
}

export interface SimObjectNode<R = OffsetRange> {
  /** `managed/user/psmith` */
  id: string;
  /** `managed/user` */
  collection: string;
  objectId: string;
  /** A display name: `userName`, `name` or the id. */
  label: string;
  /** The object does not exist (an edge points at it: `validate` was off, or it was deleted). */
  missing: boolean;
  /** The request that first wrote the object. */
  location?: GraphLocation<R>;
  /** Set when the step's write notified this object. */
  notified: SimNotificationMark[];
}

export interface SimEdge<R = OffsetRange> {
  id: string;
  source: string;
  target: string;
  sourceProperty: string;
  /** The reverse field that shows the edge on the target; absent when none does. */
  targetProperty?: string;
  refProperties: Record<string, unknown>;
  /** The referenced object does not exist. */
  dangling: boolean;
  /** The origin field is no longer a relationship in the schema. */
  orphaned: boolean;
  /** The edge records a reverse property the referenced object does not show. */
  oneSided: boolean;
  /** The request that first created the edge. */
  location?: GraphLocation<R>;
  /** The step's notifications travelled along this edge. */
  onNotificationPath: boolean;
}

export interface SimStep<R = OffsetRange> {
  index: number;
  name?: string;
  /** `PUT managed/user/psmith` */
  label: string;
  status: number;
  location?: GraphLocation<R>;
  nodes: Array<SimObjectNode<R>>;
  edges: Array<SimEdge<R>>;
  /** Notifications of this step's write, in the simulator's order. */
  notificationCount: number;
  /**
   * Whether `nodes` and `edges` hold this step's state. Only the step asked for is drawn; the others are listed
   * for the timeline and drawn when asked for (`GraphParams.step`), so a long scenario costs one state, not one per step.
   */
  drawn: boolean;
  /**
   * The state held too many objects to draw one node each: `nodes` are object types with their counts
   * (`user: 100,000 objects`) and `edges` relationships with theirs.
   */
  summarised?: boolean;
}

export interface SimulationGraph<R = OffsetRange> {
  view: 'simulation';
  /** The scenario file. */
  uri: string;
  steps: Array<SimStep<R>>;
  /** Why nothing could run (no config, schema refused...): shown instead of a graph. */
  errors: string[];
  /**
   * `live`: the state the user built with Send, Run all and Populate. `replay`: the user has not run this
   * scenario yet, so the graph shows its requests replayed on a fresh simulator.
   */
  origin: 'live' | 'replay';
}

export type GraphData<R = OffsetRange> = SchemaGraph<R> | SimulationGraph<R>;
