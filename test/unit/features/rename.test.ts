/**
 * Rename: one edit across files; after applying it and re-checking, no new problems. Run on the hand-written
 * split config and on every relationship and object type of the real corpus.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { handlePrepareRename, handleRename } from '../../../server/src/core/features/rename';
import { Workspace } from '../../../server/src/core/model/workspace';
import { CORPUS, jsonFilesUnder } from '../../helpers/fixtures';
import { applyEdits, fixtureWorkspace, newProblems, problemCounts, workspaceOf } from './helpers';

const USER = 'managed-objects/user/user.json';
const ROLE = 'managed-objects/role/role.json';

/** Applies a rename result to the workspace; returns the edited URIs. */
function apply(workspace: Workspace, result: ReturnType<typeof handleRename>): string[] {
  assert.ok(result && 'edits' in result, result && 'error' in result ? result.error : 'cancelled');
  for (const [uri, edits] of Object.entries(result.edits)) workspace.setFile(uri, applyEdits(workspace.getFile(uri)!.text, edits));
  return Object.keys(result.edits).sort();
}

function offsetOf(workspace: Workspace, uri: string, needle: string, delta = 1): number {
  const at = workspace.getFile(uri)!.text.indexOf(needle);
  assert.ok(at >= 0, needle);
  return at + delta;
}

test('renaming a relationship property renames the other side\'s reverse name, notifyRelationships and order', () => {
  const { workspace, uriOf } = fixtureWorkspace('split');
  const before = problemCounts(workspace);
  const role = uriOf(ROLE);
  const prepared = handlePrepareRename(workspace, role, offsetOf(workspace, role, '"members": {'));
  assert.ok('range' in prepared);
  assert.equal(prepared.placeholder, 'members');
  const result = handleRename(workspace, role, offsetOf(workspace, role, '"members": {'), 'holders');
  assert.ok(result && 'edits' in result);
  assert.equal(result.edits[role].length, 3, 'key, order entry, notifyRelationships entry');
  assert.equal(result.edits[uriOf(USER)].length, 1, 'user.roles reversePropertyName');
  apply(workspace, result);
  assert.match(workspace.getFile(uriOf(USER))!.text, /"reversePropertyName": "holders"/);
  assert.match(workspace.getFile(role)!.text, /"notifyRelationships": \[\s*"holders"\s*\]/);
  assert.deepEqual(newProblems(before, problemCounts(workspace)), []);
  assert.deepEqual([...problemCounts(workspace)], []);
});

