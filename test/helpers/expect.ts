/**
 * Inline expectations of whole outputs, in the manner of rust-analyzer's `expect![[...]]`:
 *
 *     expect`
 *       text the output must equal
 *     `.toBe(actual);
 *
 * The expected text is written in the test, dedented. When it differs, the test fails with both texts; run the tests
 * with `UPDATE_EXPECT=1` and every differing literal is rewritten in its `.ts` source with what the code gives now, so
 * that a reviewer reads the new output in the diff instead of writing it by hand. A fragment check (`assert.match`)
 * lets the rest of an output change unseen; a whole-output check does not.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { SourceMap } from 'node:module';
import * as path from 'node:path';

const UPDATING = !!process.env.UPDATE_EXPECT;

interface PendingUpdate {
  /** The literal's text as written, which finds it in the source; the mapped line tells identical ones apart. */
  raw: string;
  line: number;
  actual: string;
}
const pending = new Map<string, PendingUpdate[]>();

export interface Expectation {
  /** Fails unless `actual` equals the expected text (trailing whitespace of lines and of the whole ignored). */
  toBe(actual: string): void;
}

export function expect(strings: TemplateStringsArray, ...values: unknown[]): Expectation {
  if (values.length) throw new Error('expect`...` takes plain text, without ${} substitutions');
  const expected = dedent(strings.raw[0]);
  // Where the literal is written: the caller's frame (the source-mapped .ts position when updating).
  const site = UPDATING ? callSite() : undefined;
  return {
    toBe(actual: string) {
      const normalised = normalise(actual);
      if (normalised === expected) return;
      if (site) {
        const list = pending.get(site.file) ?? [];
        list.push({ raw: strings.raw[0], line: site.line, actual: normalised });
        pending.set(site.file, list);
        return;
      }
      assert.equal(normalised, expected, 'the output differs from the inline expectation (UPDATE_EXPECT=1 rewrites it)');
    },
  };
}

function normalise(text: string): string {
  return text.split('\n').map((line) => line.trimEnd()).join('\n').replace(/\n+$/, '');
}

/** The literal's text: the first line break dropped, the common indentation removed, escapes undone. */
function dedent(raw: string): string {
  const text = raw.replace(/\\`/g, '`').replace(/\\\$\{/g, '${').replace(/\\\\/g, '\\');
  const lines = text.replace(/^[ \t]*\n/, '').split('\n');
  const indents = lines.filter((line) => line.trim()).map((line) => /^[ \t]*/.exec(line)![0].length);
  const common = indents.length ? Math.min(...indents) : 0;
  return normalise(lines.map((line) => line.slice(common)).join('\n'));
}

function callSite(): { file: string; line: number; column: number } | undefined {
  const stack = new Error().stack?.split('\n') ?? [];
  // [0] "Error", [1] callSite, [2] expect, [3] the test, in the compiled .js: mapped back to the .ts by its source map.
  const frame = /\(?((?:\/|[A-Za-z]:\\)[^():]+\.js):(\d+):(\d+)\)?$/.exec(stack[3]?.trim() ?? '');
  if (!frame) return undefined;
  const [, js, line, column] = frame;
  const map = JSON.parse(fs.readFileSync(`${js}.map`, 'utf8'));
  const entry = new SourceMap(map).findEntry(Number(line) - 1, Number(column) - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
  if (!entry.originalSource || entry.originalLine === undefined || entry.originalColumn === undefined) return undefined;
  const file = path.resolve(path.dirname(js), entry.originalSource.replace(/^file:\/\//, ''));
  return { file, line: entry.originalLine + 1, column: entry.originalColumn + 1 };
}

/** Rewrites the literals whose text differed, last first so that earlier positions stay valid. */
function writeUpdates(): void {
  for (const [file, updates] of pending) {
    let source = fs.readFileSync(file, 'utf8');
    const located = updates.map((update) => ({ ...update, offset: literalOffset(source, update.raw, update.line) }));
    located.sort((a, b) => b.offset - a.offset);
    for (const update of located) {
      if (update.offset < 0) continue;
      const open = update.offset + 'expect'.length;
      const close = open + 1 + update.raw.length;
      const lineStart = source.lastIndexOf('\n', update.offset) + 1;
      const indent = /^[ \t]*/.exec(source.slice(lineStart))![0];
      const escaped = update.actual.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
      const body = escaped.split('\n').map((line) => (line ? `${indent}  ${line}` : '')).join('\n');
      source = `${source.slice(0, open + 1)}\n${body}\n${indent}${source.slice(close)}`;
    }
    fs.writeFileSync(file, source);
    process.stderr.write(`expect: rewrote ${updates.length} expectation(s) in ${file}\n`);
  }
}

/** The offset of the `expect` literal whose text is `raw`, the one nearest to `line` when several are alike. */
function literalOffset(source: string, raw: string, line: number): number {
  const needle = `expect\`${raw}\``;
  let best = -1;
  let bestDistance = Infinity;
  for (let at = source.indexOf(needle); at >= 0; at = source.indexOf(needle, at + 1)) {
    const distance = Math.abs(source.slice(0, at).split('\n').length - line);
    if (distance < bestDistance) [best, bestDistance] = [at, distance];
  }
  return best;
}

if (UPDATING) process.on('exit', writeUpdates);
