/**
 * A configuration holding a file over `maxFileSize` is checked in a worker thread (server/src/lsp/largeDocumentHost.ts),
 * so that the server's thread stays free for requests about other documents. Over stdio, the file's text is kept in
 * that thread too (server/src/lsp/largeMessages.ts) and brought here only when a request reads it. What the editor sees must not change: the
 * diagnostics carry the version they were computed for, an edit is checked when saved, the outline and lenses are those
 * of the current text or none, and a worker that cannot start only costs time (the check runs in the server's thread).
 * The file here is small (the limit is set below its size), so these tests time nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { fixturePath } from '../helpers/fixtures';
import { LspClient } from './lspClient';

const CONFIG = JSON.stringify({ objects: [
  { name: 'user', schema: { properties: { name: { type: 'string' }, devices: { type: 'array', items: { type: 'relationship', reverseRelationship: true, reversePropertyName: 'owner', resourceCollection: [{ path: 'managed/device', query: { queryFilter: 'true', fields: ['name'] } }] } } } } },
  { name: 'device', schema: { properties: { name: { type: 'string' }, owner: { type: 'relationship', reverseRelationship: true, reversePropertyName: 'devices', resourceCollection: [{ path: 'managed/user', query: { queryFilter: 'true', fields: ['name'] } }] } } } },
] }, null, 2);
const BROKEN = CONFIG.replace('"reversePropertyName": "owner"', '"reversePropertyName": "keeper"');

async function withLargeFile(body: (client: LspClient, uri: string, smallUri: string) => Promise<void>, env: Record<string, string> = {}): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'idm-rel-large-worker-'));
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env); // the server inherits the test's environment
  const client = new LspClient();
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  try {
    client.settings = { validationDelay: 0, maxFileSize: 1000 };
    await client.initialize(pathToFileURL(root).href, { settings: client.settings }, { relatedInformation: true, versionSupport: true });
    await body(client, pathToFileURL(path.join(root, 'big', 'managed.json')).href, pathToFileURL(path.join(root, 'small', 'managed.json')).href);
    assert.ok(!client.exited);
  } finally {
    await client.shutdown();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

const publishedFor = (client: LspClient, uri: string, accept: (p: any) => boolean) =>
  client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && accept(p), 30_000);

test('a large file checked in a worker: diagnostics with their version, checked on save, outline of the current text or none', { timeout: 120_000 }, async () => {
  await withLargeFile(async (client, uri, smallUri) => {
    const opened = publishedFor(client, uri, (p) => p.diagnostics.length > 0);
    client.open(uri, BROKEN, 1);
    const first = await opened;
    assert.equal(first.version, 1);
    assert.ok(first.diagnostics.some((d: any) => d.message.includes('keeper')), JSON.stringify(first.diagnostics));
    assert.deepEqual((await client.request('idmRelationships/status', {})).largeFiles, [uri]);
    // The summary made by the worker's check: the types, without their properties.
    const outline = async () => (await client.request('textDocument/documentSymbol', { textDocument: { uri } })).map((s: any) => s.name);
    assert.deepEqual(await outline(), ['user', 'device']);
    assert.equal((await client.request('textDocument/codeLens', { textDocument: { uri } })).length, 2);

    // Another file's diagnostics do not clear the large file's (this thread's model need not hold it).
    // Under the limit (compact, one type whose reverse property is missing): checked in the server's thread.
    client.open(smallUri, JSON.stringify({ objects: [{ name: 'thing', schema: { properties: { x: { type: 'relationship', reverseRelationship: true, reversePropertyName: 'y', resourceCollection: [{ path: 'managed/thing', query: { queryFilter: 'true', fields: [] } }] } } } }] }));
    await client.waitForDiagnostics(smallUri, (d) => d.length > 0);
    assert.ok((client.diagnostics.get(uri) ?? []).length > 0);

    // An edit that renames `user` to `person` and mends the pair is not checked, and the outline of that unsaved text is
    // not built: none rather than the old one.
    const mended = CONFIG.replace('"name": "user"', '"name": "person"').replace('"path": "managed/user"', '"path": "managed/person"');
    let checks = 0;
    client.on('idmRelationships/checked', (p) => p.uris.includes(uri) && checks++);
    client.change(uri, mended, 2);
    assert.deepEqual(await outline(), []);
    assert.deepEqual(await client.request('textDocument/codeLens', { textDocument: { uri } }), []);
    assert.equal(checks, 0);
    // Saved: checked, with that version, and the outline is back.
    const afterSave = publishedFor(client, uri, (p) => p.diagnostics.length === 0);
    client.notify('textDocument/didSave', { textDocument: { uri } });
    assert.equal((await afterSave).version, 2);
    assert.deepEqual(await outline(), ['person', 'device']);
    // A request about the file itself reads its current text (parsed in the server's thread).
    const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 15 } });
    assert.ok(!hover || !JSON.stringify(hover).includes('keeper'));
    const status = await client.request('idmRelationships/status', { uri });
    assert.equal(status.objectTypes, 2);

    client.close(uri);
    await client.waitForDiagnostics(uri, (d) => d.length === 0);
    assert.deepEqual((await client.request('idmRelationships/status', {})).largeFiles, []);
  });
});

test('when the worker cannot start, the large file is checked in the server\'s thread: logged, same diagnostics', { timeout: 120_000 }, async () => {
  await withLargeFile(async (client, uri) => {
    const logged = client.waitFor('window/logMessage', (p) => String(p.message).includes("in the server's thread"), 30_000);
    const opened = publishedFor(client, uri, (p) => p.diagnostics.length > 0);
    client.open(uri, BROKEN, 1);
    const [published] = await Promise.all([opened, logged]);
    assert.equal(published.version, 1);
    assert.ok(published.diagnostics.some((d: any) => d.message.includes('keeper')));
    assert.deepEqual((await client.request('textDocument/documentSymbol', { textDocument: { uri } })).map((s: any) => s.name), ['user', 'device']);
  }, { IDM_REL_LARGE_FILE_WORKER: path.join(os.tmpdir(), 'no-such-worker.js') });
});

test('a hosted file edited below the limit comes back to the server: checked on change, edits made meanwhile kept', { timeout: 120_000 }, async () => {
  await withLargeFile(async (client, uri) => {
    client.open(uri, BROKEN, 1);
    await publishedFor(client, uri, (p) => p.diagnostics.length > 0);
    assert.deepEqual((await client.request('idmRelationships/status', {})).largeFiles, [uri]);

    // Two edits in a row, however they fall around the take-back (the window where edits are held is unit-tested in
    // test/unit/lsp/hostedDocument.test.ts): the first makes it a compact config whose pair is broken (reverse `y`),
    // the second mends it (`y` to `x`) by a range, which must apply to the text the first left and not be lost.
    const compact = JSON.stringify({ objects: [{ name: 'thing', schema: { properties: { x: { type: 'relationship', reverseRelationship: true, reversePropertyName: 'y', resourceCollection: [{ path: 'managed/thing', query: { queryFilter: 'true', fields: [] } }] } } } }] });
    assert.ok(Buffer.byteLength(compact) < 1000);
    client.change(uri, compact, 2);
    const at = compact.indexOf('"reversePropertyName":"y"') + '"reversePropertyName":"'.length;
    client.notify('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ range: { start: { line: 0, character: at }, end: { line: 0, character: at + 1 } }, text: 'x' }] });
    const published = await publishedFor(client, uri, (p) => p.version === 3);
    assert.deepEqual(published.diagnostics, []);
    assert.deepEqual((await client.request('idmRelationships/status', {})).largeFiles, []);

    // Now an ordinary document: its outline is the full one, and a plain edit is checked without a save.
    const symbols = await client.request('textDocument/documentSymbol', { textDocument: { uri } });
    assert.equal(symbols[0].name, 'thing');
    assert.ok(symbols[0].children?.length, 'the full outline, with properties');
    client.change(uri, compact, 4);
    const broken = await publishedFor(client, uri, (p) => p.version === 4);
    assert.ok(broken.diagnostics.some((d: any) => d.message.includes('`y`')), JSON.stringify(broken.diagnostics));
    client.close(uri);
  });
});

test('a file certainly over the limit: requests do not wait for the host, and those about the file read its current text', { timeout: 120_000 }, async () => {
  // Twenty times the limit: the stdio filter can tell it is large from the message's size alone.
  const padded = JSON.stringify({ ...JSON.parse(BROKEN), objects: [...JSON.parse(BROKEN).objects, { name: 'notes', schema: { properties: { text: { type: 'string', description: 'x'.repeat(20_000) } } } }] }, null, 2);
  await withLargeFile(async (client, uri) => {
    const opened = publishedFor(client, uri, (p) => p.diagnostics.length > 0);
    client.open(uri, padded, 1);
    const [broken] = (await opened).diagnostics.filter((d: any) => d.message.includes('keeper'));
    assert.ok(broken, 'the broken pair is reported');
    assert.deepEqual((await client.request('idmRelationships/status', {})).largeFiles, [uri]);

    // A quick fix for it, computed from the file's text fetched from the host: its edits lie on the document's lines.
    const actions = await client.request('textDocument/codeAction', { textDocument: { uri }, range: broken.range, context: { diagnostics: [broken] } });
    assert.ok(actions?.length, 'a quick fix is offered');
    const lines = padded.split('\n');
    for (const edit of actions.flatMap((a: any) => Object.values(a.edit?.changes ?? {}).flat() as any[])) {
      assert.ok(edit.range.end.line < lines.length, JSON.stringify(edit.range));
    }

    // An edit on one line (certainly still large) mends the pair: on save it is checked at that version, and a hover on
    // the edited value reads the new text.
    const line = lines.findIndex((l) => l.includes('"reversePropertyName": "keeper"'));
    const at = lines[line].indexOf('keeper');
    client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: { line, character: at }, end: { line, character: at + 'keeper'.length } }, text: 'owner' }] });
    const saved = publishedFor(client, uri, (p) => p.version === 2);
    client.notify('textDocument/didSave', { textDocument: { uri } });
    assert.deepEqual((await saved).diagnostics.filter((d: any) => d.message.includes('keeper')), []);
    const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: { line, character: at + 1 } });
    assert.ok(!JSON.stringify(hover ?? '').includes('keeper'));
    client.close(uri);
    await client.waitForDiagnostics(uri, (d) => d.length === 0);
  });
});

test('a large file opened before the workspace is first read is checked once, by the first check', { timeout: 120_000 }, async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'idm-rel-large-first-'));
  const client = new LspClient();
  try {
    const uri = pathToFileURL(path.join(root, 'big', 'managed.json')).href;
    const checks: string[] = [];
    client.on('window/logMessage', (p) => /checked the configuration at .* a large one among them/.test(p.message) && checks.push(p.message));
    client.settings = { validationDelay: 0, maxFileSize: 1000 };
    // As an editor that restores its tabs: the file is opened while the server still waits for the settings.
    const release = client.holdConfiguration();
    await client.initialize(pathToFileURL(root).href, { settings: client.settings }, { relatedInformation: true, versionSupport: true });
    const published = publishedFor(client, uri, (p) => p.diagnostics.length > 0);
    client.open(uri, BROKEN, 1);
    await client.request('idmRelationships/status', {});
    release();
    assert.equal((await published).version, 1);
    // The host checks one job after another: a second check asked for the open came before this published one, and
    // was thrown away (its log line says so).
    assert.equal(checks.length, 1, checks.join('\n'));
    assert.doesNotMatch(checks[0], /not published/);
  } finally {
    await client.shutdown();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

// The scenario names no config (no `@config` line): it is found around the scenario, among the workspace's
// configurations, which hold the large file only once its text has come from the host.
/**
 * The workspace `root` (the caller has written its files) served with `maxFileSize`: the large file at `largePath`
 * opened and checked, then `body`; the workspace is removed after.
 */
