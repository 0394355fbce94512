/**
 * Rename's notes over stdio: a client announcing change annotations (VS Code does) gets the edits of a relationship
 * rename under a note needing confirmation (data a deployed IDM stores under the old name) and the names quoted in
 * scripts (inline, and a script file of the workspace) under another; a client without them gets the configuration's
 * edits alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { CORPUS } from '../helpers/fixtures';
import { applyTextEdits, LspClient } from './lspClient';

const SAMPLE_PLATFORM = 'ForgeRock_forgeops/sample-platform/idm/conf/managed.json';
const ANNOTATIONS = { workspaceEdit: { documentChanges: true, changeAnnotationSupport: { groupsOnLabel: true } } };

function positionOf(text: string, needle: string, delta: number): { line: number; character: number } {
  const offset = text.indexOf(needle) + delta;
  assert.ok(offset >= delta, `${needle} not found`);
  const before = text.slice(0, offset);
  return { line: before.split('\n').length - 1, character: offset - before.lastIndexOf('\n') - 1 };
}

/** A project script the sample's user names (`"file" : "roles/postOperation-roles.js"`), written for this test. */
const POST_OPERATION_SCRIPT = "// 'roles' in a comment\nvar granted = object['roles'];\nvar other = 'rolesGranted';\nlogger.info(\"roles\");\n";

async function renameUserRoles(workspaceCapabilities: Record<string, unknown>): Promise<{ edit: any; text: string; uri: string; scriptUri: string }> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'idm-rel-rename-notes-'));
  const file = path.join(root, 'conf', 'managed.json');
  fs.mkdirSync(path.dirname(file));
  fs.copyFileSync(path.join(CORPUS, SAMPLE_PLATFORM), file);
  const script = path.join(root, 'script', 'roles', 'postOperation-roles.js');
  fs.mkdirSync(path.dirname(script), { recursive: true });
  fs.writeFileSync(script, POST_OPERATION_SCRIPT);
  const scriptUri = pathToFileURL(script).href;
  const text = fs.readFileSync(file, 'utf8');
  const uri = pathToFileURL(file).href;
  const client = new LspClient();
  client.settings = { validationDelay: 0 };
  try {
    await client.initialize(pathToFileURL(root).href, undefined, undefined, workspaceCapabilities);
    const checked = client.waitFor('idmRelationships/checked', (p) => p.uris.includes(uri));
    client.open(uri, text);
    await checked;
    // user.roles: the first `"roles" : {` in the file is the user's relationship.
    const edit = await client.request('textDocument/rename', { textDocument: { uri }, position: positionOf(text, '"roles" : {', 2), newName: 'holders' });
    return { edit, text, uri, scriptUri };
  } finally {
    await client.shutdown();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

test('rename with change annotations: relationship data and script literals are notes needing confirmation', async () => {
  const { edit, text, uri, scriptUri } = await renameUserRoles(ANNOTATIONS);
  assert.equal(edit.changes, undefined);
  assert.deepEqual(edit.documentChanges.map((change: any) => change.textDocument.uri).sort(), [uri, scriptUri].sort());
  const documentEdit = edit.documentChanges.find((change: any) => change.textDocument.uri === uri);
  assert.equal(documentEdit.textDocument.uri, uri);
  assert.equal(documentEdit.textDocument.version, 1, 'the open document\'s version');
  assert.equal(edit.changeAnnotations.config.needsConfirmation, true);
  assert.match(edit.changeAnnotations.config.description, /deployed IDM stores each relationship under its property names/);
  assert.equal(edit.changeAnnotations.script.needsConfirmation, true);
  const scriptEdits = documentEdit.edits.filter((e: any) => e.annotationId === 'script');
  assert.ok(scriptEdits.length >= 2, `${scriptEdits.length} script literals`);
  assert.ok(documentEdit.edits.every((e: any) => e.annotationId === 'script' || e.annotationId === 'config'));
  const after = applyTextEdits(text, documentEdit.edits);
  assert.match(after, /calculateEffectiveRoles\(object, 'holders'\)/);
  assert.match(after, /require\('roles\/effectiveRoles'\)/, 'the module path is not the property');

  const scriptEdit = edit.documentChanges.find((change: any) => change.textDocument.uri === scriptUri);
  assert.equal(scriptEdit.textDocument.version, null, 'not open');
  assert.ok(scriptEdit.edits.every((e: any) => e.annotationId === 'script'));
  assert.equal(applyTextEdits(POST_OPERATION_SCRIPT, scriptEdit.edits), POST_OPERATION_SCRIPT.replace("object['roles']", "object['holders']").replace('"roles"', '"holders"'));
  assert.match(edit.changeAnnotations.config.description, /not found in the workspace.*`ui\/onDelete-user-cleanup\.js`/);
  assert.doesNotMatch(edit.changeAnnotations.config.description, /postOperation-roles/, 'found, so not listed');
});

test('rename without change annotations: the configuration\'s edits only, scripts left as they are', async () => {
  const { edit, text, uri } = await renameUserRoles({});
  assert.equal(edit.documentChanges, undefined);
  assert.deepEqual(Object.keys(edit.changes), [uri]);
  assert.equal(edit.changeAnnotations, undefined);
  const after = applyTextEdits(text, edit.changes[uri]);
  assert.match(after, /"holders" : \{/);
  assert.match(after, /calculateEffectiveRoles\(object, 'roles'\)/);
});
