/**
 * The pairing model: for every bidirectional relationship, which property on which type is its real partner, judged
 * from all the evidence at once rather than one side at a time: the reverse name each side writes, the paths each side
 * lists, and which property points back (names this one as its reverse and lists this type).
 *
 * When that evidence says exactly one key is wrong, the key is the cause, reported once on its value:
 * - `pair-wrong-path`: a `resourceCollection` path that points away from the partner. `user.manager` naming `reports`
 *   but listing `managed/role`, while `user.reports` on `user` names `manager` back and lists `managed/user`: the path
 *   was copied from `roles` (a ForgeRock sample shipped this). Also a type renamed without its paths, and the one stale
 *   target of a polymorphic relationship.
 * - `pair-wrong-reverse-name`: a `reversePropertyName` that names the wrong property while the target has exactly
 *   one property that points back (a name copied from a neighbour, or a pair renamed on one side only).
 * - `pair-wrong-partner`: both keys copied together from a neighbour: the path and the reverse name point at a type
 *   with nothing pointing back, while exactly one property elsewhere names this one back and lists its type.
 * The symptoms each side would show (`reverse-property-missing`, `reverse-name-mismatch`, `reverse-missing-back-path`,
 * `resource-collection-unknown`, ...) are folded into the cause as related information, so repairing the one key
 * clears them all. Anything less clear-cut (two wrong entries, two candidate partners, a partner that is itself half of
 * another cause) is left to the per-side rules, whose findings stay as they were.
 */
import type { Finding } from '../diagnostics/finding';
import { Schema } from '../model/schema';
import type { ObjectType, PropertyDef, RelationshipDef, ResourceCollectionEntry } from '../model/types';
import { displayName, keyRangeOf, rangeOf, refOf, relatedAt, type RuleContext } from './context';
import { propertiesPointingBack } from './reversePair';

/** The key (or, for `partner`, the two keys) that breaks an otherwise consistent pair. */
export interface PairCause {
  /** `partner`: both the path and the reverse name point away from the partner (the two copied together). */
  key: 'path' | 'reversePropertyName' | 'partner';
  /** The relationship whose key is wrong. */
  relationship: RelationshipDef;
  /** Its real partners (one per target for a polymorphic relationship). */
  partners: PropertyDef[];
  /** For `partner`: the reverse name it should write (`right` is then the path). */
  rightName?: string;
  /** For `path` and `partner`: the entry whose path is wrong. */
  entry?: ResourceCollectionEntry;
  entryIndex?: number;
  wrong: string;
  right: string;
  /** The cause's finding, once reported. */
  finding?: Finding;
}

/** How a relationship's claim on one of its targets stands. */
type Claim = 'ok' | 'broken' | 'missing-type' | 'unjudged';

export class Pairing {
  private readonly causes = new Map<RelationshipDef, PairCause>();

  constructor(causes: PairCause[]) {
    for (const cause of causes) this.causes.set(cause.relationship, cause);
  }

  get all(): PairCause[] {
    return [...this.causes.values()];
  }

  /**
   * The cause finding a reverse-pair finding of `origin` (about `entry`, whose reverse side is `reverse`) follows from:
   * the origin's own broken claim, or the partner's complaint about the relationship whose key is wrong.
   */
  explainsPair(origin: RelationshipDef, entry: ResourceCollectionEntry | undefined, reverse: PropertyDef | undefined): Finding | undefined {
    const own = this.causes.get(origin);
    if (own?.finding && (own.key !== 'path' || (entry !== undefined && entry === own.entry))) return own.finding;
    const other = reverse?.relationship && this.causes.get(reverse.relationship);
    if (other?.finding && other.partners.includes(origin.property)) return other.finding;
    return undefined;
  }

  /** The cause finding a finding on one `resourceCollection` entry follows from (its path is the wrong key). */
  explainsEntry(origin: RelationshipDef, entry: ResourceCollectionEntry): Finding | undefined {
    const own = this.causes.get(origin);
    return own?.finding && own.key !== 'reversePropertyName' && own.entry === entry ? own.finding : undefined;
  }
}

/** Builds the pairing model of the schema and reports each cause it finds. Runs before the per-side rules. */
export function checkPairCauses(context: RuleContext): void {
  const codeOf = { path: 'pair-wrong-path', reversePropertyName: 'pair-wrong-reverse-name', partner: 'pair-wrong-partner' } as const;
  const off = (code: (typeof codeOf)[PairCause['key']]) => context.severityOf(code) === 'off';
  const allOff = Object.values(codeOf).every(off);
  const causes = allOff ? [] : findCauses(context.schema).filter((cause) => !off(codeOf[cause.key]));
  context.pairing = new Pairing(causes);
  for (const cause of causes) reportCause(context, cause);
}

