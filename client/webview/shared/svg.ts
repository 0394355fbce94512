/**
 * SVG export, written from the drawn positions (cytoscape has no SVG export): rounded boxes with their label
 * lines, edges as the same quadratic curves cytoscape draws through its control points, arrowheads and dots as
 * markers, end labels near each end. Colours are the theme's, resolved when exported. All text is escaped.
 */
import type { ArrowShape } from './viewModel';
import type { Point } from './layout';

export interface SvgNode {
  x: number;
  y: number;
  width: number;
  height: number;
  lines: string[];
  fill: string;
  stroke: string;
  strokeWidth: number;
  dashed: boolean;
  textColor: string;
  /** Accessible name, written as the group's `<title>`. */
  title: string;
}

export interface SvgEdge {
  /** Source endpoint, control points (quadratic chain, as cytoscape's bezier edges), target endpoint. */
  points: Point[];
  color: string;
  width: number;
  dashed: boolean;
  sourceArrow: ArrowShape;
  targetArrow: ArrowShape;
  sourceLabel: string;
  targetLabel: string;
  midLabel: string;
  title: string;
}

export interface SvgScene {
  title: string;
  background: string;
  textColor: string;
  fontFamily: string;
  fontSize: number;
  nodes: SvgNode[];
  edges: SvgEdge[];
}

export function escapeXml(text: string): string {
  // Characters XML 1.0 forbids even escaped are dropped.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function num(value: number): string {
  return Number.isFinite(value) ? String(Math.round(value * 10) / 10) : '0';
}

/** The SVG path of a cytoscape bezier: quadratic segments through the control points, joined at their midpoints. */
export function edgePath(points: Point[]): string {
  if (points.length < 2) return '';
  const [start, ...rest] = points;
  const end = rest.pop()!;
  let d = `M${num(start.x)} ${num(start.y)}`;
  if (!rest.length) return `${d} L${num(end.x)} ${num(end.y)}`;
  for (let i = 0; i < rest.length; i++) {
    const control = rest[i];
    const to = i + 1 < rest.length ? { x: (control.x + rest[i + 1].x) / 2, y: (control.y + rest[i + 1].y) / 2 } : end;
    d += ` Q${num(control.x)} ${num(control.y)} ${num(to.x)} ${num(to.y)}`;
  }
  return d;
}

/** A point `distance` along the direction from `from` towards `towards`, and the side normal there. */
function along(from: Point, towards: Point, distance: number): { point: Point; normal: Point } {
  const dx = towards.x - from.x;
  const dy = towards.y - from.y;
  const length = Math.hypot(dx, dy) || 1;
  return { point: { x: from.x + (dx / length) * distance, y: from.y + (dy / length) * distance }, normal: { x: -dy / length, y: dx / length } };
}

function markerId(shape: ArrowShape, color: string, colors: Map<string, number>): string {
  let index = colors.get(color);
  if (index === undefined) colors.set(color, (index = colors.size));
  return `${shape}-${index}`;
}

