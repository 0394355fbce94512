/** Converts every location of a graph (offsets in the core) to another range type (LSP positions at the boundary). */
import type { GraphData, GraphLocation, EdgeEnd } from '../../protocol/graph';

/** Returns undefined for a location whose file cannot be converted: it is then dropped, never guessed. */
export type LocationConverter<A, B> = (location: GraphLocation<A>) => GraphLocation<B> | undefined;

export function mapGraphLocations<A, B>(graph: GraphData<A>, convert: LocationConverter<A, B>): GraphData<B> {
  const at = (location: GraphLocation<A> | undefined) => (location ? convert(location) : undefined);
  if (graph.view === 'schema') {
    const end = (value: EdgeEnd<A>): EdgeEnd<B> => ({ ...value, location: at(value.location) });
    return {
      ...graph,
      nodes: graph.nodes.map((node) => ({ ...node, location: at(node.location) })),
      edges: graph.edges.map((edge) => ({ ...edge, sourceEnd: end(edge.sourceEnd), targetEnd: edge.targetEnd && end(edge.targetEnd) })),
    };
  }
  return {
    ...graph,
    steps: graph.steps.map((step) => ({
      ...step,
      location: at(step.location),
      nodes: step.nodes.map((node) => ({ ...node, location: at(node.location) })),
      edges: step.edges.map((edge) => ({ ...edge, location: at(edge.location) })),
    })),
  };
}
