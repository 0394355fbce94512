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
import { findFiles, readText, siblingCandidates } from './configFiles';

export interface CommandIO {
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
}

interface CheckOptions {
  format: 'text' | 'json' | 'sarif';
  paths: string[];
  settings: CheckSettings;
  globs: string[];
}

export const CHECK_USAGE = `Usage: idm-rel check [paths...] [options]

Checks the relationships in PingIDM / ForgeRock IDM and PingOne AIC managed object configs.
Paths are files or folders (default: the current folder).

Options:
  --format text|json|sarif   output format (default: text)
  --platform idm|aic         aic also checks PingOne AIC limits (default: idm)
  --severity CODE=LEVEL      override a code's severity: error, warning, information, hint or off (repeatable)
  --files GLOB               file pattern to search folders with (repeatable; default: ${DEFAULT_FILE_GLOBS.join(', ')})

Exit status: 0 no errors, 1 errors found, 2 usage or read error.`;

function parseArgs(args: string[]): CheckOptions | string {
  const options: CheckOptions = { format: 'text', paths: [], settings: { severities: {} }, globs: [] };
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
  const load = (file: string): boolean => {
    const uri = pathToFileURL(file).href;
    if (workspace.getFile(uri)) return true;
    const text = readText(file);
    if (text === undefined) return false;
    workspace.setFile(uri, text);
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

  const reported: Array<{ file: string; finding: Finding; start: Position; end: Position }> = [];
  const requestedUris = new Map([...requested].map((file) => [pathToFileURL(file).href, file]));
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

  const relative = (file: string) => path.relative(io.cwd, file).split(path.sep).join('/');
  if (options.format === 'json') {
    io.stdout(JSON.stringify(reported.map(({ file, finding, start, end }) => ({
      file: relative(file), range: { start, end }, severity: finding.severity, code: finding.code, message: finding.message,
    })), null, 2) + '\n');
  } else if (options.format === 'sarif') {
    io.stdout(JSON.stringify(toSarif(reported.map((r) => ({ ...r, file: relative(r.file) }))), null, 2) + '\n');
  } else {
    for (const { file, finding, start } of reported) {
      io.stdout(`${relative(file)}:${start.line + 1}:${start.character + 1} ${finding.severity} ${finding.code} ${finding.message}\n`);
    }
    const counts = countBySeverity(reported.map((r) => r.finding.severity));
    io.stderr(`${requested.size} file${requested.size === 1 ? '' : 's'} checked: ${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.warning} warning${counts.warning === 1 ? '' : 's'}, ${counts.information + counts.hint} other\n`);
  }
  if (readErrors) return 2;
  return reported.some((r) => r.finding.severity === 'error') ? 1 : 0;
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
          version: '0.1.0',
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
