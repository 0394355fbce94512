/**
 * `idm-rel serve`: the relationship simulator as an HTTP server answering IDM's managed-object and relationship REST
 * API under `/openidm/managed/...`, so that the docs' curl commands, scripts and REST clients run against a schema
 * before it is deployed.
 *
 *   idm-rel serve [--config <path>] [--port 8080] [--host 127.0.0.1] [--populate user=1000,role=10] [--state file]
 *                 [--seed N] [--idm <release>] [--body-limit bytes]
 *
 * The config is found as `idm-rel simulate` finds it (`--config`, else the nearest managed config at or above the
 * working folder) and watched: an edit IDM would load is applied (the data kept), one it would refuse is reported and
 * the old schema kept. `--state` names a file holding what was done to the simulation (its requests and populations,
 * replayed in order on start: the simulator is deterministic) which is written again on exit.
 */
import * as fs from 'fs';
import * as path from 'path';
import { diskConfigLookup } from '../configLookup';
import { nodeSimulateIo, parsePopulate } from '../simulateCommand';
import { locateScenarioConfig, type ExplicitConfig } from '../../core/scenario/locateConfig';
import { ScenarioRun } from '../../core/scenario/scenarioRun';
import { KNOWN_RELEASES, NEWEST_RELEASE, type IdmRelease } from '../../core/simulator/release';
import type { SimRequest } from '../../core/simulator/types';
import type { Schema } from '../../core/model/schema';
import { DEFAULT_BODY_LIMIT } from '../../core/serve/httpExchange';
import { SimulatorServer } from './simulatorServer';
import { configArg, forEachArg, posixPath, readCommandLine, releaseArg, seedArg, UsageError } from '../cliArgs';

export const SERVE_USAGE = [
  'Usage:',
  '  idm-rel serve [--config <path>] [--port 8080] [--host 127.0.0.1] [--populate user=1000,role=10] [--state <file>]',
  '',
  "Answers IDM's managed-object and relationship REST API (http://<host>:<port>/openidm/managed/...) from the",
  'relationship simulator, configured by the managed config. Credentials and API version headers are accepted',
  'and not checked. Stop with Ctrl+C.',
  '',
  'Options:',
  '  --config <path>      managed.json, a per-object config folder, or a folder holding either',
  '                       (default: the nearest managed config at or above the working folder); watched for edits',
  '  --port N             port to listen on (default 8080; 0 picks a free one)',
  '  --host H             address to bind (default 127.0.0.1, loopback only)',
  '  --populate spec      generated objects to start with: user=1000,role=10 (skipped when --state is loaded)',
  '  --state <file>       load the simulation from this file at start (when it exists), save it there on exit',
  '  --seed N             seed for generated ids and data',
  `  --idm <release>      the IDM release to answer as: ${KNOWN_RELEASES.join(', ')} (default ${NEWEST_RELEASE})`,
  `  --body-limit bytes   largest request body accepted; larger ones get 413 (default ${DEFAULT_BODY_LIMIT})`,
].join('\n');

export interface ServeIo {
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Resolves when the server should stop (Ctrl+C, SIGTERM); the CLI's by default. */
  stopSignal?: Promise<void>;
}

interface ServeArgs {
  config?: string;
  port: number;
  host: string;
  populate?: Record<string, number>;
  state?: string;
  seed?: number;
  idm?: IdmRelease;
  bodyLimit: number;
  help: boolean;
}

/** What `--state` files hold: the steps to replay, in order, on the config at hand. */
interface SavedState {
  format: 'idm-rel-serve-state';
  version: 1;
  seed: number;
  release: IdmRelease;
  steps: Array<{ kind: 'request'; request: SimRequest } | { kind: 'populate'; counts: Record<string, number>; seed?: number }>;
}

