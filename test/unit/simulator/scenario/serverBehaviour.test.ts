/**
 * The simulator against the IDM server's own source (OpenIDM 5.x, openidm-core .../managed/) where the docs are
 * silent: each scenario under test/fixtures/scenarios/server is run, and each request's status and body are
 * compared whole with what the server answers. Generated ids and revisions are taken from earlier responses of the
 * same run, so every other byte is checked. The class and method each answer follows is named by the scenario.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readConfigFile } from '../../../../server/src/core/model/configFile';
import { Schema } from '../../../../server/src/core/model/schema';
import { startSimulator, type Simulator } from '../../../../server/src/core/simulator/engine';
import { parseScenario } from '../../../../server/src/core/scenario/scenario';
import { runScenario, type ScenarioResult } from '../../../../server/src/core/scenario/runScenario';
import { readFixture } from './helpers';

const schema = new Schema('conf', [readConfigFile('conf/managed.json', readFixture('scenarios', 'server', 'conf', 'managed.json'))]);

type Body = Record<string, any>;

class Run {
  readonly results: ScenarioResult[];
  constructor(file: string, readonly simulator?: Simulator) {
    const results = runScenario(schema, readFixture('scenarios', 'server', file), simulator ? { simulator } : {});
    assert.ok(Array.isArray(results), 'the config loads');
    this.results = results;
  }

  result(name: string): ScenarioResult {
    const found = this.results.find((r) => r.name === name);
    assert.ok(found, `no request named ${name}`);
    return found;
  }

  body(name: string): Body {
    return this.result(name).body as Body;
  }

  /** The request answered exactly `status` and `body`. */
  expect(name: string, status: number, body: unknown): void {
    const result = this.result(name);
    assert.deepEqual({ status: result.status, body: result.body }, { status, body }, name);
  }

  error(name: string, status: number, message: string): void {
    const reasons: Record<number, string> = { 400: 'Bad Request', 404: 'Not Found', 412: 'Precondition Failed' };
    this.expect(name, status, { code: status, reason: reasons[status], message });
  }
}

/** A reference as PingIDM 8 shows it; `edge` is the `_refProperties` of a response that holds it. */
function reference(ref: string, edge: Body, properties: Body = {}): Body {
  const slash = ref.lastIndexOf('/');
  return { _ref: ref, _refResourceCollection: ref.slice(0, slash), _refResourceId: ref.slice(slash + 1), _refProperties: { ...properties, _id: edge._id, _rev: edge._rev } };
}

/** An item of a relationship endpoint in PingIDM 8: the edge's `_id`/`_rev`, then the reference. */
function endpointItem(ref: string, edge: Body, properties: Body = {}): Body {
  return { _id: edge._id, _rev: edge._rev, ...reference(ref, edge, properties) };
}

function envelope(result: unknown[]): Body {
  return { result, resultCount: result.length, pagedResultsCookie: null, totalPagedResultsPolicy: 'NONE', totalPagedResults: -1, remainingPagedResults: -1 };
}

