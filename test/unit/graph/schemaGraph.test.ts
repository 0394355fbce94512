import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSchemaGraph } from '../../../server/src/core/graph/schemaGraph';
import type { SchemaEdge, SchemaGraph } from '../../../server/src/protocol/graph';
import { AIC_TEMPLATE, fixtureSchema, IDM_40, IDM_ONLY, inlineSchema, managedJson, many, PREPROD_COPY, relationship, SOCIAL } from './helpers';

function edge(graph: SchemaGraph, id: string): SchemaEdge {
  const found = graph.edges.find((e) => e.id === id);
  assert.ok(found, `no edge ${id}; edges: ${graph.edges.map((e) => e.id).join(', ')}`);
  return found;
}

/** Each edge as `source.p <-> target.q` (or `->` for one-way), for comparing whole graphs. */
function summary(graph: SchemaGraph): string[] {
  return graph.edges.map((e) => `${e.source}.${e.sourceEnd.property} ${e.direction === 'one-way' ? '->' : '<->'} ${e.target}${e.targetEnd ? `.${e.targetEnd.property}` : ''}`);
}

test('idm-only profile: every type is a node and every pair is one edge', () => {
  const { schema } = fixtureSchema(IDM_ONLY);
  const graph = buildSchemaGraph(schema);
  assert.deepEqual(graph.nodes.map((n) => `${n.id} ${n.kind} ${n.title} ${n.relationshipCount}`), [
    'managed/user managed User 7',
    'managed/role managed Role 2',
    'managed/assignment managed Assignment 1',
    'managed/organization managed Organization 5',
    'internal/role internal Internal role 1',
  ]);
  assert.deepEqual(summary(graph), [
    'managed/user.roles <-> managed/role.members',
    'managed/user.authzRoles <-> internal/role.authzMembers',
    'managed/user.reports <-> managed/user.manager',
    'managed/user.ownerOfOrg <-> managed/organization.owners',
    'managed/user.adminOfOrg <-> managed/organization.admins',
    'managed/user.memberOfOrg <-> managed/organization.members',
    'managed/role.assignments <-> managed/assignment.roles',
    'managed/organization.parent <-> managed/organization.children',
  ]);
  assert.ok(graph.edges.every((e) => !e.broken && e.problems.length === 0), 'a clean config has no broken pair');
});

test('cardinality at both ends, and self-relationships are loops', () => {
  const graph = buildSchemaGraph(fixtureSchema(IDM_ONLY).schema);
  const reports = edge(graph, 'managed/user.reports<->managed/user.manager');
  assert.equal(reports.source, reports.target);
  assert.equal(reports.sourceEnd.cardinality, 'many');
  assert.equal(reports.targetEnd?.cardinality, 'one');
  const parent = edge(graph, 'managed/organization.parent<->managed/organization.children');
  assert.equal(parent.source, 'managed/organization');
  assert.equal(parent.target, 'managed/organization');
  assert.deepEqual([parent.sourceEnd.cardinality, parent.targetEnd?.cardinality], ['one', 'many']);
});

test('notification keys are kept per end: notifySelf, notify, notifyRelationships', () => {
  const graph = buildSchemaGraph(fixtureSchema(IDM_ONLY).schema);
  const roles = edge(graph, 'managed/user.roles<->managed/role.members');
  // user.roles.items.notifySelf: true; role.members resourceCollection notify: true.
  assert.deepEqual([roles.sourceEnd.notifySelf, roles.sourceEnd.notify, roles.targetEnd?.notifySelf, roles.targetEnd?.notify], [true, false, false, true]);
  const assignments = edge(graph, 'managed/role.assignments<->managed/assignment.roles');
  assert.deepEqual(assignments.sourceEnd.notifyRelationships, ['members']);
  const parent = edge(graph, 'managed/organization.parent<->managed/organization.children');
  assert.deepEqual(parent.sourceEnd.notifyRelationships, ['children', 'members']);
});

