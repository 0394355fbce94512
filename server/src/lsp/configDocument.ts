/**
 * The open documents' text, as `vscode-languageserver-textdocument`'s TextDocument keeps it (the same positions, the
 * same edits), with two differences that matter for a config of megabytes:
 * - line starts are found with `indexOf` when asked, where that library walks every character when a document
 *   opens (20 ms for 4 MB, before the first diagnostic can be placed);
 * - it remembers what the edits since the model last read it changed, as one range, so that the model reads again only
 *   that part (`changeSince`, model/configFile.ts `updateConfigFile`).
 * Positions and edits follow the library (MIT, https://github.com/microsoft/vscode-languageserver-node/blob/main/textDocument/src/main.ts).
 */
import type { TextDocumentContentChangeEvent, TextDocumentsConfiguration } from 'vscode-languageserver/node';
import type { Position, Range, TextDocument } from 'vscode-languageserver-textdocument';
import type { TextChange } from '../core/model/configFile';
import { takeHostedBody, type HostedBody } from './largeMessages';

/** The edits since `base` as one change: `[start, oldEnd)` of that version's text became `[start, newEnd)` of this one. */
interface PendingChange {
  base: number;
  /** Undefined while nothing changed; `full` after a change that replaced the whole text. */
  range: { start: number; oldEnd: number; newEnd: number } | 'full' | undefined;
}

/** Where a hosted document's edits go (largeDocumentHost.ts). */
export interface TextHost {
  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): void;
}

export class ConfigDocument implements TextDocument {
  private lineOffsets: number[] | undefined = undefined;
  private pending: PendingChange;
  /**
   * Set while the document's text lives in the large-document host instead of here: edits go there, and the text is
   * here only when a request fetched it for the current version (`holdFetched`), until the next edit.
   */
  private host: TextHost | undefined;
  private fetched = false;
  /** Edits made while the text is being taken back from the host: replayed on it when it comes (`unhost`). */
  private held: Array<{ changes: TextDocumentContentChangeEvent[]; version: number }> | undefined;

  constructor(readonly uri: string, readonly languageId: string, public version: number, private content: string) {
    this.pending = { base: version, range: undefined };
  }

  get lineCount(): number {
    return this.getLineOffsets().length;
  }

  /** Whether the text is in the large-document host rather than here. */
  get hosted(): boolean {
    return this.host !== undefined;
  }

  /** Whether `getText` can answer: always, but for a hosted document whose text has not been fetched. */
  get hasText(): boolean {
    return !this.host || this.fetched;
  }

  /** The text is the host's from now on; this copy is let go. */
  hostIn(host: TextHost): void {
    this.host = host;
    this.fetched = false;
    this.content = '';
    this.lineOffsets = undefined;
    this.pending = { base: this.version, range: 'full' };
  }

  /** The text is being taken back from the host: edits from now on wait here for it instead of going there. */
  holdEdits(): void {
    this.held ??= [];
  }

  /** The text is kept here again, as the host had it at `version` (it is no longer large); held edits apply to it. */
  unhost(text: string, version: number): void {
    const held = this.held ?? [];
    this.host = undefined;
    this.held = undefined;
    this.fetched = false;
    this.content = text;
    this.version = version;
    this.lineOffsets = undefined;
    this.pending = { base: version, range: 'full' };
    for (const edit of held) this.update(edit.changes, edit.version);
  }

  /** A hosted document's text as the host had it at `version`: kept for requests about that version only. */
  holdFetched(text: string, version: number): void {
    if (!this.host || version !== this.version) return;
    this.content = text;
    this.fetched = true;
    this.lineOffsets = undefined;
  }

  getText(range?: Range): string {
    // An empty text for a document that has one would be read as an empty config: never answer that.
    if (!this.hasText) throw new Error(`the text of ${this.uri} is in the large-document host`);
    if (!range) return this.content;
    return this.content.substring(this.offsetAt(range.start), this.offsetAt(range.end));
  }