describe('fields and revisions of objects (ManagedObjectSet)', () => {
  const run = new Run('fields.idmsim');
  const created = run.body('create u1 with b1 as its badge (user.badge has returnByDefault: true)');
  const badge = reference('managed/badge/b1', created.badge._refProperties);

  it('returns a relationship with returnByDefault: true in a plain read (fetchRelationshipFields)', () => {
    run.expect('a plain read shows the badge', 200, { _id: 'u1', _rev: created._rev, userName: 'u1', sn: 'One', badge });
  });

  it('_fields=*_ref is _id, _rev and every relationship field, nothing else (prepareResponse)', () => {
    run.expect('*_ref: _id, _rev and the relationship fields, no other field', 200,
      { _id: 'u1', _rev: created._rev, manager: null, reports: [], roles: [], badge, favorites: [] });
    run.expect('*,*_ref: every field', 200,
      { _id: 'u1', _rev: created._rev, userName: 'u1', sn: 'One', manager: null, reports: [], roles: [], badge, favorites: [] });
  });

  it('a PUT that leaves out a relationship returned by default clears it, on both sides (persistRelationships)', () => {
    const cleared = run.body('a PUT that leaves the badge out clears it: the server read it (returned by default) and persists its absence');
    assert.notEqual(cleared._rev, created._rev);
    run.expect('a PUT that leaves the badge out clears it: the server read it (returned by default) and persists its absence', 200,
      { _id: 'u1', _rev: cleared._rev, userName: 'u1', sn: 'One', badge: null });
    run.expect('b1 has no holder any more', 200, { _id: 'b1', _rev: run.body('create b1')._rev, holder: null });
  });

  it('a PUT or PATCH that changes nothing keeps the revision (ResourceUtil.isEqual), but leaving out a field read as null is a change', () => {
    const r1 = run.body('create r1');
    run.expect('a PUT that changes nothing keeps the revision (role has no relationship returned by default)', 200, { _id: 'r1', _rev: r1._rev, name: 'R1' });
    run.expect('a PATCH that changes nothing keeps the revision too', 200, { _id: 'r1', _rev: r1._rev, name: 'R1' });
    const before = run.body('a PUT that leaves the badge out clears it: the server read it (returned by default) and persists its absence');
    const again = run.body('a PUT that leaves out the unset badge still changes the revision: the old value held "badge": null');
    assert.notEqual(again._rev, before._rev);
    run.expect('a PUT that leaves out the unset badge still changes the revision: the old value held "badge": null', 200,
      { _id: 'u1', _rev: again._rev, userName: 'u1', sn: 'One', badge: null });
  });

  it('a PUT keeps a relationship the server did not read (not returned by default, not in _fields)', () => {
    const role = run.body('give u1 the role r1, then PUT u1 without roles: roles is not returned by default, so it stays');
    const put = run.body('PUT u1 without roles');
    run.expect('u1 still has r1', 200, {
      _id: 'u1', _rev: put._rev,
      roles: [{ _id: 'r1', _rev: run.body('create r1')._rev, name: 'R1', ...reference('managed/role/r1', role._refProperties) }],
    });
  });
});

describe('PATCH of a relationship collection (ManagedObjectSet.patchResource, JsonValuePatch)', () => {
  const run = new Run('patch.idmsim');

  it('refuses an operation on the collection without a value: "Cannot delete collection"', () => {
    run.error('remove without a value: refused before anything is applied', 400, 'Cannot delete collection: /roles');
    run.error("remove /roles/0 without a value: the same refusal (only the field's first token counts)", 400, 'Cannot delete collection: /roles');
  });

  it('refuses a position: "Position-based operation is not allowed"', () => {
    run.error('remove /roles/0 with a value: no position-based operation', 400, 'Position-based operation is not allowed: /roles/0');
  });

  it('remove with a value removes only an element equal to it as a whole: a bare _ref removes nothing, and the revision stays', () => {
    const roles = run.body("u1's roles").roles;
    const patched = run.body('add a list on /roles without -: added to the list (Common REST "add" on a multi-valued field)');
    run.expect('remove with a bare _ref: it equals no element as a whole, nothing is removed', 200, { _id: 'u1', _rev: patched._rev, userName: 'u1', badge: null });
    run.expect('u1 still has both roles', 200, { _id: 'u1', _rev: patched._rev, roles });
  });

  it('IDM 8: add on /roles without - adds to the list', () => {
    const roles = run.body("u1's roles").roles;
    assert.deepEqual(roles.map((r: Body) => r._ref), ['managed/role/r1', 'managed/role/r2']);
    run.expect("u1's roles", 200, {
      _id: 'u1', _rev: run.body('add a list on /roles without -: added to the list (Common REST "add" on a multi-valued field)')._rev,
      roles: [reference('managed/role/r1', roles[0]._refProperties), reference('managed/role/r2', roles[1]._refProperties)],
    });
  });

  it('@idm 5: add on /roles without - replaces the list (JsonValuePatch.add is putPermissive); references and endpoint items in the 5.x shape', () => {
    const five = new Run('patch-idm5.idmsim');
    const [role] = five.body("u1's roles: r2 only, in the 5.x shape").roles;
    const edge = { _id: role._refProperties._id, _rev: role._refProperties._rev };
    five.expect("u1's roles: r2 only, in the 5.x shape", 200, {
      _id: 'u1', _rev: five.body('add a list on /roles without -: replaces the list')._rev,
      roles: [{ _ref: 'managed/role/r2', _refProperties: edge }],
    });
    five.expect("the relationship endpoint's items carry no id of their own in 5.x", 200, envelope([{ _ref: 'managed/role/r2', _refProperties: edge }]));
  });
});

