/**
 * The disk as the server sees it through watched-file events: a folder deleted or restored stands for every config
 * file under it; a FIFO that matches the file patterns is never read (it would block the server until someone writes
 * to it) and is reported, with the reason, on the files of its configuration; `maxFileSize` counts UTF-8 bytes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { CORPUS } from '../helpers/fixtures';
import { LspClient } from './lspClient';

const FRODO_SEPARATE = 'rockcarver_frodo-cli/test/e2e/exports/all-separate/cloud/global/idm/managed';
const CREATED = 1;
const DELETED = 3;

/**
 * A frodo `--separate` export: alpha_user in `idm/managed/`, alpha_organization (which alpha_user's relationships point
 * at) in the folder `idm/managed/orgs/`. Both join one configuration, rooted at `idm/`.
 */
function workspace(): { root: string; user: string; orgFolder: string; org: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'idm-rel-watched-'));
  const user = path.join(root, 'idm', 'managed', 'alpha_user.managed.json');
  const orgFolder = path.join(root, 'idm', 'managed', 'orgs');
  const org = path.join(orgFolder, 'alpha_organization.managed.json');
  fs.mkdirSync(orgFolder, { recursive: true });
  fs.copyFileSync(path.join(CORPUS, FRODO_SEPARATE, 'alpha_user.managed.json'), user);
  fs.copyFileSync(path.join(CORPUS, FRODO_SEPARATE, 'alpha_organization.managed.json'), org);
  return { root, user, orgFolder, org };
}

/** Rejects when the server does not answer in time: a blocked server fails the test instead of hanging it. */
function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([promise, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}

// Findings about the organization type itself (a finding on another type may list its file among the places looked in).
const mentionsOrganization = (diagnostics: any[]) => diagnostics.filter((d) => d.data?.path === 'managed/alpha_organization' || d.data?.target === 'alpha_organization');

test('a folder deleted on disk takes its config files with it; restored, they and their diagnostics come back', async () => {
  const { root, user, orgFolder } = workspace();
  const client = new LspClient();
  try {
    client.settings = { validationDelay: 0 };
    await client.initialize(pathToFileURL(root).href);
    const userUri = pathToFileURL(user).href;
    client.open(userUri, fs.readFileSync(user, 'utf8'));
    await client.waitFor('idmRelationships/checked', (p) => p.uris.includes(userUri));
    const before = await client.request('idmRelationships/status', { uri: userUri });
    assert.equal(before.objectTypes, 2);
    assert.deepEqual(mentionsOrganization(client.diagnostics.get(userUri) ?? []), []);

    // The folder goes; the editor sends one event, for the folder.
    const saved = fs.mkdtempSync(path.join(os.tmpdir(), 'idm-rel-saved-'));
    fs.renameSync(orgFolder, path.join(saved, 'orgs'));
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(orgFolder).href, type: DELETED }] });
    const missing = await client.waitForDiagnostics(userUri, (d) => mentionsOrganization(d).length > 0);
    assert.ok(missing.some((d) => d.code === 'resource-collection-unknown'), JSON.stringify(missing.map((d) => d.code)));
    assert.equal((await client.request('idmRelationships/status', { uri: userUri })).objectTypes, 1);

    // Restored (a folder created): the type is back and the diagnostics about its absence go.
    fs.renameSync(path.join(saved, 'orgs'), orgFolder);
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(orgFolder).href, type: CREATED }] });
    await client.waitForDiagnostics(userUri, (d) => mentionsOrganization(d).length === 0);
    assert.equal((await client.request('idmRelationships/status', { uri: userUri })).objectTypes, 2);
    fs.rmSync(saved, { recursive: true, force: true });
  } finally {
    await client.shutdown();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a FIFO matching the file patterns is not read (the server answers) and is reported with the reason', { skip: process.platform === 'win32' }, async () => {
  const { root, user, org } = workspace();
  const client = new LspClient();
  try {
    client.settings = { validationDelay: 0 };
    await client.initialize(pathToFileURL(root).href);
    const userUri = pathToFileURL(user).href;
    client.open(userUri, fs.readFileSync(user, 'utf8'));
    await client.waitFor('idmRelationships/checked', (p) => p.uris.includes(userUri));

    // The organization file becomes a FIFO (nobody ever writes to it), and the editor says it changed.
    fs.rmSync(org);
    execFileSync('mkfifo', [org]);
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(org).href, type: CREATED }] });
    const status = await within(10_000, 'status after the FIFO event', client.request('idmRelationships/status', { uri: userUri }));
    assert.equal(status.objectTypes, 1);

    const diagnostics = await within(10_000, 'diagnostics naming the FIFO', client.waitForDiagnostics(userUri, (d) => d.some((x) => x.code === 'config-file-unreadable')));
    const unreadable = diagnostics.find((d) => d.code === 'config-file-unreadable');
    assert.ok(unreadable.message.includes(org), unreadable.message);
    assert.match(unreadable.message, /not a regular file/);

    // A server started on a workspace that holds the FIFO scans past it the same way.
    const second = new LspClient();
    try {
      second.settings = { validationDelay: 0 };
      await within(10_000, 'initialize beside a FIFO', second.initialize(pathToFileURL(root).href));
      second.open(userUri, fs.readFileSync(user, 'utf8'));
      const found = await within(10_000, 'diagnostics of the second server', second.waitForDiagnostics(userUri, (d) => d.some((x) => x.code === 'config-file-unreadable')));
      assert.ok(found.find((d) => d.code === 'config-file-unreadable').message.includes(org));
    } finally {
      await second.shutdown();
    }

    // The file is back as a regular file: the finding goes and the type returns.
    fs.rmSync(org);
    fs.copyFileSync(path.join(CORPUS, FRODO_SEPARATE, 'alpha_organization.managed.json'), org);
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(org).href, type: CREATED }] });
    await client.waitForDiagnostics(userUri, (d) => !d.some((x) => x.code === 'config-file-unreadable'));
    assert.equal((await client.request('idmRelationships/status', { uri: userUri })).objectTypes, 2);
  } finally {
    await client.shutdown();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('maxFileSize counts UTF-8 bytes, as the README says', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'idm-rel-bytes-'));
  const client = new LspClient();
  try {
    // 1,500 'é' take 1,500 UTF-16 code units but 3,000 bytes: over a 2,000-byte limit.
    const config = JSON.stringify({ objects: [{ name: 'user', schema: { description: 'é'.repeat(1500), properties: { name: { type: 'string' } } } }] });
    assert.ok(config.length < 2000 && Buffer.byteLength(config, 'utf8') > 2000);
    client.settings = { validationDelay: 0, maxFileSize: 2000 };
    // In the initialization options too, so the limit holds from the first document on.
    await client.initialize(pathToFileURL(root).href, { settings: client.settings });
    const uri = pathToFileURL(path.join(root, 'conf', 'managed.json')).href;
    client.open(uri, config);
    await client.waitFor('idmRelationships/checked', (p) => p.uris.includes(uri));
    assert.deepEqual((await client.request('idmRelationships/status', {})).largeFiles, [uri]);

    // Under the limit in bytes: not large.
    client.change(uri, config.replace(/é+/, 'e'.repeat(100)), 2);
    await client.request('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual((await client.request('idmRelationships/status', {})).largeFiles, []);
  } finally {
    await client.shutdown();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
