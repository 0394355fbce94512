/**
 * What every request handler of a config feature shares: answering after a cancellation could be read, the file behind
 * a request (up to date with the editor), and offsets turned into LSP locations and edits.
 */
import { LSPErrorCodes, ResponseError, type CancellationToken, type Location, type Position, type Range, type TextEdit } from 'vscode-languageserver/node';
import type { OffsetRange } from '../../core/diagnostics/finding';
import type { LocationData } from '../../core/features/navigation';
import type { Positions } from '../../core/text/lineIndex';
import { toRange } from '../convert';
import { languageOf } from '../language';
import type { Session } from '../session';

export const cancelled = () => new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');

/** Lets messages already received (a `$/cancelRequest` among them) be read before the work starts. */
const readPendingMessages = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs a handler's work after the messages waiting behind its request have been read, so a cancellation sent right
 * after the request is seen, and after the workspace's config files have first been read (bounded: see
 * `Session.workspaceRead`), so nothing is said from an opened file without its siblings; and, with `reads`, after the
 * text of the large documents it reads has come from the host (`Session.fetchHostedTexts`; `uri` undefined: all of
 * them); `work` checks the token
 * again between its own phases. A bug answers `fallback` (logged
 * by `session.safely`), never a dead server.
 */
export function respond<T>(session: Session, token: CancellationToken, fallback: T, work: () => T | ResponseError, reads?: { uri?: string }): Promise<T | ResponseError> {
  return readPendingMessages()
    .then(() => session.workspaceRead())
    .then(() => (reads ? session.fetchHostedTexts(reads.uri) : session.hostSettled()))
    .then(() => session.safely<T | ResponseError>(() => (token.isCancellationRequested ? cancelled() : work()), fallback));
}

/**
 * The config file behind a request, with the model up to date with every open document, and the offset of
 * `position` in it. Undefined for scenarios (syncing one would put it in the workspace the checker reads) and for
 * files the model does not hold.
 */
export function openConfig(session: Session, clientUri: string, position?: Position) {
  if (languageOf(clientUri) !== 'config') return undefined;
  session.bringUpToDate(clientUri);
  const found = session.fileOf(clientUri);
  if (!found) return undefined;
  return { ...found, offset: position ? found.index.offsetAt(position) : 0 };
}

export function rangeIn(session: Session, uri: string, range: OffsetRange): Range | undefined {
  const index = session.lineIndexOf(uri);
  return index ? toRange(index, range) : undefined;
}

export function locationOf(session: Session, data: LocationData): Location | undefined {
  const range = rangeIn(session, data.uri, data.range);
  return range ? { uri: session.clientUriOf(data.uri), range } : undefined;
}

export function locationsOf(session: Session, list: LocationData[]): Location[] {
  return list.map((data) => locationOf(session, data)).filter((l): l is Location => !!l);
}

export function textEdit(index: Positions, edit: { offset: number; length: number; content: string }): TextEdit {
  return { range: toRange(index, { start: edit.offset, end: edit.offset + edit.length }), newText: edit.content };
}