describe('writes through relationship endpoints (RelationshipProvider.createInstance, the validators)', () => {
  const run = new Run('endpoints.idmsim');

  it('validates that the target exists even with validate: false', () => {
    run.error('favorites (one-way, validate false): the endpoint still reads the target, which does not exist', 400,
      "The referenced relationship 'managed/role/nothing', does not exist");
  });

  it('a one-way array accepts the same target twice (ForwardRelationshipValidator checks nothing more)', () => {
    const first = run.body('favorites: r1');
    const second = run.body('favorites: r1 again, accepted (a one-way field has no duplicate check)');
    run.expect('favorites: r1', 201, endpointItem('managed/role/r1', first));
    run.expect('favorites: r1 again, accepted (a one-way field has no duplicate check)', 201, endpointItem('managed/role/r1', second));
    assert.notEqual(first._id, second._id);
  });

  it('a write through an endpoint changes the revision of the object in the URL, not the referenced one\'s', () => {
    const before = run.body('u1 before the endpoint write');
    const after = run.body('u1 after the endpoint writes: a new revision');
    assert.notEqual(after._rev, before._rev);
    run.expect('u1 after the endpoint writes: a new revision', 200, { _id: 'u1', _rev: after._rev, userName: 'u1', badge: null });
    run.expect('r1 keeps its revision', 200, run.body('r1 as it was'));
  });

  it('many-to-many: the duplicate check applies with validate: false; references that differ in custom _refProperties are not duplicates (RelationshipEqualityHash)', () => {
    const a = run.body('roles (validate false, many-to-many): r1 with a note');
    const b = run.body('roles: r1 with another note is another relationship');
    run.expect('roles (validate false, many-to-many): r1 with a note', 201, endpointItem('managed/role/r1', a, { note: 'a' }));
    run.expect('roles: r1 with another note is another relationship', 201, endpointItem('managed/role/r1', b, { note: 'b' }));
    run.error('roles: r1 with the first note again is a duplicate (the endpoint checks, whatever validate says)', 412,
      "Managed object 'managed/user/u1' has already been assigned relationship 'managed/role/r1'.");
    run.error("the duplicate from the role's side", 412, "Managed object 'managed/role/r1' has already been assigned relationship 'managed/user/u1'.");
  });
});

