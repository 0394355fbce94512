/**
 * The messages between the server's thread (largeDocumentHost.ts) and the large-document host worker
 * (largeFileWorker.ts). They travel over one `MessagePort`, in order: an edit sent after an open reaches the host after
 * it, and a check or a text asked for after an edit sees that edit.
 */
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver/node';
import type { LargeCheckJob, LargeCheckResult } from './largeCheck';

/** The size of the parts a large text crosses between the threads in (a few ms each to copy, not one long copy). */
export const TEXT_PART = 4 * 1024 * 1024;

export type HostRequest =
  /** A large document's `didOpen`, as the bytes it came in, in the parts it was read in (transferred, not copied); the host decodes it. */
  | { type: 'open'; uri: string; version: number; parts: ArrayBuffer[]; limit: number }
  | { type: 'change'; uri: string; version: number; changes: TextDocumentContentChangeEvent[]; limit: number }
  | { type: 'close'; uri: string }
  /** A hosted document's text, in parts; `take`: and forget it (it turned out not to be large). */
  | { type: 'text'; id: number; uri: string; take?: boolean }
  /** Files marked `hosted` have no text in the job; files with `parts` have theirs in that many string messages after it. */
  | { type: 'check'; id: number; job: LargeCheckJob };

export type HostReply =
  | { type: 'ready' }
  /**
   * `large`: over the limit in UTF-8 bytes, the unit of `maxFileSize`; `length`: the text's length in UTF-16 code
   * units, which its UTF-8 size is at least (a bound the server's thread keeps without asking again).
   */
  | { type: 'opened'; uri: string; large: boolean; length?: number; error?: string }
  /** After each edit: whether the text is still over the limit, and its length as above. */
  | { type: 'changed'; uri: string; version: number; large: boolean; length?: number }
  /** `version` -1: the host has no such document. */
  | { type: 'text'; id: number; part: string; last: boolean; version: number }
  | { type: 'checked'; id: number; result?: LargeCheckResult; error?: string };
