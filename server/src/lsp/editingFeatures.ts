/**
 * LSP glue for the editing features: completion, hover, definition, references, rename, document and workspace
 * symbols, code lens. The core answers in offsets; this module converts positions, brings the model up to date with
 * the open document, and checks for cancellation between phases.
 */
import { isScenarioUri, scenarioFeatures } from './scenarioFeatures';
import {
  CodeLensRefreshRequest, CompletionItemKind, InsertTextFormat, LSPErrorCodes, MarkupKind, ResponseError, SymbolKind,
  type CancellationToken, type CodeLens, type CompletionItem, type CompletionList, type DocumentSymbol, type Hover,
  type Location, type Position, type Range, type TextEdit, type WorkspaceEdit, type WorkspaceSymbol,
} from 'vscode-languageserver/node';
import type { OffsetRange } from '../core/diagnostics/finding';
import { handleCodeLenses, type CodeLensData } from '../core/features/codeLens';
import { handleCompletion, type CompletionKind } from '../core/features/completion';
import { handleHover } from '../core/features/hover';
import { handleDefinition, handleReferences, type LocationData } from '../core/features/navigation';
import { handlePrepareRename, handleRename } from '../core/features/rename';
import { handleDocumentSymbols, handleWorkspaceSymbols, type DocumentSymbolData, type SymbolKindName } from '../core/features/symbols';
import type { LineIndex } from '../core/text/lineIndex';
import { toRange } from './convert';
import type { Session } from './session';

/** Goes to a location: `[uri, range]`, answered with `window/showDocument`. */
export const REVEAL_COMMAND = 'idmRelationships.revealLocation';
/**
 * Lists locations in the editor's references view: `[uri, position, locations]`. Client side, because only the
 * editor can show the list (VS Code: convert and pass to `editor.action.showReferences`).
 */
export const SHOW_REFERENCES_COMMAND = 'idmRelationships.showReferences';

const COMPLETION_KINDS: Record<CompletionKind, CompletionItemKind> = {
  key: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  reference: CompletionItemKind.Reference,
  type: CompletionItemKind.TypeParameter,
  snippet: CompletionItemKind.Snippet,
  keyword: CompletionItemKind.Keyword,
};

const SYMBOL_KINDS: Record<SymbolKindName, SymbolKind> = {
  object: SymbolKind.Class,
  relationship: SymbolKind.Field,
  property: SymbolKind.Property,
};

const cancelled = () => new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');

/** Lets messages already received (a `$/cancelRequest` among them) be read before the work starts. */
const readPendingMessages = () => new Promise<void>((resolve) => setImmediate(resolve));

