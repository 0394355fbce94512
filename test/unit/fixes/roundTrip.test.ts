/**
 * Every offered quick fix, applied and re-checked: the targeted problem is gone, no new problem appears, every file
 * still parses, and the file keeps its line endings and indentation (also for CRLF, tab and 4-space files).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { createScanner, SyntaxKind } from 'jsonc-parser';
import type { Finding } from '../../../server/src/core/diagnostics/finding';
import { detectFormatting } from '../../../server/src/core/fixes/edits';
import { getQuickFixes, type QuickFix } from '../../../server/src/core/fixes/quickFixes';
import { Workspace } from '../../../server/src/core/model/workspace';
import { checkSchema } from '../../../server/src/core/rules/index';
import { namesKnownCause } from '../../fuzz/fixChecks';
import { CORPUS, FIXTURES, jsonFilesUnder, readFixture, uriOf } from '../../helpers/fixtures';

type Files = Map<string, string>;

function loadFolder(folder: string, transform: (text: string) => string = (t) => t): Files {
  const files: Files = new Map();
  for (const file of jsonFilesUnder(folder)) files.set(uriOf(file), transform(readFixture(path.relative(FIXTURES, file))));
  return files;
}

function check(files: Files): { workspace: Workspace; findings: Finding[] } {
  const workspace = new Workspace();
  for (const [uri, text] of files) workspace.setFile(uri, text);
  const findings = workspace.allSchemas().flatMap((schema) => [...checkSchema(schema).values()].flat());
  return { workspace, findings };
}

/** What makes a finding the same problem before and after an unrelated edit (names, not indices, which shift). */
function identity(finding: Finding): string {
  const d = finding.data as Record<string, any>;
  return JSON.stringify([finding.code, finding.uri, d.origin?.object, d.origin?.property, d.name ?? d.field ?? d.path ?? d.entryIndex, d.key, d.target?.object, d.object, d.reverse?.object, d.hop]);
}

function apply(files: Files, fix: QuickFix): Files {
  const result = new Map(files);
  for (const [uri, edits] of Object.entries(fix.edits)) {
    let text = result.get(uri)!;
    for (const edit of [...edits].sort((a, b) => b.offset - a.offset)) text = text.slice(0, edit.offset) + edit.content + text.slice(edit.offset + edit.length);
    result.set(uri, text);
  }
  return result;
}

function comments(text: string): string[] {
  const scanner = createScanner(text, false);
  const found: string[] = [];
  for (let token = scanner.scan(); token !== SyntaxKind.EOF; token = scanner.scan()) {
    if (token === SyntaxKind.LineCommentTrivia || token === SyntaxKind.BlockCommentTrivia) found.push(scanner.getTokenValue());
  }
  return found;
}

interface Outcome { fixes: number; titles: string[] }

/** Applies every fix of every finding; returns how many were checked. */
function roundTrip(files: Files, options: { keepsComments?: boolean } = {}): Outcome {
  const { workspace, findings } = check(files);
  const before = findings.map(identity);
  const outcome: Outcome = { fixes: 0, titles: [] };
  for (const finding of findings) {
    if (finding.code === 'json-syntax') continue;
    for (const fix of getQuickFixes(workspace, finding.data)) {
      const label: string = `${finding.code} "${fix.title}"`;
      const after = apply(files, fix);
      const rechecked = check(after);
      for (const [uri, text] of after) {
        assert.deepEqual(rechecked.workspace.getFile(uri)!.syntaxErrors, [], `${label}: ${uri} no longer parses`);
        const original = files.get(uri)!;
        if (text === original) continue;
        if (original.includes('\r\n')) assert.ok(!/[^\r]\n/.test(text), `${label}: bare LF written into a CRLF file`);
        const style = detectFormatting(original);
        const newStyle = detectFormatting(text);
        assert.equal(newStyle.insertSpaces, style.insertSpaces, `${label}: indentation changed between tabs and spaces`);
        if (style.insertSpaces) assert.equal(newStyle.tabSize, style.tabSize, `${label}: indent width changed`);
        if (options.keepsComments) assert.deepEqual(comments(text), comments(original), `${label}: comments lost`);
      }
      const remaining = rechecked.findings.map(identity);
      assert.ok(!remaining.includes(identity(finding)), `${label}: the problem is still reported`);
      const pool = [...before];
      pool.splice(pool.indexOf(identity(finding)), 1);
      for (const id of remaining) {
        if (namesKnownCause(id, before)) continue;
        const index = pool.indexOf(id);
        assert.ok(index >= 0, `${label}: introduced a new problem ${id}`);
        pool.splice(index, 1);
      }
      outcome.fixes++;
      outcome.titles.push(label);
    }
  }
  return outcome;
}

