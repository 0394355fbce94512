/** Completion on half-typed managed configs: keys by level, values that name things, snippets. `|` is the cursor. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { handleCompletion, type CompletionData } from '../../../server/src/core/features/completion';
import { getQuickFixes } from '../../../server/src/core/fixes/quickFixes';
import { checkSchema } from '../../../server/src/core/rules/index';
import { applyEdits, expandSnippet, fixtureWorkspace, managedWith, withCursor, workspaceOf } from './helpers';

function complete(files: Record<string, string>) {
  const { workspace, uri, offset } = workspaceOf(files);
  return { items: handleCompletion(workspace, uri, offset).items, workspace, uri, offset };
}

const labels = (items: CompletionData[]) => items.map((i) => i.label);

const NODE_KEYS = ['reverseRelationship', 'reversePropertyName', 'validate', 'notifySelf', 'resourceCollection', 'properties'];

test('inside a singleton relationship, a half-typed key gets node and property keys, not the ones present', () => {
  const { items } = complete(managedWith(`{
            "type": "relationship",
            "validate": true,
            "rev|
          }`));
  const offered = labels(items);
  for (const key of ['reverseRelationship', 'reversePropertyName', 'notifySelf', 'resourceCollection', 'properties', 'notifyRelationships', 'returnByDefault']) {
    assert.ok(offered.includes(key), `${key} offered`);
  }
  assert.ok(!offered.includes('validate'), 'validate is already there');
  assert.ok(!offered.includes('type'), 'type is already there');
  assert.ok(!offered.includes('relationshipGrantTemporalConstraintsEnforced'), 'array-only key not offered on a singleton');
  assert.ok(!offered.includes('items'), 'items belongs to arrays');
  const reverse = items.find((i) => i.label === 'reverseRelationship')!;
  assert.match(reverse.documentation!, /two-way/);
  assert.equal(reverse.insertText, '"reverseRelationship": ${1|true,false|}');
  assert.equal(reverse.filterText, '"reverseRelationship"');
});

test('the replaced range of an unclosed key is the quote and the word typed, not the rest of the line', () => {
  const { items, offset, workspace, uri } = complete(managedWith(`{
            "type": "relationship",
            "rev|
          }`));
  const text = workspace.getFile(uri)!.text;
  const item = items.find((i) => i.label === 'reversePropertyName')!;
  assert.equal(item.range.end, offset);
  assert.equal(text.slice(item.range.start, item.range.end), '"rev');
});

test('on an array property only property-level keys; inside items only node keys', () => {
  const wrapper = labels(complete(managedWith(`{
            "type": "array",
            |
            "items": { "type": "relationship" }
          }`)).items);
  for (const key of ['notifyRelationships', 'returnByDefault', 'relationshipGrantTemporalConstraintsEnforced']) assert.ok(wrapper.includes(key), `${key} on the wrapper`);
  for (const key of NODE_KEYS) assert.ok(!wrapper.includes(key), `${key} not on the wrapper`);

  const items = labels(complete(managedWith(`{
            "type": "array",
            "items": {
              "type": "relationship",
              |
            }
          }`)).items);
  for (const key of NODE_KEYS) assert.ok(items.includes(key), `${key} in items`);
  for (const key of ['notifyRelationships', 'returnByDefault', 'relationshipGrantTemporalConstraintsEnforced', 'type']) assert.ok(!items.includes(key), `${key} not in items`);
});

test('a forgotten comma before the cursor is added with the completion, and one after when a property follows', () => {
  const { items, workspace, uri } = complete(managedWith(`{
            "type": "relationship",
            "validate": true
            "|"
            "properties": {}
          }`));
  const item = items.find((i) => i.label === 'notifySelf')!;
  const text = workspace.getFile(uri)!.text;
  const trueEnd = text.indexOf('"validate": true') + '"validate": true'.length;
  assert.deepEqual(item.additionalEdits, [{ offset: trueEnd, length: 0, content: ',' }]);
  assert.ok(item.insertText.endsWith(','), 'a trailing comma before "properties"');
  // Applying it yields JSON the strict parser accepts.
  const applied = applyEdits(text, [...item.additionalEdits, { offset: item.range.start, length: item.range.end - item.range.start, content: expandSnippet(item.insertText) }]);
  assert.doesNotThrow(() => JSON.parse(applied));
});

test('a bare word typed where a key goes is replaced by the quoted key', () => {
  const { items, workspace, uri } = complete(managedWith(`{
            "type": "relationship",
            revP|
          }`));
  const item = items.find((i) => i.label === 'reversePropertyName')!;
  assert.equal(workspace.getFile(uri)!.text.slice(item.range.start, item.range.end), 'revP');
  assert.equal(item.filterText, 'reversePropertyName');
});

test('completing a key that already has a value replaces only the key', () => {
  const { items } = complete(managedWith(`{
            "type": "relationship",
            "vali|": true
          }`));
  assert.equal(items.find((i) => i.label === 'validate')!.insertText, '"validate"');
});

test('a property without a type yet gets property keys and type, not relationship node keys', () => {
  const offered = labels(complete(managedWith(`{
            "title": "Manager",
            "|"
          }`)).items);
  assert.ok(offered.includes('type'));
  assert.ok(offered.includes('notifyRelationships'));
  for (const key of NODE_KEYS) assert.ok(!offered.includes(key), `${key} waits for the type`);
});

test('values of type, booleans, and resourceCollection paths (unclosed string)', () => {
  const type = complete(managedWith(`{ "type": "|" }`)).items;
  assert.equal(type[0].label, 'relationship');
  assert.ok(labels(type).includes('array'));

  const bool = complete(managedWith(`{ "type": "relationship", "validate": | }`)).items;
  assert.deepEqual(labels(bool), ['true', 'false']);
  assert.equal(bool[0].insertText, 'true');

  const { items, workspace, uri, offset } = complete(managedWith(`{
            "type": "relationship",
            "resourceCollection": [ { "path": "managed/|
            } ]
          }`));
  assert.deepEqual(labels(items), ['managed/user', 'managed/role', 'internal/role', 'internal/user']);
  const role = items.find((i) => i.label === 'managed/role')!;
  assert.equal(role.detail, 'Role · 0 relationships');
  assert.equal(workspace.getFile(uri)!.text.slice(role.range.start, role.range.end), '"managed/');
  assert.equal(role.range.end, offset);
  assert.equal(role.insertText, '"managed/role"');
});

test('with very many object types, target paths are filtered by what is typed and the list is incomplete', () => {
  const objects = Array.from({ length: 150 }, (_, i) => ({ name: `type${i}`, schema: { properties: {} } }));
  objects.push({ name: 'alpha_user', schema: { properties: {} } });
  const text = JSON.stringify({ objects: [{ name: 'user', schema: { properties: { manager: { type: 'relationship', resourceCollection: [{ path: 'managed/alus' }] } } } }, ...objects] });
  const { workspace, uri, offset } = workspaceOf({ '/conf/managed.json': text.replace('managed/alus', 'managed/alus|') });
  const list = handleCompletion(workspace, uri, offset);
  assert.equal(list.isIncomplete, true);
  assert.deepEqual(labels(list.items.filter((i) => i.label.startsWith('managed/'))), ['managed/alpha_user']);
  const few = complete(managedWith('{ "type": "relationship", "resourceCollection": [ { "path": "managed/|" } ] }'));
  assert.equal(handleCompletion(few.workspace, few.uri, few.offset).isIncomplete, false);
});

test('paths already listed in the collection sort after the others', () => {
  const { items } = complete(managedWith(`{
            "type": "relationship",
            "resourceCollection": [ { "path": "managed/role" }, { "path": "|" } ]
          }`));
  const role = items.find((i) => i.label === 'managed/role')!;
  const user = items.find((i) => i.label === 'managed/user')!;
  assert.ok(role.sortText > user.sortText);
});

test('reversePropertyName across files: first what points back, then other relationships, then a new name', () => {
  const { workspace, uriOf } = fixtureWorkspace('split');
  const uri = uriOf('managed-objects/user/user.json');
  const text = workspace.getFile(uri)!.text;
  const offset = text.indexOf('"reversePropertyName": "members"') + '"reversePropertyName": "'.length;
  const items = handleCompletion(workspace, uri, offset).items;
  const sorted = [...items].sort((a, b) => a.sortText.localeCompare(b.sortText));
  assert.deepEqual(sorted.map((i) => i.label), ['members', 'assignments', 'users']);
  assert.match(sorted[0].detail!, /role\.members points back here/);
  assert.match(sorted[2].documentation!, /reverse-property-missing/);
  // The whole closed string is replaced.
  assert.equal(text.slice(sorted[0].range.start, sorted[0].range.end), '"members"');
});

test('conditionalAssociationField offers the target\'s fields, the isConditional one first', () => {
  const { workspace, uriOf } = fixtureWorkspace('split');
  const uri = uriOf('managed-objects/user/user.json');
  const text = workspace.getFile(uri)!.text;
  const offset = text.indexOf('"conditionalAssociationField": "condition"') + '"conditionalAssociationField": "'.length;
  const sorted = [...handleCompletion(workspace, uri, offset).items].sort((a, b) => a.sortText.localeCompare(b.sortText));
  assert.equal(sorted[0].label, 'condition');
  assert.match(sorted[0].detail!, /isConditional/);
  assert.ok(sorted.slice(1).every((i) => i.sortText > sorted[0].sortText));
});

test('notifyRelationships entries: this type\'s relationships, not those already listed', () => {
  const { workspace, uriOf } = fixtureWorkspace('split');
  const uri = uriOf('managed-objects/role/role.json');
  const marked = workspace.getFile(uri)!.text.replace(/("notifyRelationships": \[\s*"members")/, '$1, |');
  const { text, offset } = withCursor(marked);
  workspace.setFile(uri, text);
  const items = handleCompletion(workspace, uri, offset).items;
  const relationships = items.filter((i) => i.sortText.startsWith('0'));
  assert.deepEqual(relationships.map((i) => i.label), ['assignments']);
  assert.ok(!labels(items).includes('members'));
});

test('query.fields and sortKeys offer the target type\'s properties', () => {
  const { items } = complete(managedWith(`{
            "type": "relationship",
            "resourceCollection": [ { "path": "managed/role", "query": { "fields": ["|"] } } ]
          }`));
  assert.deepEqual(labels(items), ['name']);
  const sort = complete(managedWith(`{
            "type": "relationship",
            "resourceCollection": [ { "path": "managed/user", "query": { "fields": ["userName"], "sortKeys": [|] } } ]
          }`)).items;
  assert.ok(labels(sort).includes('userName'));
  assert.ok(labels(sort).includes('manager'));
  assert.ok(sort.find((i) => i.label === 'userName')!.sortText < sort.find((i) => i.label === 'manager')!.sortText, 'plain fields first');
});

test('referencedRelationshipFields hop by hop, flat and nested; referencedObjectFields from the type reached', () => {
  const { workspace, uriOf } = fixtureWorkspace('split');
  const uri = uriOf('managed-objects/user/user.json');
  const original = workspace.getFile(uri)!.text;
  const at = (replacement: [RegExp, string]) => {
    const { text, offset } = withCursor(original.replace(replacement[0], replacement[1]));
    workspace.setFile(uri, text);
    return labels(handleCompletion(workspace, uri, offset).items);
  };
  // Hop 1 is a relationship of user; hop 2 one of role.
  assert.deepEqual(at([/"referencedRelationshipFields": \[\s*"roles"\s*\]/, '"referencedRelationshipFields": ["|"]']), ['manager', 'reports', 'roles']);
  assert.deepEqual(at([/"referencedRelationshipFields": \[\s*"roles"\s*\]/, '"referencedRelationshipFields": ["roles", "|"]']), ['members', 'assignments']);
  // The nested form (a list of paths): the second hop of the inner path, half typed.
  assert.deepEqual(at([/"roles",(\s*)"assignments"/, '"roles",$1"a|']), ['members', 'assignments']);
  // Fields of assignment, reached by roles -> assignments; `attributes` is already listed.
  const fields = at([/"referencedObjectFields": \[(\s*)"name",/, '"referencedObjectFields": [$1|"name",']);
  assert.ok(fields.includes('*') && fields.includes('roles'), fields.join());
  assert.ok(!fields.includes('attributes'), 'already listed');
  assert.ok(!fields.includes('userName'), 'not a field of assignment');
});

test('snippets where a property name goes; the pair snippet plus the quick fix make a clean pair', () => {
  const files = managedWith(`{ "type": "string" },
          |`);
  const { items, workspace, uri } = complete(files);
  assert.deepEqual(labels(items), ['relationship (to one)', 'relationship (to many)', 'relationship pair (this side to one)', 'relationship pair (this side to many)']);
  for (const item of items) assert.ok(item.insertText.includes('managed/user,managed/role,internal/role,internal/user'), 'path choice lists every target');

  const pair = items.find((i) => i.label === 'relationship pair (this side to many)')!;
  const text = workspace.getFile(uri)!.text;
  const inserted = applyEdits(text, [{ offset: pair.range.start, length: pair.range.end - pair.range.start, content: expandSnippet(pair.insertText) }]);
  assert.doesNotThrow(() => JSON.parse(inserted));
  workspace.setFile(uri, inserted);
  const findings = checkSchema(workspace.schemaFor(uri)!).get(uri)!;
  const missing = findings.filter((f) => f.code === 'reverse-property-missing');
  assert.equal(missing.length, 1, findings.map((f) => f.code).join(', '));
  const [fix] = getQuickFixes(workspace, missing[0].data);
  assert.ok(fix, 'the reverse side can be created by the quick fix');
  workspace.setFile(uri, applyEdits(inserted, fix.edits[uri]));
  const after = checkSchema(workspace.schemaFor(uri)!).get(uri)!.filter((f) => f.code.startsWith('reverse-'));
  assert.deepEqual(after.map((f) => f.code), []);
});

test('nothing is offered outside the places that have meaning', () => {
  assert.deepEqual(complete({ '/conf/managed.json': '{ "objects": [ { "name": "user", "|" } ] }' }).items, []);
  assert.deepEqual(complete({ '/notes.json': '{ "a": |' }).items, []);
});

test('target paths in a per-object file include types the configuration names but no file defines, marked as such', () => {
  const { workspace, uriOf } = fixtureWorkspace('split');
  // An AIC export with only some objects: user points at an organization type whose file is not in the workspace.
  const userUri = uriOf('managed-objects/user/user.json');
  workspace.setFile(userUri, workspace.getFile(userUri)!.text.replace('"path": "managed/role"', '"path": "managed/alpha_organization"'));
  const roleUri = uriOf('managed-objects/role/role.json');
  const marked = workspace.getFile(roleUri)!.text.replace('"path": "managed/assignment"', '"path": "|"');
  const { text, offset } = withCursor(marked);
  workspace.setFile(roleUri, text);
  const items = handleCompletion(workspace, roleUri, offset).items;
  const organization = items.find((i) => i.label === 'managed/alpha_organization');
  assert.ok(organization, `offered: ${labels(items).join(', ')}`);
  assert.match(organization.detail!, /not in this workspace · named by user\.roles/);
  const defined = items.find((i) => i.label === 'managed/user')!;
  assert.ok(defined.sortText < organization.sortText, 'types defined in the workspace come first');
  // A path being typed is not itself a type "named by the configuration".
  workspace.setFile(roleUri, text.replace('"path": ""', '"path": "managed/orgz"'));
  const typing = handleCompletion(workspace, roleUri, offset + 'managed/orgz'.length).items;
  assert.ok(!labels(typing).includes('managed/orgz'));
});

test('type values: array first on a property with items or a plural name, relationship first in items', () => {
  const sorted = (items: CompletionData[]) => [...items].sort((a, b) => a.sortText.localeCompare(b.sortText)).map((i) => i.label);
  const inItems = complete(managedWith(`{ "type": "array", "items": { "type": "rel|" } }`)).items;
  assert.equal(sorted(inItems)[0], 'relationship');
  const collection = complete(managedWith(`{ "type": "|", "items": { "type": "relationship" } }`)).items;
  assert.equal(sorted(collection)[0], 'array');
  const single = complete(managedWith(`{ "type": "|" }`)).items;
  assert.equal(sorted(single)[0], 'relationship');
  const plural = complete(managedWith(`{ "title": "x" }`, `,\n          "reports": { "type": "|" }`)).items;
  assert.equal(sorted(plural)[0], 'array');
});

test('query.fields: the usual display fields first, then the target\'s `order`, then the rest', () => {
  const { items } = complete({
    '/conf/managed.json': JSON.stringify({
      objects: [
        { name: 'user', schema: { properties: { org: { type: 'relationship', resourceCollection: [{ path: 'managed/org', query: { queryFilter: 'true', fields: ['|'] } }] } } } },
        { name: 'org', schema: { order: ['code', 'name', 'city'], properties: { city: { type: 'string' }, zeta: { type: 'string' }, code: { type: 'string' }, name: { type: 'string' }, parent: { type: 'relationship' } } } },
      ],
    }, null, 2).replace('"fields": [\n', '"fields": [').replace(/"\|"/, '"|"'),
  });
  assert.deepEqual([...items].sort((a, b) => a.sortText.localeCompare(b.sortText)).map((i) => i.label), ['name', 'code', 'city', 'zeta', 'parent']);
});
