/**
 * The server under load and abuse, as an editor drives it over stdio: a 50 MB config (checked on open and save, not
 * on each change, listed as large, memory bounded, other documents still answered while it is checked) and requests
 * that make its handlers fail (logged and answered, never a dead server).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { LspClient } from './lspClient';

const MB = 1024 * 1024;

/** Starts the server on a new temporary workspace folder, runs `body`, then shuts the server down and removes the folder. */
async function withServer(body: (client: LspClient, root: string) => Promise<void>): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'idm-rel-robust-'));
  const client = new LspClient();
  try {
    client.settings = { validationDelay: 0 };
    await client.initialize(pathToFileURL(root).href);
    await body(client, root);
  } finally {
    await client.shutdown();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** Where the value of the last `"reversePropertyName":"peers"` in `text` starts: the edit the tests make to break a pair. */
function lastPeersName(text: string): { line: number; character: number } {
  const at = text.lastIndexOf('"reversePropertyName":"peers"');
  const line = text.slice(0, at).split('\n').length - 1;
  return { line, character: text.split('\n')[line].indexOf('"reversePropertyName":"peers"') + '"reversePropertyName":"'.length };
}

/** Resident and peak resident memory of a process, in bytes, from /proc/<pid>/status (Linux). */
function memoryOf(pid: number): { rss: number; peak: number } | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), peak: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

/**
 * A managed.json of about `bytes` bytes: types in pairs whose relationships point at each other, plus one broken
 * reverse name near the end (`brokenName`), so a check has real work and one finding to show.
 */
function bigConfig(bytes: number): { text: string; types: number } {
  const objects: string[] = [];
  let size = 0;
  let i = 0;
  while (size < bytes) {
    const a = `type${i}a`;
    const b = `type${i}b`;
    const pair = [
      `{"name":"${a}","schema":{"order":["name","peers"],"properties":{"name":{"type":"string","description":"${'d'.repeat(400)}"},` +
        `"peers":{"type":"array","items":{"type":"relationship","reverseRelationship":true,"reversePropertyName":"owners","resourceCollection":[{"path":"managed/${b}","label":"B","query":{"queryFilter":"true","fields":["name"]}}]}}}}}`,
      `{"name":"${b}","schema":{"order":["name","owners"],"properties":{"name":{"type":"string","description":"${'d'.repeat(400)}"},` +
        `"owners":{"type":"array","items":{"type":"relationship","reverseRelationship":true,"reversePropertyName":"peers","resourceCollection":[{"path":"managed/${a}","label":"A","query":{"queryFilter":"true","fields":["name"]}}]}}}}}`,
    ].join(',\n');
    objects.push(pair);
    size += pair.length + 2;
    i++;
  }
  return { text: `{"objects":[\n${objects.join(',\n')}\n]}\n`, types: 2 * i };
}

function smallConfig(): string {
  return JSON.stringify({ objects: [
    { name: 'user', schema: { properties: { name: { type: 'string' }, devices: { type: 'array', items: { type: 'relationship', reverseRelationship: true, reversePropertyName: 'owner', resourceCollection: [{ path: 'managed/device', query: { queryFilter: 'true', fields: ['name'] } }] } } } } },
    { name: 'device', schema: { properties: { name: { type: 'string' } } } },
  ] }, null, 2);
}

