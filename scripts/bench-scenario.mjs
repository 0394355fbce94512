#!/usr/bin/env node
// The scenario benchmark: a 10,000-request scenario and a 1,000,000-user population, driven over LSP against
// `node dist/server.js --stdio` as the editor drives it. Prints the time of every request kind (Run all, Send,
// the graph of the current state, an earlier step drawn on demand, completion and code lenses on the scenario)
// and the server's peak memory (VmHWM from /proc), against the targets: every request under 1 s, the server
// under 1.5 GB. The baseline in the same run is a Send on an empty simulation.
//
// Usage: npm run bench:scenario   (builds dist/ and out/ first)
//        node scripts/bench-scenario.mjs [--requests 10000] [--users 1000000]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { LspClient } = require(path.join(root, 'out/test/protocol/lspClient.js'));

const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const REQUESTS = arg('requests', 10000);
const USERS = arg('users', 1000000);
const TARGET_MS = 1000;
const TARGET_MB = 1536;

/** A story of REQUESTS requests over the forgeops idm-only config: users with managers, roles and members, reads, moves and deletes. */
function scenarioText(count) {
  const lines = ['@config conf/managed.json', ''];
  let n = 0;
  const add = (name, request) => {
    if (n >= count) return;
    lines.push(`### ${name}`, ...request, '');
    n++;
  };
  const roles = 50;
  for (let r = 0; r < roles; r++) add(`role ${r}`, [`PUT managed/role/r${r}`, '', JSON.stringify({ name: `role ${r}` })]);
  for (let i = 0; n < count; i++) {
    const user = { userName: `u${i}`, givenName: 'G', sn: `S${i}`, mail: `u${i}@example.com` };
    if (i > 0) user.manager = { _ref: `managed/user/u${Math.floor(i / 10)}` };
    add(`user ${i}`, [`PUT managed/user/u${i}`, '', JSON.stringify(user)]);
    add(`u${i} joins a role`, [`POST managed/role/r${i % roles}/members`, '', JSON.stringify({ _ref: `managed/user/u${i}` })]);
    add(`u${i}'s reports`, [`GET managed/user/u${i}/reports?_queryFilter=true`]);
    if (i % 5 === 4) add(`u${i} changes manager`, [`PATCH managed/user/u${i}`, '', JSON.stringify([{ operation: 'replace', field: '/manager', value: { _ref: `managed/user/u${Math.floor(i / 7)}` } }])]);
    if (i % 9 === 8) add(`delete u${i - 1}`, [`DELETE managed/user/u${i - 1}`]);
  }
  return `${lines.join('\n')}\n`;
}

function peakMb(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

async function timed(rows, what, action) {
  const started = performance.now();
  const result = await action();
  const ms = performance.now() - started;
  rows.push({ what, ms, size: JSON.stringify(result ?? null).length });
  return result;
}

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'idm-rel-bench-scenario-'));
  fs.cpSync(path.join(root, 'test/fixtures/scenarios/conf'), path.join(work, 'conf'), { recursive: true });
  const scenarioPath = path.join(work, 'story.idmsim');
  const text = scenarioText(REQUESTS);
  fs.writeFileSync(scenarioPath, text);
  const uri = pathToFileURL(scenarioPath).href;
  const rows = [];
  const client = new LspClient();
  try {
    client.settings = { validationDelay: 0 };
    await client.initialize(pathToFileURL(work).href);
    client.open(uri, text, 1, 'idmsim');
    const requests = (text.match(/^### /gm) ?? []).length;

    await timed(rows, 'graph before any run (the file replayed)', () => client.request('idmRelationships/graph', { uri }));
    await timed(rows, 'baseline: Send on a fresh simulation', () => client.request('idmRelationships/runScenario', { uri, mode: 'send', index: 0 }));
    const all = await timed(rows, `Run all (${requests} requests)`, () => client.request('idmRelationships/runScenario', { uri, mode: 'runAll' }));
    const statuses = {};
    for (const result of all.results) statuses[result.status] = (statuses[result.status] ?? 0) + 1;
    await timed(rows, 'Send one request after Run all', () => client.request('idmRelationships/runScenario', { uri, mode: 'send', index: 60 }));
    await timed(rows, 'graph of the current state', () => client.request('idmRelationships/graph', { uri }));
    await timed(rows, `graph of step ${Math.floor(requests / 2)} (replayed on demand)`, () => client.request('idmRelationships/graph', { uri, step: Math.floor(requests / 2) }));
    await timed(rows, 'code lenses on the scenario', () => client.request('textDocument/codeLens', { textDocument: { uri } }));
    const lastLine = text.split('\n').length - 2;
    await timed(rows, 'completion at the end of the scenario', () => client.request('textDocument/completion', { textDocument: { uri }, position: { line: lastLine, character: 4 } }));
    const populated = await timed(rows, `Populate user=${USERS} (the load, not held to the target)`, () => client.request('idmRelationships/runScenario', { uri, mode: 'populate', counts: { user: USERS, role: 1000 }, seed: 1 }));
    await timed(rows, 'Send one request on the populated state', () => client.request('idmRelationships/runScenario', { uri, mode: 'send', index: 60 }));
    await timed(rows, 'graph of the populated state (counts per type)', () => client.request('idmRelationships/graph', { uri }));
    await timed(rows, 'graph of a step before the population', () => client.request('idmRelationships/graph', { uri, step: 100 }));
    const peak = peakMb(client.pid);

    const baseline = rows[1].ms;
    console.log(`Scenario benchmark on ${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} cores), Node ${process.version}`);
    console.log(`scenario: ${requests} requests (${Object.entries(statuses).map(([s, n]) => `${n}× ${s}`).join(', ')}); population: ${Object.values(populated.populated.objects).reduce((a, b) => a + b, 0)} objects, ${populated.populated.edges} edges`);
    console.log('');
    console.log('| request | ms | × baseline | reply size | target |');
    console.log('|---|---|---|---|---|');
    let failed = 0;
    for (const row of rows) {
      const isLoad = row.what.startsWith('Populate');
      const ok = isLoad || row.ms < TARGET_MS;
      if (!ok) failed++;
      console.log(`| ${row.what} | ${row.ms.toFixed(0)} | ${(row.ms / baseline).toFixed(1)} | ${(row.size / 1024).toFixed(0)} KB | ${isLoad ? '-' : ok ? `< ${TARGET_MS} ms: met` : `< ${TARGET_MS} ms: MISSED`} |`);
    }
    const memoryOk = peak < TARGET_MB;
    console.log(`\nserver peak memory (VmHWM): ${peak.toFixed(0)} MB (target < ${TARGET_MB} MB: ${memoryOk ? 'met' : 'MISSED'})`);
    process.exitCode = failed || !memoryOk ? 1 : 0;
  } finally {
    await client.shutdown();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

await main();
