/** The `idmRelationships.*` settings as the server reads them, with defaults and validation. */
import { isDiagnosticCode, type DiagnosticCode, type SeveritySetting } from '../core/diagnostics/catalogue';
import type { CheckSettings, Platform } from '../core/rules/context';
import { DEFAULT_FILE_GLOBS } from '../core/model/filePatterns';

export interface ServerSettings {
  validationDelay: number;
  platform: Platform;
  severities: Partial<Record<DiagnosticCode, SeveritySetting>>;
  files: string[];
  /** Files larger than this (bytes) are checked only when saved. */
  maxFileSize: number;
}

export { DEFAULT_FILE_GLOBS } from '../core/model/filePatterns';

export const DEFAULT_SETTINGS: ServerSettings = {
  validationDelay: 200,
  platform: 'idm',
  // VS Code's own JSON support already reports syntax errors in these files.
  severities: { 'json-syntax': 'off' },
  files: [...DEFAULT_FILE_GLOBS],
  maxFileSize: 5 * 1024 * 1024,
};

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);

/** Reads untrusted settings: anything malformed falls back to the default. */
export function readSettings(raw: unknown): ServerSettings {
  const value = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  // Syntax errors stay off unless asked for: VS Code's JSON support already reports them.
  const severities: Partial<Record<DiagnosticCode, SeveritySetting>> = { ...DEFAULT_SETTINGS.severities };
  if (value.severity && typeof value.severity === 'object') {
    for (const [code, severity] of Object.entries(value.severity as Record<string, unknown>)) {
      if (isDiagnosticCode(code) && typeof severity === 'string' && SEVERITIES.has(severity)) severities[code] = severity as SeveritySetting;
    }
  }
  const delay = value.validationDelay;
  const files = Array.isArray(value.files) && value.files.every((f) => typeof f === 'string') ? (value.files as string[]) : DEFAULT_SETTINGS.files;
  const maxFileSize = typeof value.maxFileSize === 'number' && value.maxFileSize > 0 ? value.maxFileSize : DEFAULT_SETTINGS.maxFileSize;
  return {
    validationDelay: typeof delay === 'number' && delay >= 0 && Number.isFinite(delay) ? delay : DEFAULT_SETTINGS.validationDelay,
    platform: value.platform === 'aic' ? 'aic' : 'idm',
    severities,
    files,
    maxFileSize,
  };
}

export function checkSettingsOf(settings: ServerSettings): CheckSettings {
  return { severities: settings.severities, platform: settings.platform };
}
