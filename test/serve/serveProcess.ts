/**
 * Starts `dist/cli.js serve` as a child process on a free loopback port and talks to it over real HTTP.
 * Nothing here measures time: waits are for an event (a line printed, a condition met), bounded only so that a
 * broken server fails the test instead of hanging it.
 */
import { spawn, type ChildProcess } from 'child_process';
import * as http from 'http';
import * as path from 'path';
import { REPO_ROOT } from '../helpers/fixtures';

export interface ServeProcess {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  port: number;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** SIGTERM, then the exit code and everything printed. */
  stop(): Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** Resolves once `predicate` holds for the output printed so far. */
  waitForOutput(predicate: (stdout: string, stderr: string) => boolean, what: string): Promise<void>;
}

export async function startServe(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'serve', '--port', '0', '--host', '127.0.0.1', ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  const notify = () => { for (const waiter of [...waiters]) waiter(); };
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => { out += chunk; notify(); });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { err += chunk; notify(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => { notify(); resolve(code); }));

  const waitForOutput = (predicate: (stdout: string, stderr: string) => boolean, what: string) => new Promise<void>((resolve, reject) => {
    const check = () => {
      if (predicate(out, err)) { waiters.delete(check); clearTimeout(limit); resolve(); return; }
      if (child.exitCode !== null) { waiters.delete(check); clearTimeout(limit); reject(new Error(`serve exited (${child.exitCode}) before ${what}:\n${out}\n${err}`)); }
    };
    const limit = setTimeout(() => { waiters.delete(check); reject(new Error(`no ${what} from serve:\n${out}\n${err}`)); }, 30_000);
    waiters.add(check);
    check();
  });

  await waitForOutput((stdout) => /Listening on http:\/\/127\.0\.0\.1:\d+\/openidm/.test(stdout), 'listening line');
  const port = Number(/Listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out)![1]);
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    child,
    stdout: () => out,
    stderr: () => err,
    waitForOutput,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const code = await exited;
      return { code, stdout: out, stderr: err };
    },
  };
}

export interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  body: unknown;
}

/** One request with Node's http (no keep-alive pool surprises): the raw text and its JSON. */
export function request(origin: string, method: string, target: string, options: { headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${origin}${target}`, { method, headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try { body = text ? JSON.parse(text) : undefined; } catch { body = text; }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** The request target of a simulator request: `/openidm/<path>?<query>`. */
export function targetOf(simPath: string, query: Record<string, string>): string {
  const encodedPath = simPath.split('/').map(encodeURIComponent).join('/');
  const search = new URLSearchParams(query).toString();
  return `/openidm/${encodedPath}${search ? `?${search}` : ''}`;
}
