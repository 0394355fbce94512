/**
 * The language server entry point: `node dist/server.js --stdio` (or IPC when started by the VS Code client).
 * Plain LSP, so it also serves other editors.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { Session } from './lsp/session';
import { registerEditingFeatures } from './lsp/editingFeatures';
import { registerGraphFeatures } from './lsp/graphFeatures';
import { registerScenarioFeatures } from './lsp/scenarioFeatures';

const connection = createConnection(ProposedFeatures.all);
const session = new Session(connection);
// Feature modules register their handlers here (one line each).
registerEditingFeatures(session);
const scenarios = registerScenarioFeatures(session);
registerGraphFeatures(session, scenarios);

process.on('uncaughtException', (error) => connection.console.error(`idm-relationships: uncaught ${error.stack ?? error.message}`));
connection.listen();
