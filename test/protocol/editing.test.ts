/**
 * The editing features as an editor sees them: `dist/server.js` over stdio, on copies of corpus files. Completion
 * (also on a half-typed edit), hover, definition, references, rename (applied, then re-checked: no new problems),
 * symbols, code lens and its reveal command, cancellation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { CORPUS } from '../helpers/fixtures';
import { applyTextEdits, LspClient } from './lspClient';

const FORGEOPS = 'ForgeRock_forgeops/docker/idm/config-profiles/idm-only/conf';
const FRODO_SEPARATE = 'rockcarver_frodo-cli/test/e2e/exports/all-separate/cloud/global/idm/managed';

interface Copies { root: string; managed: string; internal: string; alphaUser: string; alphaOrganization: string }

/** Copies of real configs in a temporary workspace: an IDM 7 managed.json + internal.json, and two AIC per-object files. */
function copyCorpus(): Copies {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'idm-rel-editing-'));
  const copy = (from: string, to: string) => {
    const target = path.join(root, to);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(CORPUS, from), target);
    return target;
  };
  return {
    root,
    managed: copy(`${FORGEOPS}/managed.json`, 'conf/managed.json'),
    internal: copy(`${FORGEOPS}/internal.json`, 'conf/internal.json'),
    alphaUser: copy(`${FRODO_SEPARATE}/alpha_user.managed.json`, 'aic/managed/alpha_user.managed.json'),
    alphaOrganization: copy(`${FRODO_SEPARATE}/alpha_organization.managed.json`, 'aic/managed/alpha_organization.managed.json'),
  };
}

/** Zero-based line/character of the `occurrence`-th `needle` in `text`, plus `delta` characters. */
function positionOf(text: string, needle: string, delta = 1, occurrence = 0): { line: number; character: number } {
  let offset = -1;
  for (let i = 0; i <= occurrence; i++) offset = text.indexOf(needle, offset + 1);
  assert.ok(offset >= 0, `${needle} not found`);
  offset += delta;
  const before = text.slice(0, offset);
  return { line: before.split('\n').length - 1, character: offset - before.lastIndexOf('\n') - 1 };
}

function textAt(text: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }): string {
  const lines = text.split('\n');
  if (range.start.line === range.end.line) return lines[range.start.line].slice(range.start.character, range.end.character);
  return [lines[range.start.line].slice(range.start.character), ...lines.slice(range.start.line + 1, range.end.line), lines[range.end.line].slice(0, range.end.character)].join('\n');
}

/** `code@line` for each diagnostic: places compare across a rename, which never adds lines. */
const places = (diagnostics: any[]) => diagnostics.map((d) => `${d.code}@${d.range.start.line}`).sort();

/** Sends a request and its `$/cancelRequest` in one write; resolves or rejects with the server's answer. */
function requestThenCancel(client: LspClient, method: string, params: unknown): Promise<unknown> {
  return client.requestInOneWrite(method, params, [], (id) => [{ method: '$/cancelRequest', params: { id } }]);
}

async function start(copies: Copies): Promise<LspClient> {
  const client = new LspClient();
  client.settings = { validationDelay: 0 };
  const init = await client.initialize(pathToFileURL(copies.root).href);
  for (const capability of ['completionProvider', 'hoverProvider', 'definitionProvider', 'referencesProvider', 'renameProvider', 'documentSymbolProvider', 'workspaceSymbolProvider', 'codeLensProvider']) {
    assert.ok(init.capabilities[capability], capability);
  }
  assert.equal(init.capabilities.renameProvider.prepareProvider, true);
  return client;
}

/** Opens a file and waits until the server has checked it. */
async function openChecked(client: LspClient, file: string, text = fs.readFileSync(file, 'utf8')): Promise<string> {
  const uri = pathToFileURL(file).href;
  const checked = client.waitFor('idmRelationships/checked', (p) => p.uris.includes(uri));
  client.open(uri, text);
  await checked;
  return uri;
}