async function withOpenLargeFile(root: string, maxFileSize: number, largePath: string, body: (client: LspClient, largeUri: string) => Promise<void>): Promise<void> {
  const client = new LspClient();
  try {
    client.settings = { validationDelay: 0, maxFileSize };
    await client.initialize(pathToFileURL(root).href, { settings: client.settings }, { relatedInformation: true, versionSupport: true });
    const largeUri = pathToFileURL(largePath).href;
    const checked = client.waitFor('idmRelationships/checked', (p) => p.uris.includes(largeUri), 30_000);
    client.open(largeUri, fs.readFileSync(largePath, 'utf8'), 1);
    await checked;
    assert.deepEqual((await client.request('idmRelationships/status', {})).largeFiles, [largeUri]);
    await body(client, largeUri);
  } finally {
    await client.shutdown();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

test('a scenario beside a configuration whose large file is open: Run all reads that file, and no finding says otherwise', { timeout: 120_000 }, async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'idm-rel-large-scenario-'));
  const configPath = path.join(root, 'conf', 'managed.json');
  fs.mkdirSync(path.dirname(configPath));
  fs.writeFileSync(configPath, CONFIG);
  const scenarioPath = path.join(root, 'story.idmsim');
  const scenario = ['### a user', 'PUT managed/user/bjensen', 'If-None-Match: *', '', '{ "name": "bjensen" }', '',
    '### a device she owns', 'PUT managed/device/d1', 'If-None-Match: *', '', '{ "name": "d1", "owner": { "_ref": "managed/user/bjensen" } }', '',
    '### her devices', 'GET managed/user/bjensen/devices?_queryFilter=true', ''].join('\n');
  fs.writeFileSync(scenarioPath, scenario);
  await withOpenLargeFile(root, 1000, configPath, async (client) => {
    const uri = pathToFileURL(scenarioPath).href;
    const diagnostics = client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri, 30_000);
    client.open(uri, scenario, 1, 'idmsim');
    assert.deepEqual((await diagnostics).diagnostics.map((d: any) => d.message), []);
    const all = await client.request('idmRelationships/runScenario', { uri, mode: 'runAll' });
    assert.equal(all.refused, undefined, all.heading);
    assert.deepEqual(all.results.map((r: any) => r.status), [201, 201, 200]);
    assert.deepEqual(all.results[2].body.result.map((edge: any) => edge._ref), ['managed/device/d1']);
  });
});

