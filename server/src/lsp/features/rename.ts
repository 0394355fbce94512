/** Rename of object types and relationship properties, with every file that names them. */
import { LSPErrorCodes, ResponseError, type Range, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver/node';
import { handlePrepareRename, handleRename } from '../../core/features/rename';
import { toRange } from '../convert';
import type { Session } from '../session';
import { cancelled, openConfig, respond, textEdit } from './requests';

export function registerRename(session: Session): void {
  session.addCapabilities({ renameProvider: { prepareProvider: true } });

  session.connection.onPrepareRename((params, token) => respond<{ range: Range; placeholder: string } | null>(session, token, null, () => {
    const found = openConfig(session, params.textDocument.uri, params.position);
    if (!found) return null;
    if (token.isCancellationRequested) return cancelled();
    const result = handlePrepareRename(session.workspace, found.uri, found.offset);
    if ('error' in result) return new ResponseError(LSPErrorCodes.RequestFailed, result.error);
    return { range: toRange(found.index, result.range), placeholder: result.placeholder };
  }));

  session.connection.onRenameRequest((params, token) => respond<WorkspaceEdit | null>(session, token, null, () => {
    const found = openConfig(session, params.textDocument.uri, params.position);
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
}
