/**
 * The simulator under bad input: random request sequences (unknown methods and paths, malformed bodies and query
 * parameters, self-references, huge pages), malformed scenario files, cyclic `notifyRelationships`, 10,000-deep
 * manager chains. Every request is answered (never a 500, which means a simulator bug), in bounded time, and a failed
 * request leaves the state exactly as it was, on both sides of every relationship.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { readConfigFile } from '../../server/src/core/model/configFile';
import { Schema } from '../../server/src/core/model/schema';
import { startSimulator, type Simulator } from '../../server/src/core/simulator/engine';
import { runScenario } from '../../server/src/core/scenario/runScenario';
import { parseScenario } from '../../server/src/core/scenario/scenario';
import type { SimRequest, SimResponse } from '../../server/src/core/simulator/types';
import { FIXTURES, readFixture } from '../helpers/fixtures';
import { FUZZ_TEST_OPTIONS, assertProperty } from './fuzzSettings';
import { cpuMs } from './invariants';

const FORGEOPS = 'corpus/ForgeRock_forgeops/docker/idm/config-profiles/idm-only/conf';

function schemaOf(files: Array<[string, string]>): Schema {
  return new Schema('/conf', files.map(([uri, text]) => readConfigFile(uri, text)));
}

const forgeops = () => schemaOf([['/conf/managed.json', readFixture(`${FORGEOPS}/managed.json`)], ['/conf/internal.json', readFixture(`${FORGEOPS}/internal.json`)]]);

function start(schema: Schema): Simulator {
  const started = startSimulator(schema, { seed: 7 });
  assert.ok('simulator' in started, 'refused' in started ? started.refused.join('; ') : '');
  return started.simulator;
}

/** Answers `request`, asserting it is answered in time and, when it fails, that it changed nothing. */
function handleChecked(simulator: Simulator, request: SimRequest, label = ''): SimResponse {
  const before = simulator.snapshot();
  const auditBefore = simulator.audit.length;
  let response: SimResponse | undefined;
  const ms = cpuMs(() => (response = simulator.handle(request)));
  const what = `${label}${request.method} ${request.path} ${JSON.stringify(request.query)} ${JSON.stringify(request.body)?.slice(0, 300)}`;
  assert.ok(response, `${what}: no response`);
  assert.ok(Number.isInteger(response.status) && response.status >= 200 && response.status < 600, `${what}: status ${response.status}`);
  assert.notEqual(response.status, 500, `${what}: simulator bug: ${JSON.stringify(response.body)}`);
  assert.ok(ms < 2000, `${what}: took ${ms.toFixed(0)} ms of CPU`);
  assert.doesNotThrow(() => JSON.stringify(response!.body), `${what}: body is not JSON`);
  if (response.status >= 400) {
    const body = response.body as { code?: unknown; message?: unknown };
    assert.equal(body.code, response.status, `${what}: an error body carries its code`);
    assert.ok(typeof body.message === 'string' && body.message.length > 0, `${what}: an error says why`);
    assert.deepEqual(simulator.snapshot(), before, `${what}: a failed request (${response.status}) changed the state`);
    assert.equal(simulator.audit.length, auditBefore, `${what}: a failed request wrote to the audit log`);
  }
  return response;
}

// ---- random requests -------------------------------------------------------------------------------------------

