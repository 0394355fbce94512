/** The .idmsim TextMate grammar: every regex compiles, includes resolve, and the rules match sample lines. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './helpers';

interface Rule {
  name?: string;
  match?: string;
  begin?: string;
  end?: string;
  while?: string;
  include?: string;
  patterns?: Rule[];
  captures?: Record<string, Rule>;
  beginCaptures?: Record<string, Rule>;
  endCaptures?: Record<string, Rule>;
}

interface Grammar {
  scopeName: string;
  patterns: Rule[];
  repository: Record<string, Rule>;
}

const grammar: Grammar = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'syntaxes', 'idmsim.tmLanguage.json'), 'utf8'));

/** Oniguruma syntax that JavaScript lacks, rewritten to its JavaScript equivalent. */
function toJsRegExp(source: string): RegExp {
  let flags = '';
  let body = source;
  if (body.startsWith('(?i)')) {
    flags += 'i';
    body = body.slice(4);
  }
  body = body
    .replace(/\\h/g, '[0-9A-Fa-f]')
    .replace(/\\H/g, '[^0-9A-Fa-f]')
    .replace(/\\A/g, '^')
    .replace(/\\[zZ]/g, '$')
    .replace(/\\G/g, '');
  return new RegExp(body, flags);
}

function allRules(): Array<{ where: string; rule: Rule }> {
  const found: Array<{ where: string; rule: Rule }> = [];
  const visit = (rule: Rule, where: string) => {
    found.push({ where, rule });
    rule.patterns?.forEach((r, i) => visit(r, `${where}.patterns[${i}]`));
    for (const key of ['captures', 'beginCaptures', 'endCaptures'] as const) {
      for (const [group, r] of Object.entries(rule[key] ?? {})) visit(r, `${where}.${key}[${group}]`);
    }
  };
  grammar.patterns.forEach((r, i) => visit(r, `patterns[${i}]`));
  for (const [name, r] of Object.entries(grammar.repository)) visit(r, `repository.${name}`);
  return found;
}

const regex = (name: string, key: 'match' | 'begin' | 'end' = 'match'): RegExp => {
  const source = grammar.repository[name][key];
  assert.ok(source, `${name}.${key}`);
  return toJsRegExp(source);
};

/** The top-level rule (by repository name) that claims a line: the earliest match, ties by order. */
function topLevelRule(line: string): string | undefined {
  let best: { name: string; index: number } | undefined;
  const candidates = (rule: Rule, name: string): Array<{ name: string; source: string }> => {
    if (rule.include) {
      const key = rule.include.slice(1);
      return candidates(grammar.repository[key], key);
    }
    if (rule.match ?? rule.begin) return [{ name, source: (rule.match ?? rule.begin)! }];
    return (rule.patterns ?? []).flatMap((r) => candidates(r, name));
  };
  for (const top of grammar.patterns) {
    for (const { name, source } of candidates(top, '')) {
      const match = toJsRegExp(source).exec(line);
      if (match && (!best || match.index < best.index)) best = { name, index: match.index };
    }
  }
  return best?.name;
}

test('the grammar is source.idmsim and every regex compiles in JavaScript', () => {
  assert.equal(grammar.scopeName, 'source.idmsim');
  let count = 0;
  for (const { where, rule } of allRules()) {
    for (const key of ['match', 'begin', 'end', 'while'] as const) {
      const source = rule[key];
      if (source === undefined) continue;
      assert.doesNotThrow(() => toJsRegExp(source), `${where}.${key}: ${source}`);
      count++;
    }
  }
  assert.ok(count > 20, `${count} regexes`);
});

test('every include resolves, and JSON bodies are embedded as source.json', () => {
  const includes = allRules().flatMap(({ rule }) => (rule.include ? [rule.include] : []));
  for (const include of includes) {
    if (include.startsWith('#')) assert.ok(grammar.repository[include.slice(1)], include);
    else assert.ok(include === 'source.json' || include === '$self', include);
  }
  assert.ok(includes.filter((i) => i === 'source.json').length >= 2, 'http bodies and curl --data bodies');
});

test('each kind of line is claimed by its rule', () => {
  const cases: Array<[string, string]> = [
    ['### create psmith', 'separator'],
    ['###', 'separator'],
    ['# @name psmith', 'name-comment'],
    ['# a comment', 'comment'],
    ['// a comment', 'comment'],
    ['@config ../conf/managed.json', 'directive'],
    ['GET managed/user/psmith?_fields=manager HTTP/1.1', 'request-line'],
    ['DELETE /openidm/managed/user/bjensen', 'request-line'],
    ['    &_pageSize=1', 'query-continuation'],
    ['Content-Type: application/json', 'header'],
    ['{', 'json-body'],
    ['[ { "operation": "add" } ]', 'json-body'],
    ['curl \\', 'curl'],
    ['      $ curl \\', 'curl'],
  ];
  for (const [line, rule] of cases) assert.equal(topLevelRule(line), rule, line);
});

