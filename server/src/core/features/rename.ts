/**
 * Rename an object type or a property everywhere its configuration names it, as one edit across files.
 *
 * A property's name is shared with the names that must stay equal to it: a polymorphic relationship names its
 * reverse on every target with one `reversePropertyName`, so renaming `role.members` renames the `members` of the
 * other targets that string also names (the "rename group"). Internal objects and IDM's built-in relationships keep
 * their names: IDM defines them.
 */
import type { OffsetRange } from '../diagnostics/finding';
import type { OffsetEdit } from '../fixes/edits';
import { BUILTIN_INTERNAL_OBJECTS } from '../model/internalObjects';
import type { Schema } from '../model/schema';
import type { Workspace } from '../model/workspace';
import { isDeclaration } from './navigation';
import { allSites, declarationsOf, isBuiltIn, siteAt, symbolKey, type Site, type SymbolRef } from './sites';

export type PrepareRenameResult = { range: OffsetRange; placeholder: string } | { error: string };
export type RenameResult = { edits: Record<string, OffsetEdit[]> } | { error: string };

/** IDM object names: letters, digits and `_` (creating-modifying-managed-objects). */
const OBJECT_NAME = /^[A-Za-z0-9_]+$/;
/** Property names end up in JSON pointers and REST paths: no `/`, quotes, backslashes or spaces. */
const PROPERTY_NAME = /^[^\s/"\\]+$/;

export function handlePrepareRename(workspace: Workspace, uri: string, offset: number): PrepareRenameResult {
  const file = workspace.getFile(uri);
  const schema = workspace.schemaFor(uri);
  const site = file && schema ? siteAt(schema, file, offset) : undefined;
  if (!file || !site) return { error: 'Nothing to rename here: place the cursor on an object type or property name.' };
  const symbol = site.targets[0];
  if (site.targets.some(isBuiltIn)) return { error: `\`${label(symbol)}\` is built into IDM and cannot be renamed.` };
  // Refused here rather than after the new name is typed: `user.authzRoles` is named back by IDM's own
  // `internal/role.authzMembers` (and the other way round), so no rename of it can keep the pair.
  const fixedPartner = schema ? site.targets.map((target) => builtInPartner(schema, target)).find(Boolean) : undefined;
  if (fixedPartner) return { error: `\`${label(symbol)}\` pairs with ${fixedPartner}, which is built into IDM and names it back: it cannot be renamed.` };
  return { range: site.range, placeholder: file.text.slice(site.range.start, site.range.end) };
}

export function handleRename(workspace: Workspace, uri: string, offset: number, newName: string, isCancelled: () => boolean = () => false): RenameResult | undefined {
  const file = workspace.getFile(uri);
  const schema = workspace.schemaFor(uri);
  const site = file && schema ? siteAt(schema, file, offset) : undefined;
  if (!file || !schema || !site) return { error: 'Nothing to rename here.' };
  if (site.targets.some(isBuiltIn)) return { error: `\`${label(site.targets[0])}\` is built into IDM and cannot be renamed.` };
  const sites = allSites(schema, isCancelled);
  if (!sites) return undefined;
  const kind = site.targets[0].kind;
  const oldName = site.targets[0].name;
  if (newName === oldName) return { edits: {} };
  const invalid = kind === 'object' ? !OBJECT_NAME.test(newName) : !PROPERTY_NAME.test(newName);
  if (invalid) {
    return { error: kind === 'object' ? `\`${newName}\` is not a valid object type name: use letters, digits and \`_\`.` : `\`${newName}\` is not a valid property name.` };
  }

  const group = renameGroup(sites, site.targets);
  const conflict = conflictOf(schema, [...group.values()], newName);
  if (conflict) return { error: conflict };
  if ([...group.values()].some(isBuiltIn)) return { error: `Renaming \`${oldName}\` would rename a relationship built into IDM.` };
  const fixedPartner = [...group.values()].map((symbol) => builtInPartner(schema, symbol)).find(Boolean);
  if (fixedPartner) return { error: `\`${oldName}\` pairs with ${fixedPartner}, which is built into IDM and names it back: it cannot be renamed.` };

  const edits: Record<string, OffsetEdit[]> = {};
  const seen = new Set<string>();
  for (const candidate of sites) {
    if (!candidate.targets.some((t) => group.has(symbolKey(t)))) continue;
    const key = `${candidate.file.uri}@${candidate.range.start}`;
    if (seen.has(key)) continue;
    seen.add(key);
    (edits[candidate.file.uri] ??= []).push({ offset: candidate.range.start, length: candidate.range.end - candidate.range.start, content: newName });
  }
  for (const list of Object.values(edits)) list.sort((a, b) => a.offset - b.offset);
  return { edits };
}

/**
 * The symbols renamed together: starting from what the cursor names, every other symbol named by the same string
 * (a reverse name or hop shared by several targets) joins, until nothing new does.
 */
function renameGroup(sites: Site[], start: SymbolRef[]): Map<string, SymbolRef> {
  const group = new Map(start.map((symbol) => [symbolKey(symbol), symbol]));
  const shared = sites.filter((site) => !isDeclaration(site) && site.targets.length > 1);
  for (let changed = true; changed;) {
    changed = false;
    for (const site of shared) {
      if (!site.targets.some((t) => group.has(symbolKey(t)))) continue;
      for (const target of site.targets) {
        if (!group.has(symbolKey(target))) {
          group.set(symbolKey(target), target);
          changed = true;
        }
      }
    }
  }
  return group;
}

/**
 * `user.authzRoles` pairs with `internal/role.authzMembers`, whose reverse name IDM builds in: renaming the managed
 * side would break the pair with no way to follow on the other side.
 */
function builtInPartner(schema: Schema, symbol: SymbolRef): string | undefined {
  if (symbol.kind !== 'property') return undefined;
  for (const { property } of declarationsOf(schema, symbol)) {
    const relationship = property?.relationship;
    const reverseName = relationship?.reversePropertyName;
    if (!relationship || !reverseName) continue;
    for (const entry of relationship.resourceCollection?.entries ?? []) {
      if (entry.target.kind !== 'internal') continue;
      const builtin = BUILTIN_INTERNAL_OBJECTS[entry.target.name].relationships[reverseName];
      if (builtin?.reversePropertyName === symbol.name) return `\`internal/${entry.target.name}.${reverseName}\``;
    }
  }
  return undefined;
}

function conflictOf(schema: Schema, group: SymbolRef[], newName: string): string | undefined {
  for (const symbol of group) {
    if (symbol.kind === 'object') {
      if ((symbol.objectKind === 'managed' ? schema.managed : schema.internal).has(newName)) return `An object type \`${newName}\` already exists.`;
      continue;
    }
    const renamed: SymbolRef = { ...symbol, name: newName };
    if (declarationsOf(schema, renamed).length) return `\`${symbol.object}\` already has a property \`${newName}\`.`;
  }
  return undefined;
}

function label(symbol: SymbolRef): string {
  return symbol.kind === 'object' ? `${symbol.objectKind}/${symbol.name}` : `${symbol.objectKind === 'internal' ? 'internal/' : ''}${symbol.object}.${symbol.name}`;
}
