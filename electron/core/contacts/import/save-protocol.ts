import type { MessagePort } from 'node:worker_threads';
import type { ImportCounts } from '../../../../shared/contract/contacts';
import type { SaveInit, SaveOutput } from './save-batches';

/** What an import's saving thread is given (save-worker.ts). */
export interface SaveWorkerData {
  /** The store's file and key (hex; null when unencrypted). */
  file: string;
  keyHex: string | null;
  init: SaveInit;
  /** [0] becomes 1 when the user cancels (read between the statements of a batch). */
  cancel: Int32Array;
  /** The reading thread's rows (read-protocol.ts FromReader), and where 'more' goes back. */
  rows: MessagePort;
}

/** The CPU time (ms) the import's threads used; null where Node cannot tell. */
export interface ThreadsCpu {
  readingMs: number | null;
  savingMs: number | null;
}

/** From the core's thread: stop now and roll back (the user cancelled, or the reading thread died). */
export type ToSaver = { type: 'abort'; code: string; message: string };

export type FromSaver =
  | { type: 'progress'; counts: ImportCounts; bytesRead: number }
  /** The last batch is in: the import's record and the commit follow. */
  | { type: 'finishing' }
  | { type: 'done'; output: SaveOutput; cpu: ThreadsCpu }
  | { type: 'error'; code: string; message: string; details?: unknown };
