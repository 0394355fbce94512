// Starts a real VS Code (code-server, the VS Code workbench served to a browser) for the end-to-end suite.
// Each server gets its own temp folder holding its user data, extensions, config and logs, so runs never share state
// and nothing is written to the user's home. Requires `node scripts/e2e-setup.mjs` to have run (it writes
// .e2e-cache/e2e-env.json, read here).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export interface E2eEnvironment {
  /** Node 24 binary that runs code-server. */
  node: string;
  /** code-server's CLI entry point (out/node/entry.js). */
  codeServerEntry: string;
  codeServerVersion: string;
  /** Browser for Playwright. */
  chromium: string;
}

export interface CodeServerOptions {
  /** Folder opened in the workbench. */
  workspace: string;
  /** VSIX files installed (with --install-extension) before the server starts. */
  vsixes?: string[];
  /** User settings merged over the quiet defaults below. */
  settings?: Record<string, unknown>;
  /** Built-in extensions to leave out; default UNNEEDED_BUILTIN_EXTENSIONS. */
  disabledExtensions?: string[];
  /** Milliseconds to wait for the server to answer; default 60 s. */
  timeoutMs?: number;
  /** Port on 127.0.0.1; default 0, a free port the OS picks. */
  port?: number;
  /** Keep the temp folder (user data, logs) after stop(), for debugging. */
  keepTempDir?: boolean;
  /** Environment variables added for code-server and the extension hosts it starts (they inherit its environment). */
  environment?: Record<string, string>;
}

export interface CodeServer {
  /** Base URL, e.g. http://127.0.0.1:41234/ */
  url: string;
  /** URL that opens `workspace` in the workbench. */
  workbenchUrl: string;
  workspace: string;
  tempDir: string;
  userDataDir: string;
  extensionsDir: string;
  /** Milliseconds from spawn to the first healthy answer. */
  startupMs: number;
  /** Everything code-server printed so far. */
  log(): string;
  /**
   * Resolves once an extension host has activated its startup extensions. Quick Open's file search, diagnostics and every other extension feature
   * run there, so this is the readiness signal for anything beyond the bare workbench.
   */
  waitForExtensionHost(timeoutMs?: number): Promise<void>;
  /** Resolves once the extension `id` ("publisher.name") has been activated in an extension host. */
  waitForExtensionActivated(id: string, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Settings that keep the workbench free of pop-ups, tours and network chatter that would make tests flaky. */
export const QUIET_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'files.autoSave': 'off',
};

/**
 * Built-in extensions that activate at startup and have nothing to do with this project's tests. On a 2-core machine
 * they keep the extension host busy for many seconds after the workbench appears, delaying everything behind it
 * (Quick Open's file search included).
 */
export const UNNEEDED_BUILTIN_EXTENSIONS = [
  'GitHub.copilot-chat',
  'vscode.git',
  'vscode.git-base',
  'vscode.github',
  'vscode.github-authentication',
  'vscode.debug-auto-launch',
  'vscode.merge-conflict',
  'ms-vscode.js-debug',
  'vscode.typescript-language-features',
  'vscode.emmet',
  'vscode.npm',
];

/** The repository root: the nearest folder above this file holding a package.json (works from test/ and out/test/). */
export function repoRoot(from: string = __dirname): string {
  let dir = resolve(from);
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

export function readE2eEnvironment(): E2eEnvironment {
  const cacheDir = process.env.E2E_CACHE_DIR ? resolve(process.env.E2E_CACHE_DIR) : join(repoRoot(), '.e2e-cache');
  const file = join(cacheDir, 'e2e-env.json');
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`node scripts/e2e-setup.mjs\` first`);
  const environment = JSON.parse(readFileSync(file, 'utf8')) as E2eEnvironment;
  for (const path of [environment.node, environment.codeServerEntry, environment.chromium]) {
    if (!existsSync(path)) throw new Error(`${path} (from ${file}) is missing: run \`node scripts/e2e-setup.mjs\` again`);
  }
  return environment;
}

/** The extension's VSIX under test: test/e2e/run.mjs packages it and passes it in E2E_VSIX. */
export function extensionVsix(): string {
  const vsix = process.env.E2E_VSIX;
  if (!vsix || !existsSync(vsix)) throw new Error('E2E_VSIX is not set to a VSIX: run the scenarios with `node test/e2e/run.mjs`');
  return vsix;
}

interface ServerDirs {
  tempDir: string;
  userDataDir: string;
  extensionsDir: string;
  configFile: string;
  env: NodeJS.ProcessEnv;
}

function makeServerDirs(settings: Record<string, unknown>): ServerDirs {
  const tempDir = mkdtempSync(join(tmpdir(), 'idm-e2e-code-server-'));
  const userDataDir = join(tempDir, 'user-data');
  const extensionsDir = join(tempDir, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  // An explicit (empty) config file stops code-server writing ~/.config/code-server/config.yaml.
  const configFile = join(tempDir, 'config.yaml');
  writeFileSync(configFile, '');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_CONFIG_HOME: join(tempDir, 'xdg-config'),
    XDG_DATA_HOME: join(tempDir, 'xdg-data'),
    XDG_CACHE_HOME: join(tempDir, 'xdg-cache'),
  };
  // A password in the environment would switch authentication back on.
  delete env.PASSWORD;
  delete env.HASHED_PASSWORD;
  return { tempDir, userDataDir, extensionsDir, configFile, env };
}

function installVsix(environment: E2eEnvironment, dirs: ServerDirs, vsix: string): void {
  const result = spawnSync(
    environment.node,
    [
      environment.codeServerEntry,
      '--config', dirs.configFile,
      '--user-data-dir', dirs.userDataDir,
      '--extensions-dir', dirs.extensionsDir,
      '--install-extension', resolve(vsix),
      '--force',
    ],
    { env: dirs.env, encoding: 'utf8', timeout: 120_000 },
  );
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0 || !/successfully installed/i.test(output)) {
    throw new Error(`installing ${vsix} failed (exit ${result.status}):\n${output}`);
  }
}

