/**
 * Quick fixes, computed from a finding's `data` (never from its message) against the current workspace.
 * A fix may edit several files: adding the reverse side of a relationship edits the target type's own file.
 */
import { pathOf, toValue, type JsonNode } from '../json/ast';
import type { FindingData, PropertyRef } from '../diagnostics/finding';
import { Schema } from '../model/schema';
import { firstSegment } from '../model/fieldPath';
import type { Workspace } from '../model/workspace';
import type { Cardinality, ObjectType, PropertyDef, RelationshipDef } from '../model/types';
import { closestNames } from '../text/similarity';
import { parseJson, type JsonSyntaxError } from '../json/parser';
import { FileEditBuilder, nodeAt, type OffsetEdit } from './edits';

export interface QuickFix {
  title: string;
  isPreferred?: boolean;
  /** Edits per file URI; each file gets at most one edit. */
  edits: Record<string, OffsetEdit[]>;
}

/** Collects the edits of one fix across files. */
class FixBuilder {
  private readonly files = new Map<string, FileEditBuilder>();

  constructor(private readonly workspace: Workspace) {}

  file(uri: string): FileEditBuilder {
    let builder = this.files.get(uri);
    if (!builder) {
      builder = new FileEditBuilder(uri, this.workspace.getFile(uri)?.text ?? '');
      this.files.set(uri, builder);
    }
    return builder;
  }

  build(title: string, isPreferred = false): QuickFix | undefined {
    const edits: Record<string, OffsetEdit[]> = {};
    for (const [uri, builder] of this.files) {
      if (builder.ambiguous) return undefined;
      const edit = builder.toEdit();
      if (!edit) continue;
      if (!keepsSyntax(this.workspace.getFile(uri)?.syntaxErrors ?? [], builder.result, edit)) return undefined;
      edits[uri] = [edit];
    }
    return Object.keys(edits).length ? { title, isPreferred, edits } : undefined;
  }
}

/**
 * A fix must not make half-typed JSON worse. jsonc-parser's edits assume a well-formed neighbourhood: next to an
 * unterminated string (`"label": "x", "` at the end of the file) an added `query` landed inside the string. So no
 * fix edits where the file has a syntax error, and none is offered whose result has more errors than the file had.
 */
function keepsSyntax(errors: readonly JsonSyntaxError[], result: string, edit: OffsetEdit): boolean {
  if (errors.some((error) => error.offset <= edit.offset + edit.length && edit.offset <= error.end)) return false;
  return parseJson(result).errors.length <= errors.length;
}

/**
 * Replaces the wrong path of a pair cause (`data.entryIndex`, `data.wrong` -> `data.right`) with the partner's type; a
 * display-field list and label copied from the old target follow the new one.
 */
function repairPath(context: FixContext): { builder: FixBuilder; relationship: RelationshipDef; right: string; target: ObjectType } | undefined {
  const relationship = context.relationship();
  const entryIndex = context.number('entryIndex') ?? -1;
  const entry = relationship?.resourceCollection?.entries[entryIndex];
  const right = context.string('right');
  const schema = relationship && context.schemaOf(relationship.property.owner.file.uri);
  const targetName = right?.startsWith('managed/') ? right.slice('managed/'.length) : undefined;
  const target = targetName !== undefined ? schema?.getObject(targetName) : undefined;
  if (!relationship || !entry?.pathNode || !schema || !target || entry.path !== context.string('wrong')) return undefined;
  const builder = context.builder();
  const file = builder.file(relationship.property.owner.file.uri);
  file.set(pathOf(entry.pathNode), right);
  // A path copied from a neighbour brings that neighbour's display fields and label along: follow the new target.
  const fields = entry.queryFields;
  if (fields && fields.names.some((name) => { const first = firstSegment(name); return !!first && !first.startsWith('_') && !target.propertyMap.has(first); })) {
    file.set(pathOf(fields.node), displayFields(schema, target));
  }
  const wrongTarget = schema.resolve(entry.target);
  const wrongLabels = [entry.path!.slice(entry.path!.lastIndexOf('/') + 1), wrongTarget.kind === 'object' ? wrongTarget.object.title : undefined]
    .filter((label): label is string => !!label).map((label) => label.toLowerCase());
  const labelNode = entry.node.properties.find((p) => p.key === 'label')?.value;
  if (entry.label !== undefined && labelNode && wrongLabels.includes(entry.label.toLowerCase())) file.set(pathOf(labelNode), target.title ?? target.name);
  return { builder, relationship, right: right!, target };
}

