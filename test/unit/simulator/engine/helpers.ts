/** Shared setup for the simulator engine tests: real schemas from test/fixtures/corpus, and request shorthands. */
import * as assert from 'node:assert/strict';
import { readConfigFile } from '../../../../server/src/core/model/configFile';
import { Schema } from '../../../../server/src/core/model/schema';
import { startSimulator, type Simulator } from '../../../../server/src/core/simulator/engine';
import type { SimRequest, SimResponse } from '../../../../server/src/core/simulator/types';
import { readFixture } from '../../../helpers/fixtures';

export const FORGEOPS = 'corpus/ForgeRock_forgeops/docker/idm/config-profiles/idm-only/conf';
export const AIC = 'corpus/rockcarver_frodo-lib/src/ops/templates/cloud';
export const ENTITLEMENTS = 'corpus/PeteAzwork_IDM-Entitlements-Standalone/conf';

export function schemaFromTexts(files: Array<[uri: string, text: string]>): Schema {
  return new Schema('/conf', files.map(([uri, text]) => readConfigFile(uri, text)));
}

/** The IDM 7.x default schema (forgeops idm-only: user, role, assignment, organization + internal.json). */
export function forgeopsSchema(): Schema {
  return schemaFromTexts([
    [`/conf/managed.json`, readFixture(`${FORGEOPS}/managed.json`)],
    [`/conf/internal.json`, readFixture(`${FORGEOPS}/internal.json`)],
  ]);
}

export function aicSchema(): Schema {
  return schemaFromTexts([[`/conf/managed.json`, readFixture(`${AIC}/managed.json`)]]);
}

export function entitlementsSchema(): Schema {
  return schemaFromTexts([[`/conf/managed.json`, readFixture(`${ENTITLEMENTS}/managed.json`)]]);
}

/**
 * A schema edited from the forgeops one: `edit` receives the parsed managed.json and changes it
 * (to make broken pairs, switch validate off, ...).
 */
export function editedForgeops(edit: (managed: { objects: Array<{ name: string; schema: { properties: Record<string, any> } }> }) => void): Schema {
  const managed = JSON.parse(readFixture(`${FORGEOPS}/managed.json`));
  edit(managed);
  return schemaFromTexts([
    [`/conf/managed.json`, JSON.stringify(managed, null, 2)],
    [`/conf/internal.json`, readFixture(`${FORGEOPS}/internal.json`)],
  ]);
}

export function propertiesOf(managed: { objects: Array<{ name: string; schema: { properties: Record<string, any> } }> }, name: string): Record<string, any> {
  const object = managed.objects.find((o) => o.name === name);
  assert.ok(object, `no object ${name}`);
  return object.schema.properties;
}

export function start(schema: Schema = forgeopsSchema(), seed = 1): Simulator {
  const started = startSimulator(schema, { seed });
  assert.ok('simulator' in started, `refused: ${'refused' in started ? started.refused.join('; ') : ''}`);
  return started.simulator;
}

/** A client: `sim.get('managed/user/psmith', {_fields: 'manager'})`. */
export class Client {
  constructor(readonly sim: Simulator) {}

  request(method: string, path: string, options: { query?: Record<string, string>; headers?: Record<string, string>; body?: unknown; bodyError?: string } = {}): SimResponse {
    const request: SimRequest = { method, path, query: options.query ?? {}, headers: options.headers ?? {}, body: options.body };
    if (options.bodyError !== undefined) request.bodyError = options.bodyError;
    return this.sim.handle(request);
  }

  get(path: string, query: Record<string, string> = {}): SimResponse {
    return this.request('GET', path, { query });
  }

  post(path: string, body: unknown, query: Record<string, string> = {}): SimResponse {
    return this.request('POST', path, { body, query });
  }

  put(path: string, body: unknown, headers: Record<string, string> = {}, query: Record<string, string> = {}): SimResponse {
    return this.request('PUT', path, { body, headers, query });
  }

  patch(path: string, body: unknown, headers: Record<string, string> = {}): SimResponse {
    return this.request('PATCH', path, { body, headers });
  }

  delete(path: string, headers: Record<string, string> = {}): SimResponse {
    return this.request('DELETE', path, { headers });
  }

  /** Creates `managed/<type>/<id>` with `If-None-Match: *` and asserts 201. */
  create(type: string, id: string, body: Record<string, unknown>): any {
    const response = this.put(`managed/${type}/${id}`, body, { 'If-None-Match': '*' });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body;
  }

  /** The body of a successful response (asserts the status). */
  ok(response: SimResponse, status = 200): any {
    assert.equal(response.status, status, JSON.stringify(response.body));
    return response.body;
  }
}

/** The `_ref`s of a relationship value (object or list). */
export function refsOf(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item: any) => item._ref);
}

/** Everything observable about the state: snapshot and audit, for "nothing changed" checks. */
export function stateOf(sim: Simulator): string {
  return JSON.stringify({ snapshot: sim.snapshot(), audit: sim.audit.entries() });
}
