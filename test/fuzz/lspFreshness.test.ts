/**
 * Random edit storms on real configs, over LSP (`dist/server.js` on stdio, as an editor drives it): each edit is sent
 * and at once followed by the requests an editor makes while the user types (code actions for the diagnostics it
 * still shows, symbols, code lenses, the graph, hover, completion, definition, references), all before the server's
 * debounced check. Every range an answer returns must lie in the current text of its document, and every quick fix,
 * applied to the current text, must fix a problem that text has, parse no worse, and remove that problem.
 * The seed and step of a failure are printed; `FUZZ_SEED` / `FUZZ_RUNS` replay or lengthen it (fuzzSettings.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import fc from 'fast-check';
import { LineIndex } from '../../server/src/core/text/lineIndex';
import { CORPUS, jsonFilesUnder } from '../helpers/fixtures';
import { LspClient } from '../protocol/lspClient';
import { identity } from './fixChecks';
import { FUZZ_TEST_OPTIONS, fuzzRuns, fuzzSeed } from './fuzzSettings';
import { checkAndVerify, type Files } from './invariants';
import { applyMutation, mutationArbitrary } from './mutations';

interface Position { line: number; character: number }
interface Range { start: Position; end: Position }
interface TextEdit { range: Range; newText: string }

/** A small seeded generator (mulberry32), so a failing storm replays from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const isPosition = (value: any): value is Position => !!value && typeof value.line === 'number' && typeof value.character === 'number';
const isRange = (value: any): value is Range => !!value && isPosition(value.start) && isPosition(value.end);

/** Asserts `range` lies inside `text`, lines counted as LSP and VS Code count them (`\n`, `\r\n` and `\r`). */
function assertInside(text: string | undefined, uri: string, range: Range, what: string): void {
  assert.ok(text !== undefined, `${what}: a range in ${uri}, which is not a file of the workspace`);
  const lines = text.split(/\r\n|\r|\n/);
  for (const position of [range.start, range.end]) {
    assert.ok(position.line >= 0 && position.line < lines.length && position.character >= 0 && position.character <= lines[position.line].length,
      `${what}: position ${position.line}:${position.character} outside ${uri} (${lines.length} lines, that line ${lines[position.line]?.length ?? 'missing'} characters)`);
  }
  const start = new LineIndex(text).offsetAt(range.start);
  const end = new LineIndex(text).offsetAt(range.end);
  assert.ok(start <= end, `${what}: range ends before it starts in ${uri}`);
}

/**
 * Every range in an answer, with the document it belongs to: the nearest enclosing `uri` (locations, graph nodes),
 * the key of a workspace edit's `changes`, else the document the request was about.
 */
function assertRangesInside(value: unknown, texts: Map<string, string>, uri: string, what: string): void {
  if (Array.isArray(value)) {
    for (const item of value) assertRangesInside(item, texts, uri, what);
    return;
  }
  if (!value || typeof value !== 'object') return;
  const record = value as Record<string, unknown>;
  const here = typeof record.uri === 'string' && record.uri.startsWith('file:') ? record.uri : uri;
  if (isRange(record)) {
    assertInside(texts.get(here), here, record, what);
    return;
  }
  for (const [key, child] of Object.entries(record)) {
    if (key === 'changes' && child && typeof child === 'object') {
      for (const [target, edits] of Object.entries(child)) assertRangesInside(edits, texts, target, `${what} (edit)`);
    } else if (key !== 'arguments' || !Array.isArray(child) || typeof child[0] !== 'string') {
      assertRangesInside(child, texts, here, what);
    } else {
      // Command arguments `[uri, range or position, locations]`: the range is in the first argument's document.
      assertRangesInside(child.slice(1), texts, child[0], what);
    }
  }
}

/** Applies LSP edits (each against the original text) with the same line breaks the server counts. */
function applyEdits(text: string, edits: TextEdit[]): string {
  const index = new LineIndex(text);
  const located = edits.map((edit) => ({ start: index.offsetAt(edit.range.start), end: index.offsetAt(edit.range.end), text: edit.newText }));
  located.sort((a, b) => b.start - a.start);
  let result = text;
  for (const edit of located) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  return result;
}

/** The corpus, one workspace per source repository, as a user's checkout would hold it. */
function corpusGroups(): Array<{ name: string; files: string[] }> {
  const groups = new Map<string, string[]>();
  for (const file of jsonFilesUnder(CORPUS)) {
    const name = path.relative(CORPUS, file).split(path.sep)[0];
    groups.set(name, [...(groups.get(name) ?? []), file]);
  }
  return [...groups].map(([name, files]) => ({ name, files }));
}