export function getQuickFixes(workspace: Workspace, data: FindingData): QuickFix[] {
  try {
    const fixes = FIXES[data.code]?.(new FixContext(workspace, data)) ?? [];
    return fixes.filter((fix): fix is QuickFix => !!fix);
  } catch {
    // A fix that cannot be computed against the current text is simply not offered.
    return [];
  }
}

class FixContext {
  constructor(readonly workspace: Workspace, readonly data: FindingData) {}

  builder(): FixBuilder {
    return new FixBuilder(this.workspace);
  }

  property(ref: PropertyRef | undefined = this.data.origin): PropertyDef | undefined {
    if (!ref) return undefined;
    const object = this.workspace.getFile(ref.uri)?.objects.find((o) => o.name === ref.object && o.kind === (ref.kind ?? 'managed'));
    return object?.propertyMap.get(ref.property);
  }

  relationship(ref?: PropertyRef): RelationshipDef | undefined {
    return this.property(ref)?.relationship;
  }

  schemaOf(uri: string): Schema | undefined {
    return this.workspace.schemaFor(uri);
  }

  string(key: string): string | undefined {
    const value = this.data[key];
    return typeof value === 'string' ? value : undefined;
  }

  strings(key: string): string[] {
    const value = this.data[key];
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  }

  number(key: string): number | undefined {
    const value = this.data[key];
    return typeof value === 'number' ? value : undefined;
  }
}

type FixProvider = (context: FixContext) => Array<QuickFix | undefined>;

