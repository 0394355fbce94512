/**
 * The notifications of one request, recorded compactly: a role change can notify 100,000 members, and
 * the trace is complete but usually read only in part, if at all. Entries are rows of integers (interned
 * keys and names); the `Notification` objects are built on the first read.
 */
import { grown } from './columns';
import type { Interner } from './interner';
import type { Notification } from '../types';

const REASONS: readonly Notification['reason'][] = ['notifySelf', 'notify', 'notifyRelationships'];
const NO_NAMES = -1;
const INITIAL_CAPACITY = 64;
const EMPTY_INT32 = new Int32Array(0);
const EMPTY_UINT8 = new Uint8Array(0);

export class NotificationTrace {
  private length = 0;
  // Columns are allocated on the first notification: most requests of a long scenario notify nobody, and six
  // typed arrays per request were a fifth of a 10,000-request Run all.
  private capacity = 0;
  private objects = EMPTY_INT32;
  private reasons = EMPTY_UINT8;
  private vias = EMPTY_INT32;
  private froms = EMPTY_INT32;
  private depths = EMPTY_INT32;
  /** Index into `nameLists` of the RDVP names recalculated, or NO_NAMES. */
  private recalculated = EMPTY_INT32;
  /** The distinct lists of recalculated names (one per object type, shared by its entries). */
  private readonly nameLists: Array<readonly string[]> = [];
  /** `keys` and `names` are the interners of the ids given to `add`. */
  constructor(private readonly keys: Interner, private readonly names: Interner) {}

  get size(): number {
    return this.length;
  }

  /** Records a notification (keys and field name by interned id); returns its row, for `setRecalculated`. */
  add(objectKeyId: number, reason: Notification['reason'], viaNameId: number, fromKeyId: number, depth: number): number {
    if (this.length === this.capacity) this.grow();
    const row = this.length++;
    this.objects[row] = objectKeyId;
    this.reasons[row] = REASONS.indexOf(reason);
    this.vias[row] = viaNameId;
    this.froms[row] = fromKeyId;
    this.depths[row] = depth;
    this.recalculated[row] = NO_NAMES;
    return row;
  }

  setRecalculated(row: number, names: readonly string[]): void {
    let list = this.nameLists.indexOf(names);
    if (list < 0) list = this.nameLists.push(names) - 1;
    this.recalculated[row] = list;
  }

  /** The notifications, in order, as the response shows them. */
  toArray(): Notification[] {
    const notifications: Notification[] = new Array(this.length);
    for (let row = 0; row < this.length; row++) {
      const notification: Notification = {
        object: this.keys.name(this.objects[row]),
        reason: REASONS[this.reasons[row]],
        via: this.names.name(this.vias[row]),
        from: this.keys.name(this.froms[row]),
        depth: this.depths[row],
      };
      const list = this.recalculated[row];
      if (list !== NO_NAMES) notification.recalculated = this.nameLists[list] as string[];
      notifications[row] = notification;
    }
    return notifications;
  }

  private grow(): void {
    this.capacity = Math.max(INITIAL_CAPACITY, this.capacity * 2);
    this.objects = grown(this.objects, this.capacity);
    this.reasons = grown(this.reasons, this.capacity);
    this.vias = grown(this.vias, this.capacity);
    this.froms = grown(this.froms, this.capacity);
    this.depths = grown(this.depths, this.capacity);
    this.recalculated = grown(this.recalculated, this.capacity);
  }
}
