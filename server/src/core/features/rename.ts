/**
 * Rename an object type or a property everywhere its configuration names it, as one edit across files.
 *
 * A property's name is shared with the names that must stay equal to it: a polymorphic relationship names its
 * reverse on every target with one `reversePropertyName`, so renaming `role.members` renames the `members` of the
 * other targets that string also names (the "rename group"). Internal objects and IDM's built-in relationships keep
 * their names: IDM defines them.
 *
 * Beyond the schema: a property's name quoted exactly in an inline script of the objects that declare it
 * (`calculateEffectiveRoles(object, 'roles')`) is renamed too, as an edit marked unchecked, and so is one in a script
 * file they name (`file`) when the caller can read it (`ScriptReader`); the others are listed. A deployed IDM stores objects under their type's path and relationships under their
 * property names (OpenIDM's `RelationshipProvider` keeps `firstPropertyName`/`secondPropertyName` per edge), so
 * renaming a relationship or a type leaves that data behind: the edits say so, to be confirmed.
 */
import type { OffsetRange } from '../diagnostics/finding';
import type { OffsetEdit } from '../fixes/edits';
import { BUILTIN_INTERNAL_OBJECTS } from '../model/internalObjects';
import type { Schema } from '../model/schema';
import type { ObjectType } from '../model/types';
import type { Workspace } from '../model/workspace';
import { isDeclaration } from './navigation';
import { quotedNameIn, quotedNameInScript, scriptsOf, type ScriptLiteral } from './scriptNames';
import { allSites, declarationsOf, isBuiltIn, siteAt, symbolKey, type Site, type SymbolRef } from './sites';

export type PrepareRenameResult = { range: OffsetRange; placeholder: string } | { error: string };
/** An edit of a rename, with the id of the note (in `annotations`) it is shown under, if any. */
export interface RenameEdit extends OffsetEdit {
  annotation?: RenameAnnotationId;
}

/**
 * `config`: the edits of the configuration, when there is something to say of them (data a deployed IDM stores under
 * the old name, script files not searched). `script`: names quoted in inline scripts, which the schema does not check.
 */
export type RenameAnnotationId = 'config' | 'script';

export interface RenameAnnotation {
  label: string;
  description: string;
  /** The user should see and accept these edits before they are applied. */
  needsConfirmation: boolean;
}

/**
 * Reads the script file a configuration file's script object names (`file`, as written): its URI and text, or
 * undefined when it is not in the workspace. The core reads no files; the server passes one.
 */
export type ScriptReader = (configUri: string, file: string) => { uri: string; text: string } | undefined;

export type RenameResult = { edits: Record<string, RenameEdit[]>; annotations: Partial<Record<RenameAnnotationId, RenameAnnotation>> } | { error: string };

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

