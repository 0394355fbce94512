/**
 * The graph webview's page. Used by the panel and by the browser tests, so both run under the same strict CSP:
 * nothing but the bundle (by nonce) runs, styles come only from the extension's files, images only as `data:`
 * (the PNG export), workers only from `blob:` URLs the bundle makes (the layout worker). The page holds no inline handlers and no inline styles; every dynamic text is set as text.
 */

export interface WebviewPageOptions {
  /** `webview.cspSource`: the origin the extension's files are served from. */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    // The layout worker (ELK) starts from a blob the bundle creates: a webview cannot start one from its resource
    // origin. Nothing else may start a worker, frame or connection.
    'worker-src blob:',
  ].join('; ');
}

/** A nonce for the page's one script: 32 characters of [A-Za-z0-9] from the given random source. */
export function makeNonce(random: (size: number) => Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(random(32), (byte) => alphabet[byte % alphabet.length]).join('');
}

function attribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function webviewHtml(options: WebviewPageOptions): string {
  const csp = contentSecurityPolicy(options.cspSource, options.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attribute(options.styleUri)}">
<title>Relationship graph</title>
</head>
<body>
<header class="toolbar" role="toolbar" aria-label="Graph tools">
  <button id="list-toggle" type="button" aria-expanded="true" aria-controls="outline" title="Show or hide the list of types">List</button>
  <h1 id="document-title" class="document-title">Relationship graph</h1>
  <input id="search" type="search" placeholder="Filter by name" aria-label="Filter object types and properties by name" spellcheck="false">
  <span class="group">
    <button id="focus" type="button" title="Show only the selected node and its neighbours">Focus</button>
    <label for="depth">depth</label>
    <select id="depth" aria-label="Focus depth">
      <option value="1">1</option><option value="2">2</option><option value="3">3</option><option value="0">all</option>
    </select>
    <button id="show-all" type="button" title="Leave focus">Show all</button>
  </span>
  <label id="realms-toggle" class="group" hidden><input id="collapse-realms" type="checkbox"> Collapse realms</label>
  <span class="group">
    <button id="fit" type="button" title="Fit the graph in the panel">Fit</button>
    <button id="relayout" type="button" title="Lay out every node again">Re-layout</button>
  </span>
  <span class="group">
    <button id="export-svg" type="button" title="Save the graph as SVG">SVG</button>
    <button id="export-png" type="button" title="Save the graph as PNG">PNG</button>
    <button id="copy-mermaid" type="button" title="Copy the graph as Mermaid text">Mermaid</button>
  </span>
  <button id="legend-toggle" type="button" aria-expanded="false" aria-controls="legend">Legend</button>
</header>
<section id="legend" class="legend" hidden aria-label="Legend">
  <ul>
    <li><span class="sample">reports *</span> the property held by the type at this end, and its cardinality: <b>1</b> one, <b>*</b> many</li>
    <li><span class="sample">→</span> a one-way relationship (no property points back)</li>
    <li><span class="sample">●</span> notifySelf: this end is notified of changes made through this property</li>
    <li><span class="sample">◆</span> notify: the other end is notified of changes made through this property</li>
    <li><span class="sample">» a, b</span> notifyRelationships: notifications arriving here travel on through a, b</li>
    <li><span class="sample">dot at an end</span> the type at that end is notified when the relationship changes</li>
    <li><span class="sample broken-sample">red line</span> a broken pair: the checker reports a problem on it (hover for details)</li>
    <li><span class="sample">dashed box</span> an internal object (internal/role, internal/user) or a type no file defines</li>
  </ul>
</section>
<div class="main">
  <nav id="outline" class="outline" aria-label="Object types and relationships">
    <ul id="outline-list" class="outline-list"></ul>
  </nav>
  <div id="graph" class="graph" role="img" aria-label="Relationship graph (the list beside it has the same content)"></div>
  <div id="banner" class="banner" role="status" hidden><span id="banner-text"></span> <button id="banner-show-all" type="button">Show all</button></div>
  <div id="tooltip" class="tooltip" role="tooltip" hidden></div>
  <div id="message" class="message" role="status" aria-live="polite"></div>
</div>
<section id="timeline" class="timeline" aria-label="Scenario timeline" hidden>
  <button id="step-previous" type="button" aria-label="Previous request">◀</button>
  <input id="step" type="range" min="0" max="0" value="0" aria-label="Request">
  <button id="step-next" type="button" aria-label="Next request">▶</button>
  <button id="step-label" type="button" class="step-label" title="Show this request in the scenario"></button>
</section>
<script nonce="${attribute(options.nonce)}" src="${attribute(options.scriptUri)}"></script>
</body>
</html>
`;
}
