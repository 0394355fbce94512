// Bundles the graph webview: client/webview/app/main.ts (ELK's worker script included, as text) to dist/webview.js
// and client/webview/webview.css to dist/webview.css. Run alone (`node scripts/build-webview.mjs [--watch]
// [--production]`) or from esbuild.mjs: `await buildWebview({ watch, production })`.
import * as esbuild from 'esbuild';
import * as path from 'path';
import { fileURLToPath } from 'url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** `import source from 'elk-worker-source'`: ELK's worker script, unchanged, as a string the webview starts from a blob. */
const elkWorkerSource = {
  name: 'elk-worker-source',
  setup(build) {
    build.onResolve({ filter: /^elk-worker-source$/ }, () => ({ path: path.join(root, 'node_modules/elkjs/lib/elk-worker.min.js'), namespace: 'elk-worker-source' }));
    build.onLoad({ filter: /.*/, namespace: 'elk-worker-source' }, async (args) => ({ contents: await import('fs').then((fs) => fs.promises.readFile(args.path, 'utf8')), loader: 'text' }));
  },
};

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
      mainFields: ['browser', 'module', 'main'],
      plugins: [elkWorkerSource],
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
