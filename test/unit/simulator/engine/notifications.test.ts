/**
 * Relationship change notification and RDVP recalculation, following aic-relationship-change-notification.md
 * on the forgeops default schema (user.roles notifySelf; role.members -> managed/user notify;
 * role.assignments notifySelf + notifyRelationships ["members"]; assignment.roles -> managed/role notify;
 * assignment.attributes notifyRelationships ["roles"]; organization parent/children/members).
 */
import { beforeEach, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { startSimulator } from '../../../../server/src/core/simulator/engine';
import type { Notification } from '../../../../server/src/core/simulator/types';
import { Client, editedForgeops, entitlementsSchema, propertiesOf, start } from './helpers';

function summary(notifications: Notification[]): string[] {
  return notifications.map((n) => `${n.object} ${n.reason} via ${n.via} from ${n.from} depth ${n.depth}`);
}

function assignmentIds(client: Client, user: string): string[] {
  return client.ok(client.get(`managed/user/${user}`)).effectiveAssignments.map((a: any) => a._id);
}

describe('notifySelf and notify', () => {
  let client: Client;
  beforeEach(() => {
    client = new Client(start());
    client.create('user', 'bjensen', { userName: 'bjensen' });
    client.create('role', 'admin', { name: 'admin' });
  });

  it('by default neither side of manager is notified', () => {
    // "with the POST on managed/realm-name_user/psmith with "manager":{_ref:"managed/realm-name_user/bjensen"},
    //  neither psmith's object nor bjensen's object is notified."
    const response = client.put('managed/user/psmith', { userName: 'psmith', manager: { _ref: 'managed/user/bjensen' } }, { 'If-None-Match': '*' });
    assert.equal(response.status, 201);
    assert.deepEqual(response.notifications, []);
    assert.deepEqual(client.post('managed/user/bjensen/reports', { _ref: 'managed/user/psmith' }).notifications, [], 'a refused or silent change notifies nobody');
  });

  it('the reverse change (bjensen the origin, through reports) notifies nobody either', () => {
    // "Note that for the reverse relationship (a POST on managed/realm-name_user/bjensen with
    //  "reports":[{_ref = "managed/realm-name_user/psmith"}]) managed/realm-name_user/bjensen would be the origin object,
    //  and managed/realm-name_user/psmith would be the referenced object."
    client.create('user', 'psmith', { userName: 'psmith' });
    const response = client.patch('managed/user/bjensen', [{ operation: 'add', field: '/reports/-', value: { _ref: 'managed/user/psmith' } }]);
    assert.equal(response.status, 200);
    assert.deepEqual(response.notifications, []);
    assert.equal(client.ok(client.get('managed/user/psmith', { _fields: 'manager' })).manager._ref, 'managed/user/bjensen');
  });

  it('notifySelf on user.roles notifies the origin (the user in the URL), which recalculates effectiveRoles', () => {
    // "if there is a CREATE on managed/realm-name_user/psmith/roles specifying a set of references to existing roles,
    //  user psmith is notified of the change."
    client.create('user', 'psmith', { userName: 'psmith' });
    const response = client.post('managed/user/psmith/roles', { _ref: 'managed/role/admin' });
    assert.deepEqual(summary(response.notifications), ['managed/user/psmith notifySelf via roles from managed/user/psmith depth 1']);
    assert.deepEqual(response.notifications[0].recalculated, ['effectiveRoles', 'effectiveAssignments', 'memberOfOrgIDs']);
    assert.deepEqual(client.ok(client.get('managed/user/psmith')).effectiveRoles.map((r: any) => r._ref), ['managed/role/admin']);
  });

  it('notify on role.members\' resourceCollection notifies the referenced users when changed through the role', () => {
    // "if the relationship is created, updated, or deleted through a URL that references that role, all objects in that
    //  resource collection (in this case, managed/realm-name_user objects), which are identified as members of that role, are notified"
    client.create('user', 'psmith', { userName: 'psmith' });
    const added = client.post('managed/role/admin/members', { _ref: 'managed/user/psmith' });
    assert.deepEqual(summary(added.notifications), ['managed/user/psmith notify via roles from managed/role/admin depth 1']);
    assert.deepEqual(client.ok(client.get('managed/user/psmith')).effectiveRoles.map((r: any) => r._ref), ['managed/role/admin']);
    const removed = client.delete(`managed/role/admin/members/${(added.body as any)._id}`);
    assert.deepEqual(summary(removed.notifications), ['managed/user/psmith notify via roles from managed/role/admin depth 1']);
    assert.deepEqual(client.ok(client.get('managed/user/psmith')).effectiveRoles, []);
  });

  it('notification needs a bidirectional relationship: a one-way relationship cannot carry notify (the schema is refused)', () => {
    // "To notify an object that the relationship has changed (using the notify property), the relationship must be bidirectional"
    // "If you configure relationship change notification on a unidirectional relationship, IDM throws an exception."
    const schema = editedForgeops((managed) => {
      propertiesOf(managed, 'role').members.items.reverseRelationship = false;
    });
    const started = startSimulator(schema);
    assert.ok('refused' in started);
    assert.deepEqual(started.refused.length, 1);
    assert.match(started.refused[0], /^role\.members: "notify" set on a relationship that is not bidirectional/);
  });
});

describe('propagation: roles -> assignments -> members', () => {
  let client: Client;
  beforeEach(() => {
    client = new Client(start());
    client.create('assignment', 'vpn', { name: 'vpn', mapping: 'managedUser_systemLdapAccounts', attributes: [{ name: 'vpn', value: 'off' }] });
    client.create('role', 'staff', { name: 'staff' });
    for (const id of ['u1', 'u2']) client.create('user', id, { userName: id, roles: [{ _ref: 'managed/role/staff' }] });
    client.create('user', 'outsider', { userName: 'outsider' });
  });

  it('a new assignment on a role: the role (notifySelf) propagates through assignments.notifyRelationships ["members"]', () => {
    // "When a role is notified of the creation of a new relationship to an assignment, the notification is propagated
    //  through the assignments property. Because "notifyRelationships":["members"] is set on the assignments property,
    //  the notification is propagated across the role to all of its members."
    const response = client.post('managed/role/staff/assignments', { _ref: 'managed/assignment/vpn' });
    assert.equal(response.status, 201);
    assert.deepEqual(summary(response.notifications), [
      'managed/role/staff notifySelf via assignments from managed/role/staff depth 1',
      'managed/user/u1 notifyRelationships via members from managed/role/staff depth 2',
      'managed/user/u2 notifyRelationships via members from managed/role/staff depth 2',
    ]);
    assert.equal(response.notifications[0].recalculated, undefined, 'roles have no RDVP');
    assert.deepEqual(assignmentIds(client, 'u1'), ['vpn']);
    assert.deepEqual(assignmentIds(client, 'outsider'), []);
  });

  it('the same link made from the assignment: notify on assignment.roles reaches the role, then its members', () => {
    const response = client.post('managed/assignment/vpn/roles', { _ref: 'managed/role/staff' });
    assert.deepEqual(summary(response.notifications), [
      'managed/role/staff notify via assignments from managed/assignment/vpn depth 1',
      'managed/user/u1 notifyRelationships via members from managed/role/staff depth 2',
      'managed/user/u2 notifyRelationships via members from managed/role/staff depth 2',
    ]);
    assert.deepEqual(assignmentIds(client, 'u2'), ['vpn']);
  });

  it('a plain property change propagates through its notifyRelationships: assignment.attributes -> roles -> members', () => {
    // "if an assignment is updated or patched and the assignment's attributes change in some way, all the roles
    //  connected to that assignment are notified."
    client.ok(client.post('managed/role/staff/assignments', { _ref: 'managed/assignment/vpn' }), 201);
    const response = client.patch('managed/assignment/vpn', [{ operation: 'replace', field: '/attributes/0/value', value: 'on' }]);
    assert.deepEqual(summary(response.notifications), [
      'managed/role/staff notifyRelationships via roles from managed/assignment/vpn depth 1',
      'managed/user/u1 notifyRelationships via members from managed/role/staff depth 2',
      'managed/user/u2 notifyRelationships via members from managed/role/staff depth 2',
    ]);
    const [vpn] = client.ok(client.get('managed/user/u1')).effectiveAssignments;
    assert.deepEqual(vpn.attributes, [{ name: 'vpn', value: 'on' }], 'the RDVP copies the new attributes');
    // A field without notifyRelationships notifies nobody.
    assert.deepEqual(client.patch('managed/assignment/vpn', [{ operation: 'replace', field: '/description', value: 'x' }]).notifications, []);
  });

  it('an RDVP goes stale when notification is missing on its path, until the holder is written', () => {
    const stale = new Client(start(editedForgeops((managed) => {
      delete propertiesOf(managed, 'role').assignments.notifyRelationships;
    })));
    stale.create('assignment', 'vpn', { name: 'vpn' });
    stale.create('role', 'staff', { name: 'staff' });
    stale.create('user', 'u1', { userName: 'u1', roles: [{ _ref: 'managed/role/staff' }] });
    const response = stale.post('managed/role/staff/assignments', { _ref: 'managed/assignment/vpn' });
    assert.deepEqual(summary(response.notifications), ['managed/role/staff notifySelf via assignments from managed/role/staff depth 1']);
    assert.deepEqual(assignmentIds(stale, 'u1'), [], 'stale: u1 was not notified');
    stale.ok(stale.patch('managed/user/u1', [{ operation: 'replace', field: '/description', value: 'touch' }]));
    assert.deepEqual(assignmentIds(stale, 'u1'), ['vpn'], 'the write recalculated it');
  });

  it('deleting a role notifies its members (notify on members) and their RDVPs drop it', () => {
    const response = client.delete('managed/role/staff');
    assert.deepEqual(summary(response.notifications), [
      'managed/user/u1 notify via roles from managed/role/staff depth 1',
      'managed/user/u2 notify via roles from managed/role/staff depth 1',
    ]);
    assert.deepEqual(client.ok(client.get('managed/user/u1')).effectiveRoles, []);
  });
});

describe('propagation through organizations: once per object, cycles end', () => {
  let client: Client;
  beforeEach(() => {
    client = new Client(start());
    client.create('organization', 'root', { name: 'root' });
    client.create('organization', 'sales', { name: 'sales' });
    client.create('user', 'u1', { userName: 'u1', memberOfOrg: [{ _ref: 'managed/organization/sales' }] });
  });

  it('a new parent reaches the children and members, whose RDVPs read the parent\'s recalculated RDVP', () => {
    const response = client.post('managed/organization/sales/parent', { _ref: 'managed/organization/root' });
    assert.deepEqual(summary(response.notifications), [
      'managed/organization/sales notifySelf via parent from managed/organization/sales depth 1',
      'managed/organization/root notify via children from managed/organization/sales depth 1',
      'managed/user/u1 notifyRelationships via members from managed/organization/sales depth 2',
    ]);
    assert.deepEqual(client.ok(client.get('managed/organization/sales')).parentIDs, ['root']);
    assert.deepEqual(client.ok(client.get('managed/user/u1')).memberOfOrgIDs, ['sales', 'root']);
  });

  it('a parent cycle ends, and every object is listed once', () => {
    client.ok(client.post('managed/organization/sales/parent', { _ref: 'managed/organization/root' }), 201);
    const response = client.post('managed/organization/root/parent', { _ref: 'managed/organization/sales' });
    assert.equal(response.status, 201);
    const objects = response.notifications.map((n) => n.object);
    assert.deepEqual([...new Set(objects)], objects, 'no object twice');
    assert.deepEqual(new Set(objects), new Set(['managed/organization/root', 'managed/organization/sales', 'managed/user/u1']));
  });
});

describe('RDVP forms', () => {
  it('unions a list of paths (AIC / PingIDM 7.5+): effectiveAssignments = roles.assignments + direct assignments', () => {
    // PeteAzwork IDM 7.5 user.effectiveAssignments: "referencedRelationshipFields": [["roles", "assignments"], ["assignments"]]
    const client = new Client(start(entitlementsSchema()));
    client.create('assignment', 'viaRole', { name: 'viaRole' });
    client.create('assignment', 'direct', { name: 'direct' });
    client.create('role', 'staff', { name: 'staff', assignments: [{ _ref: 'managed/assignment/viaRole' }] });
    client.create('user', 'u1', { userName: 'u1', roles: [{ _ref: 'managed/role/staff' }], assignments: [{ _ref: 'managed/assignment/direct' }, { _ref: 'managed/assignment/viaRole' }] });
    const user = client.ok(client.get('managed/user/u1'));
    assert.deepEqual(user.effectiveAssignments.map((a: any) => a._id), ['viaRole', 'direct'], 'each assignment once');
    assert.equal(user.effectiveAssignments[0]._ref, 'managed/assignment/viaRole');
    assert.equal(user.effectiveAssignments[0].name, 'viaRole', 'referencedObjectFields ["*"] copies the fields');
  });
});
