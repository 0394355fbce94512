/** Running scenarios against the simulator: the docs' manager/reports story and the roles/assignments one. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readConfigFile } from '../../../../server/src/core/model/configFile';
import { Schema } from '../../../../server/src/core/model/schema';
import { startSimulator, type Simulator } from '../../../../server/src/core/simulator/engine';
import { runScenario, type ScenarioResult } from '../../../../server/src/core/scenario/runScenario';
import { readFixture } from './helpers';

const schema = new Schema('conf', [
  readConfigFile('conf/managed.json', readFixture('scenarios', 'conf', 'managed.json')),
  readConfigFile('conf/internal.json', readFixture('scenarios', 'conf', 'internal.json')),
]);

function run(text: string): ScenarioResult[] {
  const results = runScenario(schema, text);
  assert.ok(Array.isArray(results), 'the config is accepted');
  return results;
}

const byName = (results: ScenarioResult[], name: string): ScenarioResult => {
  const found = results.find((r) => r.name === name);
  assert.ok(found, name);
  return found;
};
const refs = (body: unknown): string[] => ((body as { result: Array<{ _ref: string }> }).result ?? []).map((r) => r._ref);

test('the manager/reports story: set, query with filter and paging, move, delete with referential integrity', () => {
  const results = run(readFixture('scenarios', 'manager-reports.idmsim'));
  assert.equal(results.length, 16);
  assert.ok(results.every((r) => r.status < 300), results.map((r) => `${r.name}: ${r.status}`).join('\n'));
  assert.deepEqual(refs(byName(results, "bjensen's reports: psmith and scarter").body).sort(), ['managed/user/psmith', 'managed/user/scarter']);
  assert.deepEqual(refs(byName(results, 'only the reports named Smith, one per page (pasted from the docs)').body), ['managed/user/psmith']);
  const first = byName(results, 'paging: the first report by userName...').body as { result: Array<{ userName: string }> };
  const second = byName(results, '...and the second').body as { result: Array<{ userName: string }> };
  assert.deepEqual([first.result.map((r) => r.userName), second.result.map((r) => r.userName)], [['psmith'], ['scarter']]);
  assert.equal((byName(results, "read psmith's manager (relationships are returned only when asked for)").body as any).manager._ref, 'managed/user/bjensen');
  assert.deepEqual(refs(byName(results, 'scarter now has psmith as a report...').body), ['managed/user/psmith']);
  assert.deepEqual(refs(byName(results, '...and bjensen only scarter').body), ['managed/user/scarter']);
  assert.equal((byName(results, "psmith's manager is gone").body as any).manager ?? null, null);
  assert.equal((byName(results, "and so is scarter's").body as any).manager ?? null, null);
});

test('the roles/assignments story reports who was notified and why', () => {
  const results = run(readFixture('scenarios', 'roles-assignments.idmsim'));
  const grant = byName(results, "grant the role to bjensen from the user's side: notifySelf on user.roles");
  assert.equal(grant.status, 201);
  assert.ok(grant.notifications.some((n) => n.object === 'managed/user/bjensen' && n.reason === 'notifySelf' && n.via === 'roles'));
  const attach = byName(results, "attach the assignment to the role: propagated to the role's members");
  assert.ok(attach.notifications.some((n) => n.object === 'managed/user/bjensen' && n.reason === 'notifyRelationships' && n.via === 'members'));
  const change = byName(results, "change the assignment's attributes: assignment -> roles -> members");
  assert.deepEqual(change.notifications.map((n) => n.object), ['managed/role/employee', 'managed/user/bjensen']);
  const refused = byName(results, 'scarter does not exist yet: role.members has validate, so this is refused (400)');
  assert.equal(refused.status, 400);
  const joined = byName(results, "now scarter joins through the role's members endpoint: role.members notifies the user");
  assert.equal(joined.status, 201);
  assert.ok(joined.notifications.some((n) => n.object === 'managed/user/scarter' && n.reason === 'notify'));
});

test('a simulator passed in keeps its state between runs', () => {
  const started = startSimulator(schema, { seed: 3 });
  assert.ok('simulator' in started);
  const simulator = started.simulator;
  runScenario(schema, 'PUT managed/role/r\n\n{ "name": "R" }', { simulator });
  const [again] = runScenario(schema, 'GET managed/role/r', { simulator }) as ScenarioResult[];
  assert.equal(again.status, 200);
  const [fresh] = runScenario(schema, 'GET managed/role/r') as ScenarioResult[];
  assert.equal(fresh.status, 404);
});

test('results keep the request, its name and its index; a malformed body is answered 400', () => {
  const results = run('### bad body\nPOST managed/role?_action=create\n\n{ "name": }\n###\nGET managed/role?_queryFilter=true');
  assert.deepEqual(results.map((r) => [r.index, r.name, r.status]), [[0, 'bad body', 400], [1, undefined, 200]]);
  assert.equal(results[0].request.path, 'managed/role');
});

test('a config IDM would refuse runs nothing and says why', () => {
  const broken = new Schema('conf', [readConfigFile('conf/managed.json', JSON.stringify({
    objects: [{ name: 'user', schema: { properties: { manager: { type: 'relationship', reverseRelationship: true, resourceCollection: [{ path: 'managed/user' }] } } } }],
  }))]);
  const run = runScenario(broken, 'GET managed/user?_queryFilter=true');
  assert.ok(!Array.isArray(run));
  assert.match(run.refused.join('\n'), /user\.manager/);
});

test('a simulator that throws answers 500 on that request, and the next requests still run', () => {
  let calls = 0;
  const flaky = {
    audit: { length: 0, edgeEntriesSince: () => [] },
    handle: () => {
      calls++;
      if (calls === 1) throw new Error('boom');
      return { status: 200, body: {}, notifications: [] };
    },
  } as unknown as Simulator;
  const results = runScenario(schema, 'GET managed/user/a\n###\nGET managed/user/b', { simulator: flaky }) as ScenarioResult[];
  assert.deepEqual(results.map((r) => [r.status, r.crashed]), [[500, 'boom'], [200, undefined]]);
});

test('each result lists the relationship changes its request made, as the audit log records them', () => {
  const results = run(readFixture('scenarios', 'manager-reports.idmsim'));
  const ends = (result: ScenarioResult) => result.relationshipChanges.map((c) => `${c.operation} ${c.cause} ${c.from.ref}.${c.from.property} -> ${c.to.ref}.${c.to.property}`);
  assert.deepEqual(ends(byName(results, 'create bjensen')), []);
  assert.deepEqual(ends(byName(results, "set psmith's manager to bjensen (pasted from the docs: \"Create a relationship\")")), ['create request managed/user/psmith.manager -> managed/user/bjensen.reports']);
  assert.deepEqual(ends(byName(results, "bjensen's reports: psmith and scarter")), [], 'a read changes nothing');
  assert.deepEqual(ends(byName(results, 'move psmith to scarter (pasted from the docs: "Update a relationship")')), ['update request managed/user/psmith.manager -> managed/user/scarter.reports']);
  assert.deepEqual(ends(byName(results, 'delete bjensen: referential integrity removes the references to her')).sort(), [
    'delete referential-integrity managed/user/psmith.manager -> managed/user/bjensen.reports',
    'delete referential-integrity managed/user/scarter.manager -> managed/user/bjensen.reports',
  ]);
});
