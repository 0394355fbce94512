/**
 * The tolerant JSONC parser: one pass over the text that writes the tape (tape.ts) and the syntax errors.
 *
 * Its tokens are jsonc-parser's; a differential test holds it to the tree and errors of a parser built on
 * jsonc-parser's own scanner with the same recovery (test/helpers/referenceParser.ts). It has its own tokenizer
 * because that scanner builds a string for every token, whitespace included, which costs more than the whole
 * analysis may. It never throws.
 *
 * Recovery keeps what follows a mistake where it was, because the mistake is usually the line being typed:
 * - a key without its colon (`"x"⏎"b": 2`, VS Code's auto-closed `""`) is a member without a value when the next
 *   string is itself a key (followed by `:`) or starts a later line, and the next member is read as usual (as
 *   vscode-json-languageservice's parser does for a string on a later line); otherwise what follows is its value;
 * - a colon without its value (`"x":⏎"b": 2`) leaves the member without a value when the string on the next line
 *   is a key;
 * - neither reports the missing comma as well: one error, at the member being typed;
 * - an unclosed `{` or `[` (a relationship typed without its closing braces) would swallow every later member of
 *   the file into itself. When the first pass scanned more opening than closing brackets (or fewer), a second pass
 *   closes a container where the file's indentation says it ends: at a key, or a closer, that starts a line
 *   indented no deeper than the line the container opened on (a closer: less deep). Only indented files with
 *   unbalanced brackets take that second pass, so well-formed and merely half-typed files parse as before.
 * Anything else skips to the next `,` `}` or `]`, as jsonc-parser does.
 */
import {
  FLAG_KEY_NEEDS_DECODING, FLAG_VALUE_NEEDS_DECODING, hexValue, isDigit, KIND_ARRAY, KIND_FALSE, KIND_MISSING, KIND_NULL,
  KIND_NUMBER, KIND_OBJECT, KIND_STRING, KIND_TRUE, TapeWriter, type Tape,
} from './tape';
import { SYNTAX_ERROR_MESSAGES, type JsonSyntaxError, type JsonSyntaxErrorKind } from './syntaxErrors';

// Tokens (comments, whitespace and unknown symbols never leave the tokenizer).
const OPEN_BRACE: number = 1;
const CLOSE_BRACE: number = 2;
const OPEN_BRACKET: number = 3;
const CLOSE_BRACKET: number = 4;
const COMMA: number = 5;
const COLON: number = 6;
const NULL: number = 7;
const TRUE: number = 8;
const FALSE: number = 9;
const STRING: number = 10;
const NUMBER: number = 11;
const EOF: number = 17;

/** Values nested deeper than this are skipped (with an error) instead of recursed into. */
const MAX_DEPTH = 1000;

export interface TapeParse {
  tape: Tape;
  /** Slot of the root value, -1 when there is none. */
  root: number;
  errors: JsonSyntaxError[];
}

/** `depth`: how deep the text's value sits in a larger document it was cut from (nesting limits count from there). */
export function buildTape(text: string, depth = 0): TapeParse {
  let builder = new TapeBuilder(text, false);
  let root = builder.parseDocument(depth);
  if (builder.bracketBalance !== 0 && isIndented(text)) {
    builder.tape.release();
    builder = new TapeBuilder(text, true);
    root = builder.parseDocument(depth);
  }
  return { tape: builder.tape.finish(text), root, errors: builder.errors };
}

