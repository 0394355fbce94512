/**
 * A parse must not keep the text it read alive once nothing else holds it: a config edited in memory gets a new text
 * at every edit, and the previous ones must go. Keys are interned in a table shared by all parses (core/json/tape.ts);
 * V8 makes a slice of 13 or more characters a view into the whole text, so an interned key that was such a view held
 * an old text (50 MB for a 50 MB config) for as long as its table entry lasted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getHeapStatistics, setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';
import { Workspace } from '../../../server/src/core/model/workspace';

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;
/** The heap in use after a full collection, in a task of its own (V8 may count what the current task made as live). */
const heapAfterCollection = () => new Promise<number>((resolve) => setImmediate(() => {
  collect();
  resolve(getHeapStatistics().used_heap_size);
}));

/** A config of about `bytes`, made at run time, whose keys (13 to 32 characters) are its own. */
function uniqueConfig(seed: string, bytes: number): string {
  const objects = [];
  for (let i = 0, size = 0; size < bytes; i++) {
    const properties = Object.fromEntries(Array.from({ length: 20 }, (_, p) => [`${seed}_prop_${p}_${i % 50}`, { type: 'string', title: `${seed}_title_${p}` }]));
    const object = { name: `${seed}_object_type_${i}`, schema: { properties } };
    size += JSON.stringify(object).length;
    objects.push(object);
  }
  return JSON.stringify({ objects }, null, 2);
}

function readModel(text: string): void {
  const workspace = new Workspace();
  workspace.setFile('file:///w/conf/managed.json', text, 1);
  for (const schema of workspace.allSchemas()) assert.ok(schema.managed.size > 100);
}

test('a model read from a text does not keep the text alive once both are let go', async () => {
  // The code compiled and the intern table full before the baseline.
  readModel(uniqueConfig('warm', 1_000_000));
  const before = await heapAfterCollection();
  let text: string | undefined = uniqueConfig('kept', 8_000_000);
  const size = text.length;
  readModel(text);
  text = undefined;
  const after = await heapAfterCollection();
  assert.ok(after - before < size / 2, `the heap grew by ${((after - before) / 1e6).toFixed(1)} MB after a ${(size / 1e6).toFixed(1)} MB text was read and let go`);
});
