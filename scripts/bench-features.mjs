#!/usr/bin/env node
// Benchmark of the editing features through the real server (`node dist/server.js --stdio`), the way an editor
// calls them: initialize, didOpen, wait for the first check, then timed completion / hover / definition requests at
// relationship positions (plus references, rename, symbols and code lens for information). Prints p50/p95 per
// request kind. Targets: completion, hover, definition p95 < 20 ms on the largest corpus file (~195 KB) and < 50 ms
// on a generated ~5 MB config. Exits 1 when a target is missed. Run `npm run build` first (or pass --build).
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import { createRequire } from 'module';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { parseTree, findNodeAtLocation } = require('jsonc-parser');

const server = path.join(root, 'dist', 'server.js');
if (process.argv.includes('--build') || !fs.existsSync(server)) {
  const build = spawnSync(process.execPath, [path.join(root, 'esbuild.mjs')], { stdio: 'inherit', cwd: root });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 150);
const corpusFile = path.join(root, 'test/fixtures/corpus/rockcarver_frodo-cli/test/e2e/exports/all/all.managed.json');

/** A managed.json of about `bytes`: renamed copies of the AIC template's objects, so pairs stay consistent. */
function generateConfig(bytes) {
  const template = JSON.parse(fs.readFileSync(path.join(root, 'test/fixtures/corpus/rockcarver_frodo-lib/src/ops/templates/cloud/managed.json'), 'utf8'));
  const objects = [];
  let size = 0;
  for (let copy = 0; size < bytes; copy++) {
    const text = JSON.stringify(template.objects).replace(/managed\/(\w+)/g, `managed/c${copy}_$1`).replace(/"name":"(\w+)"/g, (m, name) => `"name":"c${copy}_${name}"`);
    objects.push(...JSON.parse(text));
    size += text.length * 1.6;
  }
  return JSON.stringify({ objects }, null, 2);
}

// ------------------------------------------------------------------------------------------- a minimal LSP client

class Client {
  constructor() {
    this.child = spawn(process.execPath, [server, '--stdio'], { stdio: 'pipe' });
    this.buffer = Buffer.alloc(0);
    this.nextId = 1;
    this.pending = new Map();
    this.listeners = [];
    this.child.stdout.on('data', (chunk) => this.receive(chunk));
    this.child.stderr.on('data', (chunk) => process.stderr.write(chunk));
  }

  send(message) {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  request(method, params) {
    const id = this.nextId++;
    this.send({ jsonrpc: '2.0', id, method, params });
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  notify(method, params) {
    this.send({ jsonrpc: '2.0', method, params });
  }

  waitFor(method, predicate) {
    return new Promise((resolve) => this.listeners.push({ method, predicate, resolve }));
  }

  receive(chunk) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8'));
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      if (message.id !== undefined && message.method === undefined) {
        const pending = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.error) pending.reject(new Error(message.error.message));
        else pending.resolve(message.result);
      } else if (message.id !== undefined) {
        this.send({ jsonrpc: '2.0', id: message.id, result: null });
      } else {
        this.listeners = this.listeners.filter((l) => {
          if (l.method !== message.method || !l.predicate(message.params)) return true;
          l.resolve(message.params);
          return false;
        });
      }
    }
  }

  async close() {
    await this.request('shutdown', null).catch(() => undefined);
    this.notify('exit', null);
    setTimeout(() => this.child.kill(), 200).unref();
  }
}

// ------------------------------------------------------------------------------------------- positions to ask at

