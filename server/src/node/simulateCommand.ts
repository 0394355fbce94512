/**
 * `idm-rel simulate`: runs a `.idmsim` scenario against the relationship simulator, or bulk-loads
 * generated data to measure it.
 *
 *   idm-rel simulate <scenario.idmsim> [--config <path>] [--format text|json] [--seed N] [--idm <release>]
 *   idm-rel simulate --populate user=100000,role=1000 [--config <path>] [--seed N]
 *
 * The config is, in order: `--config`, the scenario's `@config` (relative to the scenario), or the
 * nearest folder at or above the scenario (the working folder for `--populate` alone) that holds a
 * managed config: `managed.json`, `conf/managed.json`, or per-object files under `managed-objects/`
 * (fr-config-manager) or `managed/` (frodo --separate), each with the `internal.json` beside it.
 *
 * Exit codes: 0 when every request ran, whatever the statuses; 1 when the simulator failed on a
 * request; 2 when the arguments, the scenario or the config cannot be used.
 */
import * as fs from 'fs';
import * as path from 'path';
import { locateScenarioConfig, type ExplicitConfig, type LocatedConfig } from '../core/scenario/locateConfig';
import { diskConfigLookup } from './configLookup';
import { ScenarioRun, type ScenarioResult } from '../core/scenario/scenarioRun';
import { KNOWN_RELEASES, NEWEST_RELEASE, type IdmRelease } from '../core/simulator/release';
import { allScenarioErrors, parseScenario } from '../core/scenario/scenario';
import { renderResult } from '../core/scenario/renderResults';
import { LineIndex } from '../core/text/lineIndex';
import { compareAnswers, describeDifference, type AnswerDifference } from '../core/scenario/compareResponses';
import { credentialsFromEnvironment, sendToTarget, type TargetAnswer } from './targetRun';
import { configArg, forEachArg, posixPath, readCommandLine, releaseArg, seedArg, UsageError } from './cliArgs';

export interface SimulateIo {
  /** The folder relative paths are taken from. */
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** The file's text, or undefined when it cannot be read (missing, a folder, no permission). */
  readFile(file: string): string | undefined;
  /** The `.json` files in `dir` and its subfolders (a few levels deep); [] when `dir` is not a folder. */
  listConfigFiles(dir: string): string[];
  /** Milliseconds, for timing `--populate`; `Date.now` when absent. */
  now?(): number;
  /** Where `--target` credentials come from (IDM_USERNAME/IDM_PASSWORD, IDM_BEARER_TOKEN); `process.env` when absent. */
  env?: NodeJS.ProcessEnv;
}

export const SIMULATE_USAGE = [
  'Usage:',
  '  idm-rel simulate <scenario.idmsim> [--config <path>] [--format text|json] [--seed N] [--idm <release>]',
  '  idm-rel simulate --populate user=100000,role=1000 [--config <path>] [--seed N]',
  '  idm-rel simulate <scenario.idmsim> --target http://localhost:8080/openidm',
  '',
  'Runs the requests of a scenario against a simulated IDM built from the managed config, and prints',
  'each response with the notifications it caused. --populate loads generated objects and relationships.',
  '',
  'Options:',
  '  --config <path>   managed.json, a per-object config folder, or a folder holding either',
  '                    (default: the scenario\'s @config, else the nearest managed config at or above it)',
  '  --format text|json',
  '  --seed N          seed for generated ids and data',
  `  --idm <release>   the IDM release to answer as when the scenario has no @idm line: ${KNOWN_RELEASES.join(', ')} (default ${NEWEST_RELEASE})`,
  '  --populate spec   counts per object type: user=1000,role=10',
  '  --target <url>    also send every request to this server (default: the scenario\'s @target) and show, per',
  '                    request, where its answer differs from the simulator\'s (generated ids and revisions aside);',
  '                    credentials from IDM_USERNAME/IDM_PASSWORD or IDM_BEARER_TOKEN. Exit 1 when any differs.',
].join('\n');

interface SimulateArgs {
  scenario?: string;
  config?: string;
  format: 'text' | 'json';
  seed?: number;
  idm?: IdmRelease;
  populate?: Record<string, number>;
  target?: string;
  help: boolean;
}

