import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSimulationGraph, MAX_DRAWN_OBJECTS } from '../../../server/src/core/graph/simulationGraph';
import { parseScenario } from '../../../server/src/core/scenario/scenario';
import { ScenarioRun } from '../../../server/src/core/scenario/scenarioRun';
import type { Schema } from '../../../server/src/core/model/schema';
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

function replayed(schema: Schema = fixtureSchema(IDM_ONLY).schema, text = SCENARIO): ScenarioRun {
  const started = ScenarioRun.start(schema, { seed: 1 });
  assert.ok(started instanceof ScenarioRun);
  started.sendAll(parseScenario(text));
  return started;
}

/** The graph with step `step` drawn (the last when absent). */
function run(step?: number) {
  return buildSimulationGraph(URI, replayed(), { step, origin: 'replay' });
}

test('one step per request, each with the objects and edges after it', () => {
  const graph = run();
  assert.deepEqual(graph.errors, []);
  assert.equal(graph.origin, 'replay');
  const drawnEach = graph.steps.map((_, k) => run(k).steps[k]);
  assert.deepEqual(drawnEach.map((s) => `${s.label} ${s.status} ${s.nodes.length}/${s.edges.length}`), [
    'PUT managed/user/bjensen 201 1/0',
    'PUT managed/user/psmith 201 2/1',
    'PUT managed/role/admins 201 3/1',
    'POST managed/role/admins/members 201 3/2',
  ]);
  assert.deepEqual(graph.steps.map((s) => s.name), ['create bjensen', 'psmith reports to bjensen', 'a role', 'psmith joins the role through the role\'s members']);
  const manager = drawnEach[1].edges[0];
  assert.deepEqual([manager.source, manager.sourceProperty, manager.target, manager.targetProperty], ['managed/user/psmith', 'manager', 'managed/user/bjensen', 'reports']);
  assert.equal(manager.refProperties.since, '2024');
  assert.deepEqual(drawnEach[0].nodes.map((n) => n.label), ['bjensen']);
});

test('only the step asked for is drawn; the others are listed for the timeline', () => {
  const graph = run(1);
  assert.deepEqual(graph.steps.map((s) => s.drawn), [false, true, false, false]);
  assert.deepEqual(graph.steps.map((s) => s.nodes.length), [0, 2, 0, 0]);
  assert.deepEqual(run().steps.map((s) => s.drawn), [false, false, false, true]);
  // An earlier step is a replay of the history; it equals what the live simulator showed at that point.
  const live = ScenarioRun.start(fixtureSchema(IDM_ONLY).schema, { seed: 1 });
  assert.ok(live instanceof ScenarioRun);
  const scenario = parseScenario(SCENARIO);
  live.send(scenario, 0);
  live.send(scenario, 1);
  const atTwo = buildSimulationGraph(URI, live, { origin: 'live' }).steps[1];
  assert.deepEqual(atTwo, graph.steps[1]);
});

test('a state with more objects than can be drawn shows counts per type and relationship', () => {
  const run = replayed();
  run.populate({ user: MAX_DRAWN_OBJECTS + 50, role: 20 }, 7);
  const graph = buildSimulationGraph(URI, run, { origin: 'live' });
  const last = graph.steps[graph.steps.length - 1];
  assert.equal(last.label, `Populate user=${MAX_DRAWN_OBJECTS + 50}, role=20`);
  assert.equal(last.summarised, true);
  const users = last.nodes.find((n) => n.id === 'managed/user')!;
  assert.equal(users.label, `user: ${(MAX_DRAWN_OBJECTS + 52).toLocaleString('en-US')} objects`);
  assert.ok(last.nodes.length < 10, last.nodes.map((n) => n.id).join(', '));
  assert.ok(last.edges.some((e) => e.source === 'managed/user' && /^manager \(\d[\d,]*\)$/.test(e.sourceProperty)), last.edges.map((e) => e.sourceProperty).join(', '));
});

test('the objects the last write notified are marked, and the edge the notification travelled along', () => {
  const step = run(3).steps[3];
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
  const result = ScenarioRun.start(schema);
  assert.ok(!(result instanceof ScenarioRun));
  assert.equal(result.refused.length, 1);
  assert.match(result.refused[0], /notifySelf/);
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
