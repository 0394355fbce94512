/** What every rule gets: the schema, the settings, and a way to report a finding. */
import type { JsonNode, JsonProperty } from '../json/ast';
import { CATALOGUE, type DiagnosticCode, type Severity, type SeveritySetting } from '../diagnostics/catalogue';
import type { Finding, FindingData, OffsetRange, PropertyRef, RelatedLocation } from '../diagnostics/finding';
import type { Schema } from '../model/schema';
import type { ConfigFile, ObjectType, PropertyDef } from '../model/types';
import type { Pairing } from './pairing';

export type Platform = 'idm' | 'aic';

export interface CheckSettings {
  /** Per-code severity; `off` hides the code. */
  severities?: Partial<Record<DiagnosticCode, SeveritySetting>>;
  /** `aic` turns on PingOne Advanced Identity Cloud limits. */
  platform?: Platform;
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

/** The milder of two severities. */
export function milder(a: Severity, b: Severity): Severity {
  return SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b;
}

export interface ReportOptions {
  related?: RelatedLocation[];
  data?: Omit<FindingData, 'code'>;
  /** Cap the severity (the configured one is used when it is milder). */
  atMost?: Severity;
  /**
   * The cause finding this one follows from (rules/pairing.ts): it is folded into the cause's related information
   * instead of being reported, so fixing the cause clears everything at once.
   */
  explainedBy?: Finding;
}

/**
 * "Did you mean" suggestions compare a name with every candidate; thousands of unknown names against thousands of
 * types would make a check quadratic. One check spends at most this much (candidates times name length); past it,
 * findings come without suggestions.
 */
const SUGGESTION_BUDGET = 2_000_000;

/**
 * What rules that read one object type alone reported on it, per type and rule, with the settings they ran with and
 * where the type started. An edit re-reads only the type it lies in and keeps the others, moved (model/configFile.ts
 * `updateConfigFile`): a kept type's findings are then the same, moved as far, and need not be computed again.
 */
const localFindings = new WeakMap<ObjectType, Map<string, { settings: string; offset: number; findings: Finding[] }>>();

export class RuleContext {
  readonly findings = new Map<string, Finding[]>();
  /** Which relationships pair with which, and the keys that break a pair (set by the pairing rule, which runs first). */
  pairing: Pairing | undefined = undefined;
  private suggestionBudget = SUGGESTION_BUDGET;
  private settingsKey: string | undefined = undefined;

  constructor(readonly schema: Schema, readonly settings: CheckSettings) {
    for (const file of schema.files) this.findings.set(file.uri, []);
  }

  /**
   * Runs `check`, a rule's part that reads `object` alone and reports only on it (nothing else in the schema changes
   * what it finds), or gives back what it reported the last time it ran on this object type with these settings.
   */
  perObject(object: ObjectType, rule: string, check: () => void): void {
    const list = this.findings.get(object.file.uri);
    if (!list) return check();
    const settings = (this.settingsKey ??= JSON.stringify(this.settings));
    const memo = localFindings.get(object)?.get(rule);
    if (memo && memo.settings === settings) {
      const delta = object.node.offset - memo.offset;
      for (const finding of memo.findings) list.push(moved(finding, delta));
      return;
    }
    const before = list.length;
    check();
    let memos = localFindings.get(object);
    if (!memos) localFindings.set(object, (memos = new Map()));
    memos.set(rule, { settings, offset: object.node.offset, findings: list.slice(before).map((finding) => moved(finding, 0)) });
  }

  severityOf(code: DiagnosticCode): SeveritySetting {
    return this.settings.severities?.[code] ?? CATALOGUE[code].severity;
  }

  /** `compute()`'s suggestions for `word` among `candidateCount` names, while the check's suggestion budget lasts. */
  suggest(word: string, candidateCount: number, compute: () => string[]): string[] {
    const cost = candidateCount * Math.max(1, Math.min(word.length, 64));
    if (cost > this.suggestionBudget) return [];
    this.suggestionBudget -= cost;
    return compute();
  }

  report(code: DiagnosticCode, file: ConfigFile, range: OffsetRange, message: string, options: ReportOptions = {}): Finding | undefined {
    if (options.explainedBy) {
      // A consequence of a cause reported elsewhere: shown under that finding, which names the key to repair.
      options.explainedBy.related.push(relatedAt(file, range, shortenMessage(`Follows from it: ${message}`)));
      return undefined;
    }
    const configured = this.severityOf(code);
    if (configured === 'off') return undefined;
    const severity = options.atMost ? milder(configured, options.atMost) : configured;
    const finding: Finding = {
      code,
      severity,
      message: shortenMessage(message),
      uri: file.uri,
      range,
      related: (options.related ?? []).map((location) => ({ ...location, message: shortenMessage(location.message) })),
      data: { code, ...options.data },
    };
    let list = this.findings.get(file.uri);
    if (!list) this.findings.set(file.uri, (list = []));
    list.push(finding);
    return finding;
  }
}

/** A copy of `finding` moved by `delta` (its related locations in the same file too), sharing nothing that changes. */
function moved(finding: Finding, delta: number): Finding {
  const shift = (range: OffsetRange) => ({ start: range.start + delta, end: range.end + delta });
  return {
    ...finding,
    range: shift(finding.range),
    related: finding.related.map((location) => (location.uri === finding.uri ? { ...location, range: shift(location.range) } : { ...location })),
  };
}

/** Messages quote names from the file; a name of megabytes must not travel to the editor whole. */
const MAX_MESSAGE_LENGTH = 2000;

/** Keeps the start and the end (which usually says what to do) of an over-long message. */
export function shortenMessage(message: string): string {
  if (message.length <= MAX_MESSAGE_LENGTH) return message;
  const half = MAX_MESSAGE_LENGTH / 2;
  let head = half;
  let tail = message.length - half;
  // Never split a surrogate pair.
  if (isHighSurrogate(message.charCodeAt(head - 1))) head--;
  if (isLowSurrogate(message.charCodeAt(tail))) tail++;
  return `${message.slice(0, head)} … ${message.slice(tail)}`;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

export function rangeOf(node: JsonNode): OffsetRange {
  return { start: node.offset, end: node.end };
}

export function keyRangeOf(property: JsonProperty): OffsetRange {
  return { start: property.keyOffset, end: property.keyEnd };
}

export function refOf(property: PropertyDef): PropertyRef {
  return { uri: property.owner.file.uri, object: property.owner.name, property: property.name, kind: property.owner.kind };
}

/** `user.manager`, or `internal/role.authzMembers` for overlays. */
export function displayName(property: PropertyDef): string {
  return `${objectLabel(property.owner)}.${property.name}`;
}

export function objectLabel(object: ObjectType): string {
  return object.kind === 'internal' ? `internal/${object.name}` : object.name;
}

export function relatedAt(file: ConfigFile, range: OffsetRange, message: string): RelatedLocation {
  return { uri: file.uri, range, message };
}

/** The place to point at for an object type: its name value, else the object itself. */
export function objectAnchor(object: ObjectType): OffsetRange {
  return object.nameNode ? rangeOf(object.nameNode) : { start: object.node.offset, end: object.node.offset + 1 };
}