const IDS = ['a', 'b', 'c', 'bjensen', '𝒰', 'e\u0301', '\u202Eevil', '..', '%2F', 'x'.repeat(300)];
const id = fc.constantFrom(...IDS);
const ref = fc.oneof(
  id.map((i) => `managed/user/${i}`), id.map((i) => `managed/role/${i}`), id.map((i) => `managed/organization/${i}`),
  fc.constantFrom('managed/nope/a', 'internal/role/openidm-admin', 'managed/user', '', 'managed/user/a/manager', 42 as unknown as string),
);
const refValue = fc.oneof(ref.map((r) => ({ _ref: r })), ref.map((r) => ({ _ref: r, _refProperties: { temporalConstraints: [] } })), fc.constantFrom(null, {}, { _ref: null }, 'managed/user/a', []));
const userBody = fc.record({
  userName: fc.oneof(fc.string(), fc.constant(undefined)),
  manager: fc.option(refValue, { nil: undefined }),
  reports: fc.option(fc.array(refValue, { maxLength: 4 }), { nil: undefined }),
  roles: fc.option(fc.array(refValue, { maxLength: 3 }), { nil: undefined }),
  _id: fc.option(id, { nil: undefined }),
  _rev: fc.option(fc.constantFrom('0', '1', 'x'), { nil: undefined }),
}, { requiredKeys: [] });
const patchBody = fc.array(fc.record({
  operation: fc.constantFrom('add', 'remove', 'replace', 'increment', 'copy', 'move', 'bogus'),
  field: fc.constantFrom('/manager', '/reports', '/reports/-', '/reports/0', '/roles/-', '/userName', '', '/', '/nope/deep', 'manager'),
  value: fc.oneof(refValue, fc.array(refValue, { maxLength: 3 }), fc.string(), fc.integer()),
  from: fc.option(fc.constantFrom('/manager', '/reports/0'), { nil: undefined }),
}, { requiredKeys: ['operation'] }), { maxLength: 3 });
const body = fc.oneof(userBody, patchBody, fc.constantFrom(undefined, null, 42, 'text', [], [[[]]], { a: { b: { c: {} } } }), refValue);

const pathArbitrary = fc.oneof(
  { arbitrary: id.map((i) => `managed/user/${i}`), weight: 4 },
  fc.constant('managed/user'), fc.constant('managed/role'),
  { arbitrary: fc.tuple(id, fc.constantFrom('manager', 'reports', 'roles', 'authzRoles', 'userName', 'nope')).map(([i, r]) => `managed/user/${i}/${r}`), weight: 3 },
  fc.tuple(id, fc.constantFrom('reports', 'roles'), fc.constantFrom('0', 'edge', 'x'.repeat(50))).map(([i, r, e]) => `managed/user/${i}/${r}/${e}`),
  id.map((i) => `managed/role/${i}/members`), id.map((i) => `managed/organization/${i}`),
  fc.constantFrom('', '/', 'managed', 'managed/', 'managed/nope', 'managed/user/a/b/c/d/e', 'internal/role', 'internal/role/openidm-admin/authzMembers', 'config/x', '../../etc/passwd', 'managed/user/%ZZ'),
);
const queryArbitrary = fc.record({
  _queryFilter: fc.constantFrom('true', 'false', 'userName eq "a"', '((((', '/manager/_ref pr', 'manager/userName sw "b"', 'userName eq', '!true', 'reports/userName co "x" or true'),
  _fields: fc.constantFrom('*', '*_ref', 'manager/*', 'reports/manager/reports/manager', '', ',,,', 'userName,manager/userName'),
  _pageSize: fc.constantFrom('0', '-1', '1', '1000000000', '1e9', 'abc', '99999999999999999999'),
  _pagedResultsOffset: fc.constantFrom('0', '-5', '1000000000', 'x'),
  _sortKeys: fc.constantFrom('userName', '-userName', 'manager/userName', '', '+'),
  _action: fc.constantFrom('create', 'patch', 'bogus', ''),
  _pagedResultsCookie: fc.constantFrom('', 'garbage'),
}, { requiredKeys: [] }) as fc.Arbitrary<Record<string, string>>;
const headersArbitrary = fc.record({
  'If-Match': fc.constantFrom('*', '0', '"1"', 'nope'),
  'If-None-Match': fc.constantFrom('*', '0'),
  'Content-Type': fc.constantFrom('application/json', 'text/plain'),
}, { requiredKeys: [] }) as fc.Arbitrary<Record<string, string>>;

const requestArbitrary: fc.Arbitrary<SimRequest> = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'get', 'put', 'OPTIONS', 'FOO', '', 'HEAD'),
  path: pathArbitrary,
  query: queryArbitrary,
  headers: headersArbitrary,
  body,
  bodyError: fc.option(fc.constant('Unexpected token } in JSON'), { nil: undefined, freq: 10 }),
}).map((r) => {
  const request: SimRequest = { method: r.method, path: r.path, query: r.query, headers: r.headers, body: r.body };
  if (r.bodyError !== undefined) request.bodyError = r.bodyError;
  return request;
});