/** Sends a status request every `intervalMs` until `done` resolves; returns the slowest answer's latency. */
async function slowestAnswerWhile(client: LspClient, uri: string, done: Promise<unknown>, intervalMs = 50): Promise<{ slowest: number; answered: number }> {
  let finished = false;
  void done.then(() => (finished = true), () => (finished = true));
  let slowest = 0;
  let answered = 0;
  while (!finished) {
    const sent = performance.now();
    await client.request('idmRelationships/status', { uri });
    slowest = Math.max(slowest, performance.now() - sent);
    answered++;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return { slowest, answered };
}

test('a 50 MB config: checked on open and on save but not on change, listed as large, memory bounded', { timeout: 10 * 60_000 }, async () => {
  await withServer(async (client, root) => {
    const smallUri = pathToFileURL(path.join(root, 'small', 'managed.json')).href;
    const bigUri = pathToFileURL(path.join(root, 'big', 'managed.json')).href;
    client.open(smallUri, smallConfig());
    await client.waitForDiagnostics(smallUri, (d) => d.length === 1);

    const { text, types } = bigConfig(50 * MB);
    assert.ok(text.length >= 50 * MB);
    const checkedAfterOpen = client.waitFor('idmRelationships/checked', (p) => p.uris.includes(bigUri), 5 * 60_000);
    client.open(bigUri, text);
    await checkedAfterOpen;

    const status = await client.request('idmRelationships/status', { uri: bigUri });
    assert.deepEqual(status.largeFiles, [bigUri]);
    assert.equal(status.objectTypes, types);
    assert.deepEqual(client.diagnostics.get(bigUri) ?? [], [], 'the generated pairs are all correct');

    // Break a pair at the end of the file: not checked on change...
    const { line: start, character } = lastPeersName(text);
    let checksOfBig = 0;
    client.on('idmRelationships/checked', (p) => p.uris.includes(bigUri) && checksOfBig++);
    client.notify('textDocument/didChange', {
      textDocument: { uri: bigUri, version: 2 },
      contentChanges: [{ range: { start: { line: start, character }, end: { line: start, character: character + 'peers'.length } }, text: 'pears' }],
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(checksOfBig, 0, 'a change to a large file does not check it');
    assert.deepEqual(client.diagnostics.get(bigUri) ?? [], []);
    // ...but on save. The server publishes the diagnostics before it says the file was checked: wait for both.
    const checkedAfterSave = client.waitFor('idmRelationships/checked', (p) => p.uris.includes(bigUri), 5 * 60_000);
    client.notify('textDocument/didSave', { textDocument: { uri: bigUri } });
    const diagnostics = await client.waitForDiagnostics(bigUri, (d) => d.length > 0, 5 * 60_000);
    await checkedAfterSave;
    assert.equal(checksOfBig, 1);
    assert.ok(diagnostics.some((d) => d.code === 'reverse-property-missing' || d.code === 'reverse-name-mismatch' || d.code === 'pair-wrong-reverse-name'), JSON.stringify(diagnostics.map((d) => d.code)));

    const memory = client.pid ? memoryOf(client.pid) : undefined;
    if (memory) {
      assert.ok(memory.peak < 1.5 * 1024 * MB, `the server's peak memory was ${(memory.peak / MB).toFixed(0)} MB`);
      assert.ok(memory.rss < 1.5 * 1024 * MB, `the server holds ${(memory.rss / MB).toFixed(0)} MB`);
    }
    // Closing it drops it from the large files.
    client.close(bigUri);
    await client.waitForDiagnostics(bigUri, (d) => d.length === 0);
    assert.deepEqual((await client.request('idmRelationships/status', {})).largeFiles, []);
    assert.ok(!client.exited);
  });
});

/**
 * A large file's text is kept and checked in a worker thread (server/src/lsp/largeDocumentHost.ts; over stdio its
 * `didOpen` is not decoded by the JSON-RPC layer, server/src/lsp/largeMessages.ts) and a request about another
 * document reads only that document's configuration, so requests about other documents wait at most for what the
 * server's thread still does with the 50 MB message: reading it off the pipe and moving its bytes to the worker.
 * Measured with status requests every 50 ms: before the worker, 3.3-5.9 s on a busy 2-core machine (each answer
 * waited for the parse and check there); with it, 251 ms at load average 2.1 and 551 ms at 8.0 while the server still
 * decoded the text (`npm run bench:lsp` prints the slowest hover against the 100 ms target).
 *
 * The bound is not 100 ms: on this machine reading 50 MB off a pipe alone takes 0.1-0.16 s, and a timed test must not flake
 * on a loaded machine. It is the larger of 1.5 s (2.7x the slowest answer measured, at load 8; below the 2.7 s the
 * old code took at load 0.6) and the worker's own parse and check of the file, timed in the same run, which slows down
 * with the machine as the answers do: the old code's answers each waited for at least that parse and check.
 */
test('a 50 MB config being opened does not hold up requests about other documents', { timeout: 10 * 60_000 }, async (t) => {
  await withServer(async (client, root) => {
    const smallUri = pathToFileURL(path.join(root, 'small', 'managed.json')).href;
    const bigUri = pathToFileURL(path.join(root, 'big', 'managed.json')).href;
    client.open(smallUri, smallConfig());
    await client.waitForDiagnostics(smallUri, (d) => d.length === 1);
    const checked = client.waitFor('idmRelationships/checked', (p) => p.uris.includes(bigUri), 5 * 60_000);
    client.open(bigUri, bigConfig(50 * MB).text);
    const whileOpening = await slowestAnswerWhile(client, smallUri, checked);
    const { durationMs } = await checked;
    const bound = Math.max(1500, durationMs);
    t.diagnostic(`slowest status answer ${whileOpening.slowest.toFixed(0)} ms of ${whileOpening.answered}; bound ${bound.toFixed(0)} ms; load average ${os.loadavg()[0].toFixed(1)}`);
    assert.ok(whileOpening.answered > 1 && whileOpening.slowest < bound,
      `a status request about another document waited ${whileOpening.slowest.toFixed(0)} ms (bound ${bound.toFixed(0)} ms) while the 50 MB file was read and checked (${whileOpening.answered} answered; the check itself: ${durationMs.toFixed(0)} ms)`);
  });
});

/**
 * Each change and save of a 50 MB config leaves a new document text and a new parse behind. With the first parser
 * (an object per value) four rounds reached a 2.8 GB peak; the tape parser brought that to 819-882 MB, and the
 * large-document host with a leaner tape and model to 448-454 MB (2026-12-04; issue 20 asks under 500 MB, which
 * `npm run bench:lsp` prints). The bound leaves room for a slower or busier machine, where V8 collects later, and
 * still fails if a round's text or model is kept (each is 50-200 MB).
 */
test('repeated edits and saves of a 50 MB config keep the server under 700 MB', { timeout: 10 * 60_000 }, async (t) => {
  await withServer(async (client, root) => {
    const bigUri = pathToFileURL(path.join(root, 'big', 'managed.json')).href;
    const { text } = bigConfig(50 * MB);
    const opened = client.waitFor('idmRelationships/checked', (p) => p.uris.includes(bigUri), 5 * 60_000);
    client.open(bigUri, text);
    await opened;
    const { line, character } = lastPeersName(text);
    let peak = 0;
    for (let round = 2; round < 6; round++) {
      client.notify('textDocument/didChange', { textDocument: { uri: bigUri, version: round }, contentChanges: [{ range: { start: { line, character }, end: { line, character: character + 5 } }, text: round % 2 ? 'peers' : 'pears' }] });
      const saved = client.waitFor('idmRelationships/checked', (p) => p.uris.includes(bigUri), 5 * 60_000);
      client.notify('textDocument/didSave', { textDocument: { uri: bigUri } });
      await saved;
      peak = Math.max(peak, (client.pid ? memoryOf(client.pid)?.peak : 0) ?? 0);
    }
    t.diagnostic(`peak ${(peak / MB).toFixed(0)} MB`);
    assert.ok(peak < 700 * MB, `the server's peak memory reached ${(peak / MB).toFixed(0)} MB over four saves`);
  });
});

/** Waits until a window/logMessage of type Error (1) containing `text` arrives. */
function errorLogged(client: LspClient, text: string): Promise<any> {
  return client.waitFor('window/logMessage', (p) => p.type === 1 && String(p.message).includes(text), 10_000);
}

test('requests that make handlers fail are logged and answered; the server lives on', { timeout: 2 * 60_000 }, async () => {
  await withServer(async (client, root) => {
    const uri = pathToFileURL(path.join(root, 'conf', 'managed.json')).href;
    const text = smallConfig();
    client.open(uri, text);
    const [diagnostic] = await client.waitForDiagnostics(uri, (d) => d.length === 1);
    const range = diagnostic.range;

    // A code action whose diagnostics list holds something that is not a diagnostic: the handler throws inside
    // `safely`, which logs the stack and answers an empty list.
    const logged = errorLogged(client, 'idm-relationships:');
    assert.deepEqual(await client.request('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [null] } }), []);
    assert.match((await logged).message, /TypeError/);

    // Malformed `data` of every shape: no fix, no crash.
    const malformed: unknown[] = [
      null, 42, 'reverse-property-missing', [], {}, { code: '__proto__' }, { code: 'constructor' }, { code: 'toString' },
      { code: 'reverse-property-missing', origin: 42, target: [], reverseName: {} },
      { code: 'reverse-property-missing', origin: { uri: 42, object: null, property: [] }, target: { uri }, reverseName: 'x' },
      { code: 'query-field-unknown', origin: { uri, object: 'user', property: 'devices' }, entryIndex: 1e9, field: {} },
      { code: 'notify-relationships-unknown', origin: { uri, object: 'user', property: 'devices' }, entryIndex: -1 },
      { code: 'resource-collection-unknown', origin: { uri, object: 'user', property: 'devices' }, entryIndex: 0, suggestions: [null, 1, '\uD800', '../x'] },
      { ...diagnostic.data, origin: { ...diagnostic.data.origin, uri: 'file:///nowhere.json' } },
    ];
    for (const data of malformed) {
      const actions = await client.request('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [{ ...diagnostic, data }] } });
      assert.ok(Array.isArray(actions), `data ${JSON.stringify(data)}: answered ${JSON.stringify(actions)}`);
      for (const action of actions) {
        // Whatever is offered edits only the documents the server knows.
        for (const editedUri of Object.keys(action.edit?.changes ?? {})) assert.equal(editedUri, uri);
      }
    }

    // Feature requests about documents that do not exist, at positions that do not exist, or with missing params.
    const nowhere = { uri: 'file:///nowhere/managed.json' };
    const requests: Array<[string, unknown]> = [
      ['textDocument/hover', { textDocument: { uri }, position: { line: -1, character: 1e9 } }],
      ['textDocument/hover', { textDocument: nowhere, position: { line: 0, character: 0 } }],
      ['textDocument/completion', { textDocument: { uri }, position: { line: 1e6, character: -5 } }],
      ['textDocument/definition', { textDocument: { uri }, position: { line: 3, character: 1e9 } }],
      ['textDocument/references', { textDocument: { uri }, position: { line: 3, character: 4 } }],
      ['textDocument/prepareRename', { textDocument: nowhere, position: { line: 0, character: 0 } }],
      ['textDocument/rename', { textDocument: { uri }, position: { line: 3, character: 14 }, newName: '\uD800/"' }],
      ['textDocument/documentSymbol', { textDocument: nowhere }],
      ['textDocument/codeLens', {}],
      ['textDocument/hover', null],
      ['workspace/symbol', { query: null }],
      ['workspace/executeCommand', { command: 'idmRelationships.revealLocation', arguments: [42, { start: 'x' }] }],
      ['idmRelationships/graph', { uri: 42 }],
      ['idmRelationships/graph', null],
      ['idmRelationships/status', null],
    ];
    for (const [method, params] of requests) {
      // Answered with a result or an error, but answered.
      const outcome = await client.request(method, params).then((result) => ({ result }), (error: Error) => ({ error: error.message }));
      assert.ok(outcome, `${method} was answered`);
      assert.ok(!client.exited, `${method} ${JSON.stringify(params)} killed the server`);
    }

    // Notifications that make no sense: the server ignores them.
    client.notify('textDocument/didChange', { textDocument: { uri: nowhere.uri, version: 2 }, contentChanges: [{ text: '{' }] });
    client.notify('textDocument/didClose', { textDocument: nowhere });
    client.notify('textDocument/didSave', { textDocument: nowhere });
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: 'not a uri', type: 1 }, { uri: pathToFileURL(path.join(root, 'missing.json')).href, type: 3 }] });
    client.notify('idmRelationships/unknownNotification', { x: 1 });

    // Still alive and still checking.
    client.change(uri, text.replace('"owner"', '"keeper"'), 2);
    const after = await client.waitForDiagnostics(uri, (d) => d.some((x) => x.message.includes('keeper')));
    assert.equal(after[0].code, 'reverse-property-missing');
    assert.equal(typeof (await client.request('idmRelationships/status', { uri })).files, 'number');
    assert.ok(!client.exited);
  });
});