export function registerEditingFeatures(session: Session): void {
  const connection = session.connection;
  session.addCapabilities({
    completionProvider: { triggerCharacters: ['"', '/', ':', '?', '&'], resolveProvider: false },
    hoverProvider: true,
    definitionProvider: true,
    referencesProvider: true,
    renameProvider: { prepareProvider: true },
    documentSymbolProvider: { label: 'IDM relationships' },
    workspaceSymbolProvider: true,
    codeLensProvider: { resolveProvider: false },
    executeCommandProvider: { commands: [REVEAL_COMMAND] },
  });

  /** The file behind a request, up to date with the editor, and the offset of `position` in it. */
  const open = (clientUri: string, position?: Position) => {
    // Scenarios are not configs: syncing one would put it in the workspace the checker reads.
    if (isScenarioUri(clientUri)) return undefined;
    session.bringUpToDate();
    const found = session.fileOf(clientUri);
    if (!found) return undefined;
    return { ...found, offset: position ? found.index.offsetAt(position) : 0 };
  };
  const rangeIn = (uri: string, range: OffsetRange): Range | undefined => {
    const index = session.lineIndexOf(uri);
    return index ? toRange(index, range) : undefined;
  };
  const location = (data: LocationData): Location | undefined => {
    const range = rangeIn(data.uri, data.range);
    return range ? { uri: session.clientUriOf(data.uri), range } : undefined;
  };
  const locations = (list: LocationData[]) => list.map(location).filter((l): l is Location => !!l);

  /**
   * Runs a handler's work after the messages waiting behind its request have been read, so a cancellation sent
   * right after the request is seen; `work` checks the token again between its own phases. A bug answers `fallback`
   * (logged by `session.safely`), never a dead server.
   */
  const respond = <T>(token: CancellationToken, fallback: T, work: () => T | ResponseError) =>
    readPendingMessages().then(() => session.safely<T | ResponseError>(() => (token.isCancellationRequested ? cancelled() : work()), fallback));

  connection.onCompletion((params, token) => respond<CompletionList | null>(token, null, () => {
    // `.idmsim` scenarios have their own completions (one completion handler per connection).
    const scenario = isScenarioUri(params.textDocument.uri) ? scenarioFeatures() : undefined;
    if (scenario) {
      const document = session.documents.get(params.textDocument.uri);
      return document ? { isIncomplete: false, items: scenario.completions(params.textDocument.uri, document.offsetAt(params.position)) } : null;
    }
    const found = open(params.textDocument.uri, params.position);
    if (!found) return null;
    if (token.isCancellationRequested) return cancelled();
    const result = handleCompletion(session.workspace, found.uri, found.offset);
    if (token.isCancellationRequested) return cancelled();
    return { isIncomplete: result.isIncomplete, items: result.items.map((item): CompletionItem => ({
      label: item.label,
      kind: COMPLETION_KINDS[item.kind],
      detail: item.detail,
      documentation: item.documentation ? { kind: MarkupKind.Markdown, value: item.documentation } : undefined,
      filterText: item.filterText,
      sortText: item.sortText,
      insertTextFormat: item.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      textEdit: { range: toRange(found.index, item.range), newText: item.insertText },
      additionalTextEdits: item.additionalEdits.length ? item.additionalEdits.map((edit) => textEdit(found.index, edit)) : undefined,
      command: item.retrigger ? { title: 'Suggest', command: 'editor.action.triggerSuggest' } : undefined,
    })) };
  }));

  connection.onHover((params, token) => respond<Hover | null>(token, null, () => {
    const found = open(params.textDocument.uri, params.position);
    if (!found) return null;
    if (token.isCancellationRequested) return cancelled();
    const hover = handleHover(session.workspace, found.uri, found.offset);
    return hover ? { contents: { kind: MarkupKind.Markdown, value: hover.contents }, range: toRange(found.index, hover.range) } : null;
  }));

  connection.onDefinition((params, token) => respond<Location[] | null>(token, null, () => {
    const found = open(params.textDocument.uri, params.position);
    if (!found) return null;
    if (token.isCancellationRequested) return cancelled();
    return locations(handleDefinition(session.workspace, found.uri, found.offset));
  }));

  connection.onReferences((params, token) => respond<Location[] | null>(token, null, () => {
    const found = open(params.textDocument.uri, params.position);
    if (!found) return null;
    if (token.isCancellationRequested) return cancelled();
    const result = handleReferences(session.workspace, found.uri, found.offset, params.context.includeDeclaration, () => token.isCancellationRequested);
    if (!result || token.isCancellationRequested) return cancelled();
    return locations(result);
  }));

  connection.onPrepareRename((params, token) => respond<{ range: Range; placeholder: string } | null>(token, null, () => {
    const found = open(params.textDocument.uri, params.position);
    if (!found) return null;
    if (token.isCancellationRequested) return cancelled();
    const result = handlePrepareRename(session.workspace, found.uri, found.offset);
    if ('error' in result) return new ResponseError(LSPErrorCodes.RequestFailed, result.error);
    return { range: toRange(found.index, result.range), placeholder: result.placeholder };
  }));

  connection.onRenameRequest((params, token) => respond<WorkspaceEdit | null>(token, null, () => {
    const found = open(params.textDocument.uri, params.position);
    if (!found) return null;
    if (token.isCancellationRequested) return cancelled();
    const result = handleRename(session.workspace, found.uri, found.offset, params.newName, () => token.isCancellationRequested);
    if (!result || token.isCancellationRequested) return cancelled();
    if ('error' in result) return new ResponseError(LSPErrorCodes.RequestFailed, result.error);
    const changes: Record<string, TextEdit[]> = {};
    for (const [uri, edits] of Object.entries(result.edits)) {
      const index = session.lineIndexOf(uri);
      if (index) changes[session.clientUriOf(uri)] = edits.map((edit) => textEdit(index, edit));
    }
    return { changes };
  }));

  connection.onDocumentSymbol((params, token) => respond<DocumentSymbol[] | null>(token, null, () => {
    const found = open(params.textDocument.uri);
    if (!found) return null;
    if (token.isCancellationRequested) return cancelled();
    const convert = (symbol: DocumentSymbolData): DocumentSymbol => ({
      name: symbol.name,
      detail: symbol.detail,
      kind: SYMBOL_KINDS[symbol.kind],
      range: toRange(found.index, symbol.range),
      selectionRange: toRange(found.index, symbol.selectionRange),
      children: symbol.children.length ? symbol.children.map(convert) : undefined,
    });
    return handleDocumentSymbols(session.workspace, found.uri).map(convert);
  }));

  connection.onWorkspaceSymbol((params, token) => respond<WorkspaceSymbol[] | null>(token, null, () => {
    session.bringUpToDate();
    const result = handleWorkspaceSymbols(session.workspace, params.query, () => token.isCancellationRequested);
    if (!result || token.isCancellationRequested) return cancelled();
    return result.flatMap((symbol) => {
      const range = rangeIn(symbol.uri, symbol.range);
      return range ? [{ name: symbol.name, kind: SYMBOL_KINDS[symbol.kind], containerName: symbol.containerName, location: { uri: session.clientUriOf(symbol.uri), range } }] : [];
    });
  }));

  connection.onCodeLens((params, token) => respond<CodeLens[] | null>(token, null, () => {
    if (isScenarioUri(params.textDocument.uri)) return scenarioFeatures()?.codeLenses(params.textDocument.uri) ?? null;
    const found = open(params.textDocument.uri);
    if (!found) return null;
    if (token.isCancellationRequested) return cancelled();
    return handleCodeLenses(session.workspace, found.uri).map((lens) => codeLens(lens, found.index, params.textDocument.uri));
  }));

  const codeLens = (lens: CodeLensData, index: LineIndex, clientUri: string): CodeLens => {
    const range = toRange(index, lens.range);
    const action = lens.action;
    if (!action) return { range, command: { title: lens.title, command: '' } };
    if (action.kind === 'reveal') {
      const target = location(action.location);
      return { range, command: target ? { title: lens.title, command: REVEAL_COMMAND, arguments: [target.uri, target.range] } : { title: lens.title, command: '' } };
    }
    return { range, command: { title: lens.title, command: SHOW_REFERENCES_COMMAND, arguments: [clientUri, range.start, locations(action.locations)] } };
  };

  connection.onExecuteCommand((params) => session.safely(() => {
    if (params.command !== REVEAL_COMMAND) return null;
    const [uri, range] = (params.arguments ?? []) as [unknown, unknown];
    if (typeof uri !== 'string' || !isRange(range)) return null;
    void connection.window.showDocument({ uri, selection: range, takeFocus: true }).catch(() => undefined);
    return null;
  }, null));

  // Counts in other files' lenses change when any file of the configuration is checked.
  session.onDidCheck(() => {
    void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  });
}

function textEdit(index: LineIndex, edit: { offset: number; length: number; content: string }): TextEdit {
  return { range: toRange(index, { start: edit.offset, end: edit.offset + edit.length }), newText: edit.content };
}

function isRange(value: unknown): value is Range {
  const range = value as Range | undefined;
  return !!range && typeof range.start?.line === 'number' && typeof range.start?.character === 'number' && typeof range.end?.line === 'number';
}
