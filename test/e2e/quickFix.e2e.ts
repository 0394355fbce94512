// A broken relationship pair, reported and fixed the way a user does it: the Problems panel names the mistake with its
// code, the light bulb (Ctrl+.) offers to add the missing reverse property, Ctrl+S saves, and the problem is gone.
// First in the forgeops sample's single managed.json, then across the per-object files of a split config, where the
// fix edits the other type's file.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { openFile, readProblems, visibleEditorText, waitForEditorText, waitForProblems, type Problem } from './workbench';
import {
  applyQuickFixAt, goToAndFocus, parseConfig, positionOf, problemsOf, relationshipTo, saveActiveEditor, showTab, step, tabOf, TempWorkspace,
  waitForLanguageStatus, withSession,
} from './scenarioSupport';

interface ManagedObject {
  name: string;
  schema: { properties: Record<string, Record<string, unknown> & { items?: Record<string, unknown> }>; order?: string[] };
}

// A split (fr-config-manager) config: each type in managed-objects/<name>/<name>.json. user.devices names `owner` as
// its reverse, and device has no `owner` yet.
const SPLIT_USER = {
  name: 'user',
  schema: {
    title: 'User',
    properties: {
      userName: { title: 'Username', type: 'string' },
      devices: {
        title: 'Devices',
        type: 'array',
        returnByDefault: false,
        items: relationshipTo('managed/device', ['serialNumber'], { reverseRelationship: true, reversePropertyName: 'owner' }),
      },
    },
  },
};
const SPLIT_DEVICE = {
  name: 'device',
  schema: { title: 'Device', properties: { serialNumber: { title: 'Serial number', type: 'string' } } },
};