function httpStatus(url: string): Promise<number> {
  return new Promise((resolvePromise) => {
    const request = get(url, (response) => {
      response.resume();
      resolvePromise(response.statusCode ?? 0);
    });
    request.on('error', () => resolvePromise(0));
    request.setTimeout(2_000, () => request.destroy());
  });
}

/** Resolves when `condition` returns a value other than undefined; polls, since a process log has no event for "line X appeared". */
async function waitFor<T>(what: string, timeoutMs: number, condition: () => T | undefined | Promise<T | undefined>, failure: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${failure()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Concatenated extension host logs (user-data/logs/<session>/exthost<N>/remoteexthost.log). */
function readExtensionHostLogs(userDataDir: string): string {
  const logsDir = join(userDataDir, 'logs');
  if (!existsSync(logsDir)) return '';
  return readdirSync(logsDir, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('remoteexthost.log'))
    .map((path) => readFileSync(join(logsDir, path), 'utf8'))
    .join('\n');
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    // code-server forks helpers (its VS Code server, extension hosts): signal the whole process group.
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * Starts code-server on 127.0.0.1, by default on a free port (the OS picks it: --bind-addr 127.0.0.1:0, and the chosen
 * port is read from the log), with authentication, telemetry, update checks and workspace trust off, after installing `vsixes`.
 */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const environment = readE2eEnvironment();
  const timeoutMs = options.timeoutMs ?? 60_000;
  const workspace = resolve(options.workspace);
  if (!existsSync(workspace)) throw new Error(`workspace ${workspace} does not exist`);
  const dirs = makeServerDirs({ ...QUIET_SETTINGS, ...options.settings });
  // The VS Code server leaves out the built-in extensions named here when it scans them (so they never activate).
  dirs.env.VSCODE_SKIP_BUILTIN_EXTENSIONS = (options.disabledExtensions ?? UNNEEDED_BUILTIN_EXTENSIONS).join(',');
  Object.assign(dirs.env, options.environment);
  for (const vsix of options.vsixes ?? []) installVsix(environment, dirs, vsix);

  const started = performance.now();
  const child = spawn(
    environment.node,
    [
      environment.codeServerEntry,
      '--config', dirs.configFile,
      '--bind-addr', `127.0.0.1:${options.port ?? 0}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      '--user-data-dir', dirs.userDataDir,
      '--extensions-dir', dirs.extensionsDir,
      workspace,
    ],
    { env: dirs.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const logStream = createWriteStream(join(dirs.tempDir, 'code-server.log'));
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    logStream.write(chunk);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const killOnExit = () => killGroup(child, 'SIGKILL');
  process.once('exit', killOnExit);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', killOnExit);
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
    await new Promise((r) => logStream.end(r));
    if (!options.keepTempDir) rmSync(dirs.tempDir, { recursive: true, force: true });
  };

  try {
    const describe = () => `code-server log (${dirs.tempDir}):\n${output}`;
    const url = await waitFor('code-server to listen', timeoutMs, () => {
      if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}\n${describe()}`);
      return /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)?.[1];
    }, describe);
    await waitFor('code-server /healthz', timeoutMs, async () => ((await httpStatus(`${url}healthz`)) === 200 ? true : undefined), describe);
    const startupMs = performance.now() - started;
    return {
      url,
      workbenchUrl: `${url}?folder=${encodeURIComponent(workspace)}`,
      workspace,
      tempDir: dirs.tempDir,
      userDataDir: dirs.userDataDir,
      extensionsDir: dirs.extensionsDir,
      startupMs,
      log: () => output,
      waitForExtensionHost: async (ms = timeoutMs) => {
        await waitFor('the extension host to activate its startup extensions', ms, () =>
          readExtensionHostLogs(dirs.userDataDir).includes('Eager extensions activated') ? true : undefined,
        () => readExtensionHostLogs(dirs.userDataDir));
      },
      waitForExtensionActivated: async (id, ms = timeoutMs) => {
        const activated = new RegExp(`_doActivateExtension ${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')},`, 'i');
        await waitFor(`extension ${id} to activate`, ms, () => (activated.test(readExtensionHostLogs(dirs.userDataDir)) ? true : undefined),
          () => readExtensionHostLogs(dirs.userDataDir));
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
