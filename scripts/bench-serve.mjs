#!/usr/bin/env node
// Load and throughput of `idm-rel serve` (not a test: it prints figures). Run after `npm run build`:
//
//   node scripts/bench-serve.mjs [--concurrent 1000] [--requests 5000] [--parallel 50]
//
// 1. 1,000 concurrent requests on 127.0.0.1 (all sent at once, one socket each, bounded by --concurrent): edge
//    creations (some of them duplicates the simulator must refuse), object creations and reads. Every request must
//    be answered; every write either applied (2xx) or refused (4xx); and the audit log, the stored edges and the
//    relationship endpoints read back must all agree with the writes applied.
// 2. Throughput: --requests GETs of one object with --parallel requests in flight, against `idm-rel serve` and
//    against a plain Node `http` echo server (answers the request's body back) in the same run, on keep-alive sockets.
import { spawn } from 'child_process';
import * as http from 'http';
import * as path from 'path';
import { fileURLToPath } from 'url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const option = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
};
const CONCURRENT = option('concurrent', 1000);
const REQUESTS = option('requests', 5000);
const PARALLEL = option('parallel', 50);

function startChild(args, ready) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      const match = ready.exec(out);
      if (match) resolve({ child, port: Number(match[1]) });
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}:\n${out}`)));
  });
}

function send(port, method, target, body, agent) {
  return new Promise((resolve) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request({ host: '127.0.0.1', port, method, path: target, agent, headers: text ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) } : {} }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let json;
        try { json = raw ? JSON.parse(raw) : undefined; } catch { json = raw; }
        resolve({ status: res.statusCode, body: json });
      });
    });
    req.on('error', (error) => resolve({ status: 0, error: error.message }));
    if (text) req.write(text);
    req.end();
  });
}

async function loadTest(port) {
  const users = 100;
  const roles = 10;
  for (let i = 0; i < users; i++) await send(port, 'PUT', `/openidm/managed/user/u${i}`, { userName: `u${i}`, sn: 'Load' });
  for (let i = 0; i < roles; i++) await send(port, 'PUT', `/openidm/managed/role/r${i}`, { name: `r${i}` });
  const before = (await send(port, 'GET', '/_simulator/status')).body;

  // 60% edge creations (user -> role; the pairs repeat, so some are duplicates the simulator refuses),
  // 20% object creations, 20% reads.
  const plan = [];
  let edges = 0;
  for (let i = 0; i < CONCURRENT; i++) {
    const kind = i % 5;
    if (kind < 3) {
      // Distinct (user, role) pairs, but every tenth edge repeats the one before it.
      const k = edges % 10 === 9 ? edges - 1 : edges;
      edges++;
      plan.push({ kind: 'edge', user: `u${k % users}`, role: `r${Math.floor(k / users) % roles}` });
    }
    else if (kind === 3) plan.push({ kind: 'object', id: `n${i}` });
    else plan.push({ kind: 'read', user: `u${i % users}` });
  }
  const agent = new http.Agent({ keepAlive: false, maxSockets: CONCURRENT });
  const started = performance.now();
  const answers = await Promise.all(plan.map((step) => {
    if (step.kind === 'edge') return send(port, 'POST', `/openidm/managed/user/${step.user}/roles`, { _ref: `managed/role/${step.role}` }, agent);
    if (step.kind === 'object') return send(port, 'PUT', `/openidm/managed/user/${step.id}`, { userName: step.id }, agent);
    return send(port, 'GET', `/openidm/managed/user/${step.user}`, undefined, agent);
  }));
  const elapsed = performance.now() - started;
  agent.destroy();

  const lost = answers.filter((a) => a.status === 0);
  const byStatus = {};
  for (const a of answers) byStatus[a.status] = (byStatus[a.status] ?? 0) + 1;
  const edgesApplied = answers.filter((a, i) => plan[i].kind === 'edge' && a.status === 201).length;
  const edgesRefused = answers.filter((a, i) => plan[i].kind === 'edge' && a.status >= 400 && a.status < 500).length;
  const objectsApplied = answers.filter((a, i) => plan[i].kind === 'object' && a.status === 201).length;
  const writesNeither = answers.filter((a, i) => plan[i].kind !== 'read' && !(a.status >= 200 && a.status < 300) && !(a.status >= 400 && a.status < 500)).length;

  const after = (await send(port, 'GET', '/_simulator/status')).body;
  const storedEdges = (summary) => summary.relationships.filter((r) => r.property === 'roles' || r.property === 'members').reduce((sum, r) => sum + r.count, 0);
  let endpointEdges = 0;
  for (let i = 0; i < users; i++) endpointEdges += (await send(port, 'GET', `/openidm/managed/user/u${i}/roles?_queryFilter=true`)).body.resultCount;
  const auditDelta = after.auditEntries - before.auditEntries;
  const agree = auditDelta === edgesApplied && endpointEdges === edgesApplied && storedEdges(after.summary) - storedEdges(before.summary) === edgesApplied
    && after.objects - before.objects === objectsApplied;

  console.log(`## ${CONCURRENT} concurrent requests on 127.0.0.1`);
  console.log(`answered ${answers.length - lost.length}/${answers.length} in ${elapsed.toFixed(0)} ms; lost ${lost.length}${lost.length ? ` (${lost[0].error})` : ''}`);
  console.log(`statuses: ${Object.entries(byStatus).map(([s, n]) => `${n}x ${s}`).join(', ')}`);
  console.log(`edge writes: ${edgesApplied} applied, ${edgesRefused} refused (duplicates); object writes: ${objectsApplied} applied; writes neither applied nor refused: ${writesNeither}`);
  const refusal = answers.find((a, i) => plan[i].kind === 'edge' && a.status >= 400);
  if (refusal) console.log(`a refusal: ${refusal.status} ${JSON.stringify(refusal.body)}`);
  console.log(`audit entries added ${auditDelta}, edges stored added ${storedEdges(after.summary) - storedEdges(before.summary)}, edges read back through the endpoints ${endpointEdges}, objects added ${after.objects - before.objects}`);
  console.log(`audit log, store and endpoints agree with the writes applied: ${agree ? 'yes' : 'NO'}`);
  return lost.length === 0 && writesNeither === 0 && agree;
}

