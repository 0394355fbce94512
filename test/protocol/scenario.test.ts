/** `.idmsim` scenarios through the server: diagnostics, completions, code lenses, Send / Run all, schema edits. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { LspClient } from './lspClient';
import { fixturePath } from '../helpers/fixtures';

test('scenario: diagnostics, completion, code lenses, run all, send, and the state kept across schema edits', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'idm-rel-scenario-'));
  fs.cpSync(fixturePath('scenarios', 'conf'), path.join(root, 'conf'), { recursive: true });
  const configPath = path.join(root, 'conf', 'managed.json');
  const scenarioPath = path.join(root, 'story.idmsim');
  const scenario = [
    '@config conf/managed.json',
    '### bjensen',
    'PUT managed/user/bjensen',
    'If-None-Match: *',
    '',
    '{ "userName": "bjensen", "sn": "Jensen", "givenName": "Barbara", "mail": "b@example.com" }',
    '',
    '### psmith reports to bjensen',
    'PUT managed/user/psmith',
    '',
    '{ "userName": "psmith", "sn": "Smith", "givenName": "Patricia", "mail": "p@example.com", "manager": { "_ref": "managed/user/bjensen" } }',
    '',
    '### reports',
    'GET managed/user/bjensen/reports?_queryFilter=true',
    '',
    '### a typo',
    'GET managed/usr/bjensen',
    '',
  ].join('\n');
  fs.writeFileSync(scenarioPath, scenario);
  const client = new LspClient();
  try {
    client.settings = { validationDelay: 0 };
    await client.initialize(pathToFileURL(root).href);
    const uri = pathToFileURL(scenarioPath).href;
    client.open(uri, scenario, 1, 'idmsim');

    const diagnostics = await client.waitForDiagnostics(uri, (d) => d.length > 0);
    assert.deepEqual(diagnostics.map((d: any) => d.code), ['idmsim-unknown-collection']);
    assert.equal(diagnostics[0].range.start.line, 16);

    const lenses = await client.request('textDocument/codeLens', { textDocument: { uri } });
    assert.deepEqual(lenses.slice(0, 2).map((l: any) => l.command.command), ['idmRelationships.sendRequest', 'idmRelationships.runAll']);
    assert.equal(lenses.filter((l: any) => l.command.command === 'idmRelationships.sendRequest').length, 4);

    const completion = await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 16, character: 6 } });
    assert.ok(completion.items.some((i: any) => i.label === 'managed/user'), JSON.stringify(completion.items.map((i: any) => i.label)));

    const all = await client.request('idmRelationships/runScenario', { uri, mode: 'runAll' });
    assert.equal(all.refused, undefined);
    assert.deepEqual(all.results.map((r: any) => r.status), [201, 201, 200, 404]);
    const reports = all.results[2].body;
    assert.equal(reports.resultCount, 1);
    assert.equal(reports.result[0]._ref, 'managed/user/psmith');
    assert.equal(all.results[1].line, 8);

    assert.equal(all.restarted, true);
    assert.match(all.rendered, /## 3\. reports \(line 14\)\nGET managed\/user\/bjensen\/reports\?_queryFilter=true\n→ 200 OK/);

    // Send one request again against the current state: the edge is still there. The reply is that one result,
    // numbered after the four before it.
    const sent = await client.request('idmRelationships/runScenario', { uri, mode: 'send', index: 2 });
    assert.equal(sent.restarted, false);
    assert.equal(sent.results.length, 1);
    assert.equal(sent.results[0].body.resultCount, 1);
    assert.match(sent.rendered, /^\n## 5\. /);

    // The graph shows the state the user built, live, with every step in its timeline and only the last drawn.
    const graph = await client.request('idmRelationships/graph', { uri });
    assert.equal(graph.graph.origin, 'live');
    assert.deepEqual(graph.graph.steps.map((s: any) => s.drawn), [false, false, false, false, true]);
    const earlier = await client.request('idmRelationships/graph', { uri, step: 0 });
    assert.deepEqual(earlier.graph.steps[0].nodes.map((n: any) => n.id), ['managed/user/bjensen']);

    // Edit the config in the editor: the simulation keeps its state.
    const config = fs.readFileSync(configPath, 'utf8');
    client.open(pathToFileURL(configPath).href, config);
    client.change(pathToFileURL(configPath).href, config.replace('"title" : "Direct Reports"', '"title" : "Reports"'), 2);
    await new Promise((r) => setTimeout(r, 300));
    const again = await client.request('idmRelationships/runScenario', { uri, mode: 'send', index: 2 });
    assert.equal(again.results[0].body.resultCount, 1);

    const populated = await client.request('idmRelationships/runScenario', { uri, mode: 'populate', counts: { user: 200, role: 5 }, seed: 1 });
    assert.equal(populated.populated.objects['managed/user'], 200);
    assert.ok(populated.populated.edges > 0);
  } finally {
    await client.shutdown();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
