/**
 * The language server entry point: `node dist/server.js --stdio` (how the VS Code client and other editors start
 * it), or `--node-ipc`, `--socket=N`, `--pipe=NAME`. Plain LSP, so it also serves other editors.
 */
import { createConnection, ProposedFeatures, type Connection } from 'vscode-languageserver/node';
import { PRODUCT_NAME } from './core/product';
import { Session } from './lsp/session';
import { LargeMessageFilter } from './lsp/largeMessages';
import { registerCodeActions } from './lsp/features/codeActions';
import { registerCodeLens } from './lsp/features/codeLens';
import { registerCompletion } from './lsp/features/completion';
import { registerHover } from './lsp/features/hover';
import { registerNavigation } from './lsp/features/navigation';
import { registerRename } from './lsp/features/rename';
import { registerSymbols } from './lsp/features/symbols';
import { registerGraphFeatures } from './lsp/graphFeatures';
import { registerScenarioFeatures } from './lsp/scenarioFeatures';

/**
 * Over stdio, the input goes through the large-message filter (lsp/largeMessages.ts), which keeps a large document's
 * `didOpen` off this thread. Given streams, the library no longer sends `console` output away from stdout (which
 * carries the protocol), so that is done here.
 */
const stdio = process.argv.includes('--stdio');
let sessionRef: Session | undefined;
const filter = stdio ? new LargeMessageFilter(() => sessionRef?.settings.maxFileSize ?? Infinity, () => sessionRef?.host) : undefined;
const connection = filter ? createConnection(ProposedFeatures.all, filter, process.stdout) : createConnection(ProposedFeatures.all);
if (filter) {
  process.stdin.pipe(filter);
  keepConsoleOffStdout(connection);
}
const session: Session = (sessionRef = new Session(connection));
// Each feature registers its handlers and capabilities (one line each). Completion and code lenses route `.idmsim`
// scenarios to the scenario features.
const scenarios = registerScenarioFeatures(session);
registerCodeActions(session);
registerCompletion(session, scenarios);
registerHover(session);
registerNavigation(session);
registerRename(session);
registerSymbols(session);
registerCodeLens(session, scenarios);
registerGraphFeatures(session, scenarios);

process.on('uncaughtException', (error) => connection.console.error(`${PRODUCT_NAME}: uncaught ${error.stack ?? error.message}`));
connection.listen();

function keepConsoleOffStdout(connection: Connection): void {
  const text = (args: unknown[]) => args.map((arg) => (arg instanceof Error ? arg.stack ?? arg.message : String(arg))).join(' ');
  console.log = console.info = console.debug = (...args: unknown[]) => connection.console.log(text(args));
  console.warn = (...args: unknown[]) => connection.console.warn(text(args));
  console.error = (...args: unknown[]) => connection.console.error(text(args));
}
