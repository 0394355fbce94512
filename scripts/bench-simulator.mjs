#!/usr/bin/env node
// Benchmark of the relationship simulator engine (not a test: it prints figures and the targets).
//
//   node --expose-gc scripts/bench-simulator.mjs
//
// It bundles server/src/core/simulator/engine.ts (with the model it needs) with esbuild into a temporary
// directory, imports the bundle, and uses the IDM 7.x default schema copied from ForgeRock/forgeops
// (test/fixtures/simulator/ForgeRock_forgeops/docker/idm/config-profiles/idm-only/conf). Measures:
//   1. populate 100,000 users with managers and roles (about 1 million edges)      target < 2 s
//   2. delete an object with 10,000 incoming references                            target < 50 ms
//   3. a role change that notifies its 100,000 members, with the notification trace target < 200 ms
//   4. heapUsed with about 1 million edges                                         target < 1 GB
// --expose-gc lets it settle the heap before measuring memory; without it the figure includes garbage.
// Each figure is wall-clock time; the CPU time of the process and the load average are printed beside it,
// because on a shared machine wall time measures the neighbours as much as the engine.
import * as esbuild from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const conf = join(root, 'test/fixtures/simulator/ForgeRock_forgeops/docker/idm/config-profiles/idm-only/conf');

const temp = mkdtempSync(join(tmpdir(), 'bench-simulator-'));
const entry = join(temp, 'entry.ts');
writeFileSync(entry, [
  `export { startSimulator } from ${JSON.stringify(join(root, 'server/src/core/simulator/engine'))};`,
  `export { readConfigFile } from ${JSON.stringify(join(root, 'server/src/core/model/configFile'))};`,
  `export { Schema } from ${JSON.stringify(join(root, 'server/src/core/model/schema'))};`,
].join('\n'));
const bundle = join(temp, 'simulator.mjs');
await esbuild.build({
  entryPoints: [entry], outfile: bundle, bundle: true, platform: 'node', format: 'esm', target: 'node20',
  mainFields: ['module', 'main'], logLevel: 'warning', nodePaths: [join(root, 'node_modules')],
});
const { startSimulator, readConfigFile, Schema } = await import(pathToFileURL(bundle).href);
rmSync(temp, { recursive: true, force: true });

const schema = new Schema('/conf', [
  readConfigFile('/conf/managed.json', readFileSync(join(conf, 'managed.json'), 'utf8')),
  readConfigFile('/conf/internal.json', readFileSync(join(conf, 'internal.json'), 'utf8')),
]);
const started = startSimulator(schema, { seed: 42 });
if (!started.simulator) throw new Error(`schema refused: ${started.refused}`);
const sim = started.simulator;

const gc = globalThis.gc ?? (() => {});
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const rows = [];
const report = (name, value, target, ok, cpu) => rows.push({ name, value, target, ok, cpu });
/** Runs `fn`, returning its result with wall and CPU milliseconds. */
const measure = (fn) => {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = fn();
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { result, wall, cpu: (used.user + used.system) / 1000 };
};
const call = (method, path, body, query = {}, headers = {}) => sim.handle({ method, path, query, headers, body });
const expect = (response, status) => {
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${JSON.stringify(response.body).slice(0, 300)}`);
  return response;
};

// 1. populate
gc();
const heapBefore = process.memoryUsage().heapUsed;
const pop = measure(() => sim.populate({ user: 100_000, role: 200 }, { seed: 7, maxPerMany: 18 }));
const populated = pop.result;
report(`populate ${populated.objects['managed/user']} users with managers and roles, ${populated.edges.toLocaleString('en')} edges`, `${pop.wall.toFixed(0)} ms`, '< 2000 ms', pop.wall < 2000, pop.cpu);
console.log('edges per relationship:', populated.edgesByRelationship);

// 4. memory with about 1 million edges
gc();
const heap = process.memoryUsage().heapUsed;
report(`heapUsed with ${populated.edges.toLocaleString('en')} edges (store: ${mb(heap - heapBefore)})`, mb(heap), '< 1024 MB', heap < 1024 * 1024 * 1024);

// 2. delete an object with 10,000 incoming references (10,000 users whose manager it is)
const users = expect(call('GET', 'managed/user', undefined, { _queryFilter: 'true', _pageSize: '10000', _fields: '_id' }), 200).body.result;
expect(call('PUT', 'managed/user/bigboss', { userName: 'bigboss', sn: 'Boss' }, {}, { 'If-None-Match': '*' }), 201);
for (const user of users) expect(call('PUT', `managed/user/${user._id}/manager`, { _ref: 'managed/user/bigboss' }, {}, { 'If-Match': '*' }), 200);
const incoming = expect(call('GET', 'managed/user/bigboss/reports', undefined, { _queryFilter: 'true', _pageSize: '1', _totalPagedResultsPolicy: 'EXACT' }), 200).body.totalPagedResults;
const deletion = measure(() => expect(call('DELETE', 'managed/user/bigboss'), 200));
report(`delete an object with ${incoming.toLocaleString('en')} incoming references`, `${deletion.wall.toFixed(1)} ms`, '< 50 ms', deletion.wall < 50 && incoming === 10_000, deletion.cpu);

// 3. a role change that notifies 100,000 members: add an assignment to a role every user holds.
const everyone = expect(call('GET', 'managed/user', undefined, { _queryFilter: 'true', _fields: '_id' }), 200).body.result;
const setup = measure(() => expect(call('PUT', 'managed/role/everyone', { name: 'everyone', members: everyone.map((u) => ({ _ref: `managed/user/${u._id}` })) }, {}, { 'If-None-Match': '*' }), 201));
expect(call('PUT', 'managed/assignment/vpn', { name: 'vpn', mapping: 'managedUser_systemLdapAccounts', attributes: [{ name: 'vpn', value: 'on' }] }, {}, { 'If-None-Match': '*' }), 201);
const roleChange = measure(() => expect(call('POST', 'managed/role/everyone/assignments', { _ref: 'managed/assignment/vpn' }), 201));
const change = roleChange.result;
const members = change.notifications.filter((n) => n.reason === 'notifyRelationships' && n.via === 'members').length;
report(`role change notifying ${members.toLocaleString('en')} members (trace of ${change.notifications.length.toLocaleString('en')} notifications, RDVPs recalculated)`, `${roleChange.wall.toFixed(0)} ms`, '< 200 ms', roleChange.wall < 200 && members === everyone.length, roleChange.cpu);
console.log(`  (setup: PUT of a role with ${everyone.length.toLocaleString('en')} members, which notifies them all: ${setup.wall.toFixed(0)} ms)`);
const sample = expect(call('GET', `managed/user/${everyone[0]._id}`, undefined, { _fields: 'effectiveAssignments' }), 200).body;
if (!sample.effectiveAssignments.some((a) => a._id === 'vpn')) throw new Error('effectiveAssignments was not recalculated');

console.log('');
for (const row of rows) {
  const cpu = row.cpu === undefined ? '' : `, CPU ${row.cpu.toFixed(0)} ms`;
  console.log(`${row.ok ? 'ok  ' : 'SLOW'} ${row.name}: ${row.value}${cpu} (target ${row.target})`);
}
console.log(`load average: ${loadavg().map((n) => n.toFixed(1)).join(' ')} on this machine`);
if (!globalThis.gc) console.log('(run with node --expose-gc for a settled heap figure)');
process.exitCode = rows.every((row) => row.ok) ? 0 : 1;