test('locations point at the property keys and the type names, in the file that defines them', () => {
  const { schema, uri, text } = fixtureSchema(IDM_ONLY);
  const graph = buildSchemaGraph(schema);
  const reports = edge(graph, 'managed/user.reports<->managed/user.manager');
  const at = (range: { start: number; end: number }) => text.slice(range.start, range.end);
  assert.equal(reports.sourceEnd.location?.uri, uri);
  assert.equal(at(reports.sourceEnd.location!.range), '"reports"');
  assert.equal(at(reports.targetEnd!.location!.range), '"manager"');
  assert.match(at(reports.targetEnd!.location!.span), /^"manager"\s*:\s*\{[\s\S]*\}$/);
  const user = graph.nodes.find((n) => n.id === 'managed/user')!;
  assert.equal(at(user.location!.range), '"user"');
  // The internal/role end is declared by the overlay in internal.json.
  const authz = edge(graph, 'managed/user.authzRoles<->internal/role.authzMembers');
  assert.match(authz.targetEnd!.location!.uri, /internal\.json$/);
  assert.equal(authz.targetEnd!.declared, true);
});

test('a pair broken by the checker is drawn broken with the problem; its healthy neighbours are not', () => {
  const graph = buildSchemaGraph(fixtureSchema(PREPROD_COPY).schema);
  const broken = edge(graph, 'managed/preproduser.roles->managed/role.members');
  assert.equal(broken.broken, true);
  assert.equal(broken.severity, 'error');
  assert.deepEqual(broken.problems.map((p) => p.code), ['reverse-missing-back-path']);
  assert.match(broken.problems[0].message, /does not list `managed\/preproduser`/);
  assert.equal(broken.direction, 'two-way');
  assert.equal(broken.targetEnd?.property, 'members');
  // role.members pairs properly with user.roles: that edge stays healthy.
  assert.equal(edge(graph, 'managed/role.members<->managed/user.roles').broken, false);
  assert.equal(graph.edges.filter((e) => e.broken).length, 3);
});

test('polymorphic relationships fan out to each target; a problem on one target breaks only that edge', () => {
  const graph = buildSchemaGraph(fixtureSchema(AIC_TEMPLATE).schema);
  const toInternal = edge(graph, 'managed/teammember.authzRoles->internal/role.authzMembers');
  const toAlphaRole = edge(graph, 'managed/teammember.authzRoles->managed/alpha_role.authzMembers');
  assert.equal(toInternal.polymorphic, true);
  assert.equal(toAlphaRole.polymorphic, true);
  assert.equal(toInternal.broken, false);
  assert.equal(toAlphaRole.broken, true);
  assert.equal(toAlphaRole.severity, 'warning');
  assert.equal(toAlphaRole.targetEnd?.declared, false, 'alpha_role has no authzMembers');

  const social = buildSchemaGraph(fixtureSchema(SOCIAL).schema);
  assert.deepEqual(summary(social).filter((line) => line.startsWith('managed/user.idps')), [
    'managed/user.idps <-> managed/google.user',
    'managed/user.idps <-> managed/facebook.user',
    'managed/user.idps <-> managed/linkedIn.user',
  ]);
});

test('an IDM 4.0 half-declared pair is drawn once, broken, not as a pair plus a one-way arrow', () => {
  const graph = buildSchemaGraph(fixtureSchema(IDM_40).schema);
  assert.deepEqual(summary(graph), [
    'managed/user.reports <-> managed/user.manager',
    'managed/role.members <-> managed/user.roles',
    'managed/assignment.roles <-> managed/role.assignments',
    'managed/user.authzRoles -> internal/role',
    'managed/user.authzRoles -> managed/role',
  ]);
  assert.deepEqual(graph.edges.slice(0, 3).map((e) => e.problems.map((p) => p.code).join()), Array(3).fill('reverse-not-bidirectional'));
});

