/** Go to definition and find references, across the files of a configuration. */
import type { Location } from 'vscode-languageserver/node';
import { handleDefinition, handleReferences } from '../../core/features/navigation';
import type { Session } from '../session';
import { cancelled, locationsOf, openConfig, respond } from './requests';

export function registerNavigation(session: Session): void {
  session.addCapabilities({ definitionProvider: true, referencesProvider: true });

  session.connection.onDefinition((params, token) => respond<Location[] | null>(session, token, null, () => {
    const found = openConfig(session, params.textDocument.uri, params.position);
    if (!found) return null;
    if (token.isCancellationRequested) return cancelled();
    return locationsOf(session, handleDefinition(session.workspace, found.uri, found.offset));
  }, { uri: params.textDocument.uri }));

  session.connection.onReferences((params, token) => respond<Location[] | null>(session, token, null, () => {
    const found = openConfig(session, params.textDocument.uri, params.position);
    if (!found) return null;
    if (token.isCancellationRequested) return cancelled();
    const result = handleReferences(session.workspace, found.uri, found.offset, params.context.includeDeclaration, () => token.isCancellationRequested);
    if (!result || token.isCancellationRequested) return cancelled();
    return locationsOf(session, result);
  }, { uri: params.textDocument.uri }));
}
