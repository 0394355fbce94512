/**
 * Inputs at the extremes: 100,000 levels of nesting, 10 MB strings in every naming position, tens of thousands of
 * types and properties. Each must be read and checked without a stack overflow, in time proportional to its size.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseJson } from '../../server/src/core/json/parser';
import { toValue } from '../../server/src/core/json/ast';
import { DIAGNOSTIC_CODES } from '../../server/src/core/diagnostics/catalogue';
import { FUZZ_TEST_OPTIONS } from './fuzzSettings';
import { assertLinear, checkAndVerify, type Files } from './invariants';

const URI = 'file:///extreme/conf/managed.json';
const DEEP = 100_000;
const TEN_MB = 10 * 1024 * 1024;

function single(text: string): Files {
  return new Map([[URI, text]]);
}

/** A managed.json with `user` and `role`, where `slot` is the JSON text put at one relationship position. */
function configWith(position: 'resourceCollection' | 'items' | 'query' | 'queryConfig' | 'properties' | 'notifyRelationships' | 'path', slot: string): string {
  const rc = position === 'resourceCollection' ? slot : `[{ "path": ${position === 'path' ? slot : '"managed/role"'}, "query": ${position === 'query' ? slot : '{ "queryFilter": "true", "fields": ["name"] }'} }]`;
  const roles = position === 'items' ? slot : `{ "type": "relationship", "reverseRelationship": true, "reversePropertyName": "members", "resourceCollection": ${rc} }`;
  const user = `{ "name": "user", "schema": { "properties": { "name": { "type": "string" },
    "roles": { "type": "array", "items": ${roles}${position === 'notifyRelationships' ? `, "notifyRelationships": ${slot}` : ''} },
    "effective": { "type": "array", "isVirtual": true, "queryConfig": ${position === 'queryConfig' ? slot : '{ "referencedRelationshipFields": ["roles"], "referencedObjectFields": ["name"] }'} }${position === 'properties' ? `, "deep": ${slot}` : ''} } } }`;
  const role = `{ "name": "role", "schema": { "properties": { "name": { "type": "string" },
    "members": { "type": "array", "items": { "type": "relationship", "reverseRelationship": true, "reversePropertyName": "roles", "resourceCollection": [{ "path": "managed/user", "query": { "queryFilter": "true", "fields": ["name"] } }] } } } } }`;
  return `{ "objects": [ ${user}, ${role} ] }`;
}

const nestedArrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const nestedObjects = (depth: number, key = 'a') => `{"${key}":`.repeat(depth) + '1' + '}'.repeat(depth);

test('100,000 levels of nesting at the root, closed and unclosed', FUZZ_TEST_OPTIONS, () => {
  for (const text of [nestedArrays(DEEP), nestedObjects(DEEP), '['.repeat(DEEP), '{"a":'.repeat(DEEP), '[{"a":'.repeat(DEEP / 2), nestedObjects(DEEP, 'objects')]) {
    const { findings } = checkAndVerify(single(text), {}, `${text.slice(0, 12)}… (${text.length})`);
    assert.ok(findings.some((f) => f.code === 'json-syntax' && f.data.kind === 'too-deep'), 'the depth limit is reported');
  }
});

test('nesting around the depth limit: the parser keeps what it can and reports the rest', FUZZ_TEST_OPTIONS, () => {
  for (const depth of [998, 999, 1000, 1001, 1002, 1003]) {
    const parsed = parseJson(nestedArrays(depth));
    assert.ok(parsed.root, `depth ${depth} has a root`);
    checkAndVerify(single(nestedArrays(depth)), {}, `depth ${depth}`);
    // toValue is iterative: a tree as deep as the parser allows converts without recursion.
    assert.ok(Array.isArray(toValue(parsed.root)));
  }
});

