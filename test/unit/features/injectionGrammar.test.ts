/**
 * The JSON injection grammar: injected into JSON and JSONC, every rule compiles, and the rules mark relationship keys
 * and target paths but not the same words as values, inside other strings, or as keys of other kinds.
 * (Checked with vscode-textmate against VS Code's JSON grammar while writing it; here the regexes are checked alone.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from '../../helpers/fixtures';

interface Rule { match: string; captures: Record<string, { name: string }> }
interface Grammar { scopeName: string; injectionSelector: string; patterns: Array<{ include: string }>; repository: Record<string, Rule> }

const grammar: Grammar = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'syntaxes', 'idm-managed.injection.tmLanguage.json'), 'utf8'));

/** The tokens a rule marks in `line`, as `text:scope` for the given capture group. */
function marked(rule: string, line: string, group: number): string[] {
  const regex = new RegExp(grammar.repository[rule].match, 'g');
  return [...line.matchAll(regex)].map((m) => m[group]);
}

test('injected into JSON and JSON with comments, outside strings and comments', () => {
  assert.equal(grammar.scopeName, 'idm-managed.injection');
  const selectors = grammar.injectionSelector.split(',').map((s) => s.trim());
  assert.deepEqual(selectors, ['L:source.json -comment -string', 'L:source.json.comments -comment -string']);
  for (const pattern of grammar.patterns) assert.ok(grammar.repository[pattern.include.slice(1)], pattern.include);
  for (const [name, rule] of Object.entries(grammar.repository)) {
    assert.doesNotThrow(() => new RegExp(rule.match), name);
    const groups = new RegExp(`${rule.match}|`).exec('')!.length - 1;
    for (const group of Object.keys(rule.captures)) assert.ok(Number(group) <= groups, `${name} capture ${group}`);
  }
});

test('relationship keys are marked as keys only, keeping the JSON property-name scope', () => {
  const line = '"reverseRelationship": true, "reversePropertyName" : "validate", "title": "notifySelf", "notifySelf":true, "resourceCollectionX": []';
  assert.deepEqual(marked('relationship-key', line, 2), ['reverseRelationship', 'reversePropertyName', 'notifySelf']);
  const scope = grammar.repository['relationship-key'].captures['0'].name;
  assert.match(scope, /support\.type\.property-name\.json/);
  assert.match(scope, /keyword\./, 'a keyword scope, which every theme colours');
  for (const key of ['resourceCollection', 'notifyRelationships', 'relationshipGrantTemporalConstraintsEnforced', 'referencedRelationshipFields', 'conditionalAssociationField']) {
    assert.deepEqual(marked('relationship-key', `"${key}": 1`, 2), [key]);
  }
});

test('target paths are marked as values: managed/<name>, internal/role|user, repo/internal/role', () => {
  const line = '"path": "managed/alpha_user", "x": "internal/role", "y": "repo/internal/role", "managed/user": 1, "z": "managed/", "w": "managed/a/b"';
  assert.deepEqual(marked('target-path', line, 4), ['alpha_user', 'role', 'role']);
  assert.match(grammar.repository['target-path'].captures['4'].name, /^entity\.name\.type\./);
  assert.deepEqual(marked('relationship-type', '"type": "relationship", "relationship": {}, "title": "relationships"', 2), ['relationship']);
});