test('renaming from a reference (a hop) renames the declaration and every other reference', () => {
  const { workspace, uriOf } = fixtureWorkspace('split');
  const user = uriOf(USER);
  const edited = apply(workspace, handleRename(workspace, user, offsetOf(workspace, user, '"assignments"', 2), 'entitlements'));
  assert.deepEqual(edited, [uriOf('managed-objects/assignment/assignment.json'), uriOf(ROLE), user].sort());
  assert.match(workspace.getFile(uriOf(ROLE))!.text, /"entitlements": \{/);
  assert.match(workspace.getFile(uriOf('managed-objects/assignment/assignment.json'))!.text, /"reversePropertyName": "entitlements"/);
  assert.deepEqual([...problemCounts(workspace)], []);
});

test('renaming an object type renames every managed/<name> path, and only the name part', () => {
  const { workspace, uriOf } = fixtureWorkspace('split');
  const role = uriOf(ROLE);
  const result = handleRename(workspace, role, offsetOf(workspace, role, '"role"', 2), 'group');
  const edited = apply(workspace, result);
  assert.equal(edited.length, 3);
  const all = edited.map((uri) => workspace.getFile(uri)!.text).join('\n');
  assert.doesNotMatch(all, /managed\/role"/);
  assert.equal(all.match(/"managed\/group"/g)!.length, 2);
  assert.deepEqual([...problemCounts(workspace)], []);
});

test('a polymorphic reverse name renames the property on every target it names', () => {
  const rel = (reverse: string, targets: string[], array: boolean) => {
    const node = { type: 'relationship', reverseRelationship: true, reversePropertyName: reverse, resourceCollection: targets.map((t) => ({ path: `managed/${t}`, query: { queryFilter: 'true', fields: ['_id'] } })) };
    return array ? { type: 'array', items: node } : node;
  };
  const config = { objects: [
    { name: 'user', schema: { properties: { owned: rel('owner', ['car', 'bike'], true) } } },
    { name: 'car', schema: { properties: { owner: rel('owned', ['user'], false) } } },
    { name: 'bike', schema: { properties: { owner: rel('owned', ['user'], false) } } },
  ] };
  const text = JSON.stringify(config, null, 2);
  const { workspace } = workspaceOf({ '/conf/managed.json': text });
  const uri = '/conf/managed.json';
  // Rename car.owner (the second "owner" key in the file).
  const carOwner = text.indexOf('"owner": {') + 1;
  const result = handleRename(workspace, uri, carOwner, 'rider');
  assert.ok(result && 'edits' in result);
  assert.equal(result.edits[uri].length, 3, 'car.owner, bike.owner and user.owned\'s reverse name');
  apply(workspace, result);
  assert.deepEqual([...problemCounts(workspace)], []);
});

test('invalid names, taken names and IDM\'s built-in names are refused with a reason', () => {
  const { workspace, uriOf } = fixtureWorkspace('split');
  const role = uriOf(ROLE);
  const members = offsetOf(workspace, role, '"members": {');
  assert.match((handleRename(workspace, role, members, 'assignments') as { error: string }).error, /already has a property `assignments`/);
  assert.match((handleRename(workspace, role, members, 'a/b') as { error: string }).error, /not a valid property name/);
  assert.match((handleRename(workspace, role, offsetOf(workspace, role, '"role"', 2), 'bad-name') as { error: string }).error, /not a valid object type name/);
  assert.match((handleRename(workspace, role, offsetOf(workspace, role, '"role"', 2), 'user') as { error: string }).error, /already exists/);
  assert.ok('error' in handlePrepareRename(workspace, role, offsetOf(workspace, role, '"title"', 2)));

  const internal = workspaceOf({ '/conf/managed.json': '{ "objects": [ { "name": "user", "schema": { "properties": { "authzRoles": { "type": "array", "items": { "type": "relationship", "reverseRelationship": true, "reversePropertyName": "authz|Members", "resourceCollection": [ { "path": "internal/role" } ] } } } } } ] }' });
  assert.match((handlePrepareRename(internal.workspace, internal.uri, internal.offset) as { error: string }).error, /built into IDM/);
  const path = internal.workspace.getFile(internal.uri)!.text.indexOf('internal/role') + 10;
  assert.ok('error' in handlePrepareRename(internal.workspace, internal.uri, path));
});

test('corpus: renaming any relationship property or object type leaves no new problems', (t) => {
  // One workspace per configuration (config root), reloaded from the original texts before each rename.
  const texts = new Map(jsonFilesUnder(CORPUS).map((file) => [`/corpus/${path.relative(CORPUS, file).split(path.sep).join('/')}`, fs.readFileSync(file, 'utf8')]));
  const everything = new Workspace();
  for (const [uri, text] of texts) everything.setFile(uri, text);
  let renamed = 0;
  let refused = 0;
  let refusedEarly = 0;
  // Beyond the schema: renames that also edit names quoted in inline scripts, and those that list script files.
  const scripts = { renames: 0, sites: 0, repositories: new Set<string>(), listingFiles: 0, allRepositories: new Set<string>() };
  for (const schema of everything.allSchemas()) {
    const load = () => {
      const workspace = new Workspace();
      for (const file of schema.files) workspace.setFile(file.uri, texts.get(file.uri)!);
      return workspace;
    };
    const before = problemCounts(load());
    const targets: Array<{ uri: string; offset: number; name: string }> = [];
    for (const file of schema.files) {
      for (const object of file.objects) {
        if (object.kind !== 'managed') continue;
        if (object.nameNode) targets.push({ uri: file.uri, offset: object.nameNode.offset + 1, name: object.name });
        for (const relationship of object.relationships) targets.push({ uri: file.uri, offset: relationship.property.entry.keyOffset + 1, name: `${object.name}.${relationship.property.name}` });
      }
    }
    for (const target of targets) {
      const workspace = load();
      const result = handleRename(workspace, target.uri, target.offset, `${target.name.split('.').pop()}Renamed`);
      assert.ok(result, 'not cancelled');
      if ('error' in result) {
        // Only names bound to a built-in pair may refuse: `user.authzRoles` (its partner is internal/role.authzMembers),
        // and a managed `authzMembers` that shares the polymorphic reverse name with internal/role (OpenIDM 5).
        assert.match(result.error, /built into IDM/, `${target.name}: ${result.error}`);
        assert.match(target.name, /\.(authzRoles|authzMembers)$/, `${target.name} refused`);
        // The refusal comes before a new name is asked for (prepareRename) wherever the pair is declared here.
        if (/\.authzRoles$/.test(target.name)) {
          assert.ok('error' in handlePrepareRename(workspace, target.uri, target.offset), `prepareRename accepts ${target.name}`);
          refusedEarly++;
        }
        refused++;
        continue;
      }
      assert.ok(!('error' in handlePrepareRename(workspace, target.uri, target.offset)), `prepareRename refuses ${target.name}, which renames`);
      const repository = target.uri.split('/')[2];
      scripts.allRepositories.add(repository);
      const scriptSites = Object.values(result.edits).flat().filter((edit) => edit.annotation === 'script').length;
      if (scriptSites) {
        scripts.renames++;
        scripts.sites += scriptSites;
        scripts.repositories.add(repository);
        assert.equal(result.annotations.script?.needsConfirmation, true);
      }
      if (/Script files not found in the workspace/.test(result.annotations.config?.description ?? '')) scripts.listingFiles++;
      if (target.name.includes('.')) assert.equal(result.annotations.config?.needsConfirmation, true, `${target.name}: relationship data`);
      apply(workspace, result);
      assert.deepEqual(newProblems(before, problemCounts(workspace)), [], `renaming ${target.name} (${target.uri})`);
      renamed++;
    }
  }
  t.diagnostic(`${renamed} renames applied and re-checked, ${refused} refused (built-in pairs), ${refusedEarly} of them by prepareRename`);
  t.diagnostic(`script literals: ${scripts.sites} sites in ${scripts.renames} renames, ${scripts.repositories.size} of ${scripts.allRepositories.size} repositories; ${scripts.listingFiles} renames list script files not found (the corpus holds no script files)`);
  assert.ok(scripts.sites > 0, 'calculateEffectiveRoles(object, \'roles\') is in the corpus');
  assert.ok(refusedEarly > 0, 'prepareRename refuses authzRoles');
  assert.ok(renamed > 250, `${renamed} renamed`);
  assert.ok(refused > 0, 'the built-in pair was tried');
});

/** A user type whose `roles` relationship is named in inline scripts, the way IDM's samples name it. */
function userWithScripts(scriptSource: string): Record<string, string> {
  return {
    '/conf/managed.json': JSON.stringify({
      objects: [
        {
          name: 'user',
          onCreate: { type: 'text/javascript', file: 'roles/onCreate-user.js' },
          postUpdate: { type: 'text/javascript', source: scriptSource },
          schema: {
            properties: {
              userName: { type: 'string' },
              roles: { type: 'array', items: { type: 'relationship', reverseRelationship: true, reversePropertyName: 'members', resourceCollection: [{ path: 'managed/role' }] } },
              effectiveRoles: { type: 'array', isVirtual: true, onRetrieve: { type: 'text/javascript', source: "require('roles/effectiveRoles').calculateEffectiveRoles(object, 'roles');" } },
            },
          },
        },
        {
          name: 'role',
          onCreate: { type: 'text/javascript', source: "log('roles');" },
          schema: { properties: { members: { type: 'array', items: { type: 'relationship', reverseRelationship: true, reversePropertyName: 'roles', resourceCollection: [{ path: 'managed/user' }] } } } },
        },
      ],
    }, null, 2).replace(/é/g, '\\u00e9'),
  };
}

/** The decoded script sources of `object` after an edit (JSON.parse undoes the escapes the edits went through). */
function sourcesOf(text: string, object: string): string[] {
  const found = JSON.parse(text).objects.find((o: { name: string }) => o.name === object);
  const sources: string[] = [];
  JSON.stringify(found, (key, value) => {
    if (key === 'source') sources.push(value);
    return value;
  });
  return sources;
}

test('renaming a property renames its exact string literals in the inline scripts of its object, under a note needing confirmation', () => {
  // Escapes before the literals (\n, \", \u00e9) move the JSON text's offsets away from the script's.
  const script = "// 'roles' in a comment stays\nvar a = \"roles\"; var b = 'rolesOld'; var c = 'my roles'; var d = `roles`;\nvar é = 'roles'; var e = 'rol\\x65s';";
  const { workspace } = workspaceOf(userWithScripts(script));
  const uri = '/conf/managed.json';
  const text = workspace.getFile(uri)!.text;
  assert.ok(text.includes('\\"roles\\"') && text.includes('\\n') && text.includes('\\u00e9'), 'the source is JSON-escaped');
  const result = handleRename(workspace, uri, text.indexOf('"roles": {') + 1, 'holders');
  assert.ok(result && 'edits' in result);
  const scriptEdits = result.edits[uri].filter((edit) => edit.annotation === 'script');
  assert.equal(scriptEdits.length, 3, 'the double-quoted, the single-quoted after escapes, and calculateEffectiveRoles(object, \'roles\')');
  assert.ok(result.edits[uri].filter((edit) => edit.annotation !== 'script').every((edit) => edit.annotation === 'config'));
  assert.equal(result.annotations.script?.needsConfirmation, true);
  assert.match(result.annotations.script!.label, /not checked by the schema/);
  assert.equal(result.annotations.config?.needsConfirmation, true, 'a relationship may hold data in a deployed IDM');
  assert.match(result.annotations.config!.description, /stores each relationship under its property names/);
  assert.match(result.annotations.config!.description, /`roles\/onCreate-user\.js`/, 'the script file is listed, not read');

  const after = applyEdits(text, result.edits[uri]);
  const [postUpdate, onRetrieve] = sourcesOf(after, 'user');
  assert.equal(postUpdate, script.replace('"roles"', '"holders"').replace("var é = 'roles'", "var é = 'holders'"));
  assert.equal(onRetrieve, "require('roles/effectiveRoles').calculateEffectiveRoles(object, 'holders');", 'the module path is not a match');
  assert.deepEqual(sourcesOf(after, 'role'), ["log('roles');"], 'scripts of other objects are not searched');
});

test('a rename with nothing beyond the schema to say carries no notes; an object type rename warns of stored objects', () => {
  const { workspace } = workspaceOf(userWithScripts('var x = 1;'));
  const uri = '/conf/managed.json';
  const text = workspace.getFile(uri)!.text;
  const plain = handleRename(workspace, uri, text.indexOf('"userName"') + 1, 'login');
  assert.ok(plain && 'edits' in plain);
  assert.deepEqual(Object.keys(plain.annotations), ['config'], 'the script file of user is listed');
  assert.equal(plain.annotations.config?.needsConfirmation, false, 'a plain property is not a relationship');

  const noScripts = workspaceOf({ '/conf/managed.json': '{ "objects": [ { "name": "thing", "schema": { "properties": { "label": { "type": "string" } } } } ] }' });
  const bare = handleRename(noScripts.workspace, noScripts.uri, noScripts.workspace.getFile(noScripts.uri)!.text.indexOf('"label"') + 1, 'caption');
  assert.ok(bare && 'edits' in bare);
  assert.deepEqual(bare.annotations, {});
  assert.ok(bare.edits[noScripts.uri].every((edit) => edit.annotation === undefined));

  const typeRename = handleRename(workspace, uri, text.indexOf('"name": "role"') + 10, 'team');
  assert.ok(typeRename && 'edits' in typeRename);
  assert.equal(typeRename.annotations.config?.needsConfirmation, true);
  assert.match(typeRename.annotations.config!.description, /`managed\/role`/);
  assert.equal(typeRename.annotations.script, undefined, 'type names in scripts are not searched');
});

test('a new name holding the script literal\'s quote leaves that literal alone', () => {
  const { workspace } = workspaceOf(userWithScripts("f('roles'); g(\"roles\");"));
  const uri = '/conf/managed.json';
  const text = workspace.getFile(uri)!.text;
  const result = handleRename(workspace, uri, text.indexOf('"roles": {') + 1, "o'roles");
  assert.ok(result && 'edits' in result);
  const after = applyEdits(text, result.edits[uri]);
  assert.equal(sourcesOf(after, 'user')[0], "f('roles'); g(\"o'roles\");");
});

test('a script file the caller can read is searched like an inline script; one it cannot is listed', () => {
  const { workspace } = workspaceOf(userWithScripts('var x = 1;'));
  const uri = '/conf/managed.json';
  const text = workspace.getFile(uri)!.text;
  const script = "var r = object['roles']; // 'roles'\nvar s = 'roles2';\n";
  const asked: string[] = [];
  const result = handleRename(workspace, uri, text.indexOf('"roles": {') + 1, 'holders', () => false, (configUri, file) => {
    asked.push(`${configUri} ${file}`);
    return file === 'roles/onCreate-user.js' ? { uri: '/script/roles/onCreate-user.js', text: script } : undefined;
  });
  assert.ok(result && 'edits' in result);
  assert.deepEqual(asked, ['/conf/managed.json roles/onCreate-user.js']);
  const edits = result.edits['/script/roles/onCreate-user.js'];
  assert.ok(edits.every((edit) => edit.annotation === 'script'));
  assert.equal(applyEdits(script, edits), script.replace("object['roles']", "object['holders']"));
  assert.doesNotMatch(result.annotations.config!.description, /onCreate-user/, 'read, so not listed');
});
