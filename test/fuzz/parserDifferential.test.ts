/**
 * The tape parser against the oracle (test/helpers/referenceParser.ts, built on jsonc-parser's scanner): on any
 * text both must give the same tree (kinds, values, key and value ranges, missing values) and the same errors.
 * Inputs: every corpus file, mutations of them (cut, duplicated or foreign characters at random places), and
 * random token soups that hit the tokenizer's corners (escapes, numbers, comments, words, line breaks).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import fc from 'fast-check';
import type { JsonNode, JsonObject } from '../../server/src/core/json/ast';
import { findProperty, forEachMember, getValueNode } from '../../server/src/core/json/ast';
import { parseJson } from '../../server/src/core/json/parser';
import { parseJson as parseWithOracle } from '../helpers/referenceParser';
import { CORPUS, jsonFilesUnder } from '../helpers/fixtures';
import { assertProperty, FUZZ_TEST_OPTIONS } from './fuzzSettings';

/** A flat, comparable listing of a tree, in document order. */
function dump(root: JsonNode | undefined): string[] {
  const lines: string[] = [];
  const stack: Array<[JsonNode, string]> = root ? [[root, '$']] : [];
  while (stack.length) {
    const [node, at] = stack.pop()!;
    const value = node.type === 'object' || node.type === 'array' ? '' : ` ${JSON.stringify(node.value)}${Object.is(node.value, -0) ? ' (-0)' : ''}`;
    lines.push(`${at} ${node.type} ${node.offset}-${node.end}${value}`);
    if (node.type === 'object') {
      const children: Array<[JsonNode, string]> = [];
      node.properties.forEach((property, i) => {
        lines.push(`${at}.${i} key ${JSON.stringify(property.key)} ${property.keyOffset}-${property.keyEnd}${property.value ? '' : ' (no value)'}`);
        if (property.value) {
          assert.equal(property.value.property, property);
          assert.equal(property.value.parent, node);
          assert.equal(property.owner, node);
          children.push([property.value, `${at}.${i}`]);
        }
      });
      stack.push(...children.reverse());
    } else if (node.type === 'array') {
      node.items.forEach((item) => assert.equal(item.parent, node));
      stack.push(...node.items.map((item, i): [JsonNode, string] => [item, `${at}[${i}]`]).reverse());
    }
  }
  return lines;
}

function assertSameParse(text: string, label: string): void {
  const expected = parseWithOracle(text);
  const actual = parseJson(text);
  assert.deepEqual(actual.errors, expected.errors, `errors differ for ${label}: ${JSON.stringify(text.slice(0, 200))}`);
  assert.deepEqual(dump(actual.root), dump(expected.root), `trees differ for ${label}: ${JSON.stringify(text.slice(0, 200))}`);
}

const corpus = jsonFilesUnder(CORPUS).map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));

test('every corpus file parses to the same tree and errors as the oracle', () => {
  assert.ok(corpus.length >= 18);
  for (const { file, text } of corpus) assertSameParse(text, file);
});

