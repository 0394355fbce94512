/**
 * Code lenses: reference counts and "go to the other side" on relationships (from the core), Send / Run all on
 * scenario requests (from the scenario features), and the reveal command the lenses run.
 */
import { CodeLensRefreshRequest, type CodeLens, type Range } from 'vscode-languageserver/node';
import { handleCodeLenses, type CodeLensData } from '../../core/features/codeLens';
import type { Positions } from '../../core/text/lineIndex';
import { toRange } from '../convert';
import { languageOf } from '../language';
import type { ScenarioFeatures } from '../scenarioFeatures';
import type { Session } from '../session';
import { cancelled, locationOf, locationsOf, openConfig, respond } from './requests';

/** Goes to a location: `[uri, range]`, answered with `window/showDocument`. */
export const REVEAL_COMMAND = 'idmRelationships.revealLocation';
/**
 * Lists locations in the editor's references view: `[uri, position, locations]`. Client side, because only the
 * editor can show the list (VS Code: convert and pass to `editor.action.showReferences`).
 */
export const SHOW_REFERENCES_COMMAND = 'idmRelationships.showReferences';

export function registerCodeLens(session: Session, scenarios: ScenarioFeatures): void {
  const connection = session.connection;
  session.addCapabilities({ codeLensProvider: { resolveProvider: false }, executeCommandProvider: { commands: [REVEAL_COMMAND] } });

  const codeLens = (lens: CodeLensData, index: Positions, clientUri: string): CodeLens => {
    const range = toRange(index, lens.range);
    const action = lens.action;
    if (!action) return { range, command: { title: lens.title, command: '' } };
    if (action.kind === 'reveal') {
      const target = locationOf(session, action.location);
      return { range, command: target ? { title: lens.title, command: REVEAL_COMMAND, arguments: [target.uri, target.range] } : { title: lens.title, command: '' } };
    }
    return { range, command: { title: lens.title, command: SHOW_REFERENCES_COMMAND, arguments: [clientUri, range.start, locationsOf(session, action.locations)] } };
  };

  // One code lens handler per connection: it routes scenarios to their features.
  connection.onCodeLens((params, token) => respond<CodeLens[] | null>(session, token, null, () => {
    const clientUri = params.textDocument.uri;
    if (languageOf(clientUri) === 'scenario') return scenarios.codeLenses(clientUri);
    // A large file's lenses are the summary its last check made, when the document still holds that text; else none.
    const large = session.largeSummary(clientUri);
    if (large) return large.lenses;
    const found = openConfig(session, clientUri);
    if (!found) return null;
    if (token.isCancellationRequested) return cancelled();
    return handleCodeLenses(session.workspace, found.uri, { summary: session.largeFiles.has(found.uri) }).map((lens) => codeLens(lens, found.index, clientUri));
  }));

  connection.onExecuteCommand((params) => session.safely(() => {
    if (params.command !== REVEAL_COMMAND) return null;
    const [uri, range] = (params.arguments ?? []) as [unknown, unknown];
    if (typeof uri !== 'string' || !isRange(range)) return null;
    void connection.window.showDocument({ uri, selection: range, takeFocus: true }).catch(() => undefined);
    return null;
  }, null));

  // Counts in other files' lenses change when any file of the configuration is checked.
  session.onDidCheck(() => {
    void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  });
  session.onDidCheckLarge(() => {
    void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  });
}

function isRange(value: unknown): value is Range {
  const range = value as Range | undefined;
  return !!range && typeof range.start?.line === 'number' && typeof range.start?.character === 'number' && typeof range.end?.line === 'number';
}
