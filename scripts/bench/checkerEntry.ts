// Entry bundled by scripts/bench.mjs: the full analysis the language server runs on a file.
import { Workspace } from '../../server/src/core/model/workspace';
import { checkSchema } from '../../server/src/core/rules/index';
import { createScanner, parseTree, SyntaxKind } from 'jsonc-parser';
import { getLanguageService } from 'vscode-json-languageservice';
import { TextDocument } from 'vscode-languageserver-textdocument';

/** Parse, build the model and schema, run every rule. */
export function analyse(uri: string, text: string): number {
  const workspace = new Workspace();
  workspace.setFile(uri, text);
  let count = 0;
  for (const schema of workspace.allSchemas()) for (const list of checkSchema(schema).values()) count += list.length;
  return count;
}

/** jsonc-parser's bare scanner pass: the floor for anything that reads the file. */
export function scan(text: string): number {
  const scanner = createScanner(text, true);
  let tokens = 0;
  while (scanner.scan() !== SyntaxKind.EOF) tokens++;
  return tokens;
}

export function jsoncParseTree(text: string): unknown {
  return parseTree(text, [], { allowTrailingComma: true });
}

const service = getLanguageService({});
service.configure({ validate: true, allowComments: true });

/** What VS Code's JSON support does on each change: parse and validate. */
export async function jsonLanguageService(uri: string, text: string): Promise<number> {
  const document = TextDocument.create(uri, 'json', 1, text);
  const parsed = service.parseJSONDocument(document);
  const problems = await service.doValidation(document, parsed, { comments: 'ignore', trailingCommas: 'ignore' });
  return problems.length;
}
