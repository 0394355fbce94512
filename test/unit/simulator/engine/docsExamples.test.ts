/**
 * Every REST example of the IDM documentation extracts (PingIDM 8 "Configuring relationships", IDM 7.5 "Relationships between objects", PingOne AIC "Create a relationship between objects"; quoted here),
 * replayed against the forgeops IDM 7.x default schema, whose `manager`/`reports` pair is the one the
 * examples configure ("validate": true, "reverseRelationship": true, "reversePropertyName": "reports").
 */
import { beforeEach, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { aicSchema, Client, refsOf, start } from './helpers';

const BJENSEN = { userName: 'bjensen', givenName: 'Barbara', sn: 'Jensen', mail: 'bjensen@example.com', phoneNumber: '12345678' };
const SCARTER = { userName: 'scarter', givenName: 'Sam', sn: 'Carter', mail: 'scarter@example.com', phoneNumber: '87654321' };
const PSMITH = {
  sn: 'Smith', userName: 'psmith', givenName: 'Patricia', displayName: 'Patti Smith', description: 'psmith - new user',
  mail: 'psmith@example.com', phoneNumber: '0831245986',
};

const ENVELOPE_TAIL = { pagedResultsCookie: null, totalPagedResultsPolicy: 'NONE', totalPagedResults: -1, remainingPagedResults: -1 };

/** An edge as relationship endpoints return it: `_id`/`_rev` are the edge's, repeated in `_refProperties`. */
function assertEdgeShape(item: any, ref: string): void {
  const [collection, id] = [ref.slice(0, ref.lastIndexOf('/')), ref.slice(ref.lastIndexOf('/') + 1)];
  assert.equal(item._ref, ref);
  assert.equal(item._refResourceCollection, collection);
  assert.equal(item._refResourceId, id);
  assert.equal(typeof item._id, 'string');
  assert.equal(typeof item._rev, 'string');
  assert.deepEqual(item._refProperties, { _id: item._id, _rev: item._rev });
}

describe('PingIDM 8.0 "Configuring relationships" examples', () => {
  let client: Client;
  beforeEach(() => {
    client = new Client(start());
    client.create('user', 'bjensen', BJENSEN);
    client.create('user', 'scarter', SCARTER);
  });

  it('creates a relationship as part of a created object; relationship fields are not returned by default', () => {
    // curl --header "If-None-Match: *" --request PUT "http://localhost:8080/openidm/managed/user/psmith"
    //   --data '{"_id": "psmith", "_rev": "00000000ec41097c", "sn": "Smith", ..., "manager": {"_ref": "managed/user/bjensen"}}'
    const created = client.ok(client.put('managed/user/psmith', { _id: 'psmith', _rev: '00000000ec41097c', ...PSMITH, manager: { _ref: 'managed/user/bjensen' } }, { 'If-None-Match': '*' }), 201);
    assert.equal(created._id, 'psmith');
    assert.notEqual(created._rev, '00000000ec41097c', 'the server assigns the revision');
    // "Relationship information is not returned by default."
    assert.equal('manager' in created, false);
    assert.equal(created.sn, 'Smith');

    // curl --request GET "http://localhost:8080/openidm/managed/user/psmith?_fields=manager"
    // (The page shows this request twice; its first answer prints the edge at the top level, which contradicts
    //  the second answer and every other example, so the simulator follows the second:)
    // { "_id": "psmith", "_rev": "00000000ec41097c",
    //   "manager": { "_ref": "managed/user/bjensen", "_refResourceCollection": "managed/user", "_refResourceId": "bjensen",
    //                "_refProperties": { "_id": "ffc6f0f3-...", "_rev": "0000000081aa991a" } } }
    const read = client.ok(client.get('managed/user/psmith', { _fields: 'manager' }));
    assert.deepEqual(Object.keys(read), ['_id', '_rev', 'manager']);
    assert.equal(read._id, 'psmith');
    assert.equal(read._rev, created._rev);
    assert.deepEqual(Object.keys(read.manager), ['_ref', '_refResourceCollection', '_refResourceId', '_refProperties']);
    assert.equal(read.manager._ref, 'managed/user/bjensen');
    assert.equal(read.manager._refResourceCollection, 'managed/user');
    assert.equal(read.manager._refResourceId, 'bjensen');
    assert.deepEqual(Object.keys(read.manager._refProperties), ['_id', '_rev']);
  });

  it('queries the reports relationship endpoint (_queryFilter=true) with the exact envelope', () => {
    client.create('user', 'psmith', { ...PSMITH, manager: { _ref: 'managed/user/bjensen' } });
    client.create('user', 'jdoe', { userName: 'jdoe', sn: 'Doe' });
    client.ok(client.put('managed/user/scarter/manager', { _ref: 'managed/user/bjensen' }), 201);
    // curl --request GET "http://localhost:8080/openidm/managed/user/bjensen/reports?_queryFilter=true"
    // { "result": [ { "_id": "...-4311", "_rev": "...-4312", "_ref": "managed/user/psmith", "_refResourceCollection": "managed/user",
    //     "_refResourceId": "psmith", "_refProperties": { "_id": "...-4311", "_rev": "...-4312" } }, { ... "_ref": "managed/user/scarter" ... } ],
    //   "resultCount": 2, "pagedResultsCookie": null, "totalPagedResultsPolicy": "NONE", "totalPagedResults": -1, "remainingPagedResults": -1 }
    const body = client.ok(client.get('managed/user/bjensen/reports', { _queryFilter: 'true' }));
    assert.deepEqual(Object.keys(body), ['result', 'resultCount', 'pagedResultsCookie', 'totalPagedResultsPolicy', 'totalPagedResults', 'remainingPagedResults']);
    assert.equal(body.resultCount, 2);
    assert.deepEqual({ ...body, result: undefined, resultCount: undefined }, { ...ENVELOPE_TAIL, result: undefined, resultCount: undefined });
    assertEdgeShape(body.result[0], 'managed/user/psmith');
    assertEdgeShape(body.result[1], 'managed/user/scarter');
    assert.deepEqual(Object.keys(body.result[0]), ['_id', '_rev', '_ref', '_refResourceCollection', '_refResourceId', '_refProperties']);
    // Edge ids and revisions have the documented shape: <uuid>-<counter>, revision = id + 1 on creation.
    const [, counter] = /^[0-9a-f-]{36}-(\d+)$/.exec(body.result[0]._id)!;
    assert.equal(body.result[0]._rev, body.result[0]._id.replace(/\d+$/, String(Number(counter) + 1)));
  });

  it("filters reports by the referenced object's fields, pages them and adds requested fields", () => {
    client.create('user', 'psmith', { ...PSMITH, manager: { _ref: 'managed/user/bjensen' } });
    client.create('user', 'asmith', { userName: 'asmith', sn: 'Smith', phoneNumber: '111', manager: { _ref: 'managed/user/bjensen' } });
    client.ok(client.put('managed/user/scarter/manager', { _ref: 'managed/user/bjensen' }), 201);
    // "managed/user/bjensen/reports?_queryFilter=sn+eq+'Smith'&_pageSize=1"
    const page = client.ok(client.get('managed/user/bjensen/reports', { _queryFilter: "sn eq 'Smith'", _pageSize: '1' }));
    assert.equal(page.resultCount, 1);
    assertEdgeShape(page.result[0], 'managed/user/psmith');
    assert.equal(typeof page.pagedResultsCookie, 'string', 'a second Smith remains');

    // "...reports?_queryFilter=sn+eq+'Smith'&_fields=userName,phoneNumber&_pageSize=1"
    // { "result" : [ { "_id" : "...-45700", "_rev" : "...-45701", "_ref" : "managed/user/psmith", "_refResourceCollection" : "managed/user",
    //   "_refResourceId" : "psmith", "_refResourceRev" : "d776f795-...-4955", "_refProperties" : {...}, "userName" : "psmith", "phoneNumber" : "0831245986" } ], ... }
    const withFields = client.ok(client.get('managed/user/bjensen/reports', { _queryFilter: "sn eq 'Smith'", _fields: 'userName,phoneNumber', _pageSize: '1' }));
    const item = withFields.result[0];
    const psmith = client.ok(client.get('managed/user/psmith'));
    assert.deepEqual(item, {
      _id: page.result[0]._id, _rev: page.result[0]._rev,
      _ref: 'managed/user/psmith', _refResourceCollection: 'managed/user', _refResourceId: 'psmith',
      _refProperties: page.result[0]._refProperties,
      _refResourceRev: psmith._rev,
      userName: 'psmith', phoneNumber: '0831245986',
    });
  });

  it('answers 400 when a relationship collection is queried without _queryFilter', () => {
    // "When you query an endpoint which is a collection, you must use the _queryFilter parameter, or you'll receive an error with an HTTP 400 error code."
    const response = client.get('managed/user/bjensen/reports');
    assert.equal(response.status, 400);
    assert.deepEqual(Object.keys(response.body as object), ['code', 'reason', 'message']);
    assert.equal((response.body as any).reason, 'Bad Request');
  });

  it('expands fields of the referenced object: relatedObject/property', () => {
    client.create('user', 'psmith', { ...PSMITH, manager: { _ref: 'managed/user/bjensen' } });
    // curl "http://localhost:8080/openidm/managed/user/psmith?_fields=manager/mail,manager/phoneNumber"
    // { "_id": "psmith", "_rev": "0000000014c0b68d",
    //   "manager": { "_rev": "000000005bac8c10", "_id": "bjensen", "phoneNumber": "12345678", "mail": "bjensen@example.com",
    //     "_ref": "managed/user/bjensen", "_refResourceCollection": "managed/user", "_refResourceId": "bjensen",
    //     "_refProperties": { "_id": "42418f09-...", "_rev": "00000000288b921e" } } }
    const body = client.ok(client.get('managed/user/psmith', { _fields: 'manager/mail,manager/phoneNumber' }));
    const bjensen = client.ok(client.get('managed/user/bjensen'));
    assert.deepEqual(Object.keys(body), ['_id', '_rev', 'manager']);
    const { _refProperties, ...manager } = body.manager;
    assert.deepEqual(manager, {
      _id: 'bjensen', _rev: bjensen._rev, mail: 'bjensen@example.com', phoneNumber: '12345678',
      _ref: 'managed/user/bjensen', _refResourceCollection: 'managed/user', _refResourceId: 'bjensen',
    });
    assert.deepEqual(Object.keys(_refProperties), ['_id', '_rev']);
  });

  it('creates, updates (PUT) and deletes psmith\'s manager through the relationship endpoint', () => {
    client.create('user', 'psmith', PSMITH);
    // curl --request POST --data '{ "_ref" : "managed/user/bjensen" }' "http://localhost:8080/openidm/managed/user/psmith/manager"
    // { "_id": "...-82148", "_rev": "...-82149", "_ref": "managed/user/bjensen", ..., "_refProperties": { "_id": "...-82148", "_rev": "...-82149" } }
    const created = client.ok(client.post('managed/user/psmith/manager', { _ref: 'managed/user/bjensen' }), 201);
    assertEdgeShape(created, 'managed/user/bjensen');
    assert.deepEqual(refsOf(client.ok(client.get('managed/user/bjensen', { _fields: 'reports' })).reports), ['managed/user/psmith']);

    // "The following example updates psmith's manager to scarter:" --header "If-Match: *" --request PUT --data '{"_ref":"managed/user/scarter"}'
    // { "_id": "...-82148", "_rev": "...-108753", "_ref": "managed/user/scarter", ... }
    // "When you update a relationship, the related objects automatically update to reflect the new state. In the following
    //  example, scarter's reports entry is automatically updated when the change to psmith's manager entry is updated."
    const updated = client.ok(client.put('managed/user/psmith/manager', { _ref: 'managed/user/scarter' }, { 'If-Match': '*' }));
    assertEdgeShape(updated, 'managed/user/scarter');
    assert.equal(updated._id, created._id, 'same edge');
    assert.notEqual(updated._rev, created._rev, 'new revision');
    assert.deepEqual(refsOf(client.ok(client.get('managed/user/scarter', { _fields: 'reports' })).reports), ['managed/user/psmith']);
    assert.deepEqual(client.ok(client.get('managed/user/bjensen', { _fields: 'reports' })).reports, []);

    // curl --request DELETE "http://localhost:8080/openidm/managed/user/psmith/manager"
    const deleted = client.ok(client.delete('managed/user/psmith/manager'));
    assert.equal(deleted._id, created._id);
    assert.equal(client.ok(client.get('managed/user/psmith', { _fields: 'manager' })).manager, null);
    assert.deepEqual(client.ok(client.get('managed/user/scarter', { _fields: 'reports' })).reports, []);
    assert.equal(client.get('managed/user/psmith/manager').status, 404);
  });

  it('maintains referential integrity: deleting bjensen removes the reference in psmith\'s manager', () => {
    // "IDM maintains referential integrity by deleting the relationship reference if the object referred to by that
    //  relationship is deleted. In our example, if bjensen's user entry is deleted, the corresponding reference in
    //  psmith's manager property is removed."
    client.create('user', 'psmith', { ...PSMITH, manager: { _ref: 'managed/user/bjensen' } });
    client.ok(client.delete('managed/user/bjensen'));
    assert.equal(client.ok(client.get('managed/user/psmith', { _fields: 'manager' })).manager, null);
    assert.equal(client.sim.snapshot().edges.length, 0);
  });
});

describe('PingOne AIC "Create a relationship between two objects" examples (realm-prefixed alpha_user)', () => {
  it('creates psmith with _action=create and a manager reference, then reads the relationship from both sides', () => {
    const client = new Client(start(aicSchema()));
    const bjensen = client.ok(client.post('managed/alpha_user', { userName: 'bjensen', sn: 'Jensen', givenName: 'Barbara', mail: 'bjensen@example.com' }, { _action: 'create' }), 201);
    assert.match(bjensen._id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'a generated UUID');
    // "First, retrieve bjensen's UUID" -- ?_queryFilter=userName+eq+%22bjensen%22
    const found = client.ok(client.get('managed/alpha_user', { _queryFilter: 'userName eq "bjensen"' }));
    assert.equal(found.result[0]._id, bjensen._id);

    // --request POST --data '{"sn":"Smith","userName":"psmith", ..., "manager" : {"_ref" : "managed/realm-name_user/1dff18dc-..."}}' ".../managed/realm-name_user?_action=create"
    // { "_id": "51257f1e-...", "_rev": "...", "country": null, "mail": "psmith@example.com", "memberOfOrgIDs": [], ... }
    const psmith = client.ok(client.post('managed/alpha_user', {
      sn: 'Smith', userName: 'psmith', givenName: 'Patricia', displayName: 'Patti Smith', description: 'psmith - new user',
      mail: 'psmith@example.com', telephoneNumber: '0831245986', password: 'Passw0rd',
      manager: { _ref: `managed/alpha_user/${bjensen._id}` },
    }, { _action: 'create' }), 201);
    assert.equal(psmith.mail, 'psmith@example.com');
    assert.deepEqual(psmith.memberOfOrgIDs, [], 'RDVPs with returnByDefault are returned');
    assert.equal('password' in psmith, false, 'scope: private fields are never returned');
    assert.equal('manager' in psmith, false, '"relationship information is not returned by default"');

    // ?_queryFilter=userName+eq+%22psmith%22&_fields=manager
    // { "result": [ { "_id": "51257f1e-...", "_rev": "...", "manager": { "_ref": "managed/alpha_user/1dff18dc-...",
    //   "_refResourceCollection": "managed/alpha_user", "_refResourceId": "1dff18dc-...", "_refProperties": { "_id": "3dd2c42d-...", "_rev": "..." } } } ], ... }
    const query = client.ok(client.get('managed/alpha_user', { _queryFilter: 'userName eq "psmith"', _fields: 'manager' }));
    assert.equal(query.resultCount, 1);
    assert.deepEqual(Object.keys(query.result[0]), ['_id', '_rev', 'manager']);
    const manager = query.result[0].manager;
    assert.equal(manager._ref, `managed/alpha_user/${bjensen._id}`);
    assert.equal(manager._refResourceCollection, 'managed/alpha_user');
    assert.equal(manager._refResourceId, bjensen._id);

    // "The following query shows bjensen's direct reports including the new user entry, psmith" -- &_fields=reports
    const reports = client.ok(client.get('managed/alpha_user', { _queryFilter: 'userName eq "bjensen"', _fields: 'reports' }));
    const report = reports.result[0].reports[0];
    assert.equal(report._ref, `managed/alpha_user/${psmith._id}`);
    assert.deepEqual(report._refProperties, manager._refProperties, 'one edge, seen from both ends');
  });

  it('finds users whose relationship is present: _queryFilter=/reports pr (PingOne AIC, "Configure relationships")', () => {
    const client = new Client(start(aicSchema()));
    client.create('alpha_user', 'bjensen', { userName: 'bjensen' });
    client.create('alpha_user', 'psmith', { userName: 'psmith', manager: { _ref: 'managed/alpha_user/bjensen' } });
    client.create('alpha_user', 'loner', { userName: 'loner' });
    // "The following example returns all managed users with the property reports: ...managed/user?_queryFilter=/reports+pr"
    const withReports = client.ok(client.get('managed/alpha_user', { _queryFilter: '/reports pr' }));
    assert.deepEqual(withReports.result.map((u: any) => u._id), ['bjensen']);
    const withManager = client.ok(client.get('managed/alpha_user', { _queryFilter: "/manager/_ref eq 'managed/alpha_user/bjensen'" }));
    assert.deepEqual(withManager.result.map((u: any) => u._id), ['psmith']);
  });
});
