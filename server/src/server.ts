/**
 * The language server entry point: `node dist/server.js --stdio` (or IPC when started by the VS Code client).
 * Plain LSP, so it also serves other editors.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { PRODUCT_NAME } from './core/product';
import { Session } from './lsp/session';
import { registerCodeActions } from './lsp/features/codeActions';
import { registerCodeLens } from './lsp/features/codeLens';
import { registerCompletion } from './lsp/features/completion';
import { registerHover } from './lsp/features/hover';
import { registerNavigation } from './lsp/features/navigation';
import { registerRename } from './lsp/features/rename';
import { registerSymbols } from './lsp/features/symbols';
import { registerGraphFeatures } from './lsp/graphFeatures';
import { registerScenarioFeatures } from './lsp/scenarioFeatures';

const connection = createConnection(ProposedFeatures.all);
const session = new Session(connection);
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
