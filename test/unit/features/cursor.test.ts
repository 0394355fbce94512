/** Cursor analysis on half-typed JSON: which slot the cursor is in, what a completion replaces, which commas it needs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseCursor, tokenAt, type Cursor } from '../../../server/src/core/features/cursor';
import { parseJson } from '../../../server/src/core/json/parser';
import { withCursor } from './helpers';

function at(marked: string): Cursor & { text: string } {
  const { text, offset } = withCursor(marked);
  return { ...analyseCursor(text, parseJson(text).root, offset), text };
}

const replaced = (cursor: Cursor & { text: string }) => cursor.text.slice(cursor.replace.start, cursor.replace.end);

test('keys: closed, unclosed, bare, and in a gap', () => {
  const closed = at('{ "a": 1, "re|v": 2 }');
  assert.equal(closed.slot.kind, 'key');
  assert.equal(closed.slot.kind === 'key' && closed.slot.hasValue, true);
  assert.equal(replaced(closed), '"rev"');
  assert.equal(closed.prefix, 're');

  const unclosed = at('{ "a": 1,\n  "rev|\n}');
  assert.equal(unclosed.slot.kind, 'key');
  assert.equal(unclosed.slot.kind === 'key' && unclosed.slot.hasValue, false);
  assert.equal(replaced(unclosed), '"rev');

  const bare = at('{ "a": 1,\n  rev|\n}');
  assert.equal(bare.slot.kind, 'key');
  assert.equal(replaced(bare), 'rev');

  const gap = at('{ "a": 1, | }');
  assert.equal(gap.slot.kind, 'key');
  assert.deepEqual(gap.replace, { start: gap.offset, end: gap.offset });
});

test('commas: missing before (even with a comma inside a comment), needed after when a member follows', () => {
  const missing = at('{ "a": 1 /* , */\n  "|"\n}');
  assert.equal(missing.missingCommaAt, missing.text.indexOf('1') + 1);
  const present = at('{ "a": 1, // note\n  "|"\n}');
  assert.equal(present.missingCommaAt, undefined);
  const following = at('{ "a": 1,\n  "|"\n  "b": 2 }');
  assert.equal(following.needsCommaAfter, true);
  const last = at('{ "a": 1,\n  "|"\n}');
  assert.equal(last.needsCommaAfter, false);
});

test('values: typed, half-typed, and not yet typed after the colon', () => {
  const typed = at('{ "path": "managed/u|ser" }');
  assert.equal(typed.slot.kind, 'value');
  assert.equal(replaced(typed), '"managed/user"');
  assert.equal(typed.prefix, 'managed/u');

  const half = at('{ "path": "managed/u|\n}');
  assert.equal(half.slot.kind, 'value');
  assert.equal(replaced(half), '"managed/u');

  const empty = at('{ "validate": |\n}');
  assert.equal(empty.slot.kind, 'value');
  assert.equal(empty.slot.kind === 'value' && empty.slot.property.key, 'validate');

  const bareValue = at('{ "validate": tr| }');
  assert.equal(bareValue.slot.kind, 'value');
  assert.equal(replaced(bareValue), 'tr');
});

test('array items: in a string, in a gap, after a missing comma; nothing inside unreadable places', () => {
  const item = at('{ "f": ["a", "b|"] }');
  assert.equal(item.slot.kind, 'item');
  assert.equal(item.slot.kind === 'item' && item.slot.index, 1);

  const gap = at('{ "f": ["a", | ] }');
  assert.equal(gap.slot.kind === 'item' && gap.slot.index, 1);
  assert.equal(gap.missingCommaAt, undefined);

  const noComma = at('{ "f": ["a" | ] }');
  assert.equal(noComma.missingCommaAt, noComma.text.indexOf('"a"') + 3);

  assert.equal(at('|{ "a": 1 }').slot.kind, 'none');
  assert.equal(at('{ "a": 1 }|').slot.kind, 'none');
});

test('tokenAt: the key or scalar under a hover position, first character included, closing quote included', () => {
  const text = '{ "key": "value", "list": [1, "two"] }';
  const root = parseJson(text).root;
  assert.equal(tokenAt(text, root, text.indexOf('"key"'))?.kind, 'key');
  assert.equal(tokenAt(text, root, text.indexOf('"value"') + 6)?.kind, 'value');
  const two = tokenAt(text, root, text.indexOf('"two"'));
  assert.equal(two?.kind === 'item' && two.index, 1);
  assert.equal(tokenAt(text, root, text.indexOf(':')), undefined);
});