const complete = path.join(FIXTURES, 'rules', 'complete');

test('fixes on the all-codes fixture', () => {
  const outcome = roundTrip(loadFolder(complete));
  // Every fixable code offers at least one fix here.
  for (const code of ['reverse-property-missing', 'reverse-not-bidirectional', 'reverse-missing-back-path',
    'notify-unidirectional', 'resource-collection-unknown', 'key-on-array-wrapper', 'notify-relationships-on-items',
    'notify-relationships-unknown', 'notify-relationships-not-relationship', 'query-fields-missing', 'query-field-unknown',
    'rdvp-not-virtual', 'reverse-name-missing']) {
    assert.ok(outcome.titles.some((t) => t.startsWith(code + ' ')), `no fix offered for ${code}:\n${outcome.titles.join('\n')}`);
  }
});

test('reverse-name-mismatch: two one-key stories for the same properties keep the per-side findings and their fixes', () => {
  const relationship = (reverse: string, target: string) =>
    `{ "type": "relationship", "reverseRelationship": true, "reversePropertyName": "${reverse}", "resourceCollection": [ { "path": "managed/${target}", "query": { "queryFilter": "true", "fields": ["name"] } } ] }`;
  const text = `{ "objects": [
  { "name": "a", "schema": { "properties": { "name": { "type": "string" }, "p": ${relationship('q', 'b')} } } },
  { "name": "b", "schema": { "properties": { "name": { "type": "string" }, "q": ${relationship('x', 'a')}, "r": ${relationship('p', 'a')} } } }
] }`;
  // a.p could pair with b.r (a.p's name is wrong) or with b.q (b.q's name is wrong): the evidence does not say which.
  const files: Files = new Map([['file:///m/managed.json', text]]);
  const { workspace, findings } = check(files);
  assert.ok(!findings.some((f) => f.code.startsWith('pair-')));
  const mismatch = findings.find((f) => f.code === 'reverse-name-mismatch' && (f.data.origin as any).property === 'p')!;
  assert.deepEqual(getQuickFixes(workspace, mismatch.data).map((f) => f.title), [
    'Change `reversePropertyName` to `r`, which points back here',
    'Point b.q back at `p`',
  ]);
  assert.ok(roundTrip(files).fixes >= 2);
});

test('reverse-name-mismatch: when two properties could be the partner, re-point the other side', () => {
  const relationship = (reverse: string, target: string) =>
    `{ "type": "relationship", "reverseRelationship": true, "reversePropertyName": "${reverse}", "resourceCollection": [ { "path": "managed/${target}", "query": { "queryFilter": "true", "fields": ["name"] } } ] }`;
  const text = `{ "objects": [
  { "name": "a", "schema": { "properties": { "name": { "type": "string" }, "p": ${relationship('q', 'b')}, "p2": ${relationship('q', 'b')} } } },
  { "name": "b", "schema": { "properties": { "name": { "type": "string" }, "q": ${relationship('x', 'a')} } } }
] }`;
  // Both a.p and a.p2 claim b.q: the evidence does not say which pair was meant, so no cause is named.
  const files: Files = new Map([['file:///m/managed.json', text]]);
  const { workspace, findings } = check(files);
  const mismatch = findings.find((f) => f.code === 'reverse-name-mismatch' && (f.data.origin as any).property === 'p')!;
  assert.deepEqual(getQuickFixes(workspace, mismatch.data).map((f) => f.title), ['Point b.q back at `p`']);
  assert.ok(roundTrip(files).fixes >= 1);
});