/** True when some line starts with indentation before JSON structure: the file's layout says how it nests. */
function isIndented(text: string): boolean {
  return /\n[ \t]+["{}[\]]/.test(text);
}

class TapeBuilder {
  readonly tape: TapeWriter;
  readonly errors: JsonSyntaxError[] = [];
  private readonly length: number;
  private pos = 0;
  /** The current token, its range and (for strings) whether its value needs decoding. */
  private token = EOF;
  private tokenStart = 0;
  private tokenEnd = 0;
  private tokenNeedsDecoding = false;
  /**
   * Opening minus closing brackets read (the token after the root value aside). Not zero: a bracket is missing (or
   * extra) somewhere, which skipping to the next `,` `}` or `]` can hide by swallowing another container's
   * brackets; the second pass then decides. Counted where brackets are consumed, not in the tokenizer's hot loop.
   */
  bracketBalance = 0;
  /** Set by a container that ended where the indentation said, for its owner: no comma is then expected after it. */
  private closedByIndentation = false;

  /** `byIndentation`: close unclosed containers where the indentation ends them (the second pass). */
  constructor(private readonly text: string, private readonly byIndentation: boolean) {
    this.length = text.length;
    this.tape = TapeWriter.acquire(text.length);
  }

  parseDocument(depth: number): number {
    this.scan();
    if (this.token === EOF) {
      this.error('value-expected', this.length, this.length);
      return -1;
    }
    const root = this.parseValue(depth, -1, -1, 0);
    if (root < 0) this.error('value-expected', this.tokenStart, this.tokenEnd);
    // Anything after the root value is an error; scanning on still reports scan errors.
    if (this.token !== EOF) this.error('end-of-file-expected', this.tokenStart, this.tokenEnd);
    return root;
  }

  private error(kind: JsonSyntaxErrorKind, offset: number, end: number): void {
    // One error per offset is enough; recovery can report the same place twice.
    const last = this.errors[this.errors.length - 1];
    if (last && last.offset === offset && last.kind === kind) return;
    this.errors.push({ kind, message: SYNTAX_ERROR_MESSAGES[kind], offset, end: Math.min(Math.max(end, offset), this.length) });
  }

  /** Moves to the next token, reporting scan errors and skipping comments and unknown symbols. */
  private scan(): void {
    const text = this.text;
    const length = this.length;
    let pos = this.pos;
    for (;;) {
      let ch = text.charCodeAt(pos);
      while (ch === 0x20 || ch === 0x0a || ch === 0x0d || ch === 0x09) ch = text.charCodeAt(++pos);
      const start = pos;
      this.tokenStart = start;
      if (pos >= length) {
        this.pos = this.tokenStart = this.tokenEnd = length;
        this.token = EOF;
        return;
      }
      let token: number;
      switch (ch) {
        case 0x7b: token = OPEN_BRACE; pos++; break;
        case 0x7d: token = CLOSE_BRACE; pos++; break;
        case 0x5b: token = OPEN_BRACKET; pos++; break;
        case 0x5d: token = CLOSE_BRACKET; pos++; break;
        case 0x3a: token = COLON; pos++; break;
        case 0x2c: token = COMMA; pos++; break;
        case 0x22: {
          token = STRING;
          pos = this.scanString(start);
          break;
        }
        case 0x2f: {
          const next = text.charCodeAt(pos + 1);
          if (next === 0x2f) {
            pos += 2;
            while (pos < length && (ch = text.charCodeAt(pos)) !== 0x0a && ch !== 0x0d) pos++;
            continue;
          }
          if (next === 0x2a) {
            pos += 2;
            let closed = false;
            while (pos < length - 1) {
              if (text.charCodeAt(pos) === 0x2a && text.charCodeAt(pos + 1) === 0x2f) { pos += 2; closed = true; break; }
              pos++;
            }
            if (!closed) {
              pos = length;
              this.error('unterminated-comment', start, length);
            }
            continue;
          }
          pos++;
          this.error('invalid-symbol', start, pos);
          continue;
        }
        case 0x2d:
          if (!isDigit(text.charCodeAt(pos + 1))) {
            pos++;
            this.error('invalid-symbol', start, pos);
            continue;
          }
          token = NUMBER;
          pos = this.scanNumber(start, pos + 1);
          break;
        case 0x30: case 0x31: case 0x32: case 0x33: case 0x34: case 0x35: case 0x36: case 0x37: case 0x38: case 0x39:
          token = NUMBER;
          pos = this.scanNumber(start, pos);
          break;
        default: {
          // A word: true, false, null, or an unknown symbol running to the next separator.
          do ch = text.charCodeAt(++pos);
          while (pos < length && !isSeparator(ch));
          const wordLength = pos - start;
          if (wordLength === 4 && text.startsWith('true', start)) token = TRUE;
          else if (wordLength === 4 && text.startsWith('null', start)) token = NULL;
          else if (wordLength === 5 && text.startsWith('false', start)) token = FALSE;
          else {
            this.error('invalid-symbol', start, pos);
            continue;
          }
        }
      }
      this.pos = pos;
      this.tokenEnd = pos;
      this.token = token;
      return;
    }
  }

  /** Scans the string opening at `quote`; returns its end and reports its last scan error, as jsonc-parser does. */
  private scanString(quote: number): number {
    const text = this.text;
    const length = this.length;
    let pos = quote + 1;
    let problem: JsonSyntaxErrorKind | undefined;
    let needsDecoding = false;
    for (;;) {
      let ch = text.charCodeAt(pos);
      // Plain characters (anything but a quote, a backslash or a control character) in a tight loop.
      while ((ch > 0x22 && ch !== 0x5c) || ch === 0x20 || ch === 0x21) ch = text.charCodeAt(++pos);
      if (pos >= length) { problem = 'unterminated-string'; needsDecoding = true; break; }
      if (ch === 0x22) { pos++; break; }
      if (ch === 0x5c) {
        needsDecoding = true;
        pos++;
        if (pos >= length) { problem = 'unterminated-string'; break; }
        switch (text.charCodeAt(pos++)) {
          case 0x22: case 0x5c: case 0x2f: case 0x62: case 0x66: case 0x6e: case 0x72: case 0x74: break;
          case 0x75: {
            let digits = 0;
            while (digits < 4 && hexValue(text.charCodeAt(pos)) >= 0) { pos++; digits++; }
            if (digits < 4) problem = 'invalid-unicode';
            break;
          }
          default: problem = 'invalid-escape';
        }
        continue;
      }
      if (ch <= 0x1f) {
        if (ch === 0x0a || ch === 0x0d) { problem = 'unterminated-string'; needsDecoding = true; break; }
        problem = 'invalid-character';
      }
      pos++;
    }
    this.tokenNeedsDecoding = needsDecoding;
    if (problem) this.error(problem, quote, pos);
    return pos;
  }

  /** Scans a number whose digits start at `pos` (after an optional minus at `start`); returns its end. */
  private scanNumber(start: number, pos: number): number {
    const text = this.text;
    if (text.charCodeAt(pos) === 0x30) pos++;
    else {
      pos++;
      while (isDigit(text.charCodeAt(pos))) pos++;
    }
    if (text.charCodeAt(pos) === 0x2e) {
      pos++;
      if (!isDigit(text.charCodeAt(pos))) {
        this.error('invalid-number', start, pos);
        return pos;
      }
      while (isDigit(text.charCodeAt(pos))) pos++;
    }
    const ch = text.charCodeAt(pos);
    if (ch === 0x45 || ch === 0x65) {
      pos++;
      const sign = text.charCodeAt(pos);
      if (sign === 0x2b || sign === 0x2d) pos++;
      if (isDigit(text.charCodeAt(pos))) {
        while (isDigit(text.charCodeAt(pos))) pos++;
      } else {
        this.error('invalid-number', start, pos);
      }
    }
    return pos;
  }

  /** Skips tokens until a `,` or one of the closers (left current), or the end. */
  private recover(): void {
    let token = this.token;
    while (token !== EOF && token !== COMMA && token !== CLOSE_BRACE && token !== CLOSE_BRACKET) {
      if (token === OPEN_BRACE || token === OPEN_BRACKET) this.bracketBalance++;
      this.scan();
      token = this.token;
    }
  }

  /** Skips one whole value without recording it (past MAX_DEPTH); returns its end. */
  private skipValue(): number {
    let depth = 0;
    let end = this.tokenStart;
    do {
      const token = this.token;
      if (token === OPEN_BRACE || token === OPEN_BRACKET) { depth++; this.bracketBalance++; }
      else if (token === CLOSE_BRACE || token === CLOSE_BRACKET) { depth--; this.bracketBalance--; }
      end = this.tokenEnd;
      this.scan();
    } while (depth > 0 && this.token !== EOF);
    return end;
  }

  /** True when the current token is a string followed by a colon: a key, not a value. Scans ahead, then back. */
  private currentStringIsKey(): boolean {
    const pos = this.pos, token = this.token, tokenStart = this.tokenStart, tokenEnd = this.tokenEnd;
    const needsDecoding = this.tokenNeedsDecoding;
    const errorCount = this.errors.length;
    this.scan();
    const isKey = this.token === COLON;
    this.pos = pos;
    this.token = token;
    this.tokenStart = tokenStart;
    this.tokenEnd = tokenEnd;
    this.tokenNeedsDecoding = needsDecoding;
    this.errors.length = errorCount;
    return isKey;
  }

  /** True when a line break lies between `offset` and the current token. */
  private tokenOnLaterLine(offset: number): boolean {
    const text = this.text;
    for (let i = offset; i < this.tokenStart; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 0x0a || ch === 0x0d) return true;
    }
    return false;
  }

  /**
   * In the second pass: true when the current token ends the container opened on a line indented by `openIndent`
   * (a key, or in an array a key-like string, starting a line indented no deeper; a closer indented less deep).
   */
  private endsByIndentation(openIndent: number, inArray: boolean): boolean {
    const token = this.token;
    if (token !== STRING && token !== CLOSE_BRACE && token !== CLOSE_BRACKET) return false;
    const indent = lineIndentBefore(this.text, this.tokenStart);
    if (indent < 0) return false;
    if (token !== STRING) return indent < openIndent;
    return indent <= openIndent && (!inArray || this.currentStringIsKey());
  }

  /** Records the value at the current token (with its member key, if any); returns its slot, or -1 if none is there. */
  private parseValue(depth: number, keyStart: number, keyEnd: number, keyFlags: number): number {
    const tape = this.tape;
    const start = this.tokenStart;
    switch (this.token) {
      case OPEN_BRACE:
      case OPEN_BRACKET: {
        const kind = this.token === OPEN_BRACE ? KIND_OBJECT : KIND_ARRAY;
        if (depth > MAX_DEPTH) {
          // Kept as an empty container over the skipped text, so its owner still has a value there.
          this.error('too-deep', start, this.tokenEnd);
          const end = this.skipValue();
          return tape.add(kind, start, end, keyStart, keyEnd, keyFlags);
        }
        const slot = tape.add(kind, start, 0, keyStart, keyEnd, keyFlags);
        this.bracketBalance++;
        if (kind === KIND_OBJECT) this.parseObjectMembers(slot, depth);
        else this.parseArrayItems(slot, depth);
        return slot;
      }
      case STRING: {
        const slot = tape.add(KIND_STRING, start, this.tokenEnd, keyStart, keyEnd, keyFlags | (this.tokenNeedsDecoding ? FLAG_VALUE_NEEDS_DECODING : 0));
        this.scan();
        return slot;
      }
      case NUMBER:
      case TRUE:
      case FALSE:
      case NULL: {
        const kind = this.token === NUMBER ? KIND_NUMBER : this.token === TRUE ? KIND_TRUE : this.token === FALSE ? KIND_FALSE : KIND_NULL;
        const slot = tape.add(kind, start, this.tokenEnd, keyStart, keyEnd, keyFlags);
        this.scan();
        return slot;
      }
      default:
        return -1;
    }
  }

  private parseObjectMembers(slot: number, depth: number): void {
    const tape = this.tape;
    const openIndent = this.byIndentation ? lineIndentOf(this.text, tape.start[slot]) : -1;
    this.scan();
    let needsComma = false;
    let previous = -1;
    let count = 0;
    let endedByIndentation = false;
    while (this.token !== CLOSE_BRACE && this.token !== EOF) {
      if (openIndent >= 0 && this.endsByIndentation(openIndent, false)) { endedByIndentation = true; break; }
      if (this.token === COMMA) {
        if (!needsComma) this.error('value-expected', this.tokenStart, this.tokenEnd);
        this.scan();
        if (this.token === CLOSE_BRACE) break; // trailing comma: allowed in JSONC
      } else if (needsComma) {
        this.error('comma-expected', this.tokenStart, this.tokenEnd);
      }
      if (this.token !== STRING) {
        this.error('property-name-expected', this.tokenStart, this.tokenEnd);
        // Stop at a closing bracket too: `{ "a": 1 ]` should not swallow the rest of the file.
        this.recover();
        if (this.token === CLOSE_BRACKET) break;
        needsComma = false;
        continue;
      }
      const keyStart = this.tokenStart;
      const keyEnd = this.tokenEnd;
      const keyFlags = this.tokenNeedsDecoding ? FLAG_KEY_NEEDS_DECODING : 0;
      this.scan();
      let member = -1;
      // The next key follows at once: the member being typed is reported, not the comma it also lacks.
      let nextKeyFollows = false;
      if (this.token === COLON) {
        const colonStart = this.tokenStart;
        const colonEnd = this.tokenEnd;
        this.scan();
        // Only a string on a later line is looked past: most values are strings on the colon's line.
        if (this.token === STRING && this.tokenOnLaterLine(colonEnd) && this.currentStringIsKey()) {
          this.error('value-expected', colonStart, colonEnd);
          nextKeyFollows = true;
        } else {
          member = this.parseValue(depth + 1, keyStart, keyEnd, keyFlags);
          if (member < 0) {
            this.error('value-expected', this.tokenStart, this.tokenEnd);
            this.recover();
          }
        }
      } else {
        this.error('colon-expected', keyStart, keyEnd);
        const token = this.token;
        if (token === STRING && (this.tokenOnLaterLine(keyEnd) || this.currentStringIsKey())) nextKeyFollows = true;
        else if (token === STRING || token === OPEN_BRACE || token === OPEN_BRACKET || token === NUMBER || token === TRUE || token === FALSE || token === NULL) {
          // `"type" "relationship"`: only the colon is missing.
          member = this.parseValue(depth + 1, keyStart, keyEnd, keyFlags);
        } else this.recover();
      }
      if (member < 0) member = tape.add(KIND_MISSING, keyEnd, keyEnd, keyStart, keyEnd, keyFlags);
      if (previous >= 0) tape.next[previous] = member;
      previous = member;
      count++;
      if (this.token === CLOSE_BRACKET) break;
      needsComma = !nextKeyFollows && !this.closedByIndentation;
      this.closedByIndentation = false;
    }
    this.closeContainer(slot, count, previous, CLOSE_BRACE, 'close-brace-expected', endedByIndentation);
  }

  private parseArrayItems(slot: number, depth: number): void {
    const tape = this.tape;
    const openIndent = this.byIndentation ? lineIndentOf(this.text, tape.start[slot]) : -1;
    this.scan();
    let needsComma = false;
    let previous = -1;
    let count = 0;
    let endedByIndentation = false;
    while (this.token !== CLOSE_BRACKET && this.token !== EOF) {
      if (openIndent >= 0 && this.endsByIndentation(openIndent, true)) { endedByIndentation = true; break; }
      if (this.token === COMMA) {
        if (!needsComma) this.error('value-expected', this.tokenStart, this.tokenEnd);
        this.scan();
        if (this.token === CLOSE_BRACKET) break;
      } else if (needsComma) {
        this.error('comma-expected', this.tokenStart, this.tokenEnd);
      }
      // `[1, 2 }`: the array's owner is closing; leave the brace to it.
      if (this.token === CLOSE_BRACE) break;
      const item = this.parseValue(depth + 1, -1, -1, 0);
      if (item >= 0) {
        if (previous >= 0) tape.next[previous] = item;
        previous = item;
        count++;
      } else {
        this.error('value-expected', this.tokenStart, this.tokenEnd);
        this.recover();
        if (this.token === CLOSE_BRACE) break;
      }
      needsComma = !this.closedByIndentation;
      this.closedByIndentation = false;
    }
    this.closeContainer(slot, count, previous, CLOSE_BRACKET, 'close-bracket-expected', endedByIndentation);
  }

  /**
   * Records a container's children and end: at its closer, or, when that is missing, where its last child ends
   * (at the end of the text, there). One ended by indentation reports its unclosed opening bracket.
   */
  private closeContainer(slot: number, count: number, lastChild: number, closer: number, missing: JsonSyntaxErrorKind, endedByIndentation: boolean): void {
    const tape = this.tape;
    tape.childCount[slot] = count;
    this.closedByIndentation = endedByIndentation;
    if (this.token === closer && !endedByIndentation) {
      tape.end[slot] = this.tokenEnd;
      this.bracketBalance--;
      this.scan();
      return;
    }
    if (endedByIndentation) this.error(missing, tape.start[slot], tape.start[slot] + 1);
    else this.error(missing, this.tokenStart, this.tokenEnd);
    let end = tape.start[slot] + 1;
    if (lastChild >= 0) end = Math.max(end, tape.end[lastChild]);
    if (this.token === EOF) end = Math.max(end, this.length);
    tape.end[slot] = Math.min(end, this.length);
  }
}