function findCauses(schema: Schema): PairCause[] {
  const found: PairCause[] = [];
  let backIndex: Map<string, PropertyDef[]> | undefined;
  let namingIndex: Map<string, RelationshipDef[]> | undefined;
  for (const relationship of schema.relationships) {
    const property = relationship.property;
    if (property.owner.kind !== 'managed' || !relationship.bidirectional || !relationship.reversePropertyName) continue;
    if (schema.getObject(property.owner.name) !== property.owner) continue; // a duplicate definition: its own finding
    const entries = relationship.resourceCollection?.entries ?? [];
    const claims = entries.map((entry) => claimOn(schema, relationship, entry));
    if (!claims.some((claim) => claim === 'broken' || claim === 'missing-type')) continue;
    backIndex ??= pointingBackEverywhere(schema);
    const cause = pathCause(schema, relationship, claims, backIndex) ?? reverseNameCause(schema, relationship, claims)
      ?? partnerCause(schema, relationship, claims, namingIndex ??= bidirectionalByReverseName(schema));
    if (cause) found.push(cause);
  }
  // Two causes that involve each other (one's partner is the other's broken side, or both claim one partner) are two
  // stories for the same properties, each repaired by one key: the evidence does not say which, so neither is named.
  const partnerCount = new Map<PropertyDef, number>();
  for (const cause of found) for (const partner of cause.partners) partnerCount.set(partner, (partnerCount.get(partner) ?? 0) + 1);
  const broken = new Map(found.map((cause) => [cause.relationship.property, cause]));
  const conflicting = new Set<PairCause>();
  for (const cause of found) {
    for (const partner of cause.partners) {
      if (partnerCount.get(partner)! > 1) conflicting.add(cause);
      const other = broken.get(partner);
      if (other) conflicting.add(cause).add(other);
    }
  }
  return found.filter((cause) => !conflicting.has(cause));
}

function claimOn(schema: Schema, relationship: RelationshipDef, entry: ResourceCollectionEntry): Claim {
  const target = schema.resolve(entry.target);
  // A type missing from per-object files may live in a file we were not given.
  if (target.kind === 'missing') return schema.complete ? 'missing-type' : 'unjudged';
  // Internal objects have a built-in schema, invalid paths their own finding.
  if (target.kind !== 'object') return 'unjudged';
  const reverse = target.object.propertyMap.get(relationship.reversePropertyName!)?.relationship;
  if (!reverse) return 'broken';
  // A one-way reverse, or one that names us but lacks our path: each has its own repair.
  if (!reverse.bidirectional) return 'unjudged';
  if (reverse.reversePropertyName !== relationship.property.name) return 'broken';
  return 'ok';
}

/** Every bidirectional managed relationship by (its name, the reverse name it writes, a path it lists). */
function pointingBackEverywhere(schema: Schema): Map<string, PropertyDef[]> {
  const index = new Map<string, PropertyDef[]>();
  for (const relationship of schema.relationships) {
    const property = relationship.property;
    if (property.owner.kind !== 'managed' || !relationship.bidirectional || relationship.reversePropertyName === undefined) continue;
    if (schema.getObject(property.owner.name) !== property.owner || property.owner.propertyMap.get(property.name) !== property) continue;
    for (const entry of relationship.resourceCollection?.entries ?? []) {
      if (entry.path === undefined) continue;
      const key = backKey(property.name, relationship.reversePropertyName, entry.path);
      const list = index.get(key);
      if (!list) index.set(key, [property]);
      else if (!list.includes(property)) list.push(property);
    }
  }
  return index;
}

function backKey(name: string, reverseName: string, path: string): string {
  return `${name}\u0000${reverseName}\u0000${path}`;
}

/**
 * One entry's target lacks the pair, and exactly one type this relationship does not list has the property it names,
 * pointing back at it and listing its type: the entry's path should name that type.
 */
function pathCause(schema: Schema, relationship: RelationshipDef, claims: Claim[], backIndex: Map<string, PropertyDef[]>): PairCause | undefined {
  const wrong = claims.flatMap((claim, index) => (claim === 'broken' || claim === 'missing-type' ? [index] : []));
  if (wrong.length !== 1) return undefined;
  const entries = relationship.resourceCollection!.entries;
  const entry = entries[wrong[0]];
  if (entry.path === undefined || !entry.pathNode) return undefined;
  const owner = relationship.property.owner;
  const listed = new Set(entries.map((e) => e.path));
  const candidates = (backIndex.get(backKey(relationship.reversePropertyName!, relationship.property.name, Schema.pathOf(owner))) ?? [])
    .filter((candidate) => !listed.has(Schema.pathOf(candidate.owner)));
  if (candidates.length !== 1) return undefined;
  const [partner] = candidates;
  return { key: 'path', relationship, partners: [partner], entry, entryIndex: wrong[0], wrong: entry.path, right: Schema.pathOf(partner.owner) };
}

