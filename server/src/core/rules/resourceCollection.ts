/**
 * `resourceCollection` entries: valid target paths that exist, present on bidirectional relationships, and
 * `query.fields` that the admin UIs need (PingIDM "Configuring relationships" and the relationship property reference).
 */
import { getValueNode, type JsonNode } from '../json/ast';
import { Schema } from '../model/schema';
import { firstSegment } from '../model/fieldPath';
import { BUILTIN_INTERNAL_OBJECTS } from '../model/internalObjects';
import type { ObjectType, RelationshipDef, ResourceCollectionEntry } from '../model/types';
import { closestNames } from '../text/similarity';
import { relativeDisplayPath } from '../text/displayPath';
import { displayName, keyRangeOf, rangeOf, refOf, type RuleContext } from './context';

export function checkResourceCollections(context: RuleContext): void {
  for (const relationship of context.schema.relationships) {
    checkMissingCollection(context, relationship);
    relationship.resourceCollection?.entries.forEach((entry, entryIndex) => {
      checkPath(context, relationship, entry, entryIndex);
      checkQueryFields(context, relationship, entry, entryIndex);
    });
  }
}

function checkMissingCollection(context: RuleContext, relationship: RelationshipDef): void {
  const property = relationship.property;
  if (property.owner.kind !== 'managed' || !relationship.bidirectional) return;
  if (relationship.resourceCollection?.entries.length) return;
  const typeNode = relationship.node.properties.find((p) => p.key === 'type')?.value;
  context.report('resource-collection-missing', property.owner.file, typeNode ? rangeOf(typeNode) : keyRangeOf(property.entry),
    `${displayName(property)} is bidirectional but has no \`resourceCollection\`: IDM cannot tell which type holds \`${relationship.reversePropertyName ?? 'its reverse'}\`.`,
    { data: { origin: refOf(property) } });
}

function checkPath(context: RuleContext, relationship: RelationshipDef, entry: ResourceCollectionEntry, entryIndex: number): void {
  const { schema } = context;
  const property = relationship.property;
  const file = property.owner.file;
  const anchor = (): JsonNode => entry.pathNode ?? entry.node; // made only when reported
  const data = () => ({ origin: refOf(property), entryIndex, path: entry.path }); // built only when reported
  if (entry.target.kind === 'invalid') {
    const suggestions = entry.path ? context.suggest(entry.path, schema.managed.size, () => suggestTypes(schema, entry.path!)) : [];
    context.report('resource-collection-invalid-path', file, rangeOf(anchor()),
      entry.path === undefined
        ? `This \`resourceCollection\` entry of ${displayName(property)} has no \`path\`.`
        : `\`${entry.path}\` is not a relationship target: use \`managed/<object>\`, \`internal/role\`, \`internal/user\` (or the legacy \`repo/internal/role\`).`,
      { data: { ...data(), suggestions } });
    return;
  }
  if (entry.target.kind !== 'managed') return;
  if (schema.getObject(entry.target.name)) return;
  const suggestions = context.suggest(entry.path!, schema.managed.size, () => suggestTypes(schema, entry.path!));
  const looked = schema.files.filter((f) => f.objects.length).map((f) => f.uri);
  const where = `${schema.complete ? 'this configuration' : 'the config files found'} (${looked.length} file${looked.length === 1 ? '' : 's'}: ${looked.slice(0, 5).map((uri) => relativeDisplayPath(file.uri, uri)).join(', ')}${looked.length > 5 ? ', …' : ''})`;
  context.report('resource-collection-unknown', file, rangeOf(anchor()),
    `No managed object \`${entry.target.name}\` in ${where}.` +
    (suggestions.length ? ` Did you mean \`managed/${suggestions[0]}\`?` : '') +
    (schema.complete ? '' : ' It may be defined in a file that is not in this workspace.'),
    { atMost: schema.complete ? undefined : 'information', data: { ...data(), suggestions, lookedIn: looked }, explainedBy: context.pairing?.explainsEntry(relationship, entry) });
}

/** Known types closest to what was written, with realm prefixes understood (`managed/user` -> `alpha_user`). */
export function suggestTypes(schema: Schema, path: string): string[] {
  const written = path.replace(/^(managed|internal|repo\/internal)\//, '').replace(/^\/+/, '');
  const names = [...schema.managed.keys()];
  const realmMatches = names.filter((name) => /^[a-z]+_/.test(name) && name.slice(name.indexOf('_') + 1) === written);
  const closest = closestNames(written, names);
  return [...new Set([...realmMatches, ...closest])];
}

function checkQueryFields(context: RuleContext, relationship: RelationshipDef, entry: ResourceCollectionEntry, entryIndex: number): void {
  const property = relationship.property;
  const file = property.owner.file;
  const data = () => ({ origin: refOf(property), entryIndex, path: entry.path }); // built only when reported
  if (!entry.queryFields) {
    // `fields` of the wrong type is not missing: relationship-key-wrong-type says what is wrong with it.
    if (entry.target.kind === 'invalid' || (entry.queryNode && getValueNode(entry.queryNode, 'fields'))) return;
    context.report('query-fields-missing', file, rangeOf(entry.queryNode ?? entry.pathNode ?? entry.node),
      `The \`resourceCollection\` entry for \`${entry.path}\` has no \`query.fields\`: the admin UIs need them to list and search ${entry.path} objects.`,
      { data: { ...data(), hasQuery: !!entry.queryNode } });
    return;
  }
  const target = context.schema.resolve(entry.target);
  let known: (name: string) => boolean;
  let targetLabel: string;
  if (target.kind === 'object') {
    known = (name) => target.object.propertyMap.has(name);
    targetLabel = target.object.name;
  } else if (target.kind === 'internal') {
    const builtin = BUILTIN_INTERNAL_OBJECTS[target.name];
    // Without an overlay we only know the built-in fields, which is not the whole schema: stay quiet.
    if (!target.overlay) return;
    const overlay: ObjectType = target.overlay;
    known = (name) => builtin.fields.includes(name) || name in builtin.relationships || overlay.propertyMap.has(name);
    targetLabel = `internal/${target.name}`;
  } else {
    return;
  }
  const fields = entry.queryFields;
  fields.names.forEach((written, fieldIndex) => {
    // `_id` and other `_` fields are IDM's own; a pointer like `properties/name` names its first segment.
    const name = firstSegment(written);
    if (!name || name.startsWith('_') || known(name)) return;
    const field = fields.entries[fieldIndex];
    const candidates = target.kind === 'object' ? target.object.properties : [];
    const suggestions = context.suggest(name, candidates.length, () => closestNames(name, candidates.map((p) => p.name)));
    context.report('query-field-unknown', file, rangeOf(field),
      `${targetLabel} has no property \`${name}\` to show in the admin UI.` +
      (suggestions.length ? ` Did you mean \`${suggestions[0]}\`?` : ''),
      { data: { ...data(), field: field.value, suggestions }, explainedBy: context.pairing?.explainsEntry(relationship, entry) });
  });
}
