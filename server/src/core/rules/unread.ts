/**
 * Parts of a recognised config file the model could not read (a JSON-Patch operation it does not follow, an entry of
 * `objects` that is not an object type): said out loud, because a file that is "checked" while part of it is skipped
 * would let broken pairs there pass in silence.
 */
import { rangeOf, type RuleContext } from './context';

export function checkUnreadParts(context: RuleContext): void {
  for (const file of context.schema.files) {
    file.unread.forEach((part, index) => {
      context.report('config-entry-unread', file, rangeOf(part.node), part.reason, { data: { index, layout: file.layout } });
    });
  }
}
