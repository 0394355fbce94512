/**
 * Every curl example in the IDM docs (copies in test/fixtures/scenarios/docs/) must parse into the
 * request the docs mean. The expectations are written out by hand from the docs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { parseScenario } from '../../../../server/src/core/scenario/scenario';
import { scanShellCommand } from '../../../../server/src/core/scenario/curl';
import { fixturePath } from './helpers';

interface Expected {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body?: unknown;
}

const IDM_ADMIN = {
  'X-OpenIDM-Username': 'openidm-admin',
  'X-OpenIDM-Password': 'openidm-admin',
  'Accept-API-Version': 'resource=1.0',
};
const AIC_JSON = {
  Authorization: 'Bearer <access-token>',
  'Accept-API-Version': 'resource=1.0',
  'Content-Type': 'application/json',
};
const AIC_PSMITH = {
  sn: 'Smith',
  userName: 'psmith',
  givenName: 'Patricia',
  displayName: 'Patti Smith',
  description: 'psmith - new user',
  mail: 'psmith@example.com',
  telephoneNumber: '0831245986',
  password: 'Passw0rd',
  manager: { _ref: 'managed/realm-name_user/1dff18dc-ac57-4388-8127-dff309f80002' },
};

const EXPECTED: Record<string, Expected[]> = {
  'pingidm-8.0-configuring-relationships.txt': [
    { method: 'GET', path: 'managed/user/bjensen/reports', query: { _queryFilter: 'true' }, headers: IDM_ADMIN },
    { method: 'GET', path: 'managed/user/bjensen/reports', query: { _queryFilter: "sn eq 'Smith'", _pageSize: '1' }, headers: IDM_ADMIN },
    {
      method: 'GET', path: 'managed/user/bjensen/reports',
      query: { _queryFilter: "sn eq 'Smith'", _fields: 'userName,phoneNumber', _pageSize: '1' }, headers: IDM_ADMIN,
    },
    { method: 'GET', path: 'managed/user/psmith', query: { _fields: 'manager' }, headers: IDM_ADMIN },
    { method: 'GET', path: 'managed/user/psmith', query: { _fields: 'manager/mail,manager/phoneNumber' }, headers: IDM_ADMIN },
    {
      method: 'POST', path: 'managed/user/psmith/manager', query: {},
      headers: { ...IDM_ADMIN, 'Content-Type': 'application/json' }, body: { _ref: 'managed/user/bjensen' },
    },
    {
      method: 'PUT', path: 'managed/user/psmith', query: {},
      headers: { ...IDM_ADMIN, 'If-None-Match': '*', 'Content-Type': 'application/json' },
      body: {
        _id: 'psmith',
        _rev: '00000000ec41097c',
        sn: 'Smith',
        userName: 'psmith',
        givenName: 'Patricia',
        displayName: 'Patti Smith',
        description: 'psmith - new user',
        mail: 'psmith@example.com',
        phoneNumber: '0831245986',
        manager: { _ref: 'managed/user/bjensen' },
      },
    },
    { method: 'GET', path: 'managed/user/psmith', query: { _fields: 'manager' }, headers: IDM_ADMIN },
    {
      method: 'PUT', path: 'managed/user/psmith/manager', query: {},
      headers: { ...IDM_ADMIN, 'If-Match': '*', 'Content-Type': 'application/json' }, body: { _ref: 'managed/user/scarter' },
    },
    { method: 'DELETE', path: 'managed/user/psmith/manager', query: {}, headers: IDM_ADMIN },
  ],
  'aic-create-relationship-between-objects.md': [
    { method: 'GET', path: 'managed/realm-name_user', query: { _queryFilter: 'userName eq "bjensen"' }, headers: AIC_JSON },
    { method: 'POST', path: 'managed/realm-name_user', query: { _action: 'create' }, headers: AIC_JSON, body: AIC_PSMITH },
    {
      method: 'GET', path: 'managed/realm-name_user', query: { _queryFilter: 'userName eq "psmith"', _fields: 'manager' },
      headers: { Authorization: 'Bearer <access-token>', 'Accept-API-Version': 'resource=1.0' },
    },
    {
      method: 'GET', path: 'managed/realm-name_user', query: { _queryFilter: 'userName eq "bjensen"', _fields: 'reports' },
      headers: { Authorization: 'Bearer <access-token>', 'Accept-API-Version': 'resource=1.0' },
    },
  ],
  'aic-configure-relationships.txt': [
    {
      method: 'GET', path: 'managed/user', query: { _queryFilter: '/reports pr' },
      headers: { Authorization: 'Bearer <access-token>', 'Accept-API-Version': 'resource=2.0' },
    },
  ],
  'aic-relationship-change-notification.md': [
    { method: 'POST', path: 'managed/realm-name_user', query: { _action: 'create' }, headers: AIC_JSON, body: AIC_PSMITH },
  ],
};

/** The text of each curl command in a document: from its `curl` (or `$ curl`) line to where the shell would end it. */
function extractCurlCommands(doc: string): string[] {
  const commands: string[] = [];
  const curlLine = /^[ \t]*(?:\$[ \t]+)?curl\b/gm;
  let match: RegExpExecArray | null;
  while ((match = curlLine.exec(doc))) {
    const start = match.index;
    const { end } = scanShellCommand(doc, start + match[0].lastIndexOf('curl'), doc.length);
    commands.push(doc.slice(start, end));
    curlLine.lastIndex = Math.max(end, curlLine.lastIndex);
  }
  return commands;
}

