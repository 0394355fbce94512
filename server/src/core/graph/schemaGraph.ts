/**
 * The schema view: object types as nodes, relationship pairs as edges.
 *
 * A bidirectional pair is ONE edge whose two ends are the two properties. Pairing runs in passes so that a
 * half-broken pair is still drawn once:
 * 1. proper pairs: `A.p` names `q` and lists `B`, `B.q` is bidirectional, names `p` and lists `A`;
 * 2. bidirectional claims that did not pair: `A.p` -> `B` drawn two-way with `q` as the far end (the checker's
 *    findings then mark it broken). It absorbs `B.q`'s entry for `A` when `B.q` has no better partner (it is
 *    one-way, or it names `p` back), so an IDM 4.0-style half-declared pair is not drawn twice;
 * 3. what is left is one-way: an arrow with no back label.
 * A polymorphic relationship (several `resourceCollection` entries) gives one edge per target.
 */
import type { Finding } from '../diagnostics/finding';
import { BUILTIN_INTERNAL_OBJECTS, isInternalName } from '../model/internalObjects';
import { Schema } from '../model/schema';
import type { ObjectType, RelationshipDef, ResourceCollectionEntry } from '../model/types';
import { checkSchema, type CheckSettings } from '../rules/index';
import { attachProblems, type EdgeUse } from './problems';
import type { EdgeEnd, GraphLocation, SchemaEdge, SchemaGraph, SchemaNode } from '../../protocol/graph';

export interface SchemaGraphOptions {
  /** Findings of `checkSchema(schema)`; computed with `settings` when absent. */
  findings?: Map<string, Finding[]>;
  settings?: CheckSettings;
}

/** `managed/user`; `internal/role` for internal.json overlays. */
export function nodeIdOf(object: ObjectType): string {
  return Schema.pathOf(object);
}

/** The node a `resourceCollection` entry points at; undefined when it has no path. */
export function targetIdOf(entry: ResourceCollectionEntry): string | undefined {
  if (entry.path === undefined) return undefined;
  switch (entry.target.kind) {
    case 'managed': return `managed/${entry.target.name}`;
    case 'internal': return `internal/${entry.target.name}`;
    default: return `invalid:${entry.path}`;
  }
}

export function buildSchemaGraph(schema: Schema, options: SchemaGraphOptions = {}): SchemaGraph {
  const findings = options.findings ?? checkSchema(schema, options.settings);
  return new SchemaGraphBuilder(schema).build(findings);
}

function locationOfProperty(relationship: RelationshipDef): GraphLocation {
  const entry = relationship.property.entry;
  return {
    uri: relationship.property.owner.file.uri,
    range: { start: entry.keyOffset, end: entry.keyEnd },
    span: { start: entry.keyOffset, end: entry.value?.end ?? entry.keyEnd },
  };
}

function endOf(relationship: RelationshipDef, entry: ResourceCollectionEntry | undefined): EdgeEnd {
  return {
    property: relationship.property.name,
    cardinality: relationship.cardinality,
    notifySelf: relationship.notifySelf,
    notify: entry?.notify ?? false,
    notifyRelationships: relationship.property.notifyRelationships?.entries.map((e) => e.value) ?? [],
    declared: true,
    location: locationOfProperty(relationship),
  };
}

/** A relationship and one of its entries: the unit pairing works on. */
interface Side {
  relationship: RelationshipDef;
  entryIndex: number;
  entry: ResourceCollectionEntry;
  sourceId: string;
  targetId: string;
}

class SchemaGraphBuilder {
  private readonly nodes = new Map<string, SchemaNode>();
  private readonly edges: SchemaEdge[] = [];
  private readonly uses: EdgeUse[] = [];
  private readonly consumed = new Set<string>();
  private readonly edgeIds = new Set<string>();

  constructor(private readonly schema: Schema) {}

  build(findings: Map<string, Finding[]>): SchemaGraph {
    const sides = this.collectSides();
    const byKey = new Map(sides.map((side) => [sideKey(side.relationship, side.entryIndex), side]));

    for (const side of sides) this.pairProperly(side);
    for (const side of sides) if (side.relationship.bidirectional) this.claim(side, byKey);
    for (const side of sides) if (!this.consumed.has(sideKey(side.relationship, side.entryIndex))) this.oneWay(side);

    const nodes = [...this.nodes.values()];
    attachProblems(this.schema, findings, nodes, this.uses);
    return { view: 'schema', root: this.schema.root, nodes, edges: this.edges };
  }

