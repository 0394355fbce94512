/** The tolerant parser: exact offsets, JSONC, recovery from half-typed input, no stack overflow, never a throw. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseJson } from '../../../server/src/core/json/parser';
import { buildTape } from '../../../server/src/core/json/tapeBuilder';
import { findProperty, getValueNode, nodeAtOffset, pathOf, toValue, type JsonArray, type JsonObject } from '../../../server/src/core/json/ast';
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
    // Only the colon is missing: the value after it is kept.
    ['{"a" 1, "b": 2}', { a: 1, b: 2 }, ['colon-expected']],
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

test('a key being typed on a new line keeps the keys after it in their object (one error, at the key)', () => {
  const cases: Array<[string, string[], string, number]> = [
    // VS Code closes the quote: `""` then the next line's key.
    ['{"a":1,""\n"b":2}', ['a', '', 'b'], 'colon-expected', 7],
    ['{"a":1,"x"\n"b":2}', ['a', 'x', 'b'], 'colon-expected', 7],
    ['{"a":1,"x" "b":2}', ['a', 'x', 'b'], 'colon-expected', 7],
    ['{"a":1,"x":\n"b":2}', ['a', 'x', 'b'], 'value-expected', 10],
    ['{"a":1,"x\n"b":2}', ['a', 'x', 'b'], 'unterminated-string', 7],
  ];
  for (const [text, keys, kind, offset] of cases) {
    const { root, errors } = parseJson(text);
    assert.deepEqual(root?.type === 'object' && root.properties.map((p) => p.key), keys, text);
    assert.equal(findProperty(root, 'b')?.value?.type, 'number', text);
    assert.deepEqual(errors.map((e) => `${e.kind}@${e.offset}`).slice(0, 1), [`${kind}@${offset}`], text);
    assert.ok(!errors.some((e) => e.kind === 'comma-expected'), `${text}: the missing comma is not a second error`);
  }
});

test('a key without a colon does not close its object: the next member is read in it', () => {
  const text = '{\n  "items": {\n    "type": "relationship",\n    "x"\n    "properties": { "_ref": {} },\n    "validate": true\n  },\n  "title": "T"\n}';
  const { root } = parseJson(text);
  // (toValue leaves out members without a value.)
  assert.deepEqual(toValue(root), { items: { type: 'relationship', properties: { _ref: {} }, validate: true }, title: 'T' });
  const items = findProperty(root, 'items')!.value;
  assert.deepEqual(items?.type === 'object' && items.properties.map((p) => p.key), ['type', 'x', 'properties', 'validate']);
});

test('an unclosed brace in an indented file ends where the indentation says, not at the end of the file', () => {
  const text = [
    '{',
    '  "properties": {',
    '    "roles": {',
    '      "type": "array",',
    '      "x": {',
    '      "items": {',
    '        "type": "relationship"',
    '      },',
    '      "title": "Roles"',
    '    },',
    '    "manager": {',
    '      "type": "relationship",',
    '      "',
    '    "name": { "type": "string" }',
    '  }',
    '}',
  ].join('\n');
  const { root, errors } = parseJson(text);
  assert.deepEqual(toValue(root), {
    properties: {
      roles: { type: 'array', x: {}, items: { type: 'relationship' }, title: 'Roles' },
      manager: { type: 'relationship' },
      name: { type: 'string' },
    },
  });
  const opening = (line: number) => text.split('\n').slice(0, line).join('\n').length + 1;
  // The two unclosed braces are reported where they open; nothing is reported at the end of the file.
  const unclosed = errors.filter((e) => e.kind === 'close-brace-expected').map((e) => e.offset);
  assert.deepEqual(unclosed, [opening(4) + '      "x": '.length, opening(10) + '    "manager": '.length]);
  assert.ok(!errors.some((e) => e.kind === 'comma-expected'), 'no comma error after a container closed by indentation');
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

test('a text denser than the tape expects: read whole, and its tape grown to what it holds, not by a fixed factor', () => {
  // About 4 characters a value, against the 32 the first reservation assumes: the tape grows, by projection. Large
  // enough (1.7 million values) for the tape to keep the writer's columns rather than copies of the slots.
  const items = Array.from({ length: 1_700_000 }, (_, i) => (i % 3 === 0 ? `"${i % 10}"` : i % 3 === 1 ? 'true' : `${i % 10}`));
  const text = `{"a": [${items.join(',')}], "b": {"c": null}}`;
  const { tape, root, errors } = buildTape(text);
  assert.deepEqual(errors, []);
  assert.equal(tape.count, items.length + 4);
  assert.equal(tape.end[root], text.length);
  const parsed = parseJson(text).root as JsonObject;
  const list = getValueNode(parsed, 'a') as JsonArray;
  assert.deepEqual(list.items.slice(-3).map(toValue), items.slice(-3).map((item) => JSON.parse(item)));
  assert.deepEqual(toValue(getValueNode(parsed, 'b')), { c: null });
  // The columns are views of the writer's room: what it holds past the slots is reserved for nothing. (Growing by
  // half each time reserved 2.2 million slots here.)
  const columns = [tape.kind, tape.flags, tape.start, tape.end, tape.keyStart, tape.keyEnd, tape.next, tape.childCount];
  const reserved = [...new Set(columns.map((column) => column.buffer))].reduce((sum, buffer) => sum + buffer.byteLength, 0) / (6 * 4 + 2);
  assert.ok(reserved < tape.count * 1.15, `${reserved} slots reserved for ${tape.count}`);
});
