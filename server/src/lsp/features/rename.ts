/** Rename of object types and relationship properties, with every file that names them. */
import {
  LSPErrorCodes, ResponseError,
  type AnnotatedTextEdit, type ChangeAnnotation, type Range, type TextDocumentEdit, type TextEdit, type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { handlePrepareRename, handleRename, type RenameAnnotation, type RenameEdit } from '../../core/features/rename';
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
    return workspaceEditOf(session, result.edits, result.annotations);
  }));
}

/**
 * The rename as the client can take it. A client with change annotations (`workspaceEdit.changeAnnotationSupport`
 * and `documentChanges`, LSP 3.16) gets each edit under its note, the ones needing confirmation shown before they
 * are applied (VS Code opens its refactor preview). Other clients get the configuration's edits alone: edits in
 * scripts, which the schema cannot check, are never applied unseen.
 */
function workspaceEditOf(session: Session, edits: Record<string, RenameEdit[]>, annotations: Partial<Record<string, RenameAnnotation>>): WorkspaceEdit {
  const workspaceEdit = session.capabilities.workspace?.workspaceEdit;
  const annotated = !!workspaceEdit?.changeAnnotationSupport && !!workspaceEdit.documentChanges;
  if (!annotated) {
    const changes: Record<string, TextEdit[]> = {};
    for (const [uri, list] of Object.entries(edits)) {
      const index = session.lineIndexOf(uri);
      const kept = list.filter((edit) => edit.annotation !== 'script');
      if (index && kept.length) changes[session.clientUriOf(uri)] = kept.map((edit) => textEdit(index, edit));
    }
    return { changes };
  }
  const documentChanges: TextDocumentEdit[] = [];
  for (const [uri, list] of Object.entries(edits)) {
    const index = session.lineIndexOf(uri);
    if (!index) continue;
    const clientUri = session.clientUriOf(uri);
    const version = session.documents.get(clientUri)?.version ?? null;
    documentChanges.push({
      textDocument: { uri: clientUri, version },
      edits: list.map((edit): TextEdit | AnnotatedTextEdit => (edit.annotation ? { ...textEdit(index, edit), annotationId: edit.annotation } : textEdit(index, edit))),
    });
  }
  const changeAnnotations: Record<string, ChangeAnnotation> = {};
  for (const [id, note] of Object.entries(annotations)) {
    if (note) changeAnnotations[id] = { label: note.label, description: note.description, needsConfirmation: note.needsConfirmation };
  }
  return Object.keys(changeAnnotations).length ? { documentChanges, changeAnnotations } : { documentChanges };
}