export async function runSimulateCommand(args: string[], io: SimulateIo): Promise<number> {
  const parsed = readCommandLine('simulate', SIMULATE_USAGE, () => parseArgs(args), io);
  if (typeof parsed === 'number') return parsed;

  let scenarioText: string | undefined;
  let scenarioPath: string | undefined;
  if (parsed.scenario) {
    scenarioPath = path.resolve(io.cwd, parsed.scenario);
    scenarioText = io.readFile(scenarioPath);
    if (scenarioText === undefined) {
      io.stderr(`idm-rel simulate: cannot read the scenario ${scenarioPath}\n`);
      return 2;
    }
  }
  const scenario = scenarioText === undefined ? undefined : parseScenario(scenarioText);

  const located = locateConfig(parsed, scenarioPath, scenario?.config?.path, io);
  if ('reason' in located) {
    io.stderr(`idm-rel simulate: ${located.reason}\n`);
    return 2;
  }
  const schema = located.schema;
  const syntaxProblems = schema.files.filter((f) => f.syntaxErrors.length > 0);
  for (const file of syntaxProblems) {
    const at = new LineIndex(file.text).positionAt(file.syntaxErrors[0].offset);
    io.stderr(`${file.uri}:${at.line + 1}:${at.character + 1}: warning: ${file.syntaxErrors[0].message} (the simulator uses what could be read)\n`);
  }

  // The scenario states the release it expects (`@idm`); --idm is the default for scenarios that do not.
  const release = scenario?.idm?.release ?? parsed.idm;
  const run = ScenarioRun.start(schema, { ...(parsed.seed === undefined ? {} : { seed: parsed.seed }), ...(release === undefined ? {} : { release }) });
  if (!(run instanceof ScenarioRun)) {
    io.stderr(`idm-rel simulate: IDM would not load this config:\n${run.refused.map((r) => `  ${r}`).join('\n')}\n`);
    return 2;
  }

  if (parsed.populate) {
    const populated = populate(run, parsed.populate, parsed.seed, io);
    if (populated !== 0) return populated;
  }
  if (!scenario || !scenarioPath || scenarioText === undefined) return 0;

  const index = new LineIndex(scenarioText);
  for (const problem of allScenarioErrors(scenario)) {
    const at = index.positionAt(problem.range.start);
    io.stderr(`${scenarioPath}:${at.line + 1}:${at.character + 1}: ${problem.severity}: ${problem.message} [${problem.code}]\n`);
  }
  const results = run.sendAll(scenario);
  const target = parsed.target ?? scenario.target?.url;
  if (target) return compareWithTarget(target, results, scenario.requests.map((r) => index.positionAt(r.range.start).line + 1), parsed.format, io);
  if (parsed.format === 'json') {
    io.stdout(`${JSON.stringify(results.map(toJsonResult), null, 2)}\n`);
  } else {
    io.stdout(formatText(results, scenario.requests.map((r) => index.positionAt(r.range.start).line + 1)));
  }
  const crashed = results.filter((r) => r.crashed);
  for (const result of crashed) io.stderr(`idm-rel simulate: the simulator failed on request ${result.index + 1}: ${result.crashed}\n`);
  return crashed.length ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------------
// Arguments

function parseArgs(args: string[]): SimulateArgs {
  const result: SimulateArgs = { format: 'text', help: false };
  forEachArg(args, ({ flag, arg, value }) => {
    switch (flag) {
      case '-h':
      case '--help':
        result.help = true;
        break;
      case '--config':
        result.config = value();
        break;
      case '--format': {
        const format = value();
        if (format !== 'text' && format !== 'json') throw new UsageError(`--format is text or json, not ${format}`);
        result.format = format;
        break;
      }
      case '--seed':
        result.seed = seedArg(value());
        break;
      case '--populate':
        result.populate = parsePopulate(value());
        break;
      case '--target': {
        const target = value();
        if (!/^https?:\/\/[^/?#\s@]+/.test(target)) throw new UsageError(`--target takes an http(s) URL without credentials, not ${target}`);
        result.target = target.replace(/\/+$/, '');
        break;
      }
      case '--idm':
        result.idm = releaseArg(value());
        break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
        if (result.scenario) throw new UsageError(`one scenario at a time (got ${result.scenario} and ${arg})`);
        result.scenario = arg;
    }
  });
  if (!result.help && !result.scenario && !result.populate) throw new UsageError('give a scenario file or --populate');
  return result;
}

/** `user=100000,role=1000` (or `managed/user=...`): counts per managed object type. */
export function parsePopulate(spec: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const match = /^((?:managed\/)?[A-Za-z0-9_-]+)\s*=\s*(\d+)$/.exec(part);
    if (!match) throw new UsageError(`--populate takes type=count pairs (user=1000,role=10), not ${part}`);
    counts[match[1]] = (counts[match[1]] ?? 0) + Number(match[2]);
  }
  if (Object.keys(counts).length === 0) throw new UsageError('--populate needs at least one type=count');
  return counts;
}

// ---------------------------------------------------------------------------------------------------
// Finding the config

function locateConfig(args: SimulateArgs, scenarioPath: string | undefined, directive: string | undefined, io: SimulateIo): LocatedConfig {
  const explicit: ExplicitConfig | undefined = args.config
    ? configArg(io.cwd, args.config)
    : directive && scenarioPath ? { location: posixPath(path.resolve(path.dirname(scenarioPath), directive)), written: `@config ${directive}` } : undefined;
  return locateScenarioConfig(scenarioPath && posixPath(scenarioPath), explicit, diskConfigLookup(io), posixPath(io.cwd));
}

// ---------------------------------------------------------------------------------------------------
// Populate

function populate(run: ScenarioRun, counts: Record<string, number>, seed: number | undefined, io: SimulateIo): number {
  const now = io.now ?? Date.now;
  const started = now();
  const report = run.populate(counts, seed);
  const elapsed = now() - started;
  for (const skipped of report.skipped) io.stderr(`idm-rel simulate: --populate: ${skipped}\n`);
  const objects = Object.values(report.objects).reduce((sum, n) => sum + n, 0);
  if (Object.keys(report.objects).length === 0) {
    io.stderr('idm-rel simulate: --populate created nothing\n');
    return 2;
  }
  const lines = [`Populated ${objects} objects and ${report.edges} relationship edges in ${elapsed} ms`];
  for (const [collection, count] of Object.entries(report.objects)) lines.push(`  ${collection}: ${count} objects`);
  for (const [relationship, count] of Object.entries(report.edgesByRelationship)) lines.push(`  ${relationship}: ${count} edges`);
  io.stdout(`${lines.join('\n')}\n`);
  return 0;
}

// ---------------------------------------------------------------------------------------------------
// Against a target server

/**
 * Sends the scenario's requests, in order, to the target and prints per request where its answer differs from the
 * simulator's. Exit 0 when none differs, 1 when some do (or the target did not answer).
 */
async function compareWithTarget(target: string, results: ScenarioResult[], lines: number[], format: 'text' | 'json', io: SimulateIo): Promise<number> {
  const credentials = credentialsFromEnvironment(io.env ?? process.env);
  const compared: Array<{ result: ScenarioResult; answer: TargetAnswer; differences: AnswerDifference[] }> = [];
  for (const result of results) {
    const answer = await sendToTarget(target, result.request, credentials);
    const differences = answer.error
      ? [{ where: 'status', simulator: result.status, target: `no answer (${answer.error})` }]
      : compareAnswers({ status: result.status, body: result.body }, { status: answer.status, body: answer.body });
    compared.push({ result, answer, differences });
  }
  const differing = compared.filter((c) => c.differences.length > 0).length;
  if (format === 'json') {
    io.stdout(`${JSON.stringify(compared.map(({ result, answer, differences }) => ({
      ...(result.name !== undefined ? { name: result.name } : {}),
      request: { method: result.request.method, path: result.request.path, query: result.request.query },
      simulator: { status: result.status, body: result.body },
      target: { status: answer.status, body: answer.body, ...(answer.error ? { error: answer.error } : {}) },
      differences,
    })), null, 2)}\n`);
  } else {
    const out = [`Against ${target} with ${credentials.described}; generated ids and revisions are not compared.`, ''];
    compared.forEach(({ result, answer, differences }, i) => {
      const { method, path: resourcePath } = result.request;
      out.push(`## ${i + 1}. ${result.name ?? `${method} ${resourcePath}`} (line ${lines[i]})`);
      out.push(`${method} ${resourcePath} → simulator ${result.status}, target ${answer.error ? 'no answer' : answer.status}: ${differences.length ? `${differences.length} difference${differences.length === 1 ? '' : 's'}` : 'same'}`);
      for (const difference of differences) out.push(`- ${describeDifference(difference)}`);
      out.push('');
    });
    out.push(`${compared.length} request${compared.length === 1 ? '' : 's'} compared: ${differing ? `${differing} differ` : 'no differences'}`);
    io.stdout(`${out.join('\n')}\n`);
  }
  return differing ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------------
// Output

function toJsonResult(result: ScenarioResult) {
  const { method, path: resourcePath, query, headers, body } = result.request;
  return {
    ...(result.name !== undefined ? { name: result.name } : {}),
    request: { method, path: resourcePath, query, headers, body: body ?? null },
    status: result.status,
    body: result.body,
    notifications: result.notifications,
    relationshipChanges: result.relationshipChanges,
  };
}

function formatText(results: ScenarioResult[], lines: number[]): string {
  const out: string[] = [];
  const byClass = new Map<string, number>();
  results.forEach((result, i) => {
    out.push(...renderResult(result, lines[i], i + 1), '');
    const statusClass = `${Math.floor(result.status / 100)}xx`;
    byClass.set(statusClass, (byClass.get(statusClass) ?? 0) + 1);
  });
  const classes = [...byClass.entries()].sort().map(([k, n]) => `${n} ${k}`).join(', ');
  out.push(`${results.length} request${results.length === 1 ? '' : 's'} run${classes ? `: ${classes}` : ''}`);
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------------
// The real file system

/** The io the CLI uses: the process's folder and streams, and the file system. */
export function nodeSimulateIo(): SimulateIo {
  return {
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readFile: (file) => {
      try {
        return fs.statSync(file).isFile() ? fs.readFileSync(file, 'utf8') : undefined;
      } catch {
        return undefined;
      }
    },
    listConfigFiles: (dir) => listJsonFiles(dir, 3),
    now: () => Date.now(),
  };
}

function listJsonFiles(dir: string, depth: number): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isFile() && entry.name.endsWith('.json')) found.push(full);
    else if (entry.isDirectory() && depth > 1 && !entry.name.startsWith('.') && entry.name !== 'node_modules') found.push(...listJsonFiles(full, depth - 1));
  }
  return found.sort();
}
