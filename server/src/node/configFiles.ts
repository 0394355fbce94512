/**
 * Finds managed config files on disk: by the file globs, then by shape (the model decides what a file is).
 * Shared by the language server (workspace scan) and the CLI.
 */
import * as fs from 'fs';
import * as path from 'path';
import { configRootOf } from '../core/model/workspace';
import { globToRegExp, matchesAny } from './glob';

const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out', '.e2e-cache']);

/** Every file below `folder` whose path matches one of `globs`, skipping tool folders. */
export function findFiles(folder: string, globs: string[], limit = 20000): string[] {
  const patterns = globs.map(globToRegExp);
  const found: string[] = [];
  const stack = [folder];
  while (stack.length && found.length < limit) {
    const current = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(current, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) stack.push(full);
      } else if (entry.isFile() && matchesAny(full, patterns)) {
        found.push(full);
      }
    }
  }
  return found.sort();
}

/**
 * The files that may share a schema with `file`: everything matching the globs below its config root
 * (computed for both layouts it could have, since we have not read it yet).
 */
export function siblingCandidates(file: string, globs: string[]): string[] {
  const posix = file.replace(/\\/g, '/');
  const roots = new Set([configRootOf(posix, 'managed'), configRootOf(posix, 'single-object')]);
  const result = new Set<string>();
  for (const root of roots) {
    if (!root) continue;
    for (const candidate of findFiles(root, globs, 2000)) result.add(candidate);
  }
  return [...result];
}

export function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
