/** The tolerant parser: exact offsets, JSONC, recovery from half-typed input, no stack overflow, never a throw. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseJson } from '../../../server/src/core/json/parser';
import { findProperty, nodeAtOffset, pathOf, toValue } from '../../../server/src/core/json/ast';
import { LineIndex } from '../../../server/src/core/text/lineIndex';

test('offsets of keys and values, comments and trailing commas allowed', () => {
  const text = '// c\n{ "a": { "b": [1, "x", true, null], }, /* d */ "c": -2.5e3, }';
  const { root, errors } = parseJson(text);
  assert.deepEqual(errors, []);
  assert.deepEqual(toValue(root), { a: { b: [1, 'x', true, null] }, c: -2500 });
  const a = findProperty(root, 'a')!;
  assert.equal(text.slice(a.keyOffset, a.keyEnd), '"a"');
  const x = nodeAtOffset(root, text.indexOf('"x"') + 1)!;
  assert.equal(x.type, 'string');
  assert.equal(text.slice(x.offset, x.end), '"x"');
  assert.deepEqual(pathOf(x), ['a', 'b', 1]);
});

test('half-typed JSON gives a partial tree and located errors', () => {
  const cases: Array<[string, unknown, string[]]> = [
    ['{"a": 1, "b": ', { a: 1 }, ['value-expected', 'close-brace-expected']],
    ['{"a": [1, 2 }', { a: [1, 2] }, ['comma-expected', 'close-bracket-expected']],
    ['{"a" 1, "b": 2}', { b: 2 }, ['colon-expected']],
    ['{"a": "unterminated', { a: 'unterminated' }, ['unterminated-string', 'close-brace-expected']],
    ['{"a": 1 "b": 2}', { a: 1, b: 2 }, ['comma-expected']],
    ['{"a": tru}', {}, ['invalid-symbol', 'value-expected']],
    ['', undefined, ['value-expected']],
    ['[1,,2]', [1, 2], ['value-expected']],
    ['{} {}', {}, ['end-of-file-expected']],
  ];
  for (const [text, value, kinds] of cases) {
    const { root, errors } = parseJson(text);
    assert.deepEqual(toValue(root), value, text);
    assert.deepEqual(errors.map((e) => e.kind), kinds, text);
    for (const error of errors) assert.ok(error.offset >= 0 && error.end <= text.length && error.offset <= error.end, text);
  }
});

test('a property whose value is not typed yet is kept, with no value', () => {
  const { root } = parseJson('{"reversePropertyName": }');
  const property = findProperty(root, 'reversePropertyName')!;
  assert.ok(property);
  assert.equal(property.value, undefined);
});

test('very deep nesting does not overflow the stack', () => {
  const depth = 200_000;
  const text = '['.repeat(depth) + ']'.repeat(depth);
  const { root, errors } = parseJson(text);
  assert.equal(root?.type, 'array');
  assert.deepEqual(errors.map((e) => e.kind), ['too-deep']);
  assert.deepEqual(toValue(parseJson('{"a":' + '['.repeat(900) + ']'.repeat(900) + '}').root) !== undefined, true);
});

test('duplicate keys: both kept in order, lookups see the last (as JSON.parse)', () => {
  const { root } = parseJson('{"a": 1, "a": 2}');
  assert.equal(root?.type === 'object' && root.properties.length, 2);
  assert.deepEqual(toValue(findProperty(root, 'a')!.value), 2);
});

test('line index: LF, CRLF and CR line breaks, UTF-16 characters', () => {
  const text = 'a\r\nb\nc\rd😀e';
  const index = new LineIndex(text);
  assert.equal(index.lineCount, 4);
  assert.deepEqual(index.positionAt(text.indexOf('b')), { line: 1, character: 0 });
  assert.deepEqual(index.positionAt(text.indexOf('d')), { line: 3, character: 0 });
  assert.deepEqual(index.positionAt(text.indexOf('e')), { line: 3, character: 3 });
  assert.equal(index.offsetAt({ line: 3, character: 3 }), text.indexOf('e'));
  assert.equal(index.offsetAt({ line: 99, character: 0 }), text.length);
});
