/** JSON syntax errors, so that a file that is not JSON says so instead of silently checking nothing. */
import type { RuleContext } from './context';

export function checkSyntax(context: RuleContext): void {
  for (const file of context.schema.files) {
    for (const error of file.syntaxErrors) {
      context.report('json-syntax', file, { start: error.offset, end: Math.max(error.end, error.offset) }, error.message, { data: { kind: error.kind } });
    }
  }
}
