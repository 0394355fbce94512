/** Runs every rule over a schema. Findings come back per file, with an entry (maybe empty) for every file. */
import type { Finding } from '../diagnostics/finding';
import type { Schema } from '../model/schema';
import { RuleContext, type CheckSettings } from './context';
import { checkKeyPlacement } from './placement';
import { checkNotification } from './notification';
import { checkObjectTypes } from './objectTypes';
import { checkPairCauses } from './pairing';
import { checkResourceCollections } from './resourceCollection';
import { checkReversePairs } from './reversePair';
import { checkSyntax } from './syntax';
import { checkUnreadableFiles } from './unreadableFiles';
import { checkUnreadParts } from './unread';
import { checkVirtualProperties } from './rdvp';
import { checkValueTypes } from './valueTypes';

export type { CheckSettings } from './context';

const RULES: Array<(context: RuleContext) => void> = [
  checkSyntax,
  checkUnreadableFiles,
  checkUnreadParts,
  checkObjectTypes,
  // First: the per-side rules fold the symptoms of each cause it finds into that cause's finding.
  checkPairCauses,
  checkResourceCollections,
  checkReversePairs,
  checkNotification,
  checkKeyPlacement,
  checkVirtualProperties,
  checkValueTypes,
];

export function checkSchema(schema: Schema, settings: CheckSettings = {}): Map<string, Finding[]> {
  const context = new RuleContext(schema, settings);
  for (const rule of RULES) rule(context);
  for (const list of context.findings.values()) list.sort((a, b) => a.range.start - b.range.start || a.code.localeCompare(b.code));
  return context.findings;
}
