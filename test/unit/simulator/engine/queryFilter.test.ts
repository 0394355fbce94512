import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  compareJsonValues, evaluateFilter, parsePointer, parseQueryFilter, resolvePointer, type QueryFilter,
} from '../../../../server/src/core/simulator/queryFilter';

function parse(text: string): QueryFilter {
  const result = parseQueryFilter(text);
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  return result.filter;
}

function matches(text: string, resource: unknown): boolean {
  return evaluateFilter(parse(text), (pointer) => resolvePointer(resource, pointer));
}

const psmith = {
  userName: 'psmith', sn: 'Smith', givenName: 'Patricia', age: 42, active: true, mail: null,
  manager: { _ref: 'managed/user/bjensen', _refResourceId: 'bjensen' },
  roles: [{ _ref: 'managed/role/admin' }, { _ref: 'managed/role/staff' }],
  tags: ['a', 'B'],
};

describe('queryFilter: parsing', () => {
  it('parses literals, comparisons, presence and precedence (and binds tighter than or)', () => {
    assert.deepEqual(parse('true'), { kind: 'literal', value: true });
    assert.deepEqual(parse('FALSE'), { kind: 'literal', value: false });
    // From the PingIDM 8.0 example: "managed/user/bjensen/reports?_queryFilter=sn+eq+'Smith'"
    assert.deepEqual(parse("sn eq 'Smith'"), { kind: 'compare', operator: 'eq', pointer: ['sn'], value: 'Smith' });
    // From PingOne AIC, "Configure relationships": "managed/user?_queryFilter=/reports+pr"
    assert.deepEqual(parse('/reports pr'), { kind: 'present', pointer: ['reports'] });
    assert.deepEqual(parse('a eq 1 or b eq 2 and c eq 3'), {
      kind: 'or', operands: [
        { kind: 'compare', operator: 'eq', pointer: ['a'], value: 1 },
        { kind: 'and', operands: [
          { kind: 'compare', operator: 'eq', pointer: ['b'], value: 2 },
          { kind: 'compare', operator: 'eq', pointer: ['c'], value: 3 },
        ] },
      ],
    });
    assert.deepEqual(parse('!(a pr)'), { kind: 'not', operand: { kind: 'present', pointer: ['a'] } });
    assert.deepEqual(parse('! a pr'), { kind: 'not', operand: { kind: 'present', pointer: ['a'] } });
  });

  it('reads double and single quoted strings with escapes, numbers and booleans', () => {
    // From PingOne AIC, "Create a relationship between objects": "_queryFilter=userName+eq+%22bjensen%22"
    assert.deepEqual(parse('userName eq "bjensen"'), { kind: 'compare', operator: 'eq', pointer: ['userName'], value: 'bjensen' });
    assert.equal((parse(String.raw`a eq "say \"hi\" \\ now"`) as any).value, 'say "hi" \\ now');
    assert.equal((parse(String.raw`a eq 'it\'s'`) as any).value, "it's");
    assert.equal((parse(String.raw`a eq "\u00e9"`) as any).value, 'é');
    assert.equal((parse('a gt -1.5e2') as any).value, -150);
    assert.equal((parse('a eq true') as any).value, true);
    assert.equal((parse('a EQ "x"') as any).operator, 'eq');
  });

  it('parses JSON pointers with escapes', () => {
    assert.deepEqual(parsePointer('/manager/_ref'), ['manager', '_ref']);
    assert.deepEqual(parsePointer('sn'), ['sn']);
    assert.deepEqual(parsePointer('/a~1b/c~0d'), ['a/b', 'c~d']);
    assert.deepEqual((parse("/manager/_ref eq 'managed/user/bjensen'") as any).pointer, ['manager', '_ref']);
  });

  it('reports where a bad filter fails and what it expected', () => {
    const cases: Array<[string, number, RegExp]> = [
      ['sn eqq "x"', 3, /operator/],
      ['sn eq', 5, /value/],
      ['sn eq "Smith', 12, /closing "/],
      ['(sn pr', 6, /'\)'/],
      ['sn pr sn pr', 6, /logical operator/],
      ['', 0, /filter expression/],
      ['sn eq bare', 6, /value/],
      ['a eq "\\u12"', 8, /hexadecimal/],
    ];
    for (const [text, offset, expected] of cases) {
      const result = parseQueryFilter(text);
      assert.equal(result.ok, false, text);
      if (result.ok) continue;
      assert.equal(result.error.offset, offset, `${text}: ${result.error.message}`);
      assert.match(result.error.expected, expected, text);
      assert.match(result.error.message, new RegExp(`offset ${offset}`));
    }
  });
});

describe('queryFilter: matching (IDM in-memory semantics)', () => {
  it('compares strings ignoring case, as JsonUtil.compareJsonObjectValues', () => {
    assert.equal(matches("sn eq 'smith'", psmith), true);
    assert.equal(matches("sn eq 'Smyth'", psmith), false);
    assert.equal(matches("givenName co 'TRIC'", psmith), true);
    assert.equal(matches("givenName sw 'pat'", psmith), true);
    assert.equal(matches("givenName sw 'tric'", psmith), false);
  });

  it('orders numbers and strings with gt, ge, lt, le; values of another kind never match', () => {
    assert.equal(matches('age gt 41', psmith), true);
    assert.equal(matches('age ge 42', psmith), true);
    assert.equal(matches('age lt 42', psmith), false);
    assert.equal(matches('age le 42', psmith), true);
    assert.equal(matches("age eq '42'", psmith), false);
    assert.equal(matches("sn gt 'A'", psmith), true);
    assert.equal(matches('active eq true', psmith), true);
    assert.equal(matches('age co 42', psmith), true);
  });

  it('pr is "present and not null"', () => {
    assert.equal(matches('sn pr', psmith), true);
    assert.equal(matches('mail pr', psmith), false);
    assert.equal(matches('phone pr', psmith), false);
    assert.equal(matches('!(phone pr)', psmith), true);
  });

  it('a list matches when any element matches, and a pointer reads through lists', () => {
    assert.equal(matches("tags eq 'b'", psmith), true);
    assert.equal(matches("/roles/_ref eq 'managed/role/staff'", psmith), true);
    assert.equal(matches("/roles/_ref eq 'managed/role/other'", psmith), false);
    assert.equal(matches("/roles/1/_ref eq 'managed/role/staff'", psmith), true);
    assert.equal(matches("/manager/_ref eq 'managed/user/bjensen'", psmith), true);
  });

  it('combines with and, or, not and parentheses', () => {
    assert.equal(matches("sn eq 'Smith' and (age lt 18 or active eq true)", psmith), true);
    assert.equal(matches("sn eq 'Smith' and !(active eq true)", psmith), false);
    assert.equal(matches('false or true', psmith), true);
  });

  it('sorts missing values first, then by kind, strings ignoring case', () => {
    const values = ['b', 'A', 3, true, null, 1];
    values.sort(compareJsonValues);
    assert.deepEqual(values, [null, true, 1, 3, 'A', 'b']);
    assert.ok(compareJsonValues(undefined, false) < 0);
    assert.equal(compareJsonValues('abc', 'ABC'), 0);
  });
});