/** Creates a few users first, so that later requests meet existing objects and edges. */
function seeded(simulator: Simulator): void {
  for (const user of ['a', 'b', 'c']) handleChecked(simulator, { method: 'PUT', path: `managed/user/${user}`, query: {}, headers: {}, body: { userName: user, givenName: user, sn: user, mail: `${user}@x` } });
  handleChecked(simulator, { method: 'PUT', path: 'managed/role/r', query: {}, headers: {}, body: { name: 'r', members: [{ _ref: 'managed/user/a' }] } });
}

test('random request sequences: answered, never a 500, failed requests change nothing', FUZZ_TEST_OPTIONS, () => {
  const schema = forgeops();
  assertProperty('simulator-requests', fc.property(fc.array(requestArbitrary, { minLength: 1, maxLength: 12 }), (requests) => {
    const simulator = start(schema);
    seeded(simulator);
    requests.forEach((request, index) => handleChecked(simulator, request, `#${index} `));
  }), 80);
});

// ---- scenario files --------------------------------------------------------------------------------------------

const SCENARIOS = fs.readdirSync(path.join(FIXTURES, 'scenarios')).filter((f) => f.endsWith('.idmsim')).map((f) => readFixture('scenarios', f));
const SCENARIO_TOKENS = ['###', '\n', 'GET ', 'POST ', 'PATCH ', 'curl ', '--data \'', '"', '\'', '\\', '{', '}', '[', '@config ', '# @name x', 'Content-Type: application/json\n\n', '?_fields=*&', '%', '\u0000', '\uD800', '𝒰'];

test('malformed scenario files: parsed with located errors, run without a crash', FUZZ_TEST_OPTIONS, () => {
  const schema = forgeops();
  assertProperty('scenario-mutations', fc.property(fc.nat(), fc.array(fc.tuple(fc.nat(), fc.nat(SCENARIO_TOKENS.length - 1), fc.integer({ min: 0, max: 40 })), { maxLength: 6 }), (which, edits) => {
    let text = SCENARIOS[which % SCENARIOS.length];
    for (const [at, token, cut] of edits) {
      const offset = at % (text.length + 1);
      text = text.slice(0, offset) + SCENARIO_TOKENS[token] + text.slice(offset + cut);
    }
    let scenario: ReturnType<typeof parseScenario> | undefined;
    const parseMs = cpuMs(() => (scenario = parseScenario(text)));
    assert.ok(parseMs < 1000 + text.length * 0.01, `parsing took ${parseMs.toFixed(0)} ms`);
    for (const error of scenario!.errors.concat(scenario!.requests.flatMap((r) => r.errors))) {
      assert.ok(error.range.start >= 0 && error.range.start <= error.range.end && error.range.end <= text.length, `error "${error.message}" at ${JSON.stringify(error.range)} outside ${text.length}`);
      assert.ok(error.message.length > 0);
    }
    const results = runScenario(schema, scenario!, { seed: 3 });
    assert.ok(Array.isArray(results));
    for (const result of results) {
      assert.equal(result.crashed, undefined, `request ${result.index} crashed the simulator: ${result.crashed}`);
      assert.notEqual(result.status, 500, `request ${result.index} (${result.request.method} ${result.request.path}): ${JSON.stringify(result.body)}`);
    }
  }), 60);
});

test('scenario text of every kind of garbage: never throws', FUZZ_TEST_OPTIONS, () => {
  assertProperty('scenario-garbage', fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
    const scenario = parseScenario(text);
    for (const request of scenario.requests) assert.equal(typeof request.request.path, 'string');
  }), 200);
  for (const text of ['curl ' + '\\\n'.repeat(20_000), '#'.repeat(1_000_000), 'GET /openidm/managed/user?' + '&'.repeat(100_000), `PUT managed/user/a\n\n${'['.repeat(100_000)}`, `PUT managed/user/a\n\n"${'x'.repeat(5_000_000)}"`]) {
    const ms = cpuMs(() => parseScenario(text));
    assert.ok(ms < 5000, `${text.slice(0, 30)}…: ${ms.toFixed(0)} ms`);
  }
});

