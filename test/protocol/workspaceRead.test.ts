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
import { Workspace } from '../../server/src/core/model/workspace';
import { STATUS_REQUEST } from '../../server/src/protocol';
import { LspClient } from './lspClient';

const FRODO_SEPARATE = 'rockcarver_frodo-cli/test/e2e/exports/all-separate/cloud/global/idm/managed';

function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length - 1, character: offset - before.lastIndexOf('\n') - 1 };
}

test('a hover asked before the workspace is read waits for the siblings instead of calling them missing; no problems from the file alone', async (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'idm-rel-workspace-read-'));
  const folder = path.join(root, 'managed');
  fs.mkdirSync(folder);
  for (const name of fs.readdirSync(path.join(CORPUS, FRODO_SEPARATE))) fs.copyFileSync(path.join(CORPUS, FRODO_SEPARATE, name), path.join(folder, name));
  const userFile = path.join(folder, 'alpha_user.managed.json');
  const text = fs.readFileSync(userFile, 'utf8');
  const uri = pathToFileURL(userFile).href;
  // Every relationship key of the file (alpha_user's relationships point at types declared in the sibling files).
  const model = new Workspace();
  model.setFile(uri, text);
  const positions = model.getFile(uri)!.objects.flatMap((object) => object.relationships.map((r) => positionAt(text, r.property.entry.keyOffset + 1)));
  assert.ok(positions.length > 5, `${positions.length} relationships`);

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
    const hoverParams = (position: { line: number; character: number }) => ({ textDocument: { uri }, position });
    const early = Promise.all(positions.map((position) => client.request('textDocument/hover', hoverParams(position))));
    // The status request is answered at once: once it is, the server has read the hover requests too.
    await client.request(STATUS_REQUEST, {});
    const checked = client.waitFor('idmRelationships/checked', (p) => p.uris.includes(uri));
    releaseConfiguration();
    const earlyHovers = await early;

    await checked;
    const settledHovers = await Promise.all(positions.map((position) => client.request('textDocument/hover', hoverParams(position))));
    const adminOfOrg = settledHovers.find((hover) => /^adminOfOrg:/m.test(hover.contents.value));
    assert.doesNotMatch(adminOfOrg.contents.value, /not in this workspace|\?-to-/, 'the sibling declares alpha_organization');
    const differing = positions.filter((_, i) => earlyHovers[i]?.contents.value !== settledHovers[i]?.contents.value).length;
    t.diagnostic(`${positions.length} relationship hovers asked before the workspace was read: ${differing} differ from the settled answer`);
    assert.equal(earlyHovers.find((hover, i) => hover?.contents.value !== settledHovers[i]?.contents.value)?.contents.value, undefined);
    // Nor are problems published from the file alone, to be withdrawn once the siblings are read.
    assert.deepEqual(new Set(published).size <= 1 ? [] : published, []);
  } finally {
    releaseConfiguration();
    await client.shutdown();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
