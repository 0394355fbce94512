/**
 * Typing inside real relationships (issue 19, point 1): at every gap of every relationship node (and array wrapper)
 * in the corpus, a new line is opened above a key (or above the closing brace) and one of the things a user types
 * first is inserted: `""` (VS Code closes the quote), `"x"`, `"x":` or an unclosed `{`. The parser must keep every
 * key of the enclosing object type where it was, and completion inside the new key must not offer a key that is
 * already present (accepting it would write a duplicate).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { getValueNode, type JsonNode, type JsonObject } from '../../../server/src/core/json/ast';
import { handleCompletion } from '../../../server/src/core/features/completion';
import { pathBetween, type PathSegment } from '../../../server/src/core/features/place';
import { Workspace } from '../../../server/src/core/model/workspace';
import { CORPUS, jsonFilesUnder } from '../../helpers/fixtures';

interface Insertion {
  name: string;
  text: string;
  /** Cursor offset within `text`, or -1 when no completion is asked there. */
  cursor: number;
}

const INSERTIONS: Insertion[] = [
  { name: '""', text: '""', cursor: 1 },
  { name: '"x"', text: '"x"', cursor: 2 },
  { name: '"x":', text: '"x":', cursor: -1 },
  { name: 'unclosed {', text: '"x": {', cursor: -1 },
];

/** Every key path (`a/b/0/c`) in the subtree of `node`, relative to it. */
function keyPaths(node: JsonNode | undefined, prefix = '', out = new Set<string>()): Set<string> {
  if (node?.type === 'object') {
    for (const property of node.properties) {
      const at = `${prefix}/${property.key}`;
      out.add(at);
      keyPaths(property.value, at, out);
    }
  } else if (node?.type === 'array') {
    node.items.forEach((item, i) => keyPaths(item, `${prefix}/${i}`, out));
  }
  return out;
}

function follow(root: JsonNode | undefined, at: PathSegment[]): JsonNode | undefined {
  let node = root;
  for (const segment of at) {
    if (typeof segment === 'number') node = node?.type === 'array' ? node.items[segment] : undefined;
    else node = getValueNode(node, segment);
  }
  return node;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offsets of the line starts above which a new line can be opened inside `object` (it must be pretty-printed). */
function gapsOf(text: string, object: JsonObject): number[] {
  const gaps: number[] = [];
  const onOwnLine = (offset: number) => /^[ \t]*$/.test(text.slice(lineStart(text, offset), offset));
  for (const property of object.properties) if (onOwnLine(property.keyOffset)) gaps.push(lineStart(text, property.keyOffset));
  const close = object.end - 1;
  if (text[close] === '}' && onOwnLine(close) && lineStart(text, close) > object.offset) gaps.push(lineStart(text, close));
  return gaps;
}

interface Tally {
  positions: number;
  keysLost: number;
  completionPositions: number;
  presentReoffered: number;
  lostExamples: string[];
  reofferedExamples: string[];
}

function run(): Tally {
  const tally: Tally = { positions: 0, keysLost: 0, completionPositions: 0, presentReoffered: 0, lostExamples: [], reofferedExamples: [] };
  const files = jsonFilesUnder(CORPUS);
  const byRepo = new Map<string, string[]>();
  for (const file of files) {
    const repo = path.relative(CORPUS, file).split(path.sep)[0];
    byRepo.set(repo, [...(byRepo.get(repo) ?? []), file]);
  }
  for (const repoFiles of byRepo.values()) {
    const workspace = new Workspace();
    for (const file of repoFiles) workspace.setFile(file.split(path.sep).join('/'), fs.readFileSync(file, 'utf8'));
    for (const file of [...workspace.allFiles]) {
      const original = file.text;
      const root = file.root;
      if (!root) continue;
      const sites: Array<{ objectNode: JsonObject; node: JsonObject }> = [];
      for (const object of file.objects) {
        for (const relationship of object.relationships) {
          sites.push({ objectNode: object.node, node: relationship.node });
          if (relationship.wrapper) sites.push({ objectNode: object.node, node: relationship.wrapper });
        }
      }
      for (const { objectNode, node } of sites) {
        const objectPath = pathBetween(root, objectNode)!;
        const nodePath = pathBetween(root, node)!;
        const expectedKeys = keyPaths(objectNode);
        const presentKeys = new Set(node.properties.map((p) => p.key));
        for (const gap of gapsOf(original, node)) {
          const indent = /^[ \t]*/.exec(original.slice(gap))![0];
          for (const insertion of INSERTIONS) {
            const text = `${original.slice(0, gap)}${indent}${insertion.text}\n${original.slice(gap)}`;
            tally.positions++;
            // One parse serves both checks: the workspace's file is the parser's tree.
            const edited = workspace.setFile(file.uri, text);
            const kept = keyPaths(follow(edited.root, objectPath));
            const lost = [...expectedKeys].filter((k) => !kept.has(k));
            if (lost.length) {
              tally.keysLost++;
              if (tally.lostExamples.length < 5) tally.lostExamples.push(`${file.uri} at ${gap} after ${insertion.name}: lost ${lost.slice(0, 3).join(', ')}`);
            }
            if (insertion.cursor < 0) continue;
            tally.completionPositions++;
            const cursor = gap + indent.length + insertion.cursor;
            const offered = handleCompletion(workspace, file.uri, cursor).items.filter((i) => i.kind === 'key').map((i) => i.label);
            const again = offered.filter((label) => presentKeys.has(label));
            if (again.length) {
              tally.presentReoffered++;
              if (tally.reofferedExamples.length < 5) tally.reofferedExamples.push(`${file.uri} at ${gap} in ${nodePath.join('.')} after ${insertion.name}: ${again.join(', ')}`);
            }
          }
        }
      }
      workspace.setFile(file.uri, original);
    }
  }
  return tally;
}

test('at every gap of every corpus relationship node, a half-typed key loses no key and re-offers none', () => {
  const tally = run();
  console.log(`gaps: ${tally.positions} edits tried, ${tally.keysLost} lost a key; ${tally.completionPositions} completions, ${tally.presentReoffered} re-offered a present key`);
  assert.ok(tally.positions > 1000, `expected over a thousand edits, got ${tally.positions}`);
  assert.deepEqual(tally.lostExamples, [], `${tally.keysLost} edits lost a key`);
  assert.deepEqual(tally.reofferedExamples, [], `${tally.presentReoffered} completions re-offered a present key`);
});
