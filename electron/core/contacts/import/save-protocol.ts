import type { SaveInput, SaveOutput } from './save-staged';

/** What an import's saving thread is given (save-worker.ts). */
export interface SaveWorkerData {
  /** The store's file and key (hex; null when unencrypted). */
  file: string;
  keyHex: string | null;
  input: SaveInput;
  /** [0] becomes 1 when the user cancels. */
  cancel: Int32Array;
}

export type FromSaver =
  | { type: 'tick'; done: number; total: number }
  | { type: 'counting' }
  | { type: 'done'; output: SaveOutput }
  | { type: 'error'; code: string; message: string; details?: unknown };
