/**
 * Mutations of real configs for fuzzing. Each mutation is plain data (numbers picked by fast-check, scaled to the
 * text at hand), so that fast-check can shrink a failing case and print it, and `applyMutation` replays it.
 */
import * as path from 'path';
import fc from 'fast-check';
import type { JsonNode, JsonProperty } from '../../server/src/core/json/ast';
import { parseJson } from '../../server/src/core/json/parser';
import { CORPUS, FIXTURES, jsonFilesUnder, readFixture, uriOf } from '../helpers/fixtures';
import type { Files } from './invariants';

/** Every key IDM reads to build a relationship, or that the model reads to find one. */
export const RELATIONSHIP_KEYS = [
  'type', 'items', 'reverseRelationship', 'reversePropertyName', 'resourceCollection', 'path', 'query', 'fields',
  'queryFilter', 'label', 'notify', 'notifySelf', 'notifyRelationships', 'queryConfig', 'referencedRelationshipFields',
  'referencedObjectFields', 'flattenProperties', 'isVirtual', 'validate', 'conditionalAssociation',
  'conditionalAssociationField', 'properties', 'schema', 'objects', 'name', 'order', 'required', 'title', 'idm',
  'managed', 'internal', '_id',
] as const;

/** Values of every JSON type, including the ones a relationship key expects (in the wrong place) and edge numbers. */
export const VALUE_PALETTE = [
  'null', 'true', 'false', '0', '-0', '1e999', '-1.7976931348623157e308', '0.0000001', '""', '"relationship"', '"array"',
  '"string"', '"managed/"', '"managed/user"', '"managed/managed/user"', '"internal/role"', '"internal/user"',
  '"repo/internal/role"', '"/"', '"../../etc"', '"__proto__"', '"constructor"', '"toString"', '"hasOwnProperty"',
  '[]', '[null]', '[1, 2]', '["a", {"b": 1}]', '[[]]', '[["roles"], "x"]', '[["__proto__", "constructor"]]',
  '{}', '{"path": 1}', '{"path": "managed/user"}', '{"type": "relationship"}', '{"fields": {}}', '{"__proto__": {"x": 1}}',
  '{"type": ["relationship", "null"], "reverseRelationship": "true"}', '[{"path": null, "notify": "yes", "query": []}]',
  '{"type": "relationship", "reverseRelationship": true}', '{"type": "array", "items": {"type": "relationship", "reverseRelationship": true, "reversePropertyName": "items", "resourceCollection": {}}}',
] as const;

/** Tokens inserted at random places: structure, literals, comments, broken strings and escapes. */
export const TOKEN_PALETTE = [
  '{', '}', '[', ']', ',', ':', '"', '\\', '"x"', '"type"', 'null', 'true', '-', '1e', '0x10', 'NaN', '//', '/*', '*/',
  '\n', '\r', '\r\n', '\t', '\u2028', '\u0000', '"\\u12"', '"\\ud800"', '"\\q"', '\uFEFF', ' ', '{"a":', '[[', ']]', '}}',
  '"reverseRelationship": true,', '"resourceCollection": [],', '"properties": {},', '"items": ',
] as const;

/** Names that stress Unicode handling: astral planes, combining marks, bidi text, lone surrogates, controls. */
export const HOSTILE_NAMES = [
  '𝒰𝓈ℯ𝓇', '😀', '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}', 'e\u0301\u0301\u0301\u0301', 'Z\u0337\u0322\u031B\u0353a\u0338l\u0335',
  'مستخدم', 'עברית', '\u202Euser\u202C', '\u200Fmanager', '\uD800', 'a\uDC00b', '\uDBFF', '\uDFFF\uD800', '\u200B', '\uFEFFname',
  '\u0000', '\u001F', '\u2028\u2029', 'a"b', 'a\\b', '/', 'a/b', '', ' ', '__proto__', 'constructor', 'toString',
  'hasOwnProperty', 'x'.repeat(20000),
] as const;

export type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert-token'; at: number; token: number }
  | { kind: 'duplicate-property'; which: number }
  | { kind: 'wrong-value'; which: number; value: number }
  | { kind: 'hostile-name'; which: number; name: number; raw: boolean }
  | { kind: 'move-property'; which: number; into: number };

export const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 80 }) }),
  fc.record({ kind: fc.constant('insert-token' as const), at: fc.nat(), token: fc.nat(TOKEN_PALETTE.length - 1) }),
  fc.record({ kind: fc.constant('duplicate-property' as const), which: fc.nat() }),
  { arbitrary: fc.record({ kind: fc.constant('wrong-value' as const), which: fc.nat(), value: fc.nat(VALUE_PALETTE.length - 1) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('hostile-name' as const), which: fc.nat(), name: fc.nat(HOSTILE_NAMES.length - 1), raw: fc.boolean() }), weight: 2 },
  fc.record({ kind: fc.constant('move-property' as const), which: fc.nat(), into: fc.nat() }),
);

interface Located {
  properties: JsonProperty[];
  objects: JsonNode[];
  /** Strings that name something: object names, property keys, reverse names, paths, list entries. */
  names: Array<{ start: number; end: number; prefix: string }>;
}

const NAME_VALUE_KEYS = new Set(['name', 'reversePropertyName', 'path', 'conditionalAssociationField']);
const NAME_LIST_KEYS = new Set(['notifyRelationships', 'fields', 'referencedRelationshipFields', 'referencedObjectFields', 'order', 'required']);

