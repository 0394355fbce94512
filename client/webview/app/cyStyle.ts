/** The cytoscape stylesheet, built from the theme (rebuilt when the VS Code theme changes). */
import type cytoscape from 'cytoscape';
import type { Theme } from './theme';

export function graphStyle(theme: Theme, large: boolean): cytoscape.StylesheetJson {
  const small = Math.round(theme.fontSize * 0.85);
  const highContrast = theme.kind.startsWith('high-contrast');
  return [
    {
      selector: 'node',
      style: {
        shape: 'round-rectangle',
        width: 'data(width)',
        height: 'data(height)',
        'background-color': theme.nodeBackground,
        'border-color': theme.nodeBorder,
        'border-width': highContrast ? 2 : 1,
        label: 'data(label)',
        'text-wrap': 'wrap',
        'text-valign': 'center',
        'text-halign': 'center',
        color: theme.foreground,
        'font-family': theme.fontFamily,
        'font-size': theme.fontSize,
        'min-zoomed-font-size': large ? 6 : 0,
      },
    },
    { selector: 'node.internal', style: { 'border-style': 'dashed' } },
    { selector: 'node.missing', style: { 'border-style': 'dotted', 'border-color': theme.error, 'border-width': 2, color: theme.error } },
    { selector: 'node.has-problems', style: { 'border-color': theme.error, 'border-width': 2 } },
    { selector: 'node.realm', style: { 'border-width': 3, 'border-style': 'double' } },
    { selector: 'node.missing-object', style: { 'border-style': 'dashed', 'border-color': theme.error, color: theme.error } },
    { selector: 'node.notified', style: { 'border-color': theme.notified, 'border-width': 3, 'background-color': theme.notifiedBackground } },
    { selector: 'node.notified-depth-2', style: { 'border-width': 2 } },
    { selector: 'node.notified-depth-3', style: { 'border-width': 2, 'border-style': 'dashed' } },
    {
      selector: 'edge',
      style: {
        // Large graphs draw plain straight lines (haystack: no curve geometry to compute for thousands of edges);
        // the edges in play, and loops, are drawn in full.
        'curve-style': large ? 'haystack' : 'bezier',
        'haystack-radius': 0,
        'control-point-step-size': 70,
        width: 1.5,
        'line-color': theme.edge,
        'source-arrow-color': theme.edge,
        'target-arrow-color': theme.edge,
        'arrow-scale': 1.1,
      },
    },
    // Loops on the right side: the layout runs edges top to bottom, so the sides are free.
    // Edge labels: always on ordinary graphs; on large ones (the edges would be a wall of text, and measuring
    // thousands of labels makes the first frame slow) only on the edges in play: hovered, selected, highlighted.
    {
      selector: large ? 'edge.hovered, edge:selected, edge.highlighted, edge.notification-path, edge.loop' : 'edge',
      style: {
        'curve-style': 'bezier',
        'source-label': 'data(sourceLabel)',
        'target-label': 'data(targetLabel)',
        label: 'data(midLabel)',
        'source-text-offset': 'data(sourceOffset)' as never,
        'target-text-offset': 'data(targetOffset)' as never,
        'font-family': theme.fontFamily,
        'font-size': small,
        color: theme.foreground,
        'text-background-color': theme.labelBackground,
        'text-background-opacity': 0.85,
        'text-background-padding': '1px',
        'text-rotation': 'none',
      },
    },
    {
      selector: 'edge.loop',
      style: {
        'loop-direction': '90deg',
        'loop-sweep': 'data(loopSweep)' as never,
        'control-point-step-size': 'data(loopStep)' as never,
        'text-wrap': 'wrap',
      },
    },
    // Arrow shapes by class rather than data mappers: thousands of edges restyle faster.
    { selector: 'edge.source-circle', style: { 'source-arrow-shape': 'circle' } },
    { selector: 'edge.target-circle', style: { 'target-arrow-shape': 'circle' } },
    { selector: 'edge.target-triangle', style: { 'target-arrow-shape': 'triangle', ...(large ? { 'mid-target-arrow-shape': 'triangle' } : {}) } },
    // Temporary edges that only steer the layout.
    { selector: 'edge.layout-only', style: { display: 'none' } },
    { selector: 'edge.undeclared-end', style: { 'line-style': 'dashed' } },
    { selector: 'edge.merged', style: { width: 3 } },
    { selector: 'edge.broken', style: { width: 2.5 } },
    {
      selector: 'edge.severity-error',
      style: { 'line-color': theme.error, 'source-arrow-color': theme.error, 'target-arrow-color': theme.error, color: theme.error },
    },
    {
      selector: 'edge.severity-warning',
      style: { 'line-color': theme.warning, 'source-arrow-color': theme.warning, 'target-arrow-color': theme.warning, color: theme.warning },
    },
    { selector: 'edge.dangling, edge.one-sided, edge.orphaned', style: { 'line-style': 'dashed' } },
    {
      selector: 'edge.notification-path',
      style: { 'line-color': theme.notified, 'source-arrow-color': theme.notified, 'target-arrow-color': theme.notified, width: 3.5, 'z-index': 5 },
    },
    {
      selector: 'node:selected, node.highlighted',
      style: { 'border-color': theme.focus, 'border-width': 3, 'z-index': 10 },
    },
    {
      selector: 'edge:selected, edge.highlighted',
      style: { 'line-color': theme.focus, 'source-arrow-color': theme.focus, 'target-arrow-color': theme.focus, width: 4, 'z-index': 10 },
    },
  ];
}
