/**
 * Bidirectional pairs: `A.p` with `reverseRelationship: true, reversePropertyName: "q"` pointing at `managed/B`
 * needs `B.q` to be a relationship, bidirectional, naming `p` back and listing `managed/A`
 * (OpenIDM `RelationshipProvider.formatResponseNoException`; `ManagedObjectSchema` does not check the reverse side at load time). IDM checks none of this at load time, which is why broken pairs
 * reach production. Each finding sits on the side that makes the claim (the origin) and points at the other.
 */
import type { JsonNode } from '../json/ast';
import { Schema, type ResolvedTarget } from '../model/schema';
import { BUILTIN_INTERNAL_OBJECTS, isInternalName } from '../model/internalObjects';
import type { PropertyDef, RelationshipDef, ResourceCollectionEntry } from '../model/types';
import { displayName, keyRangeOf, objectAnchor, rangeOf, refOf, relatedAt, type RuleContext } from './context';

export function checkReversePairs(context: RuleContext): void {
  for (const relationship of context.schema.relationships) {
    // internal.json overlays only add entries to a built-in pair; their own reverse side is checked from managed types.
    if (relationship.property.owner.kind !== 'managed' || !relationship.bidirectional) continue;
    checkPair(context, relationship);
  }
}

/** Properties on `target` that point back at `origin` by name and list its type. */
export function propertiesPointingBack(schema: Schema, origin: RelationshipDef, target: ResolvedTarget): PropertyDef[] {
  const properties = target.kind === 'object' ? target.object.properties : target.kind === 'internal' ? target.overlay?.properties ?? [] : [];
  return pointingBackIndex(properties).get(pointingBackKey(origin.property.name, Schema.pathOf(origin.property.owner))) ?? [];
}

/**
 * A type's relationships by the (reverse name, listed path) pairs they point back with, built once per type: scanning
 * every property of the target for every origin is quadratic on a type with thousands of relationships.
 */
const pointingBackIndexes = new WeakMap<readonly PropertyDef[], Map<string, PropertyDef[]>>();

function pointingBackKey(reverseName: string, path: string): string {
  return `${reverseName}\u0000${path}`;
}

function pointingBackIndex(properties: readonly PropertyDef[]): Map<string, PropertyDef[]> {
  let index = pointingBackIndexes.get(properties);
  if (index) return index;
  index = new Map();
  for (const candidate of properties) {
    const rel = candidate.relationship;
    if (!rel || rel.reversePropertyName === undefined) continue;
    for (const entry of rel.resourceCollection?.entries ?? []) {
      if (entry.path === undefined) continue;
      const key = pointingBackKey(rel.reversePropertyName, entry.path);
      const list = index.get(key);
      if (!list) index.set(key, [candidate]);
      else if (list[list.length - 1] !== candidate) list.push(candidate); // a path listed twice counts once
    }
  }
  pointingBackIndexes.set(properties, index);
  return index;
}

