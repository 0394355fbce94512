/**
 * Runs a whole scenario on a fresh simulator: `idm-rel simulate` and the tests. A thin front on `ScenarioRun`,
 * the one runner every route shares.
 */
import type { Schema } from '../model/schema';
import type { Simulator } from '../simulator/engine';
import { parseScenario, type Scenario } from './scenario';
import { ScenarioRun, type ScenarioResult, type ScenarioRunOptions } from './scenarioRun';

export type { ScenarioResult } from './scenarioRun';

/**
 * The results, one per request, in order; or, when the simulator refuses the schema (as IDM would
 * refuse to load the config), the reasons, and nothing is run.
 */
export function runScenario(schema: Schema, input: Scenario | string, options: ScenarioRunOptions & { simulator?: Simulator } = {}): ScenarioResult[] | { refused: string[] } {
  const scenario = typeof input === 'string' ? parseScenario(input) : input;
  const run = options.simulator ? ScenarioRun.over(options.simulator, schema, options) : ScenarioRun.start(schema, options);
  if (!(run instanceof ScenarioRun)) return run;
  return run.sendAll(scenario);
}
