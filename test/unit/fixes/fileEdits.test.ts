/**
 * The edit builder locates every step with the project's parser, as the model reads the file, and lets jsonc-parser
 * only write. Whole outputs are compared: a fragment would hide a neighbouring line that changed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FileEditBuilder } from '../../../server/src/core/fixes/edits';

const lines = (...text: string[]): string => `${text.join('\n')}\n`;

test('set follows the last of duplicated keys, the one IDM and the model read', () => {
  const text = lines(
    '{',
    '  "objects": [ { "name": "stale" } ],',
    '  "objects": [',
    '    { "name": "user" }',
    '  ]',
    '}',
  );
  const builder = new FileEditBuilder('file:///managed.json', text).set(['objects', 0, 'title'], 'User');
  assert.equal(builder.ambiguous, false);
  assert.equal(builder.result, lines(
    '{',
    '  "objects": [ { "name": "stale" } ],',
    '  "objects": [',
    '    {',
    '      "name": "user",',
    '      "title": "User"',
    '    }',
    '  ]',
    '}',
  ));
});

test('insert appends to the array the model reads, not the first copy', () => {
  const text = lines(
    '{',
    '  "order": ["a"],',
    '  "order": [',
    '    "b"',
    '  ]',
    '}',
  );
  const builder = new FileEditBuilder('file:///managed.json', text).insert(['order'], 1, 'c');
  assert.equal(builder.result, lines(
    '{',
    '  "order": ["a"],',
    '  "order": [',
    '    "b",',
    '    "c"',
    '  ]',
    '}',
  ));
});

test('a node that starts mid-line is edited without rewriting the line it starts on', () => {
  const text = lines(
    '{',
    '  "objects": [',
    '    { "name": "a", "schema": { "properties": {',
    '      "x": { "type": "string" }',
    '    } } }',
    '  ]',
    '}',
  );
  const builder = new FileEditBuilder('file:///managed.json', text).set(['objects', 0, 'schema', 'properties', 'x', 'title'], 'X');
  assert.equal(builder.result, lines(
    '{',
    '  "objects": [',
    '    { "name": "a", "schema": { "properties": {',
    '      "x": {',
    '        "type": "string",',
    '        "title": "X"',
    '      }',
    '    } } }',
    '  ]',
    '}',
  ));
});

test('a syntax error outside the edited node does not stop the edit; one inside it does', () => {
  const text = lines(
    '{',
    '  "objects": [',
    '    { "name": "a", "schema": { "properties": { "x": { "type": "string" } } } },',
    '    { "name": "b", "schema": { "properties": { "y": { "type": "string" ',
    '  ]',
    '}',
  );
  const outside = new FileEditBuilder('file:///managed.json', text).set(['objects', 0, 'schema', 'properties', 'x', 'title'], 'X');
  assert.equal(outside.ambiguous, false);
  assert.equal(outside.result, text.replace('"x": { "type": "string" }', '"x": {\n      "type": "string",\n      "title": "X"\n    }'));
  const inside = new FileEditBuilder('file:///managed.json', text).set(['objects', 1, 'schema', 'properties', 'y', 'title'], 'Y');
  assert.equal(inside.ambiguous, true);
  assert.equal(inside.result, text);
});

test('missing parents are created inside the deepest node that exists, in the file\'s "key" : value style', () => {
  const text = lines(
    '{',
    '    "objects" : [',
    '        {',
    '            "name" : "user"',
    '        }',
    '    ]',
    '}',
  );
  const builder = new FileEditBuilder('file:///managed.json', text).set(['objects', 0, 'schema', 'order'], ['userName']);
  assert.equal(builder.result, lines(
    '{',
    '    "objects" : [',
    '        {',
    '            "name" : "user",',
    '            "schema" : {',
    '                "order" : [',
    '                    "userName"',
    '                ]',
    '            }',
    '        }',
    '    ]',
    '}',
  ));
});
