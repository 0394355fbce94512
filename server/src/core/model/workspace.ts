/**
 * Groups config files into schemas. A repository often holds several configurations (forgeops keeps one
 * per profile), so "the workspace" is not one schema: files belong together when they share a config root.
 *
 * - A whole-config file (`managed.json`) and `internal.json`: the folder it is in.
 * - A frodo export holding both managed objects and the internal overlay (`all.idm.json`): the file itself. It is a
 *   whole configuration, and frodo writes it beside `all.managed.json`, another export of the same tenant: read
 *   together they would define every type twice. A frodo file holding only one of them (`all.managed.json`, or
 *   `managed.idm.json` with `internal.idm.json` beside it in a full export) joins its folder. The per-object files
 *   frodo may write beside it (`managed/*.managed.json`) join it too, as a second export of the same configuration:
 *   the schema reads the export file's definitions first, and the copies get `export-repeated` notes (see Schema).
 * - JSON-Patch files (`[{"operation": "add", "field": "objects/-", ...}]`): the folder, so patches applied together
 *   are checked together.
 * - A per-object file: the folder above the `managed-objects/` (fr-config-manager) or `managed/` (frodo
 *   --separate) folder it sits in, so its siblings and the `internal.json` next to that folder join it;
 *   otherwise its own folder.
 */
import { readConfigFile, updateConfigFile, type TextChange } from './configFile';
import { Schema } from './schema';
import type { ConfigFile, ConfigLayout, UnreadableFile } from './types';

export function dirname(uri: string): string {
  const slash = uri.lastIndexOf('/');
  return slash <= 0 ? '' : uri.slice(0, slash);
}

export function configRootOf(uri: string, layout: ConfigLayout, wholeExport = false): string {
  if (layout === 'frodo-wrapper' && wholeExport) return uri;
  const dir = dirname(uri);
  if (layout !== 'single-object') return dir;
  const segments = dir.split('/');
  for (let i = segments.length - 1; i >= 0; i--) {
    if (segments[i] === 'managed-objects' || segments[i] === 'managed') return segments.slice(0, i).join('/');
  }
  return dir;
}

/** The roots an unread file could belong to: we cannot tell its layout without its text, so both. */
function candidateRoots(uri: string): string[] {
  return [...new Set([configRootOf(uri, 'managed'), configRootOf(uri, 'single-object')])];
}

/** The open and on-disk config files the language server or CLI knows, kept as schemas. */
export class Workspace {
  private readonly files = new Map<string, ConfigFile>();
  private readonly schemas = new Map<string, Schema>();
  private readonly unreadable = new Map<string, UnreadableFile>();

  /** Adds or replaces a file; returns the parsed file. Files that are not managed configs are kept out. */
  setFile(uri: string, text: string, version = 0): ConfigFile {
    this.forgetUnreadable(uri);
    const previous = this.files.get(uri);
    if (previous) this.invalidate(previous);
    const file = readConfigFile(uri, text, version);
    // An unknown layout may be a managed config being typed from scratch: keep it while it is open
    // (the caller decides), but it contributes no objects.
    this.files.set(uri, file);
    this.invalidate(file);
    return file;
  }

  /**
   * Replaces a file with `text`, the result of `change` to the text the workspace holds for it: only the object type
   * the edit lies in is read again when that is possible (`updateConfigFile`), else the whole text, as `setFile`.
   */
  updateFile(uri: string, text: string, version: number, change: TextChange): ConfigFile {
    const previous = this.files.get(uri);
    const file = previous && updateConfigFile(previous, text, version, change);
    if (!file) return this.setFile(uri, text, version);
    this.files.set(uri, file);
    this.invalidate(file);
    return file;
  }

  removeFile(uri: string): void {
    this.forgetUnreadable(uri);
    const file = this.files.get(uri);
    if (!file) return;
    this.files.delete(uri);
    this.invalidate(file);
  }

  /**
   * Records that the config file at `uri` exists but could not be read: it leaves the model, and the schemas it could
   * belong to report it (the types it defines are missing from their check).
   */
  setUnreadable(entry: UnreadableFile): void {
    this.removeFile(entry.uri);
    this.unreadable.set(entry.uri, entry);
    for (const root of candidateRoots(entry.uri)) this.schemas.delete(root);
  }

  private forgetUnreadable(uri: string): void {
    if (!this.unreadable.delete(uri)) return;
    for (const root of candidateRoots(uri)) this.schemas.delete(root);
  }

  /** Every file with this URI or below this folder URI (a folder event stands for every file under it). */
  filesUnder(uri: string): string[] {
    const prefix = uri.replace(/\/+$/, '') + '/';
    return [...this.files.keys(), ...this.unreadable.keys()].filter((candidate) => candidate === uri || candidate.startsWith(prefix));
  }

  getFile(uri: string): ConfigFile | undefined {
    return this.files.get(uri);
  }

  get allFiles(): ConfigFile[] {
    return [...this.files.values()];
  }

  rootOf(file: ConfigFile): string {
    return configRootOf(file.uri, file.layout, file.objects.some((o) => o.kind === 'managed') && file.objects.some((o) => o.kind === 'internal'));
  }

  /** The schema `uri` belongs to. */
  schemaFor(uri: string): Schema | undefined {
    const file = this.files.get(uri);
    if (!file) return undefined;
    return this.schemaAt(this.rootOf(file));
  }

  schemaAt(root: string): Schema {
    let schema = this.schemas.get(root);
    if (!schema) {
      const members = [...this.files.values()].filter((file) => this.rootOf(file) === root);
      const unread = [...this.unreadable.values()].filter((entry) => candidateRoots(entry.uri).includes(root));
      schema = new Schema(root, members, unread);
      this.schemas.set(root, schema);
    }
    return schema;
  }

  /** Every schema that has at least one file. */
  allSchemas(): Schema[] {
    const roots = new Set([...this.files.values()].map((file) => this.rootOf(file)));
    return [...roots].map((root) => this.schemaAt(root));
  }

  private invalidate(file: ConfigFile): void {
    this.schemas.delete(this.rootOf(file));
  }
}
