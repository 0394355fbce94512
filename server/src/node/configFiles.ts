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
      } else if (!entry.isSymbolicLink() && matchesAny(full, patterns)) {
        // Not only regular files: a FIFO or socket that matches is a config the user meant, and reading it says why it cannot be read.
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

/**
 * Reads a config file, or says why it cannot: only regular files are read, and opening never blocks (a FIFO that
 * matches the file patterns would otherwise hold the reader until someone writes to it).
 */
export function readConfigText(file: string): { text: string } | { error: string } {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    const stat = fs.fstatSync(fd);
    if (stat.isDirectory()) return { error: 'it is a folder' };
    if (!stat.isFile()) return { error: 'it is not a regular file' };
    return { text: fs.readFileSync(fd, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOENT' ? 'it does not exist' : code ?? String(error);
    return { error: reason };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

export function readText(file: string): string | undefined {
  const read = readConfigText(file);
  return 'text' in read ? read.text : undefined;
}

/** The kind of what is at `file` without following it into a read: a folder, a file, or nothing (gone or unreadable). */
export function entryKind(file: string): 'folder' | 'file' | undefined {
  try {
    const stat = fs.statSync(file);
    return stat.isDirectory() ? 'folder' : 'file';
  } catch {
    return undefined;
  }
}