function checkPair(context: RuleContext, relationship: RelationshipDef): void {
  const { schema } = context;
  const property = relationship.property;
  const file = property.owner.file;
  const reverseName = relationship.reversePropertyName;
  const origin = () => refOf(property); // built only when reported

  if (!reverseName) {
    const anchor = relationship.reverseRelationshipNode ?? relationship.node;
    const targets = resolvedTargets(schema, relationship);
    const candidates = targets.flatMap(({ target }) => propertiesPointingBack(schema, relationship, target).map((p) => p.name));
    context.report('reverse-name-missing', file, rangeOf(anchor),
      `${displayName(property)} is bidirectional (\`reverseRelationship: true\`) but has no \`reversePropertyName\`; IDM refuses to load this config.`,
      { data: { origin: origin(), candidates: [...new Set(candidates)] } });
    return;
  }

  const nameNode = (): JsonNode => relationship.reversePropertyNameNode!; // made only when reported
  const targets = resolvedTargets(schema, relationship);
  const missing: Array<{ entry: ResourceCollectionEntry; target: ResolvedTarget }> = [];
  let present = 0;
  for (const { entry, target } of targets) {
    const reverse = schema.propertyOf(target, reverseName);
    if (!reverse) {
      // Internal objects have a built-in schema: without an overlay here there is nothing declared to compare.
      if (target.kind === 'internal' && (!target.overlay || BUILTIN_INTERNAL_OBJECTS[target.name].relationships[reverseName])) present++;
      else missing.push({ entry, target });
      continue;
    }
    present++;
    checkReverseProperty(context, relationship, entry, target, reverse);
  }

  if (missing.length) {
    // A polymorphic relationship whose reverse exists on some targets but not others is the pattern AIC ships
    // (teammember.authzRoles reaching alpha_role): IDM degrades silently for that target. A warning, not an error.
    const partial = present > 0;
    for (const { entry, target } of missing) {
      const targetObject = target.kind === 'object' ? target.object : target.kind === 'internal' ? target.overlay! : undefined;
      if (!targetObject) continue;
      const targetLabel = Schema.pathOf(targetObject);
      const pointingBack = propertiesPointingBack(schema, relationship, target).map((p) => p.name);
      const anchor = partial && entry.pathNode ? entry.pathNode : nameNode();
      context.report('reverse-property-missing', file, rangeOf(anchor),
        `${targetLabel} has no property \`${reverseName}\`, named as the reverse of ${displayName(property)}.` +
        (pointingBack.length ? ` \`${pointingBack.join('`, `')}\` on ${targetObject.name} points back here.` : '') +
        (partial
          ? ' Other targets of this polymorphic relationship have it: IDM leaves this one without a reverse side.' +
            (displayName(property) === 'teammember.authzRoles'
              ? " This is the platform's shipped config (PingOne AIC's `teammember`): a warning, not an error."
              : " The platform's shipped configs have this shape too (PingOne AIC's `teammember.authzRoles`): a warning, not an error.")
          : ''),
        {
          atMost: partial ? 'warning' : undefined,
          related: [relatedAt(targetObject.file, objectAnchor(targetObject), `${targetLabel} is defined here`)],
          data: {
            origin: origin(),
            target: { uri: targetObject.file.uri, object: targetObject.name, kind: targetObject.kind },
            reverseName,
            originCardinality: relationship.cardinality,
            pointingBack,
          },
          explainedBy: context.pairing?.explainsPair(relationship, entry, undefined),
        });
    }
  }
}