  positionAt(offset: number): Position {
    offset = Math.max(Math.min(offset, this.content.length), 0);
    const lineOffsets = this.getLineOffsets();
    let low = 0;
    let high = lineOffsets.length;
    if (high === 0) return { line: 0, character: offset };
    while (low < high) {
      const mid = Math.floor((low + high) / 2);
      if (lineOffsets[mid] > offset) high = mid;
      else low = mid + 1;
    }
    const line = low - 1;
    offset = this.ensureBeforeEOL(offset, lineOffsets[line]);
    return { line, character: offset - lineOffsets[line] };
  }

  offsetAt(position: Position): number {
    const lineOffsets = this.getLineOffsets();
    if (position.line >= lineOffsets.length) return this.content.length;
    if (position.line < 0) return 0;
    const lineOffset = lineOffsets[position.line];
    if (position.character <= 0) return lineOffset;
    const nextLineOffset = position.line + 1 < lineOffsets.length ? lineOffsets[position.line + 1] : this.content.length;
    return this.ensureBeforeEOL(Math.min(lineOffset + position.character, nextLineOffset), lineOffset);
  }

  getLineRange(line: number): Range {
    const lineOffsets = this.getLineOffsets();
    if (line >= lineOffsets.length) {
      const lastLine = lineOffsets.length - 1;
      return { start: { line: lastLine, character: 0 }, end: { line: lastLine, character: this.content.length - lineOffsets[lastLine] } };
    }
    if (line < 0) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const startOffset = lineOffsets[line];
    const nextLineOffset = line + 1 < lineOffsets.length ? lineOffsets[line + 1] : this.content.length;
    return { start: { line, character: 0 }, end: { line, character: this.ensureBeforeEOL(nextLineOffset, startOffset) - startOffset } };
  }

  getEOLCharacters(line: number): string {
    const lineOffsets = this.getLineOffsets();
    if (line >= lineOffsets.length || line < 0) return '';
    const nextLineOffset = line + 1 < lineOffsets.length ? lineOffsets[line + 1] : this.content.length;
    return this.content.substring(this.ensureBeforeEOL(nextLineOffset, lineOffsets[line]), nextLineOffset);
  }

  /**
   * What the edits since version `base` changed, as one change of that version's text, when the document still
   * remembers that version (else undefined: read the whole text). Either way it then remembers from this version: the
   * caller is bringing its copy up to date.
   */
  changeSince(base: number | undefined): TextChange | undefined {
    const { base: remembered, range } = this.pending;
    this.pending = { base: this.version, range: undefined };
    if (base !== remembered || range === 'full') return undefined;
    if (!range) return { start: 0, end: 0, text: '' };
    return { start: range.start, end: range.oldEnd, text: this.content.slice(range.start, range.newEnd) };
  }

