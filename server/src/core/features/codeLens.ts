/**
 * Code lenses: over each object type "N relationships · M incoming" (a command lists them), over each relationship
 * property its other side (`<- user.reports`; the command goes there).
 */
import type { OffsetRange } from '../diagnostics/finding';
import { Schema } from '../model/schema';
import type { ObjectType, RelationshipDef } from '../model/types';
import type { Workspace } from '../model/workspace';
import type { LocationData } from './navigation';
import { otherSides, propertyLabel } from './relationshipFacts';

export type LensAction =
  /** Show these places as a list anchored at the lens. */
  | { kind: 'list'; locations: LocationData[] }
  /** Go to this place. */
  | { kind: 'reveal'; location: LocationData };

export interface CodeLensData {
  range: OffsetRange;
  title: string;
  action?: LensAction;
}

/** How many object types of a huge file get a lens (a 50 MB config has about 100,000). */
export const SUMMARY_LENS_LIMIT = 2000;

/**
 * A lens on each object type (its relationships and incoming count) and on each relationship. `summary` (for a huge
 * file) keeps the lenses of the first SUMMARY_LENS_LIMIT object types only, with their counts but not the list of
 * every location behind them (a 50 MB config's lenses made 8-10 MB).
 */
export function handleCodeLenses(workspace: Workspace, uri: string, { summary = false } = {}): CodeLensData[] {
  const file = workspace.getFile(uri);
  const schema = workspace.schemaFor(uri);
  if (!file || !schema) return [];
  const lenses: CodeLensData[] = [];
  // One pass for the incoming counts of every type in the file, rather than one scan of the schema per type.
  const incoming = incomingByPath(schema);
  for (const object of file.objects) {
    const lens = objectLens(object, incoming.get(Schema.pathOf(object)) ?? []);
    if (summary) {
      if (lenses.length >= SUMMARY_LENS_LIMIT) break;
      lenses.push({ range: lens.range, title: lens.title });
      continue;
    }
    lenses.push(lens);
    for (const relationship of object.relationships) lenses.push(relationshipLens(schema, relationship));
  }
  return lenses;
}

function incomingByPath(schema: Schema): Map<string, RelationshipDef[]> {
  const map = new Map<string, RelationshipDef[]>();
  for (const relationship of schema.relationships) {
    const paths = new Set((relationship.resourceCollection?.entries ?? []).map((e) => e.path).filter((p): p is string => !!p));
    for (const path of paths) {
      const list = map.get(path);
      if (list) list.push(relationship);
      else map.set(path, [relationship]);
    }
  }
  return map;
}

function objectLens(object: ObjectType, incoming: RelationshipDef[]): CodeLensData {
  const count = object.relationships.length;
  const anchor = object.nameNode ?? object.node;
  const range = object.nameNode ? { start: anchor.offset, end: anchor.end } : { start: anchor.offset, end: anchor.offset + 1 };
  const locations = [...object.relationships, ...incoming].map(keyLocation);
  return {
    range,
    title: `${count} relationship${count === 1 ? '' : 's'} · ${incoming.length} incoming`,
    action: locations.length ? { kind: 'list', locations } : undefined,
  };
}

function relationshipLens(schema: Schema, relationship: RelationshipDef): CodeLensData {
  const property = relationship.property;
  const range = { start: property.entry.keyOffset, end: property.entry.keyEnd };
  const sides = otherSides(schema, relationship);
  if (!relationship.bidirectional || !relationship.reversePropertyName) {
    const targets = sides.map((s) => s.path);
    const object = sides.map((s) => s.target).find((t) => t.kind === 'object');
    return {
      range,
      title: `-> ${targets.length ? targets.join(' | ') : 'any resource'} (one-way)`,
      action: object?.kind === 'object' ? { kind: 'reveal', location: objectLocation(object.object) } : undefined,
    };
  }
  const labels = sides.map((side) => (side.reverse ? `<- ${propertyLabel(side.reverse)}` : `<- ${targetName(side.path)}.${relationship.reversePropertyName} (missing)`));
  const found = sides.flatMap((side) => (side.reverse ? [side.reverse] : []));
  return {
    range,
    title: labels.length ? labels.join(', ') : `<- ${relationship.reversePropertyName} (no resourceCollection)`,
    action: found.length === 1
      ? { kind: 'reveal', location: { uri: found[0].owner.file.uri, range: { start: found[0].entry.keyOffset, end: found[0].entry.keyEnd } } }
      : found.length > 1 ? { kind: 'list', locations: found.map((p) => ({ uri: p.owner.file.uri, range: { start: p.entry.keyOffset, end: p.entry.keyEnd } })) } : undefined,
  };
}

function keyLocation(relationship: RelationshipDef): LocationData {
  const entry = relationship.property.entry;
  return { uri: relationship.property.owner.file.uri, range: { start: entry.keyOffset, end: entry.keyEnd } };
}

function objectLocation(object: ObjectType): LocationData {
  const anchor = object.nameNode ?? object.node;
  return { uri: object.file.uri, range: { start: anchor.offset, end: object.nameNode ? anchor.end : anchor.offset + 1 } };
}

/** `managed/user` -> `user`, `internal/role` -> `internal/role`. */
function targetName(path: string): string {
  return path.startsWith('managed/') ? path.slice('managed/'.length) : path;
}