  /** Nodes for every defined type, and a side for every relationship entry that names a target. */
  private collectSides(): Side[] {
    for (const object of this.schema.objectTypes) this.addObjectNode(object);
    const sides: Side[] = [];
    for (const relationship of this.schema.relationships) {
      const owner = relationship.property.owner;
      // A duplicated type (duplicate-object-name) is drawn once, from the definition IDM keeps first.
      if (!this.isPrimary(owner)) continue;
      const sourceId = nodeIdOf(owner);
      if (owner.kind === 'internal') this.addInternalNode(owner.name);
      relationship.resourceCollection?.entries.forEach((entry, entryIndex) => {
        const targetId = this.ensureTargetNode(entry, owner.file.uri);
        if (targetId) sides.push({ relationship, entryIndex, entry, sourceId, targetId });
      });
    }
    return sides;
  }

  private isPrimary(object: ObjectType): boolean {
    const map = object.kind === 'managed' ? this.schema.managed : this.schema.internal;
    return map.get(object.name)?.[0] === object;
  }

  private addObjectNode(object: ObjectType): void {
    const id = nodeIdOf(object);
    if (this.nodes.has(id)) return;
    const anchor = object.nameNode ?? object.node;
    this.nodes.set(id, {
      id,
      kind: 'managed',
      name: object.name,
      title: object.title,
      relationshipCount: object.relationships.length,
      location: {
        uri: object.file.uri,
        range: { start: anchor.offset, end: object.nameNode ? anchor.end : anchor.offset + 1 },
        span: { start: object.node.offset, end: object.node.end },
      },
      problems: [],
    });
  }

  private addInternalNode(name: string): string {
    const id = `internal/${name}`;
    if (this.nodes.has(id)) return id;
    const overlay = this.schema.internal.get(name)?.[0];
    const builtin = isInternalName(name) ? Object.keys(BUILTIN_INTERNAL_OBJECTS[name].relationships) : [];
    const names = new Set([...builtin, ...(overlay?.relationships.map((r) => r.property.name) ?? [])]);
    const anchor = overlay && (overlay.nameNode ?? overlay.node);
    this.nodes.set(id, {
      id,
      kind: 'internal',
      name,
      title: overlay?.title ?? `Internal ${name}`,
      relationshipCount: names.size,
      location: overlay && anchor ? {
        uri: overlay.file.uri,
        range: { start: anchor.offset, end: overlay.nameNode ? anchor.end : anchor.offset + 1 },
        span: { start: overlay.node.offset, end: overlay.node.end },
      } : undefined,
      problems: [],
    });
    return id;
  }

  private ensureTargetNode(entry: ResourceCollectionEntry, uri: string): string | undefined {
    const id = targetIdOf(entry);
    if (!id) return undefined;
    if (entry.target.kind === 'internal') return this.addInternalNode(entry.target.name);
    if (!this.nodes.has(id)) {
      const pathNode = entry.pathNode ?? entry.node;
      this.nodes.set(id, {
        id,
        kind: 'missing',
        name: entry.target.kind === 'managed' ? entry.target.name : entry.path!,
        relationshipCount: 0,
        location: { uri, range: { start: pathNode.offset, end: pathNode.end }, span: { start: entry.node.offset, end: entry.node.end } },
        problems: [],
      });
    }
    return id;
  }

  /** Pass 1: both sides name each other and list each other's type. */
  private pairProperly(side: Side): void {
    const key = sideKey(side.relationship, side.entryIndex);
    if (this.consumed.has(key) || !side.relationship.bidirectional) return;
    const reverse = this.reverseOf(side);
    if (!reverse?.relationship.bidirectional || reverse.relationship.reversePropertyName !== side.relationship.property.name) return;
    if (reverse.entryIndex < 0) return;
    const reverseKey = sideKey(reverse.relationship, reverse.entryIndex);
    if (this.consumed.has(reverseKey) && reverseKey !== key) return;
    const reverseEntry = reverse.relationship.resourceCollection!.entries[reverse.entryIndex];
    this.addEdge(side, endOf(reverse.relationship, reverseEntry), `${side.sourceId}.${side.relationship.property.name}<->${side.targetId}.${reverse.relationship.property.name}`);
    this.use(reverse.relationship, reverse.entryIndex, 'target');
    this.consumed.add(key);
    this.consumed.add(reverseKey);
  }

