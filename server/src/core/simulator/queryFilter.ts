/**
 * CREST `_queryFilter` expressions, parsed and evaluated in memory.
 *
 *   Expr       := OrExpr
 *   OrExpr     := AndExpr ('or' AndExpr)*
 *   AndExpr    := NotExpr ('and' NotExpr)*
 *   NotExpr    := '!' NotExpr | Primary
 *   Primary    := '(' Expr ')' | 'true' | 'false' | Pointer 'pr' | Pointer Op Value
 *   Op         := eq | co | sw | gt | ge | lt | le
 *   Value      := "string" | 'string' | number | true | false
 *
 * Pointers are JSON pointers (`/manager/_ref`; a leading `/` is optional, `~1` is `/`, `~0` is `~`).
 * Operators and keywords are case-insensitive, as in CREST.
 *
 * Matching follows IDM's in-memory filter (`org.forgerock.openidm.filter.JsonValueFilterVisitor` and
 * `JsonUtil.compareJsonObjectValues`): a list value matches when any element matches; strings compare
 * ignoring case; only values of the same kind (string/number/boolean) compare; `co` and `sw` are
 * case-insensitive for strings and plain equality for numbers and booleans; `pr` is "present and not null".
 */

export type ComparisonOperator = 'eq' | 'co' | 'sw' | 'gt' | 'ge' | 'lt' | 'le';
export type FilterValue = string | number | boolean;

export type QueryFilter =
  | { kind: 'literal'; value: boolean }
  | { kind: 'and'; operands: QueryFilter[] }
  | { kind: 'or'; operands: QueryFilter[] }
  | { kind: 'not'; operand: QueryFilter }
  | { kind: 'present'; pointer: string[] }
  | { kind: 'compare'; operator: ComparisonOperator; pointer: string[]; value: FilterValue };

export interface QueryFilterError {
  /** Offset in the filter text where parsing failed. */
  offset: number;
  /** What the parser expected there. */
  expected: string;
  /** What it found (`end of filter` at the end). */
  found: string;
  /** A sentence for the 400 response. */
  message: string;
}

export type QueryFilterParse = { ok: true; filter: QueryFilter } | { ok: false; error: QueryFilterError };

const OPERATORS = new Set<string>(['eq', 'co', 'sw', 'gt', 'ge', 'lt', 'le']);

interface Token {
  kind: 'open' | 'close' | 'not' | 'word' | 'string';
  text: string;
  /** Decoded value for strings. */
  value?: string;
  offset: number;
}

class FilterSyntax extends Error {
  constructor(readonly offset: number, readonly expected: string, readonly found: string) {
    super(expected);
  }
}

export function parseQueryFilter(text: string): QueryFilterParse {
  try {
    const tokens = tokenize(text);
    const parser = new Parser(tokens, text.length);
    const filter = parser.expression();
    parser.expectEnd();
    return { ok: true, filter };
  } catch (error) {
    if (!(error instanceof FilterSyntax)) throw error;
    return {
      ok: false,
      error: {
        offset: error.offset,
        expected: error.expected,
        found: error.found,
        message: `Invalid query filter '${text}': expected ${error.expected} at offset ${error.offset}, found ${error.found}`,
      },
    };
  }
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { i++; continue; }
    if (c === '(') { tokens.push({ kind: 'open', text: c, offset: i }); i++; continue; }
    if (c === ')') { tokens.push({ kind: 'close', text: c, offset: i }); i++; continue; }
    if (c === '!') { tokens.push({ kind: 'not', text: c, offset: i }); i++; continue; }
    if (c === '"' || c === "'") {
      const start = i;
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new FilterSyntax(i, `a closing ${c} for the string that starts at offset ${start}`, 'end of filter');
        const d = text[i];
        if (d === c) { i++; break; }
        if (d === '\\') {
          const escaped = text[i + 1];
          if (escaped === undefined) throw new FilterSyntax(i + 1, 'an escaped character after \\', 'end of filter');
          const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' };
          if (escaped === 'u') {
            const hex = text.slice(i + 2, i + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new FilterSyntax(i + 2, 'four hexadecimal digits after \\u', describe(hex));
            value += String.fromCharCode(parseInt(hex, 16));
            i += 6;
          } else {
            value += simple[escaped] ?? escaped;
            i += 2;
          }
          continue;
        }
        value += d;
        i++;
      }
      tokens.push({ kind: 'string', text: text.slice(start, i), value, offset: start });
      continue;
    }
    const start = i;
    while (i < text.length && !' \t\n\r()'.includes(text[i])) {
      // A quote ends a bare word only when it opens a value: `a eq"x"` is unusual but unambiguous.
      if ((text[i] === '"' || text[i] === "'") && i > start) break;
      i++;
    }
    tokens.push({ kind: 'word', text: text.slice(start, i), offset: start });
  }
  return tokens;
}