test('lookups and listings give the same member objects, in either order', () => {
  const text = '{"a": 1, "b": {"c": [true]}, "a": 2, "d": null}';
  const first = parseJson(text).root;
  const a = findProperty(first, 'a')!;
  assert.equal(a.value?.type === 'number' && a.value.value, 2, 'the last duplicate wins');
  assert.equal(first?.type === 'object' && first.properties[2], a);
  assert.equal(findProperty(first, 'a'), a);
  const second = parseJson(text).root;
  const listed = second?.type === 'object' ? second.properties : [];
  assert.equal(findProperty(second, 'b'), listed[1]);
  assert.equal(findProperty(second, 'missing'), undefined);
  // A value found first, its member later (and the other way round): one object each.
  const third = parseJson(text).root;
  const bValue = getValueNode(third, 'b')!;
  const c = getValueNode(bValue, 'c')!;
  assert.equal(c.property, findProperty(bValue, 'c'));
  assert.equal(c.property?.value, c);
  assert.equal(bValue.property?.owner, third);
  assert.equal(third?.type === 'object' && third.properties[1].value, bValue);
  assert.equal(findProperty(third, 'd')?.value, getValueNode(third, 'd'));
  assert.equal(parseJson('{"a": }').root?.type === 'object' && getValueNode(parseJson('{"a": }').root, 'a'), undefined);
  // Large objects switch to a key index; the answers must not change.
  const many = `{${Array.from({ length: 40 }, (_, i) => `"k${i % 30}": ${i}`).join(', ')}}`;
  const root = parseJson(many).root;
  const k5 = findProperty(root, 'k5')!;
  assert.equal(k5.value?.type === 'number' && k5.value.value, 35);
  assert.equal(root?.type === 'object' && root.properties[35], k5);
  // forEachMember on small and large objects: the values it hands out are the ones listing and lookups give later.
  for (const size of [5, 40]) {
    const object = parseJson(`{${Array.from({ length: size }, (_, i) => `"m${i}": {"v": ${i}}`).join(', ')}, "open": }`).root as JsonObject;
    const seen: Array<[string, JsonNode | undefined, number]> = [];
    forEachMember(object, (key, value, position) => seen.push([key, value, position]));
    assert.deepEqual(seen.map(([key]) => key), [...Array.from({ length: size }, (_, i) => `m${i}`), 'open']);
    assert.equal(seen[size][1], undefined, 'a member still being typed has no value');
    assert.equal(seen[3][1]!.property, object.properties[3]);
    assert.equal(object.properties[3].value, seen[3][1]);
    assert.equal(getValueNode(object, 'm2'), seen[2][1]);
    assert.equal(seen[2][2], 2);
  }
});

/** A corpus file with a few random edits: what a user's half-typed buffer looks like. */
const mutatedCorpus = fc.record({
  file: fc.nat(corpus.length - 1),
  edits: fc.array(fc.record({
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    remove: fc.nat(40),
    insert: fc.constantFrom('', '"', '{', '}', '[', ']', ',', ':', '/*', '*/', '//', '\\', '\\u12', '\n', '-', '1e', 'tru', 'null', '"a": ', '\u2028', '\t'),
  }), { minLength: 1, maxLength: 4 }),
});

test('mutated corpus files parse like the oracle', FUZZ_TEST_OPTIONS, () => {
  assertProperty('tape parser vs oracle on mutated corpus files', fc.property(mutatedCorpus, ({ file, edits }) => {
    let text = corpus[file].text;
    for (const edit of edits) {
      const at = Math.floor(edit.at * text.length);
      text = text.slice(0, at) + edit.insert + text.slice(at + edit.remove);
    }
    assertSameParse(text, `${corpus[file].file} edited`);
  }), 300);
});

/** Fragments chosen to reach every branch of the tokenizer and the recovery. */
const FRAGMENTS = [
  '{', '}', '[', ']', ',', ':', ' ', '\n', '\r\n', '\t', '"a"', '"key"', '"', '"\\"', '"\\n\\t\\/"', '"\\u00e9"', '"\\u12"', '"\\uZZZZ"',
  '"\\x"', '"\u0001"', '"multi\nline"', '0', '-', '-0', '-1.5', '1.', '1e', '1e+', '1E-7', '01', '12.5e3', '.5', '+1', 'true', 'false',
  'null', 'tru', 'nul', 'truex', 'NaN', 'x', '/', '//c\n', '/* c */', '/*', '*/', '\u00a0', '\u2028', '\ufeff', '"😀"', '\\',
];

test('token soups parse like the oracle', FUZZ_TEST_OPTIONS, () => {
  assertProperty('tape parser vs oracle on token soups', fc.property(
    fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }),
    (parts) => assertSameParse(parts.join(''), 'token soup'),
  ), 2000);
  assertProperty('tape parser vs oracle on random strings', fc.property(
    fc.string({ unit: fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', 'u', '1', '-', '.', 'e', '/', '*', '\n', ' ', 't', 'r', 'n', 'a'), maxLength: 60 }),
    (text) => assertSameParse(text, 'random string'),
  ), 2000);
});

test('texts that end inside every kind of token', () => {
  for (const text of ['/*', '/', '"', '"\\', '"\\u', '"\\u1', '-', '1.', '1e', '1e-', 't', '{"a', '{"a"', '{"a":', '{"a":1', '[', '[1,', '//', '/* * /']) {
    assertSameParse(text, JSON.stringify(text));
  }
});