test('100,000 levels of nesting at every relationship position', FUZZ_TEST_OPTIONS, () => {
  const slots = [nestedArrays(DEEP), nestedObjects(DEEP), nestedObjects(DEEP, 'items'), `{"type":"array","items":`.repeat(DEEP / 10) + '{}' + '}'.repeat(DEEP / 10)];
  for (const position of ['resourceCollection', 'items', 'query', 'queryConfig', 'properties', 'notifyRelationships', 'path'] as const) {
    for (const slot of slots) {
      const { findings } = checkAndVerify(single(configWith(position, slot)), {}, `${position} = ${slot.slice(0, 20)}…`);
      // The rest of the file is still checked: role.members is still found as the reverse of user.roles.
      assert.ok(!findings.some((f) => f.code === 'reverse-property-missing' && (f.data.origin as any)?.property === 'roles'), `${position}: the reverse pair was lost`);
    }
  }
});

test('a 10 MB name at every naming position', FUZZ_TEST_OPTIONS, () => {
  const huge = 'n'.repeat(TEN_MB);
  const other = 'm'.repeat(TEN_MB);
  const base = configWith('path', '"managed/role"');
  const variants: Array<[string, string]> = [
    ['object name', base.replace('"name": "role"', `"name": "${huge}"`)],
    ['two huge object names', base.replace('"name": "role"', `"name": "${huge}"`).replace('"name": "user"', `"name": "${other}"`)],
    ['property key', base.replace('"members":', `"${huge}":`)],
    ['reversePropertyName', base.replace('"reversePropertyName": "members"', `"reversePropertyName": "${huge}"`)],
    ['path', base.replace('"path": "managed/role"', `"path": "managed/${huge}"`)],
    ['path and object name', base.replace('"path": "managed/role"', `"path": "managed/${huge}"`).replace('"name": "role"', `"name": "${other}"`)],
    ['query field', base.replace('"fields": ["name"] }', `"fields": ["${huge}"] }`)],
    ['query field and property', base.replace('"fields": ["name"] }', `"fields": ["${huge}"] }`).replace('"name": { "type": "string" },\n    "members"', `"${other}": { "type": "string" },\n    "members"`)],
    ['notifyRelationships entry', configWith('notifyRelationships', `["${huge}"]`)],
    ['rdvp hop', configWith('queryConfig', `{ "referencedRelationshipFields": ["${huge}"], "referencedObjectFields": ["${other}"] }`)],
    ['unterminated string', base.slice(0, 200) + '"' + huge],
    ['escaped string', base.replace('"name": "role"', `"name": "${'\\u0041'.repeat(TEN_MB / 6)}"`)],
    ['whitespace and comments', base.replace('{ "objects"', `${' '.repeat(TEN_MB / 2)}/* ${'*'.repeat(TEN_MB / 2)} */{ "objects"`)],
  ];
  for (const [label, text] of variants) {
    assert.notEqual(text, base, `${label}: the variant changed nothing`);
    checkAndVerify(single(text), { platform: 'aic' }, label);
  }
});