/**
 * The name fails on every target, and each target has one and the same other property that points back at this
 * relationship and lists its type: `reversePropertyName` should name that property.
 */
function reverseNameCause(schema: Schema, relationship: RelationshipDef, claims: Claim[]): PairCause | undefined {
  if (claims.some((claim) => claim === 'missing-type' || claim === 'ok')) return undefined;
  const entries = relationship.resourceCollection!.entries;
  const partners: PropertyDef[] = [];
  let right: string | undefined;
  for (let index = 0; index < entries.length; index++) {
    if (claims[index] !== 'broken') continue;
    const target = schema.resolve(entries[index].target);
    const pointing = propertiesPointingBack(schema, relationship, target)
      .filter((p) => p.name !== relationship.reversePropertyName && p.relationship?.bidirectional && p.owner.propertyMap.get(p.name) === p);
    if (pointing.length !== 1 || (right !== undefined && pointing[0].name !== right)) return undefined;
    right = pointing[0].name;
    if (!partners.includes(pointing[0])) partners.push(pointing[0]);
  }
  if (right === undefined || !relationship.reversePropertyNameNode) return undefined;
  return { key: 'reversePropertyName', relationship, partners, wrong: relationship.reversePropertyName!, right };
}

/**
 * Both keys point away, copied together from a neighbour (openmdm's `group.groupSector`, copied from `groupDepartment`,
 * lists `managed/department` and names `emailLists`): the one target it lists has nothing that points back, and exactly
 * one property in the whole configuration, on a type it does not list, names it as its reverse and lists its type.
 * That property is its partner: the path should name the partner's type and the reverse name the partner.
 */
/**
 * Bidirectional relationships of managed objects by the reverse name they write: built once per check, so that looking
 * for the property that names a broken one back costs a lookup, not a walk of every relationship (quadratic on a type
 * with thousands of them).
 */
function bidirectionalByReverseName(schema: Schema): Map<string, RelationshipDef[]> {
  const index = new Map<string, RelationshipDef[]>();
  for (const other of schema.relationships) {
    if (other.property.owner.kind !== 'managed' || !other.bidirectional || other.reversePropertyName === undefined) continue;
    const list = index.get(other.reversePropertyName);
    if (list) list.push(other);
    else index.set(other.reversePropertyName, [other]);
  }
  return index;
}

function partnerCause(schema: Schema, relationship: RelationshipDef, claims: Claim[], namingIndex: Map<string, RelationshipDef[]>): PairCause | undefined {
  const entries = relationship.resourceCollection!.entries;
  if (entries.length !== 1 || claims[0] !== 'broken') return undefined;
  const [entry] = entries;
  if (entry.path === undefined || !entry.pathNode || !relationship.reversePropertyNameNode) return undefined;
  const target = schema.resolve(entry.target);
  if (propertiesPointingBack(schema, relationship, target).length > 0) return undefined;
  const property = relationship.property;
  const ownerPath = Schema.pathOf(property.owner);
  const candidates: PropertyDef[] = [];
  for (const other of namingIndex.get(property.name) ?? []) {
    const candidate = other.property;
    if (other === relationship) continue;
    if (schema.getObject(candidate.owner.name) !== candidate.owner || candidate.owner.propertyMap.get(candidate.name) !== candidate) continue;
    if (Schema.pathOf(candidate.owner) === entry.path || !other.resourceCollection?.entries.some((e) => e.path === ownerPath)) continue;
    candidates.push(candidate);
  }
  if (candidates.length !== 1) return undefined;
  const [partner] = candidates;
  return {
    key: 'partner', relationship, partners: [partner], entry, entryIndex: 0,
    wrong: entry.path, right: Schema.pathOf(partner.owner), rightName: partner.name,
  };
}

