/**
 * The ten positions where users of relationship configs ask for completion most, as edits of the sample workspace's
 * conf/managed.json (the file `npm start` opens). `|` in `replace` is the cursor. Shared by the unit test of the JSON
 * schema (which answers what, run with VS Code's JSON language service) and the E2E test in the real suggest widget.
 */
export interface CompletionPosition {
  name: string;
  /** Search for `find` after the first occurrence of `after` (when given). */
  after?: string;
  find: string;
  replace: string;
}

export const COMPLETION_POSITIONS: CompletionPosition[] = [
  { name: 'reversePropertyName value', find: '"reversePropertyName" : "owner"', replace: '"reversePropertyName" : "|"' },
  { name: 'resourceCollection path value', find: '"path" : "managed/role"', replace: '"path" : "|"' },
  { name: 'query.fields item', find: '"fields" : [ "serialNumber" ]', replace: '"fields" : [ "|" ]' },
  { name: 'query.sortKeys item', find: '"sortKeys" : [ ]', replace: '"sortKeys" : [ "|" ]' },
  { name: 'notifyRelationships item', find: '"notifyRelationships" : ["members"]', replace: '"notifyRelationships" : ["|"]' },
  { name: 'referencedRelationshipFields item', find: '"referencedRelationshipFields" : ["roles"]', replace: '"referencedRelationshipFields" : ["|"]' },
  { name: 'reverseRelationship value', find: '"reverseRelationship" : true,', replace: '"reverseRelationship" : |,' },
  { name: 'type value of a relationship property', after: '"manager" : {', find: '"type" : "relationship"', replace: '"type" : "|"' },
  { name: 'key in a relationship node', find: '"validate" : true,', replace: '"|" : true,' },
  { name: 'key on a relationship property', find: '"returnByDefault" : false,', replace: '"|" : false,' },
];

/** The text with the position's edit made, and the cursor's offset. */
export function atPosition(text: string, position: CompletionPosition): { text: string; offset: number; line: number; character: number } {
  const from = position.after ? text.indexOf(position.after) : 0;
  if (from < 0) throw new Error(`${position.name}: '${position.after}' not found`);
  const at = text.indexOf(position.find, from);
  if (at < 0) throw new Error(`${position.name}: '${position.find}' not found`);
  const cursor = position.replace.indexOf('|');
  const edited = text.slice(0, at) + position.replace.replace('|', '') + text.slice(at + position.find.length);
  const offset = at + cursor;
  const before = edited.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { text: edited, offset, line, character: offset - (before.lastIndexOf('\n') + 1) };
}
