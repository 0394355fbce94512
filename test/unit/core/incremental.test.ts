/**
 * When an edit re-reads only the object type it lies in (model/configFile.ts `updateConfigFile`) and when the whole
 * text is read again. That both give the same model and findings is the differential fuzz test's job
 * (test/fuzz/incrementalDifferential.test.ts); this one pins down which edits take the short path.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { updateConfigFile, readConfigFile, type TextChange } from '../../../server/src/core/model/configFile';
import { Workspace } from '../../../server/src/core/model/workspace';
import { checkSchema } from '../../../server/src/core/rules/index';

const URI = 'file:///conf/managed.json';
const TEXT = JSON.stringify({
  objects: [
    { name: 'user', schema: { properties: { manager: { type: 'relationship', reverseRelationship: true, reversePropertyName: 'reports', resourceCollection: [{ path: 'managed/user' }] }, reports: { type: 'array', items: { type: 'relationship', reverseRelationship: true, reversePropertyName: 'manager', resourceCollection: [{ path: 'managed/user' }] } } } } },
    { name: 'device', schema: { properties: { owner: { type: 'relationship', reverseRelationship: true, reversePropertyName: 'devices', resourceCollection: [{ path: 'managed/user' }] } } } },
  ],
}, null, 2);

/** Replaces the `occurrence`-th (from 0) `find` in `text` with `replace`, as an editor's change. */
function edit(text: string, find: string, replace: string, occurrence = 0): { text: string; change: TextChange } {
  let start = -1;
  for (let i = 0; i <= occurrence; i++) start = text.indexOf(find, start + 1);
  assert.ok(start >= 0, `${find} not found`);
  const change = { start, end: start + find.length, text: replace };
  return { text: text.slice(0, start) + replace + text.slice(change.end), change };
}

function update(text: string, find: string, replace: string, occurrence = 0) {
  const previous = readConfigFile(URI, text, 1);
  const edited = edit(text, find, replace, occurrence);
  return { previous, file: updateConfigFile(previous, edited.text, 2, edited.change), text: edited.text };
}

test('an edit inside one object type re-reads only that type; the others are kept and moved', () => {
  const { previous, file, text } = update(TEXT, '"reports",', '"directReports",');
  assert.ok(file, 'took the incremental path');
  assert.equal(file.text, text);
  assert.equal(file.version, 2);
  assert.notEqual(file.objects[0], previous.objects[0], 'the edited type is read again');
  assert.equal(file.objects[1], previous.objects[1], 'the other type is kept');
  assert.equal(file.objects[1].file, file);
  const full = readConfigFile(URI, text, 2);
  assert.equal(file.objects[1].node.offset, full.objects[1].node.offset, 'moved by the length the edit added');
  assert.equal(file.objects[1].relationships[0].reversePropertyNameNode!.offset, full.objects[1].relationships[0].reversePropertyNameNode!.offset);
});

test('edits the short path cannot take fall back to a full read', () => {
  // Across two object types.
  const across = TEXT.indexOf('"device"');
  const acrossFile = readConfigFile(URI, TEXT, 1);
  assert.equal(updateConfigFile(acrossFile, TEXT.slice(0, 20) + TEXT.slice(across), 2, { start: 20, end: across, text: '' }), undefined);
  // A syntax error appears in the edited type.
  assert.equal(update(TEXT, '"reports",', '"reports"').file, undefined);
  // The file already has a syntax error.
  const broken = edit(TEXT, '"devices"', '"devices",,');
  assert.equal(update(broken.text, '"manager"', '"boss"').file, undefined);
  // A top-level key.
  assert.equal(update(TEXT, '"objects"', '"objectz"').file, undefined);
  // What tells an internal.json overlay from a managed.json changes (an object loses its `schema`).
  assert.equal(update(TEXT, '"schema"', '"schemo"', 1).file, undefined);
  // The change does not match the texts.
  const file = readConfigFile(URI, TEXT, 1);
  assert.equal(updateConfigFile(file, TEXT + ' ', 2, { start: 30, end: 31, text: 'x' }), undefined);
});

test('Workspace.updateFile: the same findings as a full read, through incremental edits and a fallback', () => {
  const workspace = new Workspace();
  workspace.setFile(URI, TEXT, 1);
  let text = TEXT;
  const steps: Array<[string, string, number]> = [['"devices"', '"gadgets"', 0], ['"reports",', '"reports"', 0], ['"reports"', '"reports",', 0], ['"manager"', '"boss"', 1]];
  steps.forEach(([find, replace, occurrence], index) => {
    const edited = edit(text, find, replace, occurrence);
    text = edited.text;
    workspace.updateFile(URI, text, index + 2, edited.change);
    const full = new Workspace();
    full.setFile(URI, text, index + 2);
    assert.deepEqual(checkSchema(workspace.schemaFor(URI)!), checkSchema(full.schemaFor(URI)!), `after ${find} -> ${replace}`);
  });
});
