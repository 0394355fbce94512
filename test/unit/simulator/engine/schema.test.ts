/** Load-time refusals, schema changes over kept data (orphaned data), internal objects, snapshot, populate, robustness. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { startSimulator } from '../../../../server/src/core/simulator/engine';
import { SeededRandom } from '../../../../server/src/core/simulator/ids';
import { aicSchema, Client, editedForgeops, entitlementsSchema, forgeopsSchema, propertiesOf, refsOf, schemaFromTexts, start } from './helpers';

describe('schemas IDM refuses at load', () => {
  it('accepts the real default schemas', () => {
    for (const schema of [forgeopsSchema(), aicSchema(), entitlementsSchema()]) assert.ok('simulator' in startSimulator(schema));
  });

  it('refuses reverseRelationship: true without reversePropertyName, naming object.property', () => {
    const started = startSimulator(editedForgeops((managed) => { delete propertiesOf(managed, 'user').manager.reversePropertyName; }));
    assert.ok('refused' in started);
    assert.equal(started.refused.length, 1);
    assert.match(started.refused[0], /^user\.manager: "reverseRelationship" is true but "reversePropertyName" is missing/);
  });

  it('refuses notifySelf or notify on a relationship that is not bidirectional', () => {
    const started = startSimulator(schemaFromTexts([['/conf/managed.json', JSON.stringify({
      objects: [
        { name: 'device', schema: { properties: {
          owner: { type: 'relationship', notifySelf: true, resourceCollection: [{ path: 'managed/user', notify: true }] },
          seenBy: { type: 'array', items: { type: 'relationship', notifySelf: false, resourceCollection: [{ path: 'managed/user', notify: false }] } },
        } } },
        { name: 'user', schema: { properties: { devices: { type: 'array', items: { type: 'relationship', reverseRelationship: false, resourceCollection: [{ path: 'managed/device', notify: true }] } } } } },
      ],
    })]]));
    assert.ok('refused' in started);
    assert.deepEqual(started.refused.map((reason) => reason.slice(0, reason.indexOf(':'))), ['device.owner', 'user.devices']);
    assert.match(started.refused[0], /"notifySelf" and "notify" set on a relationship that is not bidirectional/);
  });
});

describe('setSchema keeps the data', () => {
  it('shows values of removed properties as orphaned data, and they resurface when the property comes back', () => {
    const client = new Client(start());
    client.create('user', 'bjensen', { userName: 'bjensen', sn: 'Jensen' });
    client.create('user', 'psmith', { userName: 'psmith', sn: 'Smith', manager: { _ref: 'managed/user/bjensen' } });
    const withoutManager = editedForgeops((managed) => {
      const user = propertiesOf(managed, 'user');
      delete user.sn;
      delete user.manager;
      delete user.reports;
    });
    assert.deepEqual(client.sim.setSchema(withoutManager), {});
    const snapshot = client.sim.snapshot();
    const psmith = snapshot.objects.find((o) => o.id === 'psmith')!;
    assert.deepEqual(psmith.orphanedFields, { sn: 'Smith' });
    assert.equal('sn' in psmith.fields, false);
    assert.equal(snapshot.edges.length, 1);
    assert.equal(snapshot.edges[0].orphaned, true, 'the edge is stored, no field shows it');
    assert.equal('manager' in client.ok(client.get('managed/user/psmith', { _fields: '*_ref' })), false);
    assert.equal(client.ok(client.get('managed/user/psmith')).sn, 'Smith', 'IDM still returns stored undeclared fields');

    // "this orphaned data might unpredictably resurface if you later reuse the same reference attribute"
    assert.deepEqual(client.sim.setSchema(forgeopsSchema()), {});
    assert.deepEqual(refsOf(client.ok(client.get('managed/user/psmith', { _fields: 'manager' })).manager), ['managed/user/bjensen']);
    assert.equal(client.sim.snapshot().edges[0].orphaned, false);
  });

  it('keeps objects of a removed type out of REST but in the snapshot', () => {
    const client = new Client(start());
    client.create('assignment', 'vpn', { name: 'vpn' });
    client.sim.setSchema(editedForgeops((managed) => { managed.objects = managed.objects.filter((o) => o.name !== 'assignment'); }));
    assert.equal(client.get('managed/assignment/vpn').status, 404);
    const vpn = client.sim.snapshot().objects.find((o) => o.id === 'vpn')!;
    assert.deepEqual(vpn.orphanedFields, { name: 'vpn' });
  });

  it('a refused schema leaves the current one in place', () => {
    const client = new Client(start());
    const result = client.sim.setSchema(editedForgeops((managed) => { delete propertiesOf(managed, 'user').manager.reversePropertyName; }));
    assert.equal(result.refused?.length, 1);
    client.create('user', 'bjensen', { userName: 'bjensen' });
    client.create('user', 'psmith', { userName: 'psmith', manager: { _ref: 'managed/user/bjensen' } });
    assert.deepEqual(refsOf(client.ok(client.get('managed/user/bjensen', { _fields: 'reports' })).reports), ['managed/user/psmith']);
  });
});

describe('internal objects', () => {
  it('authzRoles reaches internal/role, whose built-in authzMembers shows the user and notifies it (internal.json notify)', () => {
    const client = new Client(start());
    client.ok(client.put('internal/role/openidm-admin', { name: 'openidm-admin' }, { 'If-None-Match': '*' }), 201);
    client.create('user', 'bjensen', { userName: 'bjensen' });
    client.ok(client.post('managed/user/bjensen/authzRoles', { _ref: 'internal/role/openidm-admin' }), 201);
    assert.deepEqual(refsOf(client.ok(client.get('internal/role/openidm-admin', { _fields: 'authzMembers' })).authzMembers), ['managed/user/bjensen']);
    const removed = client.delete('internal/role/openidm-admin');
    assert.deepEqual(removed.notifications.map((n) => [n.object, n.reason]), [['managed/user/bjensen', 'notify']]);
  });
});

describe('snapshot', () => {
  it('lists objects with revision and fields, and each edge once with both ends', () => {
    const client = new Client(start());
    client.create('user', 'bjensen', { userName: 'bjensen' });
    client.create('user', 'psmith', { userName: 'psmith', manager: { _ref: 'managed/user/bjensen', _refProperties: { since: 2020 } } });
    const snapshot = client.sim.snapshot();
    assert.deepEqual(snapshot.objects.map((o) => o.ref), ['managed/user/bjensen', 'managed/user/psmith']);
    const psmith = client.ok(client.get('managed/user/psmith'));
    assert.equal(snapshot.objects[1].rev, psmith._rev);
    assert.equal(snapshot.objects[1].fields.userName, 'psmith');
    const reports = client.ok(client.get('managed/user/bjensen', { _fields: 'reports' })).reports;
    assert.deepEqual(snapshot.edges, [{
      id: reports[0]._refProperties._id, rev: reports[0]._refProperties._rev,
      from: { ref: 'managed/user/psmith', property: 'manager' }, to: { ref: 'managed/user/bjensen', property: 'reports' },
      refProperties: { since: 2020 }, dangling: false, orphaned: false, oneSided: false,
    }]);
    snapshot.objects[1].fields.userName = 'mutated';
    assert.equal(client.ok(client.get('managed/user/psmith')).userName, 'psmith', 'the snapshot is a copy');
  });
});

describe('populate', () => {
  it('creates N objects per type with relationships within the cardinality, deterministically from the seed', () => {
    const make = (seed: number) => {
      const sim = start();
      const report = sim.populate({ user: 60, role: 8, assignment: 5, device: 3 }, { seed, maxPerMany: 4 });
      return { sim, report };
    };
    const { sim, report } = make(3);
    assert.deepEqual(report.objects, { 'managed/user': 60, 'managed/role': 8, 'managed/assignment': 5 });
    assert.deepEqual(report.skipped, ['device: no such object type']);
    assert.deepEqual(Object.keys(report.edgesByRelationship).sort(), ['role.assignments', 'user.manager', 'user.roles']);
    assert.equal(report.edgesByRelationship['user.manager'], 60, 'every user gets a manager');
    assert.equal(report.edges, Object.values(report.edgesByRelationship).reduce((a, b) => a + b, 0));
    assert.equal(JSON.stringify(make(3).sim.snapshot()), JSON.stringify(sim.snapshot()), 'same seed, same data');
    assert.notEqual(JSON.stringify(make(4).sim.snapshot()), JSON.stringify(sim.snapshot()));

    const client = new Client(sim);
    const users = client.ok(client.get('managed/user', { _queryFilter: 'true', _fields: 'manager,roles,effectiveRoles' })).result;
    for (const user of users) {
      assert.notEqual(user.manager._ref, `managed/user/${user._id}`, 'nobody manages themselves');
      assert.ok(user.roles.length <= 4);
      assert.equal(new Set(refsOf(user.roles)).size, user.roles.length, 'distinct roles');
      assert.deepEqual(user.effectiveRoles.map((r: any) => r._ref), refsOf(user.roles), 'RDVPs calculated');
    }
    const reports = users.reduce((n: number, u: any) => n + client.ok(client.get(`managed/user/${u._id}/reports`, { _queryFilter: 'true' })).resultCount, 0);
    assert.equal(reports, 60, 'the reverse side is filled by the same edges');
    assert.deepEqual(sim.audit.entries().at(-1), { kind: 'populate', seq: sim.audit.length, objects: 73, edges: report.edges });
  });

  it('draws another id when the one drawn is taken, and leaves the stored object as it was', () => {
    const sim = start();
    const client = new Client(sim);
    const draws = new SeededRandom(8);
    const taken = draws.uuid();
    client.ok(client.put(`managed/user/${taken}`, { userName: 'kept', sn: 'Kept' }, { 'If-None-Match': '*' }), 201);
    sim.populate({ user: 3 }, { seed: 8 });
    const users = client.ok(client.get('managed/user', { _queryFilter: 'true', _fields: '_id,userName' })).result;
    assert.deepEqual(users.map((u: any) => u.userName), ['kept', 'user2', 'user3', 'user4']);
    assert.equal(users[0]._id, taken);
    assert.equal(users[1]._id, draws.uuid(), 'the next id drawn');
  });

  it('calculates an RDVP that another one reads first: parentIDs up the organization tree, then memberOfOrgIDs', () => {
    const sim = start();
    sim.populate({ user: 40, organization: 60 }, { seed: 2, maxPerMany: 3 });
    const client = new Client(sim);
    const orgs = client.ok(client.get('managed/organization', { _queryFilter: 'true', _fields: '_id,parent,parentIDs' })).result;
    const byId = new Map<string, any>(orgs.map((org: any) => [org._id, org]));
    const parentOf = (org: any) => (org.parent ? byId.get(org.parent._refResourceId) : undefined);
    const onCycle = (org: any) => {
      for (let up = parentOf(org), steps = 0; up && steps < orgs.length; up = parentOf(up), steps++) if (up === org) return true;
      return false;
    };
    // On a cycle one organization has to go first, without its parent's value; every other one sees its parent's.
    const acyclic = orgs.filter((org: any) => !onCycle(org));
    assert.ok(acyclic.length > 20);
    for (const org of acyclic) {
      const parent = parentOf(org);
      assert.deepEqual(org.parentIDs, parent ? [...new Set([parent._id, ...parent.parentIDs])] : [], org._id);
    }
    const users = client.ok(client.get('managed/user', { _queryFilter: 'true', _fields: 'memberOfOrg,memberOfOrgIDs' })).result;
    assert.ok(users.some((user: any) => user.memberOfOrg.length > 1));
    for (const user of users) {
      const expected = new Set(user.memberOfOrg.flatMap((ref: any) => [ref._refResourceId, ...byId.get(ref._refResourceId).parentIDs]));
      assert.deepEqual(user.memberOfOrgIDs, [...expected]);
    }
  });

  it('fills one-to-one relationships with distinct targets', () => {
    const sim = start(editedForgeops((managed) => {
      propertiesOf(managed, 'user').partner = { type: 'relationship', validate: true, reverseRelationship: true, reversePropertyName: 'partner', resourceCollection: [{ path: 'managed/user' }] };
    }));
    sim.populate({ user: 21 }, { seed: 5 });
    const partners = sim.snapshot().edges.filter((e) => e.from.property === 'partner');
    const ends = partners.flatMap((e) => [e.from.ref, e.to.ref]);
    assert.equal(new Set(ends).size, ends.length, 'nobody has two partners');
  });
});

describe('robustness', () => {
  it('never throws: a request the engine cannot process answers an IDM-shaped 500 and changes nothing', () => {
    const sim = start();
    const before = JSON.stringify(sim.snapshot());
    const response = sim.handle({ method: 42 as unknown as string, path: 'managed/user', query: {}, headers: {} });
    assert.equal(response.status, 500);
    assert.deepEqual(Object.keys(response.body as object), ['code', 'reason', 'message']);
    assert.equal((response.body as any).reason, 'Internal Server Error');
    assert.equal(sim.handle({ method: 'GET', path: undefined as unknown as string, query: {}, headers: {} }).status, 500);
    assert.equal(JSON.stringify(sim.snapshot()), before);
  });
});
