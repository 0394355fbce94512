/**
 * Renames on generated configs and on the rule fixtures: every edit replaces exactly the old name, the result parses,
 * the checker reports the same problems (by code) as before, and renaming back restores the original text byte for byte.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { OffsetEdit } from '../../server/src/core/fixes/edits';
import { handleRename } from '../../server/src/core/features/rename';
import { allSites } from '../../server/src/core/features/sites';
import { FUZZ_TEST_OPTIONS, assertProperty, isReplay } from './fuzzSettings';
import { configArbitrary } from './generators';
import { checkAndVerify, type Files } from './invariants';
import { loadCorpusGroups } from './mutations';

function applyEdits(files: Files, edits: Record<string, OffsetEdit[]>, oldName: string, label: string): Files {
  const result = new Map(files);
  for (const [uri, list] of Object.entries(edits)) {
    let text = files.get(uri);
    assert.ok(text !== undefined, `${label}: edits unknown file ${uri}`);
    const sorted = [...list].sort((a, b) => a.offset - b.offset);
    sorted.forEach((edit, i) => {
      assert.equal(text!.slice(edit.offset, edit.offset + edit.length), oldName, `${label}: an edit replaces something other than \`${oldName}\``);
      if (i > 0) assert.ok(sorted[i - 1].offset + sorted[i - 1].length <= edit.offset, `${label}: overlapping edits`);
    });
    for (const edit of sorted.reverse()) text = text!.slice(0, edit.offset) + edit.content + text!.slice(edit.offset + edit.length);
    result.set(uri, text!);
  }
  return result;
}

/** Codes about names themselves, which a rename may rightly fix (`bad-name` to `renamed_x`). */
const ABOUT_NAMES = new Set(['invalid-object-name', 'duplicate-object-name']);
const codes = (findings: Array<{ code: string }>) => findings.map((f) => f.code).filter((code) => !ABOUT_NAMES.has(code)).sort();

/** Renames the `which`-th site to `newName` and back, checking both ways; returns whether a rename happened. */
function renameRoundTrip(files: Files, which: number, newName: string, sameCodes = true): boolean {
  const before = checkAndVerify(files, {}, 'before rename');
  const sites = before.workspace.allSchemas().flatMap((schema) => allSites(schema) ?? []);
  if (!sites.length) return false;
  const site = sites[which % sites.length];
  const uri = site.file.uri;
  const oldName = site.file.text.slice(site.range.start, site.range.end);
  const label = `rename \`${oldName}\` (${site.role}) to \`${newName}\``;
  const result = handleRename(before.workspace, uri, site.range.start, newName);
  if (!result || 'error' in result || !Object.keys(result.edits).length) return false;
  const renamed = applyEdits(files, result.edits, oldName, label);
  const after = checkAndVerify(renamed, {}, label);
  for (const [editedUri] of Object.entries(result.edits)) {
    assert.ok(after.workspace.getFile(editedUri)!.syntaxErrors.length <= before.workspace.getFile(editedUri)!.syntaxErrors.length, `${label}: ${editedUri} no longer parses`);
  }
  // A name shared with an already broken pair can move that pair's problem from one code to another (the rule
  // fixtures are broken on purpose): there only the number of problems must stay.
  if (sameCodes) assert.deepEqual(codes(after.findings), codes(before.findings), `${label}: the problems changed`);
  else assert.equal(codes(after.findings).length, codes(before.findings).length, `${label}: the number of problems changed`);
  // Back, when the old name is one rename accepts (`bad-name` is not): the renamed site sits where its edit put it.
  if (!/^[A-Za-z0-9_]+$/.test(oldName)) return true;
  const shift = (result.edits[uri] ?? []).filter((e) => e.offset < site.range.start).reduce((n, e) => n + e.content.length - e.length, 0);
  const back = handleRename(after.workspace, uri, site.range.start + shift, oldName);
  assert.ok(back && !('error' in back), `${label}: renaming back failed: ${back && 'error' in back ? back.error : 'cancelled'}`);
  const restored = applyEdits(renamed, back.edits, newName, `${label}, back`);
  for (const [fileUri, text] of files) assert.equal(restored.get(fileUri), text, `${label}: renaming back did not restore ${fileUri}`);
  return true;
}

const NEW_NAMES = ['renamed', 'x_1', 'Z', 'custom_thing'];

test('renames on generated configs: exact edits, same problems, reversible', FUZZ_TEST_OPTIONS, () => {
  let renamed = 0;
  assertProperty('rename-generated', fc.property(configArbitrary, fc.nat(), fc.constantFrom(...NEW_NAMES), (config, which, newName) => {
    if (renameRoundTrip(new Map([['file:///generated/conf/managed.json', config.text]]), which, newName)) renamed++;
  }), 120);
  if (!isReplay()) assert.ok(renamed > 30, `only ${renamed} renames happened`);
});

test('renames at every site of the rule fixtures: exact edits, as many problems, reversible', FUZZ_TEST_OPTIONS, () => {
  let renamed = 0;
  for (const group of loadCorpusGroups().filter((g) => g.name === 'rules/complete' || g.name === 'rules/separate')) {
    const sites = checkAndVerify(group.files).workspace.allSchemas().flatMap((schema) => allSites(schema) ?? []);
    for (let which = 0; which < sites.length; which++) if (renameRoundTrip(group.files, which, 'renamed_x', false)) renamed++;
  }
  assert.ok(renamed > 20, `only ${renamed} renames happened`);
});