const FIXES: Partial<Record<FindingData['code'], FixProvider>> = {
  'reverse-property-missing': (context) => {
    const relationship = context.relationship();
    const targetRef = context.data.target as { uri: string; object: string; kind?: 'managed' | 'internal' } | undefined;
    const reverseName = context.string('reverseName');
    if (!relationship || !targetRef || !reverseName) return [];
    const schema = context.schemaOf(relationship.property.owner.file.uri);
    const target = context.workspace.getFile(targetRef.uri)?.objects.find((o) => o.name === targetRef.object && o.kind === (targetRef.kind ?? 'managed'));
    if (!schema || !target) return [];
    const preferred = defaultReverseCardinality(relationship);
    const fixes: Array<QuickFix | undefined> = (['many', 'one'] as Cardinality[])
      .sort((a, b) => (a === preferred ? -1 : b === preferred ? 1 : 0))
      .map((cardinality) => {
        const builder = context.builder();
        addReverseProperty(builder, schema, relationship, target, reverseName, cardinality);
        return builder.build(`Add \`${reverseName}\` to ${target.name} (${cardinalityLabel(relationship.cardinality, cardinality)})`, cardinality === preferred);
      });
    fixes.push(...pointAt(context, relationship, context.strings('pointingBack')));
    return fixes;
  },

  'reverse-name-missing': (context) => {
    const relationship = context.relationship();
    if (!relationship) return [];
    const fixes = context.strings('candidates').map((name, i) => {
      const builder = context.builder();
      builder.file(relationship.property.owner.file.uri).set([...pathOf(relationship.node), 'reversePropertyName'], name);
      return builder.build(`Set \`reversePropertyName\` to \`${name}\``, i === 0);
    });
    if (!fixes.length) fixes.push(...makeBidirectional(context, relationship, 'many'), ...makeBidirectional(context, relationship, 'one'));
    if (!relationship.notifySelf && !relationship.resourceCollection?.entries.some((e) => e.notify) && relationship.reverseRelationshipNode) {
      const builder = context.builder();
      builder.file(relationship.property.owner.file.uri).remove(pathOf(relationship.reverseRelationshipNode));
      fixes.push(builder.build('Make the relationship one-way (remove `reverseRelationship`)'));
    }
    return fixes;
  },

  'reverse-property-not-relationship': (context) => {
    const relationship = context.relationship();
    return relationship ? pointAt(context, relationship, context.strings('pointingBack')) : [];
  },

  'reverse-name-mismatch': (context) => {
    const relationship = context.relationship();
    const reverse = context.relationship(context.data.reverse as PropertyRef);
    if (!relationship || !reverse) return [];
    const fixes = pointAt(context, relationship, context.strings('pointingBack'));
    // Re-pointing the other side is right only when its current claim is itself broken.
    if (!claimIsPaired(context, reverse)) {
      const builder = context.builder();
      builder.file(reverse.property.owner.file.uri).set([...pathOf(reverse.node), 'reversePropertyName'], relationship.property.name);
      fixes.push(builder.build(`Point ${reverse.property.owner.name}.${reverse.property.name} back at \`${relationship.property.name}\``, fixes.length === 0));
    }
    return fixes;
  },

  'reverse-not-bidirectional': (context) => {
    const relationship = context.relationship();
    const reverse = context.relationship(context.data.reverse as PropertyRef);
    if (!relationship || !reverse) return [];
    const builder = context.builder();
    const file = builder.file(reverse.property.owner.file.uri);
    file.set([...pathOf(reverse.node), 'reverseRelationship'], true);
    if (reverse.reversePropertyName !== relationship.property.name) file.set([...pathOf(reverse.node), 'reversePropertyName'], relationship.property.name);
    // Bidirectional needs a resourceCollection that lists the origin's type.
    const schema = context.schemaOf(relationship.property.owner.file.uri);
    const originPath = Schema.pathOf(relationship.property.owner);
    const collection = reverse.resourceCollection;
    if (schema && !collection) file.set([...pathOf(reverse.node), 'resourceCollection'], [collectionEntry(schema, relationship.property.owner)]);
    else if (schema && collection?.node.type === 'array' && !collection.entries.some((entry) => entry.path === originPath)) {
      file.insert(pathOf(collection.node), collection.node.items.length, collectionEntry(schema, relationship.property.owner));
    }
    return [builder.build(`Make ${reverse.property.owner.name}.${reverse.property.name} bidirectional, pointing back at \`${relationship.property.name}\``, true)];
  },

  'reverse-missing-back-path': (context) => {
    const relationship = context.relationship();
    const reverse = context.relationship(context.data.reverse as PropertyRef);
    const schema = relationship && context.schemaOf(relationship.property.owner.file.uri);
    if (!relationship || !reverse || !schema || reverse.resourceCollection?.node.type !== 'array') return [];
    const builder = context.builder();
    builder.file(reverse.property.owner.file.uri).insert(pathOf(reverse.resourceCollection.node), reverse.resourceCollection.node.items.length,
      collectionEntry(schema, relationship.property.owner));
    return [builder.build(`Add \`${Schema.pathOf(relationship.property.owner)}\` to ${reverse.property.owner.name}.${reverse.property.name}'s resourceCollection`, true)];
  },

  'notify-unidirectional': (context) => {
    const relationship = context.relationship();
    if (!relationship) return [];
    const key = context.string('key');
    const node = key === 'notifySelf' ? relationship.notifySelfNode : relationship.resourceCollection?.entries[context.number('entryIndex') ?? -1]?.notifyNode;
    const fixes: Array<QuickFix | undefined> = [...makeBidirectional(context, relationship, defaultReverseCardinality(relationship))];
    if (node) {
      const builder = context.builder();
      builder.file(relationship.property.owner.file.uri).remove(pathOf(node));
      fixes.push(builder.build(`Remove \`${key}\``));
    }
    return fixes;
  },

  'pair-wrong-path': (context) => {
    const repair = repairPath(context);
    if (!repair) return [];
    const { builder, relationship, right, target } = repair;
    return [builder.build(`Change the path to \`${right}\`, where ${target.name}.${relationship.reversePropertyName} points back`, true)];
  },

  'pair-wrong-partner': (context) => {
    const repair = repairPath(context);
    const rightName = context.string('rightName');
    if (!repair || !rightName || !repair.relationship.reversePropertyNameNode || repair.relationship.reversePropertyName !== context.string('name')) return [];
    const { builder, relationship, right, target } = repair;
    builder.file(relationship.property.owner.file.uri).set(pathOf(relationship.reversePropertyNameNode!), rightName);
    return [builder.build(`Change the path to \`${right}\` and \`reversePropertyName\` to \`${rightName}\`, which points back from ${target.name}`, true)];
  },

  'pair-wrong-reverse-name': (context) => {
    const relationship = context.relationship();
    const right = context.string('right');
    if (!relationship?.reversePropertyNameNode || !right || relationship.reversePropertyName !== context.string('wrong')) return [];
    const builder = context.builder();
    builder.file(relationship.property.owner.file.uri).set(pathOf(relationship.reversePropertyNameNode), right);
    const partner = context.data.partner as PropertyRef | undefined;
    return [builder.build(`Change \`reversePropertyName\` to \`${right}\`${partner ? `, which points back from ${partner.object}` : ''}`, true)];
  },

  'relationship-key-wrong-type': (context) => {
    const property = context.property();
    const valuePath = context.data.valuePath;
    const replacement = context.data.replacement;
    if (!property || !Array.isArray(valuePath) || replacement === undefined) return [];
    const file = property.owner.file;
    const node = nodeAt(file.root, valuePath as Array<string | number>);
    // Only the value the finding was about, as it was written then.
    if (!node || file.text.slice(node.offset, node.end) !== context.string('written')) return [];
    const builder = context.builder();
    builder.file(file.uri).set(valuePath as Array<string | number>, replacement);
    return [builder.build(`Write \`${JSON.stringify(replacement)}\``, true)];
  },

  'resource-collection-unknown': (context) => replacePath(context),
  'resource-collection-invalid-path': (context) => replacePath(context),

  'key-on-array-wrapper': (context) => {
    const relationship = context.relationship();
    const key = context.string('key');
    if (!relationship?.wrapper || !key) return [];
    const misplaced = relationship.wrapper.properties.find((p) => p.key === key);
    if (!misplaced?.value) return [];
    const builder = context.builder();
    const file = builder.file(relationship.property.owner.file.uri);
    if (context.data.inItems) {
      file.remove(pathOf(misplaced.value));
      return [builder.build(`Remove the ignored \`${key}\` from the array`, true)];
    }
    const value = toValue(misplaced.value);
    file.remove(pathOf(misplaced.value));
    file.set([...pathOf(relationship.node), key], value);
    return [builder.build(`Move \`${key}\` into \`items\``, true)];
  },

  'notify-relationships-on-items': (context) => {
    const property = context.property();
    const items = property?.node?.properties.find((p) => p.key === 'items')?.value;
    const misplaced = items?.type === 'object' ? items.properties.find((p) => p.key === 'notifyRelationships') : undefined;
    if (!property?.node || !misplaced?.value) return [];
    const names = new Set<string>();
    for (const entry of property.notifyRelationships?.entries ?? []) names.add(entry.value);
    const moved = toValue(misplaced.value);
    if (Array.isArray(moved)) for (const name of moved) if (typeof name === 'string') names.add(name);
    const builder = context.builder();
    const file = builder.file(property.owner.file.uri);
    file.remove(pathOf(misplaced.value));
    file.set([...pathOf(property.node), 'notifyRelationships'], [...names]);
    return [builder.build('Move `notifyRelationships` to the property', true)];
  },

  'notify-relationships-unknown': (context) => {
    const property = context.property();
    const entry = property?.notifyRelationships?.entries[context.number('entryIndex') ?? -1];
    if (!property || !entry) return [];
    const relationshipNames = property.owner.relationships.map((r) => r.property.name);
    const fixes = closestNames(entry.value, relationshipNames).map((name, i) => {
      const builder = context.builder();
      builder.file(property.owner.file.uri).set(pathOf(entry), name);
      return builder.build(`Change to \`${name}\``, i === 0);
    });
    fixes.push(removeAt(context, property.owner.file.uri, entry, `Remove \`${entry.value}\` from notifyRelationships`));
    return fixes;
  },

  'notify-relationships-not-relationship': (context) => {
    const property = context.property();
    const entry = property?.notifyRelationships?.entries[context.number('entryIndex') ?? -1];
    if (!property || !entry) return [];
    return [removeAt(context, property.owner.file.uri, entry, `Remove \`${entry.value}\` from notifyRelationships`, true)];
  },

  'query-fields-missing': (context) => {
    const relationship = context.relationship();
    const entry = relationship?.resourceCollection?.entries[context.number('entryIndex') ?? -1];
    const schema = relationship && context.schemaOf(relationship.property.owner.file.uri);
    if (!relationship || !entry || !schema) return [];
    const target = schema.resolve(entry.target);
    const fields = target.kind === 'object' ? displayFields(schema, target.object) : target.kind === 'internal' ? (target.name === 'role' ? ['name'] : ['_id']) : ['_id'];
    const builder = context.builder();
    const file = builder.file(relationship.property.owner.file.uri);
    if (entry.queryNode) file.set([...pathOf(entry.queryNode), 'fields'], fields);
    else file.set([...pathOf(entry.node), 'query'], { queryFilter: 'true', fields });
    return [builder.build(`Add \`query.fields\` (${fields.join(', ')})`, true)];
  },

  'query-field-unknown': (context) => {
    const relationship = context.relationship();
    const entry = relationship?.resourceCollection?.entries[context.number('entryIndex') ?? -1];
    const field = entry?.queryFields?.entries.find((f) => f.value === context.string('field'));
    if (!relationship || !field) return [];
    const uri = relationship.property.owner.file.uri;
    const fixes = context.strings('suggestions').map((name, i) => {
      const builder = context.builder();
      builder.file(uri).set(pathOf(field), name);
      return builder.build(`Change to \`${name}\``, i === 0);
    });
    fixes.push(removeAt(context, uri, field, `Remove \`${field.value}\` from query.fields`));
    return fixes;
  },

  'rdvp-not-virtual': (context) => {
    const property = context.property();
    if (!property?.node) return [];
    const builder = context.builder();
    builder.file(property.owner.file.uri).set([...pathOf(property.node), 'isVirtual'], true);
    return [builder.build('Mark the property `isVirtual: true`', true)];
  },
};

