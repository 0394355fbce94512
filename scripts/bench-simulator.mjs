#!/usr/bin/env node
// Benchmark of the relationship simulator engine (not a test: it prints figures and the targets).
//
//   node --expose-gc scripts/bench-simulator.mjs
//
// It bundles server/src/core/simulator/engine.ts (with the model it needs) with esbuild into a temporary
// directory, imports the bundle, and uses the IDM 7.x default schema copied from ForgeRock/forgeops
// (test/fixtures/corpus/ForgeRock_forgeops/docker/idm/config-profiles/idm-only/conf). Measures:
//   1. populate 100,000 users with managers and roles (about 1 million edges)      target < 2 s
//   2. delete an object with 10,000 incoming references                            target < 50 ms
//   3. a role change that notifies its 100,000 members, with the notification trace target < 200 ms
//   4. heapUsed with about 1 million edges                                         target < 1 GB
// Populate runs three times (into fresh simulators), the delete three times (three objects), the role change five
// times (a new assignment each): the target applies to the median; every run is printed, the first (coldest) first.
// Beside each median: its ratio to a plain-JavaScript baseline of the same work measured in the same run (objects
// and arrays instead of the store, no REST, no audit, no trace), so that figures can be read against the speed of
// the machine that day.
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
const conf = join(root, 'test/fixtures/corpus/ForgeRock_forgeops/docker/idm/config-profiles/idm-only/conf');

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
/** A figure: its runs, target, whether the median meets it, the first run's CPU ms, the median and its baseline's name. */
const report = (name, value, target, ok, cpu, medianMs, baselineName) => rows.push({ name, value, target, ok, cpu, medianMs, baselineName });
/** Plain-JavaScript baselines (ms), measured at the end of the run. */
const baselines = {};
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

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const spread = (values, digits = 0) => `${values.map((v) => v.toFixed(digits)).join(' / ')} ms`;

// Baselines, measured in this run: the least plain JavaScript can do for the same work, with objects and
// arrays instead of the simulator's store, so that a figure can be read against this machine's speed today.
const baseline = {
  /** 100,000 objects, 1,000,000 references between them in per-object arrays, both directions. */
  populate() {
    const objects = Array.from({ length: 100_000 }, (_, i) => ({ id: `user${i}`, out: [], in: [] }));
    let seed = 7;
    for (const object of objects) {
      for (let k = 0; k < 10; k++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        const target = objects[seed % objects.length];
        object.out.push(target);
        target.in.push(object);
      }
    }
    return objects;
  },
  /** Removing 10,000 references to one object from the referrers' arrays. */
  remove(objects) {
    const boss = { in: [] };
    const referrers = objects.slice(0, 10_000);
    for (const referrer of referrers) { referrer.manager = boss; boss.in.push(referrer); }
    return measure(() => { for (const referrer of boss.in) referrer.manager = undefined; boss.in = []; }).wall;
  },
  /** For each of 100,000 objects: walk its ten references and store a new one-element list. */
  notify(objects) {
    const value = { _ref: 'managed/assignment/vpn' };
    return measure(() => {
      let reached = 0;
      for (const object of objects) {
        for (const target of object.out) reached += target.id.length;
        object.effective = [value];
      }
      return reached;
    }).wall;
  },
};
// 1. populate (then twice more into fresh simulators, for the spread; the first one's data is used below)
const heapBefore = process.memoryUsage().heapUsed;
const populations = [measure(() => sim.populate({ user: 100_000, role: 200 }, { seed: 7, maxPerMany: 18 }))];
const populated = populations[0].result;
for (let i = 0; i < 2; i++) {
  const fresh = startSimulator(schema, { seed: 42 }).simulator;
  gc();
  populations.push(measure(() => fresh.populate({ user: 100_000, role: 200 }, { seed: 7, maxPerMany: 18 })));
}
const populateMs = populations.map((p) => p.wall);
report(`populate ${populated.objects['managed/user']} users with managers and roles, ${populated.edges.toLocaleString('en')} edges`, spread(populateMs), '< 2000 ms', median(populateMs) < 2000, populations[0].cpu, median(populateMs), 'populate');
console.log('edges per relationship:', populated.edgesByRelationship);

// 4. memory with about 1 million edges
gc();
const heap = process.memoryUsage().heapUsed;
report(`heapUsed with ${populated.edges.toLocaleString('en')} edges (store: ${mb(heap - heapBefore)})`, mb(heap), '< 1024 MB', heap < 1024 * 1024 * 1024);

