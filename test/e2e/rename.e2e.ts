// Renaming a relationship property with F2 renames its pair's `reversePropertyName` too, once the user confirms it in
// the Refactor Preview (the relationship may hold data in a deployed IDM): in the same managed.json
// (user.manager, named by user.reports), and across per-object files (user.devices, named by device.owner in
// device.json).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { confirmRefactorPreview, openFile, readProblems, renameSymbol, waitForEditorText } from './workbench';
import {
  goToAndFocus, parseConfig, positionOf, problemsOf, relationshipTo, saveActiveEditor, step, TempWorkspace, waitForCodeLenses, waitForLanguageStatus,
  withSession,
} from './scenarioSupport';

type Property = Record<string, unknown> & { items?: Record<string, unknown> };
interface ManagedObject {
  name: string;
  schema: { properties: Record<string, Property>; order?: string[] };
}

const USER = {
  name: 'user',
  schema: {
    title: 'User',
    properties: {
      userName: { title: 'Username', type: 'string' },
      devices: {
        title: 'Devices', type: 'array', returnByDefault: false,
        items: relationshipTo('managed/device', ['serialNumber'], { reverseRelationship: true, reversePropertyName: 'owner' }),
      },
    },
    order: ['userName', 'devices'],
  },
};
const DEVICE = {
  name: 'device',
  schema: {
    title: 'Device',
    properties: {
      serialNumber: { title: 'Serial number', type: 'string' },
      owner: { title: 'Owner', ...relationshipTo('managed/user', ['userName'], { reverseRelationship: true, reversePropertyName: 'devices' }) },
    },
  },
};

test('rename: the other side of the pair follows', async (t) => {
  const workspace = new TempWorkspace('rename')
    .copy('test/fixtures/scenarios/conf', 'conf')
    .write('tenant/managed-objects/user/user.json', JSON.stringify(USER, null, 2) + '\n')
    .write('tenant/managed-objects/device/device.json', JSON.stringify(DEVICE, null, 2) + '\n');
  const managedBefore = workspace.read('conf/managed.json');

  await withSession('rename', workspace, async ({ page }) => {
    await step(t, 'same file: user.manager -> supervisor, and user.reports names it', async () => {
      await openFile(page, 'conf/managed.json');
      await waitForLanguageStatus(page);
      await goToAndFocus(page, positionOf(managedBefore, '"manager" : {'));
      await renameSymbol(page, 'supervisor');
      // A relationship may hold data in a deployed IDM under its old name: the rename asks for confirmation first,
      // listing the property, the pair's reverse name and the `order` entry.
      const preview = await confirmRefactorPreview(page);
      assert.equal(preview.filter((row) => row.includes('supervisor')).length, 3, JSON.stringify(preview));
      await waitForEditorText(page, (text) => text.includes('"supervisor" : {'));
      // The other location, 136 lines up: user.reports.items.reversePropertyName.
      const reverseAt = positionOf(managedBefore, '"reversePropertyName" : "manager"');
      await goToAndFocus(page, reverseAt);
      assert.match(await waitForEditorText(page, (text) => text.includes('"reversePropertyName" : "supervisor"')), /"reports" : \{/);
      // Checked again: reports is paired with supervisor (its code lens names the other side).
      await waitForCodeLenses(page, (lenses) => lenses.includes('<- user.supervisor'));
      await saveActiveEditor(page);

      const saved = await workspace.readWhen('conf/managed.json', (text) => text.includes('"supervisor" : {') && text.includes('"reversePropertyName" : "supervisor"'));
      const user = parseConfig<{ objects: ManagedObject[] }>(saved).objects.find((o) => o.name === 'user')!;
      assert.ok(!('manager' in user.schema.properties));
      assert.equal(user.schema.properties.supervisor.reversePropertyName, 'reports');
      assert.equal(user.schema.properties.reports.items?.reversePropertyName, 'supervisor');
      assert.ok(user.schema.order?.includes('supervisor') && !user.schema.order.includes('manager'), JSON.stringify(user.schema.order));
      assert.deepEqual(problemsOf(await readProblems(page), 'conf/managed.json'), []);
    });

    await step(t, 'across files: user.devices -> ownedDevices, and device.owner in device.json names it', async () => {
      await openFile(page, 'managed-objects/user/user.json');
      await goToAndFocus(page, positionOf(workspace.read('tenant/managed-objects/user/user.json'), '"devices": {'));
      await renameSymbol(page, 'ownedDevices');
      const preview = await confirmRefactorPreview(page);
      assert.ok(preview.some((row) => row.includes('device.json')) && preview.some((row) => row.includes('user.json')), JSON.stringify(preview));
      await waitForEditorText(page, (text) => text.includes('"ownedDevices": {'));
      await saveActiveEditor(page);
      // device.json was not open: VS Code saves the files a rename changes in the background (files.refactoring.autoSave).
      await openFile(page, 'managed-objects/device/device.json');
      assert.match(await waitForEditorText(page, (text) => text.includes('"reversePropertyName": "ownedDevices"')), /"owner": \{/);
      // device.owner is paired with the renamed property.
      await waitForCodeLenses(page, (lenses) => lenses.includes('<- user.ownedDevices'));
      await saveActiveEditor(page);

      const user = parseConfig<ManagedObject>(await workspace.readWhen('tenant/managed-objects/user/user.json', (text) => text.includes('"ownedDevices": {')));
      const device = parseConfig<ManagedObject>(await workspace.readWhen('tenant/managed-objects/device/device.json', (text) => text.includes('"reversePropertyName": "ownedDevices"')));
      assert.deepEqual(Object.keys(user.schema.properties), ['userName', 'ownedDevices']);
      assert.deepEqual(user.schema.order, ['userName', 'ownedDevices']);
      assert.equal(user.schema.properties.ownedDevices.items?.reversePropertyName, 'owner');
      assert.equal(device.schema.properties.owner.reversePropertyName, 'ownedDevices');
      assert.deepEqual((await readProblems(page)).filter((p) => p.folder.startsWith('tenant/')), []);
    });
  });
});
