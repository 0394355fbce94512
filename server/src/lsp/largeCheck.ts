/**
 * The check of a configuration that holds a large file, as one self-contained job: texts in, LSP diagnostics out. It
 * runs in the large-document host's worker thread (`largeFileWorker.ts`) so that parsing and checking tens of megabytes does not hold up the
 * server's requests about other documents, and in the server's own thread when no worker can be had.
 */
import type { CodeLens, Diagnostic, DocumentSymbol } from 'vscode-languageserver/node';
import { handleCodeLenses } from '../core/features/codeLens';
import { handleDocumentSymbols } from '../core/features/symbols';
import { Workspace } from '../core/model/workspace';
import { checkSchema, type CheckSettings } from '../core/rules/index';
import { LineIndex } from '../core/text/lineIndex';
import { toDiagnostic, toRange } from './convert';
import { documentSymbolOf } from './features/symbols';

export interface LargeCheckJob {
  /**
   * Every file of the configuration (the large ones at the text to check); `clientUri` for the open ones. A `hosted`
   * file's text is the host's own (largeFileWorker.ts fills it in); one with `parts` follows the job in that many parts.
   */
  files: Array<{ uri: string; text: string; version: number; clientUri?: string; large?: boolean; parts?: number; hosted?: boolean }>;
  settings: CheckSettings;
}

export interface LargeCheckResult {
  /** Diagnostics for each open file of the checked configurations, with the version of the text they were computed for. */
  published: Array<{ uri: string; clientUri: string; version: number; diagnostics: Diagnostic[] }>;
  /** The config root each file turned out to belong to (its layout is known only once it is parsed). */
  roots: Array<{ uri: string; root: string }>;
  /**
   * Each large file's summarised outline and code lenses (features/symbols.ts, codeLens.ts with `summary`), made here
   * from the tree the check built, so the server need not parse the file again to answer them; and the managed object
   * types it defines, which the server's own model lacks while the file's text is the host's (a scenario's checks
   * need their names).
   */
  summaries: Array<{ uri: string; version: number; symbols: DocumentSymbol[]; lenses: CodeLens[]; objectNames: string[] }>;
  objectTypes: number;
  relationships: number;
  durationMs: number;
}

export function runLargeCheck(job: LargeCheckJob): LargeCheckResult {
  const started = performance.now();
  const workspace = new Workspace();
  const clientUris = new Map<string, string>();
  const versions = new Map<string, number>();
  for (const file of job.files) {
    workspace.setFile(file.uri, file.text, file.version);
    versions.set(file.uri, file.version);
    if (file.clientUri) clientUris.set(file.uri, file.clientUri);
  }
  // One line index per file a diagnostic points into; the texts are the job's own, so the offsets match.
  const indexes = new Map<string, LineIndex>();
  const indexFor = (uri: string) => {
    let index = indexes.get(uri);
    if (!index) {
      const file = workspace.getFile(uri);
      if (!file) return undefined;
      index = new LineIndex(file.text);
      indexes.set(uri, index);
    }
    return index;
  };
  const published: LargeCheckResult['published'] = [];
  let objectTypes = 0;
  let relationships = 0;
  for (const schema of workspace.allSchemas()) {
    const findings = checkSchema(schema, job.settings);
    objectTypes += schema.managed.size;
    relationships += schema.relationships.length;
    for (const file of schema.files) {
      const clientUri = clientUris.get(file.uri);
      if (!clientUri) continue;
      // As Session.check: files that are not managed configs get nothing.
      const list = file.layout === 'unknown' ? [] : findings.get(file.uri) ?? [];
      const diagnostics = list.map((finding) => toDiagnostic(finding, indexFor, (uri) => clientUris.get(uri) ?? uri));
      published.push({ uri: file.uri, clientUri, version: versions.get(file.uri) ?? 0, diagnostics });
    }
  }
  const roots = job.files.flatMap(({ uri }) => {
    const file = workspace.getFile(uri);
    return file ? [{ uri, root: workspace.rootOf(file) }] : [];
  });
  const summaries = job.files.flatMap(({ uri, version, large }) => {
    const index = large ? indexFor(uri) : undefined;
    if (!index) return [];
    const symbols = handleDocumentSymbols(workspace, uri, { summary: true }).map((symbol) => documentSymbolOf(symbol, index));
    // Summary lenses carry no action (core/features/codeLens.ts): a title and a range, as the lens handler makes them.
    const lenses = handleCodeLenses(workspace, uri, { summary: true }).map((lens): CodeLens => ({ range: toRange(index, lens.range), command: { title: lens.title, command: '' } }));
    // The types the file itself defines (indexFor found the file), each name once.
    const objectNames = [...new Set(workspace.getFile(uri)!.objects.filter((object) => object.kind === 'managed').map((object) => object.name))];
    return [{ uri, version, symbols, lenses, objectNames }];
  });
  return { published, roots, summaries, objectTypes, relationships, durationMs: performance.now() - started };
}
