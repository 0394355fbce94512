/**
 * The oracle for differential tests of the tape parser (server/src/core/json/tapeBuilder.ts): the project's first
 * parser, an eager tree built on jsonc-parser's own scanner. The tape parser must give the same tree (values, key
 * and value offsets) and the same errors on any input. Not used by the product: too slow on megabyte configs.
 * Its recovery is the tape parser's, written again here the plain way (see tapeBuilder.ts for why each rule).
 */
import { createScanner, ScanError, SyntaxKind } from 'jsonc-parser';
import type { JsonArray, JsonNode, JsonObject, JsonProperty } from '../../server/src/core/json/ast';
import { SYNTAX_ERROR_MESSAGES, type JsonSyntaxError, type JsonSyntaxErrorKind } from '../../server/src/core/json/syntaxErrors';

export interface ParsedJson {
  root: JsonNode | undefined;
  errors: JsonSyntaxError[];
}

const MESSAGES = SYNTAX_ERROR_MESSAGES;

/** Values nested deeper than this are skipped (with an error) instead of recursed into. */
const MAX_DEPTH = 1000;

export function parseJson(text: string): ParsedJson {
  const first = parseOnce(text, false);
  // More opening than closing brackets scanned (or fewer) in an indented text: parse again, closing containers where the indentation says.
  if (first.bracketBalance !== 0 && /\n[ \t]+["{}[\]]/.test(text)) return parseOnce(text, true);
  return first;
}

function indentOfLine(text: string, offset: number): number {
  const lineStart = Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0].length;
}

function indentIfLineStart(text: string, offset: number): number {
  const lineStart = Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
  const before = text.slice(lineStart, offset);
  return /^[ \t]*$/.test(before) ? before.length : -1;
}

function parseOnce(text: string, byIndentation: boolean): ParsedJson & { bracketBalance: number } {
  let bracketBalance = 0;
  let closedByIndentation = false;
  // Trivia is skipped here rather than by the scanner, so that the scan error of an unterminated comment is seen.
  const scanner = createScanner(text, false);
  const errors: JsonSyntaxError[] = [];
  let token: SyntaxKind = SyntaxKind.Unknown;
  // Read through a call: TypeScript would otherwise narrow `token` across the scanNext() calls that change it.
  const tok = (): SyntaxKind => token;

  const error = (kind: JsonSyntaxErrorKind, offset = scanner.getTokenOffset(), end = offset + scanner.getTokenLength()) => {
    // One error per offset is enough; recovery can report the same place twice.
    const last = errors[errors.length - 1];
    if (last && last.offset === offset && last.kind === kind) return;
    errors.push({ kind, message: MESSAGES[kind], offset, end: Math.min(Math.max(end, offset), text.length) });
  };

  const scanNext = (): SyntaxKind => {
    for (;;) {
      token = scanner.scan();
      switch (scanner.getTokenError()) {
        case ScanError.None: break;
        case ScanError.UnexpectedEndOfComment: error('unterminated-comment'); break;
        case ScanError.UnexpectedEndOfString: error('unterminated-string'); break;
        case ScanError.UnexpectedEndOfNumber: error('invalid-number'); break;
        case ScanError.InvalidUnicode: error('invalid-unicode'); break;
        case ScanError.InvalidEscapeCharacter: error('invalid-escape'); break;
        case ScanError.InvalidCharacter: error('invalid-character'); break;
      }
      if (tok() === SyntaxKind.LineCommentTrivia || tok() === SyntaxKind.BlockCommentTrivia || tok() === SyntaxKind.Trivia || tok() === SyntaxKind.LineBreakTrivia) continue;
      if (tok() === SyntaxKind.Unknown) { error('invalid-symbol'); continue; }
      if (tok() === SyntaxKind.OpenBraceToken || tok() === SyntaxKind.OpenBracketToken) bracketBalance++;
      else if (tok() === SyntaxKind.CloseBraceToken || tok() === SyntaxKind.CloseBracketToken) bracketBalance--;
      return token;
    }
  };

  /** Skips tokens until one in `until` (left current) or one in `after` (consumed). */
  const recover = (after: SyntaxKind[], until: SyntaxKind[]) => {
    while (tok() !== SyntaxKind.EOF) {
      if (after.includes(tok())) { scanNext(); return; }
      if (until.includes(tok())) return;
      scanNext();
    }
  };

  /** True when the current token is a string followed by a colon. */
  const stringIsKey = (): boolean => {
    const offset = scanner.getTokenOffset();
    const errorCount = errors.length;
    const balance = bracketBalance;
    scanNext();
    const isKey = tok() === SyntaxKind.ColonToken;
    scanner.setPosition(offset);
    scanNext();
    errors.length = errorCount;
    bracketBalance = balance;
    return isKey;
  };

  const endsByIndentation = (openIndent: number, inArray: boolean): boolean => {
    if (tok() !== SyntaxKind.StringLiteral && tok() !== SyntaxKind.CloseBraceToken && tok() !== SyntaxKind.CloseBracketToken) return false;
    const indent = indentIfLineStart(text, scanner.getTokenOffset());
    if (indent < 0) return false;
    if (tok() !== SyntaxKind.StringLiteral) return indent < openIndent;
    return indent <= openIndent && (!inArray || stringIsKey());
  };

  /** Skips one whole value without building nodes (used past MAX_DEPTH). */
  const skipValue = (): number => {
    let depth = 0;
    let end = scanner.getTokenOffset();
    do {
      if (tok() === SyntaxKind.OpenBraceToken || tok() === SyntaxKind.OpenBracketToken) depth++;
      else if (tok() === SyntaxKind.CloseBraceToken || tok() === SyntaxKind.CloseBracketToken) depth--;
      end = scanner.getTokenOffset() + scanner.getTokenLength();
      scanNext();
    } while (depth > 0 && tok() !== SyntaxKind.EOF);
    return end;
  };

  const parseValue = (parent: JsonObject | JsonArray | undefined, depth: number): JsonNode | undefined => {
    const offset = scanner.getTokenOffset();
    switch (tok()) {
      case SyntaxKind.OpenBraceToken:
      case SyntaxKind.OpenBracketToken:
        if (depth > MAX_DEPTH) {
          // Kept as an empty container over the skipped text, so its owner still has a value there.
          error('too-deep');
          const isObject = tok() === SyntaxKind.OpenBraceToken;
          const end = skipValue();
          return isObject
            ? { type: 'object', properties: [], offset, end, parent, property: undefined, index: undefined }
            : { type: 'array', items: [], offset, end, parent, property: undefined };
        }
        return tok() === SyntaxKind.OpenBraceToken ? parseObject(parent, depth) : parseArray(parent, depth);
      case SyntaxKind.StringLiteral: {
        const node: JsonNode = { type: 'string', value: scanner.getTokenValue(), offset, end: offset + scanner.getTokenLength(), parent, property: undefined };
        scanNext();
        return node;
      }
      case SyntaxKind.NumericLiteral: {
        const raw = scanner.getTokenValue();
        let value = Number(raw);
        if (Number.isNaN(value)) { error('invalid-number'); value = 0; }
        const node: JsonNode = { type: 'number', value, offset, end: offset + scanner.getTokenLength(), parent, property: undefined };
        scanNext();
        return node;
      }
      case SyntaxKind.TrueKeyword:
      case SyntaxKind.FalseKeyword: {
        const node: JsonNode = { type: 'boolean', value: tok() === SyntaxKind.TrueKeyword, offset, end: offset + scanner.getTokenLength(), parent, property: undefined };
        scanNext();
        return node;
      }
      case SyntaxKind.NullKeyword: {
        const node: JsonNode = { type: 'null', value: null, offset, end: offset + scanner.getTokenLength(), parent, property: undefined };
        scanNext();
        return node;
      }
      default:
        return undefined;
    }
  };

  const parseObject = (parent: JsonObject | JsonArray | undefined, depth: number): JsonObject => {
    const node: JsonObject = { type: 'object', properties: [], offset: scanner.getTokenOffset(), end: 0, parent, property: undefined, index: undefined };
    const openIndent = byIndentation ? indentOfLine(text, node.offset) : -1;
    scanNext();
    let needsComma = false;
    let ended = false;
    while (tok() !== SyntaxKind.CloseBraceToken && tok() !== SyntaxKind.EOF) {
      if (openIndent >= 0 && endsByIndentation(openIndent, false)) { ended = true; break; }
      if (tok() === SyntaxKind.CommaToken) {
        if (!needsComma) error('value-expected');
        scanNext();
        if (tok() === SyntaxKind.CloseBraceToken) break; // trailing comma: allowed in JSONC
      } else if (needsComma) {
        error('comma-expected');
      }
      if (tok() !== SyntaxKind.StringLiteral) {
        error('property-name-expected');
        // Stop at a closing bracket too: `{ "a": 1 ]` should not swallow the rest of the file.
        recover([], [SyntaxKind.CloseBraceToken, SyntaxKind.CommaToken, SyntaxKind.CloseBracketToken]);
        if (tok() === SyntaxKind.CloseBracketToken) break;
        needsComma = false;
        continue;
      }
      const keyOffset = scanner.getTokenOffset();
      const property: JsonProperty = { key: scanner.getTokenValue(), keyOffset, keyEnd: keyOffset + scanner.getTokenLength(), value: undefined, owner: node };
      node.properties.push(property);
      scanNext();
      let nextKeyFollows = false;
      const attach = (value: JsonNode) => {
        value.property = property;
        property.value = value;
      };
      if (tok() === SyntaxKind.ColonToken) {
        const colon = scanner.getTokenOffset();
        scanNext();
        if (tok() === SyntaxKind.StringLiteral && /[\r\n]/.test(text.slice(colon + 1, scanner.getTokenOffset())) && stringIsKey()) {
          error('value-expected', colon, colon + 1);
          nextKeyFollows = true;
        } else {
          const value = parseValue(node, depth + 1);
          if (value) attach(value);
          else {
            error('value-expected');
            recover([], [SyntaxKind.CloseBraceToken, SyntaxKind.CommaToken, SyntaxKind.CloseBracketToken]);
          }
        }
      } else {
        error('colon-expected', keyOffset, property.keyEnd);
        const laterLine = /[\r\n]/.test(text.slice(property.keyEnd, scanner.getTokenOffset()));
        if (tok() === SyntaxKind.StringLiteral && (laterLine || stringIsKey())) nextKeyFollows = true;
        else if ([SyntaxKind.StringLiteral, SyntaxKind.OpenBraceToken, SyntaxKind.OpenBracketToken, SyntaxKind.NumericLiteral, SyntaxKind.TrueKeyword, SyntaxKind.FalseKeyword, SyntaxKind.NullKeyword].includes(tok())) {
          attach(parseValue(node, depth + 1)!);
        } else recover([], [SyntaxKind.CloseBraceToken, SyntaxKind.CommaToken, SyntaxKind.CloseBracketToken]);
      }
      if (tok() === SyntaxKind.CloseBracketToken) break;
      needsComma = !nextKeyFollows && !closedByIndentation;
      closedByIndentation = false;
    }
    closedByIndentation = ended;
    if (tok() === SyntaxKind.CloseBraceToken && !ended) {
      node.end = scanner.getTokenOffset() + scanner.getTokenLength();
      scanNext();
    } else {
      if (ended) error('close-brace-expected', node.offset, node.offset + 1);
      else error('close-brace-expected');
      node.end = lastEnd(node);
    }
    return node;
  };

  const parseArray = (parent: JsonObject | JsonArray | undefined, depth: number): JsonArray => {
    const node: JsonArray = { type: 'array', items: [], offset: scanner.getTokenOffset(), end: 0, parent, property: undefined };
    const openIndent = byIndentation ? indentOfLine(text, node.offset) : -1;
    scanNext();
    let needsComma = false;
    let ended = false;
    while (tok() !== SyntaxKind.CloseBracketToken && tok() !== SyntaxKind.EOF) {
      if (openIndent >= 0 && endsByIndentation(openIndent, true)) { ended = true; break; }
      if (tok() === SyntaxKind.CommaToken) {
        if (!needsComma) error('value-expected');
        scanNext();
        if (tok() === SyntaxKind.CloseBracketToken) break;
      } else if (needsComma) {
        error('comma-expected');
      }
      if (tok() === SyntaxKind.CloseBraceToken) {
        // `[1, 2 }`: the array's owner is closing; leave the brace to it.
        break;
      }
      const value = parseValue(node, depth + 1);
      if (value) node.items.push(value);
      else {
        error('value-expected');
        recover([], [SyntaxKind.CloseBracketToken, SyntaxKind.CommaToken, SyntaxKind.CloseBraceToken]);
        if (tok() === SyntaxKind.CloseBraceToken) break;
      }
      needsComma = !closedByIndentation;
      closedByIndentation = false;
    }
    closedByIndentation = ended;
    if (tok() === SyntaxKind.CloseBracketToken && !ended) {
      node.end = scanner.getTokenOffset() + scanner.getTokenLength();
      scanNext();
    } else {
      if (ended) error('close-bracket-expected', node.offset, node.offset + 1);
      else error('close-bracket-expected');
      node.end = lastEnd(node);
    }
    return node;
  };

  const lastEnd = (node: JsonObject | JsonArray): number => {
    // An unclosed container ends where its last parsed content ends (or at the last token seen).
    let end = node.offset + 1;
    if (node.type === 'object') {
      const last = node.properties[node.properties.length - 1];
      if (last) end = Math.max(end, last.value ? last.value.end : last.keyEnd);
    } else {
      const last = node.items[node.items.length - 1];
      if (last) end = Math.max(end, last.end);
    }
    return Math.min(Math.max(end, tok() === SyntaxKind.EOF ? text.length : end), text.length);
  };

  scanNext();
  let root: JsonNode | undefined;
  if (tok() !== SyntaxKind.EOF) {
    root = parseValue(undefined, 0);
    if (!root) {
      error('value-expected');
    }
    // Anything after the root value is an error; keep scanning so scan errors are still reported.
    if (tok() !== SyntaxKind.EOF) {
      // The brackets read are those of the root value: the token after it is not part of it.
      if (tok() === SyntaxKind.OpenBraceToken || tok() === SyntaxKind.OpenBracketToken) bracketBalance--;
      else if (tok() === SyntaxKind.CloseBraceToken || tok() === SyntaxKind.CloseBracketToken) bracketBalance++;
      error('end-of-file-expected');
    }
  } else {
    error('value-expected', text.length, text.length);
  }
  return { root, errors, bracketBalance };
}