function describe(text: string): string {
  return text === '' ? 'end of filter' : `'${text}'`;
}

class Parser {
  private position = 0;

  constructor(private readonly tokens: Token[], private readonly length: number) {}

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private fail(expected: string): never {
    const token = this.peek();
    throw new FilterSyntax(token ? token.offset : this.length, expected, token ? `'${token.text}'` : 'end of filter');
  }

  private isKeyword(token: Token | undefined, keyword: string): boolean {
    return token?.kind === 'word' && token.text.toLowerCase() === keyword;
  }

  expression(): QueryFilter {
    const operands = [this.and()];
    while (this.isKeyword(this.peek(), 'or')) {
      this.position++;
      operands.push(this.and());
    }
    return operands.length === 1 ? operands[0] : { kind: 'or', operands };
  }

  private and(): QueryFilter {
    const operands = [this.not()];
    while (this.isKeyword(this.peek(), 'and')) {
      this.position++;
      operands.push(this.not());
    }
    return operands.length === 1 ? operands[0] : { kind: 'and', operands };
  }

  private not(): QueryFilter {
    if (this.peek()?.kind === 'not') {
      this.position++;
      return { kind: 'not', operand: this.not() };
    }
    return this.primary();
  }

  private primary(): QueryFilter {
    const token = this.peek();
    if (!token) this.fail('a filter expression');
    if (token.kind === 'open') {
      this.position++;
      const inner = this.expression();
      if (this.peek()?.kind !== 'close') this.fail("')' or a logical operator (and, or)");
      this.position++;
      return inner;
    }
    if (token.kind !== 'word') this.fail('a JSON pointer, true, false, ( or !');
    const lower = token.text.toLowerCase();
    const next = this.tokens[this.position + 1];
    const nextIsOperator = next?.kind === 'word' && (OPERATORS.has(next.text.toLowerCase()) || next.text.toLowerCase() === 'pr');
    if ((lower === 'true' || lower === 'false') && !nextIsOperator) {
      this.position++;
      return { kind: 'literal', value: lower === 'true' };
    }
    const pointer = parsePointer(token.text);
    this.position++;
    const operatorToken = this.peek();
    if (operatorToken?.kind !== 'word') this.fail('an operator (eq, co, sw, gt, ge, lt, le, pr)');
    const operator = operatorToken.text.toLowerCase();
    if (operator === 'pr') {
      this.position++;
      return { kind: 'present', pointer };
    }
    if (!OPERATORS.has(operator)) this.fail('an operator (eq, co, sw, gt, ge, lt, le, pr)');
    this.position++;
    return { kind: 'compare', operator: operator as ComparisonOperator, pointer, value: this.value() };
  }

  private value(): FilterValue {
    const token = this.peek();
    if (!token) this.fail('a value (a quoted string, a number, true or false)');
    if (token.kind === 'string') {
      this.position++;
      return token.value!;
    }
    if (token.kind === 'word') {
      const lower = token.text.toLowerCase();
      if (lower === 'true' || lower === 'false') {
        this.position++;
        return lower === 'true';
      }
      if (/^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(token.text)) {
        this.position++;
        return Number(token.text);
      }
    }
    this.fail('a value (a quoted string, a number, true or false)');
  }

