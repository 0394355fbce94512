/**
 * Making a large graph readable: collapse realms (AIC `alpha_*`, `bravo_*` types into one node each), focus on a
 * node and its neighbours to a depth, and filter by name. Applied in that order to the view graph; pure.
 */
import type { ViewEdge, ViewGraph, ViewNode } from './viewModel';

export interface FilterOptions {
  /** Case-insensitive text matched against type names/titles and property names; empty shows everything. */
  search: string;
  /** Show only this node and its neighbours up to `depth` hops (0 = unlimited). */
  focus?: { id: string; depth: number };
  collapseRealms: boolean;
}

export const REALM_PREFIX = 'realm:';

export function realmNodeId(realm: string): string {
  return `${REALM_PREFIX}${realm}`;
}

export function applyFilters(graph: ViewGraph, options: FilterOptions): ViewGraph {
  let result = options.collapseRealms ? collapseRealms(graph) : graph;
  if (options.focus) result = focusOn(result, options.focus.id, options.focus.depth);
  const search = options.search.trim().toLowerCase();
  if (search) result = filterByName(result, search);
  return result;
}

/** The realms that can be collapsed, with their member counts. */
export function realmsOf(graph: ViewGraph): Map<string, number> {
  const realms = new Map<string, number>();
  for (const node of graph.nodes) if (node.realm) realms.set(node.realm, (realms.get(node.realm) ?? 0) + 1);
  return realms;
}

/**
 * Each realm becomes one node; edges are redirected to it, and edges that then join the same two nodes merge into
 * one labelled with their count (broken when any of them is). An edge kept alone keeps its id and labels.
 */
export function collapseRealms(graph: ViewGraph): ViewGraph {
  const realmOf = new Map<string, string>();
  const members = new Map<string, ViewNode[]>();
  for (const node of graph.nodes) {
    if (!node.realm) continue;
    realmOf.set(node.id, realmNodeId(node.realm));
    const list = members.get(node.realm);
    if (list) list.push(node);
    else members.set(node.realm, [node]);
  }
  if (!members.size) return graph;

  const nodes: ViewNode[] = graph.nodes.filter((node) => !node.realm);
  for (const [realm, list] of members) {
    nodes.push({
      id: realmNodeId(realm),
      lines: [`${realm}_ realm`, `${list.length} types`],
      classes: ['realm', ...(list.some((n) => n.classes.includes('has-problems')) ? ['has-problems'] : [])],
      tooltip: [`${realm}_ realm: ${list.length} types (uncheck "Collapse realms" to see them)`, ...list.map((n) => n.lines[0])].join('\n'),
      ariaLabel: `${realm} realm, ${list.length} types collapsed`,
      searchText: [realm, ...list.map((n) => n.searchText)].join(' '),
      revealable: false,
    });
  }

  const groups = new Map<string, ViewEdge[]>();
  for (const edge of graph.edges) {
    const source = realmOf.get(edge.source) ?? edge.source;
    const target = realmOf.get(edge.target) ?? edge.target;
    const [a, b] = source <= target ? [source, target] : [target, source];
    const key = `${a}\u0000${b}`;
    const redirected = { ...edge, source, target };
    const list = groups.get(key);
    if (list) list.push(redirected);
    else groups.set(key, [redirected]);
  }
  const edges: ViewEdge[] = [];
  for (const list of groups.values()) {
    const touchesRealm = list.some((edge) => edge.source.startsWith(REALM_PREFIX) || edge.target.startsWith(REALM_PREFIX));
    if (list.length === 1 || !touchesRealm) {
      edges.push(...list);
      continue;
    }
    const first = list[0];
    const [a, b] = first.source <= first.target ? [first.source, first.target] : [first.target, first.source];
    const broken = list.some((edge) => edge.broken);
    const shown = list.slice(0, 20).map((edge) => edge.tooltip.split('\n')[0]);
    if (list.length > shown.length) shown.push(`… and ${list.length - shown.length} more`);
    edges.push({
      id: `merged:${a}|${b}`,
      source: first.source,
      target: first.target,
      sourceLabel: '',
      targetLabel: '',
      midLabel: `${list.length} relationships`,
      sourceArrow: 'none',
      targetArrow: 'none',
      classes: ['merged', ...(first.source === first.target ? ['loop'] : []), ...(broken ? ['broken', 'severity-error'] : [])],
      tooltip: shown.join('\n'),
      ariaLabel: `${list.length} relationships between ${first.source} and ${first.target}${broken ? ', some broken' : ''}`,
      searchText: list.map((edge) => edge.searchText).join(' '),
      broken,
      revealable: false,
    });
  }
  return { ...graph, nodes, edges };
}

/** The node and everything within `depth` hops (both directions); unknown ids leave the graph as it is. */
export function focusOn(graph: ViewGraph, id: string, depth: number): ViewGraph {
  if (!graph.nodes.some((node) => node.id === id)) return graph;
  const neighbours = new Map<string, Set<string>>();
  const link = (a: string, b: string) => {
    let set = neighbours.get(a);
    if (!set) neighbours.set(a, (set = new Set()));
    set.add(b);
  };
  for (const edge of graph.edges) {
    link(edge.source, edge.target);
    link(edge.target, edge.source);
  }
  const kept = new Set([id]);
  let frontier = [id];
  for (let hop = 0; frontier.length && (depth <= 0 || hop < depth); hop++) {
    const next: string[] = [];
    for (const current of frontier) {
      for (const other of neighbours.get(current) ?? []) {
        if (kept.has(other)) continue;
        kept.add(other);
        next.push(other);
      }
    }
    frontier = next;
  }
  return {
    ...graph,
    nodes: graph.nodes.filter((node) => kept.has(node.id)),
    edges: graph.edges.filter((edge) => kept.has(edge.source) && kept.has(edge.target)),
  };
}

/** Nodes whose name matches, edges whose property names match, and the ends of those edges. */
export function filterByName(graph: ViewGraph, search: string): ViewGraph {
  const needle = search.toLowerCase();
  const matchingNodes = new Set(graph.nodes.filter((node) => node.searchText.includes(needle)).map((node) => node.id));
  const edges = graph.edges.filter((edge) => edge.searchText.includes(needle) || (matchingNodes.has(edge.source) && matchingNodes.has(edge.target)));
  const visible = new Set(matchingNodes);
  for (const edge of edges) {
    visible.add(edge.source);
    visible.add(edge.target);
  }
  return { ...graph, nodes: graph.nodes.filter((node) => visible.has(node.id)), edges };
}

/**
 * The opening view of a large graph: the `around` types, their neighbours, and the relationships of the `around`
 * types (relationships among the neighbours only would draw the hairball this view avoids).
 */
export function neighbourhood(graph: ViewGraph, around: ReadonlySet<string>): ViewGraph {
  const edges = graph.edges.filter((edge) => around.has(edge.source) || around.has(edge.target));
  const kept = new Set([...around]);
  for (const edge of edges) {
    kept.add(edge.source);
    kept.add(edge.target);
  }
  return { ...graph, nodes: graph.nodes.filter((node) => kept.has(node.id)), edges };
}
