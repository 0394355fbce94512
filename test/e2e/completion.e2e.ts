// Typing a new relationship into a per-object config: completion offers the config's own `managed/...` paths (not
// those of another config in the same workspace) for `resourceCollection[].path`, then, once the target is chosen,
// the target's relationships for `reversePropertyName`, the one already pointing back first. With both filled in,
// the pair is complete and the other side's problem disappears.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { acceptSuggestion, openFile, triggerCompletion, waitForEditorText, waitForProblems, type Suggestion } from './workbench';
import {
  goToAndFocus, parseConfig, pasteLinesAbove, positionOf, problemsOf, relationshipTo, saveActiveEditor, step, TempWorkspace, waitForLanguageStatus,
  withSession,
} from './scenarioSupport';

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
      // Already points at a device property that the user is about to write.
      assignedDevices: {
        title: 'Assigned devices', type: 'array', returnByDefault: false,
        items: relationshipTo('managed/device', ['serialNumber'], { reverseRelationship: true, reversePropertyName: 'assignedTo' }),
      },
    },
  },
};
const DEVICE = {
  name: 'device',
  schema: {
    title: 'Device',
    properties: {
      serialNumber: { title: 'Serial number', type: 'string' },
      owner: { title: 'Owner', ...relationshipTo('managed/user', ['userName'], { reverseRelationship: true, reversePropertyName: 'devices' }) },
      location: { title: 'Location', ...relationshipTo('managed/location', ['name']) },
    },
  },
};
const LOCATION = { name: 'location', schema: { title: 'Location', properties: { name: { title: 'Name', type: 'string' } } } };
// Another configuration in the same workspace: its types are no targets for the split config.
const OTHER_CONFIG = { objects: [{ name: 'printer', schema: { title: 'Printer', properties: { name: { type: 'string' } } } }] };

// What the user pastes into device.json's properties; `|` marks where completion is asked for (reversePropertyName,
// then path).
const NEW_RELATIONSHIP = [
  '"assignedTo": {',
  '  "title": "Assigned to",',
  '  "type": "relationship",',
  '  "reverseRelationship": true,',
  '  "reversePropertyName": "|",',
  '  "validate": true,',
  '  "resourceCollection": [',
  '    { "path": "|", "label": "User", "query": { "queryFilter": "true", "fields": ["userName"] } }',
  '  ]',
  '},',
];

const labels = (suggestions: Suggestion[]) => suggestions.map((s) => s.label);

test('completion: target paths and reverse property names for a new relationship', async (t) => {
  const workspace = new TempWorkspace('completion')
    .write('tenant/managed-objects/user/user.json', JSON.stringify(USER, null, 2) + '\n')
    .write('tenant/managed-objects/device/device.json', JSON.stringify(DEVICE, null, 2) + '\n')
    .write('tenant/managed-objects/location/location.json', JSON.stringify(LOCATION, null, 2) + '\n')
    .write('legacy/conf/managed.json', JSON.stringify(OTHER_CONFIG, null, 2) + '\n');

  await withSession('completion', workspace, async ({ page }) => {
    let reverseMark = { line: 0, column: 0 };

    await step(t, 'user.assignedDevices names a device property that does not exist yet', async () => {
      await openFile(page, 'managed-objects/user/user.json');
      await waitForLanguageStatus(page, (status) => status.objectTypes === 3);
      const problems = await waitForProblems(page, (all) => problemsOf(all, 'tenant/managed-objects/user/user.json').some((p) => p.code === 'reverse-property-missing'));
      assert.match(problemsOf(problems, 'tenant/managed-objects/user/user.json')[0].message, /no property `assignedTo`/);
    });

    await step(t, 'resourceCollection[].path offers the managed types of this config', async () => {
      await openFile(page, 'managed-objects/device/device.json');
      // Above the first property, indented as it is.
      const firstProperty = positionOf(workspace.read('tenant/managed-objects/device/device.json'), '"serialNumber": {');
      const marks = await pasteLinesAbove(page, firstProperty.line, ' '.repeat(firstProperty.column - 1), NEW_RELATIONSHIP);
      reverseMark = marks[0];
      await goToAndFocus(page, marks[1]);
      const suggestions = await triggerCompletion(page);
      for (const path of ['managed/user', 'managed/device', 'managed/location', 'internal/role', 'internal/user']) {
        assert.ok(labels(suggestions).includes(path), `${path} offered: ${JSON.stringify(suggestions)}`);
      }
      assert.ok(!labels(suggestions).some((label) => label.includes('printer')), `another config's type offered: ${JSON.stringify(suggestions)}`);
      assert.equal(suggestions.find((s) => s.label === 'managed/user')?.detail, 'User · 2 relationships');
      await acceptSuggestion(page, 'managed/user');
      await waitForEditorText(page, (text) => text.includes('{ "path": "managed/user", "label": "User"'));
    });

    await step(t, 'reversePropertyName offers the target\'s relationships, the one pointing back first', async () => {
      await goToAndFocus(page, reverseMark);
      const suggestions = await triggerCompletion(page);
      const ours = suggestions.filter((s) => s.detail !== '');
      assert.deepEqual(ours[0], { label: 'assignedDevices', detail: 'user.assignedDevices points back here' });
      assert.ok(labels(ours).includes('devices'), JSON.stringify(suggestions));
      // Plain fields are no reverse properties.
      assert.ok(!labels(suggestions).includes('userName'), JSON.stringify(suggestions));
      await acceptSuggestion(page, 'assignedDevices');
      await waitForEditorText(page, (text) => text.includes('"reversePropertyName": "assignedDevices",'));
    });

    await step(t, 'the pair is complete: saved, and neither side has a problem', async () => {
      await saveActiveEditor(page);
      const device = parseConfig<{ schema: { properties: Record<string, Record<string, unknown>> } }>(
        await workspace.readWhen('tenant/managed-objects/device/device.json', (text) => text.includes('"reversePropertyName": "assignedDevices"')));
      const assignedTo = device.schema.properties.assignedTo;
      assert.equal(assignedTo.reversePropertyName, 'assignedDevices');
      assert.deepEqual((assignedTo.resourceCollection as Array<{ path: string }>).map((e) => e.path), ['managed/user']);
      await waitForProblems(page, (all) =>
        problemsOf(all, 'tenant/managed-objects/user/user.json').length === 0 && problemsOf(all, 'tenant/managed-objects/device/device.json').length === 0);
    });
  });
});