function removeAt(context: FixContext, uri: string, node: JsonNode, title: string, isPreferred = false): QuickFix | undefined {
  const builder = context.builder();
  builder.file(uri).remove(pathOf(node));
  return builder.build(title, isPreferred);
}

function replacePath(context: FixContext): Array<QuickFix | undefined> {
  const relationship = context.relationship();
  const entry = relationship?.resourceCollection?.entries[context.number('entryIndex') ?? -1];
  if (!relationship || !entry?.pathNode) return [];
  return context.strings('suggestions').map((name, i) => {
    const builder = context.builder();
    builder.file(relationship.property.owner.file.uri).set(pathOf(entry.pathNode!), `managed/${name}`);
    return builder.build(`Change to \`managed/${name}\``, i === 0);
  });
}

/** "Point reversePropertyName at the property that really points back." */
function pointAt(context: FixContext, relationship: RelationshipDef, names: string[]): Array<QuickFix | undefined> {
  if (!relationship.reversePropertyNameNode) return [];
  return names.map((name, i) => {
    const builder = context.builder();
    builder.file(relationship.property.owner.file.uri).set(pathOf(relationship.reversePropertyNameNode!), name);
    return builder.build(`Change \`reversePropertyName\` to \`${name}\`, which points back here`, i === 0);
  });
}

