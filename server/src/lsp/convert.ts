/** The boundary between the core's offsets and LSP's positions. */
import { DiagnosticSeverity, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver/node';
import { DIAGNOSTIC_SOURCE, type Severity } from '../core/diagnostics/catalogue';
import type { Finding, OffsetRange } from '../core/diagnostics/finding';
import type { OffsetEdit } from '../core/fixes/edits';
import { LineIndex, type Positions } from '../core/text/lineIndex';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toLspSeverity(severity: Severity): DiagnosticSeverity {
  return SEVERITY[severity];
}

/** Line indexes per text, so repeated conversions over one version cost one scan. */
export class LineIndexCache {
  private readonly cache = new Map<string, { text: string; index: LineIndex }>();

  get(uri: string, text: string): LineIndex {
    const cached = this.cache.get(uri);
    if (cached && cached.text === text) return cached.index;
    const index = new LineIndex(text);
    this.cache.set(uri, { text, index });
    return index;
  }

  delete(uri: string): void {
    this.cache.delete(uri);
  }
}

export function toRange(index: Positions, range: OffsetRange): Range {
  return { start: index.positionAt(range.start), end: index.positionAt(range.end) };
}

/**
 * @param indexFor line index of any file a finding refers to (related locations live in other files)
 * @param uriFor the URI the client knows a file by
 */
export function toDiagnostic(finding: Finding, indexFor: (uri: string) => Positions | undefined, uriFor: (uri: string) => string): Diagnostic {
  const index = indexFor(finding.uri)!;
  const related = finding.related.flatMap((location) => {
    const relatedIndex = indexFor(location.uri);
    return relatedIndex ? [{ location: { uri: uriFor(location.uri), range: toRange(relatedIndex, location.range) }, message: location.message }] : [];
  });
  return {
    range: toRange(index, finding.range),
    severity: toLspSeverity(finding.severity),
    code: finding.code,
    codeDescription: { href: `https://github.com/idm-relationships/idm-relationships#${finding.code}` },
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
    relatedInformation: related.length ? related : undefined,
    data: finding.data,
  };
}

export function toTextEdit(index: Positions, edit: OffsetEdit): TextEdit {
  return { range: toRange(index, { start: edit.offset, end: edit.offset + edit.length }), newText: edit.content };
}
