#!/usr/bin/env node
// Benchmark of diagnostics over LSP (`npm run bench`). Not a test: it starts `node dist/server.js --stdio`, speaks to it
// the way an editor does, and times from sending a notification to receiving the diagnostics it causes. The baseline is
// jsonc-parser's bare scanner pass over the same text, timed in this process in the same run.
//
// 1. A generated 4.4 MB managed.json with one broken reverse name in the middle:
//    open -> diagnostics (target <= 2x the scanner pass) and edit -> diagnostics, every edit renaming that reverse name
//    (target <= 1x the scanner pass); median and p95.
// 2. A generated 50 MB managed.json: open -> diagnostics, edit + save -> diagnostics, the hover, completion and
//    diagnostics about another (small) document while the big one is read and checked (target < 100 ms; the first
//    round, queued behind the 50 MB didOpen, apart, beside that message's own time through the pipe), the server's
//    peak memory (target < 500 MB) and the size of the big file's documentSymbol and codeLens answers.
//
// Usage: node scripts/bench-lsp.mjs [--quick] [--no-huge | --huge-only] [--memory-trace]   (--quick: fewer repeats; --no-huge: the 4.4 MB part
//   only; --huge-only: the 50 MB part only; --memory-trace: the server's memory every 25 ms through the 50 MB part)
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { createScanner } = require('jsonc-parser');
const quick = process.argv.includes('--quick');
const MB = 1024 * 1024;

