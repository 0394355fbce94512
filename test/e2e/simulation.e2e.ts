// An .idmsim scenario run from its "Run all" code lens: the simulator replays the PingIDM docs' manager/reports story
// against the config beside it, and the responses open in a view beside the scenario (which keeps the focus).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { openFile, waitForEditorText } from './workbench';
import { activeTab, editorTextOf, showTab, step, tabOf, TempWorkspace, waitForCodeLenses, withSession } from './scenarioSupport';

const RESPONSES = 'manager-reports.idmsim.responses.md';

test('simulation: Run all shows the responses beside the scenario', async (t) => {
  // The scenario finds ./conf as its nearest managed config (a copy of the forgeops config without the sample's
  // deliberate mistakes, which IDM would refuse to load).
  const workspace = new TempWorkspace('simulation')
    .copy('test/fixtures/scenarios/conf', 'conf')
    .copy('test/fixtures/scenarios/manager-reports.idmsim', 'manager-reports.idmsim');

  await withSession('simulation', workspace, async ({ page }) => {
    await step(t, 'the scenario shows Send and Run all code lenses', async () => {
      await openFile(page, 'manager-reports.idmsim');
      const lenses = await waitForCodeLenses(page, (all) => all.some((lens) => lens.includes('Run all')));
      // The first request has both; "Run all" once per scenario.
      assert.equal(lenses.filter((lens) => lens.includes('Run all')).length, 1);
      assert.match(lenses[0], /Send \| .*Run all/);
    });

    await step(t, 'Run all: 201 Created for the first request, in a view beside the scenario', async () => {
      await page.locator('.editor-group-container.active .codelens-decoration a', { hasText: 'Run all' }).first().click();
      await tabOf(page, RESPONSES).first().waitFor({ state: 'visible' });
      const text = await editorTextOf(page, RESPONSES);
      assert.match(text, /^# Simulation of manager-reports\.idmsim/);
      assert.match(text, /## 1\. create bjensen/);
      assert.match(text, /PUT managed\/user\/bjensen\n→ 201 Created\n```json\n\{\n  "_id": "bjensen",/);
      assert.match(text, /PUT managed\/user\/scarter\n→ 201 Created/);
      // The scenario keeps the focus; the responses are in the other editor group.
      assert.match((await activeTab(page).getAttribute('aria-label')) ?? '', /^manager-reports\.idmsim/);
      assert.equal(await page.locator('.editor-group-container').count(), 2);
    });

    await step(t, 'the last response: after bjensen was deleted, scarter has no manager left', async () => {
      await showTab(page, RESPONSES);
      await page.keyboard.press('Control+End');
      const end = await waitForEditorText(page, (text) => text.includes('## 16. and so is scarter'));
      // The relationship's referential integrity removed the references to the deleted manager.
      assert.match(end, /## 15\. psmith's manager is gone[^]*GET managed\/user\/psmith\?_fields=manager\n→ 200 OK\n```json\n[^`]*"manager": null\n\}/);
      const last = end.slice(end.indexOf('## 16.'));
      assert.match(last, /GET managed\/user\/scarter\?_fields=userName,manager\n→ 200 OK\n```json\n[^`]*"userName": "scarter",\n  "manager": null\n\}/);
      // A screen up, the delete itself, with the edges it removed as the audit log records them.
      await page.keyboard.press('PageUp');
      const deletion = await waitForEditorText(page, (text) => text.includes('DELETE managed/user/bjensen') && text.includes('Relationship changes (audit):'));
      assert.match(deletion, /DELETE managed\/user\/bjensen\n→ 200 OK/);
      assert.match(deletion, /Relationship changes \(audit\):\n- delete managed\/user\/scarter\.manager -> managed\/user\/\s*bjensen\.reports \(referential-integrity/);
    });
  });
});