  expectEnd(): void {
    if (this.position < this.tokens.length) this.fail('a logical operator (and, or) or the end of the filter');
  }
}

/** `/a/b`, `a/b` -> ['a', 'b']; JSON pointer escapes decoded. */
export function parsePointer(text: string): string[] {
  const body = text.startsWith('/') ? text.slice(1) : text;
  if (body === '') return [];
  return body.split('/').map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Follows `pointer` through plain JSON. Through a list, a numeric segment indexes it and any other
 * segment is applied to every element (so `/roles/_ref` reads the `_ref` of each role).
 */
export function resolvePointer(value: unknown, pointer: readonly string[], from = 0): unknown {
  let current = value;
  for (let i = from; i < pointer.length; i++) {
    if (current === undefined || current === null) return undefined;
    const segment = pointer[i];
    if (Array.isArray(current)) {
      if (/^(0|[1-9][0-9]*)$/.test(segment)) {
        current = current[Number(segment)];
        continue;
      }
      const rest = current.flatMap((item) => {
        const resolved = resolvePointer(item, pointer, i);
        return resolved === undefined ? [] : Array.isArray(resolved) ? resolved : [resolved];
      });
      return rest.length ? rest : undefined;
    }
    if (typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** Reads the value at a pointer of the resource being tested. */
export type PointerResolver = (pointer: readonly string[]) => unknown;

export function evaluateFilter(filter: QueryFilter, resolve: PointerResolver): boolean {
  switch (filter.kind) {
    case 'literal':
      return filter.value;
    case 'and':
      return filter.operands.every((operand) => evaluateFilter(operand, resolve));
    case 'or':
      return filter.operands.some((operand) => evaluateFilter(operand, resolve));
    case 'not':
      return !evaluateFilter(filter.operand, resolve);
    case 'present': {
      const value = resolve(filter.pointer);
      return value !== undefined && value !== null;
    }
    case 'compare':
      return valuesOf(resolve(filter.pointer)).some((value) => matches(filter.operator, value, filter.value));
  }
}

function valuesOf(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function kindOf(value: unknown): 'string' | 'number' | 'boolean' | undefined {
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'boolean' ? type : undefined;
}

function matches(operator: ComparisonOperator, value: unknown, assertion: FilterValue): boolean {
  if (kindOf(value) !== kindOf(assertion)) return false;
  if (operator === 'co' || operator === 'sw') {
    if (typeof assertion !== 'string') return compareJsonValues(value, assertion) === 0;
    const haystack = (value as string).toLowerCase();
    const needle = assertion.toLowerCase();
    return operator === 'co' ? haystack.includes(needle) : haystack.startsWith(needle);
  }
  const order = compareJsonValues(value, assertion);
  switch (operator) {
    case 'eq': return order === 0;
    case 'gt': return order > 0;
    case 'ge': return order >= 0;
    case 'lt': return order < 0;
    case 'le': return order <= 0;
  }
}

const KIND_ORDER: Record<string, number> = { boolean: 0, number: 1, string: 2, object: 3 };

/**
 * Total order on JSON values, as `JsonUtil.compareJsonObjectValues`: strings ignoring case, numbers
 * numerically, booleans false < true; values of different kinds by kind. Missing values sort first.
 */
export function compareJsonValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  const aMissing = a === undefined || a === null;
  const bMissing = b === undefined || b === null;
  if (aMissing || bMissing) return aMissing && bMissing ? 0 : aMissing ? -1 : 1;
  const ka = typeof a;
  const kb = typeof b;
  if (ka === 'string' && kb === 'string') {
    const x = (a as string).toLowerCase();
    const y = (b as string).toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (ka === 'number' && kb === 'number') return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
  if (ka === 'boolean' && kb === 'boolean') return a ? 1 : -1;
  return (KIND_ORDER[ka] ?? 3) - (KIND_ORDER[kb] ?? 3);
}
