/** A problem found by the checker, in offsets; the LSP glue and the CLI convert it to positions. */
import type { DiagnosticCode, Severity } from './catalogue';

export interface OffsetRange {
  start: number;
  end: number;
}

export interface RelatedLocation {
  uri: string;
  range: OffsetRange;
  message: string;
}

export interface Finding {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  uri: string;
  range: OffsetRange;
  related: RelatedLocation[];
  /** Machine-readable facts for quick fixes: JSON-serialisable, never parsed from the message. */
  data: FindingData;
}

/** A place in the model, by names rather than offsets, so it survives edits elsewhere in the file. */
export interface PropertyRef {
  uri: string;
  object: string;
  property: string;
  /** `internal` for internal.json overlays. */
  kind?: 'managed' | 'internal';
}

export interface FindingData {
  code: DiagnosticCode;
  /** The relationship or property the finding is on. */
  origin?: PropertyRef;
  [key: string]: unknown;
}
