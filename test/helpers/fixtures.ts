/** Paths to the test fixtures (tests run from out/test/..., fixtures stay in test/fixtures). */
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');
export const CORPUS = path.join(FIXTURES, 'corpus');

export function fixturePath(...parts: string[]): string {
  return path.join(FIXTURES, ...parts);
}

export function readFixture(...parts: string[]): string {
  return fs.readFileSync(fixturePath(...parts), 'utf8');
}

export function uriOf(file: string): string {
  return pathToFileURL(file).href;
}

/** Every .json file below `folder`, sorted. */
export function jsonFilesUnder(folder: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.json')) found.push(full);
    }
  };
  walk(folder);
  return found.sort();
}
