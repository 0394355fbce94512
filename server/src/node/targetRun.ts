/**
 * Runs a scenario's requests against a real server (`@target`, `idm-rel simulate --target`): each request is sent
 * as the scenario writes it, with Node's `fetch`, to `<target>/<path>?<query>`. Credentials come from the
 * environment, never from the scenario file:
 *
 *   IDM_USERNAME + IDM_PASSWORD   sent as X-OpenIDM-Username / X-OpenIDM-Password (self-managed IDM)
 *   IDM_BEARER_TOKEN              sent as Authorization: Bearer <token> (PingOne Advanced Identity Cloud)
 *
 * They replace any credential header the scenario carries (a curl command pasted from the docs holds
 * `openidm-admin`).
 */
import type { SimRequest } from '../core/simulator/types';

export interface TargetCredentials {
  headers: Record<string, string>;
  /** What was used, for the report: never the secret itself. */
  described: string;
}

export const CREDENTIAL_HEADERS = ['x-openidm-username', 'x-openidm-password', 'authorization'];

export function credentialsFromEnvironment(env: NodeJS.ProcessEnv): TargetCredentials {
  if (env.IDM_BEARER_TOKEN) return { headers: { Authorization: `Bearer ${env.IDM_BEARER_TOKEN}` }, described: 'a bearer token from IDM_BEARER_TOKEN' };
  if (env.IDM_USERNAME && env.IDM_PASSWORD !== undefined) {
    return { headers: { 'X-OpenIDM-Username': env.IDM_USERNAME, 'X-OpenIDM-Password': env.IDM_PASSWORD }, described: `user ${env.IDM_USERNAME} from IDM_USERNAME/IDM_PASSWORD` };
  }
  return { headers: {}, described: 'no credentials from the environment (the scenario\'s own headers, if any)' };
}

export interface TargetAnswer {
  status: number;
  body: unknown;
  /** Set when no answer came (connection refused, timeout): status is then 0. */
  error?: string;
}

/** The URL of a request on a target whose REST root is `target` (`http://localhost:8080/openidm`). */
export function targetUrl(target: string, request: SimRequest): string {
  const path = request.path.split('/').map(encodeURIComponent).join('/');
  const query = new URLSearchParams(request.query ?? {}).toString();
  return `${target.replace(/\/+$/, '')}/${path}${query ? `?${query}` : ''}`;
}

export async function sendToTarget(target: string, request: SimRequest, credentials: TargetCredentials, timeoutMs = 30_000): Promise<TargetAnswer> {
  const headers: Record<string, string> = {};
  const hasCredentials = Object.keys(credentials.headers).length > 0;
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (hasCredentials && CREDENTIAL_HEADERS.includes(name.toLowerCase())) continue;
    headers[name] = value;
  }
  Object.assign(headers, credentials.headers);
  const hasBody = request.body !== undefined || request.bodyError !== undefined;
  if (hasBody && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
  try {
    const response = await fetch(targetUrl(target, request), {
      method: request.method,
      headers,
      ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let body: unknown = null;
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    return { status: response.status, body };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return { status: 0, body: null, error: `${error instanceof Error ? error.message : String(error)}${cause}` };
  }
}
