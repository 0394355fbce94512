/**
 * The VS Code theme as colours the canvas can use: read from the `--vscode-*` CSS variables VS Code sets on the
 * page (light, dark and high-contrast themes), normalised through a canvas to `#rrggbb`/`rgba()`, so colours compare and blend the same everywhere.
 */

export interface Theme {
  kind: 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';
  background: string;
  foreground: string;
  mutedForeground: string;
  nodeBackground: string;
  nodeBorder: string;
  edge: string;
  error: string;
  warning: string;
  focus: string;
  notified: string;
  notifiedBackground: string;
  labelBackground: string;
  fontFamily: string;
  fontSize: number;
}

const probe = document.createElement('canvas').getContext('2d');

/** A CSS colour as `#rrggbb` or `rgba(...)`; `fallback` when the value is not a colour. */
export function normaliseColor(value: string, fallback: string): string {
  if (!probe || !value.trim()) return fallback;
  probe.fillStyle = '#010203';
  probe.fillStyle = value.trim();
  const result = String(probe.fillStyle);
  // The probe keeps its previous value for text it cannot parse.
  if (result === '#010203' && value.trim().toLowerCase() !== '#010203') return fallback;
  return result;
}

/** `a` mixed with `t` of `b` (colours as `normaliseColor` returns them), opaque (the SVG export and the PNG show the same colour). */
export function blend(a: string, b: string, t: number): string {
  const channels = (color: string): number[] => {
    const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
    if (hex) return hex.slice(1).map((h) => parseInt(h, 16));
    const rgb = /rgba?\(([^)]+)\)/.exec(color);
    return rgb ? rgb[1].split(',').slice(0, 3).map((v) => Number(v.trim()) || 0) : [128, 128, 128];
  };
  const [x, y] = [channels(a), channels(b)];
  return `rgb(${x.map((v, i) => Math.round(v + (y[i] - v) * t)).join(', ')})`;
}

function cssVariable(style: CSSStyleDeclaration, names: string[]): string {
  for (const name of names) {
    const value = style.getPropertyValue(name).trim();
    if (value) return value;
  }
  return '';
}

export function themeKind(body: HTMLElement): Theme['kind'] {
  if (body.classList.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (body.classList.contains('vscode-high-contrast')) return 'high-contrast';
  if (body.classList.contains('vscode-light')) return 'light';
  return 'dark';
}

export function readTheme(): Theme {
  const style = getComputedStyle(document.body);
  const kind = themeKind(document.body);
  const dark = kind === 'dark' || kind === 'high-contrast';
  const highContrast = kind.startsWith('high-contrast');
  const color = (names: string[], fallback: string) => normaliseColor(cssVariable(style, names), fallback);
  const foreground = color(['--vscode-editor-foreground', '--vscode-foreground'], dark ? '#cccccc' : '#333333');
  const fontSize = parseFloat(cssVariable(style, ['--vscode-editor-font-size', '--vscode-font-size'])) || 13;
  const background = color(['--vscode-editor-background'], dark ? '#1e1e1e' : '#ffffff');
  const notified = color(['--vscode-charts-orange', '--vscode-editorWarning-foreground'], '#d18616');
  return {
    kind,
    background,
    foreground,
    mutedForeground: color(['--vscode-descriptionForeground'], dark ? '#9d9d9d' : '#717171'),
    nodeBackground: color(['--vscode-editorWidget-background', '--vscode-sideBar-background'], dark ? '#252526' : '#f3f3f3'),
    nodeBorder: color(highContrast ? ['--vscode-contrastBorder', '--vscode-editorWidget-border'] : ['--vscode-editorWidget-border', '--vscode-panel-border'], dark ? '#454545' : '#c8c8c8'),
    edge: color(['--vscode-editorLineNumber-foreground', '--vscode-descriptionForeground'], dark ? '#858585' : '#6e7681'),
    error: color(['--vscode-errorForeground', '--vscode-editorError-foreground'], dark ? '#f14c4c' : '#e51400'),
    warning: color(['--vscode-editorWarning-foreground', '--vscode-list-warningForeground'], dark ? '#cca700' : '#bf8803'),
    focus: color(['--vscode-focusBorder'], dark ? '#007fd4' : '#0090f1'),
    notified,
    // A tint of the notification colour: strong enough to spot, light enough to read the label on.
    notifiedBackground: highContrast ? background : blend(background, notified, dark ? 0.35 : 0.22),
    labelBackground: color(['--vscode-editor-background'], dark ? '#1e1e1e' : '#ffffff'),
    fontFamily: cssVariable(style, ['--vscode-font-family']) || 'system-ui, sans-serif',
    fontSize: Math.max(10, Math.min(fontSize, 18)),
  };
}
