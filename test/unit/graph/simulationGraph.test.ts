import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSimulationGraph, runScenarioForGraph } from '../../../server/src/core/graph/simulationGraph';
import { mapGraphLocations } from '../../../server/src/core/graph/mapLocations';
import { LineIndex } from '../../../server/src/core/text/lineIndex';
import { fixtureSchema, IDM_ONLY, inlineSchema, managedJson, relationship } from './helpers';

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

### a role
PUT /openidm/managed/role/admins
Content-Type: application/json

{ "name": "admins" }

### psmith joins the role through the role's members
POST /openidm/managed/role/admins/members
Content-Type: application/json

{ "_ref": "managed/user/psmith" }
`;

const URI = 'file:///ws/scenarios/team.idmsim';

function run() {
  const { schema } = fixtureSchema(IDM_ONLY);
  const result = runScenarioForGraph(schema, URI, SCENARIO);
  return buildSimulationGraph(URI, result.steps, result.errors);
}

test('one step per request, each with the objects and edges after it', () => {
  const graph = run();
  assert.deepEqual(graph.errors, []);
  assert.deepEqual(graph.steps.map((s) => `${s.label} ${s.status} ${s.nodes.length}/${s.edges.length}`), [
    'PUT managed/user/bjensen 201 1/0',
    'PUT managed/user/psmith 201 2/1',
    'PUT managed/role/admins 201 3/1',
    'POST managed/role/admins/members 201 3/2',
  ]);
  assert.deepEqual(graph.steps.map((s) => s.name), ['create bjensen', 'psmith reports to bjensen', 'a role', 'psmith joins the role through the role\'s members']);
  const manager = graph.steps[1].edges[0];
  assert.deepEqual([manager.source, manager.sourceProperty, manager.target, manager.targetProperty], ['managed/user/psmith', 'manager', 'managed/user/bjensen', 'reports']);
  assert.equal(manager.refProperties.since, '2024');
  assert.deepEqual(graph.steps[0].nodes.map((n) => n.label), ['bjensen']);
});

test('the objects the last write notified are marked, and the edge the notification travelled along', () => {
  const step = run().steps[3];
  // role.members' resourceCollection has notify: true, so the referenced user is notified through its roles field.
  const psmith = step.nodes.find((n) => n.id === 'managed/user/psmith')!;
  assert.deepEqual(psmith.notified.map((m) => `${m.reason} ${m.via} ${m.from} ${m.depth}`), ['notify roles managed/role/admins 1']);
  const onPath = step.edges.filter((e) => e.onNotificationPath).map((e) => `${e.source}.${e.sourceProperty}`);
  assert.deepEqual(onPath, ['managed/role/admins.members']);
  assert.equal(step.nodes.find((n) => n.id === 'managed/user/bjensen')!.notified.length, 0);
});

test('objects and edges link to the request that first wrote them', () => {
  const graph = run();
  const index = new LineIndex(SCENARIO);
  const lineOf = (offset: number) => index.positionAt(offset).line;
  const last = graph.steps[3];
  const bjensen = last.nodes.find((n) => n.id === 'managed/user/bjensen')!;
  assert.equal(SCENARIO.slice(bjensen.location!.range.start, bjensen.location!.range.end), 'PUT /openidm/managed/user/bjensen');
  const members = last.edges.find((e) => e.sourceProperty === 'members')!;
  assert.equal(lineOf(members.location!.range.start), lineOf(SCENARIO.indexOf('POST /openidm')));
});

test('a schema IDM would not load gives errors and no steps', () => {
  const schema = inlineSchema({ 'managed.json': managedJson({ user: { manager: { ...relationship('managed/user'), notifySelf: true } } }) });
  const result = runScenarioForGraph(schema, URI, SCENARIO);
  assert.equal(result.steps.length, 0);
  assert.equal(result.errors.length, 1);
  assert.match(result.errors[0], /notifySelf/);
});

test('locations convert to another range type, and unconvertible ones are dropped', () => {
  const graph = run();
  const index = new LineIndex(SCENARIO);
  const converted = mapGraphLocations(graph, (location) => (location.uri === URI
    ? { uri: location.uri, range: index.positionAt(location.range.start), span: index.positionAt(location.span.start) }
    : undefined));
  assert.equal(converted.view, 'simulation');
  if (converted.view !== 'simulation') return;
  assert.deepEqual(converted.steps[0].location?.range, { line: 2, character: 0 });
  const dropped = mapGraphLocations(graph, () => undefined);
  assert.ok(dropped.view === 'simulation' && dropped.steps.every((s) => s.location === undefined && s.nodes.every((n) => n.location === undefined)));
});
