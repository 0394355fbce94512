/** `idmRelationships/graph` and `idmRelationships/graphChanged` over stdio, against `dist/server.js`. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { LspClient } from '../../protocol/lspClient';
import { GRAPH_CHANGED_NOTIFICATION, GRAPH_REQUEST, type GraphResult } from '../../../server/src/protocol';
import { managedJson, many, relationship } from './helpers';

function workspace(): { root: string; managed: string; scenario: string; other: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'idm-rel-graph-'));
  const managed = path.join(root, 'conf', 'managed.json');
  fs.mkdirSync(path.dirname(managed), { recursive: true });
  fs.writeFileSync(managed, managedJson({
    user: {
      userName: { type: 'string' },
      manager: relationship('managed/user', { reverse: 'reports' }),
      reports: many(relationship('managed/user', { reverse: 'manager' })),
      devices: many(relationship('managed/device', { reverse: 'owner' })),
    },
    device: { name: { type: 'string' } },
  }));
  const scenario = path.join(root, 'scenarios', 'team.idmsim');
  fs.mkdirSync(path.dirname(scenario), { recursive: true });
  fs.writeFileSync(scenario, [
    '@config ../conf/managed.json',
    '### bjensen',
    'PUT /openidm/managed/user/bjensen',
    'Content-Type: application/json',
    '',
    '{ "userName": "bjensen" }',
    '',
    '### psmith',
    'PUT /openidm/managed/user/psmith',
    'Content-Type: application/json',
    '',
    '{ "userName": "psmith", "manager": { "_ref": "managed/user/bjensen" } }',
    '',
  ].join('\n'));
  const other = path.join(root, 'package.json');
  fs.writeFileSync(other, '{ "name": "not-a-config" }\n');
  return { root, managed, scenario, other };
}

function slice(text: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }): string {
  const lines = text.split('\n');
  if (range.start.line !== range.end.line) throw new Error('single-line range expected');
  return lines[range.start.line].slice(range.start.character, range.end.character);
}

test('the graph of a config, with positions, broken pairs, and fresh text after an edit', async () => {
  const files = workspace();
  const client = new LspClient();
  try {
    client.settings = { validationDelay: 0 };
    await client.initialize(pathToFileURL(files.root).href);
    const uri = pathToFileURL(files.managed).href;
    const text = fs.readFileSync(files.managed, 'utf8');
    const changed = client.waitFor(GRAPH_CHANGED_NOTIFICATION, (params) => params.uris.includes(uri));
    client.open(uri, text);
    await changed;

    const result = await client.request<GraphResult>(GRAPH_REQUEST, { uri });
    assert.equal(result.kind, 'graph');
    if (result.kind !== 'graph' || result.graph.view !== 'schema') return;
    const graph = result.graph;
    assert.deepEqual(graph.nodes.map((n) => n.id), ['managed/user', 'managed/device']);
    const reports = graph.edges.find((e) => e.id === 'managed/user.manager<->managed/user.reports')!;
    assert.equal(reports.sourceEnd.location?.uri, uri);
    assert.equal(slice(text, reports.sourceEnd.location!.range), '"manager"');
    assert.equal(slice(text, reports.targetEnd!.location!.range), '"reports"');
    const devices = graph.edges.find((e) => e.id === 'managed/user.devices->managed/device.owner')!;
    assert.equal(devices.broken, true);
    assert.deepEqual(devices.problems.map((p) => p.code), ['reverse-property-missing']);

    // The request sees the newest text at once, without waiting for the debounced check.
    const edited = text.replace('"title": "device"', '"title": "Device <b>"');
    assert.notEqual(edited, text);
    client.change(uri, edited, 2);
    const after = await client.request<GraphResult>(GRAPH_REQUEST, { uri });
    assert.ok(after.kind === 'graph' && after.graph.view === 'schema');
    if (after.kind === 'graph' && after.graph.view === 'schema') assert.equal(after.graph.nodes[1].title, 'Device <b>');

    const none = await client.request<GraphResult>(GRAPH_REQUEST, { uri: pathToFileURL(files.other).href });
    assert.deepEqual(none, { kind: 'none', reason: 'This file is not a managed object config.' });
  } finally {
    await client.shutdown();
  }
});

test('the simulation graph of a scenario, run against its @config', async () => {
  const files = workspace();
  const client = new LspClient();
  try {
    await client.initialize(pathToFileURL(files.root).href);
    const uri = pathToFileURL(files.scenario).href;
    const text = fs.readFileSync(files.scenario, 'utf8');
    client.open(uri, text, 1, 'idmsim');
    const result = await client.request<GraphResult>(GRAPH_REQUEST, { uri });
    assert.equal(result.kind, 'graph');
    if (result.kind !== 'graph' || result.graph.view !== 'simulation') return;
    const { steps, errors } = result.graph;
    assert.deepEqual(errors, []);
    // Not run yet: the file replayed, and only the last step drawn until another is asked for.
    assert.equal(result.graph.origin, 'replay');
    assert.deepEqual(steps.map((s) => `${s.name} ${s.status} ${s.drawn} ${s.nodes.length}/${s.edges.length}`), ['bjensen 201 false 0/0', 'psmith 201 true 2/1']);
    const first = await client.request<GraphResult>(GRAPH_REQUEST, { uri, step: 0 });
    assert.ok(first.kind === 'graph' && first.graph.view === 'simulation');
    assert.deepEqual(first.graph.steps.map((s) => `${s.drawn} ${s.nodes.length}/${s.edges.length}`), ['true 1/0', 'false 0/0']);
    assert.equal(steps[1].location?.uri, uri);
    assert.equal(slice(text, steps[1].location!.range), 'PUT /openidm/managed/user/psmith');
    const edge = steps[1].edges[0];
    assert.deepEqual([edge.source, edge.sourceProperty, edge.target, edge.targetProperty], ['managed/user/psmith', 'manager', 'managed/user/bjensen', 'reports']);
  } finally {
    await client.shutdown();
  }
});
