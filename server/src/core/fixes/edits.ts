/**
 * Text edits for quick fixes. One parser locates: the project's own, the one the model reads the file with. jsonc-parser
 * only writes (`modify` on the located node's text), so that comments, indentation and line endings of the edited
 * file are kept. Several steps on one file are applied in turn and folded into one minimal edit, so
 * they can never overlap.
 */
import { applyEdits, createScanner, modify, SyntaxKind, type FormattingOptions, type JSONPath } from 'jsonc-parser';
import { parseJson } from '../json/parser';
import type { JsonNode } from '../json/ast';

export interface OffsetEdit {
  offset: number;
  length: number;
  content: string;
}

/** The file's own style: line ending, tabs or spaces, indent width. */
export function detectFormatting(text: string): FormattingOptions {
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  let tabs = 0;
  let spaces = 0;
  let smallest = Infinity;
  const lines = text.split(/\r?\n/, 400);
  for (const line of lines) {
    const indent = /^[ \t]+(?=\S)/.exec(line)?.[0];
    if (!indent) continue;
    if (indent[0] === '\t') tabs++;
    else {
      spaces++;
      smallest = Math.min(smallest, indent.length);
    }
  }
  const insertSpaces = spaces >= tabs;
  const tabSize = insertSpaces && Number.isFinite(smallest) ? Math.max(1, Math.min(8, smallest)) : 4;
  return { insertSpaces, tabSize, eol, insertFinalNewline: false, keepLines: false };
}

/**
 * True when the file writes a space before its colons (`"key" : value`, as IDM's own conf/*.json files do): counted
 * over the first 200,000 characters, the majority wins.
 */
