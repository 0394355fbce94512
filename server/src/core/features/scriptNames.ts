/**
 * Names quoted in the scripts an object type's definition holds: its hooks (`onCreate`, `onRetrieve`, `postUpdate`...),
 * its actions and its properties' hooks are script objects `{ "type": "text/javascript" | "groovy", "source": "..." }`
 * or `{ "type": ..., "file": "..." }` (IDM docs, "Scripting" > "Call a script"; OpenIDM's `ScriptRegistryService`).
 *
 * IDM's own samples pass property names to library scripts as string literals
 * (`require('roles/effectiveRoles').calculateEffectiveRoles(object, 'roles')`): the schema cannot say what a script
 * means, but an exact literal equal to a renamed property's name is worth offering, marked as unchecked.
 */
import type { OffsetRange } from '../diagnostics/finding';
import { forEachMember, stringMember, type JsonNode, type JsonString } from '../json/ast';
import type { ObjectType } from '../model/types';

export interface ScriptLiteral {
  /** The name's characters in the file's text (inside the script's quotes, through the JSON string's escapes). */
  range: OffsetRange;
  /** The quote the script wrote the literal with. */
  quote: '\'' | '"';
}

export interface ScriptsOfObject {
  /** Inline script sources, as JSON string nodes. */
  sources: JsonString[];
  /** Script files named by `file`, as written (relative to IDM's project folder). */
  files: string[];
}

const SCRIPT_TYPES = new Set(['text/javascript', 'groovy']);

/** Every script object in `object`'s definition (hooks, actions, property hooks, at any depth). */
export function scriptsOf(object: ObjectType): ScriptsOfObject {
  const found: ScriptsOfObject = { sources: [], files: [] };
  const visit = (node: JsonNode | undefined) => {
    if (!node) return;
    if (node.type === 'array') {
      for (const item of node.items) visit(item);
      return;
    }
    if (node.type !== 'object') return;
    const type = stringMember(node, 'type');
    if (type && SCRIPT_TYPES.has(type)) {
      let source: JsonNode | undefined;
      forEachMember(node, (key, value) => {
        if (key === 'source') source = value;
      });
      if (source?.type === 'string') found.sources.push(source);
      const file = stringMember(node, 'file');
      if (file) found.files.push(file);
    }
    forEachMember(node, (key, value) => {
      if (key !== 'source') visit(value);
    });
  };
  visit(object.node);
  return found;
}

/**
 * The string literals in a script source (a JSON string node of `text`) whose text is exactly `name`: no substring,
 * no literal with an escape in it. Comments and template literals are skipped.
 */
export function quotedNameIn(text: string, source: JsonString, name: string): ScriptLiteral[] {
  const { decoded, rawOffsets } = decodeJsonString(text, source);
  if (decoded !== source.value) return []; // an unclosed or broken string: its offsets cannot be trusted
  return literalsNamed(decoded, name).map(({ start, end, quote }) => ({ range: { start: rawOffsets[start], end: rawOffsets[end] }, quote }));
}

/** The same in a script file's text (JavaScript or Groovy), whose offsets are the script's own. */
export function quotedNameInScript(script: string, name: string): ScriptLiteral[] {
  return literalsNamed(script, name).map(({ start, end, quote }) => ({ range: { start, end }, quote }));
}

/** The quoted literals of `script` equal to `name`, as offsets of their text inside the quotes. */
function literalsNamed(script: string, name: string): Array<{ start: number; end: number; quote: ScriptLiteral['quote'] }> {
  const found: Array<{ start: number; end: number; quote: ScriptLiteral['quote'] }> = [];
  for (let i = 0; i < script.length; i++) {
    const char = script[i];
    if (char === '/' && script[i + 1] === '/') {
      const end = script.indexOf('\n', i);
      i = end < 0 ? script.length : end;
    } else if (char === '/' && script[i + 1] === '*') {
      const end = script.indexOf('*/', i + 2);
      i = end < 0 ? script.length : end + 1;
    } else if (char === '\'' || char === '"' || char === '`') {
      let end = i + 1;
      let escaped = false;
      while (end < script.length && script[end] !== char && (char === '`' || script[end] !== '\n')) {
        if (script[end] === '\\') {
          escaped = true;
          end++;
        }
        end++;
      }
      if (char !== '`' && !escaped && script[end] === char && script.slice(i + 1, end) === name) found.push({ start: i + 1, end, quote: char });
      i = end;
    }
  }
  return found;
}

/** A JSON string token's value, with the offset in `text` where each of its characters (and its end) is written. */
function decodeJsonString(text: string, node: JsonString): { decoded: string; rawOffsets: number[] } {
  const rawOffsets: number[] = [];
  let decoded = '';
  const end = node.end - 1; // the closing quote
  for (let at = node.offset + 1; at < end;) {
    rawOffsets.push(at);
    if (text[at] !== '\\') {
      decoded += text[at++];
      continue;
    }
    const escape = text[at + 1];
    if (escape === 'u') {
      decoded += String.fromCharCode(parseInt(text.slice(at + 2, at + 6), 16));
      at += 6;
      continue;
    }
    decoded += ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[escape] ?? escape;
    at += 2;
  }
  rawOffsets.push(end);
  return { decoded, rawOffsets };
}
