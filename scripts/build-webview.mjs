// Bundles the graph webview: client/webview/app/main.ts (cytoscape + cytoscape-dagre included) to dist/webview.js
// and client/webview/webview.css to dist/webview.css. Run alone (`node scripts/build-webview.mjs [--watch]
// [--production]`) or from esbuild.mjs: `await buildWebview({ watch, production })`.
import * as esbuild from 'esbuild';
import * as path from 'path';
import { fileURLToPath } from 'url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function webviewBuildOptions({ production = false } = {}) {
  return [
    {
      entryPoints: [path.join(root, 'client/webview/app/main.ts')],
      outfile: path.join(root, 'dist/webview.js'),
      bundle: true,
      platform: 'browser',
      format: 'iife',
      // VS Code's webviews run a current Chromium.
      target: 'chrome114',
      sourcemap: !production,
      minify: production,
      logLevel: 'warning',
      // cytoscape and cytoscape-dagre ship ES modules.
      mainFields: ['browser', 'module', 'main'],
    },
    {
      entryPoints: [path.join(root, 'client/webview/webview.css')],
      outfile: path.join(root, 'dist/webview.css'),
      bundle: true,
      minify: production,
      logLevel: 'warning',
    },
  ];
}

export async function buildWebview({ watch = false, production = false } = {}) {
  const builds = webviewBuildOptions({ production });
  if (watch) {
    for (const options of builds) await (await esbuild.context(options)).watch();
    return;
  }
  await Promise.all(builds.map((options) => esbuild.build(options)));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildWebview({ watch: process.argv.includes('--watch'), production: process.argv.includes('--production') });
}