export function spacesBeforeColon(text: string): boolean {
  const sample = text.length > 200_000 ? text.slice(0, 200_000) : text;
  const spaced = sample.match(/"[ \t]+:/g)?.length ?? 0;
  const tight = sample.match(/":/g)?.length ?? 0;
  return spaced > tight;
}

/** `content` (a JSON fragment jsonc-parser wrote) with a space before each colon that has none. */
function spaceColons(content: string): string {
  const scanner = createScanner(content, false);
  let result = '';
  for (let token = scanner.scan(); token !== SyntaxKind.EOF; token = scanner.scan()) {
    if (token === SyntaxKind.ColonToken && !/[ \t]$/.test(result)) result += ' ';
    result += content.slice(scanner.getTokenOffset(), scanner.getTokenOffset() + scanner.getTokenLength());
  }
  return result;
}

/** Builds the edit for one file from a series of jsonc-parser modifications. */
export class FileEditBuilder {
  private text: string;
  private readonly formattingOptions: FormattingOptions;
  private readonly colonSpacing: boolean;

  constructor(readonly uri: string, private readonly original: string) {
    this.text = original;
    this.formattingOptions = detectFormatting(original);
    this.colonSpacing = spacesBeforeColon(original);
  }

  /** Sets (adds or replaces) the value at `path`. */
  set(path: JSONPath, value: unknown): this {
    return this.apply(path, value, {});
  }

  /**
   * Removes the property or array item at `path`, with the comma that separated it. Done by hand: jsonc-parser's
   * removal re-formats the neighbourhood and mangles single-line arrays (`["a", "b"]` minus "b" gave `["a""]`).
   */
  remove(path: JSONPath): this {
    const { root } = parseJson(this.text);
    const node = nodeAt(root, path);
    const parent = node?.parent;
    if (!node || !parent) return this;
    const spans = parent.type === 'object'
      ? parent.properties.map((p) => ({ start: p.keyOffset, end: p.value?.end ?? p.keyEnd }))
      : parent.items.map((item) => ({ start: item.offset, end: item.end }));
    const index = parent.type === 'object' ? parent.properties.findIndex((p) => p.value === node) : parent.items.indexOf(node);
    if (index < 0) return this;
    const [start, end] = index > 0
      ? [spans[index - 1].end, spans[index].end]
      : index + 1 < spans.length ? [spans[index].start, spans[index + 1].start] : [spans[index].start, spans[index].end];
    this.text = this.text.slice(0, start) + this.text.slice(end);
    return this;
  }

  /** Inserts `value` into the array at `arrayPath` at `index` (-1 or past the end: append). */
  insert(arrayPath: JSONPath, index: number, value: unknown): this {
    return this.apply([...arrayPath, index], value, { isArrayInsertion: true });
  }

  /**
   * Locates with the project's parser, as the model does, and lets jsonc-parser only write: `modify` runs on the
   * text of the deepest node that exists along `path`, so jsonc-parser never has to find anything itself. Two
   * parsers locating the same path disagreed twice (duplicated keys: jsonc-parser follows the first, the model, IDM
   * and JSON.parse the last; broken JSON: they recover differently) and the fix edited a copy nobody reads.
   */
  private apply(path: JSONPath, value: unknown, options: { isArrayInsertion?: boolean }): this {
    const parsed = parseJson(this.text);
    const { node, depth } = deepestNodeAlong(parsed.root, options.isArrayInsertion ? path.slice(0, -1) : path);
    if (!node && this.text.trim() !== '') {
      this.ambiguous = true;
      return this;
    }
    const start = node?.offset ?? 0;
    const end = node?.end ?? this.text.length;
    // Inside the node jsonc-parser reads the text again: where that text is broken (an error in it, or never closed:
    // the parser reports a missing `}` at the next token, past the node) it would recover its own way.
    const unclosed = (node?.type === 'object' && this.text[end - 1] !== '}') || (node?.type === 'array' && this.text[end - 1] !== ']');
    if (unclosed || parsed.errors.some((error) => error.offset < end && start < error.end)) {
      this.ambiguous = true;
      return this;
    }
    // The node's text, led by its line's indentation, so that jsonc-parser indents what it writes as the file does.
    const lineStart = this.text.lastIndexOf('\n', start - 1) + 1;
    const indent = /^[ \t]*/.exec(this.text.slice(lineStart, start))?.[0] ?? '';
    const fragment = indent + this.text.slice(start, end);
    let edits = modify(fragment, path.slice(depth), value, { formattingOptions: this.formattingOptions, ...options });
    // Inserted keys follow the file's own `"key" : value` when it writes them so.
    if (this.colonSpacing) edits = edits.map((edit) => ({ ...edit, content: spaceColons(edit.content) }));
    const written = applyEdits(fragment, edits);
    // The lent indentation is not the file's text: it must come back unchanged, and is dropped.
    if (!written.startsWith(indent)) {
      this.ambiguous = true;
      return this;
    }
    this.text = this.text.slice(0, start) + written.slice(indent.length) + this.text.slice(end);
    return this;
  }

  /** Set when a step could not be placed safely: the text it would edit is broken, or the file has no JSON root. */
  ambiguous = false;

  get result(): string {
    return this.text;
  }

  /** One edit replacing the changed region of the original text, or undefined when nothing changed. */
  toEdit(): OffsetEdit | undefined {
    return minimalEdit(this.original, this.text);
  }
}

/** The deepest node that exists along `path` (read as the model reads it: the last of duplicated keys) and how many segments lead to it. */
function deepestNodeAlong(root: JsonNode | undefined, path: JSONPath): { node: JsonNode | undefined; depth: number } {
  let node = root;
  let depth = 0;
  for (const segment of path) {
    const next = nodeAt(node, [segment]);
    if (!next) break;
    node = next;
    depth++;
  }
  return { node, depth };
}

export function nodeAt(root: JsonNode | undefined, path: JSONPath): JsonNode | undefined {
  let node = root;
  for (const segment of path) {
    if (!node) return undefined;
    if (node.type === 'object' && typeof segment === 'string') node = node.properties.filter((p) => p.key === segment).pop()?.value;
    else if (node.type === 'array' && typeof segment === 'number') node = node.items[segment];
    else return undefined;
  }
  return node;
}

export function minimalEdit(before: string, after: string): OffsetEdit | undefined {
  if (before === after) return undefined;
  let start = 0;
  const limit = Math.min(before.length, after.length);
  while (start < limit && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore--;
    endAfter--;
  }
  return { offset: start, length: endBefore - start, content: after.slice(start, endAfter) };
}
