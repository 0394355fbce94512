/** Comparing a server's answer with the simulator's (Run all against target), and the `@target` directive. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareAnswers, describeDifference } from '../../../../server/src/core/scenario/compareResponses';
import { parseScenario } from '../../../../server/src/core/scenario/scenario';

const SIM_ID = '5a783c7f-bd5a-46db-8cff-7eca8a34a7ae-7';
const IDM_ID = '78483e83-9577-40cd-a1d4-6ea0a896e916';

test('generated ids and revisions are not differences; everything else is, field by field', () => {
  const simulator = {
    status: 200,
    body: {
      _id: SIM_ID, _rev: '3', _ref: `managed/user/psmith`, _refResourceId: 'psmith', _refResourceRev: '9',
      _refProperties: { _id: SIM_ID, _rev: '3' }, manager: { _ref: `managed/user/${SIM_ID}` },
    },
  };
  const target = {
    status: 200,
    body: {
      _id: IDM_ID, _rev: '00000000ec41097c', _ref: `managed/user/psmith`, _refResourceId: 'psmith', _refResourceRev: 'x',
      _refProperties: { _id: IDM_ID, _rev: '1' }, manager: { _ref: `managed/user/${IDM_ID}` },
    },
  };
  assert.deepEqual(compareAnswers(simulator, target), []);
});

test('a given id, a status, a changed field, a missing field and an extra list item are each a difference', () => {
  const differences = compareAnswers(
    { status: 201, body: { _id: 'bjensen', sn: 'Jensen', mail: 'b@example.com', result: [1] } },
    { status: 200, body: { _id: 'bjensen2', sn: 'Smith', result: [1, 2], extra: true } },
  );
  assert.deepEqual(differences.map(describeDifference), [
    'status: simulator 201, target 200',
    'body._id: simulator "bjensen", target "bjensen2"',
    'body.sn: simulator "Jensen", target "Smith"',
    'body.mail: simulator "b@example.com", target (absent)',
    'body.result[1]: simulator (absent), target 2',
    'body.extra: simulator (absent), target true',
  ]);
});

test('a reference to another object, or to another collection by a generated id, is a difference', () => {
  assert.equal(compareAnswers({ status: 200, body: { _ref: 'managed/user/psmith' } }, { status: 200, body: { _ref: 'managed/user/scarter' } }).length, 1);
  assert.equal(compareAnswers({ status: 200, body: { _ref: `managed/user/${SIM_ID}` } }, { status: 200, body: { _ref: `managed/role/${IDM_ID}` } }).length, 1);
});

test('notifications are compared only when the target shows them', () => {
  const notified = [{ object: 'managed/user/a', reason: 'notify' as const, via: 'roles', from: 'managed/role/r', depth: 1 }];
  assert.deepEqual(compareAnswers({ status: 200, body: null, notifications: notified }, { status: 200, body: null }), []);
  assert.deepEqual(compareAnswers({ status: 200, body: null, notifications: notified }, { status: 200, body: null, notifications: [] }).map((d) => d.where), ['notifications']);
});

test('@target names the server; credentials in it, a second one, or no URL are errors', () => {
  const scenario = parseScenario('@target http://localhost:8080/openidm/\nGET managed/user/x\n');
  assert.equal(scenario.target?.url, 'http://localhost:8080/openidm');
  assert.deepEqual(scenario.errors, []);
  const bad = parseScenario('@target http://admin:pw@localhost:8080/openidm\n@target\n@target ftp://x\n');
  assert.deepEqual(bad.errors.map((e) => e.message.slice(0, 30)), [
    'Credentials do not belong in t',
    '`@target` needs the URL of a s',
    '`@target ftp://x` is not an ht',
  ]);
  assert.equal(bad.target, undefined);
  const twice = parseScenario('@target http://a:1/openidm\n@target http://b:2/openidm\n');
  assert.equal(twice.target?.url, 'http://a:1/openidm');
  assert.equal(twice.errors.length, 1);
});
