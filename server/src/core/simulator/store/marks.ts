/**
 * Marks: numbers never handed out before, from one increasing counter shared by every store. Passes over
 * many objects tag records with them (a fresh mark needs no clearing of old ones), and change stamps use
 * them as a clock. Doubles count exactly to 2^53: a long session cannot run out.
 */
let lastMark = 0;

export function newMark(): number {
  return ++lastMark;
}
