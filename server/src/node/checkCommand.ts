/**
 * `idm-rel check [paths...]`: the checker, headless, for CI. Paths are files or folders (default: the current
 * folder). Files named explicitly are checked whatever their name; folders are searched with the file globs.
 * The files each checked file belongs with are read too, so references resolve, but only the requested files
 * are reported.
 */
import * as path from 'path';
import { pathToFileURL } from 'url';
import * as fs from 'fs';
import { CATALOGUE, DIAGNOSTIC_CODES, isDiagnosticCode, type DiagnosticCode, type Severity, type SeveritySetting } from '../core/diagnostics/catalogue';
import type { Finding } from '../core/diagnostics/finding';
import { Workspace } from '../core/model/workspace';
import { checkSchema } from '../core/rules/index';
import type { CheckSettings } from '../core/rules/context';
import { LineIndex, type Position } from '../core/text/lineIndex';
import { DEFAULT_FILE_GLOBS } from '../core/model/filePatterns';
import { VERSION } from '../core/product';
import { findFiles, readText, siblingCandidates } from './configFiles';
import { fixWorkspace, safeFix, type AppliedFix } from '../core/fixes/batchFix';
import { getQuickFixes } from '../core/fixes/quickFixes';
import { unifiedDiff } from '../core/text/unifiedDiff';
import { encode, readFileText, writeFileAtomic, type TextEncoding } from './fileText';

export interface CommandIO {
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Called by --fix after the fixes are computed and before any file is written (tests change a file here). */
  beforeWrite?(): void;
}

interface CheckOptions {
  format: 'text' | 'json' | 'sarif';
  paths: string[];
  settings: CheckSettings;
  globs: string[];
  fix: 'none' | 'write' | 'dry-run';
  maxWarnings?: number;
}

export const CHECK_USAGE = `Usage: idm-rel check [paths...] [options]

Checks the relationships in PingIDM / ForgeRock IDM and PingOne AIC managed object configs.
Paths are files or folders (default: the current folder).

Options:
  --format text|json|sarif   output format (default: text)
  --platform idm|aic         aic also checks PingOne AIC limits (default: idm)
  --severity CODE=LEVEL      override a code's severity: error, warning, information, hint or off (repeatable)
  --files GLOB               file pattern to search folders with (repeatable; default: ${DEFAULT_FILE_GLOBS.join(', ')})
  --fix                      apply every fix that needs no choice (one candidate, marked preferred), then report what is left
  --fix-dry-run              print the fixes as a unified diff on stdout, write nothing (the report goes to stderr)
  --max-warnings N           also exit 1 when there are more than N warnings

Exit status: 0 no errors, 1 errors found (or more warnings than --max-warnings), 2 usage or read error.
With --fix and --fix-dry-run the status is that of what is left after fixing.`;

function parseArgs(args: string[]): CheckOptions | string {
  const options: CheckOptions = { format: 'text', paths: [], settings: { severities: {} }, globs: [], fix: 'none' };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = () => {
      const inline = arg.includes('=') && arg.startsWith('--') ? arg.slice(arg.indexOf('=') + 1) : undefined;
      if (inline !== undefined) return inline;
      i++;
      return args[i];
    };
    const name = arg.startsWith('--') ? arg.split('=')[0] : arg;
    if (name === '--format') {
      const format = value();
      if (format !== 'text' && format !== 'json' && format !== 'sarif') return `unknown format '${format ?? ''}' (use text, json or sarif)`;
      options.format = format;
    } else if (name === '--platform') {
      const platform = value();
      if (platform !== 'idm' && platform !== 'aic') return `unknown platform '${platform ?? ''}' (use idm or aic)`;
      options.settings.platform = platform;
    } else if (name === '--severity') {
      const setting = value() ?? '';
      const [code, level] = setting.split('=');
      if (!isDiagnosticCode(code)) return `unknown code '${code}' in --severity (codes: ${DIAGNOSTIC_CODES.join(', ')})`;
      if (!['error', 'warning', 'information', 'hint', 'off'].includes(level)) return `unknown severity '${level ?? ''}' for ${code}`;
      options.settings.severities![code] = level as SeveritySetting;
    } else if (name === '--files') {
      const glob = value();
      if (!glob) return '--files needs a pattern';
      options.globs.push(glob);
    } else if (arg === '--fix' || arg === '--fix-dry-run') {
      const mode = arg === '--fix' ? 'write' : 'dry-run';
      if (options.fix !== 'none' && options.fix !== mode) return '--fix and --fix-dry-run cannot be combined';
      options.fix = mode;
    } else if (name === '--max-warnings') {
      const given = value();
      const count = Number(given);
      if (!given || !Number.isInteger(count) || count < -1) return `--max-warnings needs a whole number (got '${given ?? ''}'; -1 means no limit)`;
      options.maxWarnings = count < 0 ? undefined : count;
    } else if (arg.startsWith('-') && arg !== '-') {
      return `unknown option '${arg}'`;
    } else {
      options.paths.push(arg);
    }
  }
  if (!options.paths.length) options.paths.push('.');
  if (!options.globs.length) options.globs = [...DEFAULT_FILE_GLOBS];
  return options;
}

