/**
 * Random writes on the IDM default schema for the simulator's fuzz tests: users, roles, assignments and
 * organizations; edges made, moved and removed through objects, endpoints and deletes; field edits that notify
 * nobody; failing requests that roll back.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readConfigFile } from '../../server/src/core/model/configFile';
import { Schema } from '../../server/src/core/model/schema';
import { startSimulator, type Simulator } from '../../server/src/core/simulator/engine';
import type { Graph } from '../../server/src/core/simulator/relationships';
import type { SimRequest } from '../../server/src/core/simulator/types';
import type { VirtualCalculator } from '../../server/src/core/simulator/virtuals';
import { readFixture } from '../helpers/fixtures';

const FORGEOPS = 'corpus/ForgeRock_forgeops/docker/idm/config-profiles/idm-only/conf';

export function start(): Simulator {
  const schema = new Schema('/conf', [
    readConfigFile('/conf/managed.json', readFixture(`${FORGEOPS}/managed.json`)),
    readConfigFile('/conf/internal.json', readFixture(`${FORGEOPS}/internal.json`)),
  ]);
  const started = startSimulator(schema, { seed: 3 });
  assert.ok('simulator' in started);
  return started.simulator;
}

/** The engine's parts, reached past its interface: the check needs a calculation that trusts no stamp. */
export function internals(simulator: Simulator): { graph: Graph; virtuals: VirtualCalculator } {
  return simulator as unknown as { graph: Graph; virtuals: VirtualCalculator };
}

const USERS = ['u1', 'u2', 'u3'];
const ROLES = ['r1', 'r2'];
const ASSIGNMENTS = ['a1', 'a2'];
const ORGS = ['o1', 'o2', 'o3'];
const pick = <T>(items: T[]) => fc.constantFrom(...items);
const refs = (collection: string, ids: string[]) => fc.uniqueArray(pick(ids), { maxLength: ids.length }).map((list) => list.map((id) => ({ _ref: `managed/${collection}/${id}` })));
const put = (path: string, body: unknown): SimRequest => ({ method: 'PUT', path, query: {}, headers: {}, body });
export const request = (method: string, path: string, body?: unknown): SimRequest => ({ method, path, query: {}, headers: {}, body });

export const write: fc.Arbitrary<SimRequest> = fc.oneof(
  fc.tuple(pick(USERS), refs('role', ROLES), refs('organization', ORGS), fc.option(pick(USERS), { nil: undefined }))
    .map(([u, roles, orgs, manager]) => put(`managed/user/${u}`, { userName: u, sn: 'S', givenName: 'G', mail: `${u}@x`, roles, memberOfOrg: orgs, ...(manager ? { manager: { _ref: `managed/user/${manager}` } } : {}) })),
  fc.tuple(pick(ROLES), refs('assignment', ASSIGNMENTS)).map(([r, assignments]) => put(`managed/role/${r}`, { name: r, assignments })),
  fc.tuple(pick(ASSIGNMENTS), fc.string({ maxLength: 3 })).map(([a, text]) => put(`managed/assignment/${a}`, { name: a, description: text, mapping: 'm', attributes: [{ name: 'x', value: text }] })),
  // A field edit that notifies nobody: a stored `*` view of the assignment goes stale until its holders are notified.
  fc.tuple(pick(ASSIGNMENTS), fc.string({ maxLength: 3 })).map(([a, text]) => request('PATCH', `managed/assignment/${a}`, [{ operation: 'replace', field: '/description', value: text }])),
  fc.tuple(pick(ORGS), fc.option(pick(ORGS), { nil: undefined })).map(([o, parent]) => put(`managed/organization/${o}`, { name: o, ...(parent ? { parent: { _ref: `managed/organization/${parent}` } } : {}) })),
  fc.tuple(pick(USERS), pick(ROLES)).map(([u, r]) => request('POST', `managed/user/${u}/roles`, { _ref: `managed/role/${r}` })),
  fc.tuple(pick(ROLES), pick(ASSIGNMENTS)).map(([r, a]) => request('POST', `managed/role/${r}/assignments`, { _ref: `managed/assignment/${a}` })),
  fc.tuple(pick(ROLES), pick(USERS)).map(([r, u]) => request('POST', `managed/role/${r}/members`, { _ref: `managed/user/${u}` })),
  fc.tuple(pick(USERS), pick(ORGS)).map(([u, o]) => request('POST', `managed/user/${u}/memberOfOrg`, { _ref: `managed/organization/${o}` })),
  fc.tuple(pick(ORGS), pick(USERS)).map(([o, u]) => request('POST', `managed/organization/${o}/admins`, { _ref: `managed/user/${u}` })),
  fc.oneof(pick(USERS).map((u) => `managed/user/${u}`), pick(ROLES).map((r) => `managed/role/${r}`), pick(ASSIGNMENTS).map((a) => `managed/assignment/${a}`), pick(ORGS).map((o) => `managed/organization/${o}`))
    .map((path) => request('DELETE', path)),
  // Requests that fail part-way (a second edge to the same object, a reference to nothing) and roll back.
  fc.tuple(pick(ROLES), pick(ASSIGNMENTS)).map(([r, a]) => put(`managed/role/${r}`, { name: r, assignments: [{ _ref: `managed/assignment/${a}` }, { _ref: `managed/assignment/${a}` }] })),
  pick(USERS).map((u) => put(`managed/user/${u}`, { userName: u, roles: [{ _ref: 'managed/role/r1' }], manager: { _ref: 'managed/user/nobody' } })),
);

/** Every object once, without references (references must name objects that exist: `validate`). */
export function baseObjects(): SimRequest[] {
  return [
    ...ASSIGNMENTS.map((a) => put(`managed/assignment/${a}`, { name: a, description: '', mapping: 'm' })),
    ...ROLES.map((r) => put(`managed/role/${r}`, { name: r })),
    ...ORGS.map((o) => put(`managed/organization/${o}`, { name: o })),
    ...USERS.map((u) => put(`managed/user/${u}`, { userName: u, sn: 'S', givenName: 'G', mail: `${u}@x` })),
  ];
}

