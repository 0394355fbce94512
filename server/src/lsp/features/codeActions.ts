/**
 * Quick fixes for the client's diagnostics. They are computed on the current text of every open document, never on
 * the text the diagnostics were published for (lines may have moved since): a diagnostic the current text no longer
 * has gets no fix, and none is offered while that would need an unsaved large file checked.
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver/node';
import { DIAGNOSTIC_SOURCE, isDiagnosticCode } from '../../core/diagnostics/catalogue';
import type { FindingData } from '../../core/diagnostics/finding';
import { getQuickFixes } from '../../core/fixes/quickFixes';
import { toTextEdit } from '../convert';
import { languageOf } from '../language';
import { normaliseUri, type Session } from '../session';

export function registerCodeActions(session: Session): void {
  session.addCapabilities({ codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix], resolveProvider: false } });
  // A large document's text comes from the host first (Session.fetchHostedTexts), as for the other requests.
  session.connection.onCodeAction((params) =>
    session.afterHostedTexts(params.textDocument.uri, [], () => codeActions(session, params.textDocument.uri, params.context.diagnostics)));
}

function codeActions(session: Session, clientUri: string, diagnostics: Diagnostic[]): CodeAction[] {
  if (languageOf(clientUri) !== 'config') return [];
  const uri = normaliseUri(clientUri);
  const findings = session.currentFindings(uri);
  if (!findings) return [];
  const current = new Map((findings.get(uri) ?? []).map((finding) => [canonicalJson(finding.data), finding]));
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
    const data = diagnostic.data as FindingData | undefined;
    if (!data || typeof data !== 'object' || typeof data.code !== 'string' || !isDiagnosticCode(data.code)) continue;
    const finding = current.get(canonicalJson(data));
    if (!finding) continue;
    // The diagnostic as the current text has it (the client's may carry the positions of an older version).
    const fresh = session.diagnosticOf(finding);
    for (const fix of getQuickFixes(session.workspace, data)) {
      const changes: Record<string, TextEdit[]> = {};
      for (const [uri, edits] of Object.entries(fix.edits)) {
        const index = session.lineIndexOf(uri);
        if (index) changes[session.clientUriOf(uri)] = edits.map((edit) => toTextEdit(index, edit));
      }
      actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [fresh], isPreferred: fix.isPreferred, edit: { changes } });
    }
  }
  return actions;
}

/**
 * JSON with every object's keys sorted: a client hands `data` back as it decoded it, and some (Neovim, whose Lua
 * tables have no key order) re-encode the keys in another order. The same data must still match.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => (inner && typeof inner === 'object' && !Array.isArray(inner)
    ? Object.fromEntries(Object.keys(inner as Record<string, unknown>).sort().map((key) => [key, (inner as Record<string, unknown>)[key]]))
    : inner));
}