async function throughput(port, target) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: PARALLEL });
  let next = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: PARALLEL }, async () => {
    while (next < REQUESTS) {
      next++;
      const answer = await send(port, 'GET', target, undefined, agent);
      if (answer.status !== 200) failed++;
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { perSecond: REQUESTS / seconds, failed };
}

const serve = await startChild([path.join(root, 'dist', 'cli.js'), 'serve', '--port', '0', '--config', path.join(root, 'test', 'fixtures', 'scenarios', 'conf')], /Listening on http:\/\/127\.0\.0\.1:(\d+)/);
// Not logging every request to the terminal would flatter the figures; the server's log goes to a pipe read here.
serve.child.stdout.resume();
const echoSource = `
const http = require('http');
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const text = body.length ? body : Buffer.from(JSON.stringify({ method: req.method, url: req.url }));
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': text.length });
    res.end(text);
  });
});
server.listen(0, '127.0.0.1', () => console.log('echo on 127.0.0.1:' + server.address().port));`;
const echo = await startChild(['-e', echoSource], /echo on 127\.0\.0\.1:(\d+)/);

let ok = false;
try {
  ok = await loadTest(serve.port);
  console.log(`\n## throughput: ${REQUESTS} GETs, ${PARALLEL} in flight, keep-alive`);
  const served = await throughput(serve.port, '/openidm/managed/user/u1');
  const echoed = await throughput(echo.port, '/openidm/managed/user/u1');
  console.log(`idm-rel serve (GET managed/user/u1): ${served.perSecond.toFixed(0)} requests/s (${served.failed} not 200)`);
  console.log(`plain Node http echo server:         ${echoed.perSecond.toFixed(0)} requests/s (${echoed.failed} not 200)`);
  console.log(`serve / echo: ${(served.perSecond / echoed.perSecond).toFixed(2)}`);
} finally {
  serve.child.kill('SIGTERM');
  echo.child.kill('SIGTERM');
}
process.exitCode = ok ? 0 : 1;
