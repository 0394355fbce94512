/** Completion: config keys, values and references from the core; `.idmsim` scenarios from their own features. */
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type CompletionList } from 'vscode-languageserver/node';
import { handleCompletion, type CompletionKind } from '../../core/features/completion';
import { toRange } from '../convert';
import { languageOf } from '../language';
import type { ScenarioFeatures } from '../scenarioFeatures';
import type { Session } from '../session';
import { cancelled, openConfig, respond, textEdit } from './requests';

const COMPLETION_KINDS: Record<CompletionKind, CompletionItemKind> = {
  key: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  reference: CompletionItemKind.Reference,
  type: CompletionItemKind.TypeParameter,
  snippet: CompletionItemKind.Snippet,
  keyword: CompletionItemKind.Keyword,
};

export function registerCompletion(session: Session, scenarios: ScenarioFeatures): void {
  session.addCapabilities({ completionProvider: { triggerCharacters: ['"', '/', ':', '?', '&'], resolveProvider: false } });

  // One completion handler per connection: it routes scenarios to their features.
  session.connection.onCompletion((params, token) => respond<CompletionList | null>(session, token, null, () => {
    const clientUri = params.textDocument.uri;
    if (languageOf(clientUri) === 'scenario') {
      const document = session.documents.get(clientUri);
      if (!document) return null;
      // A scenario's completions read its config's model.
      session.bringUpToDate();
      return { isIncomplete: false, items: scenarios.completions(clientUri, document.offsetAt(params.position)) };
    }
    const found = openConfig(session, clientUri, params.position);
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
  }, { uri: params.textDocument.uri }));
}
