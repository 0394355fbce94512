/** Document symbols (the outline) and workspace symbols (object types and relationships by name). */
import { SymbolKind, type DocumentSymbol, type WorkspaceSymbol } from 'vscode-languageserver/node';
import { handleDocumentSymbols, handleWorkspaceSymbols, type DocumentSymbolData, type SymbolKindName } from '../../core/features/symbols';
import type { Positions } from '../../core/text/lineIndex';
import { toRange } from '../convert';
import type { Session } from '../session';
import { cancelled, openConfig, rangeIn, respond } from './requests';

const SYMBOL_KINDS: Record<SymbolKindName, SymbolKind> = {
  object: SymbolKind.Class,
  relationship: SymbolKind.Field,
  property: SymbolKind.Property,
};

/** An outline entry as LSP has it, in the positions of `index`. */
export function documentSymbolOf(symbol: DocumentSymbolData, index: Positions): DocumentSymbol {
  return {
    name: symbol.name,
    detail: symbol.detail,
    kind: SYMBOL_KINDS[symbol.kind],
    range: toRange(index, symbol.range),
    selectionRange: toRange(index, symbol.selectionRange),
    children: symbol.children.length ? symbol.children.map((child) => documentSymbolOf(child, index)) : undefined,
  };
}

export function registerSymbols(session: Session): void {
  session.addCapabilities({ documentSymbolProvider: { label: 'IDM relationships' }, workspaceSymbolProvider: true });

  session.connection.onDocumentSymbol((params, token) => respond<DocumentSymbol[] | null>(session, token, null, () => {
    // A large file's outline is the summary its last check made, when the document still holds that text; else none.
    const large = session.largeSummary(params.textDocument.uri);
    if (large) return large.symbols;
    const found = openConfig(session, params.textDocument.uri);
    if (!found) return null;
    if (token.isCancellationRequested) return cancelled();
    return handleDocumentSymbols(session.workspace, found.uri, { summary: session.largeFiles.has(found.uri) }).map((symbol) => documentSymbolOf(symbol, found.index));
  }));

  session.connection.onWorkspaceSymbol((params, token) => respond<WorkspaceSymbol[] | null>(session, token, null, () => {
    session.bringUpToDate();
    const result = handleWorkspaceSymbols(session.workspace, params.query, () => token.isCancellationRequested);
    if (!result || token.isCancellationRequested) return cancelled();
    return result.flatMap((symbol) => {
      const range = rangeIn(session, symbol.uri, symbol.range);
      return range ? [{ name: symbol.name, kind: SYMBOL_KINDS[symbol.kind], containerName: symbol.containerName, location: { uri: session.clientUriOf(symbol.uri), range } }] : [];
    });
  }));
}