export async function runServeCommand(args: string[], io: ServeIo): Promise<number> {
  const parsed = readCommandLine('serve', SERVE_USAGE, () => parseArgs(args), io);
  if (typeof parsed === 'number') return parsed;

  const fileIo = { ...nodeSimulateIo(), cwd: io.cwd };
  const lookup = diskConfigLookup(fileIo);
  const explicit: ExplicitConfig | undefined = parsed.config ? configArg(io.cwd, parsed.config) : undefined;
  const located = locateScenarioConfig(undefined, explicit, lookup, posixPath(io.cwd));
  if ('reason' in located) {
    io.stderr(`idm-rel serve: ${located.reason}\n`);
    return 2;
  }

  const saved = parsed.state ? readState(path.resolve(io.cwd, parsed.state), io) : undefined;
  if (saved === null) return 2;
  const seed = saved?.seed ?? parsed.seed;
  const release = saved?.release ?? parsed.idm;
  const started = ScenarioRun.start(located.schema, { ...(seed === undefined ? {} : { seed }), ...(release === undefined ? {} : { release }) });
  if (!(started instanceof ScenarioRun)) {
    io.stderr(`idm-rel serve: IDM would not load this config:\n${started.refused.map((r) => `  ${r}`).join('\n')}\n`);
    return 2;
  }
  let run: ScenarioRun = started;

  if (saved) {
    for (const step of saved.steps) {
      if (step.kind === 'request') run.sendRequest(step.request, { keepAnswer: false });
      else run.populate(step.counts, step.seed);
    }
    io.stdout(`Loaded ${saved.steps.length} steps from ${parsed.state}: ${run.simulator.objectCount()} objects\n`);
  } else if (parsed.populate) {
    const report = run.populate(parsed.populate, parsed.seed);
    for (const skipped of report.skipped) io.stderr(`idm-rel serve: --populate: ${skipped}\n`);
    const objects = Object.values(report.objects).reduce((sum, n) => sum + n, 0);
    io.stdout(`Populated ${objects} objects and ${report.edges} relationship edges\n`);
  }

  const server = new SimulatorServer(() => run, { bodyLimit: parsed.bodyLimit, log: (line) => io.stdout(`${line}\n`) });
  let address;
  try {
    address = await server.listen(parsed.port, parsed.host);
  } catch (error) {
    io.stderr(`idm-rel serve: cannot listen on ${parsed.host}:${parsed.port}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  io.stdout([
    `idm-rel serve: the relationship simulator (IDM ${run.simulator.release}) for ${located.schema.root}`,
    `Listening on http://${host}:${address.port}/openidm`,
    'Credentials (X-OpenIDM-Username/X-OpenIDM-Password, Authorization: Bearer) and Accept-API-Version are accepted and NOT checked.',
    isLoopback(parsed.host) ? 'Bound to loopback only.' : `WARNING: bound to ${parsed.host}: reachable from other machines, with no authentication.`,
    '',
  ].join('\n'));

  const watcher = watchConfig(located.schema, () => lookup.configAt(explicit?.location ?? located.schema.root), (schema) => {
    const outcome = run.followSchema(schema);
    if (outcome.refused) {
      io.stderr(`idm-rel serve: the edited config is not applied, IDM would refuse to load it (the old schema is kept):\n${outcome.refused.map((r) => `  ${r}`).join('\n')}\n`);
    } else {
      io.stdout(`idm-rel serve: config reloaded (${schema.objectTypes.length} object types)\n`);
    }
  }, (problem) => io.stderr(`idm-rel serve: the edited config is not applied (the old schema is kept): ${problem}\n`));

  await (io.stopSignal ?? processStopSignal());
  watcher.close();
  await server.close();
  if (parsed.state) {
    const file = path.resolve(io.cwd, parsed.state);
    try {
      fs.writeFileSync(file, JSON.stringify(stateOf(run), null, 1));
      io.stdout(`Saved ${run.steps.length} steps to ${parsed.state}\n`);
    } catch (error) {
      io.stderr(`idm-rel serve: cannot save the state to ${file}: ${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    }
  }
  return 0;
}

function stateOf(run: ScenarioRun): SavedState {
  return {
    format: 'idm-rel-serve-state',
    version: 1,
    seed: run.seed,
    release: run.simulator.release,
    steps: run.steps.map((step) => step.kind === 'request'
      ? { kind: 'request' as const, request: step.result.request }
      : { kind: 'populate' as const, counts: step.counts, ...(step.seed === undefined ? {} : { seed: step.seed }) }),
  };
}

/** The saved state, undefined when the file does not exist yet, null (reported) when it cannot be used. */
function readState(file: string, io: ServeIo): SavedState | undefined | null {
  if (!fs.existsSync(file)) return undefined;
  try {
    const state = JSON.parse(fs.readFileSync(file, 'utf8')) as SavedState;
    if (state.format !== 'idm-rel-serve-state' || !Array.isArray(state.steps)) throw new Error('not a state file written by idm-rel serve');
    return state;
  } catch (error) {
    io.stderr(`idm-rel serve: cannot load the state from ${file}: ${error instanceof Error ? error.message : String(error)}\n`);
    return null;
  }
}

/**
 * Watches the config's folder and, a moment after the last change to a `.json` file in it, reads the config again:
 * `apply` gets a schema to switch to, `report` a reason the edit is not applied (unreadable JSON: IDM fails to load
 * a config file that does not parse).
 */
function watchConfig(schema: Schema, read: () => Schema | undefined, apply: (schema: Schema) => void, report: (problem: string) => void): { close(): void } {
  const folders = new Set(schema.files.map((file) => path.dirname(file.uri)));
  const watchers: fs.FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  const changed = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      const next = read();
      if (!next || next.objectTypes.length === 0) return report('no managed config can be read there any more');
      const broken = next.files.find((file) => file.syntaxErrors.length > 0);
      if (broken) return report(`${broken.uri} is not valid JSON: ${broken.syntaxErrors[0].message}`);
      apply(next);
    }, 150);
  };
  for (const folder of folders) {
    try {
      watchers.push(fs.watch(folder, (_event, name) => {
        if (!name || String(name).endsWith('.json')) changed();
      }));
    } catch {
      // A folder that cannot be watched: edits there are not followed.
    }
  }
  return {
    close() {
      if (timer) clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
}

function processStopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

function parseArgs(args: string[]): ServeArgs {
  const result: ServeArgs = { port: 8080, host: '127.0.0.1', bodyLimit: DEFAULT_BODY_LIMIT, help: false };
  forEachArg(args, ({ flag, arg, value }) => {
    const integer = (text: string, min: number, max: number): number => {
      if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) throw new UsageError(`${flag} takes an integer from ${min} to ${max}, not ${text}`);
      return Number(text);
    };
    switch (flag) {
      case '-h':
      case '--help':
        result.help = true;
        break;
      case '--config':
        result.config = value();
        break;
      case '--port':
        result.port = integer(value(), 0, 65535);
        break;
      case '--host':
        result.host = value();
        break;
      case '--populate':
        result.populate = parsePopulate(value());
        break;
      case '--state':
        result.state = value();
        break;
      case '--seed':
        result.seed = seedArg(value());
        break;
      case '--idm':
        result.idm = releaseArg(value());
        break;
      case '--body-limit':
        result.bodyLimit = integer(value(), 1, 2 ** 31);
        break;
      default:
        throw new UsageError(`unknown option ${arg}`);
    }
  });
  return result;
}