export function handleRename(
  workspace: Workspace, uri: string, offset: number, newName: string, isCancelled: () => boolean = () => false, readScript: ScriptReader = () => undefined,
): RenameResult | undefined {
  const file = workspace.getFile(uri);
  const schema = workspace.schemaFor(uri);
  const site = file && schema ? siteAt(schema, file, offset) : undefined;
  if (!file || !schema || !site) return { error: 'Nothing to rename here.' };
  if (site.targets.some(isBuiltIn)) return { error: `\`${label(site.targets[0])}\` is built into IDM and cannot be renamed.` };
  const sites = allSites(schema, isCancelled);
  if (!sites) return undefined;
  const kind = site.targets[0].kind;
  const oldName = site.targets[0].name;
  if (newName === oldName) return { edits: {}, annotations: {} };
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

  const edits: Record<string, RenameEdit[]> = {};
  const annotations: Partial<Record<RenameAnnotationId, RenameAnnotation>> = {};
  const configNote = configAnnotation(schema, [...group.values()]);
  const scripts = kind === 'property' ? scriptLiterals(schema, [...group.values()], newName, readScript) : { edits: [], unread: [] };
  if (scripts.unread.length) {
    configNote.description.push(`Script files not found in the workspace, not searched for \`${oldName}\`: ${scripts.unread.map((file) => `\`${file}\``).join(', ')}.`);
  }
  if (configNote.description.length) {
    annotations.config = { label: configNote.label, description: configNote.description.join(' '), needsConfirmation: configNote.needsConfirmation };
  }
  const seen = new Set<string>();
  for (const candidate of sites) {
    if (!candidate.targets.some((t) => group.has(symbolKey(t)))) continue;
    const key = `${candidate.file.uri}@${candidate.range.start}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const edit: RenameEdit = { offset: candidate.range.start, length: candidate.range.end - candidate.range.start, content: newName };
    if (annotations.config) edit.annotation = 'config';
    (edits[candidate.file.uri] ??= []).push(edit);
  }
  for (const { uri, edit } of scripts.edits) {
    const key = `${uri}@${edit.offset}`;
    if (seen.has(key)) continue;
    seen.add(key);
    (edits[uri] ??= []).push(edit);
  }
  if (scripts.edits.length) {
    annotations.script = {
      label: 'In scripts: not checked by the schema',
      description: `\`${oldName}\` written as a string literal in a script of ${[...new Set(scripts.edits.map((s) => s.object))].map((o) => `\`${o}\``).join(', ')}; the schema cannot tell whether the script means this property.`,
      needsConfirmation: true,
    };
  }
  for (const list of Object.values(edits)) list.sort((a, b) => a.offset - b.offset);
  return { edits, annotations };
}

/**
 * What to say of the configuration's edits: a relationship or an object type may hold data in a deployed IDM under
 * the old name, which the rename does not move.
 */
function configAnnotation(schema: Schema, group: SymbolRef[]): { label: string; description: string[]; needsConfirmation: boolean } {
  const objects = group.filter((symbol) => symbol.kind === 'object' && symbol.objectKind === 'managed');
  if (objects.length) {
    const name = objects[0].name;
    return {
      label: 'Data in a deployed IDM',
      description: [`A deployed IDM stores the objects of this type under \`managed/${name}\` and relationships to them with that path: renaming the type in the configuration does not move them.`],
      needsConfirmation: true,
    };
  }
  const relationships = group.filter((symbol) => declarationsOf(schema, symbol).some(({ property }) => property?.relationship));
  if (relationships.length) {
    return {
      label: 'Relationship data in a deployed IDM',
      description: [`A deployed IDM stores each relationship under its property names: relationships already stored as ${relationships.map((r) => `\`${label(r)}\``).join(', ')} are not renamed with the configuration.`],
      needsConfirmation: true,
    };
  }
  return { label: 'Rename', description: [], needsConfirmation: false };
}

/**
 * The exact string literals naming the renamed properties in the scripts of their objects (inline, and the script
 * files `readScript` finds), and the script files it does not find.
 */
function scriptLiterals(schema: Schema, group: SymbolRef[], newName: string, readScript: ScriptReader): { edits: Array<{ uri: string; object: string; edit: RenameEdit }>; unread: string[] } {
  const edits: Array<{ uri: string; object: string; edit: RenameEdit }> = [];
  const unread = new Set<string>();
  const readFiles = new Set<string>();
  const visited = new Set<ObjectType>();
  const add = (uri: string, object: ObjectType, literal: ScriptLiteral) => {
    if (newName.includes(literal.quote)) return; // the new name would end the script's string
    edits.push({ uri, object: object.name, edit: { offset: literal.range.start, length: literal.range.end - literal.range.start, content: newName, annotation: 'script' } });
  };
  for (const symbol of group) {
    if (symbol.kind !== 'property') continue;
    for (const { property } of declarationsOf(schema, symbol)) {
      const object = property?.owner;
      if (!object || visited.has(object)) continue;
      visited.add(object);
      const scripts = scriptsOf(object);
      for (const source of scripts.sources) {
        for (const literal of quotedNameIn(object.file.text, source, symbol.name)) add(object.file.uri, object, literal);
      }
      for (const file of scripts.files) {
        const script = readScript(object.file.uri, file);
        if (!script) {
          unread.add(file);
          continue;
        }
        if (readFiles.has(script.uri)) continue;
        readFiles.add(script.uri);
        for (const literal of quotedNameInScript(script.text, symbol.name)) add(script.uri, object, literal);
      }
    }
  }
  return { edits, unread: [...unread].sort() };
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