test('completion, hover, definition and references on a real managed.json', async () => {
  const copies = copyCorpus();
  const client = await start(copies);
  try {
    const text = fs.readFileSync(copies.managed, 'utf8');
    const uri = await openChecked(client, copies.managed, text);
    const doc = { textDocument: { uri } };

    // reversePropertyName of user.manager: what points back first.
    const completion = await client.request('textDocument/completion', { ...doc, position: positionOf(text, '"reversePropertyName" : "reports"', 25) });
    const sorted = [...completion.items].sort((a: any, b: any) => a.sortText.localeCompare(b.sortText));
    assert.equal(sorted[0].label, 'reports');
    assert.match(sorted[0].detail, /points back here/);
    assert.equal(textAt(text, sorted[0].textEdit.range), '"reports"');

    // A half-typed key inside the manager relationship (unclosed string, no comma after `"validate" : true`).
    const broken = text.replace(/("validate" : true),(\s*)("reverseRelationship" : true,\s*"reversePropertyName" : "reports")/, '$1$2"notif$2$3');
    assert.notEqual(broken, text, 'the edit applied');
    client.change(uri, broken, 2);
    const keys = await client.request('textDocument/completion', { ...doc, position: positionOf(broken, '"notif\n', 6) });
    const notifySelf = keys.items.find((i: any) => i.label === 'notifySelf');
    assert.ok(notifySelf, keys.items.map((i: any) => i.label).join());
    assert.equal(notifySelf.insertTextFormat, 2);
    assert.equal(textAt(broken, notifySelf.textEdit.range), '"notif');
    assert.equal(notifySelf.additionalTextEdits.length, 1, 'the missing comma');
    assert.ok(!keys.items.some((i: any) => i.label === 'validate'), 'present keys are not offered again');
    client.change(uri, text, 3);

    const hover = await client.request('textDocument/hover', { ...doc, position: positionOf(text, '"manager" : {', 2) });
    assert.equal(hover.contents.kind, 'markdown');
    assert.match(hover.contents.value, /manager: many-to-one -> managed\/user\.reports, bidirectional, validate, notifies: none/);
    assert.equal(textAt(text, hover.range), '"manager"');

    const definition = await client.request('textDocument/definition', { ...doc, position: positionOf(text, '"reversePropertyName" : "reports"', 26) });
    assert.equal(definition.length, 1);
    assert.equal(definition[0].uri, uri);
    assert.equal(textAt(text, definition[0].range), '"reports"');

    // Into internal.json: user.authzRoles names internal/role's authzMembers.
    const internalDefinition = await client.request('textDocument/definition', { ...doc, position: positionOf(text, '"reversePropertyName" : "authzMembers"', 26) });
    assert.equal(internalDefinition[0].uri, pathToFileURL(copies.internal).href);

    const references = await client.request('textDocument/references', { ...doc, position: positionOf(text, '"members" : {', 2), context: { includeDeclaration: true } });
    assert.ok(references.length >= 3, `${references.length} references to role.members`);
    for (const reference of references) assert.equal(textAt(text, reference.range), 'members');
  } finally {
    await client.shutdown();
  }
});

test('rename across files: apply the workspace edit, re-check, no new problems', async () => {
  const copies = copyCorpus();
  const client = await start(copies);
  try {
    const userText = fs.readFileSync(copies.alphaUser, 'utf8');
    const organizationText = fs.readFileSync(copies.alphaOrganization, 'utf8');
    const userUri = await openChecked(client, copies.alphaUser, userText);
    const organizationUri = await openChecked(client, copies.alphaOrganization, organizationText);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const before = { user: places(client.diagnostics.get(userUri) ?? []), organization: places(client.diagnostics.get(organizationUri) ?? []) };

    // alpha_organization.members <-> alpha_user.memberOfOrg: rename the organization side.
    const position = positionOf(organizationText, '"members": {', 2);
    const prepared = await client.request('textDocument/prepareRename', { textDocument: { uri: organizationUri }, position });
    assert.equal(prepared.placeholder, 'members');
    const edit = await client.request('textDocument/rename', { textDocument: { uri: organizationUri }, position, newName: 'participants' });
    assert.deepEqual(Object.keys(edit.changes).sort(), [organizationUri, userUri].sort());

    const newUser = applyTextEdits(userText, edit.changes[userUri]);
    const newOrganization = applyTextEdits(organizationText, edit.changes[organizationUri]);
    assert.match(newUser, /"reversePropertyName": "participants"/);
    const checked = client.waitFor('idmRelationships/checked', (p) => p.uris.includes(userUri) && p.uris.includes(organizationUri));
    client.change(userUri, newUser, 2);
    client.change(organizationUri, newOrganization, 2);
    await checked;
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = { user: places(client.diagnostics.get(userUri) ?? []), organization: places(client.diagnostics.get(organizationUri) ?? []) };
    assert.deepEqual(after, before);

    // Renaming to a taken name is refused with a reason.
    await assert.rejects(
      client.request('textDocument/rename', { textDocument: { uri: organizationUri }, position: positionOf(newOrganization, '"participants": {', 2), newName: 'owners' }),
      /already has a property `owners`/,
    );
  } finally {
    await client.shutdown();
  }
});