function reportCause(context: RuleContext, cause: PairCause): void {
  const { schema } = context;
  const relationship = cause.relationship;
  const property = relationship.property;
  const owner = property.owner;
  const [partner] = cause.partners;
  const related = [relatedAt(partner.owner.file, keyRangeOf(partner.entry),
    `${displayName(partner)} names \`${property.name}\` as its reverse and lists \`${Schema.pathOf(owner)}\`: it is the partner`)];
  const data = {
    origin: refOf(property),
    partner: refOf(partner),
    target: { uri: partner.owner.file.uri, object: partner.owner.name, kind: partner.owner.kind },
    key: cause.key,
    wrong: cause.wrong,
    right: cause.right,
  };
  if (cause.key === 'partner') {
    const entry = cause.entry!;
    const wrongName = relationship.reversePropertyName!;
    const wrongTarget = schema.resolve(entry.target);
    const neighbour = owner.relationships.find((other) => other !== relationship && other.reversePropertyName === wrongName &&
      !!other.resourceCollection?.entries.some((e) => e.path === cause.wrong));
    const targetName = wrongTarget.kind === 'object' ? wrongTarget.object.name : cause.wrong;
    related.push(relatedAt(owner.file, rangeOf(relationship.reversePropertyNameNode!), `${displayName(property)} names \`${wrongName}\`, which ${targetName} has nowhere pointing back`));
    if (neighbour) related.push(relatedAt(owner.file, keyRangeOf(neighbour.property.entry), `${displayName(neighbour.property)} lists \`${cause.wrong}\` and names \`${wrongName}\` too`));
    cause.finding = context.report('pair-wrong-partner', owner.file, rangeOf(entry.pathNode!),
      `${displayName(property)} points at \`${cause.wrong}\` and names \`${wrongName}\`, but nothing on ${targetName} points back, while its partner ${displayName(partner)} ` +
      `is on \`${partner.owner.name}\` and points back at \`${property.name}\`: ` +
      `${neighbour ? `both keys were probably copied from \`${neighbour.property.name}\`` : 'both keys point away from it'}. ` +
      `Change the path to \`${cause.right}\` and \`reversePropertyName\` to \`${cause.rightName}\`.`,
      { related, data: { ...data, entryIndex: cause.entryIndex, path: cause.wrong, name: wrongName, rightName: cause.rightName } });
    return;
  }
  if (cause.key === 'path') {
    const entry = cause.entry!;
    const wrongTarget = schema.resolve(entry.target);
    const neighbour = owner.relationships.find((other) => other !== relationship && other.resourceCollection?.entries.some((e) => e.path === cause.wrong));
    const others = relationship.resourceCollection!.entries.filter((e) => e !== entry);
    let why: string;
    if (wrongTarget.kind === 'missing') why = `there is no type \`${wrongTarget.name}\`: it was probably renamed to \`${partner.owner.name}\` without its paths`;
    else if (neighbour) why = `the path was probably copied from \`${neighbour.property.name}\``;
    else if (others.length) why = `\`${cause.wrong}\` is probably a stale target of this polymorphic relationship`;
    else why = `\`${cause.wrong}\` has no \`${relationship.reversePropertyName}\` that pairs with it`;
    if (neighbour) related.push(relatedAt(owner.file, keyRangeOf(neighbour.property.entry), `${displayName(neighbour.property)} lists \`${cause.wrong}\``));
    cause.finding = context.report('pair-wrong-path', owner.file, rangeOf(entry.pathNode!),
      `${displayName(property)} points at \`${cause.wrong}\`, but its partner ${displayName(partner)} is on \`${partner.owner.name}\` and points back at \`${property.name}\`: ` +
      `${why}. Change the path to \`${cause.right}\`.`,
      { related, data: { ...data, entryIndex: cause.entryIndex, path: cause.wrong } });
    return;
  }
  const wrongName = cause.wrong;
  const neighbour = owner.relationships.find((other) => other !== relationship && other.reversePropertyName === wrongName && other.bidirectional);
  const targets: ObjectType[] = cause.partners.map((p) => p.owner);
  const claimed = targets.map((target) => target.propertyMap.get(wrongName)).find((p) => p);
  let why: string;
  if (neighbour) why = `the name was probably copied from \`${neighbour.property.name}\``;
  else if (!claimed && !owner.propertyMap.has(wrongName)) why = `${targets[0].name} has no \`${wrongName}\`: the pair was probably renamed on one side only`;
  else if (!claimed) why = `${targets[0].name} has no \`${wrongName}\``;
  else if (!claimed.relationship) why = `${displayName(claimed)} is not a relationship`;
  else why = `${displayName(claimed)} pairs with \`${claimed.relationship.reversePropertyName ?? '?'}\`, not with it`;
  if (neighbour) related.push(relatedAt(owner.file, keyRangeOf(neighbour.property.entry), `${displayName(neighbour.property)} also names \`${wrongName}\``));
  cause.finding = context.report('pair-wrong-reverse-name', owner.file, rangeOf(relationship.reversePropertyNameNode!),
    `${displayName(property)} names \`${wrongName}\` as its reverse, but its partner ${displayName(partner)} points back at \`${property.name}\` and lists \`${Schema.pathOf(owner)}\`: ` +
    `${why}. Change \`reversePropertyName\` to \`${cause.right}\`.`,
    { related, data: { ...data, name: wrongName } });
}