describe('singletons, edges by id, query ids, error text', () => {
  const run = new Run('singletons.idmsim');

  it('names the object by its bare id in the cardinality error (validateSingletonRelationshipReadResponse)', () => {
    run.error('u2 cannot take b1: its holder is u1 (the message names b1 by its id)', 400,
      "Field 'holder' of managed object 'b1' is not null, and thus not available for assignment.");
  });

  it('a singleton endpoint that is not set answers 404 "Not Found" to PUT and GET (SingletonRelationshipProvider.getRelationshipId)', () => {
    run.error("PUT on u2's manager, which is not set", 404, 'Not Found');
    run.error("GET on u2's manager, which is not set", 404, 'Not Found');
  });

  it('a PUT of a singleton to a missing target is not validated, even with validate: true (RelationshipProvider.updateInstance)', () => {
    const put = run.body("PUT u2's manager to a user that does not exist: not validated, even with validate: true");
    run.expect("PUT u2's manager to a user that does not exist: not validated, even with validate: true", 200, endpointItem('managed/user/ghost', put));
  });

  it('reads a dangling reference as any other; expanded, it carries _refError (ManagedObjectSet.expandResource)', () => {
    const put = run.body("PUT u2's manager to a user that does not exist: not validated, even with validate: true");
    const rev = run.body("u2's manager now dangles; a plain read shows the reference as it is")._rev;
    run.expect("u2's manager now dangles; a plain read shows the reference as it is", 200, { _id: 'u2', _rev: rev, manager: reference('managed/user/ghost', put) });
    run.expect('expanded, the reference that cannot be read is marked', 200, {
      _id: 'u2', _rev: rev,
      manager: { ...reference('managed/user/ghost', put), _refError: true, _refErrorMessage: 'Object managed/user/ghost not found in managed/user' },
    });
  });

  it('_queryId=query-all and query-all-ids on a relationship endpoint; any other query id is 400 (CollectionRelationshipProvider.queryCollection)', () => {
    const [edge] = run.body("u1's reports with _queryId=query-all").result;
    run.expect("u1's reports with _queryId=query-all", 200, envelope([endpointItem('managed/user/u2', edge)]));
    run.expect("u1's reports with _queryId=query-all-ids", 200, envelope([{ _id: edge._id, _rev: edge._rev, _refProperties: { _id: edge._id } }]));
    run.error('another query id', 400, 'Invalid _queryId: only query-all and query-all-ids supported');
  });

  it('an edge id named under another object\'s URL reads that edge (RelationshipProvider.readInstance reads repo/relationships/<id>)', () => {
    const started = startSimulator(schema);
    assert.ok('simulator' in started);
    const own = new Run('singletons.idmsim', started.simulator);
    const [edge] = own.body("u1's reports with _queryId=query-all").result;
    const extra = runScenario(schema, parseScenario([
      '### u1\'s reports edge, named under u2\'s reports',
      `GET managed/user/u2/reports/${edge._id}`,
      '',
      '### an id that names no edge',
      'GET managed/user/u2/reports/no-such-edge',
      '',
      '### PUT of the edge, from its own URL, to a user that does not exist: not validated (RelationshipProvider.updateInstance)',
      `PUT managed/user/u1/reports/${edge._id}`,
      'Content-Type: application/json',
      '',
      '{ "_ref": "managed/user/ghost" }',
      '',
    ].join('\n')), { simulator: started.simulator });
    assert.ok(Array.isArray(extra));
    // The row joins u1 (reports) and u2 (manager), u1's path first; from u2's reverse field `reports`, the end that is
    // not u2: u1. formatResponseNoException does not ask whether the row is u2's.
    assert.deepEqual({ status: extra[0].status, body: extra[0].body }, { status: 200, body: endpointItem('managed/user/u1', edge) });
    assert.deepEqual({ status: extra[1].status, body: extra[1].body },
      { status: 404, body: { code: 404, reason: 'Not Found', message: 'Object relationships/no-such-edge not found in relationships' } });
    const put = extra[2].body as Body;
    assert.notEqual(put._rev, edge._rev);
    assert.deepEqual({ status: extra[2].status, body: put }, { status: 200, body: endpointItem('managed/user/ghost', { _id: edge._id, _rev: put._rev }) });
  });
});

describe('deletes and a pair declared on one side only', () => {
  const run = new Run('deletes.idmsim');

  it('deleting the target of a one-way relationship leaves the reference (ManagedObjectSet.deleteInstance clears the deleted object\'s own fields)', () => {
    const [favorite] = run.body("u1's favorite stays, dangling; a plain read shows it as it is").favorites;
    const rev = run.body('u1 favours r1 (one-way)')._rev;
    run.expect("u1's favorite stays, dangling; a plain read shows it as it is", 200, { _id: 'u1', _rev: rev, favorites: [reference('managed/role/r1', favorite._refProperties)] });
    run.expect('expanded, it is marked', 200, {
      _id: 'u1', _rev: rev,
      favorites: [{ ...reference('managed/role/r1', favorite._refProperties), _refError: true, _refErrorMessage: 'Object managed/role/r1 not found in managed/role' }],
    });
  });

  it('IDM 4.0 style: the one-way side shows rows the reverse side wrote, reading their second end (find-relationships-for-resource, convertToRepoObject)', () => {
    const first = run.body('z-lead takes a-emp as staff');
    run.expect("a-emp's boss: the row names boss at a-emp's end, and a-emp's path sorts first, so boss reads the other end", 200,
      { _id: 'a-emp', _rev: run.body('a-emp')._rev, boss: reference('managed/employee/z-lead', first) });
    const second = run.body('a-lead takes m-emp as staff');
    run.expect("m-emp's boss: m-emp's path sorts second, and a field that is not reverse reads the second end: itself", 200,
      { _id: 'm-emp', _rev: run.body('m-emp')._rev, boss: reference('managed/employee/m-emp', second) });
    run.expect("z-lead's staff does not show m-emp: the row written from boss names no field at z-lead's end", 200,
      { _id: 'z-lead', _rev: run.body("z-lead's staff does not show m-emp: the row written from boss names no field at z-lead's end")._rev, staff: [reference('managed/employee/a-emp', first)] });
  });
});
