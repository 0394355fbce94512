/** Helpers for the editing-feature tests: cursor markers, small workspaces, applying edits and snippets. */
import * as fs from 'fs';
import * as path from 'path';
import type { OffsetEdit } from '../../../server/src/core/fixes/edits';
import { Workspace } from '../../../server/src/core/model/workspace';
import { checkSchema } from '../../../server/src/core/rules/index';
import { FIXTURES } from '../../helpers/fixtures';

export const CURSOR = '|';

/** Removes the cursor marker `|` and returns the text and the cursor offset. */
export function withCursor(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf(CURSOR);
  if (offset < 0) throw new Error('no cursor marker in fixture');
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), offset };
}

/**
 * A workspace of files given as `uri -> text`; one of them may carry a cursor marker.
 * URIs are plain '/'-separated paths, as the core treats them.
 */
export function workspaceOf(files: Record<string, string>): { workspace: Workspace; uri: string; offset: number } {
  const workspace = new Workspace();
  let cursorUri = Object.keys(files)[0];
  let offset = -1;
  for (const [uri, marked] of Object.entries(files)) {
    if (marked.includes(CURSOR) && offset < 0 && !uri.endsWith('.nocursor')) {
      const found = withCursor(marked);
      workspace.setFile(uri, found.text);
      cursorUri = uri;
      offset = found.offset;
    } else {
      workspace.setFile(uri, marked);
    }
  }
  return { workspace, uri: cursorUri, offset };
}

/** A fixture folder under test/fixtures/features as a workspace (`uri` = path relative to the folder, prefixed). */
export function fixtureWorkspace(folder: string): { workspace: Workspace; uri: string; offset: number; uriOf: (relative: string) => string } {
  const root = path.join(FIXTURES, 'features', folder);
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.json')) files[`/ws/${path.relative(root, full).split(path.sep).join('/')}`] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(root);
  return { ...workspaceOf(files), uriOf: (relative) => `/ws/${relative}` };
}

/** Applies non-overlapping offset edits to a text. */
export function applyEdits(text: string, edits: OffsetEdit[]): string {
  for (const edit of [...edits].sort((a, b) => b.offset - a.offset)) text = text.slice(0, edit.offset) + edit.content + text.slice(edit.offset + edit.length);
  return text;
}

/** What VS Code inserts for a snippet when every placeholder keeps its default (first choice, default text). */
export function expandSnippet(snippet: string): string {
  let out = '';
  for (let i = 0; i < snippet.length; i++) {
    const c = snippet[i];
    if (c === '\\' && i + 1 < snippet.length) { out += snippet[++i]; continue; }
    if (c !== '$') { out += c; continue; }
    const simple = /^\$(\d+)/.exec(snippet.slice(i));
    if (simple) { i += simple[0].length - 1; continue; }
    const choice = /^\$\{\d+\|((?:\\.|[^|\\])*)\|\}/.exec(snippet.slice(i));
    if (choice) {
      out += choice[1].split(/(?<!\\),/)[0].replace(/\\(.)/g, '$1');
      i += choice[0].length - 1;
      continue;
    }
    const placeholder = /^\$\{\d+:((?:\\.|[^}\\])*)\}/.exec(snippet.slice(i));
    if (placeholder) {
      out += placeholder[1].replace(/\\(.)/g, '$1');
      i += placeholder[0].length - 1;
      continue;
    }
    out += c;
  }
  return out;
}

/** `code` -> count over every file of every schema: what "no new problems" compares. */
export function problemCounts(workspace: Workspace): Map<string, number> {
  const counts = new Map<string, number>();
  for (const schema of workspace.allSchemas()) {
    for (const findings of checkSchema(schema).values()) for (const finding of findings) counts.set(finding.code, (counts.get(finding.code) ?? 0) + 1);
  }
  return counts;
}

/** Problems in `after` beyond those in `before`, as readable lines. */
export function newProblems(before: Map<string, number>, after: Map<string, number>): string[] {
  const added: string[] = [];
  for (const [code, count] of after) if (count > (before.get(code) ?? 0)) added.push(`${code}: ${before.get(code) ?? 0} -> ${count}`);
  return added;
}
