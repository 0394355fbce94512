// The simulator served over HTTP from the editor: **Start Simulator Server** runs `idm-rel serve` for the open config
// and shows its URL in the status bar; a client outside the editor (this test, over real HTTP) writes to it, and
// **Show Served Simulation** draws the served objects and follows their changes; **Run All Against Target** sends a
// scenario to the served port and compares every answer with the simulator's; **Stop Simulator Server** closes the port.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import type { Page } from 'playwright-core';
import { openFile, runCommand, webviewContent } from './workbench';
import { waitForGraph } from './graphSupport';
import { EXTENSION_ID, step, TempWorkspace, waitForLanguageStatus, withSession } from './scenarioSupport';

interface HttpAnswer {
  status: number;
  body: any;
  headers: Record<string, string | string[] | undefined>;
}

/** One request with Node's http client, as any REST client would send it (IDM's headers, not checked by the simulator). */
function send(url: string, method: string, body?: unknown): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = httpRequest(url, {
      method,
      headers: {
        'X-OpenIDM-Username': 'openidm-admin', 'X-OpenIDM-Password': 'openidm-admin', 'Accept-API-Version': 'resource=1.0',
        ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': String(payload.length) } : {}),
      },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined, headers: res.headers });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** The status bar item of the served simulator, once it shows the address the server listens on. */
async function servedAddress(page: Page): Promise<string> {
  const item = page.locator('.statusbar-item[id$="idmRelationships.serve"]').filter({ hasText: /127\.0\.0\.1:\d+/ });
  await item.waitFor({ state: 'visible' });
  const address = /127\.0\.0\.1:\d+\/openidm/.exec((await item.innerText()).trim());
  assert.ok(address, `the status bar shows the URL: ${await item.innerText()}`);
  return `http://${address[0]}`;
}

test('serve: the simulator over HTTP from the editor, its URL in the status bar and its state in the graph', async (t) => {
  // The forgeops config without the sample's deliberate mistakes: IDM (and so the simulator) loads it.
  const workspace = new TempWorkspace('serve')
    .copy('test/fixtures/scenarios/conf', 'conf')
    .copy('test/fixtures/scenarios/manager-reports.idmsim', 'manager-reports.idmsim');

  await withSession('serve', workspace, async ({ page }) => {
    let base = '';

    await step(t, 'Start Simulator Server: the URL of the served config shows in the status bar', async () => {
      await openFile(page, 'conf/managed.json');
      await waitForLanguageStatus(page);
      await runCommand(page, 'IDM Relationships: Start Simulator Server (idm-rel serve)');
      base = await servedAddress(page);
    });

    await step(t, 'a REST client outside the editor writes to it, and reads the reverse side back', async () => {
      const created = await send(`${base}/managed/user/bjensen`, 'PUT', { userName: 'bjensen', givenName: 'Barbara', sn: 'Jensen', mail: 'bjensen@example.com' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.headers.etag, `"${created.body._rev}"`);
      const report = await send(`${base}/managed/user/scarter`, 'PUT', {
        userName: 'scarter', givenName: 'Sam', sn: 'Carter', mail: 'scarter@example.com', manager: { _ref: 'managed/user/bjensen' },
      });
      assert.equal(report.status, 201, JSON.stringify(report.body));
      const reports = await send(`${base}/managed/user/bjensen/reports?_queryFilter=true`, 'GET');
      assert.equal(reports.status, 200);
      assert.deepEqual(reports.body.result.map((edge: { _ref: string }) => edge._ref), ['managed/user/scarter']);
    });

    await step(t, 'Show Served Simulation: the graph draws the served users, and follows the next write', async () => {
      await runCommand(page, 'IDM Relationships: Show Served Simulation');
      const frame = await webviewContent(page, { extensionId: EXTENSION_ID });
      const graph = await waitForGraph(frame, (state) => state.nodes >= 2);
      assert.ok(graph.outline.some((id) => id.includes('bjensen')) && graph.outline.some((id) => id.includes('scarter')), JSON.stringify(graph.outline));
      const role = await send(`${base}/managed/role/admins`, 'PUT', { name: 'admins' });
      assert.equal(role.status, 201, JSON.stringify(role.body));
      // The outline and the graph's label are redrawn one after the other: wait for both to show the new role.
      const followed = await waitForGraph(frame, (state) => state.outline.some((id) => id.includes('admins')) && state.nodes >= 3);
      assert.equal(followed.nodes, followed.outline.length, JSON.stringify(followed));
    });

    await step(t, 'Run All Against Target: where the served state and a fresh simulation disagree, and only there', async () => {
      await openFile(page, 'manager-reports.idmsim');
      await runCommand(page, 'IDM Relationships: Run All Against Target');
      const comparison = page.locator('.editor-group-container .view-lines').filter({ hasText: 'manager-reports.idmsim against its target' }).first();
      await comparison.waitFor({ state: 'visible' });
      // The served simulator already holds bjensen (written above): the scenario's create-if-absent is refused there
      // (412), where a fresh simulation creates her. The comparison says exactly that.
      await comparison.filter({ hasText: 'PUT managed/user/bjensen → simulator 201, target 412' }).waitFor({ state: 'visible' });
      // The editor draws spaces as no-break spaces.
      assert.match((await comparison.innerText()).replace(/\u00a0/g, ' '), /Against http:\/\/127\.0\.0\.1:\d+\/openidm/);
    });

    await step(t, 'Stop Simulator Server: the status bar item goes and the port is closed', async () => {
      await runCommand(page, 'IDM Relationships: Stop Simulator Server');
      await page.locator('.statusbar-item[id$="idmRelationships.serve"]').filter({ hasText: /127\.0\.0\.1/ }).waitFor({ state: 'hidden' });
      await assert.rejects(async () => {
        // The process is stopped with SIGTERM: its port closes as it exits, a moment after the command returns.
        for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
          await send(`${base}/managed/user/bjensen`, 'GET');
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }, /ECONNREFUSED|ECONNRESET/);
    });
    // Port 0: the server takes a free port, which the status bar then shows.
  }, { 'idmRelationships.serve.port': 0 });
});
