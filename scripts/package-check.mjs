#!/usr/bin/env node
// Packages the extension (or takes a VSIX given as argument) and checks what is inside:
//  - only runtime files: extension/dist/**, syntaxes/**, schemas/**, media/**, images/**, package.json, README.md, LICENSE*,
//    CHANGELOG.md, plus the two files vsce adds ([Content_Types].xml, extension.vsixmanifest);
//  - every asset the manifest references (main, icon, grammars, language configurations and icons, snippets, themes,
//    command and view icons, walkthrough media) and every file the bundles load by path (context.asAbsolutePath,
//    Uri.joinPath with literal segments — the language server and the webview's scripts and styles — and url(...) in
//    the shipped CSS) is present.
// Exits 1 listing what is wrong. Run `npm run build` first when packaging (vsce does not build).
//
// Usage: node scripts/package-check.mjs [path/to/extension.vsix] [--out path/to/write.vsix]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Paths allowed in the VSIX. Kept in step with .vscodeignore, which decides what vsce puts in. */
const ALLOWED = [
  /^extension\/dist\//,
  /^extension\/syntaxes\//,
  /^extension\/schemas\//,
  /^extension\/media\//,
  /^extension\/images\//,
  /^extension\/package\.json$/,
  // vsce writes the readme and changelog in lower case, and the licence as LICENSE.txt.
  /^extension\/README\.md$/i,
  /^extension\/LICENSE[^/]*$/i,
  /^extension\/CHANGELOG\.md$/i,
  /^\[Content_Types\]\.xml$/,
  /^extension\.vsixmanifest$/,
];

// ---- A small zip reader: the central directory lists every entry; stored and deflated entries are all vsce writes.

