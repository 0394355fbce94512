/** The checker as an editor sees it: `dist/server.js` over stdio, diagnostics, code actions, cross-file updates. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { applyTextEdits, LspClient } from './lspClient';

function relationship(reverse: string, target: string, array: boolean): unknown {
  const node = { type: 'relationship', reverseRelationship: true, reversePropertyName: reverse, resourceCollection: [{ path: `managed/${target}`, query: { queryFilter: 'true', fields: ['name'] } }] };
  return array ? { type: 'array', items: node } : node;
}

function makeWorkspace(): { root: string; user: string; device: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'idm-rel-protocol-'));
  const user = path.join(root, 'managed-objects', 'user', 'user.json');
  const device = path.join(root, 'managed-objects', 'device', 'device.json');
  fs.mkdirSync(path.dirname(user), { recursive: true });
  fs.mkdirSync(path.dirname(device), { recursive: true });
  fs.writeFileSync(user, JSON.stringify({ name: 'user', schema: { properties: { name: { type: 'string' }, devices: relationship('owner', 'device', true) } } }, null, 2) + '\n');
  fs.writeFileSync(device, JSON.stringify({ name: 'device', schema: { properties: { name: { type: 'string' } } } }, null, 4) + '\n');
  return { root, user, device };
}

test('diagnostics, a cross-file quick fix, and clearing on both sides', async () => {
  const { root, user, device } = makeWorkspace();
  const client = new LspClient();
  try {
    client.settings = { validationDelay: 0 };
    const init = await client.initialize(pathToFileURL(root).href);
    assert.ok(init.capabilities.codeActionProvider);
    const userUri = pathToFileURL(user).href;
    const deviceUri = pathToFileURL(device).href;
    client.open(userUri, fs.readFileSync(user, 'utf8'));

    const diagnostics = await client.waitForDiagnostics(userUri, (d) => d.length > 0);
    assert.equal(diagnostics.length, 1);
    const [diagnostic] = diagnostics;
    assert.equal(diagnostic.code, 'reverse-property-missing');
    assert.equal(diagnostic.source, 'idm-relationships');
    assert.equal(diagnostic.severity, 1);
    // The range is the reversePropertyName value, not the whole property.
    const userText = fs.readFileSync(user, 'utf8');
    const lines = userText.split('\n');
    assert.equal(lines[diagnostic.range.start.line].slice(diagnostic.range.start.character, diagnostic.range.end.character), '"owner"');
    assert.equal(diagnostic.relatedInformation[0].location.uri, deviceUri);
    assert.equal(diagnostic.data.code, 'reverse-property-missing');

    const actions = await client.request('textDocument/codeAction', {
      textDocument: { uri: userUri }, range: diagnostic.range, context: { diagnostics: [diagnostic] },
    });
    assert.deepEqual(actions.map((a: any) => a.title), ['Add `owner` to device (many-to-many)', 'Add `owner` to device (one-to-many)']);
    assert.equal(actions[0].isPreferred, true);
    assert.deepEqual(Object.keys(actions[0].edit.changes), [deviceUri]);
    // A client may hand `data` back with its keys in another order (Neovim's Lua tables keep none): the same fixes.
    const reversed = (value: any): any => (value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.keys(value).reverse().map((key) => [key, reversed(value[key])])) : value);
    const reordered = await client.request('textDocument/codeAction', {
      textDocument: { uri: userUri }, range: diagnostic.range, context: { diagnostics: [{ ...diagnostic, data: reversed(diagnostic.data) }] },
    });
    assert.notEqual(JSON.stringify(reversed(diagnostic.data)), JSON.stringify(diagnostic.data));
    assert.deepEqual(reordered.map((a: any) => a.title), actions.map((a: any) => a.title));

    // Apply the preferred fix to the closed file, as VS Code would, and tell the server the file changed.
    const fixed = applyTextEdits(fs.readFileSync(device, 'utf8'), actions[0].edit.changes[deviceUri]);
    assert.match(fixed, /\n {4}"schema": \{\n {8}"properties"/, 'the 4-space indentation of device.json is kept');
    fs.writeFileSync(device, fixed);
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: deviceUri, type: 2 }] });
    assert.deepEqual(await client.waitForDiagnostics(userUri, (d) => d.length === 0), []);

    // Break it again from the other side, with both open: device.owner's reverse name is the one key that breaks the
    // pair, so the one finding is there, on device.json, and user.json shows none (its symptom is folded in).
    client.open(deviceUri, fixed);
    client.change(deviceUri, fixed.replace('"reversePropertyName": "devices"', '"reversePropertyName": "gadgets"'), 2);
    const cause = await client.waitForDiagnostics(deviceUri, (d) => d.length > 0);
    assert.deepEqual(cause.map((d: any) => d.code), ['pair-wrong-reverse-name']);
    assert.deepEqual(await client.waitForDiagnostics(userUri, (d) => d.length === 0), []);
    client.change(deviceUri, fixed, 3);
    await client.waitForDiagnostics(deviceUri, (d) => d.length === 0);

    // Renaming device.owner makes user.devices' reverse name the broken key: the finding comes back on user.json.
    // Closing a file clears its diagnostics.
    client.change(deviceUri, fixed.replace('"owner": {', '"keeper": {'), 4);
    const renamed = await client.waitForDiagnostics(userUri, (d) => d.length > 0);
    assert.deepEqual(renamed.map((d: any) => d.code), ['pair-wrong-reverse-name']);
    client.close(userUri);
    assert.deepEqual(await client.waitForDiagnostics(userUri, (d) => d.length === 0), []);

    const status = await client.request('idmRelationships/status', {});
    assert.equal(status.files, 2);
    assert.equal(status.objectTypes, 2);
    assert.ok(status.lastCheck);
  } finally {
    await client.shutdown();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('debounced: the newest edit wins, broken JSON never kills the server', async () => {
  const { root, user } = makeWorkspace();
  const client = new LspClient();
  try {
    client.settings = { validationDelay: 150 };
    await client.initialize(pathToFileURL(root).href);
    const uri = pathToFileURL(user).href;
    const text = fs.readFileSync(user, 'utf8');
    const published: any[][] = [];
    client.on('textDocument/publishDiagnostics', (p) => p.uri === uri && published.push(p.diagnostics));
    client.open(uri, text);
    await client.waitForDiagnostics(uri, (d) => d.length === 1);
    published.length = 0;
    // Three quick edits: half-typed JSON, then garbage, then a fix of the reverse name to something else. Sent in one
    // write: sent one by one, a loaded machine could pause the test between them longer than the debounce (it failed
    // once that way, at load average 13).
    client.changesInOneWrite(uri, [
      { text: text.slice(0, text.length / 2), version: 2 },
      { text: '{"name": "user", "schema": {"properties": {"x": {"type": "relationship", "reverseRelationship": tr', version: 3 },
      { text: text.replace('"owner"', '"keeper"'), version: 4 },
    ]);
    const final = await client.waitForDiagnostics(uri, (d) => d.some((x) => x.message.includes('keeper')));
    assert.equal(published.length, 1, 'only the newest edit was checked');
    assert.equal(final[0].code, 'reverse-property-missing');
    client.change(uri, '\u0000\u0001 not json at all {{{', 5);
    await client.waitForDiagnostics(uri, (d) => d.length === 0);
    const status = await client.request('idmRelationships/status', { uri });
    assert.equal(typeof status.files, 'number', 'the server still answers');
  } finally {
    await client.shutdown();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('an opened document is checked at once; only edits wait for validationDelay', async () => {
  const { root, user } = makeWorkspace();
  const client = new LspClient();
  try {
    // Ten minutes: if the open's check waited for it, the diagnostics below would time out.
    client.settings = { validationDelay: 600_000 };
    const workspaceChecked = client.waitFor('idmRelationships/checked');
    await client.initialize(pathToFileURL(root).href);
    // Opened after the workspace's first check, which would otherwise publish for it.
    await workspaceChecked;
    const uri = pathToFileURL(user).href;
    client.open(uri, fs.readFileSync(user, 'utf8'));
    const diagnostics = await client.waitForDiagnostics(uri, (d) => d.length > 0);
    assert.equal(diagnostics[0].code, 'reverse-property-missing');
  } finally {
    await client.shutdown();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('settings: a severity change applies without restarting', async () => {
  const { root, user } = makeWorkspace();
  const client = new LspClient();
  try {
    client.settings = { validationDelay: 0 };
    await client.initialize(pathToFileURL(root).href);
    const uri = pathToFileURL(user).href;
    client.open(uri, fs.readFileSync(user, 'utf8'));
    await client.waitForDiagnostics(uri, (d) => d.length === 1 && d[0].severity === 1);
    client.settings = { validationDelay: 0, severity: { 'reverse-property-missing': 'hint' } };
    client.notify('workspace/didChangeConfiguration', { settings: null });
    await client.waitForDiagnostics(uri, (d) => d.length === 1 && d[0].severity === 4);
    client.settings = { validationDelay: 0, severity: { 'reverse-property-missing': 'off' } };
    client.notify('workspace/didChangeConfiguration', { settings: null });
    await client.waitForDiagnostics(uri, (d) => d.length === 0);
  } finally {
    await client.shutdown();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
