/**
 * Layouts found in the wild beyond managed.json and per-object files: JSON-Patch files that add managed objects to a
 * tenant, and frodo's exports of one configuration written twice side by side. Whatever a recognised file holds is
 * either read or reported; nothing is skipped in silence.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { readConfigFile } from '../../../server/src/core/model/configFile';
import { Workspace } from '../../../server/src/core/model/workspace';
import { checkSchema } from '../../../server/src/core/rules/index';
import { getQuickFixes } from '../../../server/src/core/fixes/quickFixes';
import { applyFix } from '../../fuzz/fixChecks';
import { checkAndVerify, type Files } from '../../fuzz/invariants';
import { FIXTURES, uriOf } from '../../helpers/fixtures';

const relationship = (reverse: string, target: string) =>
  ({ type: 'relationship', reverseRelationship: true, reversePropertyName: reverse, resourceCollection: [{ path: `managed/${target}`, query: { queryFilter: 'true', fields: ['name'] } }] });
const object = (name: string, properties: Record<string, unknown>) => ({ name, schema: { properties: { name: { type: 'string' }, ...properties } } });

const PATCH = JSON.stringify([
  { operation: 'add', field: 'objects/-', value: object('device', { owner: relationship('devices', 'user') }) },
  { operation: 'replace', field: '/objects/3', value: object('user', { devices: { type: 'array', items: relationship('holder', 'device') } }) },
  { operation: 'remove', field: '/objects/5' },
  { op: 'add', path: '/objects/-', value: { name: 'badge' } },
], null, 2);

test('a JSON-Patch file: its objects are read with ranges inside the patch, what cannot be read is reported', () => {
  const uri = 'file:///tenant/init/managed.json';
  const file = readConfigFile(uri, PATCH);
  assert.equal(file.layout, 'json-patch');
  assert.deepEqual(file.objects.map((o) => o.name), ['device', 'user']);
  const workspace = new Workspace();
  workspace.setFile(uri, PATCH);
  const findings = checkSchema(workspace.schemaFor(uri)!).get(uri)!;
  const at = (code: string) => findings.filter((f) => f.code === code).map((f) => PATCH.slice(f.range.start, f.range.end));
  // The broken pair between the two added objects is found, on the value that is wrong inside the patch.
  assert.deepEqual(at('pair-wrong-reverse-name'), ['"holder"']);
  // The `remove` (which the checker cannot follow) and the value that is not a managed object are reported.
  const unread = findings.filter((f) => f.code === 'config-entry-unread');
  assert.equal(unread.length, 2);
  assert.match(unread[0].message, /`remove` of `\/objects\/5` is not read/);
  assert.match(unread[1].message, /not a managed object with `name` and `schema`/);
  assert.equal(unread[0].severity, 'information');
  // A patch adds to a tenant's config: a type it does not define may exist there.
  assert.equal(workspace.schemaFor(uri)!.complete, false);
});

test('a JSON-Patch file: the preferred fix edits inside the patch and leaves it clean', () => {
  const uri = 'file:///tenant/init/managed.json';
  const files: Files = new Map([[uri, PATCH]]);
  const { workspace, findings } = checkAndVerify(files);
  const cause = findings.find((f) => f.code === 'pair-wrong-reverse-name')!;
  const [fix] = getQuickFixes(workspace, cause.data);
  const after = checkAndVerify(applyFix(files, fix, 'patch'));
  assert.deepEqual(after.findings.map((f) => f.code), ['config-entry-unread', 'config-entry-unread']);
});

test('a JSON array that patches something else is not a managed config', () => {
  assert.equal(readConfigFile('file:///a/sync.json', JSON.stringify([{ operation: 'add', field: '/mappings/-', value: {} }])).layout, 'unknown');
  assert.equal(readConfigFile('file:///a/list.json', JSON.stringify([1, 2])).layout, 'unknown');
});

test('an objects entry that is not an object type is reported, not skipped', () => {
  const uri = 'file:///c/managed.json';
  const text = JSON.stringify({ objects: [object('user', {}), 'role'] });
  const workspace = new Workspace();
  workspace.setFile(uri, text);
  const findings = checkSchema(workspace.schemaFor(uri)!).get(uri)!;
  assert.deepEqual(findings.map((f) => [f.code, text.slice(f.range.start, f.range.end)]), [['config-entry-unread', '"role"']]);
});

test("frodo's index of per-object files (`\"objects\": [\"file://alpha_user.managed.json\"]`) is not reported as unread", () => {
  const uri = 'file:///export/global/idm/managed/managed.idm.json';
  const text = JSON.stringify({ idm: { managed: { _id: 'managed', objects: ['file://alpha_user.managed.json', 'file://alpha_role.managed.json'] } } });
  const workspace = new Workspace();
  workspace.setFile(uri, text);
  assert.deepEqual(checkSchema(workspace.schemaFor(uri)!).get(uri), []);
});

test('frodo all.managed.json and all.idm.json side by side: two exports of one configuration, each checked alone', () => {
  const folder = path.join(FIXTURES, 'corpus-heldout', 'rockcarver_frodo-cli', 'test', 'e2e', 'exports', 'all');
  const workspace = new Workspace();
  for (const name of ['all.managed.json', 'all.idm.json']) workspace.setFile(uriOf(path.join(folder, name)), fs.readFileSync(path.join(folder, name), 'utf8'));
  const schemas = workspace.allSchemas();
  assert.equal(schemas.length, 2);
  const findings = schemas.flatMap((schema) => [...checkSchema(schema).values()].flat());
  // Not one type defined twice: every finding is the platform's shipped gap, a warning that says so.
  assert.deepEqual(findings.map((f) => `${path.basename(f.uri)} ${f.severity} ${f.code}`), ['all.idm.json warning reverse-missing-back-path']);
  assert.match(findings[0].message, /internal\/role\.authzMembers's `resourceCollection` does not list `managed\/bravo_user`.*platform's shipped config.*lists only `managed\/alpha_user`/);
  // The same tenant, exported twice: the same types in both.
  const [a, b] = schemas.map((schema) => [...schema.managed.keys()].sort());
  assert.deepEqual(a, b);
});

test('frodo files holding only managed objects or only the internal overlay join their folder (a full export, separate)', () => {
  const workspace = new Workspace();
  workspace.setFile('file:///e/global/idm/managed.idm.json', JSON.stringify({ idm: { managed: { objects: [object('alpha_user', { authzRoles: { type: 'array', items: { type: 'relationship', reverseRelationship: true, reversePropertyName: 'authzMembers', resourceCollection: [{ path: 'internal/role', query: { queryFilter: 'true', fields: ['name'] } }] } } })] } } }));
  workspace.setFile('file:///e/global/idm/internal.idm.json', JSON.stringify({ idm: { internal: { objects: [{ name: 'role', properties: { authzMembers: { items: { resourceCollection: [{ path: 'managed/alpha_user', query: { queryFilter: 'true', fields: ['name'] } }] } } } }] } } }));
  assert.equal(workspace.allSchemas().length, 1);
  const findings = workspace.allSchemas().flatMap((schema) => [...checkSchema(schema).values()].flat());
  assert.deepEqual(findings.map((f) => f.code), []);
});

test('frodo managed.idm.json with the managed/ per-object files beside it: two exports of one configuration, the copies noted (real export)', () => {
  const folder = path.join(FIXTURES, 'corpus-heldout', 'rockcarver_frodo-cli', 'test', 'e2e', 'exports', 'all-separate', 'idm', 'global', 'idm');
  const workspace = new Workspace();
  for (const name of ['managed.idm.json', 'internal.idm.json', ...fs.readdirSync(path.join(folder, 'managed')).map((file) => `managed/${file}`)]) {
    workspace.setFile(uriOf(path.join(folder, name)), fs.readFileSync(path.join(folder, name), 'utf8'));
  }
  const findings = workspace.allSchemas().flatMap((schema) => [...checkSchema(schema).values()].flat());
  assert.deepEqual(findings.map((f) => `${path.basename(f.uri)} ${f.severity} ${f.code}`).sort(), [
    'assignment.managed.json information export-repeated', 'organization.managed.json information export-repeated',
    'role.managed.json information export-repeated', 'seantestmanagedobject.managed.json information export-repeated',
    'user.managed.json information export-repeated',
  ]);
  // frodo moved the scripts out of the per-object files; the schemas are the same.
  assert.ok(findings.every((f) => f.data?.identical === true && /whose `schema` is the same/.test(f.message)), findings.map((f) => f.message).join('\n'));
  // The export file is read: its definition is the one the configuration resolves to.
  const schema = workspace.schemaFor(uriOf(path.join(folder, 'managed', 'user.managed.json')))!;
  assert.equal(path.basename(schema.getObject('user')!.file.uri), 'managed.idm.json');
});

test('frodo export beside per-object files: a copy that differs says so, and a type twice within one export is still a duplicate', () => {
  const workspace = new Workspace();
  const wrapper = (...objects: unknown[]) => JSON.stringify({ idm: { managed: { _id: 'managed', objects } } });
  // The per-object files come first: which export is read does not depend on the order files arrive in.
  workspace.setFile('file:///e/global/idm/managed/user.managed.json', JSON.stringify(object('user', { devices: { type: 'array', items: relationship('holder', 'device') } })));
  workspace.setFile('file:///e/global/idm/managed/device.managed.json', JSON.stringify(object('device', { owner: relationship('devices', 'user') })));
  workspace.setFile('file:///e/global/idm/managed/device2.managed.json', JSON.stringify(object('device', { owner: relationship('devices', 'user') })));
  workspace.setFile('file:///e/global/idm/managed/badge.managed.json', JSON.stringify(object('badge', {})));
  workspace.setFile('file:///e/global/idm/managed.idm.json', wrapper(
    object('user', { devices: { type: 'array', items: relationship('owner', 'device') } }),
    object('device', { owner: relationship('devices', 'user') }),
    object('role', {}), object('role', {}),
  ));
  const schemas = workspace.allSchemas().filter((schema) => schema.objectTypes.length > 0);
  assert.equal(schemas.length, 1);
  const findings = [...checkSchema(schemas[0]).values()].flat()
    .map((f) => `${f.uri.replace('file:///e/global/idm/', '')} ${f.code}${f.code === 'export-repeated' ? ` ${f.data?.object} identical=${f.data?.identical}` : ` ${f.data?.object ?? ''}`}`).sort();
  assert.deepEqual(findings, [
    // The export's user pairs devices with device.owner: clean. The per-object user names `holder`: noted as
    // differing, and its own keys are still checked (device has no `holder`).
    'managed.idm.json duplicate-object-name role',
    'managed/device.managed.json export-repeated device identical=true',
    'managed/device2.managed.json duplicate-object-name device',
    'managed/user.managed.json export-repeated user identical=false',
    'managed/user.managed.json reverse-property-missing ',
  ]);
  // badge is only in the per-object files: it is part of the configuration, read like any other type.
  assert.equal(schemas[0].getObject('badge')?.file.uri, 'file:///e/global/idm/managed/badge.managed.json');
});