test('fixes keep CRLF line endings', () => {
  assert.ok(roundTrip(loadFolder(complete, (t) => t.replace(/\r?\n/g, '\r\n'))).fixes > 10);
});

test('fixes keep tab indentation', () => {
  assert.ok(roundTrip(loadFolder(complete, (t) => t.replace(/^( {2})+/gm, (m) => '\t'.repeat(m.length / 2)))).fixes > 10);
});

test('fixes keep 4-space indentation', () => {
  assert.ok(roundTrip(loadFolder(complete, (t) => t.replace(/^( {2})+/gm, (m) => ' '.repeat(m.length * 2)))).fixes > 10);
});

test('fixes edit the other side in its own file (per-object layout)', () => {
  const files = loadFolder(path.join(FIXTURES, 'rules', 'separate'));
  const { workspace, findings } = check(files);
  const missing = findings.find((f) => f.code === 'reverse-property-missing')!;
  const fixes = getQuickFixes(workspace, missing.data);
  assert.equal(fixes.length, 2);
  assert.deepEqual(fixes.map((f) => f.title), ['Add `authzMembers` to alpha_device (many-to-many)', 'Add `authzMembers` to alpha_device (one-to-many)']);
  const [target] = Object.keys(fixes[0].edits);
  assert.match(target, /alpha_device\.managed\.json$/);
  assert.ok(roundTrip(files).fixes >= 2);
});

test('fixes keep comments outside what they replace', () => {
  const text = [
    '{',
    '  // users and their devices',
    '  "objects": [',
    '    {',
    '      "name": "user", /* the person */',
    '      "schema": {',
    '        "order": ["userName", "devices"], // UI order',
    '        "properties": {',
    '          "userName": { "type": "string" }, // login',
    '          "devices": {',
    '            "type": "array",',
    '            "items": {',
    '              "type": "relationship",',
    '              "reverseRelationship": true,',
    '              "reversePropertyName": "owner",',
    '              "resourceCollection": [ { "path": "managed/device", "query": { "queryFilter": "true", "fields": ["serial"] } } ]',
    '            }',
    '          }',
    '        }',
    '      }',
    '    },',
    '    // devices have an owner',
    '    { "name": "device", "schema": { "order": ["serial"], "properties": { "serial": { "type": "string" } } } }',
    '  ]',
    '}',
  ].join('\n');
  const files: Files = new Map([['file:///c/managed.json', text]]);
  const outcome = roundTrip(files, { keepsComments: true });
  assert.equal(outcome.fixes, 2);
  const { workspace, findings } = check(files);
  const [preferred] = getQuickFixes(workspace, findings[0].data);
  const fixed = apply(files, preferred).get('file:///c/managed.json')!;
  // The new reverse side is listed in the target's schema.order, as the admin UI does.
  assert.match(fixed, /"order": \[\s*"serial",\s*"owner"\s*\]/);
  assert.match(fixed, /"owner": \{[\s\S]*"type": "array"[\s\S]*"reversePropertyName": "devices"[\s\S]*"path": "managed\/user"/);
});

test('fixes on the real corpus', () => {
  let total = 0;
  const roots = new Map<string, Files>();
  for (const file of jsonFilesUnder(CORPUS)) {
    // One workspace per corpus repository keeps unrelated configs apart, as a user's workspace would.
    const repository = path.relative(CORPUS, file).split(path.sep)[0];
    if (!roots.has(repository)) roots.set(repository, new Map());
    roots.get(repository)!.set(uriOf(file), readFixture(path.relative(FIXTURES, file)));
  }
  for (const files of roots.values()) total += roundTrip(files).fixes;
  assert.ok(total >= 6, `only ${total} fixes applied on the corpus`);
});