// ---- hostile schemas and shapes --------------------------------------------------------------------------------

function relationship(reverse: string, target: string, array: boolean, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const node = { type: 'relationship', reverseRelationship: true, reversePropertyName: reverse, validate: false, resourceCollection: [{ path: `managed/${target}`, notify: true, query: { queryFilter: 'true', fields: ['name'] } }], ...(array ? {} : extra) };
  return array ? { type: 'array', items: node, ...extra } : node;
}

/** Two types notifying each other along a cycle, and a self-notifying chain: notifications must terminate. */
function cyclicSchema(): Schema {
  const managed = { objects: [
    { name: 'node', schema: { properties: {
      name: { type: 'string' },
      next: relationship('previous', 'node', false, { notifySelf: true, notifyRelationships: ['previous', 'next', 'peers'] }),
      previous: relationship('next', 'node', true, { notifyRelationships: ['next', 'previous', 'peers'] }),
      peers: relationship('peerOf', 'other', true, { notifyRelationships: ['next'] }),
      total: { type: 'array', isVirtual: true, returnByDefault: true, queryConfig: { referencedRelationshipFields: ['previous', 'previous', 'previous'], referencedObjectFields: ['name'], flattenProperties: true } },
    } } },
    { name: 'other', schema: { properties: {
      name: { type: 'string' },
      peerOf: relationship('peers', 'node', true, { notifyRelationships: ['peerOf', 'peerOf'] }),
    } } },
  ] };
  return schemaOf([['/conf/managed.json', JSON.stringify(managed)]]);
}

test('cyclic notifyRelationships and self-references: notifications terminate, each object notified a bounded number of times', FUZZ_TEST_OPTIONS, () => {
  const simulator = start(cyclicSchema());
  const put = (path: string, body: unknown) => handleChecked(simulator, { method: 'PUT', path, query: {}, headers: {}, body });
  // A ring of 50 nodes, each pointing at the next, and the first pointing at itself as a peer's peer.
  put('managed/other/o', { name: 'o' });
  for (let i = 0; i < 50; i++) put(`managed/node/n${i}`, { name: `n${i}`, peers: [{ _ref: 'managed/other/o' }] });
  for (let i = 0; i < 50; i++) put(`managed/node/n${i}`, { name: `n${i}`, next: { _ref: `managed/node/n${(i + 1) % 50}` } });
  const self = put('managed/node/self', { name: 'self', next: { _ref: 'managed/node/self' } });
  assert.ok(self.status < 500);
  const write = put('managed/node/n0', { name: 'renamed', next: { _ref: 'managed/node/n2' } });
  assert.ok(write.status === 200 || write.status === 201, JSON.stringify(write.body));
  const perObject = new Map<string, number>();
  for (const n of write.notifications) perObject.set(n.object, (perObject.get(n.object) ?? 0) + 1);
  for (const [object, count] of perObject) assert.ok(count <= 8, `${object} was notified ${count} times by one write`);
  assert.ok(write.notifications.length <= 52 * 8);
});

/** user.manager / user.reports; `notifying` adds notifySelf, notifyRelationships up the chain and an RDVP over 3 hops. */
function chainSchema(notifying: boolean): Schema {
  const extra = (more: Record<string, unknown>) => (notifying ? more : {});
  return schemaOf([['/conf/managed.json', JSON.stringify({ objects: [{ name: 'user', schema: { properties: {
    userName: { type: 'string' },
    manager: relationship('reports', 'user', false, extra({ notifySelf: true })),
    reports: relationship('manager', 'user', true, extra({ notifyRelationships: ['manager', 'reports'] })),
    ...(notifying ? { chain: { type: 'array', isVirtual: true, returnByDefault: true, queryConfig: { referencedRelationshipFields: ['manager', 'manager', 'manager'], referencedObjectFields: ['userName'], flattenProperties: true } } } : {}),
  } } }] })]]);
}