export function runCheckCommand(args: string[], io: CommandIO): number {
  const options = parseArgs(args);
  if (typeof options === 'string') {
    io.stderr(`idm-rel check: ${options}\n\n${CHECK_USAGE}\n`);
    return 2;
  }

  const requested = new Set<string>();
  const explicit = new Set<string>();
  let readErrors = 0;
  for (const given of options.paths) {
    const absolute = path.resolve(io.cwd, given);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch {
      io.stderr(`idm-rel check: cannot read '${given}': no such file or folder\n`);
      readErrors++;
      continue;
    }
    if (stat.isDirectory()) for (const file of findFiles(absolute, options.globs)) requested.add(file);
    else {
      requested.add(absolute);
      explicit.add(absolute);
    }
  }

  const workspace = new Workspace();
  const disk = new Map<string, { file: string; encoding?: TextEncoding; bytes: Buffer; text: string }>();
  const load = (file: string): boolean => {
    const uri = pathToFileURL(file).href;
    if (workspace.getFile(uri)) return true;
    const read = readFileText(file);
    if (read === undefined) return false;
    disk.set(uri, { file, encoding: read.encoding, bytes: read.bytes, text: read.text });
    workspace.setFile(uri, read.text);
    return true;
  };
  for (const file of requested) {
    if (!load(file)) {
      io.stderr(`idm-rel check: cannot read '${path.relative(io.cwd, file)}'\n`);
      readErrors++;
      requested.delete(file);
    }
  }
  for (const file of requested) for (const sibling of siblingCandidates(file, options.globs)) load(sibling);

  const relative = (file: string) => path.relative(io.cwd, file).split(path.sep).join('/');
  const requestedUris = new Map([...requested].map((file) => [pathToFileURL(file).href, file]));
  let fixedSummary: string | undefined;
  if (options.fix !== 'none') fixedSummary = runFixes(workspace, disk, requestedUris, options, io, relative);

  const reported: Array<{ file: string; finding: Finding; start: Position; end: Position }> = [];
  for (const schema of workspace.allSchemas()) {
    const findings = checkSchema(schema, options.settings);
    for (const configFile of schema.files) {
      const file = requestedUris.get(configFile.uri);
      if (!file) continue;
      if (configFile.layout === 'unknown') {
        // Found by a folder search: not ours, skip quietly. Named explicitly: say why nothing is checked.
        if (explicit.has(file)) {
          if (configFile.syntaxErrors.length) io.stderr(`idm-rel check: '${path.relative(io.cwd, file)}' is not valid JSON\n`);
          else { io.stderr(`idm-rel check: '${path.relative(io.cwd, file)}' is not a managed object config (no "objects", "name"+"schema" or "idm.managed")\n`); continue; }
        } else continue;
      }
      const index = new LineIndex(configFile.text);
      for (const finding of findings.get(configFile.uri) ?? []) {
        reported.push({ file, finding, start: index.positionAt(finding.range.start), end: index.positionAt(finding.range.end) });
      }
    }
  }
  reported.sort((a, b) => a.file.localeCompare(b.file) || a.finding.range.start - b.finding.range.start);

  // A dry run's stdout is the diff alone (it can be piped to `patch -p1`); its report goes to stderr.
  const out = options.fix === 'dry-run' ? io.stderr : io.stdout;
  if (options.format === 'json') {
    out(JSON.stringify(reported.map(({ file, finding, start, end }) => ({
      file: relative(file), range: { start, end }, severity: finding.severity, code: finding.code, message: finding.message,
    })), null, 2) + '\n');
  } else if (options.format === 'sarif') {
    out(JSON.stringify(toSarif(reported.map((r) => ({ ...r, file: relative(r.file) }))), null, 2) + '\n');
  } else {
    for (const { file, finding, start } of reported) {
      let choice = '';
      if (options.fix !== 'none') {
        // What is left after --fix: say whether a fix exists that needs the user's choice.
        const fixes = getQuickFixes(workspace, finding.data);
        choice = safeFix(fixes) ? ' (not fixed: a file its fix edits changed on disk or could not be written)'
          : fixes.length === 1 ? ' (not fixed: its one fix is not marked safe; review it in the editor)'
            : fixes.length > 1 ? ` (not fixed: ${fixes.length} fixes to choose from in the editor)` : '';
      }
      out(`${relative(file)}:${start.line + 1}:${start.character + 1} ${finding.severity} ${finding.code} ${finding.message}${choice}\n`);
    }
  }
  const counts = countBySeverity(reported.map((r) => r.finding.severity));
  if (options.format === 'text') {
    io.stderr(`${requested.size} file${requested.size === 1 ? '' : 's'} checked: ${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.warning} warning${counts.warning === 1 ? '' : 's'}, ${counts.information + counts.hint} other${fixedSummary ? ` (${fixedSummary})` : ''}\n`);
  }
  const tooManyWarnings = options.maxWarnings !== undefined && counts.warning > options.maxWarnings;
  if (tooManyWarnings) io.stderr(`idm-rel check: ${counts.warning} warnings, more than --max-warnings ${options.maxWarnings}\n`);
  if (readErrors) return 2;
  return counts.error > 0 || tooManyWarnings ? 1 : 0;
}

