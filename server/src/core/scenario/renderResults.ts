/**
 * The one text rendering of scenario results: the editor's response view beside a scenario and `idm-rel simulate`'s
 * text output print the same sections (a Markdown heading per request, its status, body, notifications and audited
 * relationship changes).
 */
import { statusText } from '../simulator/errors';
import { describeRelationshipChange } from '../simulator/store/audit';
import type { Notification } from '../simulator/types';
import type { PopulateReport } from '../simulator/engine';
import type { ScenarioResult } from './scenarioRun';

/** `201 Created` */
export function statusLine(status: number): string {
  return `${status} ${statusText(status)}`.trimEnd();
}

/** `managed/user/psmith: notify via roles from managed/role/admins (hop 1), recalculated effectiveRoles` */
export function describeNotification(n: Notification): string {
  const recalculated = n.recalculated?.length ? `, recalculated ${n.recalculated.join(', ')}` : '';
  return `${n.object}: ${n.reason} via ${n.via} from ${n.from} (hop ${n.depth})${recalculated}`;
}

/** One request's section. `line` is the 1-based line of the request in its scenario. */
export function renderResult(result: ScenarioResult, line: number, position = result.index + 1): string[] {
  const { method, path, query } = result.request;
  const queryText = Object.entries(query).map(([k, v]) => `${k}=${v}`).join('&');
  const lines = [
    `## ${position}. ${result.name ?? `${method} ${path}`} (line ${line})`,
    `${method} ${path}${queryText ? `?${queryText}` : ''}`,
    `→ ${statusLine(result.status)}`,
  ];
  if (result.body !== undefined && result.body !== null) lines.push('```json', JSON.stringify(result.body, null, 2), '```');
  if (result.notifications.length) {
    lines.push('Notified:');
    for (const notification of result.notifications) lines.push(`- ${describeNotification(notification)}`);
  } else {
    lines.push('Notified: nobody');
  }
  if (result.relationshipChanges.length) {
    lines.push('Relationship changes (audit):');
    for (const change of result.relationshipChanges) lines.push(`- ${describeRelationshipChange(change)}`);
  }
  return lines;
}

/** What a population added. */
export function renderPopulation(report: PopulateReport, ms: number): string[] {
  const objects = Object.entries(report.objects).map(([type, n]) => `${n} ${type}`).join(', ');
  return [`Populated ${objects || 'nothing'} with ${report.edges} relationships in ${ms} ms.`, ...report.skipped.map((s) => `- skipped: ${s}`)];
}
