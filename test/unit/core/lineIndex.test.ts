/** Offsets to LSP positions and back, for every kind of line break (\n alone has its own fast path). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../../server/src/core/text/lineIndex';

/** Positions counted one character at a time: \r\n, \r and \n each end a line. */
function naivePositions(text: string): Array<{ line: number; character: number }> {
  const positions = [];
  let line = 0;
  let character = 0;
  for (let i = 0; i <= text.length; i++) {
    positions.push({ line, character });
    const c = text[i];
    if (c === '\r' && text[i + 1] === '\n') {
      positions.push({ line, character: character + 1 });
      i++;
      line++;
      character = 0;
    } else if (c === '\n' || c === '\r') {
      line++;
      character = 0;
    } else {
      character++;
    }
  }
  return positions.slice(0, text.length + 1);
}

test('positionAt and offsetAt agree with a character count, with \\n, \\r\\n, \\r and mixed line breaks', () => {
  const texts = ['', 'a', '\n', '{\n  "a": 1\n}\n', '{\r\n  "a": 1\r\n}', 'x\ry\rz', 'a\n\r\nb\rc\n', '\n\n\nend'];
  for (const text of texts) {
    const index = new LineIndex(text);
    const expected = naivePositions(text);
    for (let offset = 0; offset <= text.length; offset++) {
      assert.deepEqual(index.positionAt(offset), expected[offset], `${JSON.stringify(text)} at ${offset}`);
      // Inside a \r\n the position maps back to where the line's text ends.
      if (!(text[offset - 1] === '\r' && text[offset] === '\n')) assert.equal(index.offsetAt(expected[offset]), offset, `${JSON.stringify(text)} back from ${offset}`);
    }
    assert.equal(index.lineCount, (expected.at(-1)?.line ?? 0) + 1);
  }
});