/** True when `relationship`'s own reverse exists and names it back: then it is half of another, valid pair. */
function claimIsPaired(context: FixContext, relationship: RelationshipDef): boolean {
  const schema = context.schemaOf(relationship.property.owner.file.uri);
  const name = relationship.reversePropertyName;
  if (!schema || !name) return false;
  return relationship.resourceCollection?.entries.some((entry) => {
    const other = schema.propertyOf(schema.resolve(entry.target), name)?.relationship;
    return other?.reversePropertyName === relationship.property.name;
  }) ?? false;
}

/** A singleton origin gets an array reverse (many-to-one); an array origin an array reverse (many-to-many). */
function defaultReverseCardinality(_relationship: RelationshipDef): Cardinality {
  return 'many';
}

function cardinalityLabel(origin: Cardinality, reverse: Cardinality): string {
  const from = origin === 'one' ? 'one' : 'many';
  const to = reverse === 'one' ? 'one' : 'many';
  // Read from the origin: `manager` (one) with reverse `reports` (many) is many-to-one.
  return `${to}-to-${from}`;
}

/** Makes a one-way relationship bidirectional and creates the reverse side where a target lacks it. */
function makeBidirectional(context: FixContext, relationship: RelationshipDef, cardinality: Cardinality): Array<QuickFix | undefined> {
  const schema = context.schemaOf(relationship.property.owner.file.uri);
  if (!schema) return [];
  const targets = (relationship.resourceCollection?.entries ?? [])
    .map((entry) => schema.resolve(entry.target))
    .flatMap((target) => (target.kind === 'object' ? [target.object] : []));
  if (!targets.length) return [];
  const existing = targets.flatMap((target) => target.properties.filter((p) => p.relationship?.reversePropertyName === relationship.property.name));
  const reverseName = relationship.reversePropertyName ?? existing[0]?.name ?? reverseNameFor(relationship, targets, cardinality);
  // A target whose property of that name cannot become the other side (not a relationship, already paired elsewhere
  // or without this type, one-way but pointing at other types too) would only trade this problem for another: offer
  // nothing rather than a broken pair.
  const originPath = Schema.pathOf(relationship.property.owner);
  const lists = (other: RelationshipDef) => other.resourceCollection?.entries.some((entry) => entry.path === originPath) ?? false;
  const conflicting = targets.some((target) => {
    if (!target.propertyMap.has(reverseName)) return false;
    const other = target.propertyMap.get(reverseName)!.relationship;
    if (!other) return true;
    if (other.bidirectional) return other.reversePropertyName !== relationship.property.name || !lists(other);
    // A one-way property that also points at other types would claim them too once bidirectional.
    const collection = other.resourceCollection;
    return !!collection && (collection.node.type !== 'array' || collection.entries.some((entry) => entry.path !== originPath));
  });
  if (conflicting) return [];
  const builder = context.builder();
  const file = builder.file(relationship.property.owner.file.uri);
  file.set([...pathOf(relationship.node), 'reverseRelationship'], true);
  file.set([...pathOf(relationship.node), 'reversePropertyName'], reverseName);
  for (const target of targets) {
    const reverse = target.propertyMap.get(reverseName);
    if (!reverse) addReverseProperty(builder, schema, relationship, target, reverseName, cardinality);
    else if (reverse.relationship && !reverse.relationship.bidirectional) {
      const other = reverse.relationship;
      builder.file(target.file.uri).set([...pathOf(other.node), 'reverseRelationship'], true);
      builder.file(target.file.uri).set([...pathOf(other.node), 'reversePropertyName'], relationship.property.name);
      // A bidirectional relationship needs a resourceCollection, and the other side's must list this type.
      if (!other.resourceCollection) builder.file(target.file.uri).set([...pathOf(other.node), 'resourceCollection'], [collectionEntry(schema, relationship.property.owner)]);
      else if (!lists(other) && other.resourceCollection.node.type === 'array') {
        builder.file(target.file.uri).insert(pathOf(other.resourceCollection.node), other.resourceCollection.node.items.length, collectionEntry(schema, relationship.property.owner));
      }
    }
  }
  const created = targets.some((t) => !t.propertyMap.has(reverseName));
  return [builder.build(
    `Make bidirectional with reverse \`${reverseName}\`` + (created ? ` (${cardinalityLabel(relationship.cardinality, cardinality)})` : ''),
    cardinality === 'many',
  )];
}

