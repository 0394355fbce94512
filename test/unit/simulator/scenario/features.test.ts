/** Diagnostics and completions for .idmsim files, against the forgeops idm-only config. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readConfigFile } from '../../../../server/src/core/model/configFile';
import { Schema } from '../../../../server/src/core/model/schema';
import { scenarioCompletions, scenarioDiagnostics, type IdmsimCompletion } from '../../../../server/src/core/scenario/idmsimFeatures';
import { readFixture, withCursor } from './helpers';

const schema = new Schema('conf', [
  readConfigFile('conf/managed.json', readFixture('scenarios', 'conf', 'managed.json')),
  readConfigFile('conf/internal.json', readFixture('scenarios', 'conf', 'internal.json')),
]);

const slice = (text: string, range: { start: number; end: number }) => text.slice(range.start, range.end);
const labels = (items: IdmsimCompletion[]) => items.map((i) => i.label);

function complete(marked: string): { items: IdmsimCompletion[]; text: string; offset: number } {
  const { text, offset } = withCursor(marked);
  return { items: scenarioCompletions(text, offset, schema), text, offset };
}

// ---------------------------------------------------------------------------------------------------
// Diagnostics

test('diagnostics: unknown collection, field, non-relationship field, method', () => {
  const text = [
    'GET managed/usr/psmith',
    '###',
    'GET managed/user/psmith/bosses?_queryFilter=true',
    '###',
    'GET managed/user/psmith/mail',
    '###',
    'FETCH managed/user/psmith',
    '###',
    'GET internal/role/openidm-admin/authzMembers?_queryFilter=true',
    '###',
    'GET internal/user/x/nothing',
  ].join('\n');
  const found = scenarioDiagnostics(text, schema).map((d) => [d.code, slice(text, d.range), d.severity]);
  assert.deepEqual(found, [
    ['idmsim-unknown-collection', 'managed/usr', 'warning'],
    ['idmsim-unknown-field', 'bosses', 'warning'],
    ['idmsim-not-relationship', 'mail', 'warning'],
    ['idmsim-bad-method', 'FETCH', 'error'],
    ['idmsim-unknown-field', 'nothing', 'warning'],
  ]);
});

test('diagnostics: malformed JSON at the JSON error, and _ref to an unknown collection in http and curl bodies', () => {
  const text = [
    'POST managed/user',
    '',
    '{ "userName": "x" "sn": "y" }',
    '###',
    'PUT managed/user/psmith',
    '',
    '{ "manager": { "_ref": "managed/people/bjensen" }, "roles": [ { "_ref": "managed/role/r" }, { "_ref": "managed/rol/q" } ] }',
    '###',
    'curl -X POST -d "{\\"_ref\\": \\"managed/nobody/x\\"}" http://localhost:8080/openidm/managed/user/psmith/manager',
  ].join('\n');
  const found = scenarioDiagnostics(text, schema).map((d) => [d.code, slice(text, d.range)]);
  assert.deepEqual(found, [
    ['idmsim-bad-json', '"sn"'],
    ['idmsim-unknown-ref-collection', '"managed/people/bjensen"'],
    ['idmsim-unknown-ref-collection', '"managed/rol/q"'],
    ['idmsim-unknown-ref-collection', '"managed/nobody/x\\"'],
  ]);
  assert.equal(text.indexOf('"sn"'), scenarioDiagnostics(text, schema)[0].range.start);
});

test('diagnostics: types defined in a file the schema does not hold (an open large file) are not unknown; nor any, when those are not known', () => {
  const text = 'GET managed/person/x\n###\nGET managed/usr/x\n###\nPUT managed/user/y\n\n{ "manager": { "_ref": "managed/person/x" }, "boss": { "_ref": "managed/usr/z" } }';
  const found = (elsewhere: ReadonlySet<string> | 'unknown') => scenarioDiagnostics(text, schema, elsewhere).map((d) => [d.code, slice(text, d.range)]);
  assert.deepEqual(found(new Set(['person'])), [['idmsim-unknown-collection', 'managed/usr'], ['idmsim-unknown-ref-collection', '"managed/usr/z"']]);
  assert.deepEqual(found('unknown'), []);
  // What the schema itself knows is still checked.
  assert.deepEqual(scenarioDiagnostics('GET managed/user/x/bosses', schema, 'unknown').map((d) => d.code), ['idmsim-unknown-field']);
});

test('diagnostics without a schema: only what needs none', () => {
  const text = 'GET managed/usr/x\n###\nFETCH managed/user\n###\nPOST managed/user\n\n{ x }';
  assert.deepEqual(scenarioDiagnostics(text, undefined).map((d) => d.code), ['idmsim-bad-method', 'idmsim-bad-json']);
});

test('the sample scenarios have no diagnostics against their config', () => {
  for (const name of ['manager-reports.idmsim', 'roles-assignments.idmsim']) {
    assert.deepEqual(scenarioDiagnostics(readFixture('scenarios', name), schema), [], name);
  }
});

// ---------------------------------------------------------------------------------------------------
// Completions

test('completions: methods at the start of a line', () => {
  const { items, text } = complete('GET managed/user\n###\nPA|');
  assert.deepEqual(labels(items), ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
  assert.equal(slice(text, items[0].range), 'PA');
});

test('completions: collections after the method, keeping a host or /openidm/ prefix', () => {
  const { items, text } = complete('GET /openidm/managed/us|');
  assert.deepEqual(labels(items), ['managed/user', 'managed/role', 'managed/assignment', 'managed/organization', 'internal/role', 'internal/user']);
  assert.equal(slice(text, items[0].range), 'managed/us');
  const empty = complete('DELETE |').items;
  assert.ok(labels(empty).includes('managed/organization'));
  const hosted = complete('GET http://localhost:8080/openidm/|');
  assert.equal(hosted.items[0].range.start, hosted.offset);
});

test('completions: ids created earlier in the file (PUT paths and _id in POST bodies)', () => {
  const { items, text } = complete([
    'PUT managed/user/bjensen',
    '',
    '{ "userName": "bjensen" }',
    '###',
    'POST managed/user?_action=create',
    '',
    '{ "_id": "psmith", "userName": "psmith" }',
    '###',
    'PUT managed/role/employee',
    '###',
    'GET managed/user/ps|',
    '###',
    'PUT managed/user/later',
  ].join('\n'));
  assert.deepEqual(labels(items), ['bjensen', 'psmith']);
  assert.equal(slice(text, items[0].range), 'ps');
  assert.deepEqual(labels(complete('PUT managed/role/employee\n###\nGET managed/role/|').items), ['employee']);
});

test('completions: relationship endpoints after managed/<type>/<id>/', () => {
  const { items } = complete('GET managed/user/psmith/|');
  assert.deepEqual(labels(items).sort(), ['adminOfOrg', 'authzRoles', 'manager', 'memberOfOrg', 'ownerOfOrg', 'reports', 'roles']);
  assert.match(items.find((i) => i.label === 'manager')!.detail!, /one → managed\/user/);
  assert.deepEqual(labels(complete('GET internal/role/openidm-admin/|').items), ['authzMembers']);
});

test('completions: query parameters after ? and &, fields after _fields=', () => {
  const first = complete('GET managed/user/bjensen/reports?|');
  assert.deepEqual(labels(first.items), ['_queryFilter', '_fields', '_pageSize', '_pagedResultsCookie', '_pagedResultsOffset', '_sortKeys', '_action']);
  const next = complete('GET managed/user?_queryFilter=true&_pa|');
  assert.equal(slice(next.text, next.items[0].range), '_pa');
  const continued = complete('GET managed/user\n    ?_queryFilter=true\n    &_so|');
  assert.ok(labels(continued.items).includes('_sortKeys'));
  const fields = complete('GET managed/user/psmith?_fields=userName,ma|');
  assert.ok(labels(fields.items).includes('manager'));
  assert.ok(labels(fields.items).includes('mail'));
  assert.equal(slice(fields.text, fields.items[0].range), 'ma');
});

test('completions: header names and values in the header block', () => {
  const names = complete('PUT managed/user/x\nContent-Type: application/json\nIf-|\n\n{}');
  assert.ok(labels(names.items).includes('If-None-Match'));
  assert.equal(slice(names.text, names.items[0].range), 'If-');
  assert.equal(names.items[0].insertText?.endsWith(': '), true);
  const underRequest = labels(complete('GET managed/user\n|').items);
  assert.ok(underRequest.includes('Accept') && underRequest.includes('DELETE'), 'a header or the next request');
  assert.ok(!labels(names.items).includes('GET'), 'below a header, only headers');
  const values = complete('PUT managed/user/x\nAccept-API-Version: |');
  assert.deepEqual(labels(values.items), ['resource=1.0', 'resource=2.0']);
  const curl = complete('curl --header "Acc|');
  assert.ok(labels(curl.items).includes('Accept-API-Version'));
});

test('completions: property names of the collection type inside a JSON body', () => {
  const { items, text } = complete('POST managed/user\n\n{ "userName": "x", "ma|" }');
  const names = labels(items);
  assert.ok(names.includes('manager') && names.includes('mail') && names.includes('roles'));
  assert.ok(!names.includes('userName'), 'keys already present are left out');
  assert.equal(slice(text, items[0].range), '"ma"');
  assert.equal(items.find((i) => i.label === 'manager')!.insertText, '"manager": ');
  const withColon = complete('POST managed/user\n\n{ "ma|": {} }');
  assert.equal(withColon.items.find((i) => i.label === 'manager')!.insertText, '"manager"');
  const bare = complete('PUT managed/role/r\n\n{\n  |\n}');
  assert.deepEqual(labels(bare.items).sort(), ['_id', 'assignments', 'condition', 'description', 'members', 'name', 'temporalConstraints']);
  assert.equal(bare.items[0].insertText?.endsWith(': '), true);
});

test('completions: _ref values for relationship fields, from ids known earlier', () => {
  const prefix = 'PUT managed/user/bjensen\n###\nPUT managed/user/scarter\n###\nPUT managed/role/employee\n###\n';
  const manager = complete(prefix + 'PUT managed/user/psmith\n\n{ "manager": { "_ref": "|" } }');
  assert.deepEqual(labels(manager.items), ['managed/user/bjensen', 'managed/user/scarter']);
  assert.equal(slice(manager.text, manager.items[0].range), '""');
  assert.equal(manager.items[0].insertText, '"managed/user/bjensen"');
  const roles = complete(prefix + 'PUT managed/user/psmith\n\n{ "roles": [ { "_ref": "|" } ] }');
  assert.deepEqual(labels(roles.items), ['managed/role/employee']);
  const endpoint = complete(prefix + 'POST managed/user/psmith/manager\n\n{ "_ref": "|" }');
  assert.deepEqual(labels(endpoint.items), ['managed/user/bjensen', 'managed/user/scarter']);
  const keys = complete(prefix + 'POST managed/user/psmith/manager\n\n{ | }');
  assert.deepEqual(labels(keys.items), ['_ref', '_refProperties']);
  const value = complete(prefix + 'PUT managed/user/psmith\n\n{ "manager": | }');
  assert.deepEqual(labels(value.items), ['{ "_ref": "managed/user/bjensen" }', '{ "_ref": "managed/user/scarter" }']);
  const none = complete('PUT managed/user/psmith\n\n{ "roles": [ { "_ref": "|" } ] }');
  assert.deepEqual(labels(none.items), ['managed/role/'], 'the collection itself when no id is known');
});

test('completions: inside a curl body and a PATCH body', () => {
  const prefix = 'PUT managed/user/bjensen\n###\n';
  const curl = complete(prefix + `curl -X POST --data '{ "_ref": "|" }' "http://localhost:8080/openidm/managed/user/psmith/manager"`);
  assert.deepEqual(labels(curl.items), ['managed/user/bjensen']);
  const patch = complete(prefix + 'PATCH managed/user/psmith\n\n[ { "operation": "add", "field": "|" } ]');
  assert.ok(labels(patch.items).includes('/roles/-'));
  assert.ok(labels(patch.items).includes('/manager'));
  const op = complete(prefix + 'PATCH managed/user/psmith\n\n[ { "operation": "|" } ]');
  assert.ok(labels(op.items).includes('replace'));
  const ref = complete(prefix + 'PATCH managed/user/psmith\n\n[ { "operation": "replace", "field": "/manager", "value": { "_ref": "|" } } ]');
  assert.deepEqual(labels(ref.items), ['managed/user/bjensen']);
});

test('completions: curl URLs', () => {
  const { items } = complete('PUT managed/user/bjensen\n###\ncurl -X GET "http://localhost:8080/openidm/managed/user/|"');
  assert.deepEqual(labels(items), ['bjensen']);
});

test('diagnostics and completions never throw, and their ranges lie inside the text', () => {
  const alphabet = [
    'GET ', 'POST ', 'PUT ', 'PATCH ', 'curl ', '-d ', '-H ', '###', '\n', ' ', '"', "'", '{', '}', '[', ']', ':', ',', '#',
    '?', '&', '=', '_fields=', 'managed/', 'user/', 'role/', 'psmith/', 'manager', '"_ref"', '"managed/user/x"', 'Content-Type: ', '\\',
  ];
  fc.assert(fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 30 }), fc.nat(), (parts, at) => {
    const text = parts.join('');
    const offset = text.length === 0 ? 0 : at % (text.length + 1);
    const inside = (range: { start: number; end: number }) => range.start >= 0 && range.start <= range.end && range.end <= text.length;
    for (const diagnostic of scenarioDiagnostics(text, schema)) assert.ok(inside(diagnostic.range), JSON.stringify({ text, diagnostic }));
    for (const item of scenarioCompletions(text, offset, schema)) {
      assert.ok(inside(item.range) && item.range.start <= offset && offset <= item.range.end, JSON.stringify({ text, offset, item }));
    }
  }), { numRuns: 400 });
});
