/**
 * "Copy as Mermaid": the graph as shown (after filters) as a Mermaid flowchart. Node ids are generated (`n0`,
 * `n1`...) so no config name can break the syntax; in every label, anything beyond letters, digits and a few safe
 * marks is written as a Mermaid entity code (`#60;`), so no name can close a label or start markup.
 */
import type { ViewGraph } from './viewModel';

/** `#60;` for `<` etc.: Mermaid's escape for characters that would end or change a label. */
export function mermaidText(text: string): string {
  return text.replace(/[^\p{L}\p{N} _.,:*/+=?!@·●◆»⟷-]/gu, (char) => `#${char.codePointAt(0)};`);
}

export function toMermaid(graph: ViewGraph): string {
  const lines = ['flowchart LR'];
  const ids = new Map<string, string>();
  graph.nodes.forEach((node, index) => {
    const id = `n${index}`;
    ids.set(node.id, id);
    lines.push(`  ${id}["${mermaidText(node.lines.join(' · '))}"]`);
  });
  const broken: number[] = [];
  let linkIndex = 0;
  for (const edge of graph.edges) {
    const source = ids.get(edge.source);
    const target = ids.get(edge.target);
    if (!source || !target) continue;
    const text = edge.midLabel || [edge.sourceLabel, edge.targetLabel].filter(Boolean).join(' / ');
    const arrow = edge.targetArrow === 'triangle' ? '-->' : '<-->';
    lines.push(text ? `  ${source} ${arrow}|${mermaidText(text)}| ${target}` : `  ${source} ${arrow} ${target}`);
    if (edge.broken) broken.push(linkIndex);
    linkIndex++;
  }
  const kinds: Array<[string, string]> = [['missing', 'stroke-dasharray: 4 3'], ['internal', 'stroke-dasharray: 2 2'], ['realm', 'stroke-width: 3px']];
  for (const [kind, style] of kinds) {
    const members = graph.nodes.filter((node) => node.classes.includes(kind)).map((node) => ids.get(node.id)!);
    if (!members.length) continue;
    lines.push(`  classDef ${kind} ${style}`);
    lines.push(`  class ${members.join(',')} ${kind}`);
  }
  if (broken.length) lines.push(`  linkStyle ${broken.join(',')} stroke:#d13438,stroke-width:2px`);
  return `${lines.join('\n')}\n`;
}
