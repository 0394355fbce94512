/**
 * Parses JSONC text into the syntax tree the rest of the core reads (ast.ts), plus its syntax errors.
 * Never throws: broken JSON gives a partial tree. The work is split in two: one pass writes a compact tape
 * (tapeBuilder.ts), and node objects are made from it only where they are read (lazyNodes.ts).
 */
import type { JsonArray, JsonNode, JsonObject } from './ast';
import { nodeAt } from './lazyNodes';
import type { JsonSyntaxError } from './syntaxErrors';
import { Tape } from './tape';
import { buildTape } from './tapeBuilder';

export type { JsonSyntaxError, JsonSyntaxErrorKind } from './syntaxErrors';

export interface ParsedJson {
  root: JsonNode | undefined;
  errors: JsonSyntaxError[];
}

export function parseJson(text: string): ParsedJson {
  const { tape, root, errors } = buildTape(text);
  return { root: root < 0 ? undefined : nodeAt(tape, root, undefined), errors };
}

/**
 * The value spanning `[start, end)` of `text`, parsed alone as a full parse would read it at `depth` under `parent`:
 * for re-reading one edited value of a document (model/configFile.ts `updateConfigFile`). Undefined unless the span
 * holds exactly one object or array and no syntax error, the one case where reading it alone gives what a full parse
 * of a document that was otherwise well-formed gives (JSON's grammar is context-free: a value in place of a value).
 */
export function parseContainerAt(text: string, start: number, end: number, depth: number, parent: JsonObject | JsonArray): JsonObject | JsonArray | undefined {
  const { tape, root, errors } = buildTape(text.slice(start, end), depth);
  if (errors.length || root !== 0 || tape.end[0] !== end - start) return undefined;
  const node = nodeAt(tape.rebased(text, start), 0, parent as Parameters<typeof nodeAt>[2]);
  return node.type === 'object' || node.type === 'array' ? node : undefined;
}

/** The tape a node made by this parser reads (undefined for nodes made elsewhere). */
export function tapeOf(node: JsonNode): Tape | undefined {
  const tape = (node as { tape?: unknown }).tape;
  return tape instanceof Tape ? tape : undefined;
}