/**
 * --fix and --fix-dry-run: fixes the workspace in memory, then writes the changed files (or prints their diff).
 * Prints each applied fix; returns the summary for the report's last line. On return the workspace holds what is on
 * disk afterwards (or would be, for a dry run), so the report that follows is the re-check.
 */
function runFixes(
  workspace: Workspace,
  disk: Map<string, { file: string; encoding?: TextEncoding; bytes: Buffer; text: string }>,
  requestedUris: Map<string, string>,
  options: CheckOptions,
  io: CommandIO,
  relative: (file: string) => string,
): string {
  const writable = new Set([...disk].filter(([, entry]) => entry.encoding !== undefined).map(([uri]) => uri));
  for (const [uri, entry] of disk) {
    if (!entry.encoding && requestedUris.has(uri)) io.stderr(`idm-rel check: '${relative(entry.file)}' is not valid UTF-8 or UTF-16: no fix is written to it\n`);
  }
  const result = fixWorkspace(workspace, { settings: options.settings, targets: new Set(requestedUris.keys()), writable });
  const changed = [...disk].filter(([uri, entry]) => workspace.getFile(uri)?.text !== entry.text).map(([uri]) => uri).sort();

  // Files edited by one fix are written together or not at all: half a cross-file fix would break the pair.
  const groups = new UnionFind();
  for (const fix of result.applied) for (const uri of fix.uris) groups.union(fix.uris[0], uri);
  const leftAlone = new Set<string>();
  if (options.fix === 'write') {
    io.beforeWrite?.();
    for (const uri of changed) {
      const entry = disk.get(uri)!;
      let now: Buffer | undefined;
      try {
        now = fs.readFileSync(entry.file);
      } catch {
        now = undefined;
      }
      if (now && now.equals(entry.bytes)) continue;
      for (const other of changed) if (groups.find(other) === groups.find(uri)) leftAlone.add(other);
      io.stderr(`idm-rel check: '${relative(entry.file)}' changed on disk since it was read: left alone` +
        (changed.some((other) => other !== uri && groups.find(other) === groups.find(uri)) ? ', with the files its fixes also edit' : '') + '\n');
    }
  }

  let written = 0;
  for (const uri of changed) {
    const entry = disk.get(uri)!;
    const after = workspace.getFile(uri)!.text;
    if (options.fix === 'dry-run') {
      const name = relative(entry.file);
      io.stdout(unifiedDiff(`a/${name}`, `b/${name}`, entry.text, after));
    } else if (leftAlone.has(uri)) {
      // What is reported afterwards is what is on disk.
      workspace.setFile(uri, entry.text);
    } else {
      try {
        writeFileAtomic(entry.file, encode(after, entry.encoding!));
        written++;
      } catch (error) {
        workspace.setFile(uri, entry.text);
        io.stderr(`idm-rel check: cannot write '${relative(entry.file)}': ${error instanceof Error ? error.message : String(error)}\n`);
      }
    }
  }

  const applied = result.applied.filter((fix) => !fix.uris.some((uri) => leftAlone.has(uri)));
  const verb = options.fix === 'dry-run' ? 'would fix' : 'fixed';
  const report = options.fix === 'dry-run' || options.format !== 'text' ? io.stderr : io.stdout;
  for (const fix of applied) report(describeFix(fix, verb, relative, disk) + '\n');
  if (result.exhausted) io.stderr(`idm-rel check: stopped after ${result.passes} passes with fixes still to apply; run --fix again\n`);
  const files = options.fix === 'dry-run' ? changed.length : written;
  return `${applied.length} fix${applied.length === 1 ? '' : 'es'} ${options.fix === 'dry-run' ? 'would be applied' : 'applied'} in ${files} file${files === 1 ? '' : 's'}`;
}