export function sceneToSvg(scene: SvgScene): string {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const node of scene.nodes) {
    xs.push(node.x - node.width / 2, node.x + node.width / 2);
    ys.push(node.y - node.height / 2, node.y + node.height / 2);
  }
  for (const edge of scene.edges) for (const p of edge.points) { xs.push(p.x); ys.push(p.y); }
  const pad = 60;
  const minX = (xs.length ? Math.min(...xs) : 0) - pad;
  const minY = (ys.length ? Math.min(...ys) : 0) - pad;
  const width = (xs.length ? Math.max(...xs) : 0) + pad - minX;
  const height = (ys.length ? Math.max(...ys) : 0) + pad - minY;
  const size = scene.fontSize;
  const colors = new Map<string, number>();
  const body: string[] = [];

  body.push(`<rect x="${num(minX)}" y="${num(minY)}" width="${num(width)}" height="${num(height)}" fill="${escapeXml(scene.background)}"/>`);
  body.push('<g class="edges">');
  for (const edge of scene.edges) {
    if (edge.points.length < 2) continue;
    const attributes = [`d="${edgePath(edge.points)}"`, 'fill="none"', `stroke="${escapeXml(edge.color)}"`, `stroke-width="${num(edge.width)}"`];
    if (edge.dashed) attributes.push('stroke-dasharray="6 4"');
    if (edge.sourceArrow !== 'none') attributes.push(`marker-start="url(#${markerId(edge.sourceArrow, edge.color, colors)})"`);
    if (edge.targetArrow !== 'none') attributes.push(`marker-end="url(#${markerId(edge.targetArrow, edge.color, colors)})"`);
    body.push(`<g class="edge"><title>${escapeXml(edge.title)}</title><path ${attributes.join(' ')}/>`);
    const first = edge.points[0];
    const last = edge.points[edge.points.length - 1];
    const labels: Array<[string, Point, Point]> = [[edge.sourceLabel, first, edge.points[1]], [edge.targetLabel, last, edge.points[edge.points.length - 2]]];
    for (const [text, at, towards] of labels) {
      if (!text) continue;
      const { point, normal } = along(at, towards, 28);
      body.push(label(text, point.x + normal.x * 10, point.y + normal.y * 10, size * 0.85, scene.textColor));
    }
    if (edge.midLabel) {
      const middle = midpointOf(edge.points);
      const lines = edge.midLabel.split('\n');
      const lineHeight = size * 1.1;
      lines.forEach((line, i) => {
        const y = middle.y + (i - (lines.length - 1) / 2) * lineHeight;
        body.push(label(line, middle.x, y, size * 0.85, scene.textColor));
      });
    }
    body.push('</g>');
  }
  body.push('</g>');

  body.push('<g class="nodes">');
  for (const node of scene.nodes) {
    const x = node.x - node.width / 2;
    const y = node.y - node.height / 2;
    const rect = [`x="${num(x)}"`, `y="${num(y)}"`, `width="${num(node.width)}"`, `height="${num(node.height)}"`, 'rx="6"',
      `fill="${escapeXml(node.fill)}"`, `stroke="${escapeXml(node.stroke)}"`, `stroke-width="${num(node.strokeWidth)}"`];
    if (node.dashed) rect.push('stroke-dasharray="5 3"');
    body.push(`<g class="node"><title>${escapeXml(node.title)}</title><rect ${rect.join(' ')}/>`);
    const lineHeight = size * 1.3;
    const top = node.y - ((node.lines.length - 1) * lineHeight) / 2;
    node.lines.forEach((line, i) => {
      const weight = i === 0 ? ' font-weight="600"' : '';
      body.push(`<text x="${num(node.x)}" y="${num(top + i * lineHeight)}" text-anchor="middle" dominant-baseline="central" font-size="${num(i === 0 ? size : size * 0.85)}"${weight} fill="${escapeXml(node.textColor)}">${escapeXml(line)}</text>`);
    });
    body.push('</g>');
  }
  body.push('</g>');

  const defs: string[] = [];
  for (const [color, index] of colors) {
    const fill = escapeXml(color);
    defs.push(`<marker id="triangle-${index}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="${fill}"/></marker>`);
    defs.push(`<marker id="circle-${index}" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="7" markerHeight="7"><circle cx="5" cy="5" r="4" fill="${fill}"/></marker>`);
  }

  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" viewBox="${num(minX)} ${num(minY)} ${num(width)} ${num(height)}" width="${num(width)}" height="${num(height)}" font-family="${escapeXml(scene.fontFamily)}" role="img">`,
    `<title>${escapeXml(scene.title)}</title>`,
    `<defs>${defs.join('')}</defs>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

function label(text: string, x: number, y: number, size: number, color: string): string {
  return `<text x="${num(x)}" y="${num(y)}" text-anchor="middle" dominant-baseline="central" font-size="${num(size)}" fill="${escapeXml(color)}">${escapeXml(text)}</text>`;
}

/** The point halfway along the drawn curve (for a quadratic chain, close enough: the middle control segment's midpoint). */
export function midpointOf(points: Point[]): Point {
  if (points.length === 2) return { x: (points[0].x + points[1].x) / 2, y: (points[0].y + points[1].y) / 2 };
  if (points.length === 3) {
    const [a, c, b] = points;
    return { x: 0.25 * a.x + 0.5 * c.x + 0.25 * b.x, y: 0.25 * a.y + 0.5 * c.y + 0.25 * b.y };
  }
  // Loops: two control points; the curve passes halfway between them.
  const i = Math.floor((points.length - 1) / 2);
  return { x: (points[i].x + points[i + 1].x) / 2, y: (points[i].y + points[i + 1].y) / 2 };
}
