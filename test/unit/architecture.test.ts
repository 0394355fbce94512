/**
 * The architecture's invariants (ARCHITECTURE.md), checked on every import in the tree, in the manner of
 * rust-analyzer's tests that guard its layering. A failure names the file, the import and the rule it breaks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from '../helpers/fixtures';
import { DEFAULT_FILE_GLOBS } from '../../server/src/core/model/filePatterns';

interface Import {
  file: string;
  /** The import as written. */
  specifier: string;
  /** The repository path it resolves to, for relative imports. */
  target?: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true })) {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) found.push(...sourceFiles(relative));
    else if (entry.name.endsWith('.ts')) found.push(relative);
  }
  return found;
}

const IMPORT = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
const DYNAMIC = /\b(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): Import[] {
  const text = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
  const imports: Import[] = [];
  const add = (specifier: string, typeOnly: boolean) => {
    const target = specifier.startsWith('.') ? path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)) : undefined;
    imports.push({ file, specifier, target, typeOnly });
  };
  for (const match of text.matchAll(IMPORT)) add(match[3], !!match[2]);
  for (const match of text.matchAll(DYNAMIC)) add(match[1], false);
  return imports;
}

const NODE_BUILTINS = new Set(['fs', 'path', 'url', 'os', 'child_process', 'http', 'https', 'net', 'worker_threads', 'crypto', 'stream', 'util', 'events', 'readline', 'zlib']);
const isNodeBuiltin = (specifier: string) => specifier.startsWith('node:') || NODE_BUILTINS.has(specifier.split('/')[0]);
const isLspLibrary = (specifier: string) => /^vscode-(languageserver|languageclient|jsonrpc)/.test(specifier);
const under = (target: string | undefined, folder: string) => !!target && (target === folder || target.startsWith(`${folder}/`));

interface Rule {
  name: string;
  /** The files the rule is about. */
  files: string;
  broken(i: Import): boolean;
}

const RULES: Rule[] = [
  {
    name: 'the core is protocol-free: no LSP library, no vscode, no Node I/O, nothing from lsp/, node/ or the client',
    files: 'server/src/core',
    broken: (i) => isLspLibrary(i.specifier) || i.specifier === 'vscode' || isNodeBuiltin(i.specifier) ||
      under(i.target, 'server/src/lsp') || under(i.target, 'server/src/node') || under(i.target, 'client'),
  },
  {
    name: 'the protocol module is plain types and method names: it imports only type declarations, and nothing from lsp/ or node/',
    files: 'server/src/protocol',
    broken: (i) => !i.typeOnly || under(i.target, 'server/src/lsp') || under(i.target, 'server/src/node') || isLspLibrary(i.specifier),
  },
  {
    name: 'node/ (the CLI and file system access) knows no LSP: nothing from lsp/ or the LSP libraries',
    files: 'server/src/node',
    broken: (i) => under(i.target, 'server/src/lsp') || isLspLibrary(i.specifier),
  },
  {
    name: 'the client talks to the server only through the protocol module: nothing from server/src other than server/src/protocol',
    files: 'client/src',
    broken: (i) => under(i.target, 'server/src') && !under(i.target, 'server/src/protocol'),
  },
  {
    name: 'the webview sees only the protocol module\'s types and its own code: no vscode, no Node, no server code at run time',
    files: 'client/webview',
    broken: (i) => i.specifier === 'vscode' || isNodeBuiltin(i.specifier) || isLspLibrary(i.specifier) ||
      (under(i.target, 'server/src') && (!under(i.target, 'server/src/protocol') || !i.typeOnly)),
  },
];

for (const rule of RULES) {
  test(`architecture: ${rule.name}`, () => {
    const files = sourceFiles(rule.files);
    assert.ok(files.length > 0, `no files under ${rule.files}`);
    const broken = files.flatMap(importsOf).filter((i) => rule.broken(i)).map((i) => `${i.file}: ${i.specifier}`);
    assert.deepEqual(broken, []);
  });
}

test('architecture: the rules see the imports they are about (a rule that checks nothing cannot fail)', () => {
  const core = sourceFiles('server/src/core').flatMap(importsOf);
  assert.ok(core.some((i) => i.target?.startsWith('server/src/core/')), 'relative imports inside the core are read');
  assert.ok(core.some((i) => i.specifier === 'jsonc-parser'), 'package imports are read');
  const webview = sourceFiles('client/webview').flatMap(importsOf);
  assert.ok(webview.some((i) => under(i.target, 'server/src/protocol') && i.typeOnly), 'type-only imports are recognised');
  const lsp = sourceFiles('server/src/lsp').flatMap(importsOf);
  assert.ok(lsp.some((i) => isLspLibrary(i.specifier)), 'LSP library imports are recognised');
  assert.ok(RULES[0].broken({ file: 'x', specifier: '../lsp/session', target: 'server/src/lsp/session', typeOnly: true }));
  assert.ok(RULES[0].broken({ file: 'x', specifier: 'fs', typeOnly: false }));
  assert.ok(RULES[3].broken({ file: 'x', specifier: '../../server/src/core/simulator/store/audit', target: 'server/src/core/simulator/store/audit', typeOnly: false }));
});

test('architecture: package.json\'s default file patterns are the model\'s', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  assert.deepEqual(manifest.contributes.configuration.properties['idmRelationships.files'].default, [...DEFAULT_FILE_GLOBS]);
});
