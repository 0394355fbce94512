/** Hover: what a relationship, property or object type means, from the core. */
import { MarkupKind, type Hover } from 'vscode-languageserver/node';
import { handleHover } from '../../core/features/hover';
import { toRange } from '../convert';
import type { Session } from '../session';
import { cancelled, openConfig, respond } from './requests';

export function registerHover(session: Session): void {
  session.addCapabilities({ hoverProvider: true });
  session.connection.onHover((params, token) => respond<Hover | null>(session, token, null, () => {
    const found = openConfig(session, params.textDocument.uri, params.position);
    if (!found) return null;
    if (token.isCancellationRequested) return cancelled();
    const hover = handleHover(session.workspace, found.uri, found.offset);
    return hover ? { contents: { kind: MarkupKind.Markdown, value: hover.contents }, range: toRange(found.index, hover.range) } : null;
  }, { uri: params.textDocument.uri }));
}