test('quick fix: add the missing reverse property, in one file and across per-object files', async (t) => {
  const workspace = new TempWorkspace('quick-fix')
    .copy('samples/workspace/conf', 'conf')
    .write('tenant/managed-objects/user/user.json', JSON.stringify(SPLIT_USER, null, 2) + '\n')
    .write('tenant/managed-objects/device/device.json', JSON.stringify(SPLIT_DEVICE, null, 2) + '\n');
  const originalManaged = workspace.read('conf/managed.json');

  await withSession('quick-fix', workspace, async ({ page }) => {
    await step(t, 'the Problems panel reports user.devices -> device.owner with its code', async () => {
      await openFile(page, 'conf/managed.json');
      // The workspace's four config files are found; managed.json's configuration has the sample's five types.
      await waitForLanguageStatus(page, (status) => status.files === 4 && status.objectTypes === 5);
      // The related row is drawn under the problem's row a moment after it: wait for both before reading them.
      const problems = await waitForProblems(page, (all) => problemsOf(all, 'conf/managed.json').some((p) => p.code === 'reverse-property-missing' && p.related.length > 0));
      const problem = problemsOf(problems, 'conf/managed.json').find((p) => p.code === 'reverse-property-missing')!;
      assert.equal(problem.severity, 'error');
      assert.equal(problem.source, 'idm-relationships');
      assert.match(problem.message, /managed\/device has no property `owner`, named as the reverse of user\.devices/);
      assert.deepEqual(problem.related.map((r) => r.message), ['managed/device is defined here']);
      // Where the broken name is written: the value of user.devices.items.reversePropertyName.
      const written = positionOf(originalManaged, '"reversePropertyName" : "owner"');
      assert.equal(problem.line, written.line);
      // The sample's two other deliberate mistakes are reported too.
      assert.deepEqual(problemsOf(problems, 'conf/managed.json').map((p) => p.code).sort(),
        ['notify-unidirectional', 'resource-collection-unknown', 'reverse-property-missing']);
    });

    await step(t, 'the light bulb adds `owner` to device, Ctrl+S saves it, and the problem is gone', async () => {
      const problem = problemsOf(await readProblems(page), 'conf/managed.json').find((p) => p.code === 'reverse-property-missing')!;
      const offered = await applyQuickFixAt(page, problem, 'Add `owner` to device (one-to-many)');
      assert.deepEqual(offered, ['Add `owner` to device (many-to-many)', 'Add `owner` to device (one-to-many)']);
      await tabOf(page, 'managed.json').and(page.locator('.dirty')).waitFor();
      await saveActiveEditor(page);

      const saved = await workspace.readWhen('conf/managed.json', (text) => text.includes('"owner" : {'));
      const objects = parseConfig<{ objects: ManagedObject[] }>(saved).objects;
      const device = objects.find((o) => o.name === 'device')!;
      const owner = device.schema.properties.owner;
      assert.equal(owner.type, 'relationship', 'one owner per device: a singleton relationship');
      assert.equal(owner.reverseRelationship, true);
      assert.equal(owner.reversePropertyName, 'devices');
      assert.deepEqual((owner.resourceCollection as Array<{ path: string }>).map((e) => e.path), ['managed/user']);
      assert.deepEqual(device.schema.order, ['serialNumber', 'lastSeenBy', 'approvedRoles', 'owner']);
      // Nothing else changed: every other type is as it was.
      const before = parseConfig<{ objects: ManagedObject[] }>(originalManaged).objects;
      assert.deepEqual(objects.filter((o) => o.name !== 'device'), before.filter((o) => o.name !== 'device'));

      // The editor shows the new property where it was written, in the file's own `"key" : value` style.
      const at = positionOf(saved, '"owner" : {');
      await goToAndFocus(page, at);
      const shown = await waitForEditorText(page, (text) => text.includes('"reversePropertyName" : "devices"'));
      assert.match(shown, /"owner" : \{/);

      // The fix was for this mistake only: the two others stay.
      const remaining = (all: Problem[]) => problemsOf(all, 'conf/managed.json').map((p) => p.code).sort().join(' ');
      const problems = await waitForProblems(page, (all) => remaining(all) === 'notify-unidirectional resource-collection-unknown');
      assert.ok(!problems.some((p) => p.code === 'reverse-property-missing'));
    });

    await step(t, 'per-object files: the fix writes device.owner into device.json, and both files are clean', async () => {
      await openFile(page, 'managed-objects/user/user.json');
      // The related row is drawn under the problem's row a moment after it: wait for both before reading them.
      const problems = await waitForProblems(page, (all) => problemsOf(all, 'tenant/managed-objects/user/user.json').some((p) => p.code === 'reverse-property-missing' && p.related.length > 0));
      const problem = problemsOf(problems, 'tenant/managed-objects/user/user.json').find((p) => p.code === 'reverse-property-missing')!;
      assert.match(problem.message, /managed\/device has no property `owner`/);
      // The related location is in the other file.
      assert.deepEqual(problem.related.map((r) => `${r.file}: ${r.message}`), ['device.json: managed/device is defined here']);

      await applyQuickFixAt(page, problem, 'Add `owner` to device (one-to-many)');
      // The edit lands in device.json, which the workbench opens (modified, unsaved) beside user.json's tab.
      await tabOf(page, 'device.json').and(page.locator('.dirty')).waitFor();
      assert.equal(workspace.read('tenant/managed-objects/user/user.json'), JSON.stringify(SPLIT_USER, null, 2) + '\n', 'user.json is not touched');
      await showTab(page, 'device.json');
      const shown = await visibleEditorText(page);
      assert.match(shown, /"owner": \{/);
      assert.match(shown, /"reversePropertyName": "devices"/);
      await saveActiveEditor(page);

      const device = parseConfig<ManagedObject>(await workspace.readWhen('tenant/managed-objects/device/device.json', (text) => text.includes('"owner"')));
      assert.deepEqual(Object.keys(device.schema.properties), ['serialNumber', 'owner']);
      const owner = device.schema.properties.owner;
      assert.equal(owner.type, 'relationship');
      assert.equal(owner.reversePropertyName, 'devices');
      assert.deepEqual((owner.resourceCollection as Array<{ path: string; query: { fields: string[] } }>).map((e) => [e.path, e.query.fields]),
        [['managed/user', ['userName']]]);

      // Both sides open, neither has a problem left.
      const after = await waitForProblems(page, (all) =>
        problemsOf(all, 'tenant/managed-objects/user/user.json').length === 0 && problemsOf(all, 'tenant/managed-objects/device/device.json').length === 0);
      assert.ok(!after.some((p) => p.folder.startsWith('tenant/')), JSON.stringify(after, null, 2));
    });
  });
});
