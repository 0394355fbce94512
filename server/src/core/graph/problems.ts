/**
 * Puts the checker's findings on the graph. A finding belongs to the relationship whose definition contains it
 * (both properties of a pair count, so a pair is broken whichever side the checker reports on); when it lies in
 * one `resourceCollection` entry, or names its target, only that target's edge of a polymorphic relationship gets
 * it. Findings elsewhere in an object type go on its node.
 *
 * "Broken" means a finding of severity error or warning. Information findings (a target that may live in a file
 * we were not given) are listed in the tooltip without painting the edge as broken: the pair may be fine.
 */
import type { Finding, OffsetRange } from '../diagnostics/finding';
import { parseTargetPath } from '../model/configFile';
import type { Schema } from '../model/schema';
import type { ObjectType, RelationshipDef } from '../model/types';
import type { GraphProblem, GraphSeverity, SchemaEdge, SchemaNode } from '../../protocol/graph';

/** One place an edge draws a relationship: as its source end, or as its far (target) end. */
export interface EdgeUse {
  relationship: RelationshipDef;
  /** The entry of the relationship's `resourceCollection` this edge draws; -1 when it draws none in particular. */
  entryIndex: number;
  end: 'source' | 'target';
  edge: SchemaEdge;
}

const RANK: Record<GraphSeverity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

export function worstSeverity(problems: GraphProblem[]): GraphSeverity | undefined {
  let worst: GraphSeverity | undefined;
  for (const problem of problems) if (!worst || RANK[problem.severity] < RANK[worst]) worst = problem.severity;
  return worst;
}

function contains(outer: OffsetRange, inner: OffsetRange): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

function spanOf(relationship: RelationshipDef): OffsetRange {
  const entry = relationship.property.entry;
  return { start: entry.keyOffset, end: entry.value?.end ?? entry.keyEnd };
}

function problemOf(finding: Finding): GraphProblem {
  return { code: finding.code, severity: finding.severity, message: finding.message };
}

/** The node id a finding's `data.target` / `data.targetPath` names, when it names one. */
function namedTarget(finding: Finding): string | undefined {
  const target = finding.data.target as { object?: unknown; kind?: unknown } | undefined;
  if (target && typeof target.object === 'string') return `${target.kind === 'internal' ? 'internal' : 'managed'}/${target.object}`;
  const path = finding.data.targetPath;
  if (typeof path === 'string') {
    const ref = parseTargetPath(path);
    if (ref.kind === 'managed') return `managed/${ref.name}`;
    if (ref.kind === 'internal') return `internal/${ref.name}`;
  }
  return undefined;
}

export function attachProblems(schema: Schema, findings: Map<string, Finding[]>, nodes: SchemaNode[], uses: EdgeUse[]): void {
  const usesOf = new Map<RelationshipDef, EdgeUse[]>();
  for (const use of uses) {
    const list = usesOf.get(use.relationship);
    if (list) list.push(use);
    else usesOf.set(use.relationship, [use]);
  }
  const nodeById = new Map(nodes.map((node) => [node.id, node]));
  const attached = new Map<SchemaEdge, Set<Finding>>();

  for (const file of schema.files) {
    for (const finding of findings.get(file.uri) ?? []) {
      const object = file.objects.find((candidate: ObjectType) => contains({ start: candidate.node.offset, end: candidate.node.end }, finding.range));
      if (!object) continue;
      const relationship = object.relationships.find((candidate) => contains(spanOf(candidate), finding.range));
      const relationshipUses = relationship ? usesOf.get(relationship) : undefined;
      if (!relationship || !relationshipUses?.length) {
        const kind = object.kind === 'internal' ? 'internal' : 'managed';
        nodeById.get(`${kind}/${object.name}`)?.problems.push(problemOf(finding));
        continue;
      }
      for (const use of usesFor(relationship, relationshipUses, finding)) {
        let seen = attached.get(use.edge);
        if (!seen) attached.set(use.edge, (seen = new Set()));
        if (seen.has(finding)) continue;
        seen.add(finding);
        use.edge.problems.push(problemOf(finding));
      }
    }
  }

  for (const edge of attached.keys()) {
    edge.severity = worstSeverity(edge.problems);
    edge.broken = edge.problems.some((problem) => problem.severity === 'error' || problem.severity === 'warning');
  }
}

function usesFor(relationship: RelationshipDef, uses: EdgeUse[], finding: Finding): EdgeUse[] {
  const entryIndex = relationship.resourceCollection?.entries.findIndex((entry) => contains({ start: entry.node.offset, end: entry.node.end }, finding.range)) ?? -1;
  if (entryIndex >= 0) {
    const matching = uses.filter((use) => use.entryIndex === entryIndex);
    if (matching.length) return matching;
  }
  const target = namedTarget(finding);
  if (target) {
    const matching = uses.filter((use) => (use.end === 'source' ? use.edge.target : use.edge.source) === target);
    if (matching.length) return matching;
  }
  return uses;
}