test('a 10,000-deep manager chain: built in linear time; reads, writes and notifications along it bounded', FUZZ_TEST_OPTIONS, () => {
  const DEPTH = Number(process.env.CHAIN_DEPTH ?? 10_000);
  const simulator = start(chainSchema(false));
  // Built without the before/after snapshots of handleChecked, which would make the build itself quadratic.
  const build = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const response = simulator.handle({ method: 'PUT', path: `managed/user/u${i}`, query: {}, headers: {}, body: i ? { userName: `u${i}`, manager: { _ref: `managed/user/u${i - 1}` } } : { userName: 'u0' } });
      assert.equal(response.status, 201, `u${i}: ${JSON.stringify(response.body)}`);
    }
  };
  // Each link costs about the same whatever the chain's length: the second half may not cost far more than the first.
  const firstHalf = cpuMs(() => build(0, DEPTH / 2));
  const secondHalf = cpuMs(() => build(DEPTH / 2, DEPTH));
  assert.ok(secondHalf < 3 * firstHalf + 500, `the first ${DEPTH / 2} links took ${firstHalf.toFixed(0)} ms of CPU, the next ${DEPTH / 2} ${secondHalf.toFixed(0)} ms`);

  // With notifications on, one write at the top notifies down the whole chain: answered, in bounded time.
  assert.deepEqual(simulator.setSchema(chainSchema(true)), {});
  const put = (path: string, body: unknown) => handleChecked(simulator, { method: 'PUT', path, query: {}, headers: {}, body });
  let top: SimResponse | undefined;
  const topMs = cpuMs(() => (top = simulator.handle({ method: 'PUT', path: 'managed/user/u0', query: {}, headers: {}, body: { userName: 'top' } })));
  assert.equal(top!.status, 200, JSON.stringify(top!.body).slice(0, 300));
  assert.ok(topMs < 30_000, `a write at the top of the chain took ${topMs.toFixed(0)} ms of CPU`);
  // Deep field selection and queries over the chain.
  const deep = handleChecked(simulator, { method: 'GET', path: `managed/user/u${DEPTH - 1}`, query: { _fields: Array(200).fill('manager').join('/') }, headers: {} });
  assert.ok(deep.status === 200 || deep.status === 400);
  const everyone = handleChecked(simulator, { method: 'GET', path: 'managed/user', query: { _queryFilter: 'manager/userName sw "u"', _pageSize: '999999999', _fields: 'userName,manager/userName' }, headers: {} });
  assert.equal(everyone.status, 200, JSON.stringify(everyone.body).slice(0, 300));
  // A cycle closing the chain (u0 managed by the last), then a write inside it: notifications still terminate.
  const cycle = put('managed/user/u0', { userName: 'top', manager: { _ref: `managed/user/u${DEPTH - 1}` } });
  assert.ok(cycle.status === 200, JSON.stringify(cycle.body).slice(0, 300));
  const inCycle = put(`managed/user/u${DEPTH / 2}`, { userName: 'middle' });
  assert.equal(inCycle.status, 200);
});

test('huge pages: a query over 10,000 objects with absurd paging parameters', FUZZ_TEST_OPTIONS, () => {
  const simulator = start(forgeops());
  const report = simulator.populate({ user: 10_000 });
  assert.ok(report);
  const queries: Array<Record<string, string>> = [{ _pageSize: '1000000000' }, { _pageSize: '-1' }, { _pageSize: '99999999999999999999' }, { _pagedResultsOffset: '1000000000' }, { _pagedResultsOffset: '-1' }, { _pageSize: 'NaN' }, { _sortKeys: 'userName,-mail,manager/userName', _pageSize: '50' }];
  for (const query of queries) {
    const response = handleChecked(simulator, { method: 'GET', path: 'managed/user', query: { _queryFilter: 'true', ...query }, headers: {} });
    assert.ok(response.status === 200 || response.status === 400, `${JSON.stringify(query)}: ${response.status}`);
  }
});