async function storm(group: { name: string; files: string[] }, seed: number, steps: number): Promise<{ fixes: number; requests: number }> {
  const next = random(seed);
  const pick = <T>(list: T[]): T => list[Math.floor(next() * list.length)];
  const mutations = fc.sample(mutationArbitrary, { seed, numRuns: steps });
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'idm-rel-storm-'));
  const pristine = new Map<string, string>();
  for (const file of group.files) {
    const target = path.join(root, path.relative(path.join(CORPUS, group.name), file));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(file, target);
    pristine.set(pathToFileURL(target).href, fs.readFileSync(file, 'utf8'));
  }
  const texts = new Map(pristine);
  const versions = new Map<string, number>();
  const client = new LspClient();
  const outcome = { fixes: 0, requests: 0 };
  try {
    // The debounced check never fires during the storm: whatever is fresh, the requests made it so.
    client.settings = { validationDelay: 60_000, severity: { 'json-syntax': 'error' } };
    await client.initialize(pathToFileURL(root).href);
    const uris = [...pristine.keys()];
    const open = uris.length <= 3 ? uris : [...new Set([pick(uris), pick(uris), pick(uris)])];
    for (const uri of open) {
      versions.set(uri, 1);
      client.open(uri, texts.get(uri)!);
    }
    for (let step = 0; step < steps; step++) {
      const where = `${group.name}, seed ${seed}, step ${step}`;
      const uri = pick(open);
      const before = next() < 0.3 ? pristine.get(uri)! : texts.get(uri)!;
      const text = applyMutation(before, mutations[step]);
      texts.set(uri, text);
      versions.set(uri, versions.get(uri)! + 1);
      client.change(uri, text, versions.get(uri)!);

      const shown = (client.diagnostics.get(uri) ?? []).slice(0, 20);
      const document = { textDocument: { uri } };
      const index = new LineIndex(text);
      const at = () => index.positionAt(Math.floor(next() * (text.length + 1)));
      const ask = (method: string, params: unknown) => client.request(method, params).catch(() => null).then((answer) => ({ method, answer }));
      const pending = [
        ask('textDocument/codeAction', { ...document, range: { start: { line: 0, character: 0 }, end: index.positionAt(text.length) }, context: { diagnostics: shown } }),
        ask('textDocument/documentSymbol', document),
        ask('textDocument/codeLens', document),
        ask('idmRelationships/graph', { uri }),
      ];
      for (let i = 0; i < 2; i++) {
        const position = at();
        pending.push(ask('textDocument/hover', { ...document, position }));
        pending.push(ask('textDocument/completion', { ...document, position }));
        pending.push(ask('textDocument/definition', { ...document, position }));
        pending.push(ask('textDocument/references', { ...document, position, context: { includeDeclaration: true } }));
      }
      const answers = await Promise.all(pending);
      outcome.requests += answers.length;
      for (const { method, answer } of answers) assertRangesInside(answer, texts, uri, `${where}: ${method}`);

      const actions = (answers[0].answer ?? []) as Array<{ title: string; diagnostics: Array<{ data: unknown }>; edit: { changes: Record<string, TextEdit[]> } }>;
      if (!actions.length) continue;
      const files: Files = new Map(texts);
      const current = checkAndVerify(files, { severities: { 'json-syntax': 'error' } }, `${where} (current text)`);
      for (const action of actions) {
        const label = `${where}: fix "${action.title}"`;
        const finding = current.findings.find((f) => JSON.stringify(f.data) === JSON.stringify(action.diagnostics[0]?.data));
        assert.ok(finding, `${label}: offered for a problem the current text does not have`);
        const after: Files = new Map(files);
        for (const [target, edits] of Object.entries(action.edit.changes)) after.set(target, applyEdits(files.get(target)!, edits));
        const rechecked = checkAndVerify(after, { severities: { 'json-syntax': 'error' } }, `${label} (after)`);
        for (const target of Object.keys(action.edit.changes)) {
          const errors = (w: typeof current.workspace) => w.getFile(target)?.syntaxErrors.length ?? 0;
          assert.ok(errors(rechecked.workspace) <= errors(current.workspace), `${label}: ${target} parses worse after the fix`);
        }
        const id = identity(finding);
        const count = (list: typeof current.findings) => list.filter((f) => identity(f) === id).length;
        assert.ok(count(rechecked.findings) < count(current.findings), `${label}: the problem is still there after the fix (${id})`);
        outcome.fixes++;
      }
    }
    assert.ok(!client.exited, `${group.name}: the server exited (${client.stderr.slice(-2000)})`);
  } finally {
    await client.shutdown();
    fs.rmSync(root, { recursive: true, force: true });
  }
  return outcome;
}

test('edit storms on real configs over LSP: answers lie in the current text, every quick fix fixes it', FUZZ_TEST_OPTIONS, async () => {
  const steps = fuzzRuns(8);
  let fixes = 0;
  let requests = 0;
  for (const group of corpusGroups()) {
    const outcome = await storm(group, fuzzSeed(`lsp-storm-${group.name}`), steps);
    fixes += outcome.fixes;
    requests += outcome.requests;
  }
  if (process.env.FUZZ_VERBOSE) console.log(`${requests} requests, ${fixes} fixes checked`);
  assert.ok(fixes >= 5, `only ${fixes} quick fixes were exercised`);
});
