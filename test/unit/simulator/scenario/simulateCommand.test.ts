/** `idm-rel simulate`, tested through its module with an in-memory file system (and once on disk). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeSimulateIo, parsePopulate, runSimulateCommand, type SimulateIo } from '../../../../server/src/node/simulateCommand';
import { fixturePath, readFixture } from './helpers';

const MANAGED = readFixture('scenarios', 'conf', 'managed.json');
const INTERNAL = readFixture('scenarios', 'conf', 'internal.json');
const SMALL = JSON.stringify({
  objects: [
    {
      name: 'device',
      schema: {
        properties: {
          name: { type: 'string' },
          owner: { type: 'relationship', reverseRelationship: true, reversePropertyName: 'devices', resourceCollection: [{ path: 'managed/device' }] },
          devices: { type: 'array', items: { type: 'relationship', reverseRelationship: true, reversePropertyName: 'owner', resourceCollection: [{ path: 'managed/device' }] } },
        },
      },
    },
  ],
});

function memoryIo(files: Record<string, string>, cwd = '/proj') {
  const out: string[] = [];
  const err: string[] = [];
  const io: SimulateIo = {
    cwd,
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    readFile: (file) => files[file],
    listConfigFiles: (dir) => Object.keys(files).filter((f) => f.startsWith(`${dir}/`) && f.endsWith('.json')).sort(),
    now: (() => {
      let t = 1000;
      return () => (t += 250);
    })(),
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

const STORY = 'PUT managed/user/bjensen\n\n{ "userName": "bjensen", "givenName": "B", "sn": "Jensen", "mail": "b@example.com" }\n' +
  '### psmith\nPUT managed/user/psmith\n\n{ "userName": "psmith", "givenName": "P", "sn": "Smith", "mail": "p@example.com", "manager": { "_ref": "managed/user/bjensen" } }\n' +
  '###\nGET managed/user/bjensen/reports?_queryFilter=true\n###\nGET managed/user/nobody\n';

test('json output: one entry per request with the request, status, body, notifications and relationship changes', async () => {
  const { io, out, err } = memoryIo({ '/proj/conf/managed.json': MANAGED, '/proj/conf/internal.json': INTERNAL, '/proj/scenarios/story.idmsim': STORY });
  const code = await runSimulateCommand(['scenarios/story.idmsim', '--format', 'json'], io);
  assert.equal(code, 0, err());
  const results = JSON.parse(out());
  assert.equal(results.length, 4);
  assert.deepEqual(Object.keys(results[0]).sort(), ['body', 'notifications', 'relationshipChanges', 'request', 'status']);
  assert.deepEqual(Object.keys(results[1]).sort(), ['body', 'name', 'notifications', 'relationshipChanges', 'request', 'status']);
  assert.deepEqual(results[0].relationshipChanges, []);
  assert.deepEqual(results[1].relationshipChanges.map((c: { operation: string; cause: string; from: unknown; to: unknown }) => [c.operation, c.cause, c.from, c.to]),
    [['create', 'request', { ref: 'managed/user/psmith', property: 'manager' }, { ref: 'managed/user/bjensen', property: 'reports' }]],
    'the audit entry of the edge the PUT made');
  assert.deepEqual(results[2].request, { method: 'GET', path: 'managed/user/bjensen/reports', query: { _queryFilter: 'true' }, headers: {}, body: null });
  assert.deepEqual(results.map((r: { status: number }) => r.status), [201, 201, 200, 404], 'a 404 still exits 0');
  assert.deepEqual(results[2].body.result.map((r: { _ref: string }) => r._ref), ['managed/user/psmith']);
  assert.equal(err(), '');
});

test('text output: each request with its status and body, and a summary', async () => {
  const { io, out } = memoryIo({ '/proj/conf/managed.json': MANAGED, '/proj/story.idmsim': STORY });
  assert.equal(await runSimulateCommand(['story.idmsim'], io), 0);
  const text = out();
  assert.match(text, /## 2\. psmith \(line 5\)\nPUT managed\/user\/psmith\n→ 201 Created\n/);
  assert.match(text, /GET managed\/user\/bjensen\/reports\?_queryFilter=true\n→ 200 OK/);
  assert.match(text, /Relationship changes \(audit\):\n- create managed\/user\/psmith\.manager -> managed\/user\/bjensen\.reports \(request, edge [^)]+\)\n/);
  assert.match(text, /→ 404 Not Found/);
  assert.match(text, /4 requests run: 3 2xx, 1 4xx\n$/);
});

test('the config: nearest managed config above the scenario, @config, --config, per-object layouts', async () => {
  const scenario = 'GET managed/device?_queryFilter=true\n';
  // Nearest wins: /proj/a has its own managed.json.
  let { io, err, out } = memoryIo({ '/proj/managed.json': MANAGED, '/proj/a/managed.json': SMALL, '/proj/a/b/s.idmsim': scenario });
  assert.equal(await runSimulateCommand(['a/b/s.idmsim', '--format', 'json'], io), 0, err());
  assert.equal(JSON.parse(out())[0].status, 200);
  // Without it, the one above has no `device`: 404.
  ({ io, err, out } = memoryIo({ '/proj/managed.json': MANAGED, '/proj/a/b/s.idmsim': scenario }));
  assert.equal(await runSimulateCommand(['a/b/s.idmsim', '--format', 'json'], io), 0, err());
  assert.equal(JSON.parse(out())[0].status, 404);
  // @config, relative to the scenario.
  ({ io, err, out } = memoryIo({ '/proj/managed.json': MANAGED, '/other/small.json': SMALL, '/proj/s.idmsim': `@config ../other/small.json\n${scenario}` }));
  assert.equal(await runSimulateCommand(['s.idmsim', '--format', 'json'], io), 0, err());
  assert.equal(JSON.parse(out())[0].status, 200);
  // --config wins over @config; a folder works too.
  ({ io, err, out } = memoryIo({ '/proj/managed.json': MANAGED, '/other/conf/managed.json': SMALL, '/proj/s.idmsim': `@config nowhere.json\n${scenario}` }));
  assert.equal(await runSimulateCommand(['s.idmsim', '--config', '/other', '--format', 'json'], io), 0, err());
  assert.equal(JSON.parse(out())[0].status, 200);
  // fr-config-manager layout: managed-objects/<name>/<name>.json.
  const device = JSON.stringify({ name: 'device', schema: JSON.parse(SMALL).objects[0].schema });
  ({ io, err, out } = memoryIo({ '/proj/managed-objects/device/device.json': device, '/proj/s.idmsim': scenario }));
  assert.equal(await runSimulateCommand(['s.idmsim', '--format', 'json'], io), 0, err());
  assert.equal(JSON.parse(out())[0].status, 200);
});

test('exit 2 with a clear message when the scenario or the config cannot be read', async () => {
  const cases: Array<[Record<string, string>, string[], RegExp]> = [
    [{ '/proj/managed.json': MANAGED }, ['missing.idmsim'], /cannot read the scenario \/proj\/missing\.idmsim/],
    [{ '/proj/s.idmsim': 'GET managed/user' }, ['s.idmsim'], /No managed config found at, above or below \/proj/],
    [{ '/proj/s.idmsim': 'GET managed/user' }, ['s.idmsim', '--config', 'nope.json'], /--config nope\.json: no managed config there/],
    [{ '/proj/s.idmsim': '@config x.json\nGET managed/user', '/proj/x.json': '{"hello": 1}' }, ['s.idmsim'], /@config x\.json: no managed config there/],
    [{ '/proj/s.idmsim': 'GET managed/user', '/proj/managed.json': '{"objects": []}' }, ['s.idmsim'], /No managed config found at, above or below \/proj/],
    [{ '/proj/s.idmsim': 'GET managed/user', '/proj/managed.json': JSON.stringify({ objects: [{ name: 'user', schema: { properties: { m: { type: 'relationship', reverseRelationship: true } } } }] }) }, ['s.idmsim'], /IDM would not load this config:\n {2}user\.m/],
    [{}, [], /give a scenario file or --populate/],
    [{}, ['s.idmsim', '--format', 'xml'], /--format is text or json, not xml/],
    [{}, ['s.idmsim', '--seed', 'abc'], /--seed takes an integer/],
    [{}, ['s.idmsim', '--bogus'], /unknown option --bogus/],
    [{}, ['a.idmsim', 'b.idmsim'], /one scenario at a time/],
    [{}, ['--populate', 'user=lots'], /--populate takes type=count pairs/],
    [{}, ['--config'], /--config needs a value/],
  ];
  for (const [files, args, message] of cases) {
    const { io, out, err } = memoryIo(files);
    assert.equal(await runSimulateCommand(args, io), 2, `${args.join(' ')}: ${err()}`);
    assert.match(err(), message, args.join(' '));
    assert.doesNotMatch(err(), /\n\s+at /, 'no stack trace');
    assert.equal(out(), '');
  }
});

test('scenario problems are reported with file:line:column, and the requests still run', async () => {
  const { io, out, err } = memoryIo({ '/proj/managed.json': MANAGED, '/proj/s.idmsim': 'GET managed/user/x\nnot a header\n###\nPOST managed/role\n\n{ "name": }' });
  assert.equal(await runSimulateCommand(['s.idmsim', '--format', 'json'], io), 0);
  assert.match(err(), /^\/proj\/s\.idmsim:2:1: error: .*\[idmsim-bad-header\]$/m);
  assert.match(err(), /^\/proj\/s\.idmsim:6:11: error: Malformed JSON body.*\[idmsim-bad-json\]$/m);
  assert.deepEqual(JSON.parse(out()).map((r: { status: number }) => r.status), [404, 400]);
});

test('--populate prints objects, edges and time; with a scenario, the scenario runs on the populated data', async () => {
  let { io, out, err } = memoryIo({ '/proj/managed.json': MANAGED });
  assert.equal(await runSimulateCommand(['--populate', 'user=50,role=5', '--seed', '4'], io), 0, err());
  assert.match(out(), /^Populated 55 objects and \d+ relationship edges in 250 ms\n/);
  assert.match(out(), /managed\/user: 50 objects/);
  assert.match(out(), /user\.manager: \d+ edges/);
  ({ io, out, err } = memoryIo({ '/proj/managed.json': MANAGED, '/proj/s.idmsim': 'GET managed/user?_queryFilter=true&_pageSize=3' }));
  assert.equal(await runSimulateCommand(['s.idmsim', '--populate', 'user=20', '--format', 'json'], io), 0, err());
  const json = out().slice(out().indexOf('['));
  assert.equal(JSON.parse(json)[0].body.result.length, 3);
  ({ io, out, err } = memoryIo({ '/proj/managed.json': MANAGED }));
  assert.equal(await runSimulateCommand(['--populate', 'gadget=5'], io), 2);
  assert.match(err(), /gadget: no such object type/);
  assert.deepEqual(parsePopulate('user=1, managed/role=2,user=3'), { user: 4, 'managed/role': 2 });
});

test('on disk: the sample scenarios run with the config found beside them', async () => {
  for (const name of ['manager-reports.idmsim', 'roles-assignments.idmsim']) {
    const out: string[] = [];
    const err: string[] = [];
    const io = { ...nodeSimulateIo(), cwd: fixturePath('scenarios'), stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) };
    assert.equal(await runSimulateCommand([name, '--format', 'json', '--seed', '1'], io), 0, err.join(''));
    assert.equal(err.join(''), '');
    const results = JSON.parse(out.join(''));
    assert.ok(results.length > 10);
    assert.ok(results.every((r: { status: number }) => r.status > 0));
  }
});