function locate(text: string): Located {
  const { root } = parseJson(text);
  const located: Located = { properties: [], objects: [], names: [] };
  const stack: JsonNode[] = root ? [root] : [];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === 'object') {
      located.objects.push(node);
      for (const property of node.properties) {
        located.properties.push(property);
        if (node.parent?.type === 'object' && node.property?.key === 'properties') located.names.push({ start: property.keyOffset, end: property.keyEnd, prefix: '' });
        const value = property.value;
        if (!value) continue;
        if (value.type === 'string' && NAME_VALUE_KEYS.has(property.key)) {
          located.names.push({ start: value.offset, end: value.end, prefix: property.key === 'path' ? 'managed/' : '' });
        }
        if (value.type === 'array' && NAME_LIST_KEYS.has(property.key)) {
          for (const item of value.items) if (item.type === 'string') located.names.push({ start: item.offset, end: item.end, prefix: '' });
        }
        stack.push(value);
      }
    } else if (node.type === 'array') {
      for (const item of node.items) stack.push(item);
    }
  }
  return located;
}

/** A JSON string literal for `name`: escaped as JSON.stringify would, or raw (only quotes and backslashes escaped). */
function quote(name: string, raw: boolean): string {
  return raw ? `"${name.replace(/["\\]/g, (c) => '\\' + c)}"` : JSON.stringify(name);
}

/** How many places each structural mutation can pick from in `text` (its `which` is taken modulo these). */
export function mutationTargets(text: string): { properties: number; keyed: number; names: number; objects: number } {
  const located = locate(text);
  return { properties: located.properties.length, keyed: keyedProperties(located).length, names: located.names.length, objects: located.objects.length };
}

function keyedProperties(located: Located): JsonProperty[] {
  return located.properties.filter((p) => p.value && (RELATIONSHIP_KEYS as readonly string[]).includes(p.key));
}

const pick = <T>(list: readonly T[], index: number): T | undefined => (list.length ? list[index % list.length] : undefined);

export function applyMutation(text: string, mutation: Mutation): string {
  const at = (n: number) => (text.length ? n % (text.length + 1) : 0);
  switch (mutation.kind) {
    case 'truncate':
      return text.slice(0, at(mutation.at));
    case 'delete': {
      const start = at(mutation.at);
      return text.slice(0, start) + text.slice(start + mutation.length);
    }
    case 'insert-token': {
      const start = at(mutation.at);
      return text.slice(0, start) + TOKEN_PALETTE[mutation.token] + text.slice(start);
    }
    case 'duplicate-property': {
      const property = pick(locate(text).properties, mutation.which);
      if (!property) return text;
      const span = text.slice(property.keyOffset, property.value?.end ?? property.keyEnd);
      return text.slice(0, property.keyOffset) + span + ', ' + text.slice(property.keyOffset);
    }
    case 'wrong-value': {
      const property = pick(keyedProperties(locate(text)), mutation.which);
      if (!property?.value) return text;
      return text.slice(0, property.value.offset) + VALUE_PALETTE[mutation.value] + text.slice(property.value.end);
    }
    case 'hostile-name': {
      const name = pick(locate(text).names, mutation.which);
      if (!name) return text;
      return text.slice(0, name.start) + quote(name.prefix + HOSTILE_NAMES[mutation.name], mutation.raw) + text.slice(name.end);
    }
    case 'move-property': {
      const located = locate(text);
      const property = pick(located.properties, mutation.which);
      const target = pick(located.objects, mutation.into);
      if (!property?.value || !target || target.type !== 'object') return text;
      const span = text.slice(property.keyOffset, property.value.end);
      const insertAt = target.offset + 1;
      if (insertAt > property.keyOffset && insertAt < property.value.end) return text;
      // Edit the later place first, so the earlier offset stays valid.
      const cut = (t: string) => t.slice(0, property.keyOffset) + t.slice(property.value!.end);
      const paste = (t: string) => t.slice(0, insertAt) + span + ',' + t.slice(insertAt);
      return insertAt <= property.keyOffset ? paste(cut(text)) : cut(paste(text));
    }
  }
}

/** A real configuration: the files of one corpus repository, and one of them to mutate. */
export interface CorpusGroup {
  name: string;
  files: Files;
}

/** The real configs, one group per source repository (as a user's workspace would hold them), plus the rule fixtures. */
export function loadCorpusGroups(): CorpusGroup[] {
  const groups = new Map<string, Files>();
  const add = (group: string, file: string) => {
    if (!groups.has(group)) groups.set(group, new Map());
    groups.get(group)!.set(uriOf(file), readFixture(path.relative(FIXTURES, file)));
  };
  for (const file of jsonFilesUnder(CORPUS)) add(path.relative(CORPUS, file).split(path.sep)[0], file);
  for (const file of jsonFilesUnder(path.join(FIXTURES, 'rules'))) add('rules/' + path.relative(path.join(FIXTURES, 'rules'), file).split(path.sep)[0], file);
  return [...groups].map(([name, files]) => ({ name, files }));
}

/** One fuzz case: which group, which of its files, and the mutations applied in turn. */
export interface MutationCase {
  group: number;
  file: number;
  mutations: Mutation[];
}

export function mutationCaseArbitrary(maxMutations = 4): fc.Arbitrary<MutationCase> {
  return fc.record({ group: fc.nat(), file: fc.nat(), mutations: fc.array(mutationArbitrary, { minLength: 1, maxLength: maxMutations }) });
}

/** The group's files with the chosen one mutated. */
export function applyCase(groups: CorpusGroup[], testCase: MutationCase): { group: CorpusGroup; uri: string; files: Files } {
  const group = groups[testCase.group % groups.length];
  const uris = [...group.files.keys()];
  const uri = uris[testCase.file % uris.length];
  let text = group.files.get(uri)!;
  for (const mutation of testCase.mutations) text = applyMutation(text, mutation);
  const files = new Map(group.files);
  files.set(uri, text);
  return { group, uri, files };
}