// ---- a minimal LSP client over stdio -------------------------------------------------------------------------------
class Client {
  constructor(settings) {
    // LSP_SERVER_NODE_ARGS: Node flags for the server only (--cpu-prof, to see where the time goes).
    const nodeArgs = (process.env.LSP_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
    this.child = spawn(process.execPath, [...nodeArgs, path.join(root, 'dist', 'server.js'), '--stdio'], { stdio: 'pipe' });
    this.buffer = Buffer.alloc(0);
    this.nextId = 1;
    this.pending = new Map();
    this.listeners = new Set();
    this.settings = settings;
    this.child.stdout.on('data', (chunk) => this.receive(chunk));
    this.child.stderr.on('data', () => undefined);
  }
  send(message) {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }
  request(method, params) {
    const id = this.nextId++;
    const sent = performance.now();
    this.send({ jsonrpc: '2.0', id, method, params });
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject, sent }));
  }
  notify(method, params) {
    this.send({ jsonrpc: '2.0', method, params });
  }
  /** Resolves with [params, receivedAt] for the first notification `method` that `accept` takes. */
  waitFor(method, accept = () => true) {
    return new Promise((resolve) => {
      const listener = (message, at) => {
        if (message.method !== method || !accept(message.params)) return;
        this.listeners.delete(listener);
        resolve([message.params, at]);
      };
      this.listeners.add(listener);
    });
  }
  receive(chunk) {
    const at = performance.now();
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const raw = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length);
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      const message = JSON.parse(raw.toString('utf8'));
      if (message.id !== undefined && message.method === undefined) {
        const pending = this.pending.get(message.id);
        this.pending.delete(message.id);
        pending?.resolve({ result: message.result, ms: at - pending.sent, bytes: length });
      } else if (message.id !== undefined) {
        const result = message.method === 'workspace/configuration' ? message.params.items.map(() => this.settings) : null;
        this.send({ jsonrpc: '2.0', id: message.id, result });
      } else {
        for (const listener of [...this.listeners]) listener(message, at);
      }
    }
  }
  async initialize(folderUri) {
    await this.request('initialize', {
      processId: process.pid,
      rootUri: folderUri,
      workspaceFolders: [{ uri: folderUri, name: 'bench' }],
      capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true } } },
    });
    this.notify('initialized', {});
  }
  /** With --memory-trace: the server's resident memory every 25 ms, and where each phase started, printed at the end. */
  traceMemory() {
    if (!process.argv.includes('--memory-trace')) return;
    this.trace = [];
    const started = performance.now();
    this.traceTimer = setInterval(() => {
      try {
        const rss = Number(/^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${this.child.pid}/status`, 'utf8'))[1]) / 1024;
        this.trace.push(`${(performance.now() - started).toFixed(0)}ms ${rss.toFixed(0)}MB`);
      } catch {}
    }, 25);
  }
  mark(label) {
    this.trace?.push(`--- ${label}`);
  }
  peakMemory() {
    try {
      const status = fs.readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      return Number(/^VmHWM:\s+(\d+) kB/m.exec(status)[1]) * 1024;
    } catch {
      return NaN;
    }
  }
  async stop() {
    if (this.trace) {
      clearInterval(this.traceTimer);
      console.log(this.trace.join('\n'));
    }
    await Promise.race([this.request('shutdown', null), new Promise((r) => setTimeout(r, 2000))]);
    this.notify('exit', null);
    setTimeout(() => this.child.kill(), 500).unref();
  }
}

// ---- inputs ----------------------------------------------------------------------------------------------------------
const corpusDir = path.join(root, 'test/fixtures/corpus');

/**
 * A pretty-printed managed.json of about `bytes`, made of renamed copies of the AIC template's objects (its pairs stay
 * consistent), with the reverse name of one relationship in the middle copy renamed to BROKEN0 (a broken pair).
 */
function generatedConfig(bytes) {
  const template = JSON.parse(fs.readFileSync(path.join(corpusDir, 'rockcarver_frodo-lib/src/ops/templates/cloud/managed.json'), 'utf8'));
  const copies = [];
  const perCopy = JSON.stringify({ objects: template.objects }, null, 2).length;
  for (let copy = 0; copy < Math.round(bytes / perCopy); copy++) {
    const text = JSON.stringify(template.objects).replace(/managed\/(\w+)/g, `managed/c${copy}_$1`).replace(/"name":"(\w+)"/g, (m, name) => `"name":"c${copy}_${name}"`);
    copies.push(JSON.parse(text));
  }
  const middle = copies[Math.floor(copies.length / 2)];
  let broken = false;
  for (const object of middle) {
    for (const property of Object.values(object.schema?.properties ?? {})) {
      const relationship = property.type === 'relationship' ? property : property.items?.type === 'relationship' ? property.items : undefined;
      if (!broken && relationship?.reverseRelationship && relationship.reversePropertyName) {
        relationship.reversePropertyName = 'BROKEN0';
        broken = true;
      }
    }
  }
  if (!broken) throw new Error('no bidirectional relationship to break');
  return JSON.stringify({ objects: copies.flat() }, null, 2);
}

/** A managed.json of about `bytes`: pairs of types pointing at each other, one broken reverse name near the end. */
function hugeConfig(bytes) {
  const objects = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const pair = [
      `{"name":"type${i}a","schema":{"order":["name","peers"],"properties":{"name":{"type":"string","description":"${'d'.repeat(400)}"},` +
        `"peers":{"type":"array","items":{"type":"relationship","reverseRelationship":true,"reversePropertyName":"owners","resourceCollection":[{"path":"managed/type${i}b","label":"B","query":{"queryFilter":"true","fields":["name"]}}]}}}}}`,
      `{"name":"type${i}b","schema":{"order":["name","owners"],"properties":{"name":{"type":"string","description":"${'d'.repeat(400)}"},` +
        `"owners":{"type":"array","items":{"type":"relationship","reverseRelationship":true,"reversePropertyName":"peers","resourceCollection":[{"path":"managed/type${i}a","label":"A","query":{"queryFilter":"true","fields":["name"]}}]}}}}}`,
    ].join(',\n');
    objects.push(pair);
    size += pair.length + 2;
  }
  return `{"objects":[\n${objects.join(',\n')}\n]}\n`;
}

const SMALL = JSON.stringify({ objects: [
  { name: 'user', schema: { properties: { name: { type: 'string' }, devices: { type: 'array', items: { type: 'relationship', reverseRelationship: true, reversePropertyName: 'owner', resourceCollection: [{ path: 'managed/device', query: { queryFilter: 'true', fields: ['name'] } }] } } } } },
  { name: 'device', schema: { properties: { name: { type: 'string' } } } },
] }, null, 2);

function positionAt(text, offset) {
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, character: offset - lineStart };
}

// ---- statistics ------------------------------------------------------------------------------------------------------
const sorted = (values) => [...values].sort((a, b) => a - b);
const median = (values) => sorted(values)[Math.floor(values.length / 2)];
const p95 = (values) => sorted(values)[Math.min(values.length - 1, Math.ceil(values.length * 0.95) - 1)];
const ms = (value) => `${value.toFixed(1)} ms`;

function scannerPass(text) {
  const scanner = createScanner(text, true);
  let tokens = 0;
  while (scanner.scan() !== 17 /* EOF */) tokens++;
  return tokens;
}

function timeScanner(text, repeats) {
  scannerPass(text);
  const samples = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    scannerPass(text);
    samples.push(performance.now() - start);
  }
  return median(samples);
}

const pause = (msec) => new Promise((resolve) => setTimeout(resolve, msec));

// ---- 1. the 4.4 MB config ------------------------------------------------------------------------------------------
async function benchGenerated() {
  const text = generatedConfig(4.4e6);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'idm-rel-bench-lsp-'));
  // Not on disk: closing the document drops it, so each open is a first open.
  const uri = pathToFileURL(path.join(folder, 'conf', 'managed.json')).href;
  const client = new Client({ validationDelay: 0 });
  await client.initialize(pathToFileURL(folder).href);
  const brokenAt = text.indexOf('"BROKEN0"') + 1;
  const start = positionAt(text, brokenAt);
  const hasBroken = (name) => (params) => params.uri === uri && params.diagnostics.some((d) => d.message.includes(`\`${name}\``));

  // The baseline is timed between the measured events as well as after them: on a machine shared with others, the load
  // changes within a run, and a baseline timed only at its end compares with another moment's load.
  const scans = [];
  const timeOneScan = () => {
    const start = performance.now();
    scannerPass(text);
    scans.push(performance.now() - start);
  };
  scannerPass(text);
  const opens = [];
  const openRepeats = quick ? 5 : 11;
  for (let i = 0; i < openRepeats + 1; i++) {
    if (i > 0) timeOneScan();
    const published = client.waitFor('textDocument/publishDiagnostics', hasBroken('BROKEN0'));
    const sent = performance.now();
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'json', version: 1, text } });
    const [, at] = await published;
    if (i > 0) opens.push(at - sent); // the first open warms the server up
    const cleared = client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && p.diagnostics.length === 0);
    client.notify('textDocument/didClose', { textDocument: { uri } });
    await cleared;
  }

  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'json', version: 1, text } });
  await client.waitFor('textDocument/publishDiagnostics', hasBroken('BROKEN0'));
  const edits = [];
  const editRepeats = quick ? 15 : 41;
  let name = 'BROKEN0';
  for (let version = 2; version < editRepeats + 3; version++) {
    const next = `BROKEN${version}`;
    if (version > 3) timeOneScan();
    const published = client.waitFor('textDocument/publishDiagnostics', hasBroken(next));
    const sent = performance.now();
    client.notify('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range: { start, end: { line: start.line, character: start.character + name.length } }, text: next }],
    });
    const [, at] = await published;
    if (version > 3) edits.push(at - sent); // two warm-up edits
    name = next;
    await pause(20); // as typing does: the edits come one at a time
  }
  await client.stop();
  fs.rmSync(folder, { recursive: true, force: true });

  for (let i = 0; i < (quick ? 9 : 21); i++) timeOneScan();
  return { bytes: Buffer.byteLength(text), scan: median(scans), scanCount: scans.length, opens, edits };
}

