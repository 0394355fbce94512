/** Graph data for the browser tests, computed by the real core from fixture configs and a simulated scenario. */
import * as fs from 'fs';
import * as path from 'path';
import { buildSchemaGraph } from '../../server/src/core/graph/schemaGraph';
import { buildSimulationGraph } from '../../server/src/core/graph/simulationGraph';
import { parseScenario } from '../../server/src/core/scenario/scenario';
import { ScenarioRun } from '../../server/src/core/scenario/scenarioRun';
import { Workspace } from '../../server/src/core/model/workspace';
import type { WireGraph } from '../../client/webview/shared/messages';
import { fixturePath, uriOf } from '../helpers/fixtures';
import { toWireGraph } from './harness';

export const IDM_ONLY = 'ForgeRock_forgeops/docker/idm/config-profiles/idm-only/conf/managed.json';
export const AIC_TEMPLATE = 'rockcarver_frodo-lib/src/ops/templates/cloud/managed.json';
export const PREPROD_COPY = 'tahahasan88_idmapi/conf/managed.json';

export interface FixtureGraph {
  uri: string;
  text: string;
  graph: WireGraph;
}

/** The schema view of a config under test/fixtures/corpus/ (with the internal.json beside it). */
export function fixtureGraph(relative: string): FixtureGraph {
  const file = fixturePath('corpus', relative);
  const texts: Record<string, string> = {};
  const workspace = new Workspace();
  const uri = uriOf(file);
  texts[uri] = fs.readFileSync(file, 'utf8');
  workspace.setFile(uri, texts[uri]);
  const internal = path.join(path.dirname(file), 'internal.json');
  if (fs.existsSync(internal)) {
    texts[uriOf(internal)] = fs.readFileSync(internal, 'utf8');
    workspace.setFile(uriOf(internal), texts[uriOf(internal)]);
  }
  return { uri, text: texts[uri], graph: toWireGraph(buildSchemaGraph(workspace.schemaFor(uri)!), texts) };
}

export function textGraph(text: string, uri = 'file:///ws/conf/managed.json'): FixtureGraph {
  const workspace = new Workspace();
  workspace.setFile(uri, text);
  return { uri, text, graph: toWireGraph(buildSchemaGraph(workspace.schemaFor(uri)!), { [uri]: text }) };
}

export const INJECTION = '<img src=x onerror=alert(1)>';
export const INJECTION_TITLE = '<script>alert(2)</script>';

/** A config whose names are HTML: they must show as these characters and run nothing. */
export function injectionGraph(): FixtureGraph {
  const relationship = (target: string, reverse: string, many: boolean) => {
    const node = { type: 'relationship', reverseRelationship: true, reversePropertyName: reverse, resourceCollection: [{ path: target, query: { queryFilter: 'true', fields: ['name'] } }] };
    return many ? { type: 'array', items: node } : node;
  };
  const text = JSON.stringify({
    objects: [
      { name: 'user', schema: { title: INJECTION_TITLE, properties: { name: { type: 'string' }, [INJECTION]: relationship('managed/group', 'members', true) } } },
      { name: 'group', schema: { title: 'Group', properties: { name: { type: 'string' }, members: relationship('managed/user', INJECTION, true) } } },
    ],
  }, null, 2);
  return textGraph(text);
}

/**
 * A large schema: `types` object types (half in the alpha_/bravo_ realms) with exactly `edges` drawn relationships,
 * about 70% two-way pairs and 30% one-way, a few of them loops. Deterministic.
 */
export function largeGraph(types = 200, edges = 2000): FixtureGraph {
  const names = Array.from({ length: types }, (_, i) => (i % 4 === 0 ? `alpha_type${i}` : i % 4 === 1 ? `bravo_type${i}` : `type${i}`));
  const properties = names.map(() => ({ name: { type: 'string' } } as Record<string, unknown>));
  for (let k = 0; k < edges; k++) {
    const a = k % types;
    const b = (k * 7 + 13 + Math.floor(k / types) * 31) % types;
    const p = `rel${k}`;
    if (k % 10 < 7) {
      const q = `back${k}`;
      properties[a][p] = { type: 'array', items: { type: 'relationship', reverseRelationship: true, reversePropertyName: q, resourceCollection: [{ path: `managed/${names[b]}`, query: { queryFilter: 'true', fields: ['name'] } }] } };
      properties[b][q] = { type: 'relationship', reverseRelationship: true, reversePropertyName: p, resourceCollection: [{ path: `managed/${names[a]}`, query: { queryFilter: 'true', fields: ['name'] } }] };
    } else {
      properties[a][p] = { type: 'relationship', resourceCollection: [{ path: `managed/${names[b]}`, query: { queryFilter: 'true', fields: ['name'] } }] };
    }
  }
  const text = JSON.stringify({ objects: names.map((name, i) => ({ name, schema: { title: name, properties: properties[i] } })) });
  return textGraph(text, 'file:///ws/large/managed.json');
}

export const SCENARIO_URI = 'file:///ws/scenarios/team.idmsim';

export const SCENARIO = `@config ../conf/managed.json
### create bjensen
PUT /openidm/managed/user/bjensen
Content-Type: application/json

{ "userName": "bjensen", "givenName": "Barbara", "sn": "Jensen", "mail": "bjensen@example.com" }

### psmith reports to bjensen
PUT /openidm/managed/user/psmith
Content-Type: application/json

{ "userName": "psmith", "givenName": "Pat", "sn": "Smith", "mail": "psmith@example.com",
  "manager": { "_ref": "managed/user/bjensen", "_refProperties": { "since": "2024" } } }

### an organization
PUT /openidm/managed/organization/acme
Content-Type: application/json

{ "name": "acme" }

### psmith joins acme
POST /openidm/managed/organization/acme/members
Content-Type: application/json

{ "_ref": "managed/user/psmith" }

### a role
PUT /openidm/managed/role/admins
Content-Type: application/json

{ "name": "admins" }

### psmith joins the role through the role's members
POST /openidm/managed/role/admins/members
Content-Type: application/json

{ "_ref": "managed/user/psmith" }
`;

/** The simulation view of SCENARIO run on the idm-only profile. */
export function simulationGraph(): WireGraph {
  const file = fixturePath('corpus', IDM_ONLY);
  const workspace = new Workspace();
  const uri = uriOf(file);
  workspace.setFile(uri, fs.readFileSync(file, 'utf8'));
  const internal = path.join(path.dirname(file), 'internal.json');
  workspace.setFile(uriOf(internal), fs.readFileSync(internal, 'utf8'));
  const run = ScenarioRun.start(workspace.schemaFor(uri)!, { seed: 1 });
  if (!(run instanceof ScenarioRun)) throw new Error(run.refused.join('\n'));
  run.sendAll(parseScenario(SCENARIO));
  // Every step drawn, as if the user had visited each (the server draws one per answer).
  const graph = buildSimulationGraph(SCENARIO_URI, run, { origin: 'live' });
  graph.steps = graph.steps.map((_, k) => buildSimulationGraph(SCENARIO_URI, run, { step: k, origin: 'live' }).steps[k]);
  return toWireGraph(graph, { [SCENARIO_URI]: SCENARIO });
}
