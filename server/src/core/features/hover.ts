/**
 * Hover: on a relationship property, a one-line summary, the other side's definition and who gets notified; on a
 * relationship key, what it does and whether IDM reads it where it is written; on a name (a target path, a reverse
 * name, a field), what it names.
 */
import { toValue, type JsonObject } from '../json/ast';
import type { OffsetRange } from '../diagnostics/finding';
import { parseTargetPath } from '../model/configFile';
import { BUILTIN_INTERNAL_OBJECTS } from '../model/internalObjects';
import { Schema } from '../model/schema';
import type { ObjectType, PropertyDef } from '../model/types';
import type { Workspace } from '../model/workspace';
import { tokenAt } from './cursor';
import { homeOf, keyInfo, KEYS, LEVEL_NAMES, type KeyInfo } from './keyCatalogue';
import { keyLevels, objectAt, placeOf } from './place';
import { notificationStory, otherSides, propertyLabel, summaryLine, type OtherSide } from './relationshipFacts';
import { declarationsOf, siteAt, type Site } from './sites';

export interface HoverData {
  /** Markdown. */
  contents: string;
  range: OffsetRange;
}

/** Longest excerpt of the other side's definition shown in a hover. */
const MAX_EXCERPT_LINES = 40;

export function handleHover(workspace: Workspace, uri: string, offset: number): HoverData | undefined {
  const file = workspace.getFile(uri);
  const schema = workspace.schemaFor(uri);
  if (!file || !schema) return undefined;
  const token = tokenAt(file.text, file.root, offset);
  if (!token) return undefined;

  if (token.kind === 'key') {
    const place = placeOf(file, token.object);
    if (!place) return undefined;
    // A property's own key: the relationship summary.
    const declared = place.object.properties.find((p) => p.entry === token.property);
    if (declared) {
      const contents = declared.relationship ? relationshipHover(schema, declared) : undefined;
      return contents ? { contents, range: token.range } : undefined;
    }
    if (!place.property) return undefined;
    const contents = keyHover(place.property, place.propertyPath!, token.object, token.property.key);
    return contents ? { contents, range: token.range } : undefined;
  }

  const site = siteAt(schema, file, offset);
  if (site?.role === 'object-declaration') {
    const object = objectAt(file, offset);
    if (object) return { contents: objectHover(schema, object), range: site.token };
  }
  if (site && site.role !== 'object-declaration' && site.role !== 'property-declaration') {
    const contents = siteHover(schema, site);
    if (contents) return { contents, range: site.token };
  }
  if (token.kind === 'value' && token.property.key === 'path' && token.node.type === 'string') {
    // A target path that names nothing declared (internal objects without an overlay, missing types).
    const contents = pathHover(schema, token.node.value);
    if (contents) return { contents, range: token.range };
  }
  return undefined;
}

export function relationshipHover(schema: Schema, property: PropertyDef): string {
  const relationship = property.relationship!;
  const parts = [codeBlock('text', summaryLine(schema, relationship))];
  for (const side of otherSides(schema, relationship)) {
    if (!relationship.bidirectional || !relationship.reversePropertyName) break;
    const reverse = side.reverse;
    if (!reverse) {
      parts.push(`**Other side:** ${missingOtherSide(side, relationship.reversePropertyName)}`);
      continue;
    }
    parts.push(`**Other side:** \`${propertyLabel(reverse)}\` in \`${baseName(reverse.owner.file.uri)}\` (relationship keys)`);
    parts.push(codeBlock('json', excerpt(reverse)));
  }
  parts.push('**Notification**', notificationStory(schema, relationship).map((line) => `- ${line}`).join('\n'));
  return parts.join('\n\n');
}

/** What to say of an other side the files do not declare: built into IDM, in no file here, or really missing. */
function missingOtherSide(side: OtherSide, name: string): string {
  const target = side.target;
  if (target.kind === 'internal' && BUILTIN_INTERNAL_OBJECTS[target.name].relationships[name]) {
    // `internal/role.authzMembers`, `internal/user.authzRoles`: IDM declares them itself.
    return `\`${side.path}.${name}\`, built into IDM (not declared in these files).`;
  }
  if (target.kind === 'missing') return `\`${side.path}\` is not in this workspace: its \`${name}\` cannot be checked here.`;
  if (target.kind === 'invalid') return `\`${side.path}\` is not a path IDM resolves.`;
  return `\`${side.path}\` has no \`${name}\` property.`;
}

function codeBlock(language: string, text: string): string {
  return `\`\`\`${language}\n${text}\n\`\`\``;
}

function keyHover(property: PropertyDef, path: Array<string | number>, object: JsonObject, key: string): string | undefined {
  const levels = keyLevels(property, path, object);
  // Outside every relationship level (a script hook, a field of an object property or of `_refProperties`) a key
  // such as `type` or `label` means something else: the contributed JSON schema describes it there.
  if (!levels.length) return undefined;
  const here = levels.map((level) => keyInfo(level, key)).find((info): info is KeyInfo => !!info);
  const home = here ?? homeOf(key) ?? KEYS.find((info) => info.key === key);
  if (!home) return undefined;
  const lines = [`**\`${key}\`** — ${home.detail}`, home.documentation, `Belongs ${LEVEL_NAMES[home.level]}.`];
  if (!here && home.relationshipKey) lines.push(`⚠ IDM does not read \`${key}\` where it is written here.`);
  return lines.join('\n\n');
}

