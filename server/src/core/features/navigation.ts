/**
 * Go to definition and find references, answered from the site list (sites.ts): a name's definition is the
 * declaration of what it names, in whichever file of the configuration declares it.
 */
import type { OffsetRange } from '../diagnostics/finding';
import type { Workspace } from '../model/workspace';
import { allSites, declarationsOf, sameSymbol, siteAt, type Site, type SymbolRef } from './sites';

export interface LocationData {
  uri: string;
  range: OffsetRange;
}

const DECLARATION_ROLES = new Set(['object-declaration', 'property-declaration']);

export function isDeclaration(site: Site): boolean {
  return DECLARATION_ROLES.has(site.role);
}

/** Where the name under the cursor is declared: nothing on a declaration itself or on a name nothing declares. */
export function handleDefinition(workspace: Workspace, uri: string, offset: number): LocationData[] {
  const file = workspace.getFile(uri);
  const schema = workspace.schemaFor(uri);
  if (!file || !schema) return [];
  const site = siteAt(schema, file, offset);
  if (!site || isDeclaration(site)) return [];
  return site.targets.flatMap((symbol) => declarationLocations(workspace, symbol, uri));
}

export function declarationLocations(workspace: Workspace, symbol: SymbolRef, uri: string): LocationData[] {
  const schema = workspace.schemaFor(uri);
  if (!schema) return [];
  return declarationsOf(schema, symbol).map(({ object, property }) => {
    if (property) return { uri: object.file.uri, range: { start: property.entry.keyOffset, end: property.entry.keyEnd } };
    const anchor = object.nameNode ?? object.node;
    return { uri: object.file.uri, range: object.nameNode ? { start: anchor.offset, end: anchor.end } : { start: anchor.offset, end: anchor.offset + 1 } };
  });
}

/** The symbols the cursor names: a declaration's own symbol, or every target of a reference. */
export function symbolsAt(workspace: Workspace, uri: string, offset: number): SymbolRef[] {
  const file = workspace.getFile(uri);
  const schema = workspace.schemaFor(uri);
  if (!file || !schema) return [];
  return siteAt(schema, file, offset)?.targets ?? [];
}

/** Every site naming what the cursor names, across the files of its configuration. Undefined when cancelled. */
export function handleReferences(
  workspace: Workspace, uri: string, offset: number, includeDeclaration: boolean, isCancelled: () => boolean = () => false,
): LocationData[] | undefined {
  const schema = workspace.schemaFor(uri);
  const symbols = symbolsAt(workspace, uri, offset);
  if (!schema || !symbols.length) return [];
  const sites = allSites(schema, isCancelled);
  if (!sites) return undefined;
  return sites
    .filter((site) => (includeDeclaration || !isDeclaration(site)) && site.targets.some((t) => symbols.some((s) => sameSymbol(s, t))))
    .map((site) => ({ uri: site.file.uri, range: site.range }));
}