test('document and workspace symbols, code lens and its reveal command, cancellation', async () => {
  const copies = copyCorpus();
  const client = await start(copies);
  const shown: any[] = [];
  // Server-to-client requests are answered inside the client; note window/showDocument on the way.
  const dispatch = (client as any).dispatch.bind(client);
  (client as any).dispatch = (message: any) => {
    if (message.method === 'window/showDocument') shown.push(message.params);
    dispatch(message);
  };
  try {
    const text = fs.readFileSync(copies.managed, 'utf8');
    const uri = await openChecked(client, copies.managed, text);
    const doc = { textDocument: { uri } };

    const symbols = await client.request('textDocument/documentSymbol', doc);
    assert.deepEqual(symbols.map((s: any) => s.name), ['user', 'role', 'assignment', 'organization']);
    const manager = symbols[0].children.find((c: any) => c.name === 'manager');
    assert.equal(manager.detail, 'many-to-one -> managed/user.reports');
    assert.equal(textAt(text, manager.selectionRange), '"manager"');

    const workspaceSymbols = await client.request('workspace/symbol', { query: 'authzMem' });
    assert.ok(workspaceSymbols.some((s: any) => s.name === 'authzMembers' && s.containerName === 'internal/role' && s.location.uri === pathToFileURL(copies.internal).href));

    const lenses = await client.request('textDocument/codeLens', doc);
    const userLens = lenses.find((l: any) => textAt(text, l.range) === '"user"');
    assert.match(userLens.command.title, /^7 relationships · \d+ incoming$/);
    assert.equal(userLens.command.command, 'idmRelationships.showReferences');
    assert.equal(userLens.command.arguments[0], uri);
    assert.ok(userLens.command.arguments[2].length >= 7);
    const managerLens = lenses.find((l: any) => textAt(text, l.range) === '"manager"');
    assert.equal(managerLens.command.title, '<- user.reports');
    assert.equal(managerLens.command.command, 'idmRelationships.revealLocation');

    await client.request('workspace/executeCommand', { command: managerLens.command.command, arguments: managerLens.command.arguments });
    for (let i = 0; i < 50 && !shown.length; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(shown.length, 1);
    assert.equal(shown[0].uri, uri);
    assert.equal(textAt(text, shown[0].selection), '"reports"');

    // A request cancelled right after it is sent (both in one write, as they would be read together) is answered as cancelled.
    const references = requestThenCancel(client, 'textDocument/references', { ...doc, position: positionOf(text, '"members" : {', 2), context: { includeDeclaration: true } });
    await assert.rejects(references, /cancel/i);
    // And the server still answers afterwards.
    assert.ok(await client.request('textDocument/hover', { ...doc, position: positionOf(text, '"manager" : {', 2) }));

    // A scenario file is not a config: config features answer nothing for it and leave it out of the workspace.
    const files = (await client.request('idmRelationships/status', {})).files;
    const scenario = pathToFileURL(path.join(copies.root, 'conf', 'try.idmsim')).href;
    client.open(scenario, 'GET managed/user\n', 1, 'idmsim');
    assert.equal(await client.request('textDocument/documentSymbol', { textDocument: { uri: scenario } }), null);
    assert.equal(await client.request('textDocument/hover', { textDocument: { uri: scenario }, position: { line: 0, character: 2 } }), null);
    assert.equal((await client.request('idmRelationships/status', {})).files, files);
  } finally {
    await client.shutdown();
  }
});