/** Indentation (spaces and tabs) of the line holding `offset`. */
function lineIndentOf(text: string, offset: number): number {
  let start = offset;
  while (start > 0 && text.charCodeAt(start - 1) !== 0x0a && text.charCodeAt(start - 1) !== 0x0d) start--;
  let end = start;
  while (text.charCodeAt(end) === 0x20 || text.charCodeAt(end) === 0x09) end++;
  return end - start;
}

/** Indentation before `offset` when only spaces and tabs precede it on its line (it starts the line), else -1. */
function lineIndentBefore(text: string, offset: number): number {
  let start = offset;
  while (start > 0) {
    const ch = text.charCodeAt(start - 1);
    if (ch === 0x0a || ch === 0x0d) break;
    if (ch !== 0x20 && ch !== 0x09) return -1;
    start--;
  }
  return offset - start;
}

/** Characters that end a word (jsonc-parser's scanner: whitespace, line breaks, structure, quote, slash). */
function isSeparator(ch: number): boolean {
  switch (ch) {
    case 0x20: case 0x09: case 0x0a: case 0x0d:
    case 0x7b: case 0x7d: case 0x5b: case 0x5d: case 0x22: case 0x3a: case 0x2c: case 0x2f:
      return true;
    default:
      return false;
  }
}
