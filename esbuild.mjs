// Bundles the extension client, the language server, the CLI and the graph webview into dist/.
// Every entry is self-contained so the VSIX ships no node_modules.
import * as esbuild from 'esbuild';
import { buildWebview } from './scripts/build-webview.mjs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // jsonc-parser's UMD build hides its requires from esbuild; its ESM build bundles cleanly.
  mainFields: ['module', 'main'],
};

const builds = [
  { ...node, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  // Executable too: the npm package installs it as idm-relationships-language-server for other editors.
  { ...node, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js', banner: { js: '#!/usr/bin/env node' } },
  // The worker thread that checks configurations holding a large file (server/src/lsp/largeFiles.ts starts it).
  { ...node, entryPoints: ['server/src/lsp/largeFileWorker.ts'], outfile: 'dist/largeFileWorker.js' },
  { ...node, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];

if (watch) {
  for (const options of builds) {
    const context = await esbuild.context(options);
    await context.watch();
  }
  await buildWebview({ watch: true, production });
} else {
  await Promise.all([...builds.map((options) => esbuild.build(options)), buildWebview({ production })]);
}
