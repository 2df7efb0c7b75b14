/**
 * 'full': the commit that precedes a 200 is fsynced (survives power loss, not only a crash of
 * Pacer). 'normal': WAL with synchronous=NORMAL (survives a crash of the process; a power cut may
 * lose the last commits). bench:webhooks measures both.
 */
export type Durability = 'full' | 'normal';

/** Where a webhook body came from. */
export type InboxSource = 'direct' | 'relay' | 'test';

export interface InboxItem {
  body: Buffer;
  source: InboxSource;
  /** Set for events that can arrive twice from the same upstream (the relay's event id). */
  sourceId?: string | null;
}

/** What the inbox writer thread is started with (its workerData). */
export interface WriterData {
  /** The database file (the main connection's, opened a second time on the thread). */
  file: string;
  durability: Durability;
  /** Absolute path of the SQLite driver's entry, resolved by the main thread (one copy of the native module). */
  sqlitePath: string;
  /** The store's key (hex) when it is encrypted (db/cipher.ts): the thread's connection needs it too. */
  keyHex: string | null;
}

/** One row to commit, posted by InboxWriterThread.append. */
export interface AppendMessage {
  seq: number;
  receivedAt: number;
  source: string;
  sourceId: string | null;
  body: Uint8Array;
}

/** The answer for one committed batch: the new row ids (null for a duplicate source id), or the error. */
export interface CommittedMessage {
  seqs: number[];
  ids?: (number | null)[];
  error?: string;
}

export type ToWriter = AppendMessage | 'close';
export type FromWriter = CommittedMessage | 'closed';