function reverseNameFor(relationship: RelationshipDef, targets: ObjectType[], cardinality: Cardinality): string {
  const owner = relationship.property.owner.name;
  const base = owner.includes('_') ? owner.slice(owner.indexOf('_') + 1) : owner;
  let name = cardinality === 'many' ? plural(base) : base;
  for (let i = 2; targets.some((t) => t.propertyMap.has(name)); i++) name = `${cardinality === 'many' ? plural(base) : base}${i}`;
  return name;
}

function plural(word: string): string {
  if (/[^aeiou]y$/.test(word)) return word.slice(0, -1) + 'ies';
  if (/(s|x|ch|sh)$/.test(word)) return word + 'es';
  return word + 's';
}

/** Adds `reverseName` to `target`, shaped like IDM's default pairs, and lists it in `schema.order`. */
function addReverseProperty(builder: FixBuilder, schema: Schema, origin: RelationshipDef, target: ObjectType, reverseName: string, cardinality: Cardinality): void {
  const node = {
    type: 'relationship',
    reverseRelationship: true,
    reversePropertyName: origin.property.name,
    validate: origin.validate,
    properties: {
      _ref: { type: 'string' },
      _refProperties: { type: 'object', properties: { _id: { type: 'string' } } },
    },
    resourceCollection: [collectionEntry(schema, origin.property.owner)],
  };
  const title = reverseName.replace(/^custom_/, '').replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());
  const definition = cardinality === 'one'
    ? { title, description: title, viewable: true, searchable: false, userEditable: false, ...node }
    : { title, description: title, viewable: true, searchable: false, userEditable: false, type: 'array', returnByDefault: false, items: { ...node, title: `${title} Items` } };
  const file = builder.file(target.file.uri);
  const propertiesPath = target.propertiesNode
    ? pathOf(target.propertiesNode)
    : target.kind === 'managed'
      ? [...(target.schemaNode ? pathOf(target.schemaNode) : [...pathOf(target.node), 'schema']), 'properties']
      : [...pathOf(target.node), 'properties'];
  file.set([...propertiesPath, reverseName], definition);
  if (target.orderNode) file.insert(pathOf(target.orderNode), target.orderNode.items.length, reverseName);
}

