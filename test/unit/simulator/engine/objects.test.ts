/** Managed objects over REST: create, read, update, patch, delete, revisions, and IDM-shaped errors. */
import { beforeEach, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { Client, refsOf, start, stateOf } from './helpers';

function assertError(response: { status: number; body: unknown }, status: number, reason: string, message?: RegExp): void {
  assert.equal(response.status, status, JSON.stringify(response.body));
  const body = response.body as Record<string, unknown>;
  assert.deepEqual(Object.keys(body), ['code', 'reason', 'message']);
  assert.equal(body.code, status);
  assert.equal(body.reason, reason);
  assert.equal(typeof body.message, 'string');
  if (message) assert.match(body.message as string, message);
}

describe('objects: create', () => {
  let client: Client;
  beforeEach(() => { client = new Client(start()); });

  it('creates with a client id (PUT + If-None-Match: *) and refuses an existing id with 412', () => {
    const body = client.ok(client.put('managed/user/bjensen', { userName: 'bjensen' }, { 'If-None-Match': '*' }), 201);
    assert.equal(body._id, 'bjensen');
    const before = stateOf(client.sim);
    assertError(client.put('managed/user/bjensen', { userName: 'other' }, { 'If-None-Match': '*' }), 412, 'Precondition Failed');
    assert.equal(stateOf(client.sim), before);
  });

  it('creates with a generated id: POST ?_action=create, and POST with no action', () => {
    const a = client.ok(client.post('managed/user', { userName: 'a' }, { _action: 'create' }), 201);
    const b = client.ok(client.post('managed/user', { userName: 'b' }), 201);
    assert.notEqual(a._id, b._id);
    assert.equal(client.ok(client.get(`managed/user/${a._id}`)).userName, 'a');
    assertError(client.post('managed/user', { userName: 'c' }, { _action: 'frobnicate' }), 400, 'Bad Request', /frobnicate/);
  });

  it('generates the same ids and revisions from the same seed, others from another seed', () => {
    const run = (seed: number) => {
      const c = new Client(start(undefined, seed));
      const user = c.ok(c.post('managed/user', { userName: 'x' }), 201);
      const role = c.ok(c.post('managed/role', { name: 'r' }), 201);
      const edge = c.ok(c.post(`managed/user/${user._id}/roles`, { _ref: `managed/role/${role._id}` }), 201);
      return [user._id, user._rev, role._id, edge._id, edge._rev];
    };
    assert.deepEqual(run(7), run(7));
    assert.notDeepEqual(run(7), run(8));
  });

  it('upserts on PUT without conditional headers', () => {
    client.ok(client.put('managed/user/jdoe', { userName: 'jdoe' }), 201);
    client.ok(client.put('managed/user/jdoe', { userName: 'jdoe2' }), 200);
    assert.equal(client.ok(client.get('managed/user/jdoe')).userName, 'jdoe2');
  });
});

describe('objects: read, update, patch, delete', () => {
  let client: Client;
  let created: any;
  beforeEach(() => {
    client = new Client(start());
    created = client.create('user', 'bjensen', { userName: 'bjensen', sn: 'Jensen', preferences: { updates: true, marketing: false }, password: 'Secret123' });
  });

  it('reads with _id and _rev; _fields selects plain fields and parts of them; private fields never show', () => {
    const body = client.ok(client.get('managed/user/bjensen'));
    assert.deepEqual(body, { ...created });
    assert.equal('password' in body, false);
    assert.deepEqual(client.ok(client.get('managed/user/bjensen', { _fields: 'sn' })), { _id: 'bjensen', _rev: created._rev, sn: 'Jensen' });
    assert.deepEqual(client.ok(client.get('managed/user/bjensen', { _fields: 'preferences/marketing,password' })), { _id: 'bjensen', _rev: created._rev, preferences: { marketing: false } });
  });

  it('changes _rev on every write and checks If-Match (rev or *)', () => {
    const updated = client.ok(client.put('managed/user/bjensen', { userName: 'bjensen', sn: 'Jensen-Smith' }, { 'If-Match': created._rev }));
    assert.notEqual(updated._rev, created._rev);
    assert.equal(updated.sn, 'Jensen-Smith');
    assert.equal('preferences' in updated, false, 'PUT replaces the object');
    const before = stateOf(client.sim);
    assertError(client.put('managed/user/bjensen', { userName: 'x' }, { 'If-Match': created._rev }), 412, 'Precondition Failed', /version/);
    assertError(client.patch('managed/user/bjensen', [{ operation: 'replace', field: '/sn', value: 'x' }], { 'If-Match': created._rev }), 412, 'Precondition Failed');
    assertError(client.delete('managed/user/bjensen', { 'If-Match': created._rev }), 412, 'Precondition Failed');
    assert.equal(stateOf(client.sim), before);
    const starred = client.ok(client.put('managed/user/bjensen', { userName: 'bjensen' }, { 'If-Match': '*' }));
    assert.notEqual(starred._rev, updated._rev);
    const quoted = client.ok(client.patch('managed/user/bjensen', [{ operation: 'add', field: 'sn', value: 'J' }], { 'If-Match': `"${starred._rev}"` }));
    assert.notEqual(quoted._rev, starred._rev);
  });

  it('answers 404 for If-Match on a missing object', () => {
    assertError(client.put('managed/user/nobody', { userName: 'x' }, { 'If-Match': '*' }), 404, 'Not Found');
  });

  it('patches plain fields with add, replace, remove and increment', () => {
    const body = client.ok(client.patch('managed/user/bjensen', [
      { operation: 'replace', field: '/sn', value: 'Jensen-Smith' },
      { operation: 'add', field: '/preferences/beta', value: true },
      { operation: 'remove', field: '/preferences/marketing' },
      { operation: 'add', field: '/aliases', value: ['bj'] },
      { operation: 'add', field: '/aliases/-', value: 'babs' },
      { operation: 'add', field: '/aliases', value: ['barbara'] },
      { operation: 'increment', field: '/loginCount', value: 2 },
      { operation: 'remove', field: '/missing' },
    ]));
    assert.equal(body.sn, 'Jensen-Smith');
    assert.deepEqual(body.preferences, { updates: true, beta: true });
    assert.deepEqual(body.aliases, ['bj', 'babs', 'barbara'], 'add on a list appends (Common REST patch "add"; IDM 5.x replaced it)');
    // JsonValuePatch.apply: no operation may name a list element by position.
    assertError(client.patch('managed/user/bjensen', [{ operation: 'add', field: '/aliases/0', value: 'x' }]), 400, 'Bad Request', /^Position-based operation is not allowed: \/aliases\/0$/);
    assert.equal(body.loginCount, 2);
    const removed = client.ok(client.patch('managed/user/bjensen', [{ operation: 'remove', field: '/aliases', value: 'bj' }]));
    assert.deepEqual(removed.aliases, ['babs', 'barbara']);
    const moved = client.ok(client.patch('managed/user/bjensen', [{ operation: 'move', from: '/aliases', field: '/nicknames' }, { operation: 'copy', from: '/sn', field: '/cn2' }]));
    assert.deepEqual(moved.nicknames, ['babs', 'barbara']);
    assert.equal('aliases' in moved, false);
    assert.equal(moved.cn2, 'Jensen-Smith');
  });

  it('refuses bad patches with 400 and changes nothing', () => {
    const before = stateOf(client.sim);
    assertError(client.patch('managed/user/bjensen', { operation: 'add' }), 400, 'Bad Request', /array/);
    assertError(client.patch('managed/user/bjensen', [{ operation: 'merge', field: '/sn', value: 1 }]), 400, 'Bad Request', /unsupported operation/);
    assertError(client.patch('managed/user/bjensen', [{ operation: 'add', field: '/sn' }]), 400, 'Bad Request', /value/);
    assertError(client.patch('managed/user/bjensen', [{ operation: 'replace', field: '/sn', value: 'ok' }, { operation: 'increment', field: '/sn', value: 1 }]), 400, 'Bad Request', /not a number/);
    assertError(client.patch('managed/user/bjensen', [{ operation: 'remove', field: '/preferences/updates/x/y' }]), 400, 'Bad Request');
    assertError(client.patch('managed/user/nobody', []), 404, 'Not Found');
    assert.equal(stateOf(client.sim), before);
  });

  it('deletes and returns the deleted object; it is then gone', () => {
    const deleted = client.ok(client.delete('managed/user/bjensen'));
    assert.deepEqual(deleted, created);
    assertError(client.get('managed/user/bjensen'), 404, 'Not Found', /bjensen/);
    assertError(client.delete('managed/user/bjensen'), 404, 'Not Found');
  });
});

describe('objects: errors', () => {
  const client = new Client(start());

  it('answers 404 for a collection that is no managed type', () => {
    assertError(client.get('managed/device', { _queryFilter: 'true' }), 404, 'Not Found', /managed\/device/);
    assertError(client.put('managed/device/d1', {}, { 'If-None-Match': '*' }), 404, 'Not Found');
    assertError(client.get('system/ldap/account', { _queryFilter: 'true' }), 404, 'Not Found');
  });

  it('answers 400 for a body that is not JSON (request.bodyError) and for a body that is not an object', () => {
    assertError(client.request('PUT', 'managed/user/x', { headers: { 'If-None-Match': '*' }, bodyError: 'Unexpected token } in JSON at position 12' }), 400, 'Bad Request', /Unexpected token/);
    assertError(client.put('managed/user/x', [1, 2], { 'If-None-Match': '*' }), 400, 'Bad Request', /object/);
    assert.equal(client.get('managed/user/x').status, 404);
  });

  it('answers 400 when a collection is queried without _queryFilter, and for a bad filter with its position', () => {
    assertError(client.get('managed/user'), 400, 'Bad Request', /_queryFilter/);
    assertError(client.get('managed/user', { _queryFilter: 'userName eq' }), 400, 'Bad Request', /offset 11.*value|value.*offset 11/);
    assertError(client.get('managed/user', { _queryFilter: 'true', _pageSize: '-1' }), 400, 'Bad Request', /_pageSize/);
    assertError(client.get('managed/user', { _queryFilter: 'true', _pagedResultsCookie: 'garbage' }), 400, 'Bad Request', /cookie/i);
  });

  it('answers 400 for a sub-path that is not a relationship, 405 for unsupported methods', () => {
    client.create('user', 'bjensen', { userName: 'bjensen', mail: 'b@example.com' });
    assertError(client.get('managed/user/bjensen/mail'), 400, 'Bad Request', /not a relationship/);
    assertError(client.request('PATCH', 'managed/user', { body: [] }), 405, 'Method Not Allowed');
    assertError(client.request('PUT', 'managed/user/bjensen/reports', { body: [] }), 405, 'Method Not Allowed');
  });
});

describe('objects: collection queries', () => {
  const client = new Client(start());
  for (const [id, sn, given] of [['u1', 'Smith', 'Zoe'], ['u2', 'jensen', 'Amy'], ['u3', 'Smith', 'Bob'], ['u4', 'Carter', 'Cy']]) {
    client.create('user', id, { userName: id, sn, givenName: given });
  }
  client.ok(client.patch('managed/user/u1', [{ operation: 'add', field: '/manager', value: { _ref: 'managed/user/u2' } }]));

  it('filters, sorts (- for descending, several keys) and selects fields', () => {
    const smiths = client.ok(client.get('managed/user', { _queryFilter: "sn eq 'smith'", _sortKeys: '-givenName', _fields: 'givenName' }));
    assert.deepEqual(smiths.result, [
      { _id: 'u1', _rev: smiths.result[0]._rev, givenName: 'Zoe' },
      { _id: 'u3', _rev: smiths.result[1]._rev, givenName: 'Bob' },
    ]);
    const sorted = client.ok(client.get('managed/user', { _queryFilter: 'true', _sortKeys: 'sn,givenName' }));
    assert.deepEqual(sorted.result.map((u: any) => u._id), ['u4', 'u2', 'u3', 'u1']);
    const withManager = client.ok(client.get('managed/user', { _queryFilter: '/manager pr', _fields: 'manager' }));
    assert.deepEqual(withManager.result.map((u: any) => refsOf(u.manager)), [['managed/user/u2']]);
    const byManagerField = client.ok(client.get('managed/user', { _queryFilter: "/manager/sn eq 'Jensen'" }));
    assert.deepEqual(byManagerField.result.map((u: any) => u._id), ['u1']);
  });

  it('pages with _pageSize and the cookie, or _pagedResultsOffset; counts with EXACT', () => {
    const first = client.ok(client.get('managed/user', { _queryFilter: 'true', _pageSize: '3', _totalPagedResultsPolicy: 'EXACT' }));
    assert.equal(first.resultCount, 3);
    assert.equal(first.totalPagedResults, 4);
    assert.equal(first.remainingPagedResults, 1);
    assert.equal(typeof first.pagedResultsCookie, 'string');
    const second = client.ok(client.get('managed/user', { _queryFilter: 'true', _pageSize: '3', _pagedResultsCookie: first.pagedResultsCookie }));
    assert.deepEqual(second.result.map((u: any) => u._id), ['u4']);
    assert.equal(second.pagedResultsCookie, null);
    assert.equal(second.totalPagedResults, -1);
    const offset = client.ok(client.get('managed/user', { _queryFilter: 'true', _pageSize: '2', _pagedResultsOffset: '1' }));
    assert.deepEqual(offset.result.map((u: any) => u._id), ['u2', 'u3']);
    const ids = client.ok(client.get('managed/user', { _queryId: 'query-all-ids' }));
    assert.equal(ids.resultCount, 4);
  });
});
