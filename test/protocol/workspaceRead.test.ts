/**
 * Answers right after a workspace opens: the server reads the workspace's config files once the client has answered
 * `workspace/configuration` (the settings say which files to read). A per-object file opened and hovered before that
 * must not be described without its siblings ("not in this workspace" for a type declared in the next file).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { CORPUS } from '../helpers/fixtures';
import { STATUS_REQUEST } from '../../server/src/protocol';
import { LspClient } from './lspClient';

const FRODO_SEPARATE = 'rockcarver_frodo-cli/test/e2e/exports/all-separate/cloud/global/idm/managed';

function positionOf(text: string, needle: string, delta: number): { line: number; character: number } {
  const offset = text.indexOf(needle) + delta;
  assert.ok(offset >= delta, `${needle} not found`);
  const before = text.slice(0, offset);
  return { line: before.split('\n').length - 1, character: offset - before.lastIndexOf('\n') - 1 };
}

test('a hover asked before the workspace is read waits for the siblings instead of calling them missing; no problems from the file alone', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'idm-rel-workspace-read-'));
  const folder = path.join(root, 'managed');
  fs.mkdirSync(folder);
  for (const name of fs.readdirSync(path.join(CORPUS, FRODO_SEPARATE))) fs.copyFileSync(path.join(CORPUS, FRODO_SEPARATE, name), path.join(folder, name));
  const userFile = path.join(folder, 'alpha_user.managed.json');
  const text = fs.readFileSync(userFile, 'utf8');
  const uri = pathToFileURL(userFile).href;

  const client = new LspClient();
  client.settings = { validationDelay: 0 };
  const releaseConfiguration = client.holdConfiguration();
  const published: string[] = [];
  client.on('textDocument/publishDiagnostics', (params) => {
    if (params.uri === uri) published.push(params.diagnostics.map((d: any) => `${d.code}@${d.range.start.line}`).sort().join());
  });
  try {
    await client.initialize(pathToFileURL(root).href);
    client.open(uri, text);
    const hoverParams = { textDocument: { uri }, position: positionOf(text, '"adminOfOrg"', 2) };
    const early = client.request('textDocument/hover', hoverParams);
    // The status request is answered at once: once it is, the server has read the hover request too.
    await client.request(STATUS_REQUEST, {});
    const checked = client.waitFor('idmRelationships/checked', (p) => p.uris.includes(uri));
    releaseConfiguration();
    const earlyHover = await early;

    await checked;
    const settledHover = await client.request('textDocument/hover', hoverParams);
    assert.doesNotMatch(settledHover.contents.value, /not in this workspace/, 'the sibling declares alpha_organization');
    assert.equal(earlyHover?.contents.value, settledHover.contents.value);
    // Nor are problems published from the file alone, to be withdrawn once the siblings are read.
    assert.deepEqual(new Set(published).size <= 1 ? [] : published, []);
  } finally {
    releaseConfiguration();
    await client.shutdown();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
