/**
 * Config files that match the file patterns but could not be read (a FIFO, a socket, no permission). Their types are
 * missing from the check, so references to them look unknown: each file that was read says which one was not and why,
 * so "unknown type" findings come with their cause.
 */
import type { RuleContext } from './context';

export function checkUnreadableFiles(context: RuleContext): void {
  for (const entry of context.schema.unreadable) {
    for (const file of context.schema.files) {
      if (file.layout === 'unknown') continue;
      const range = { start: 0, end: Math.min(1, file.text.length) };
      const message = `${entry.path} could not be read (${entry.reason}): the object types defined there are missing from this check.`;
      context.report('config-file-unreadable', file, range, message, { data: { path: entry.path, reason: entry.reason, unreadable: entry.uri } });
    }
  }
}
