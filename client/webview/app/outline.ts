/**
 * The accessible mirror of the graph: a list of the drawn nodes, each a button with its accessible name (Tab moves
 * through them, focus shows the node in the graph, Enter reveals its definition), with a disclosure listing its
 * relationships the same way. Every name is set as text.
 */
import type { ViewEdge, ViewGraph } from '../shared/viewModel';

export interface OutlineEvents {
  focus(kind: 'node' | 'edge', id: string): void;
  activate(kind: 'node' | 'edge', id: string): void;
}

export class Outline {
  private graph: ViewGraph | undefined;
  private readonly expanded = new Set<string>();

  constructor(private readonly list: HTMLUListElement, private readonly events: OutlineEvents) {
    list.addEventListener('click', (event) => this.onClick(event));
    list.addEventListener('focusin', (event) => {
      const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button.outline-item');
      if (button?.dataset.id && button.dataset.kind) this.events.focus(button.dataset.kind as 'node' | 'edge', button.dataset.id);
    });
  }

  render(graph: ViewGraph): void {
    this.graph = graph;
    const edgesOf = groupEdges(graph.edges);
    const fragment = document.createDocumentFragment();
    for (const node of graph.nodes) {
      const item = document.createElement('li');
      item.className = 'outline-node';
      const edges = edgesOf.get(node.id) ?? [];
      const toggle = document.createElement('button');
      toggle.type = 'button';
      toggle.className = 'outline-toggle';
      toggle.dataset.toggle = node.id;
      toggle.disabled = edges.length === 0;
      const open = this.expanded.has(node.id) && edges.length > 0;
      toggle.setAttribute('aria-expanded', String(open));
      toggle.setAttribute('aria-label', `Relationships of ${node.lines[0]}`);
      toggle.textContent = open ? '▾' : '▸';
      const button = itemButton('node', node.id, node.lines.join(' · '), node.ariaLabel);
      if (node.classes.includes('has-problems') || node.classes.includes('missing')) button.classList.add('problem');
      item.append(toggle, button);
      if (open) item.append(this.edgeList(node.id, edges));
      fragment.append(item);
    }
    this.list.replaceChildren(fragment);
  }

  /** Marks the items of highlighted elements (`aria-current`) and returns whether any is listed. */
  markCurrent(ids: string[]): void {
    const wanted = new Set(ids);
    for (const button of this.list.querySelectorAll<HTMLButtonElement>('button.outline-item')) {
      if (wanted.has(button.dataset.id ?? '')) button.setAttribute('aria-current', 'true');
      else button.removeAttribute('aria-current');
    }
  }

  private edgeList(nodeId: string, edges: ViewEdge[]): HTMLUListElement {
    const list = document.createElement('ul');
    list.className = 'outline-edges';
    for (const edge of edges) {
      const item = document.createElement('li');
      const label = edge.source === nodeId
        ? [edge.sourceLabel, edge.targetLabel].filter(Boolean).join(' ⟷ ') || edge.midLabel
        : [edge.targetLabel, edge.sourceLabel].filter(Boolean).join(' ⟷ ') || edge.midLabel;
      const button = itemButton('edge', edge.id, label || edge.ariaLabel, edge.ariaLabel);
      if (edge.broken) button.classList.add('problem');
      item.append(button);
      list.append(item);
    }
    return list;
  }

  private onClick(event: MouseEvent): void {
    const target = event.target as HTMLElement;
    const toggle = target.closest<HTMLButtonElement>('button.outline-toggle');
    if (toggle?.dataset.toggle) {
      const id = toggle.dataset.toggle;
      if (this.expanded.has(id)) this.expanded.delete(id);
      else this.expanded.add(id);
      if (this.graph) this.render(this.graph);
      this.list.querySelector<HTMLButtonElement>(`button.outline-toggle[data-toggle="${CSS.escape(id)}"]`)?.focus();
      return;
    }
    const button = target.closest<HTMLButtonElement>('button.outline-item');
    if (button?.dataset.id && button.dataset.kind) this.events.activate(button.dataset.kind as 'node' | 'edge', button.dataset.id);
  }
}

function itemButton(kind: 'node' | 'edge', id: string, text: string, ariaLabel: string): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = `outline-item ${kind}`;
  button.dataset.kind = kind;
  button.dataset.id = id;
  button.textContent = text;
  button.setAttribute('aria-label', ariaLabel);
  return button;
}

function groupEdges(edges: ViewEdge[]): Map<string, ViewEdge[]> {
  const result = new Map<string, ViewEdge[]>();
  const add = (id: string, edge: ViewEdge) => {
    const list = result.get(id);
    if (list) list.push(edge);
    else result.set(id, [edge]);
  };
  for (const edge of edges) {
    add(edge.source, edge);
    if (edge.target !== edge.source) add(edge.target, edge);
  }
  return result;
}
