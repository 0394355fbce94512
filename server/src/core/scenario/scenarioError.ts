/**
 * A problem in a `.idmsim` scenario's text. Its own module so that the curl reader and the scenario parser, which
 * both report these, do not import each other.
 */
import type { OffsetRange } from '../diagnostics/finding';

export type ScenarioErrorCode =
  | 'idmsim-bad-json'
  | 'idmsim-missing-url'
  | 'idmsim-bad-url'
  | 'idmsim-bad-query'
  | 'idmsim-duplicate-query'
  | 'idmsim-bad-header'
  | 'idmsim-curl-syntax'
  | 'idmsim-curl-unsupported'
  | 'idmsim-bad-directive'
  | 'idmsim-stray-text';

export interface ScenarioError {
  code: ScenarioErrorCode;
  severity: 'error' | 'warning';
  message: string;
  range: OffsetRange;
}