  /** Pass 2: a bidirectional side without a proper partner, drawn two-way with the reverse it claims. */
  private claim(side: Side, byKey: Map<string, Side>): void {
    const key = sideKey(side.relationship, side.entryIndex);
    if (this.consumed.has(key)) return;
    this.consumed.add(key);
    const relationship = side.relationship;
    const reverseName = relationship.reversePropertyName;
    const reverse = this.reverseOf(side);
    let targetEnd: EdgeEnd;
    let reverseUse: { relationship: RelationshipDef; entryIndex: number } | undefined;
    if (reverse) {
      const reverseEntry = reverse.entryIndex >= 0 ? reverse.relationship.resourceCollection!.entries[reverse.entryIndex] : undefined;
      targetEnd = endOf(reverse.relationship, reverseEntry);
      const reverseKey = reverse.entryIndex >= 0 ? sideKey(reverse.relationship, reverse.entryIndex) : undefined;
      const noBetterPartner = !reverse.relationship.bidirectional || reverse.relationship.reversePropertyName === relationship.property.name;
      if (reverseKey && byKey.has(reverseKey) && !this.consumed.has(reverseKey) && noBetterPartner) {
        this.consumed.add(reverseKey);
        reverseUse = reverse;
      } else {
        // The far property is drawn by its own edge; findings on its definition as a whole still concern this pair.
        reverseUse = { relationship: reverse.relationship, entryIndex: -1 };
      }
    } else {
      targetEnd = this.undeclaredEnd(side, reverseName);
    }
    this.addEdge(side, targetEnd, `${side.sourceId}.${relationship.property.name}->${side.targetId}.${reverseName ?? ''}`);
    if (reverseUse) this.use(reverseUse.relationship, reverseUse.entryIndex, 'target');
  }

  /** The far end when no relationship property backs it: built into IDM, not a relationship, or absent. */
  private undeclaredEnd(side: Side, reverseName: string | undefined): EdgeEnd {
    const end: EdgeEnd = { property: reverseName ?? '?', cardinality: 'many', notifySelf: false, notify: false, notifyRelationships: [], declared: false };
    if (!reverseName) return end;
    const target = this.schema.resolve(side.entry.target);
    if (target.kind === 'internal') {
      const builtin = BUILTIN_INTERNAL_OBJECTS[target.name].relationships[reverseName];
      if (builtin) return { ...end, cardinality: builtin.cardinality };
    }
    const property = this.schema.propertyOf(target, reverseName);
    if (property) {
      // Declared but not a relationship: point at it so a click shows what is there instead.
      const isArray = property.type === 'array' || (Array.isArray(property.type) && property.type.includes('array'));
      return {
        ...end,
        cardinality: isArray ? 'many' : 'one',
        declared: true,
        location: {
          uri: property.owner.file.uri,
          range: { start: property.entry.keyOffset, end: property.entry.keyEnd },
          span: { start: property.entry.keyOffset, end: property.entry.value?.end ?? property.entry.keyEnd },
        },
      };
    }
    return end;
  }

  private oneWay(side: Side): void {
    this.consumed.add(sideKey(side.relationship, side.entryIndex));
    this.addEdge(side, undefined, `${side.sourceId}.${side.relationship.property.name}->${side.targetId}`);
  }

  /** The property the side names as its reverse on its target, with the index of its entry back to the side's owner. */
  private reverseOf(side: Side): { relationship: RelationshipDef; entryIndex: number } | undefined {
    const reverseName = side.relationship.reversePropertyName;
    if (!reverseName) return undefined;
    const target = this.schema.resolve(side.entry.target);
    const property = this.schema.propertyOf(target, reverseName);
    const relationship = property?.relationship;
    if (!relationship || !this.isPrimary(relationship.property.owner)) return undefined;
    const ownerId = side.sourceId;
    const entryIndex = relationship.resourceCollection?.entries.findIndex((entry) => targetIdOf(entry) === ownerId) ?? -1;
    return { relationship, entryIndex };
  }

  private addEdge(side: Side, targetEnd: EdgeEnd | undefined, baseId: string): void {
    let id = baseId;
    for (let n = 2; this.edgeIds.has(id); n++) id = `${baseId}#${n}`;
    this.edgeIds.add(id);
    const entries = side.relationship.resourceCollection?.entries ?? [];
    const edge: SchemaEdge = {
      id,
      source: side.sourceId,
      target: side.targetId,
      direction: targetEnd ? 'two-way' : 'one-way',
      sourceEnd: endOf(side.relationship, side.entry),
      targetEnd,
      polymorphic: entries.filter((entry) => entry.path !== undefined).length > 1,
      broken: false,
      problems: [],
    };
    this.edges.push(edge);
    this.use(side.relationship, side.entryIndex, 'source');
  }

  private use(relationship: RelationshipDef, entryIndex: number, end: 'source' | 'target'): void {
    this.uses.push({ relationship, entryIndex, end, edge: this.edges[this.edges.length - 1] });
  }
}

function sideKey(relationship: RelationshipDef, entryIndex: number): string {
  const property = relationship.property;
  return `${property.owner.kind}/${property.owner.name}.${property.name}#${entryIndex}`;
}
