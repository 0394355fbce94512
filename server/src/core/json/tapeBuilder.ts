/**
 * The tolerant JSONC parser: one pass over the text that writes the tape (tape.ts) and the syntax errors.
 *
 * Its tokens and its error recovery are jsonc-parser's (skip to the next `,` `}` or `]`), so half-typed JSON still
 * gives a partial tree; a differential test holds it to the tree and errors of a parser built on jsonc-parser's own
 * scanner (test/helpers/referenceParser.ts). It has its own tokenizer because that scanner builds a string for
 * every token, whitespace included, which costs more than the whole analysis may. It never throws.
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

export function buildTape(text: string): TapeParse {
  const builder = new TapeBuilder(text);
  const root = builder.parseDocument();
  return { tape: builder.tape.finish(text), root, errors: builder.errors };
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

  constructor(private readonly text: string) {
    this.length = text.length;
    // Pretty-printed configs hold about one value per 35 characters; the writer doubles when that is too few.
    this.tape = TapeWriter.acquire((text.length / 32) | 0);
  }

  parseDocument(): number {
    this.scan();
    if (this.token === EOF) {
      this.error('value-expected', this.length, this.length);
      return -1;
    }
    const root = this.parseValue(0, -1, -1, 0);
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
      if (token === OPEN_BRACE || token === OPEN_BRACKET) depth++;
      else if (token === CLOSE_BRACE || token === CLOSE_BRACKET) depth--;
      end = this.tokenEnd;
      this.scan();
    } while (depth > 0 && this.token !== EOF);
    return end;
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
    this.scan();
    let needsComma = false;
    let previous = -1;
    let count = 0;
    while (this.token !== CLOSE_BRACE && this.token !== EOF) {
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
      if (this.token === COLON) {
        this.scan();
        member = this.parseValue(depth + 1, keyStart, keyEnd, keyFlags);
        if (member < 0) {
          this.error('value-expected', this.tokenStart, this.tokenEnd);
          this.recover();
        }
      } else {
        this.error('colon-expected', this.tokenStart, this.tokenEnd);
        this.recover();
      }
      if (member < 0) member = tape.add(KIND_MISSING, keyEnd, keyEnd, keyStart, keyEnd, keyFlags);
      if (previous >= 0) tape.next[previous] = member;
      previous = member;
      count++;
      if (this.token === CLOSE_BRACKET) break;
      needsComma = true;
    }
    this.closeContainer(slot, count, previous, CLOSE_BRACE, 'close-brace-expected');
  }

  private parseArrayItems(slot: number, depth: number): void {
    const tape = this.tape;
    this.scan();
    let needsComma = false;
    let previous = -1;
    let count = 0;
    while (this.token !== CLOSE_BRACKET && this.token !== EOF) {
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
      needsComma = true;
    }
    this.closeContainer(slot, count, previous, CLOSE_BRACKET, 'close-bracket-expected');
  }

  /**
   * Records a container's children and end: at its closer, or, when that is missing, where its last child ends
   * (at the end of the text, there).
   */
  private closeContainer(slot: number, count: number, lastChild: number, closer: number, missing: JsonSyntaxErrorKind): void {
    const tape = this.tape;
    tape.childCount[slot] = count;
    if (this.token === closer) {
      tape.end[slot] = this.tokenEnd;
      this.scan();
      return;
    }
    this.error(missing, this.tokenStart, this.tokenEnd);
    let end = tape.start[slot] + 1;
    if (lastChild >= 0) end = Math.max(end, tape.end[lastChild]);
    if (this.token === EOF) end = Math.max(end, this.length);
    tape.end[slot] = Math.min(end, this.length);
  }
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
