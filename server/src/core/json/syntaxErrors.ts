/** The syntax problems the parser reports; each becomes a `json-syntax` diagnostic. */

export type JsonSyntaxErrorKind =
  | 'value-expected'
  | 'property-name-expected'
  | 'colon-expected'
  | 'comma-expected'
  | 'close-brace-expected'
  | 'close-bracket-expected'
  | 'end-of-file-expected'
  | 'invalid-symbol'
  | 'unterminated-string'
  | 'unterminated-comment'
  | 'invalid-number'
  | 'invalid-unicode'
  | 'invalid-escape'
  | 'invalid-character'
  | 'too-deep';

export interface JsonSyntaxError {
  kind: JsonSyntaxErrorKind;
  message: string;
  offset: number;
  end: number;
}

export const SYNTAX_ERROR_MESSAGES: Record<JsonSyntaxErrorKind, string> = {
  'value-expected': 'Value expected',
  'property-name-expected': 'Property name expected',
  'colon-expected': 'Colon expected',
  'comma-expected': 'Comma expected',
  'close-brace-expected': 'Closing brace `}` expected',
  'close-bracket-expected': 'Closing bracket `]` expected',
  'end-of-file-expected': 'End of file expected',
  'invalid-symbol': 'Invalid symbol',
  'unterminated-string': 'Unterminated string',
  'unterminated-comment': 'Unterminated comment',
  'invalid-number': 'Invalid number format',
  'invalid-unicode': 'Invalid unicode escape sequence',
  'invalid-escape': 'Invalid escape character in string',
  'invalid-character': 'Invalid character in string',
  'too-deep': 'Nesting too deep: content below this level is not analysed',
};
