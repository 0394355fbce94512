/**
 * A document whose text lives in the large-document host (server/src/lsp/configDocument.ts): it never answers with a
 * text it does not have, sends its edits to the host, keeps a fetched text for that version only, and when the text
 * is taken back applies the edits made meanwhile, in order, on top of it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigDocument } from '../../../server/src/lsp/configDocument';

function hosted(text: string): { document: ConfigDocument; sent: Array<{ version: number; changes: unknown[] }> } {
  const sent: Array<{ version: number; changes: unknown[] }> = [];
  const document = new ConfigDocument('file:///w/big/managed.json', 'json', 1, text);
  document.hostIn({ change: (_uri, version, changes) => sent.push({ version, changes }) });
  return { document, sent };
}

test('a hosted document has no text to read until one is fetched for its current version', () => {
  const { document, sent } = hosted('{"objects": []}');
  assert.ok(document.hosted);
  assert.equal(document.hasText, false);
  assert.throws(() => document.getText(), /large-document host/);

  document.holdFetched('{"objects": [1]}', 1);
  assert.equal(document.getText(), '{"objects": [1]}');
  assert.deepEqual(document.positionAt(12), { line: 0, character: 12 });

  // An edit goes to the host and makes the fetched text stale.
  document.update([{ text: '{}' }], 2);
  assert.deepEqual(sent, [{ version: 2, changes: [{ text: '{}' }] }]);
  assert.equal(document.version, 2);
  assert.equal(document.hasText, false);
  // A text fetched for an older version is not kept.
  document.holdFetched('{"objects": [1]}', 1);
  assert.equal(document.hasText, false);
  // The model must re-read it whole from the host's text.
  assert.equal(document.changeSince(1), undefined);
});

test('edits made while the text is taken back are held and replayed on it, in order, with their versions', () => {
  const { document, sent } = hosted('x');
  document.update([{ text: 'line one\nline two\n' }], 2);
  document.holdEdits();
  const start = { line: 1, character: 5 };
  document.update([{ range: { start, end: { line: 1, character: 8 } }, text: '2' }], 3);
  document.update([{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '// ' }], 4);
  assert.equal(sent.length, 1, 'held edits do not go to the host');

  document.unhost('line one\nline two\n', 2);
  assert.equal(document.hosted, false);
  assert.equal(document.version, 4);
  assert.equal(document.getText(), '// line one\nline 2\n');
  assert.deepEqual(document.positionAt(document.getText().indexOf('2')), { line: 1, character: 5 });
  // Later edits are the document's own again.
  document.update([{ text: '{}' }], 5);
  assert.equal(sent.length, 1);
  assert.equal(document.getText(), '{}');
});