function positionsIn(text) {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const position = (offset) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: offset - lineStarts[low] };
  };
  const tree = parseTree(text);
  const objects = findNodeAtLocation(tree, ['objects']) ?? findNodeAtLocation(tree, ['idm', 'managed', 'objects']);
  const relationshipKeys = [];
  const nodeKeys = [];
  for (const object of objects?.children ?? []) {
    const properties = findNodeAtLocation(object, ['schema', 'properties']);
    for (const property of properties?.children ?? []) {
      const [key, value] = property.children;
      const type = findNodeAtLocation(value, ['type'])?.value;
      const node = type === 'relationship' ? value : type === 'array' && findNodeAtLocation(value, ['items', 'type'])?.value === 'relationship' ? findNodeAtLocation(value, ['items']) : undefined;
      if (!node) continue;
      relationshipKeys.push(key.offset + 1);
      // Just inside the quote of the node's first key: completing a key inside a relationship node.
      if (node.children?.[0]) nodeKeys.push(node.children[0].children[0].offset + 1);
    }
  }
  const inside = (regex) => [...text.matchAll(regex)].map((m) => m.index + m[0].length);
  const reverseNames = inside(/"reversePropertyName"\s*:\s*"/g);
  const paths = inside(/"path"\s*:\s*"managed\//g);
  const notifyEntries = inside(/"notifyRelationships"\s*:\s*\[\s*"/g);
  return { position, relationshipKeys, nodeKeys, reverseNames, paths, notifyEntries };
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Time of one request; an error answer (a refused rename) counts as an answer. */
async function timed(client, method, params) {
  const start = performance.now();
  await client.request(method, params).catch(() => undefined);
  return performance.now() - start;
}

async function benchFile(name, text, limit) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idm-rel-bench-features-'));
  const file = path.join(dir, 'conf', 'managed.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  const client = new Client();
  try {
    await client.request('initialize', {
      processId: process.pid, rootUri: null, workspaceFolders: null, capabilities: {},
      initializationOptions: { settings: { maxFileSize: 50 * 1024 * 1024, validationDelay: 0 } },
    });
    client.notify('initialized', {});
    const checked = client.waitFor('idmRelationships/checked', (p) => p.uris.includes(uri));
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'json', version: 1, text } });
    await checked;

    const at = positionsIn(text);
    const pick = (offsets, n) => Array.from({ length: n }, (_, i) => offsets[(i * 7919) % offsets.length]).filter((o) => o !== undefined);
    const doc = { textDocument: { uri } };
    const kinds = [
      ['completion', [...pick(at.reverseNames, SAMPLES / 3), ...pick(at.paths, SAMPLES / 3), ...pick(at.nodeKeys, SAMPLES / 3)], 'textDocument/completion', true],
      ['hover', [...pick(at.relationshipKeys, SAMPLES / 2), ...pick(at.paths, SAMPLES / 2)], 'textDocument/hover', true],
      ['definition', [...pick(at.reverseNames, SAMPLES / 3), ...pick(at.paths, SAMPLES / 3), ...pick(at.notifyEntries, SAMPLES / 3)], 'textDocument/definition', true],
      ['references', pick(at.relationshipKeys, 20), 'textDocument/references', false],
      ['prepareRename+rename', pick(at.relationshipKeys, 10), 'rename', false],
      ['documentSymbol', [0, 0, 0, 0, 0], 'textDocument/documentSymbol', false],
      ['codeLens', [0, 0, 0, 0, 0], 'textDocument/codeLens', false],
    ];
    const rows = [];
    let failed = false;
    for (const [kind, offsets, method, target] of kinds) {
      const samples = [];
      for (const offset of offsets) {
        const position = at.position(offset);
        if (method === 'rename') {
          const start = performance.now();
          await client.request('textDocument/prepareRename', { ...doc, position }).catch(() => undefined);
          await client.request('textDocument/rename', { ...doc, position, newName: 'renamedForBench' }).catch(() => undefined);
          samples.push(performance.now() - start);
        } else if (method === 'textDocument/references') {
          samples.push(await timed(client, method, { ...doc, position, context: { includeDeclaration: true } }));
        } else if (method === 'textDocument/documentSymbol' || method === 'textDocument/codeLens') {
          samples.push(await timed(client, method, doc));
        } else {
          samples.push(await timed(client, method, { ...doc, position }));
        }
      }
      if (!samples.length) continue;
      const p95 = percentile(samples, 95);
      const missed = target && p95 >= limit;
      failed ||= missed;
      rows.push([kind, samples.length, percentile(samples, 50), p95, target ? (missed ? `MISSED (< ${limit} ms)` : `ok (< ${limit} ms)`) : '']);
    }
    console.log(`\n${name} (${Math.round(text.length / 1024)} KB)`);
    console.log('request'.padEnd(24), 'n'.padStart(4), 'p50 ms'.padStart(8), 'p95 ms'.padStart(8), ' target');
    for (const [kind, n, p50, p95, verdict] of rows) console.log(kind.padEnd(24), String(n).padStart(4), p50.toFixed(2).padStart(8), p95.toFixed(2).padStart(8), '', verdict);
    return failed;
  } finally {
    await client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const missedCorpus = await benchFile(path.relative(root, corpusFile), fs.readFileSync(corpusFile, 'utf8'), 20);
const missedGenerated = await benchFile('generated ~5 MB managed.json', generateConfig(5_000_000), 50);
process.exit(missedCorpus || missedGenerated ? 1 : 0);
