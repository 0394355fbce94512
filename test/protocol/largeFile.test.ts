/**
 * What the server builds for a file over `maxFileSize`: an outline of its object types and a lens per type with its
 * counts, not every property and location (a 50 MB config made answers of 19 MB and 8 MB). Smaller files keep the
 * full outline and lenses.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { LspClient } from './lspClient';

const CONFIG = JSON.stringify({ objects: [
  { name: 'user', schema: { properties: { name: { type: 'string' }, devices: { type: 'array', items: { type: 'relationship', reverseRelationship: true, reversePropertyName: 'owner', resourceCollection: [{ path: 'managed/device', query: { queryFilter: 'true', fields: ['name'] } }] } } } } },
  { name: 'device', schema: { properties: { name: { type: 'string' }, owner: { type: 'relationship', reverseRelationship: true, reversePropertyName: 'devices', resourceCollection: [{ path: 'managed/user', query: { queryFilter: 'true', fields: ['name'] } }] } } } },
] }, null, 2);

async function outlineAndLenses(maxFileSize: number | undefined, config = CONFIG): Promise<{ symbols: any[]; lenses: any[]; large: string[] }> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'idm-rel-large-'));
  const client = new LspClient();
  try {
    client.settings = maxFileSize ? { validationDelay: 0, maxFileSize } : { validationDelay: 0 };
    // Given at initialize too: the document is opened before the server has asked for the settings.
    await client.initialize(pathToFileURL(root).href, { settings: client.settings });
    const uri = pathToFileURL(path.join(root, 'conf', 'managed.json')).href;
    const checked = client.waitFor('idmRelationships/checked', (p) => p.uris.includes(uri));
    client.open(uri, config);
    await checked;
    const symbols = await client.request('textDocument/documentSymbol', { textDocument: { uri } });
    const lenses = await client.request('textDocument/codeLens', { textDocument: { uri } });
    const { largeFiles } = await client.request('idmRelationships/status', {});
    return { symbols, lenses, large: largeFiles };
  } finally {
    await client.shutdown();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

test('a file over maxFileSize gets a summarised outline and code lenses; a smaller one the full ones', { timeout: 60_000 }, async () => {
  const full = await outlineAndLenses(undefined);
  assert.deepEqual(full.large, []);
  assert.deepEqual(full.symbols.map((s) => [s.name, (s.children ?? []).map((c: any) => c.name)]), [['user', ['name', 'devices']], ['device', ['name', 'owner']]]);
  assert.equal(full.lenses.length, 4, 'a lens per type and per relationship');
  assert.ok(full.lenses.some((l) => l.command.arguments?.length), 'the full lenses list their locations');

  const summary = await outlineAndLenses(CONFIG.length - 1);
  assert.equal(summary.large.length, 1);
  assert.deepEqual(summary.symbols.map((s) => [s.name, s.children ?? []]), [['user', []], ['device', []]]);
  assert.deepEqual(summary.symbols.map((s) => s.range), full.symbols.map((s) => s.range));
  // One lens per type, with the same counts, and no list of locations behind it.
  assert.deepEqual(summary.lenses.map((l) => l.command.title), ['1 relationship · 1 incoming', '1 relationship · 1 incoming']);
  assert.deepEqual(summary.lenses.map((l) => l.range), [full.lenses[0].range, full.lenses[2].range]);
  assert.ok(summary.lenses.every((l) => !l.command.arguments));
});

test('the summary of a huge file lists its first 2,000 object types', { timeout: 60_000 }, async () => {
  const objects = Array.from({ length: 2500 }, (_, i) => ({ name: `type${i}`, schema: { properties: { name: { type: 'string' } } } }));
  const config = JSON.stringify({ objects }, null, 2);
  const { symbols, lenses, large } = await outlineAndLenses(1000, config);
  assert.equal(large.length, 1);
  assert.equal(symbols.length, 2000);
  assert.equal(symbols[1999].name, 'type1999');
  assert.equal(lenses.length, 2000);
});