  update(changes: TextDocumentContentChangeEvent[], version: number): void {
    if (this.host) {
      if (this.held) this.held.push({ changes, version });
      else this.host.change(this.uri, version, changes);
      this.version = version;
      this.content = '';
      this.fetched = false;
      this.lineOffsets = undefined;
      this.pending = { base: version, range: 'full' };
      return;
    }
    for (const change of changes) {
      if (!('range' in change)) {
        this.content = change.text;
        this.lineOffsets = undefined;
        this.pending.range = 'full';
        continue;
      }
      const range = wellFormed(change.range);
      const startOffset = this.offsetAt(range.start);
      const endOffset = this.offsetAt(range.end);
      this.remember(startOffset, endOffset, change.text.length);
      this.content = this.content.substring(0, startOffset) + change.text + this.content.substring(endOffset, this.content.length);
      const insertedEndOffset = startOffset + change.text.length;
      const crlfAtStart = this.content.charCodeAt(startOffset - 1) === 13 && this.content.charCodeAt(startOffset) === 10;
      const crlfAtEnd = this.content.charCodeAt(insertedEndOffset - 1) === 13 && this.content.charCodeAt(insertedEndOffset) === 10;
      const lineOffsets = this.lineOffsets;
      if (!lineOffsets || crlfAtStart || crlfAtEnd) {
        // Not computed yet, or a CRLF pair across an edit boundary that the inserted text's line starts miss.
        this.lineOffsets = undefined;
        continue;
      }
      const startLine = Math.max(range.start.line, 0);
      const endLine = Math.max(range.end.line, 0);
      const added = computeLineOffsets(change.text, false, startOffset);
      if (endLine - startLine === added.length) {
        for (let i = 0; i < added.length; i++) lineOffsets[i + startLine + 1] = added[i];
      } else {
        this.lineOffsets = [...lineOffsets.slice(0, startLine + 1), ...added, ...lineOffsets.slice(endLine + 1)];
      }
      const diff = change.text.length - (endOffset - startOffset);
      if (diff !== 0) {
        const offsets = this.lineOffsets!;
        for (let i = startLine + 1 + added.length; i < offsets.length; i++) offsets[i] += diff;
      }
    }
    this.version = version;
  }

  /** Folds an edit of `[start, end)` of the current text, replaced by `length` characters, into the pending change. */
  private remember(start: number, end: number, length: number): void {
    const range = this.pending.range;
    if (range === 'full') return;
    const delta = length - (end - start);
    if (!range) {
      this.pending.range = { start, oldEnd: end, newEnd: start + length };
      return;
    }
    // Before `range.start` both texts agree; past `range.newEnd` this one is the old one moved by newEnd - oldEnd.
    range.oldEnd += Math.max(0, end - range.newEnd);
    range.newEnd = Math.max(range.newEnd, end) + delta;
    range.start = Math.min(range.start, start);
  }

  private getLineOffsets(): number[] {
    return (this.lineOffsets ??= computeLineOffsets(this.content, true));
  }

  private ensureBeforeEOL(offset: number, lineOffset: number): number {
    while (offset > lineOffset && isEOL(this.content.charCodeAt(offset - 1))) offset--;
    return offset;
  }
}

/**
 * For `new TextDocuments(...)`. With `hosting`, a document opened from a stub of the stdio filter (largeMessages.ts:
 * its text is a marker) hands the raw `didOpen` to the large-document host and keeps no text.
 */
export function configDocuments(hosting?: (document: ConfigDocument, hosted: HostedBody) => void): TextDocumentsConfiguration<ConfigDocument> {
  return {
    create: (uri, languageId, version, content) => {
      const hosted = hosting ? takeHostedBody(content) : undefined;
      const document = new ConfigDocument(uri, languageId, version, hosted ? '' : content);
      if (hosted) hosting!(document, hosted);
      return document;
    },
    update: (document, changes, version) => {
      document.update(changes, version);
      return document;
    },
  };
}

export const CONFIG_DOCUMENTS = configDocuments();

function wellFormed(range: Range): Range {
  const { start, end } = range;
  if (start.line > end.line || (start.line === end.line && start.character > end.character)) return { start: end, end: start };
  return range;
}

function isEOL(char: number): boolean {
  return char === 13 || char === 10;
}

/** The offsets each line of `text` starts at (moved by `textOffset`), the first only when `isAtLineStart`. */
function computeLineOffsets(text: string, isAtLineStart: boolean, textOffset = 0): number[] {
  const result: number[] = isAtLineStart ? [textOffset] : [];
  if (text.indexOf('\r') < 0) {
    // Only \n line breaks (the usual case): indexOf finds them far faster than a loop over every character.
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) result.push(textOffset + i + 1);
    return result;
  }
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (isEOL(ch)) {
      if (ch === 13 && i + 1 < text.length && text.charCodeAt(i + 1) === 10) i++;
      result.push(textOffset + i + 1);
    }
  }
  return result;
}