// ---- 2. the 50 MB config -------------------------------------------------------------------------------------------
/**
 * The floor under the first answer after the 50 MB didOpen: the time for that message to cross the pipe to a bare Node
 * process that reads its stdin and does nothing else (median of three), measured as the probe's first request is:
 * from after the message is written to an answer sent once the last byte is in. No server can answer a request that
 * follows the message before it has read the message.
 */
async function pipeFloor(message) {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  const header = Buffer.from(`Content-Length: ${body.length}\r\n\r\n`);
  const samples = [];
  for (let i = 0; i < 3; i++) {
    const reader = spawn(process.execPath, ['-e', `
      let left = Number(process.argv[1]);
      process.stdout.write('r');
      process.stdin.on('data', (chunk) => { left -= chunk.length; if (left <= 0) { process.stdout.write('d'); process.exit(0); } });
    `, String(header.length + body.length)], { stdio: 'pipe' });
    await new Promise((resolve) => reader.stdout.once('data', resolve));
    reader.stdin.write(header);
    reader.stdin.write(body);
    const sent = performance.now();
    await new Promise((resolve) => reader.stdout.once('data', resolve));
    samples.push(performance.now() - sent);
  }
  return median(samples);
}

/**
 * Hover, completion and diagnostics about the small document, one round after another, until `done` settles. The first
 * round's requests are queued behind the large message in the pipe, the others are not: each is reported apart.
 */
