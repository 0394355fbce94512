/**
 * Text edits for quick fixes, made with jsonc-parser's `modify` so that comments, indentation and line endings of
 * the edited file are kept. Several steps on one file are applied in turn and folded into one minimal edit, so
 * they can never overlap.
 */
import { applyEdits, modify, type FormattingOptions, type JSONPath } from 'jsonc-parser';

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

/** Builds the edit for one file from a series of jsonc-parser modifications. */
export class FileEditBuilder {
  private text: string;
  private readonly formattingOptions: FormattingOptions;

  constructor(readonly uri: string, private readonly original: string) {
    this.text = original;
    this.formattingOptions = detectFormatting(original);
  }

  /** Sets (adds or replaces) the value at `path`. */
  set(path: JSONPath, value: unknown): this {
    return this.apply(path, value, {});
  }

  /** Removes the property or array item at `path`. */
  remove(path: JSONPath): this {
    return this.apply(path, undefined, {});
  }

  /** Inserts `value` into the array at `arrayPath` at `index` (-1 or past the end: append). */
  insert(arrayPath: JSONPath, index: number, value: unknown): this {
    return this.apply([...arrayPath, index], value, { isArrayInsertion: true });
  }

  private apply(path: JSONPath, value: unknown, options: { isArrayInsertion?: boolean }): this {
    const edits = modify(this.text, path, value, { formattingOptions: this.formattingOptions, ...options });
    this.text = applyEdits(this.text, edits);
    return this;
  }

  get result(): string {
    return this.text;
  }

  /** One edit replacing the changed region of the original text, or undefined when nothing changed. */
  toEdit(): OffsetEdit | undefined {
    return minimalEdit(this.original, this.text);
  }
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