const docsDir = fixturePath('scenarios', 'docs');

test('the docs copies hold exactly the curl examples listed here', () => {
  const files = fs.readdirSync(docsDir).filter((name) => /curl/.test(fs.readFileSync(`${docsDir}/${name}`, 'utf8'))).sort();
  assert.deepEqual(files, Object.keys(EXPECTED).sort());
  for (const name of files) {
    const commands = extractCurlCommands(fs.readFileSync(`${docsDir}/${name}`, 'utf8'));
    assert.equal(commands.length, EXPECTED[name].length, `${name}: number of curl examples`);
  }
});

for (const [name, expectations] of Object.entries(EXPECTED)) {
  test(`every curl example in ${name} parses into the request the docs mean`, () => {
    const commands = extractCurlCommands(fs.readFileSync(`${docsDir}/${name}`, 'utf8'));
    commands.forEach((command, index) => {
      const scenario = parseScenario(command);
      const where = `${name} example ${index + 1}`;
      assert.equal(scenario.requests.length, 1, `${where}: one request`);
      const [parsed] = scenario.requests;
      assert.deepEqual(parsed.errors, [], `${where}: no errors`);
      assert.deepEqual(scenario.errors, [], `${where}: no stray text`);
      assert.equal(parsed.style, 'curl');
      const expected = expectations[index];
      const { method, path, query, headers, body } = parsed.request;
      assert.deepEqual({ method, path, query, headers, body }, { ...expected, body: expected.body }, where);
      assert.equal(parsed.request.bodyError, undefined, where);
    });
  });
}

test('a docs example pasted with its response is one request and a warning about the response', () => {
  const doc = fs.readFileSync(`${docsDir}/pingidm-8.0-configuring-relationships.txt`, 'utf8');
  const start = doc.indexOf('curl \\');
  const end = doc.indexOf('The following example demonstrates querying managed user bjensen for all reports where');
  const pasted = doc.slice(start, end);
  const scenario = parseScenario(pasted);
  assert.equal(scenario.requests.length, 1);
  assert.equal(scenario.requests[0].request.path, 'managed/user/bjensen/reports');
  assert.equal(scenario.errors.length, 1);
  assert.equal(scenario.errors[0].code, 'idmsim-stray-text');
  assert.equal(pasted.slice(scenario.errors[0].range.start, scenario.errors[0].range.start + 1), '{');
  assert.equal(pasted.slice(0, scenario.errors[0].range.end).trimEnd().endsWith('}'), true);
});

test('several docs examples pasted one after the other become several requests', () => {
  const doc = fs.readFileSync(`${docsDir}/pingidm-8.0-configuring-relationships.txt`, 'utf8');
  const start = doc.indexOf('Create a relationship\n');
  const end = doc.indexOf('Relationship properties\n\nRelationships have');
  const scenario = parseScenario(doc.slice(start, end));
  const methods = scenario.requests.map((r) => `${r.request.method} ${r.request.path}`);
  // The prose before the first curl is not a request either way; the requests are what matter.
  assert.deepEqual(methods.filter((m) => m.includes('managed/user/psmith')), [
    'POST managed/user/psmith/manager',
    'PUT managed/user/psmith',
    'GET managed/user/psmith',
    'PUT managed/user/psmith/manager',
    'DELETE managed/user/psmith/manager',
  ]);
});