async function probeWhile(client, smallUri, smallText, done) {
  let finished = false;
  void done.then(() => (finished = true), () => (finished = true));
  const rounds = [];
  const at = positionAt(smallText, smallText.indexOf('"owner"') + 2);
  let version = 100;
  while (!finished) {
    const hover = await client.request('textDocument/hover', { textDocument: { uri: smallUri }, position: at });
    const completion = await client.request('textDocument/completion', { textDocument: { uri: smallUri }, position: at });
    // An edit of the small document (it toggles a space at its end) and the diagnostics it brings.
    version++;
    const published = client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === smallUri);
    const sent = performance.now();
    client.notify('textDocument/didChange', { textDocument: { uri: smallUri, version }, contentChanges: [{ text: version % 2 ? smallText + ' ' : smallText }] });
    const [, received] = await published;
    rounds.push({ hover: hover.ms, completion: completion.ms, diagnostics: received - sent });
    await pause(20);
  }
  const slowest = (list) => Object.fromEntries(['hover', 'completion', 'diagnostics'].map((key) => [key, Math.max(0, ...list.map((round) => round[key]))]));
  return { first: rounds[0], afterFirst: slowest(rounds.slice(1)), all: slowest(rounds), rounds: rounds.length };
}

async function benchHuge() {
  const text = hugeConfig(50 * MB);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'idm-rel-bench-huge-'));
  const smallUri = pathToFileURL(path.join(folder, 'small', 'managed.json')).href;
  const bigUri = pathToFileURL(path.join(folder, 'big', 'managed.json')).href;
  const client = new Client({ validationDelay: 0 });
  await client.initialize(pathToFileURL(folder).href);
  client.notify('textDocument/didOpen', { textDocument: { uri: smallUri, languageId: 'json', version: 1, text: SMALL } });
  await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === smallUri && p.diagnostics.length === 1);

  const checked = (uri) => client.waitFor('idmRelationships/checked', (p) => p.uris.includes(uri));
  client.traceMemory();
  client.mark('open');
  let sent = performance.now();
  const opened = checked(bigUri);
  client.notify('textDocument/didOpen', { textDocument: { uri: bigUri, languageId: 'json', version: 1, text } });
  const duringOpen = await probeWhile(client, smallUri, SMALL, opened);
  const openMs = (await opened)[1] - sent;

  client.mark('checked');
  const symbols = await client.request('textDocument/documentSymbol', { textDocument: { uri: bigUri } });
  const lenses = await client.request('textDocument/codeLens', { textDocument: { uri: bigUri } });

  // Typing: five edits, each followed by the outline and lenses requests an editor sends after a change. Then break the
  // last pair, and save: a large file is checked on save.
  const offset = text.lastIndexOf('"reversePropertyName":"peers"') + '"reversePropertyName":"'.length;
  const start = positionAt(text, offset);
  const typing = { symbols: 0, lenses: 0 };
  for (let version = 2; version < 7; version++) {
    client.notify('textDocument/didChange', { textDocument: { uri: bigUri, version }, contentChanges: [{ range: { start, end: { line: start.line, character: start.character + 5 } }, text: version % 2 ? 'peers' : 'pears' }] });
    typing.symbols = Math.max(typing.symbols, (await client.request('textDocument/documentSymbol', { textDocument: { uri: bigUri } })).ms);
    typing.lenses = Math.max(typing.lenses, (await client.request('textDocument/codeLens', { textDocument: { uri: bigUri } })).ms);
  }
  const typingPeak = client.peakMemory();
  client.mark('save');
  const saved = client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === bigUri && p.diagnostics.length > 0);
  sent = performance.now();
  client.notify('textDocument/didSave', { textDocument: { uri: bigUri } });
  const duringSave = await probeWhile(client, smallUri, SMALL, saved);
  const saveMs = (await saved)[1] - sent;
  const peak = client.peakMemory();
  await client.stop();
  fs.rmSync(folder, { recursive: true, force: true });
  const floor = await pipeFloor({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: bigUri, languageId: 'json', version: 1, text } } });
  return { bytes: Buffer.byteLength(text), floor, openMs, saveMs, duringOpen, duringSave, peak, typing, typingPeak, symbolBytes: symbols.bytes, lensBytes: lenses.bytes, symbolMs: symbols.ms, lensMs: lenses.ms };
}

