/**
 * Requests answer from the text the user sees, not the text last checked: a quick fix asked for right after an edit
 * (within `validationDelay`, even at 0) edits the lines where the problem now is, a fix for a problem the edit removed
 * is not offered, and every publish says which document version it was computed for.
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

/** A real IDM 7 managed.json whose user.manager names a reverse property `reportz` (the pair's other side is `reports`). */
function brokenCopy(): { root: string; uri: string; text: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'idm-rel-fresh-'));
  const file = path.join(root, 'conf', 'managed.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const original = fs.readFileSync(path.join(CORPUS, FORGEOPS, 'managed.json'), 'utf8');
  const text = original.replace('"reversePropertyName" : "reports",', '"reversePropertyName" : "reportz",');
  assert.notEqual(text, original);
  fs.writeFileSync(file, text);
  return { root, uri: pathToFileURL(file).href, text };
}

/** Sends a full-text change and a request in one write, so the server reads both before any timer of its own runs. */
function changeThenRequest(client: LspClient, uri: string, text: string, version: number, method: string, params: unknown): Promise<any> {
  return client.requestInOneWrite(method, params, [{ method: 'textDocument/didChange', params: { textDocument: { uri, version }, contentChanges: [{ text }] } }]);
}

/** The first line where two texts differ, for a readable failure. */
function firstDifference(actual: string, expected: string): string {
  const a = actual.split('\n');
  const e = expected.split('\n');
  const line = a.findIndex((text, i) => text !== e[i]);
  return line < 0 ? 'the texts differ in length' : `line ${line}: ${JSON.stringify(a[line])} instead of ${JSON.stringify(e[line])}`;
}

/** Four comment lines after the opening brace: everything below moves down four lines. */
const insertLinesAbove = (text: string) => text.replace('{', '{\n// one\n// two\n// three\n// four');

for (const validationDelay of [0, 5000]) {
  test(`a quick fix asked right after an edit edits the current text (validationDelay ${validationDelay})`, async () => {
    const { root, uri, text } = brokenCopy();
    const client = new LspClient();
    try {
      client.settings = { validationDelay, severity: { 'json-syntax': 'error' } };
      await client.initialize(pathToFileURL(root).href);
      client.open(uri, text);
      const published = await client.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'pair-wrong-reverse-name'));
      const diagnostic = published.find((d) => d.code === 'pair-wrong-reverse-name');

      // The edit and the request travel together, as when the light bulb is clicked while typing.
      const edited = insertLinesAbove(text);
      const actions = await changeThenRequest(client, uri, edited, 2, 'textDocument/codeAction', { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } });
      const fix = actions.find((a: any) => a.title === 'Change `reversePropertyName` to `reports`, which points back from user');
      assert.ok(fix, `no fix offered: ${JSON.stringify(actions.map((a: any) => a.title))}`);
      const fixed = applyTextEdits(edited, fix.edit.changes[uri]);
      // Exactly the one word changed, four lines lower than it was when the diagnostic was published.
      const expected = edited.replace('"reversePropertyName" : "reportz",', '"reversePropertyName" : "reports",');
      assert.ok(fixed === expected, `the fix edited the wrong place: ${firstDifference(fixed, expected)}`);

      // The user fixes it by hand instead: the old diagnostic's fix is no longer offered (it would edit good text).
      const byHand = edited.replace('"reportz"', '"reports"');
      const stale = await changeThenRequest(client, uri, byHand, 3, 'textDocument/codeAction', { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } });
      assert.deepEqual(stale, []);
    } finally {
      await client.shutdown();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
}

test('publishDiagnostics carries the version it was computed for when the client supports it; closed files none', async () => {
  const { root, uri, text } = brokenCopy();
  const client = new LspClient();
  const publishes: any[] = [];
  client.on('textDocument/publishDiagnostics', (params) => publishes.push(params));
  try {
    client.settings = { validationDelay: 0 };
    await client.initialize(pathToFileURL(root).href, undefined, { relatedInformation: true, versionSupport: true });
    client.open(uri, text, 7);
    await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && p.diagnostics.length > 0);
    assert.equal(publishes.at(-1).version, 7);

    // Two quick edits: whatever is published says which of them it saw, and the last publish is for the last edit.
    client.change(uri, insertLinesAbove(text), 8);
    client.change(uri, insertLinesAbove(text).replace('"reportz"', '"reports"'), 9);
    await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && p.version === 9);
    for (const p of publishes.filter((x) => x.uri === uri)) assert.ok([7, 8, 9].includes(p.version), `unversioned or unknown version: ${JSON.stringify(p.version)}`);
    const last = publishes.filter((x) => x.uri === uri).at(-1);
    assert.equal(last.version, 9);
    assert.ok(!last.diagnostics.some((d: any) => d.code === 'pair-wrong-reverse-name'));

    // Back to a broken text, then closed: the clearing publish is for a file no longer open, so it has no version.
    client.change(uri, text, 10);
    await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && p.version === 10 && p.diagnostics.length > 0);
    client.close(uri);
    const cleared = await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && p.diagnostics.length === 0);
    assert.equal(cleared.version, undefined);
  } finally {
    await client.shutdown();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('without versionSupport, publishes carry no version', async () => {
  const { root, uri, text } = brokenCopy();
  const client = new LspClient();
  try {
    client.settings = { validationDelay: 0 };
    await client.initialize(pathToFileURL(root).href);
    client.open(uri, text, 3);
    const published = await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && p.diagnostics.length > 0);
    assert.equal(published.version, undefined);
  } finally {
    await client.shutdown();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
