/**
 * The size of a text in UTF-8 bytes, the unit of `maxFileSize`, told as cheaply as the question allows: by its length
 * when that settles it, and as a lower bound kept across edits for a text this thread does not hold (a document in the
 * large-document host).
 */
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver/node';

/** Whether `text` takes more than `limit` bytes in UTF-8; encodes only when its length cannot tell. */
export function exceedsBytes(text: string, limit: number): boolean {
  if (text.length > limit) return true; // a UTF-16 code unit takes at least one byte...
  if (text.length * 3 <= limit) return false; // ...and at most three
  return Buffer.byteLength(text, 'utf8') > limit;
}

/**
 * A lower bound of a text's UTF-8 size after `changes`, from one before them, without the text: a whole new text is at
 * least its UTF-16 length; a range on one line removes at most 3 bytes per code unit it spans; what a range over
 * several lines removed cannot be told, so the bound drops to what was inserted. Each inserted code unit is at least
 * one byte.
 */
export function textBytesAtLeastAfter(before: number, changes: TextDocumentContentChangeEvent[]): number {
  let atLeast = before;
  for (const change of changes) {
    if (!('range' in change) || !change.range) atLeast = 0;
    else if (change.range.start.line !== change.range.end.line) atLeast = 0;
    else atLeast -= 3 * Math.abs(change.range.end.character - change.range.start.character);
    atLeast = Math.max(0, atLeast) + change.text.length;
  }
  return atLeast;
}