/** A `resourceCollection` entry for `object`, with the display fields other relationships already use for it. */
function collectionEntry(schema: Schema, object: ObjectType): Record<string, unknown> {
  return {
    path: Schema.pathOf(object),
    label: object.title ?? object.name,
    query: { queryFilter: 'true', fields: displayFields(schema, object) },
  };
}

function displayFields(schema: Schema, object: ObjectType): string[] {
  const path = Schema.pathOf(object);
  for (const relationship of schema.relationships) {
    for (const entry of relationship.resourceCollection?.entries ?? []) {
      // Reuse what other relationships show for this type, minus fields it does not have.
      const fields = entry.path === path ? entry.queryFields?.entries.map((f) => f.value).filter((f) => f.startsWith('_') || object.propertyMap.has(firstSegment(f))) : undefined;
      if (fields?.length) return fields;
    }
  }
  const order = object.orderNode?.items.flatMap((i) => (i.type === 'string' ? [i.value] : [])) ?? object.properties.map((p) => p.name);
  const plain = order.filter((name) => {
    const property = object.propertyMap.get(name);
    return property && !property.relationship && !property.isVirtual && !name.startsWith('_') && (property.type === 'string' || property.type === undefined);
  });
  return plain.slice(0, 3).length ? plain.slice(0, 3) : ['_id'];
}
