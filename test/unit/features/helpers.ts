/** Helpers for the editing-feature tests: cursor markers, small workspaces, applying edits and snippets. */
import * as fs from 'fs';
import * as path from 'path';
import type { OffsetEdit } from '../../../server/src/core/fixes/edits';
import { Workspace } from '../../../server/src/core/model/workspace';
import { checkSchema } from '../../../server/src/core/rules/index';
import { CORPUS, FIXTURES, jsonFilesUnder } from '../../helpers/fixtures';

import { CURSOR, withCursor } from '../../helpers/markers';

export { CURSOR, withCursor } from '../../helpers/markers';

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

/** Problems by place, `uri:line` -> `code: message` lines. Renames never add or remove lines, so places compare. */
export function problemCounts(workspace: Workspace): Map<string, string[]> {
  const places = new Map<string, string[]>();
  for (const schema of workspace.allSchemas()) {
    for (const [uri, findings] of checkSchema(schema)) {
      const text = workspace.getFile(uri)?.text ?? '';
      for (const finding of findings) {
        const line = text.slice(0, finding.range.start).split('\n').length;
        const key = `${uri}:${line}`;
        places.set(key, [...(places.get(key) ?? []), `${finding.code}: ${finding.message}`]);
      }
    }
  }
  return places;
}

/** Places with a problem in `after` that had none in `before` (a pre-existing problem may change its wording). */
export function newProblems(before: Map<string, string[]>, after: Map<string, string[]>): string[] {
  const added: string[] = [];
  for (const [place, problems] of after) if (!before.has(place)) added.push(`${place} ${problems.join('; ')}`);
  return added;
}

/** One workspace per repository of the corpus fixtures, every file at its '/'-separated path (configurations form by root). */
export function corpusWorkspacesByRepo(): Workspace[] {
  const byRepo = new Map<string, Workspace>();
  for (const file of jsonFilesUnder(CORPUS)) {
    const repo = path.relative(CORPUS, file).split(path.sep)[0];
    const workspace = byRepo.get(repo) ?? new Workspace();
    byRepo.set(repo, workspace);
    workspace.setFile(file.split(path.sep).join('/'), fs.readFileSync(file, 'utf8'));
  }
  return [...byRepo.values()];
}

/** A one-file managed.json whose `user.manager` definition is `body` (which carries the cursor). */
export function managedWith(propertyBody: string, extraProperties = ''): Record<string, string> {
  return {
    '/conf/managed.json': `{
  "objects": [
    {
      "name": "user",
      "schema": {
        "properties": {
          "userName": { "type": "string" },
          "manager": ${propertyBody}${extraProperties}
        }
      }
    },
    {
      "name": "role",
      "schema": { "title": "Role", "properties": { "name": { "type": "string" } } }
    }
  ]
}`,
  };
}