// Sizes at which each former quadratic path, or spread of a huge list into a call's arguments, fails loudly.
test('5,000 object types, 150,000 relationships on one type, 30,000 pointing back, 20,000 targets in one resourceCollection', FUZZ_TEST_OPTIONS, () => {
  // Each unknown target is compared with every type name for a "did you mean": that was quadratic.
  const types = Array.from({ length: 5_000 }, (_, i) => `{ "name": "t${i}", "schema": { "properties": { "p": { "type": "relationship", "reverseRelationship": true, "reversePropertyName": "q${i}", "resourceCollection": [{ "path": "managed/x${i}" }] } } } }`);
  checkAndVerify(single(`{ "objects": [${types.join(',')}] }`), { platform: 'aic' }, '5,000 types each pointing at a missing one');

  // The model spread a type's relationships into push(): past ~125,000 arguments that overflows the stack.
  const many = Array.from({ length: 150_000 }, (_, i) => `"r${i}":{"type":"relationship"}`);
  checkAndVerify(single(`{"objects":[{"name":"u","schema":{"properties":{${many.join(',')}}}}]}`), { platform: 'aic' }, '150,000 relationships on one type');

  // Each relationship's reverse was looked for by scanning every property of the target: quadratic on one big type.
  const selfPointing = Array.from({ length: 30_000 }, (_, i) => `"r${i}": { "type": "relationship", "reverseRelationship": true, "reversePropertyName": "x", "resourceCollection": [{ "path": "managed/u", "query": { "fields": ["r${i}"] } }] }`);
  checkAndVerify(single(`{ "objects": [{ "name": "u", "schema": { "properties": { ${selfPointing.join(',')} } } }] }`), {}, '30,000 relationships naming a missing reverse on their own type');

  const properties = Array.from({ length: 30_000 }, (_, i) => `"p${i % 15_000}": { "type": "relationship", "resourceCollection": [{ "path": "managed/u", "query": { "fields": ["nope${i}"] } }] }`);
  checkAndVerify(single(`{ "objects": [{ "name": "u", "schema": { "properties": { ${properties.join(',')} } } }] }`), { platform: 'aic' }, '30,000 properties, half duplicated, unknown query fields');

  const targets = Array.from({ length: 20_000 }, (_, i) => `{ "path": "managed/missing${i}", "notify": true, "query": { "fields": ["f${i}"] } }`);
  const typesNear = Array.from({ length: 2_000 }, (_, i) => `{ "name": "missing${i * 10 + 1}", "schema": { "properties": {} } }`);
  checkAndVerify(single(`{ "objects": [{ "name": "u", "schema": { "properties": { "r": { "type": "relationship", "reverseRelationship": true, "reversePropertyName": "back", "resourceCollection": [${targets.join(',')}] } } } }, ${typesNear.join(',')}] }`),
    {}, '20,000 polymorphic targets, 2,000 similar type names');
});

/** Findings off: what is timed is the analysis, not the building of messages (which is linear anyway). */
const everythingOff = () => Object.fromEntries(DIAGNOSTIC_CODES.map((code) => [code, 'off' as const]));

const config = (objects: string[]) => single(`{ "objects": [${objects.join(',')}] }`);

test('linear time: origins whose reverse is missing on a big type (each looked for properties pointing back)', FUZZ_TEST_OPTIONS, () => {
  assertLinear('origins without their reverse on a big type', (n) => config([
    `{ "name": "u", "schema": { "properties": { ${Array.from({ length: n }, (_, i) => `"o${i}": { "type": "relationship", "reverseRelationship": true, "reversePropertyName": "back${i}", "resourceCollection": [{ "path": "managed/t", "query": { "fields": ["a${i}"] } }] }`).join(',')} } } }`,
    `{ "name": "t", "schema": { "properties": { ${Array.from({ length: n }, (_, i) => `"a${i}": { "type": "relationship", "reversePropertyName": "z", "resourceCollection": [{ "path": "managed/u" }] }`).join(',')} } } }`,
  ]), 2000, { severities: everythingOff() });
});

test('linear time: types pointing at missing types (each compared with every type name for a suggestion)', FUZZ_TEST_OPTIONS, () => {
  assertLinear('types pointing at missing types', (n) => config(Array.from({ length: n }, (_, i) =>
    `{ "name": "t${i}", "schema": { "properties": { "p": { "type": "relationship", "resourceCollection": [{ "path": "managed/x${i}", "query": { "fields": ["f"] } }] } } } }`)), 500);
});

test('linear time: unknown query fields on a big type (each compared with every property of the target)', FUZZ_TEST_OPTIONS, () => {
  assertLinear('unknown query fields on a big type', (n) => config([
    `{ "name": "u", "schema": { "properties": { ${Array.from({ length: n }, (_, i) => `"p${i}": { "type": "relationship", "resourceCollection": [{ "path": "managed/u", "query": { "fields": ["q${i}"] } }] }`).join(',')} } } }`,
  ]), 1000);
});
