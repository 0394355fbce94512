/** The disk lookup behind the config locator: what it finds, and that one lookup reads each file once. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diskConfigLookup, type ConfigReader } from '../../../server/src/node/configLookup';

const MANAGED = JSON.stringify({ objects: [{ name: 'user', schema: { properties: { manager: { type: 'relationship', resourceCollection: [{ path: 'managed/user' }] } } } }] });

/** An in-memory file system that counts reads per file. */
function countingReader(files: Record<string, string>): ConfigReader & { reads: Map<string, number> } {
  const reads = new Map<string, number>();
  return {
    reads,
    readFile(location) {
      reads.set(location, (reads.get(location) ?? 0) + 1);
      return files[location];
    },
    listConfigFiles(location) {
      return Object.keys(files).filter((file) => file.startsWith(`${location}/`) && file.endsWith('.json'));
    },
  };
}

test('a managed.json found above the scenario is read once, not once to probe it and once to list its folder', () => {
  const reader = countingReader({ '/project/conf/managed.json': MANAGED });
  const found = diskConfigLookup(reader).configsAround('/project/conf/scenarios');
  assert.deepEqual(found.map((schema) => [schema.root, schema.objectTypes.map((type) => type.name)]), [['/project/conf', ['user']]]);
  assert.deepEqual([...reader.reads].filter(([, count]) => count > 1), []);
});

test('each lookup reads the disk afresh: an edit between two lookups is seen', () => {
  const files: Record<string, string> = { '/project/conf/managed.json': MANAGED };
  const lookup = diskConfigLookup(countingReader(files));
  assert.deepEqual(lookup.configAt('/project/conf/managed.json')?.objectTypes.map((type) => type.name), ['user']);
  files['/project/conf/managed.json'] = MANAGED.replace('"user"', '"person"');
  assert.deepEqual(lookup.configAt('/project/conf/managed.json')?.objectTypes.map((type) => type.name), ['person']);
});