/** Entries of a zip file, from its central directory. */
export function readZipEntries(zip) {
  const endSignature = 0x06054b50;
  let end = -1;
  // The end-of-central-directory record sits in the last 22 bytes plus an optional comment of up to 64 KiB.
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === endSignature) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error('not a zip file (no end of central directory)');
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const entries = [];
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error(`bad central directory entry at ${offset}`);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    entries.push({
      name: zip.toString('utf8', offset + 46, offset + 46 + nameLength),
      method: zip.readUInt16LE(offset + 10),
      compressedSize: zip.readUInt32LE(offset + 20),
      size: zip.readUInt32LE(offset + 24),
      localHeaderOffset: zip.readUInt32LE(offset + 42),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The uncompressed content of one entry. */
export function readZipEntry(zip, entry) {
  const local = entry.localHeaderOffset;
  if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error(`bad local header for ${entry.name}`);
  const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return Buffer.from(data);
  if (entry.method === 8) return inflateRawSync(data);
  throw new Error(`${entry.name}: unsupported compression method ${entry.method}`);
}

// ---- What the manifest and the bundles reference.

const isCodicon = (icon) => typeof icon === 'string' && /^\$\([^)]*\)$/.test(icon);
const isRemote = (path) => /^[a-z][a-z0-9+.-]*:/i.test(path);

/** Asset paths (relative to the extension root) referenced by a package.json, each with where it is referenced. */
export function manifestAssets(manifest) {
  const assets = [];
  const add = (path, where) => {
    if (typeof path === 'string' && path && !isRemote(path) && !isCodicon(path)) assets.push({ path, where });
  };
  const addIcon = (icon, where) => {
    if (icon && typeof icon === 'object') {
      add(icon.light, `${where}.light`);
      add(icon.dark, `${where}.dark`);
    } else add(icon, where);
  };
  const addModule = (path, where) => {
    if (typeof path === 'string') add(/\.[cm]?js$/.test(path) ? path : `${path}.js`, where);
  };
  addModule(manifest.main, 'main');
  addModule(manifest.browser, 'browser');
  add(manifest.icon, 'icon');
  const contributes = manifest.contributes ?? {};
  (contributes.languages ?? []).forEach((language, i) => {
    add(language.configuration, `contributes.languages[${i}].configuration`);
    addIcon(language.icon, `contributes.languages[${i}].icon`);
  });
  (contributes.grammars ?? []).forEach((grammar, i) => add(grammar.path, `contributes.grammars[${i}].path`));
  (contributes.snippets ?? []).forEach((snippet, i) => add(snippet.path, `contributes.snippets[${i}].path`));
  for (const kind of ['themes', 'iconThemes', 'productIconThemes']) {
    (contributes[kind] ?? []).forEach((theme, i) => add(theme.path, `contributes.${kind}[${i}].path`));
  }
  (contributes.jsonValidation ?? []).forEach((validation, i) => add(validation.url, `contributes.jsonValidation[${i}].url`));
  (contributes.commands ?? []).forEach((command, i) => addIcon(command.icon, `contributes.commands[${i}].icon`));
  for (const [place, containers] of Object.entries(contributes.viewsContainers ?? {})) {
    containers.forEach((container, i) => addIcon(container.icon, `contributes.viewsContainers.${place}[${i}].icon`));
  }
  for (const [place, views] of Object.entries(contributes.views ?? {})) {
    views.forEach((view, i) => addIcon(view.icon, `contributes.views.${place}[${i}].icon`));
  }
  (contributes.walkthroughs ?? []).forEach((walkthrough, w) =>
    (walkthrough.steps ?? []).forEach((step, s) => {
      const where = `contributes.walkthroughs[${w}].steps[${s}].media`;
      addIcon(step.media?.image, `${where}.image`);
      add(step.media?.markdown, `${where}.markdown`);
      add(step.media?.svg, `${where}.svg`);
    }),
  );
  return assets;
}

/**
 * Files a bundle loads by a literal path relative to the extension root: context.asAbsolutePath('dist/server.js')
 * and vscode.Uri.joinPath(<extension uri>, 'dist', 'webview.js'). esbuild keeps these calls and their string
 * arguments readable even when minifying (joinPath is a property name).
 */
export function bundleAssets(source, bundleName) {
  const assets = [];
  const literal = String.raw`(?:"[^"\\\n]*"|'[^'\\\n]*'|` + '`[^`\\\\$\\n]*`)';
  const absolutePath = new RegExp(String.raw`asAbsolutePath\(\s*(${literal})\s*\)`, 'g');
  for (const match of source.matchAll(absolutePath)) {
    assets.push({ path: match[1].slice(1, -1), where: `${bundleName}: ${match[0]}` });
  }
  // joinPath(base, 'a', 'b'): the base is an expression without commas or parentheses (an extension uri).
  const joinPath = new RegExp(String.raw`joinPath\(\s*[\w$.]+\s*((?:,\s*${literal}\s*)+)\)`, 'g');
  for (const match of source.matchAll(joinPath)) {
    const segments = [...match[1].matchAll(new RegExp(literal, 'g'))].map((m) => m[0].slice(1, -1));
    // Only paths into the shipped folders: joinPath is also used for workspace or storage paths.
    if (/^(dist|media|images|syntaxes)$/.test(segments[0])) {
      assets.push({ path: segments.join('/'), where: `${bundleName}: ${match[0]}` });
    }
  }
  return assets;
}

/** Relative url(...) references in a stylesheet, resolved against the stylesheet's folder. */
export function stylesheetAssets(css, cssPath) {
  const assets = [];
  for (const match of css.matchAll(/url\(\s*(['"]?)([^'")]+)\1\s*\)/g)) {
    const url = match[2].trim();
    if (isRemote(url) || url.startsWith('#') || url.startsWith('/')) continue;
    assets.push({ path: posix.join(posix.dirname(cssPath), url.split(/[?#]/)[0]), where: `${cssPath}: ${match[0]}` });
  }
  return assets;
}

const normalize = (path) => posix.normalize(path.replace(/\\/g, '/')).replace(/^\.\//, '');

/** Checks a VSIX; returns the entries, the disallowed ones and the missing referenced assets. */
export function checkVsix(vsixPath) {
  const zip = readFileSync(vsixPath);
  const entries = readZipEntries(zip).filter((entry) => !entry.name.endsWith('/'));
  const byName = new Map(entries.map((entry) => [entry.name, entry]));
  const disallowed = entries.filter((entry) => !ALLOWED.some((pattern) => pattern.test(entry.name)));
  const manifestEntry = byName.get('extension/package.json');
  if (!manifestEntry) return { entries, disallowed, missing: [{ path: 'package.json', where: 'the VSIX itself' }] };
  const manifest = JSON.parse(readZipEntry(zip, manifestEntry).toString('utf8'));
  const referenced = manifestAssets(manifest);
  for (const entry of entries) {
    const path = entry.name.replace(/^extension\//, '');
    if (/^dist\/.*\.[cm]?js$/.test(path)) referenced.push(...bundleAssets(readZipEntry(zip, entry).toString('utf8'), path));
    if (/\.css$/.test(path)) referenced.push(...stylesheetAssets(readZipEntry(zip, entry).toString('utf8'), path));
  }
  // A reference may name a folder (a webview's localResourceRoots): present when something inside it is.
  const present = (path) => byName.has(`extension/${path}`) || entries.some((entry) => entry.name.startsWith(`extension/${path}/`));
  const missing = referenced.filter((asset) => !present(normalize(asset.path)));
  return { entries, disallowed, missing, referenced, manifest };
}

/** Runs vsce to package the repo into `outFile` (no dependencies: the bundles are self-contained). */
export function packageVsix(outFile) {
  const localVsce = join(repoRoot, 'node_modules', '.bin', 'vsce');
  mkdirSync(dirname(outFile), { recursive: true });
  const [command, args] = existsSync(localVsce) ? [localVsce, []] : ['npx', ['--no-install', 'vsce']];
  const result = spawnSync(
    command,
    // No repository field yet: without the flag vsce stops to ask whether to go on.
    [...args, 'package', '--no-dependencies', '--allow-missing-repository', '-o', outFile],
    { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (result.error) throw result.error;
  if (result.status !== 0 || !existsSync(outFile)) {
    throw new Error(`vsce package failed (${result.status}):\n${result.stdout}${result.stderr}`);
  }
  return outFile;
}

function formatSize(bytes) {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

function main(argv) {
  const outIndex = argv.indexOf('--out');
  const out = outIndex >= 0 ? resolve(argv[outIndex + 1]) : undefined;
  const given = argv.filter((arg, i) => !arg.startsWith('--') && !(outIndex >= 0 && i === outIndex + 1))[0];
  let tempDir;
  let vsix;
  if (given) {
    vsix = resolve(given);
  } else {
    if (!existsSync(join(repoRoot, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run `npm run build` first');
    tempDir = out ? undefined : mkdtempSync(join(tmpdir(), 'idm-package-check-'));
    vsix = packageVsix(out ?? join(tempDir, 'x.vsix'));
  }
  try {
    const { entries, disallowed, missing } = checkVsix(vsix);
    const total = entries.reduce((sum, entry) => sum + entry.size, 0);
    console.log(`${vsix}: ${entries.length} files, ${formatSize(total)} unpacked`);
    for (const entry of entries) console.log(`  ${formatSize(entry.size).padStart(11)}  ${entry.name}`);
    for (const entry of disallowed) console.error(`not a runtime file: ${entry.name}`);
    for (const asset of missing) console.error(`missing: ${asset.path} (referenced by ${asset.where})`);
    if (disallowed.length || missing.length) {
      console.error(`package check failed: ${disallowed.length} file(s) not allowed, ${missing.length} referenced asset(s) missing`);
      return 1;
    }
    console.log('package check passed');
    return 0;
  } finally {
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    console.error(`package check failed: ${error instanceof Error ? error.message : error}`);
    process.exitCode = 1;
  }
}