function describeFix(fix: AppliedFix, verb: string, relative: (file: string) => string, disk: Map<string, { file: string }>): string {
  const fileOf = (uri: string) => relative(disk.get(uri)?.file ?? uri);
  const start = new LineIndex(fix.findingText).positionAt(fix.finding.range.start);
  const others = fix.uris.filter((uri) => uri !== fix.finding.uri).map(fileOf);
  return `${fileOf(fix.finding.uri)}:${start.line + 1}:${start.character + 1} ${verb} ${fix.finding.code}: ${fix.title.replace(/`/g, '')}` +
    (others.length ? ` (edits ${others.join(', ')})` : '');
}

class UnionFind {
  private readonly parent = new Map<string, string>();
  find(item: string): string {
    let root = item;
    while (this.parent.has(root) && this.parent.get(root) !== root) root = this.parent.get(root)!;
    this.parent.set(item, root);
    return root;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(rb, ra);
  }
}

function countBySeverity(severities: Severity[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const severity of severities) counts[severity]++;
  return counts;
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

function toSarif(results: Array<{ file: string; finding: Finding; start: Position; end: Position }>) {
  const codes = DIAGNOSTIC_CODES as DiagnosticCode[];
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'idm-rel',
          informationUri: 'https://github.com/idm-relationships/idm-relationships',
          version: VERSION,
          rules: codes.map((code) => ({
            id: code,
            shortDescription: { text: CATALOGUE[code].summary.replace(/`/g, '') },
            defaultConfiguration: { level: SARIF_LEVEL[CATALOGUE[code].severity] },
          })),
        },
      },
      columnKind: 'utf16CodeUnits',
      results: results.map(({ file, finding, start, end }) => ({
        ruleId: finding.code,
        ruleIndex: codes.indexOf(finding.code),
        level: SARIF_LEVEL[finding.severity],
        message: { text: finding.message },
        locations: [{
          physicalLocation: {
            artifactLocation: { uri: file },
            region: { startLine: start.line + 1, startColumn: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 },
          },
        }],
      })),
    }],
  };
}