// ---- report ----------------------------------------------------------------------------------------------------------
console.log(`Diagnostics over LSP (node ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, load average ${os.loadavg()[0].toFixed(1)})`);
if (!process.argv.includes('--huge-only')) {
  const generated = await benchGenerated();
  const { scan } = generated;
  console.log(`\nGenerated managed.json, ${(generated.bytes / MB).toFixed(1)} MB; jsonc-parser scanner pass over it: ${ms(scan)} (median of ${generated.scanCount}, timed between the events and after them)`);
  /** A median against its target in multiples of the scanner pass, with whether it is met. */
  function againstScan(label, samples, target) {
    const ratio = median(samples) / scan;
    console.log(`  ${label}   median ${ms(median(samples))} (${ratio.toFixed(2)}x scan), p95 ${ms(p95(samples))} (${(p95(samples) / scan).toFixed(2)}x); ` +
      `target <= ${target}x: ${ratio <= target ? 'met' : 'NOT MET'}`);
  }
  againstScan('open -> diagnostics', generated.opens, 2);
  againstScan('edit -> diagnostics', generated.edits, 1);
  console.log(`  (load average after: ${os.loadavg()[0].toFixed(1)}; the ratios are to the scanner pass of the same run)`);
}

if (!process.argv.includes('--no-huge')) {
  const huge = await benchHuge();
  console.log(`\nGenerated managed.json, ${(huge.bytes / MB).toFixed(1)} MB (checked on open and on save only)`);
  console.log(`  open -> checked ${ms(huge.openMs)}; edit + save -> diagnostics ${ms(huge.saveMs)}`);
  const answers = (probe) => `hover ${ms(probe.hover)}, completion ${ms(probe.completion)}, diagnostics ${ms(probe.diagnostics)}`;
  const open = huge.duringOpen;
  console.log(`  answers about another document while it opens, the first round (sent behind the didOpen): ${answers(open.first)}`);
  console.log(`    that didOpen crossing the pipe to a bare reader (nothing can answer a request behind it sooner): ${ms(huge.floor)}, median of 3`);
  console.log(`  slowest answer about another document while it opens, after that: ${answers(open.afterFirst)} (${open.rounds - 1} rounds after the first); target < 100 ms`);
  console.log(`  slowest answer about another document while it is saved: ${answers(huge.duringSave.all)} (${huge.duringSave.rounds} rounds); target < 100 ms`);
  console.log(`  documentSymbol ${(huge.symbolBytes / 1024).toFixed(0)} KB in ${ms(huge.symbolMs)}, codeLens ${(huge.lensBytes / 1024).toFixed(0)} KB in ${ms(huge.lensMs)}`);
  console.log(`  while typing (5 edits, each with documentSymbol and codeLens): slowest ${ms(huge.typing.symbols)} / ${ms(huge.typing.lenses)}; peak memory by then ${(huge.typingPeak / MB).toFixed(0)} MB`);
  console.log(`  server peak memory (VmHWM) ${(huge.peak / MB).toFixed(0)} MB; target < 500 MB`);
  console.log(`  load average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
}