function checkReverseProperty(
  context: RuleContext, relationship: RelationshipDef, entry: ResourceCollectionEntry, target: ResolvedTarget, reverse: PropertyDef,
): void {
  const property = relationship.property;
  const file = property.owner.file;
  const nameNode = (): JsonNode => relationship.reversePropertyNameNode!; // made only when reported
  const reverseFile = reverse.owner.file;
  const reverseLabel = displayName(reverse);
  const reverseRelationship = reverse.relationship;
  // Built only when reported: most pairs are fine.
  const here = () => relatedAt(reverseFile, keyRangeOf(reverse.entry), `${reverseLabel} is defined here`);
  const data = () => ({ origin: refOf(property), reverse: refOf(reverse), targetPath: entry.path });
  const explained = () => context.pairing?.explainsPair(relationship, entry, reverse);

  if (!reverseRelationship) {
    context.report('reverse-property-not-relationship', file, rangeOf(nameNode()),
      `${reverseLabel} is not a relationship${reverse.type ? ` (its type is ${JSON.stringify(reverse.type)})` : ''}, so it cannot be the reverse of ${displayName(property)}.`,
      { related: [here()], data: { ...data(), pointingBack: propertiesPointingBack(context.schema, relationship, target).map((p) => p.name) }, explainedBy: explained() });
    return;
  }
  // An overlay property in internal.json is bidirectional by IDM's built-in definition.
  if (!reverseRelationship.bidirectional) {
    context.report('reverse-not-bidirectional', file, rangeOf(nameNode()),
      `${reverseLabel} is the reverse of ${displayName(property)} but is not marked \`reverseRelationship: true\`, so IDM treats it as a separate one-way relationship and never shows the edge there. ` +
      '(IDM 4.0 configs declared only one side; since IDM 4.5 both sides must.)',
      { related: [here()], data: data(), explainedBy: explained() });
    return;
  }
  if (reverseRelationship.reversePropertyName !== property.name) {
    const pointingBack = propertiesPointingBack(context.schema, relationship, target).map((p) => p.name);
    const otherNode = reverseRelationship.reversePropertyNameNode;
    context.report('reverse-name-mismatch', file, rangeOf(nameNode()),
      `${reverseLabel} names \`${reverseRelationship.reversePropertyName ?? ''}\` as its reverse, not \`${property.name}\`.` +
      (pointingBack.length ? ` \`${pointingBack.join('`, `')}\` on ${reverse.owner.name} points back here.` : ''),
      {
        related: [otherNode ? relatedAt(reverseFile, rangeOf(otherNode), `${reverseLabel} points at \`${reverseRelationship.reversePropertyName}\``) : here()],
        data: { ...data(), pointingBack },
        explainedBy: explained(),
      });
    return;
  }
  const originPath = Schema.pathOf(property.owner);
  const collection = reverseRelationship.resourceCollection;
  if (collection && collection.entries.length && !collection.entries.some((e) => e.path === originPath)) {
    const shipped = shippedRealmGap(property, reverse, collection.entries);
    context.report('reverse-missing-back-path', file, rangeOf(nameNode()),
      `${reverseLabel}'s \`resourceCollection\` does not list \`${originPath}\`, so the reverse side cannot hold ${property.owner.name} objects.` +
      (shipped
        ? ` This is the platform's shipped config: PingOne Advanced Identity Cloud's ${reverseLabel} lists only \`${shipped}\`, as its \`teammember.authzRoles\` reaches a role type without a reverse side; a warning, not an error. Add the path if ${property.owner.name} objects get these roles.`
        : ''),
      {
        atMost: shipped ? 'warning' : undefined,
        related: [relatedAt(reverseFile, rangeOf(collection.node), `${reverseLabel}'s resourceCollection`)],
        data: { ...data(), originPath, shipped: !!shipped },
        explainedBy: explained(),
      });
  }
}

/**
 * AIC's shipped gap: a realm's user type (`bravo_user`) whose built-in pair with an internal object (`authzRoles` ->
 * `internal/role.authzMembers`) the platform's internal.json lists only for another realm's users (`managed/alpha_user`).
 * Returns that listed path, or undefined when the gap is not this shape.
 */
function shippedRealmGap(origin: PropertyDef, reverse: PropertyDef, entries: readonly ResourceCollectionEntry[]): string | undefined {
  const owner = reverse.owner;
  if (owner.kind !== 'internal' || !isInternalName(owner.name) || !BUILTIN_INTERNAL_OBJECTS[owner.name].relationships[reverse.name]) return undefined;
  const realmUser = /^([a-z]+)_user$/.exec(origin.owner.name);
  if (!realmUser) return undefined;
  const otherRealm = entries.find((entry) => entry.target.kind === 'managed' && /^[a-z]+_user$/.test(entry.target.name) && entry.target.name !== origin.owner.name);
  return otherRealm?.path;
}

/** The targets of a relationship that resolve to something checkable, with their entries. */
export function resolvedTargets(schema: Schema, relationship: RelationshipDef): Array<{ entry: ResourceCollectionEntry; target: ResolvedTarget }> {
  const result: Array<{ entry: ResourceCollectionEntry; target: ResolvedTarget }> = [];
  for (const entry of relationship.resourceCollection?.entries ?? []) {
    const target = schema.resolve(entry.target);
    if (target.kind === 'object' || target.kind === 'internal') result.push({ entry, target });
  }
  return result;
}
