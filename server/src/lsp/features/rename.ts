/** Rename of object types and relationship properties, with every file that names them. */
import {
  LSPErrorCodes, ResponseError,
  type AnnotatedTextEdit, type ChangeAnnotation, type Range, type TextDocumentEdit, type TextEdit, type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { fileURLToPath, pathToFileURL } from 'url';
import { handlePrepareRename, handleRename, type RenameAnnotation, type RenameEdit, type ScriptReader } from '../../core/features/rename';
import { LineIndex } from '../../core/text/lineIndex';
import type { Positions } from '../../core/text/lineIndex';
import { findScriptFile } from '../../node/scriptFiles';
import { normaliseUri } from '../session';
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
  }, { uri: params.textDocument.uri }));

  session.connection.onRenameRequest((params, token) => respond<WorkspaceEdit | null>(session, token, null, () => {
    const found = openConfig(session, params.textDocument.uri, params.position);
    if (!found) return null;
    if (token.isCancellationRequested) return cancelled();
    const scripts = new Map<string, Positions>();
    const result = handleRename(session.workspace, found.uri, found.offset, params.newName, () => token.isCancellationRequested, scriptReader(session, scripts));
    if (!result || token.isCancellationRequested) return cancelled();
    if ('error' in result) return new ResponseError(LSPErrorCodes.RequestFailed, result.error);
    return workspaceEditOf(session, result.edits, result.annotations, scripts);
  }, { uri: params.textDocument.uri }));
}

/**
 * The rename as the client can take it. A client with change annotations (`workspaceEdit.changeAnnotationSupport`
 * and `documentChanges`, LSP 3.16) gets each edit under its note, the ones needing confirmation shown before they
 * are applied (VS Code opens its refactor preview). Other clients get the configuration's edits alone: edits in
 * scripts, which the schema cannot check, are never applied unseen.
 */
/**
 * Script files named by the renamed property's objects, found in the workspace folders (an open one as the editor
 * holds it); `positions` keeps the line index of each one read, for the edits.
 */
function scriptReader(session: Session, positions: Map<string, Positions>): ScriptReader {
  return (configUri, file) => {
    let configPath: string;
    try {
      configPath = fileURLToPath(configUri);
    } catch {
      return undefined;
    }
    const found = findScriptFile(configPath, file, session.workspaceFolderPaths());
    if (!found) return undefined;
    const uri = normaliseUri(pathToFileURL(found.path).href);
    const open = session.documents.get(session.clientUriOf(uri));
    const text = open ? open.getText() : found.text;
    positions.set(uri, open ?? new LineIndex(text));
    return { uri, text };
  };
}

function workspaceEditOf(session: Session, edits: Record<string, RenameEdit[]>, annotations: Partial<Record<string, RenameAnnotation>>, scripts: Map<string, Positions>): WorkspaceEdit {
  const workspaceEdit = session.capabilities.workspace?.workspaceEdit;
  const annotated = !!workspaceEdit?.changeAnnotationSupport && !!workspaceEdit.documentChanges;
  if (!annotated) {
    const changes: Record<string, TextEdit[]> = {};
    for (const [uri, list] of Object.entries(edits)) {
      const index = session.lineIndexOf(uri) ?? scripts.get(uri);
      const kept = list.filter((edit) => edit.annotation !== 'script');
      if (index && kept.length) changes[session.clientUriOf(uri)] = kept.map((edit) => textEdit(index, edit));
    }
    return { changes };
  }
  const documentChanges: TextDocumentEdit[] = [];
  for (const [uri, list] of Object.entries(edits)) {
    const index = session.lineIndexOf(uri) ?? scripts.get(uri);
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
