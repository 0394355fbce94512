/**
 * When each kind of input of an RDVP last changed, so that a notified object can keep an RDVP whose inputs
 * have not changed since it was calculated, instead of walking its paths again. A role change notifies
 * 100,000 members: their `effectiveAssignments` must be recalculated, but nothing that `effectiveRoles`
 * (the members' roles) or `memberOfOrgIDs` (their organizations) reads has changed.
 *
 * Stamps are marks from `newMark()` (one increasing counter), so "changed after the value was calculated"
 * is a comparison. They are coarse on purpose: per (collection, property), every edge end linked into or
 * unlinked from such a slot of any object of the collection; per collection, every write of any of its
 * documents. A stamp that says "changed" when the change was elsewhere only costs a recalculation; one that
 * missed a change would leave a wrong value, so every write path of the store stamps.
 */
import { newMark } from './marks';

/** In a list of collection ids: any collection (an RDVP path through a relationship without resourceCollection). */
export const ANY_COLLECTION = -1;

export class ChangeStamps {
  /** Per collection id, per property id: the last change of such a slot. */
  private readonly slotChanges: Float64Array[] = [];
  /** Per property id: the last change of a slot of that name in any collection. */
  private anySlotChanges: Float64Array = new Float64Array(64);
  private documentChanges: Float64Array = new Float64Array(16);
  private anyDocumentChange = 0;
  /** Marks up to this one are no proof of anything (a rolled-back request, a schema change). */
  private distrustedUpTo = 0;

  /** An edge end was linked into, or unlinked from, slot `propertyId` of an object of collection `collectionId`. */
  slotChanged(collectionId: number, propertyId: number): void {
    const mark = newMark();
    if (propertyId >= this.anySlotChanges.length) this.anySlotChanges = larger(this.anySlotChanges, propertyId);
    this.anySlotChanges[propertyId] = mark;
    let perProperty = this.slotChanges[collectionId];
    if (perProperty === undefined || propertyId >= perProperty.length) {
      perProperty = this.slotChanges[collectionId] = larger(perProperty ?? new Float64Array(0), propertyId);
    }
    perProperty[propertyId] = mark;
  }

  /** A document (fields or revision) of the collection `collectionId` was written (-1: of no stored object yet); returns the stamp. */
  documentChanged(collectionId: number): number {
    const mark = newMark();
    this.anyDocumentChange = mark;
    if (collectionId < 0) return mark;
    if (collectionId >= this.documentChanges.length) this.documentChanges = larger(this.documentChanges, collectionId);
    this.documentChanges[collectionId] = mark;
    return mark;
  }

  /** Every value calculated so far may be stale: a rollback restored older values, or the schema changed. */
  distrustAll(): void {
    this.distrustedUpTo = newMark();
  }

  /** Whether no slot `propertyId` of an object of collection `collectionId` changed after mark `at`. */
  slotUnchangedSince(at: number, collectionId: number, propertyId: number): boolean {
    return at > this.distrustedUpTo && this.slotStamp(collectionId, propertyId) < at;
  }

  /** The last change of slot `propertyId` of an object of `collectionId` (ANY_COLLECTION: of any); 0 for never. */
  private slotStamp(collectionId: number, propertyId: number): number {
    const stamps = collectionId === ANY_COLLECTION ? this.anySlotChanges : this.slotChanges[collectionId];
    return stamps !== undefined && propertyId < stamps.length ? stamps[propertyId] : 0;
  }

  /**
   * Whether a value calculated at mark `calculatedAt` is still what a calculation would give now, as far as
   * these stamps tell: none of `slotReads` ((collection, property) pairs laid flat) and no document of
   * `documentReads` changed since.
   */
  unchangedSince(calculatedAt: number, slotReads: readonly number[], documentReads: readonly number[]): boolean {
    if (calculatedAt <= this.distrustedUpTo) return false;
    for (let i = 0; i < slotReads.length; i += 2) {
      if (this.slotStamp(slotReads[i], slotReads[i + 1]) >= calculatedAt) return false;
    }
    for (let i = 0; i < documentReads.length; i++) {
      const collectionId = documentReads[i];
      const stamp = collectionId === ANY_COLLECTION ? this.anyDocumentChange : collectionId < this.documentChanges.length ? this.documentChanges[collectionId] : 0;
      if (stamp >= calculatedAt) return false;
    }
    return true;
  }
}

function larger(stamps: Float64Array, index: number): Float64Array<ArrayBuffer> {
  const grown = new Float64Array(Math.max(index + 1, stamps.length * 2, 16));
  grown.set(stamps);
  return grown;
}
