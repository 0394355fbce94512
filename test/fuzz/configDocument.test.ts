/**
 * The server's ConfigDocument against vscode-languageserver-textdocument's TextDocument, which it replaces: after random
 * edit sequences (ranges given as LSP positions, line breaks `\n`, `\r\n` and `\r` mixed in), the same text, line
 * count and conversions both ways; and the one change it remembers since a version, applied to that version's text,
 * gives the current text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ConfigDocument } from '../../server/src/lsp/configDocument';
import { assertProperty } from './fuzzSettings';

interface Step {
  /** Where the range starts and ends, as fractions of the text (end may come first: a reversed range). */
  from: number;
  to: number;
  insert: string;
  /** Sometimes the whole text is replaced (a change without a range). */
  whole: boolean;
  /** Whether the model reads the document after this step. */
  sync: boolean;
}

const piece = fc.constantFrom('a', 'bc', '"x": 1', '\n', '\r\n', '\r', '  ', '{', '}', 'é', '😀', '');
const stepArbitrary: fc.Arbitrary<Step> = fc.record({
  from: fc.double({ min: 0, max: 1, noNaN: true }),
  to: fc.double({ min: 0, max: 1, noNaN: true }),
  insert: fc.array(piece, { maxLength: 4 }).map((parts) => parts.join('')),
  whole: fc.nat(9).map((n) => n === 0),
  sync: fc.boolean(),
});

test('ConfigDocument edits and positions equal TextDocument; its remembered change rebuilds the text', () => {
  assertProperty('config-document', fc.property(fc.array(piece, { maxLength: 30 }).map((p) => p.join('')), fc.array(stepArbitrary, { maxLength: 12 }), (initial, steps) => {
    const reference = TextDocument.create('file:///a.json', 'json', 1, initial);
    const document = new ConfigDocument('file:///a.json', 'json', 1, initial);
    let synced = { version: 1, text: initial };
    let wholeSinceSync = false;
    steps.forEach((step, index) => {
      const version = index + 2;
      const text = reference.getText();
      const range = { start: reference.positionAt(Math.floor(step.from * (text.length + 1))), end: reference.positionAt(Math.floor(step.to * (text.length + 1))) };
      // Positions past a line's end and past the last line are allowed; the library clamps them.
      if (index % 3 === 2) range.end = { line: range.end.line + 1, character: range.end.character + 5 };
      const change = step.whole ? { text: step.insert } : { range, text: step.insert };
      TextDocument.update(reference, [change], version);
      document.update([change], version);
      wholeSinceSync ||= step.whole;
      const current = reference.getText();
      assert.equal(document.getText(), current);
      assert.equal(document.version, version);
      assert.equal(document.lineCount, reference.lineCount);
      for (let offset = -1; offset <= current.length + 1; offset++) {
        const position = reference.positionAt(offset);
        assert.deepEqual(document.positionAt(offset), position, `positionAt(${offset})`);
        assert.equal(document.offsetAt(position), reference.offsetAt(position));
        const beyond = { line: position.line, character: position.character + 3 };
        assert.equal(document.offsetAt(beyond), reference.offsetAt(beyond));
      }
      for (let line = -1; line <= reference.lineCount; line++) {
        assert.deepEqual(document.getLineRange(line), reference.getLineRange(line));
        assert.equal(document.getEOLCharacters(line), reference.getEOLCharacters(line));
      }
      if (step.sync) {
        const remembered = document.changeSince(synced.version);
        if (remembered) assert.equal(synced.text.slice(0, remembered.start) + remembered.text + synced.text.slice(remembered.end), current);
        else assert.ok(wholeSinceSync, 'only a whole-text change is forgotten');
        synced = { version, text: current };
        wholeSinceSync = false;
      }
    });
    // A version the document does not remember from gives no change.
    assert.equal(document.changeSince(-5), undefined);
  }), 300);
});