test('one-way relationships are arrows without a far end', () => {
  const schema = inlineSchema({ 'managed.json': managedJson({
    user: { favourite: relationship('managed/device') },
    device: { name: { type: 'string' } },
  }) });
  const graph = buildSchemaGraph(schema);
  const favourite = edge(graph, 'managed/user.favourite->managed/device');
  assert.equal(favourite.direction, 'one-way');
  assert.equal(favourite.targetEnd, undefined);
  assert.equal(favourite.broken, false);
});

test('a target no file defines becomes a missing node with the error on the edge', () => {
  const schema = inlineSchema({ 'managed.json': managedJson({ user: { devices: many(relationship('managed/device', { reverse: 'owner' })) } }) });
  const graph = buildSchemaGraph(schema);
  const device = graph.nodes.find((n) => n.id === 'managed/device');
  assert.equal(device?.kind, 'missing');
  const devices = edge(graph, 'managed/user.devices->managed/device.owner');
  assert.equal(devices.broken, true);
  assert.ok(devices.problems.some((p) => p.code === 'resource-collection-unknown'));
  assert.equal(devices.targetEnd?.declared, false);
});

test('a mismatched reverse name: the proper pair and the broken claim are separate edges', () => {
  const schema = inlineSchema({ 'managed.json': managedJson({
    a: { p: relationship('managed/b', { reverse: 'q' }), r: many(relationship('managed/b', { reverse: 'q' })) },
    b: { q: relationship('managed/a', { reverse: 'r' }) },
  }) });
  const graph = buildSchemaGraph(schema);
  assert.deepEqual(summary(graph), ['managed/a.r <-> managed/b.q', 'managed/a.p <-> managed/b.q']);
  assert.equal(edge(graph, 'managed/a.r<->managed/b.q').broken, false);
  const claim = edge(graph, 'managed/a.p->managed/b.q');
  assert.deepEqual(claim.problems.map((p) => p.code), ['reverse-name-mismatch']);
});

test('a symmetric self-relationship is one loop', () => {
  const schema = inlineSchema({ 'managed.json': managedJson({ user: { friends: many(relationship('managed/user', { reverse: 'friends' })) } }) });
  const graph = buildSchemaGraph(schema);
  assert.deepEqual(summary(graph), ['managed/user.friends <-> managed/user.friends']);
});

test('problems outside relationships go on the node', () => {
  const text = managedJson({ user: { manager: relationship('managed/user', { reverse: 'reports' }), reports: many(relationship('managed/user', { reverse: 'manager' })) } })
    .replace('"name": "user"', '"name": "bad-name"');
  const graph = buildSchemaGraph(inlineSchema({ 'managed.json': text }));
  const node = graph.nodes.find((n) => n.name === 'bad-name')!;
  assert.deepEqual(node.problems.map((p) => p.code), ['invalid-object-name']);
});

test('names reach the graph as written (escaping is the renderer\'s job)', () => {
  const payload = '<img src=x onerror=alert(1)>';
  const schema = inlineSchema({ 'managed.json': managedJson({ user: { [payload]: relationship('managed/user') } }) });
  const graph = buildSchemaGraph(schema);
  assert.equal(graph.edges[0].sourceEnd.property, payload);
});

test('edge and node ids are stable across unrelated edits', () => {
  const before = managedJson({ user: { manager: relationship('managed/user', { reverse: 'reports' }), reports: many(relationship('managed/user', { reverse: 'manager' })) } });
  const after = before.replace('"properties": {', '"properties": {\n "mail": { "type": "string" },');
  assert.notEqual(before, after);
  const ids = (text: string) => buildSchemaGraph(inlineSchema({ 'managed.json': text })).edges.map((e) => e.id);
  assert.deepEqual(ids(after), ids(before));
});

test('broken JSON never throws and still draws what could be read', () => {
  const text = managedJson({ user: { manager: relationship('managed/user', { reverse: 'reports' }) } }).slice(0, -20);
  const graph = buildSchemaGraph(inlineSchema({ 'managed.json': text }));
  assert.ok(graph.nodes.some((n) => n.id === 'managed/user'));
});
