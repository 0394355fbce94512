/**
 * Where a server's answer to a request differs from the simulator's: Run all against target and
 * `idm-rel simulate --target`. Status and body are compared field by field; values a server generates are not
 * differences: revisions (`_rev`, `_refResourceRev`, the ETag) always differ between two servers, and ids
 * (`_id`, `_refResourceId`, the id in a `_ref`) when both sides generated one (IDM's generated ids are UUIDs, the
 * simulator's are a UUID with a counter). Notifications are compared only when the server shows them (IDM's REST
 * API does not).
 */
import type { Notification } from '../simulator/types';

export interface ComparedAnswer {
  status: number;
  body: unknown;
  /** Who was notified, when the answering side shows it (the simulator does; a server's REST API does not). */
  notifications?: Notification[];
}

export interface AnswerDifference {
  /** `status`, `body`, `body.manager._ref`, `body.result[1]`, `notifications` */
  where: string;
  simulator: unknown;
  target: unknown;
}

/** Keys whose values are revisions: never the same on two servers. */
const REVISION_KEYS = new Set(['_rev', '_refResourceRev']);
/** Keys whose values are ids, generated when the client gave none. */
const ID_KEYS = new Set(['_id', '_refResourceId']);
/** A generated id: a UUID, possibly with the simulator's `-<counter>` suffix. */
const GENERATED_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?:-\d+)?$/i;

export function compareAnswers(simulator: ComparedAnswer, target: ComparedAnswer): AnswerDifference[] {
  const differences: AnswerDifference[] = [];
  if (simulator.status !== target.status) differences.push({ where: 'status', simulator: simulator.status, target: target.status });
  compareValues('body', simulator.body ?? null, target.body ?? null, differences);
  if (target.notifications !== undefined && simulator.notifications !== undefined) {
    const names = (list: Notification[]) => list.map((n) => `${n.object} (${n.reason})`).sort();
    const simulated = names(simulator.notifications);
    const served = names(target.notifications);
    if (simulated.join('\n') !== served.join('\n')) differences.push({ where: 'notifications', simulator: simulated, target: served });
  }
  return differences;
}

/** Both generated ids, or both references to the same collection by generated ids. */
function bothGenerated(a: unknown, b: unknown): boolean {
  return typeof a === 'string' && typeof b === 'string' && GENERATED_ID.test(a) && GENERATED_ID.test(b);
}

function sameRefIgnoringGeneratedIds(a: string, b: string): boolean {
  const split = (ref: string) => {
    const slash = ref.lastIndexOf('/');
    return slash < 0 ? [ref, ''] : [ref.slice(0, slash), ref.slice(slash + 1)];
  };
  const [collectionA, idA] = split(a);
  const [collectionB, idB] = split(b);
  return collectionA === collectionB && (idA === idB || bothGenerated(idA, idB));
}

function compareValues(where: string, a: unknown, b: unknown, out: AnswerDifference[]): void {
  if (a === b) return;
  if (Array.isArray(a) && Array.isArray(b)) {
    const length = Math.max(a.length, b.length);
    for (let i = 0; i < length; i++) {
      if (i >= a.length) out.push({ where: `${where}[${i}]`, simulator: undefined, target: b[i] });
      else if (i >= b.length) out.push({ where: `${where}[${i}]`, simulator: a[i], target: undefined });
      else compareValues(`${where}[${i}]`, a[i], b[i], out);
    }
    return;
  }
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const key of keys) {
      const path = `${where}.${key}`;
      if (REVISION_KEYS.has(key)) continue;
      const left = a[key];
      const right = b[key];
      if (ID_KEYS.has(key) && bothGenerated(left, right)) continue;
      if (key === '_ref' && typeof left === 'string' && typeof right === 'string' && sameRefIgnoringGeneratedIds(left, right)) continue;
      if (left === undefined) out.push({ where: path, simulator: undefined, target: right });
      else if (right === undefined) out.push({ where: path, simulator: left, target: undefined });
      else compareValues(path, left, right, out);
    }
    return;
  }
  out.push({ where, simulator: a, target: b });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `body.manager._ref: simulator "managed/user/bjensen", target "managed/user/scarter"` */
export function describeDifference(difference: AnswerDifference): string {
  const show = (value: unknown) => (value === undefined ? '(absent)' : JSON.stringify(value));
  return `${difference.where}: simulator ${show(difference.simulator)}, target ${show(difference.target)}`;
}
