/**
 * Document symbols (object types > properties, relationships marked with their cardinality and targets) and
 * workspace symbols (object types and properties of every loaded config).
 */
import type { OffsetRange } from '../diagnostics/finding';
import type { Schema } from '../model/schema';
import type { ObjectType, PropertyDef } from '../model/types';
import type { Workspace } from '../model/workspace';
import { cardinalityLabel, objectLabel, otherSides, targetsLabel } from './relationshipFacts';

export type SymbolKindName = 'object' | 'relationship' | 'property';

export interface DocumentSymbolData {
  name: string;
  detail: string;
  kind: SymbolKindName;
  range: OffsetRange;
  selectionRange: OffsetRange;
  children: DocumentSymbolData[];
}

export interface WorkspaceSymbolData {
  name: string;
  kind: SymbolKindName;
  containerName?: string;
  uri: string;
  range: OffsetRange;
}

/** How many object types the summarised outline of a huge file lists (a 50 MB config has about 100,000). */
export const SUMMARY_SYMBOL_LIMIT = 2000;

/**
 * The outline of a file: its object types with their properties. `summary` (for a huge file) gives the first
 * SUMMARY_SYMBOL_LIMIT types alone: every property of a 50 MB config made an answer of 19 MB, and its 100,000 types
 * alone 16 MB, that no outline view can show (Go to Symbol in Workspace still finds every type by name).
 */
export function handleDocumentSymbols(workspace: Workspace, uri: string, { summary = false } = {}): DocumentSymbolData[] {
  const file = workspace.getFile(uri);
  const schema = workspace.schemaFor(uri);
  if (!file || !schema) return [];
  const objects = summary ? file.objects.slice(0, SUMMARY_SYMBOL_LIMIT) : file.objects;
  return objects.map((object) => ({
    name: objectLabel(object) || '(unnamed)',
    detail: [object.title, `${object.relationships.length} relationship${object.relationships.length === 1 ? '' : 's'}`].filter(Boolean).join(' · '),
    kind: 'object' as const,
    range: { start: object.node.offset, end: object.node.end },
    selectionRange: object.nameNode ? { start: object.nameNode.offset, end: object.nameNode.end } : { start: object.node.offset, end: object.node.offset + 1 },
    children: summary ? [] : object.properties.map((property) => propertySymbol(schema, property)),
  }));
}

function propertySymbol(schema: Schema, property: PropertyDef): DocumentSymbolData {
  const entry = property.entry;
  const relationship = property.relationship;
  let detail: string;
  if (relationship) {
    const sides = otherSides(schema, relationship);
    detail = `${cardinalityLabel(relationship, sides)} -> ${targetsLabel(relationship, sides)}${relationship.bidirectional ? '' : ' (one-way)'}`;
  } else {
    detail = Array.isArray(property.type) ? property.type.join(' | ') : property.type ?? '';
  }
  return {
    name: property.name || '""',
    detail,
    kind: relationship ? 'relationship' : 'property',
    range: { start: entry.keyOffset, end: entry.value ? entry.value.end : entry.keyEnd },
    selectionRange: { start: entry.keyOffset, end: entry.keyEnd },
    children: [],
  };
}

/** Most workspace symbols returned for one query. */
const MAX_WORKSPACE_SYMBOLS = 1000;

/** Object types and properties whose name contains the query's characters in order (case-insensitive). */
export function handleWorkspaceSymbols(workspace: Workspace, query: string, isCancelled: () => boolean = () => false): WorkspaceSymbolData[] | undefined {
  const result: WorkspaceSymbolData[] = [];
  const wanted = query.toLowerCase();
  for (const file of workspace.allFiles) {
    if (isCancelled()) return undefined;
    for (const object of file.objects) {
      const name = objectLabel(object);
      if (fuzzy(name, wanted)) {
        const anchor = object.nameNode ?? object.node;
        result.push({ name, kind: 'object', uri: file.uri, range: { start: anchor.offset, end: object.nameNode ? anchor.end : anchor.offset + 1 } });
      }
      for (const property of object.properties) {
        if (!fuzzy(property.name, wanted) && !fuzzy(`${name}.${property.name}`, wanted)) continue;
        result.push(propertyWorkspaceSymbol(object, property));
      }
      if (result.length >= MAX_WORKSPACE_SYMBOLS) return result.slice(0, MAX_WORKSPACE_SYMBOLS);
    }
  }
  return result;
}

function propertyWorkspaceSymbol(object: ObjectType, property: PropertyDef): WorkspaceSymbolData {
  return {
    name: property.name,
    kind: property.relationship ? 'relationship' : 'property',
    containerName: objectLabel(object),
    uri: object.file.uri,
    range: { start: property.entry.keyOffset, end: property.entry.keyEnd },
  };
}

function fuzzy(name: string, wanted: string): boolean {
  if (!wanted) return true;
  const lower = name.toLowerCase();
  let at = 0;
  for (const c of wanted) {
    at = lower.indexOf(c, at);
    if (at < 0) return false;
    at++;
  }
  return true;
}