// 2. delete an object with 10,000 incoming references (10,000 users whose manager it is), three times
const users = expect(call('GET', 'managed/user', undefined, { _queryFilter: 'true', _fields: '_id' }), 200).body.result;
const deletions = [];
for (let round = 0; round < 3; round++) {
  const boss = `bigboss${round}`;
  expect(call('PUT', `managed/user/${boss}`, { userName: boss, sn: 'Boss' }, {}, { 'If-None-Match': '*' }), 201);
  for (const user of users.slice(round * 10_000, (round + 1) * 10_000)) expect(call('PUT', `managed/user/${user._id}/manager`, { _ref: `managed/user/${boss}` }, {}, { 'If-Match': '*' }), 200);
  const incoming = expect(call('GET', `managed/user/${boss}/reports`, undefined, { _queryFilter: 'true', _pageSize: '1', _totalPagedResultsPolicy: 'EXACT' }), 200).body.totalPagedResults;
  if (incoming !== 10_000) throw new Error(`${boss} has ${incoming} reports`);
  deletions.push(measure(() => expect(call('DELETE', `managed/user/${boss}`), 200)));
}
const deleteMs = deletions.map((d) => d.wall);
report('delete an object with 10,000 incoming references (three objects)', spread(deleteMs, 1), '< 50 ms', median(deleteMs) < 50, deletions[0].cpu, median(deleteMs), 'remove');

// 3. a role change that notifies 100,000 members: add an assignment to a role every user holds, five times.
const setup = measure(() => expect(call('PUT', 'managed/role/everyone', { name: 'everyone', members: users.map((u) => ({ _ref: `managed/user/${u._id}` })) }, {}, { 'If-None-Match': '*' }), 201));
const roleChanges = [];
for (let round = 0; round < 5; round++) {
  expect(call('PUT', `managed/assignment/vpn${round}`, { name: `vpn${round}`, mapping: 'managedUser_systemLdapAccounts', attributes: [{ name: 'vpn', value: 'on' }] }, {}, { 'If-None-Match': '*' }), 201);
  const roleChange = measure(() => expect(call('POST', 'managed/role/everyone/assignments', { _ref: `managed/assignment/vpn${round}` }), 201));
  const change = roleChange.result;
  const members = change.notifications.filter((n) => n.reason === 'notifyRelationships' && n.via === 'members').length;
  if (members !== users.length) throw new Error(`the role change notified ${members} members`);
  const sample = expect(call('GET', `managed/user/${users[round]._id}`, undefined, { _fields: 'effectiveAssignments' }), 200).body;
  if (!sample.effectiveAssignments.some((a) => a._id === `vpn${round}`)) throw new Error('effectiveAssignments was not recalculated');
  roleChanges.push(roleChange);
}
gc();
const baselinePopulate = measure(() => baseline.populate());
const baselineRemove = baseline.remove(baselinePopulate.result);
const baselineNotify = baseline.notify(baselinePopulate.result);
baselinePopulate.result = undefined;
Object.assign(baselines, { populate: baselinePopulate.wall, remove: baselineRemove, notify: baselineNotify });

const roleMs = roleChanges.map((r) => r.wall);
report(`role change notifying ${users.length.toLocaleString('en')} members, five times (trace of ${roleChanges[0].result.notifications.length.toLocaleString('en')} notifications, RDVPs recalculated)`, spread(roleMs), '< 200 ms', median(roleMs) < 200, roleChanges[0].cpu, median(roleMs), 'notify');
console.log(`  (setup: PUT of a role with ${users.length.toLocaleString('en')} members, which notifies them all: ${setup.wall.toFixed(0)} ms)`);
console.log(`  (plain-JavaScript baselines of this run: populate ${baselinePopulate.wall.toFixed(0)} ms, remove 10,000 references ${baselineRemove.toFixed(1)} ms, notify 100,000 objects ${baselineNotify.toFixed(0)} ms)`);

console.log('');
for (const row of rows) {
  const cpu = row.cpu === undefined ? '' : `, first run's CPU ${row.cpu.toFixed(0)} ms`;
  const ratio = row.baselineName === undefined ? '' : `, median ${(row.medianMs / baselines[row.baselineName]).toFixed(1)}x its plain-JavaScript baseline`;
  console.log(`${row.ok ? 'ok  ' : 'SLOW'} ${row.name}: ${row.value}${cpu}${ratio} (target ${row.target}, for the median)`);
}
console.log(`load average: ${loadavg().map((n) => n.toFixed(1)).join(' ')} on this machine`);
if (!globalThis.gc) console.log('(run with node --expose-gc for a settled heap figure)');
process.exitCode = rows.every((row) => row.ok) ? 0 : 1;
