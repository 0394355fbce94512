/**
 * The one scenario runner. Send, Run all and Populate in the editor, the graph's simulation view and
 * `idm-rel simulate` all run requests through a `ScenarioRun`: a simulator started on a schema and the
 * history of what was done to it, in order.
 *
 * The history is what makes the graph cheap: the current state is the live simulator's, and a past step is
 * drawn on demand by replaying the history up to it on a fresh simulator with the same seed (the simulator
 * is deterministic: ids, revisions and generated data come from the seed). Nothing keeps a copy of the
 * state per step, so a scenario of 10,000 requests costs its requests, not 10,000 copies of its state.
 */
import type { OffsetRange } from '../diagnostics/finding';
import type { Schema } from '../model/schema';
import { startSimulator, type EdgeAuditEntry, type IdmRelease, type PopulateReport, type Simulator } from '../simulator/engine';
import type { Notification, SimRequest } from '../simulator/types';
import type { Scenario } from './scenario';

export interface ScenarioResult {
  /** The request's `### name`, when it has one. */
  name?: string;
  /** Index of the request in the scenario. */
  index: number;
  request: SimRequest;
  status: number;
  body: unknown;
  notifications: Notification[];
  /** The relationship changes the request made, from the audit log. */
  relationshipChanges: EdgeAuditEntry[];
  /** Set when the simulator failed on this request (a bug): the status is then 500. */
  crashed?: string;
}

/** Where a request stands in its scenario's text. */
export interface RequestPlace {
  /** The whole request. */
  range: OffsetRange;
  /** Its method and URL. */
  requestLine: OffsetRange;
}

/** One thing done to a simulation: a request, or a bulk population. */
export type ScenarioStep =
  | { kind: 'request'; result: ScenarioResult; place?: RequestPlace }
  | { kind: 'populate'; counts: Record<string, number>; seed?: number; report: PopulateReport };

export interface ScenarioRunOptions {
  /** Seed for the simulator's generated ids and data; 1 when absent. */
  seed?: number;
  /** The IDM release the simulator answers as (a scenario's `@idm`, else the setting); the newest when absent. */
  release?: IdmRelease;
}

export class ScenarioRun {
  private readonly history: ScenarioStep[] = [];
  /** Schemas switched to after the start, by the history length at the switch: a replay switches at the same point. */
  private readonly schemaChanges: Array<{ at: number; schema: Schema }> = [];

  private constructor(readonly simulator: Simulator, private currentSchema: Schema, private readonly startSchema: Schema, readonly seed: number) {}

  /** A run on a fresh simulator, or the reasons IDM would refuse to load the schema. */
  static start(schema: Schema, options: ScenarioRunOptions = {}): ScenarioRun | { refused: string[] } {
    const seed = options.seed ?? 1;
    const started = startSimulator(schema, { seed, ...(options.release === undefined ? {} : { release: options.release }) });
    if ('refused' in started) return { refused: started.refused };
    return new ScenarioRun(started.simulator, schema, schema, seed);
  }

  /** A run over a simulator the caller started (its state so far is not in the history, so a replay starts without it). */
  static over(simulator: Simulator, schema: Schema, options: ScenarioRunOptions = {}): ScenarioRun {
    return new ScenarioRun(simulator, schema, schema, options.seed ?? 1);
  }

  get schema(): Schema {
    return this.currentSchema;
  }

  /** Everything done so far, in order. */
  get steps(): readonly ScenarioStep[] {
    return this.history;
  }

  /** Runs request `index` of `scenario` against the current state. */
  send(scenario: Scenario, index: number): ScenarioResult {
    const scenarioRequest = scenario.requests[index];
    const result = answer(this.simulator, scenarioRequest.request, index);
    if (scenarioRequest.name !== undefined) result.name = scenarioRequest.name;
    this.history.push({
      kind: 'request', result,
      place: { range: scenarioRequest.range, requestLine: { start: scenarioRequest.methodRange.start, end: Math.max(scenarioRequest.methodRange.end, scenarioRequest.urlRange.end) } },
    });
    return result;
  }

  /**
   * Runs one request that comes from no scenario file (`idm-rel serve`'s HTTP requests) against the current state;
   * it joins the history like any other, so a replay or a saved state repeats it.
   */
  sendRequest(request: SimRequest, options: { keepAnswer?: boolean } = {}): ScenarioResult {
    const result = answer(this.simulator, request, this.history.length);
    // A server answers requests for as long as it runs: its history keeps what a replay needs (the request) and the
    // status, not every body and notification list.
    const kept: ScenarioResult = options.keepAnswer === false
      ? { index: result.index, request, status: result.status, body: null, notifications: [], relationshipChanges: [] }
      : result;
    this.history.push({ kind: 'request', result: kept });
    return result;
  }

  /** Runs every request of `scenario` in order against the current state. */
  sendAll(scenario: Scenario): ScenarioResult[] {
    return scenario.requests.map((_, index) => this.send(scenario, index));
  }

  /** Adds generated objects and relationships to the current state. */
  populate(counts: Record<string, number>, seed?: number): PopulateReport {
    const report = this.simulator.populate(counts, seed === undefined ? {} : { seed });
    this.history.push({ kind: 'populate', counts, ...(seed === undefined ? {} : { seed }), report });
    return report;
  }

  /**
   * Switches to an edited schema and keeps the data, as IDM keeps its repository when its config changes;
   * properties that disappeared become orphaned data. Refused (and the old schema kept) when IDM would not
   * load the new one.
   */
  followSchema(schema: Schema): { refused?: string[] } {
    if (schema === this.currentSchema) return {};
    const outcome = this.simulator.setSchema(schema);
    if (outcome.refused) return outcome;
    this.currentSchema = schema;
    this.schemaChanges.push({ at: this.history.length, schema });
    return {};
  }

  /**
   * A fresh simulator in the state after step `index` (0-based), rebuilt by replaying the history up to it.
   * Undefined when the index is out of range.
   */
  replayTo(index: number): Simulator | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.history.length) return undefined;
    const started = startSimulator(this.startSchema, { seed: this.seed, release: this.simulator.release });
    if ('refused' in started) return undefined;
    const simulator = started.simulator;
    let change = 0;
    for (let i = 0; i <= index; i++) {
      while (change < this.schemaChanges.length && this.schemaChanges[change].at <= i) simulator.setSchema(this.schemaChanges[change++].schema);
      const step = this.history[i];
      if (step.kind === 'request') answer(simulator, step.result.request, step.result.index);
      else simulator.populate(step.counts, step.seed === undefined ? {} : { seed: step.seed });
    }
    return simulator;
  }
}

/** One request against a simulator, with the relationship changes it made. The engine never throws; if it does, the request answers 500. */
function answer(simulator: Simulator, request: SimRequest, index: number): ScenarioResult {
  const result: ScenarioResult = { index, request, status: 0, body: null, notifications: [], relationshipChanges: [] };
  try {
    const auditLength = simulator.audit.length;
    const response = simulator.handle(request);
    result.status = response.status;
    result.body = response.body;
    result.notifications = response.notifications;
    result.relationshipChanges = simulator.audit.edgeEntriesSince(auditLength);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    result.status = 500;
    result.body = { code: 500, reason: 'Internal Server Error', message: `Simulator failure: ${message}` };
    result.crashed = message;
  }
  return result;
}