function siteHover(schema: Schema, site: Site): string | undefined {
  const sections: string[] = [];
  for (const target of site.targets) {
    const declarations = declarationsOf(schema, target);
    if (target.kind === 'object') {
      const object = declarations[0]?.object;
      sections.push(object ? objectHover(schema, object) : pathHover(schema, `${target.objectKind}/${target.name}`) ?? `\`${target.objectKind}/${target.name}\`: no such object type in this configuration.`);
      continue;
    }
    const property = declarations[0]?.property;
    if (!property) {
      const builtIn = target.objectKind === 'internal' && (target.object === 'role' || target.object === 'user')
        && (BUILTIN_INTERNAL_OBJECTS[target.object].relationships[target.name] || BUILTIN_INTERNAL_OBJECTS[target.object].fields.includes(target.name));
      const defined = target.objectKind === 'internal' || schema.objectTypes.some((object) => object.name === target.object);
      sections.push(builtIn
        ? `\`internal/${target.object}.${target.name}\`: built into IDM (not declared in these files).`
        : defined
        ? `\`${target.object}.${target.name}\`: ${target.object} has no property \`${target.name}\`.`
        : `\`${target.object}.${target.name}\`: \`${target.object}\` is not in this workspace, so \`${target.name}\` cannot be checked here.`);
    } else if (property.relationship) {
      sections.push(codeBlock('text', summaryLine(schema, property.relationship)));
    } else {
      const type = Array.isArray(property.type) ? property.type.join(' | ') : property.type ?? 'untyped';
      const title = property.node && property.node.properties.find((p) => p.key === 'title')?.value;
      sections.push(`\`${propertyLabel(property)}\`: ${type}${title?.type === 'string' ? ` — ${title.value}` : ''}`);
    }
  }
  return sections.length ? sections.join('\n\n---\n\n') : undefined;
}

/** A managed object type: its title, relationships and incoming relationships. */
export function objectHover(schema: Schema, object: ObjectType): string {
  const incoming = schema.incomingRelationships(object).length;
  const count = object.relationships.length;
  const title = object.title ? `**${object.title}** (\`${Schema.pathOf(object)}\`)` : `\`${Schema.pathOf(object)}\``;
  const names = object.relationships.map((r) => `\`${r.property.name}\``);
  return [
    `${title} — ${count} relationship${count === 1 ? '' : 's'}, ${incoming} incoming`,
    names.length ? `Relationships: ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', …' : ''}` : '',
    `Defined in \`${baseName(object.file.uri)}\``,
  ].filter(Boolean).join('\n\n');
}

function pathHover(schema: Schema, path: string): string | undefined {
  const target = schema.resolve(parseTargetPath(path));
  switch (target.kind) {
    case 'object': return objectHover(schema, target.object);
    case 'internal': return target.overlay
      ? `IDM internal ${target.name} (\`${path}\`), built in; \`${baseName(target.overlay.file.uri)}\` adds ${target.overlay.relationships.length} relationship overlay${target.overlay.relationships.length === 1 ? '' : 's'}.`
      : `IDM internal ${target.name} (\`${path}\`): built into IDM, not declared in these files.`;
    case 'missing': return `\`${path}\`: not in this workspace (no file here defines the managed object type \`${target.name}\`).`;
    default: return undefined;
  }
}

/** Keys kept when showing the other side: what decides the pairing, the cardinality and notification. */
const OUTER_KEYS = ['type', 'returnByDefault', 'relationshipGrantTemporalConstraintsEnforced', 'notifyRelationships', 'items'];
const NODE_KEYS = ['type', 'reverseRelationship', 'reversePropertyName', 'validate', 'notifySelf', 'resourceCollection'];
const ENTRY_KEYS = ['path', 'notify', 'conditionalAssociation', 'conditionalAssociationField'];

/** The other side's definition reduced to its relationship keys (the `_ref` schema and UI labels left out). */
function excerpt(property: PropertyDef): string {
  const definition = toValue(property.entry.value);
  const pick = (value: unknown, keys: string[]) => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
    const record = value as Record<string, unknown>;
    return Object.fromEntries(keys.filter((key) => key in record).map((key) => [key, record[key]]));
  };
  const entries = (collection: unknown) => (Array.isArray(collection) ? collection.map((entry) => pick(entry, ENTRY_KEYS)) : pick(collection, ENTRY_KEYS));
  const node = (value: unknown) => {
    const kept = pick(value, NODE_KEYS) as Record<string, unknown> | undefined;
    if (kept && 'resourceCollection' in kept) kept.resourceCollection = entries(kept.resourceCollection);
    return kept;
  };
  const isArray = property.relationship?.cardinality === 'many';
  const shown = isArray ? { ...(pick(definition, OUTER_KEYS) as object), items: node((definition as Record<string, unknown>)?.items) } : { ...(pick(definition, OUTER_KEYS) as object), ...(node(definition) as object) };
  const lines = `${JSON.stringify(property.name)}: ${JSON.stringify(shown, null, 2)}`.split('\n');
  return lines.length > MAX_EXCERPT_LINES ? [...lines.slice(0, MAX_EXCERPT_LINES), '…'].join('\n') : lines.join('\n');
}

function baseName(uri: string): string {
  return uri.slice(uri.lastIndexOf('/') + 1);
}