test('a scenario beside per-object files, one of them large and open: the types that file defines are not reported unknown', { timeout: 120_000 }, async () => {
  // An AIC export's per-object files: the user type's file (42 KB) is over the limit, the organization's is not.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'idm-rel-large-split-'));
  const exported = fixturePath('corpus', 'rockcarver_frodo-cli', 'test', 'e2e', 'exports', 'all-separate', 'cloud', 'global', 'idm', 'managed');
  const folder = path.join(root, 'managed');
  fs.mkdirSync(folder);
  for (const name of fs.readdirSync(exported)) fs.copyFileSync(path.join(exported, name), path.join(folder, name));
  const userPath = path.join(folder, 'alpha_user.managed.json');
  const userText = fs.readFileSync(userPath, 'utf8');
  const scenario = ['### a user', 'PUT managed/alpha_user/bjensen', 'If-None-Match: *', '', '{ "userName": "bjensen", "givenName": "Barbara", "sn": "Jensen", "mail": "bjensen@example.com" }', '',
    '### an organization she belongs to', 'PUT managed/alpha_organization/o1', 'If-None-Match: *', '', '{ "name": "o1", "members": [{ "_ref": "managed/alpha_user/bjensen" }] }', '',
    '### a typo', 'GET managed/alpha_usr/bjensen', ''].join('\n');
  const scenarioPath = path.join(root, 'story.idmsim');
  fs.writeFileSync(scenarioPath, scenario);
  await withOpenLargeFile(root, 20_000, userPath, async (client, userUri) => {
    const uri = pathToFileURL(scenarioPath).href;
    const findings = (p: any) => p.diagnostics.map((d: any) => `${d.range.start.line}: ${d.code}`);
    let published = client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri, 30_000);
    client.open(uri, scenario, 1, 'idmsim');
    // Before: every use of alpha_user was "not an object type of this config" (the server's model lacked the file).
    assert.deepEqual(findings(await published), ['13: idmsim-unknown-collection']);

    // Edited and not yet saved: what the file defines now is not known here, so no type is reported unknown.
    client.change(userUri, userText.replace('"alpha_user"', '"alpha_person"'), 2);
    published = client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri, 30_000);
    client.change(uri, scenario + '\n', 2);
    assert.deepEqual(findings(await published), []);
    // Saved and checked again: alpha_user is gone from the configuration, and the scenario says so.
    published = client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && p.diagnostics.length > 1, 30_000);
    client.notify('textDocument/didSave', { textDocument: { uri: userUri } });
    assert.deepEqual(findings(await published), ['1: idmsim-unknown-collection', '10: idmsim-unknown-ref-collection', '13: idmsim-unknown-collection']);
  });
});
