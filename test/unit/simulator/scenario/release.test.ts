/** Which IDM: the `@idm` directive, and the behaviours that depend on the release (`simulator/release.ts`). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readConfigFile } from '../../../../server/src/core/model/configFile';
import { Schema } from '../../../../server/src/core/model/schema';
import { parseRelease } from '../../../../server/src/core/simulator/release';
import { readSettings } from '../../../../server/src/lsp/settings';
import { parseScenario } from '../../../../server/src/core/scenario/scenario';
import { runScenario, type ScenarioResult } from '../../../../server/src/core/scenario/runScenario';
import { readFixture } from './helpers';

// The forgeops idm-only profile: user.roles notifySelf, role.members notify, user.effectiveRoles from queryConfig.
const schema = new Schema('conf', [
  readConfigFile('conf/managed.json', readFixture('scenarios', 'conf', 'managed.json')),
  readConfigFile('conf/internal.json', readFixture('scenarios', 'conf', 'internal.json')),
]);

function grantRole(directive: string): ScenarioResult[] {
  const results = runScenario(schema, [
    directive,
    '### a role', 'PUT managed/role/staff', 'Content-Type: application/json', '', '{ "name": "staff" }', '',
    '### a user', 'PUT managed/user/u1', 'Content-Type: application/json', '', '{ "userName": "u1", "givenName": "U", "sn": "One", "mail": "u1@example.com" }', '',
    '### grant', 'POST managed/user/u1/roles', 'Content-Type: application/json', '', '{ "_ref": "managed/role/staff" }', '',
    '### read', 'GET managed/user/u1?_fields=effectiveRoles', '',
  ].join('\n'));
  assert.ok(Array.isArray(results));
  return results;
}

describe('@idm', () => {
  it('reads a release, minor versions included, and refuses what it does not know', () => {
    assert.deepEqual(['8', '8.0', '7.5.1', '7.5', '7.2', '6.5', '5.5', 'IDM 7', 'v5'].map(parseRelease), ['8', '8', '7.5', '7.5', '7', '6', '5', '7', '5']);
    assert.deepEqual(['4.0', '9', 'latest', ''].map(parseRelease), [undefined, undefined, undefined, undefined]);
    const scenario = parseScenario('@idm 7.5\n@idm 8\n@idm 4\nGET managed/user/u1\n');
    assert.equal(scenario.idm?.release, '7.5');
    assert.deepEqual(scenario.errors.map((e) => e.message), [
      'A second `@idm`: a scenario runs against one release (the first one is used)',
      '`@idm 4` names no release the simulator knows (5, 6, 7, 7.5, 8; a minor version such as 7.5.1 counts as its release)',
    ]);
    assert.equal(parseScenario('GET managed/user/u1\n').idm, undefined, 'absent: the caller\'s default, the newest release');
  });

  it('IDM 8 (the default): the grant notifies the user and derives effectiveRoles', () => {
    const results = grantRole('');
    assert.ok(results[2].notifications.some((n) => n.object === 'managed/user/u1' && n.reason === 'notifySelf'));
    assert.deepEqual((results[3].body as any).effectiveRoles.map((r: any) => r._ref), ['managed/role/staff']);
  });

  it('@idm 6: notification, but no relationship-derived virtual property (6.x used onRetrieve scripts)', () => {
    const results = grantRole('@idm 6');
    assert.ok(results[2].notifications.some((n) => n.object === 'managed/user/u1' && n.reason === 'notifySelf'));
    assert.deepEqual(results[3].body, { _id: 'u1', _rev: (results[3].body as any)._rev });
  });

  it('@idm 5: no notification, no derived property, references without _refResourceCollection', () => {
    const results = grantRole('@idm 5');
    assert.deepEqual(results[2].notifications, []);
    assert.deepEqual(results[3].body, { _id: 'u1', _rev: (results[3].body as any)._rev });
    assert.deepEqual(Object.keys(results[2].body as object), ['_ref', '_refProperties']);
  });

  it('the idmRelationships.simulator.idmVersion setting: a known release, else the newest', () => {
    assert.deepEqual([{ simulator: { idmVersion: '7.5' } }, { simulator: { idmVersion: '4' } }, {}].map((raw) => readSettings(raw).idmRelease), ['7.5', '8', '8']);
  });

  it('a caller default (the setting) applies only when the scenario has no @idm', () => {
    const text = '### r\nPUT managed/role/r1\nContent-Type: application/json\n\n{ "name": "r1" }\n\n### u\nPUT managed/user/u1\nContent-Type: application/json\n\n{ "userName": "u1", "roles": [ { "_ref": "managed/role/r1" } ] }\n\n### read\nGET managed/user/u1/roles?_queryFilter=true\n';
    const five = runScenario(schema, text, { release: '5' });
    const stated = runScenario(schema, `@idm 8\n${text}`, { release: '5' });
    assert.ok(Array.isArray(five) && Array.isArray(stated));
    assert.deepEqual(Object.keys((five[2].body as any).result[0]), ['_ref', '_refProperties']);
    assert.deepEqual(Object.keys((stated[2].body as any).result[0]), ['_id', '_rev', '_ref', '_refResourceCollection', '_refResourceId', '_refProperties']);
  });
});
