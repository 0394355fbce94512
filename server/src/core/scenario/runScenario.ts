/**
 * Runs a scenario's requests in order against a simulator: a fresh one started on the schema, or one
 * the caller passes in (to keep state between runs, or after `populate`).
 */
import type { Schema } from '../model/schema';
import { startSimulator, type EdgeAuditEntry, type IdmRelease, type Simulator } from '../simulator/engine';
import { parseScenario, type Scenario } from './scenario';
import type { Notification, SimRequest } from '../simulator/types';

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

export interface RunScenarioOptions {
  /** Run against this simulator instead of starting a new one. */
  simulator?: Simulator;
  /** Seed for a new simulator's generated ids. */
  seed?: number;
  /** The IDM release of a new simulator when the scenario has no `@idm` (the setting); the newest by default. */
  release?: IdmRelease;
}

/**
 * The results, one per request, in order; or, when the simulator refuses the schema (as IDM would
 * refuse to load the config), the reasons, and nothing is run.
 */
export function runScenario(schema: Schema, input: Scenario | string, options: RunScenarioOptions = {}): ScenarioResult[] | { refused: string[] } {
  const scenario = typeof input === 'string' ? parseScenario(input) : input;
  let simulator = options.simulator;
  if (!simulator) {
    // The scenario's `@idm` wins over the caller's default: a scenario states the release it expects.
    const release = scenario.idm?.release ?? options.release;
    const started = startSimulator(schema, { ...(options.seed === undefined ? {} : { seed: options.seed }), ...(release === undefined ? {} : { release }) });
    if ('refused' in started) return { refused: started.refused };
    simulator = started.simulator;
  }
  return scenario.requests.map((scenarioRequest, index) => {
    const request = scenarioRequest.request;
    const result: ScenarioResult = { index, request, status: 0, body: null, notifications: [], relationshipChanges: [] };
    if (scenarioRequest.name !== undefined) result.name = scenarioRequest.name;
    try {
      const auditLength = simulator!.audit.length;
      const response = simulator!.handle(request);
      result.status = response.status;
      result.body = response.body;
      result.notifications = response.notifications;
      result.relationshipChanges = simulator!.audit.edgeEntriesSince(auditLength);
    } catch (error) {
      // The engine must not throw; if it does, report it on this request and go on with the next.
      const message = error instanceof Error ? error.message : String(error);
      result.status = 500;
      result.body = { code: 500, reason: 'Internal Server Error', message: `Simulator failure: ${message}` };
      result.crashed = message;
    }
    return result;
  });
}
