/** The HTTP <-> simulator translation of `idm-rel serve`, without sockets. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toHttpAnswer, toSimRequest, idmErrorAnswer } from '../../../server/src/core/serve/httpExchange';

test('an HTTP request becomes the simulator request it means: path below /openidm/, decoded query, headers, parsed body', () => {
  const translated = toSimRequest({
    method: 'post',
    url: "/openidm/managed/user/bjensen/reports?_queryFilter=sn+eq+'Smith'&_fields=userName&_fields=mail",
    headers: { 'x-openidm-username': 'openidm-admin', authorization: 'Bearer t', accept: ['a', 'b'], skipped: undefined },
    bodyText: '{"_ref": "managed/user/psmith"}',
  });
  assert.ok('request' in translated);
  assert.deepEqual(translated.request, {
    method: 'POST',
    path: 'managed/user/bjensen/reports',
    query: { _queryFilter: "sn eq 'Smith'", _fields: 'userName,mail' },
    headers: { 'x-openidm-username': 'openidm-admin', authorization: 'Bearer t', accept: 'a, b' },
    body: { _ref: 'managed/user/psmith' },
  });
});

test('a malformed body is left for the engine to answer 400; an empty one is no body', () => {
  const bad = toSimRequest({ method: 'PUT', url: '/openidm/managed/user/x', headers: {}, bodyText: '{"a":' });
  assert.ok('request' in bad);
  assert.match(bad.request.bodyError ?? '', /^Malformed JSON body: /);
  const empty = toSimRequest({ method: 'GET', url: '/openidm/managed/user/x', headers: {}, bodyText: '  ' });
  assert.ok('request' in empty);
  assert.equal(empty.request.body, undefined);
  assert.equal(empty.request.bodyError, undefined);
});

test('what the simulator does not implement is 501, what is outside /openidm/ 404, a bad escape 400: all in IDM error shape', () => {
  const answer = (method: string, url: string) => {
    const translated = toSimRequest({ method, url, headers: {}, bodyText: '' });
    assert.ok('answer' in translated, `${method} ${url}`);
    return translated.answer;
  };
  assert.deepEqual(answer('GET', '/openidm/config/managed').body, {
    code: 501, reason: 'Not Implemented', message: "The relationship simulator answers managed/ and internal/ objects only, not 'config/managed'",
  });
  assert.equal(answer('POST', '/openidm/managed/user?_action=patch').status, 501);
  assert.equal(answer('HEAD', '/openidm/managed/user').status, 501);
  assert.equal(answer('GET', '/other/managed/user').status, 404);
  assert.equal(answer('GET', '/openidm/managed/user/%zz').status, 400);
  const create = toSimRequest({ method: 'POST', url: '/openidm/managed/user?_action=create', headers: {}, bodyText: '{}' });
  assert.ok('request' in create, 'the create action is the simulator\'s');
});

test('an answer carries the body\'s revision as its quoted ETag, and JSON as its content type', () => {
  assert.deepEqual(toHttpAnswer({ status: 200, body: { _id: 'a', _rev: '7' } }).headers, { 'Content-Type': 'application/json;charset=utf-8', ETag: '"7"' });
  assert.deepEqual(toHttpAnswer({ status: 200, body: { result: [] } }).headers, { 'Content-Type': 'application/json;charset=utf-8' });
  assert.deepEqual(idmErrorAnswer(413, 'too big').body, { code: 413, reason: 'Payload Too Large', message: 'too big' });
});
