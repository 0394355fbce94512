/** The scenario parser: REST-client requests, curl commands, directives, errors with offsets. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { allScenarioErrors, parseScenario } from '../../../../server/src/core/scenario/scenario';
import { readFixture } from './helpers';

const slice = (text: string, range: { start: number; end: number }) => text.slice(range.start, range.end);

test('a REST-client request: method, path, query, headers, body and their ranges', () => {
  const text = [
    '### create psmith',
    'PUT /openidm/managed/user/psmith?_fields=userName HTTP/1.1',
    'Content-Type: application/json',
    'If-None-Match: *',
    '',
    '{',
    '  "userName": "psmith", // JSONC comments and trailing commas are fine',
    '  "manager": { "_ref": "managed/user/bjensen" },',
    '}',
    '',
  ].join('\n');
  const scenario = parseScenario(text);
  assert.equal(scenario.requests.length, 1);
  const [request] = scenario.requests;
  assert.deepEqual(request.errors, []);
  assert.equal(request.name, 'create psmith');
  assert.equal(slice(text, request.nameRange!), 'create psmith');
  assert.deepEqual(request.request, {
    method: 'PUT',
    path: 'managed/user/psmith',
    query: { _fields: 'userName' },
    headers: { 'Content-Type': 'application/json', 'If-None-Match': '*' },
    body: { userName: 'psmith', manager: { _ref: 'managed/user/bjensen' } },
  });
  assert.equal(slice(text, request.methodRange), 'PUT');
  assert.equal(slice(text, request.urlRange), '/openidm/managed/user/psmith?_fields=userName');
  assert.equal(slice(text, request.bodyRange!).startsWith('{'), true);
  assert.equal(slice(text, request.bodyRange!).endsWith('}'), true);
  assert.equal(slice(text, request.range).startsWith('PUT'), true);
  assert.equal(slice(text, request.range).endsWith('}'), true);
  assert.deepEqual(request.pathSegments.map((s) => slice(text, s.range)), ['managed', 'user', 'psmith']);
  assert.deepEqual(request.headerList.map((h) => [slice(text, h.nameRange), slice(text, h.valueRange)]), [
    ['Content-Type', 'application/json'],
    ['If-None-Match', '*'],
  ]);
});

test('URLs: hosts and placeholders dropped, /openidm/ stripped, realm names kept, query decoded', () => {
  const cases: Array<[string, string, Record<string, string>]> = [
    ['GET managed/user/psmith', 'managed/user/psmith', {}],
    ['GET /openidm/managed/user', 'managed/user', {}],
    ['GET /managed/user/', 'managed/user', {}],
    ['GET https://<tenant-env-fqdn>/openidm/managed/realm-name_user?_queryFilter=userName+eq+%22bjensen%22', 'managed/realm-name_user', { _queryFilter: 'userName eq "bjensen"' }],
    ['GET http://localhost:8080/openidm/managed/user/a%20b/reports?_queryFilter=true&_pageSize=2', 'managed/user/a b/reports', { _queryFilter: 'true', _pageSize: '2' }],
    ['GET managed/user?_queryFilter=sn eq "Smith"', 'managed/user', { _queryFilter: 'sn eq "Smith"' }],
    ['GET managed/user?_fields=a&_fields=b,c', 'managed/user', { _fields: 'a,b,c' }],
    ['GET {{baseUrl}}/managed/role', 'managed/role', {}],
    ['GET managed/user#fragment', 'managed/user', {}],
    ['managed/user/x', 'managed/user/x', {}],
    ['delete managed/user/x', 'managed/user/x', {}],
  ];
  for (const [line, path, query] of cases) {
    const [request] = parseScenario(line).requests;
    assert.equal(request.request.path, path, line);
    assert.deepEqual(request.request.query, query, line);
  }
  assert.equal(parseScenario('managed/user/x').requests[0].request.method, 'GET');
  assert.equal(parseScenario('delete managed/user/x').requests[0].request.method, 'DELETE');
});

test('query continuation lines join the URL', () => {
  const text = 'GET managed/user/bjensen/reports\n    ?_queryFilter=true\n    &_pageSize=1\n';
  const [request] = parseScenario(text).requests;
  assert.deepEqual(request.request.query, { _queryFilter: 'true', _pageSize: '1' });
  assert.equal(request.queryParams.length, 2);
  assert.equal(slice(text, request.queryParams[1].nameRange), '_pageSize');
  assert.equal(slice(text, request.urlRange), 'managed/user/bjensen/reports\n    ?_queryFilter=true\n    &_pageSize=1');
});

test('requests split on ### and on request lines that cannot be inside a body', () => {
  const text = [
    'GET managed/user/a',
    '###',
    'GET managed/user/b',
    '',
    'DELETE managed/user/c',
    'POST managed/user',
    '',
    '{ "_id": "d" }',
    'curl "http://localhost/openidm/managed/user/e"',
    '### last',
    '# a comment',
    '// another',
    'GET managed/user/f',
  ].join('\n');
  const scenario = parseScenario(text);
  assert.deepEqual(scenario.requests.map((r) => `${r.request.method} ${r.request.path}`), [
    'GET managed/user/a', 'GET managed/user/b', 'DELETE managed/user/c', 'POST managed/user', 'GET managed/user/e', 'GET managed/user/f',
  ]);
  assert.deepEqual(scenario.requests[3].request.body, { _id: 'd' });
  assert.equal(scenario.requests[5].name, 'last');
  assert.deepEqual(allScenarioErrors(scenario), []);
});

test('# @name names a request; # lines inside a body are comments', () => {
  const text = '# @name first\nPOST managed/role\n\n{\n# the role id\n  "_id": "r"\n}\n';
  const [request] = parseScenario(text).requests;
  assert.equal(request.name, 'first');
  assert.deepEqual(request.request.body, { _id: 'r' });
  assert.deepEqual(request.errors, []);
});

test('a body may follow the headers without a blank line', () => {
  const [request] = parseScenario('POST managed/role\nContent-Type: application/json\n{ "name": "x" }').requests;
  assert.deepEqual(request.request.body, { name: 'x' });
  assert.deepEqual(request.request.headers, { 'Content-Type': 'application/json' });
});

test('a malformed body is an error at the JSON error offset, kept for the engine as bodyError', () => {
  const text = 'POST managed/user\n\n{ "userName": "x",, }\n### next\nGET managed/user/x';
  const scenario = parseScenario(text);
  const [bad, next] = scenario.requests;
  assert.equal(bad.request.body, undefined);
  assert.match(bad.request.bodyError!, /Malformed JSON body/);
  assert.equal(bad.errors[0].code, 'idmsim-bad-json');
  assert.equal(text[bad.errors[0].range.start], ',');
  assert.equal(bad.errors[0].range.start, text.indexOf(',,') + 1);
  assert.equal(next.request.path, 'managed/user/x');
  assert.deepEqual(next.errors, []);
});

test('curl: double-quoted body with escapes maps JSON errors back to the file', () => {
  const text = 'curl -X POST -d "{\\"_ref\\": \\"managed/user/x\\" ]" http://localhost/openidm/managed/user/y/manager';
  const [request] = parseScenario(text).requests;
  assert.equal(request.request.method, 'POST');
  assert.equal(request.request.path, 'managed/user/y/manager');
  assert.equal(request.errors[0].code, 'idmsim-bad-json');
  assert.equal(text[request.errors[0].range.start], ']');
});

test('curl: short option bundles, attached arguments, -G and default methods', () => {
  const post = parseScenario("curl -sSk -XPUT -H'If-Match: *' --data-raw '{}' 'http://h/openidm/managed/role/r'").requests[0];
  assert.equal(post.request.method, 'PUT');
  assert.deepEqual(post.request.headers, { 'If-Match': '*' });
  assert.deepEqual(post.request.body, {});
  assert.deepEqual(post.errors, []);
  const implied = parseScenario("curl -d '{\"name\":\"r\"}' http://h/openidm/managed/role").requests[0];
  assert.equal(implied.request.method, 'POST');
  const get = parseScenario("curl -G -d '_queryFilter=true' -d '_pageSize=1' http://h/openidm/managed/role").requests[0];
  assert.equal(get.request.method, 'GET');
  assert.deepEqual(get.request.query, { _queryFilter: 'true', _pageSize: '1' });
  assert.equal(get.request.body, undefined);
  const json = parseScenario("curl --json '{\"a\":1}' http://h/openidm/managed/role").requests[0];
  assert.deepEqual(json.request.headers, { 'Content-Type': 'application/json', Accept: 'application/json' });
});

test('curl problems are located errors, and parsing goes on', () => {
  const text = "curl -d @body.json http://h/openidm/managed/role\n###\ncurl --frobnicate http://h/openidm/managed/user\n###\ncurl -X\n###\ncurl -d '{ \"a\": 1\n###\nGET managed/user/ok";
  const scenario = parseScenario(text);
  assert.equal(scenario.requests.length, 5);
  const codes = scenario.requests.map((r) => r.errors.map((e) => e.code));
  assert.deepEqual(codes[0], ['idmsim-curl-unsupported']);
  assert.equal(slice(text, scenario.requests[0].errors[0].range), '@body.json');
  assert.deepEqual(codes[1], ['idmsim-curl-unsupported']);
  assert.equal(scenario.requests[1].errors[0].severity, 'warning');
  assert.deepEqual(codes[2], ['idmsim-curl-syntax', 'idmsim-missing-url']);
  assert.equal(codes[3][0], 'idmsim-curl-syntax');
  assert.equal(scenario.requests[4].request.path, 'managed/user/ok');
  assert.deepEqual(codes[4], []);
});

test('http problems: a method without URL, a line that is no header, a bad %-escape', () => {
  const text = 'GET\n###\nGET managed/user/x\nnot a header\n###\nGET managed/user?_queryFilter=%zz';
  const scenario = parseScenario(text);
  assert.deepEqual(scenario.requests[0].errors.map((e) => e.code), ['idmsim-missing-url']);
  assert.deepEqual(scenario.requests[1].errors.map((e) => e.code), ['idmsim-bad-header']);
  assert.equal(slice(text, scenario.requests[1].errors[0].range), 'not a header');
  assert.deepEqual(scenario.requests[2].errors.map((e) => e.code), ['idmsim-bad-query']);
  assert.equal(slice(text, scenario.requests[2].errors[0].range), '%zz');
});

test('@config picks the config; a second one and unknown directives are errors', () => {
  const text = '@config ../conf/managed.json\n@config other.json\n@host = x\nGET managed/user';
  const scenario = parseScenario(text);
  assert.equal(scenario.config?.path, '../conf/managed.json');
  assert.equal(slice(text, scenario.config!.range), '../conf/managed.json');
  assert.deepEqual(scenario.errors.map((e) => e.code), ['idmsim-bad-directive', 'idmsim-bad-directive']);
  assert.equal(parseScenario('@config "my conf/managed.json"').config?.path, 'my conf/managed.json');
});

test('a byte order mark does not hide the first request line', () => {
  const [request] = parseScenario('\uFEFFGET managed/user/x').requests;
  assert.equal(request.request.method, 'GET');
  assert.equal(request.methodRange.start, 1);
});

test('CRLF line ends parse the same', () => {
  const lf = readFixture('scenarios', 'manager-reports.idmsim');
  const crlf = lf.replace(/\n/g, '\r\n');
  const strip = (text: string) => parseScenario(text).requests.map((r) => r.request);
  assert.deepEqual(strip(crlf), strip(lf));
});

test('the sample scenarios parse without errors', () => {
  for (const name of ['manager-reports.idmsim', 'roles-assignments.idmsim']) {
    const scenario = parseScenario(readFixture('scenarios', name));
    assert.deepEqual(allScenarioErrors(scenario), [], name);
    assert.ok(scenario.requests.length >= 10, name);
    assert.ok(scenario.requests.every((r) => r.name), `${name}: every request is named`);
  }
});

test('the parser never throws, and every range lies inside the text', () => {
  const alphabet = ['GET ', 'POST ', 'curl ', '###', '\n', ' ', '\\', "'", '"', '{', '}', '[', ']', ':', ',', '#', '//', '@config ', '?', '&', '=', '%', 'managed/user/', 'a', '-d ', '-H ', '(1)', '\r\n', '$ '];
  fc.assert(fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }), (parts) => {
    const text = parts.join('');
    const scenario = parseScenario(text);
    const ranges = [
      ...allScenarioErrors(scenario).map((e) => e.range),
      ...scenario.requests.flatMap((r) => [r.range, r.methodRange, r.urlRange, ...(r.bodyRange ? [r.bodyRange] : [])]),
    ];
    for (const range of ranges) {
      assert.ok(range.start >= 0 && range.start <= range.end && range.end <= text.length, JSON.stringify({ text, range }));
    }
  }), { numRuns: 500 });
});