test('request line captures: method, URL with collection and query parameters, HTTP version', () => {
  const match = regex('request-line').exec('PUT http://localhost:8080/openidm/managed/user/psmith?_queryFilter=sn+eq+%27Smith%27&_pageSize=1 HTTP/1.1')!;
  assert.equal(match[1], 'PUT');
  assert.equal(match[2], 'http://localhost:8080/openidm/managed/user/psmith?_queryFilter=sn+eq+%27Smith%27&_pageSize=1');
  assert.equal(match[3], 'HTTP/1.1');
  const url = grammar.repository.url.patterns!;
  const find = (scope: string) => url.find((r) => JSON.stringify(r).includes(scope))!;
  const collection = toJsRegExp(find('entity.name.type.collection').match!).exec(match[2])!;
  assert.deepEqual([collection[1], collection[3]], ['managed', 'user']);
  const query = toJsRegExp(find('query-parameter').match!);
  const params = [...match[2].matchAll(new RegExp(query.source, 'g'))].map((m) => [m[2], m[4]]);
  assert.deepEqual(params, [['_queryFilter', 'sn+eq+%27Smith%27'], ['_pageSize', '1']]);
  assert.ok(toJsRegExp(grammar.repository['percent-escape'].match!).test('%27'));
  assert.equal(regex('request-line').exec('GET managed/user')![3], undefined);
});

test('header captures name and value', () => {
  const match = regex('header').exec('Accept-API-Version: resource=1.0')!;
  assert.deepEqual([match[1], match[3]], ['Accept-API-Version', 'resource=1.0']);
});

test('curl: continuations (including the docs\' quirks) keep the command open; its last line closes it', () => {
  // vscode-textmate hands Oniguruma each line with a "\n" appended, and Oniguruma's `$` matches before a
  // line break and at the very end: `m` and the appended "\n" reproduce that in JavaScript.
  const end = new RegExp(regex('curl', 'end').source, 'm');
  const endsAt = (line: string) => end.test(`${line}\n`);
  assert.equal(endsAt('curl \\'), false);
  assert.equal(endsAt('--header "X-OpenIDM-Password: openidm-admin" \\ \\'), false);
  assert.equal(endsAt('--header "X-OpenIDM-Password: openidm-admin" \\\\'), false);
  assert.equal(endsAt('--header "Authorization: Bearer <access-token>" \\ (1)'), false);
  assert.equal(endsAt('"http://localhost:8080/openidm/managed/user/psmith/manager"'), true);
  assert.equal(endsAt('"https://<tenant-env-fqdn>/openidm/managed/user?_queryFilter=/reports+pr" (2)'), true);
  const patterns = grammar.repository.curl.patterns!;
  const byName = (name: string) => patterns.find((r) => r.name === name)!;
  const continuation = toJsRegExp(byName('constant.character.escape.line-continuation.idmsim').match!);
  assert.ok(continuation.test('--request GET \\'));
  assert.ok(continuation.test('--header "a: b" \\ (1)'));
  assert.ok(!continuation.test('-d "{\\"a\\": 1}" x'));
  const data = toJsRegExp(byName('meta.curl.data.idmsim').begin!).exec("--data '{")!;
  assert.equal(data[1], '--data');
  const header = toJsRegExp(byName('meta.curl.header.idmsim').match!).exec('--header "If-Match: *" \\')!;
  assert.deepEqual([header[3], header[5]], ['If-Match', '*']);
  const method = toJsRegExp(byName('meta.curl.method.idmsim').match!).exec('--request PATCH \\')!;
  assert.equal(method[3], 'PATCH');
});

test('a JSON body ends where the next request begins, not inside the JSON', () => {
  const end = new RegExp(regex('json-body', 'end').source, 'm');
  for (const line of ['### next', 'GET managed/user', 'curl -X GET x', '$ curl \\']) assert.ok(end.test(line), line);
  for (const line of ['  "GET": 1,', '}', '  "curl": "x"', '# a comment']) assert.ok(!end.test(line), line);
});

test('the language configuration declares # comments and JSON brackets', () => {
  const config = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'syntaxes', 'idmsim.language-configuration.json'), 'utf8'));
  assert.equal(config.comments.lineComment, '#');
  assert.deepEqual(config.brackets, [['{', '}'], ['[', ']']]);
});
