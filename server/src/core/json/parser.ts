/**
 * Parses JSONC text into the syntax tree the rest of the core reads (ast.ts), plus its syntax errors.
 * Never throws: broken JSON gives a partial tree. The work is split in two: one pass writes a compact tape
 * (tapeBuilder.ts), and node objects are made from it only where they are read (lazyNodes.ts).
 */
import type { JsonNode } from './ast';
import { nodeAt } from './lazyNodes';
import type { JsonSyntaxError } from './syntaxErrors';
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
