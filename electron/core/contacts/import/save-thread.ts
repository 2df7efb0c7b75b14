/**
 * Reads and saves an import at the same time, on two threads of their own: the reading thread
 * (read-worker.ts) parses and validates the file's rows and sends them straight to the saving
 * thread (save-worker.ts), which holds the store's write lock on a connection of its own and saves
 * each batch as it comes (save-batches.ts), in one transaction committed after the last batch.
 *
 * Why: on two cores the reading (~10 s of CPU for a million rows) and the saving (~15 s) overlap,
 * and the core's thread stays free — it answers calls meanwhile; its reads see the store as it was
 * before the import (WAL), and the import's rows appear at once, at the commit. (Before, the rows
 * were written to a staging file on the core's thread and merged after the whole file was read.)
 *
 * A write of the core's (a send recorded, a STOP) waits for the import's write lock instead of
 * running beside it: the core's busy timeout is raised for as long as the threads run, so such a
 * write blocks the core's thread until the commit rather than failing with "database is locked".
 * Nothing of the core's joins the import's transaction.
 *
 * Where the threads cannot start (an in-memory store, a bundle built without their files, or
 * PACER_IMPORT_SAVE_THREAD=off) the whole file is read first and then saved on the core's
 * connection in one synchronous run — so no other call of the core's can run inside the transaction.
 */
import { MessageChannel, Worker } from 'node:worker_threads';
import type { AttributeType, ImportCounts } from '../../../../shared/contract/contacts';
import type { ErrorCode } from '../../../../shared/contract/result';
import { storeKeyOf, type Db } from '../../db/connection';
import { PacerError } from '../../errors';
import { workerScript } from '../../threads/worker-script';
import type { OpenedInfo } from './read-protocol';
import { openStagedReader, readThreadScript, startRowsThread, type ReadOptions } from './read-thread';
import { BatchSave, type SaveInit, type SaveOutput } from './save-batches';
import type { FromSaver, SaveWorkerData, ThreadsCpu, ToSaver } from './save-protocol';
import type { StagedBatch } from './stage-rows';

export const SAVE_WORKER_BUNDLE_NAME = 'import-save-worker.mjs';

export interface SaveImportHooks {
  /** The file opened (its format, encoding, size, consent column). */
  opened(info: OpenedInfo): void;
  /** Rows read and saved so far. */
  progress(counts: ImportCounts, bytesRead: number): void;
  /** Everything was read: the commit follows (no cancel any more). */
  finishing(): void;
  signal?: AbortSignal | undefined;
}

/** The saved import, and its threads' CPU time (null when it was saved on the core's thread). */
export interface SaveResult {
  opened: OpenedInfo;
  output: SaveOutput;
  cpu: ThreadsCpu | null;
}

/** What the save needs besides the file's description, which the reading thread finds. */
export type SaveSettings = Omit<SaveInit, 'bytesTotal' | 'file'>;

/** How long a write of the core's may wait for the import's commit (a million rows take ~20 s). */
const CORE_WAIT_DURING_SAVE_MS = 10 * 60_000;

export async function readAndSave(db: Db, read: ReadOptions, settings: SaveSettings, hooks: SaveImportHooks): Promise<SaveResult> {
  let saveScript: ReturnType<typeof workerScript> | null = null;
  try {
    if (db.name !== ':memory:' && db.name !== '' && process.env.PACER_IMPORT_SAVE_THREAD !== 'off')
      saveScript = workerScript(SAVE_WORKER_BUNDLE_NAME, './save-worker.ts', import.meta.url);
  } catch {
    saveScript = null;
  }
  const readScript = saveScript ? readThreadScript(read) : null;
  if (saveScript && readScript) return onThreads(db, read, settings, hooks, readScript, saveScript);
  return readThenSave(db, read, settings, hooks);
}

async function onThreads(
  db: Db,
  read: ReadOptions,
  settings: SaveSettings,
  hooks: SaveImportHooks,
  readScript: NonNullable<ReturnType<typeof readThreadScript>>,
  saveScript: ReturnType<typeof workerScript>,
): Promise<SaveResult> {
  const channel = new MessageChannel();
  let saver: Worker | null = null;
  /** Why the saving thread must stop, once known (kept for a saver that starts after it). */
  let stopWith: PacerError | null = null;
  const abortSaver = (e: PacerError) => {
    stopWith ??= e;
    saver?.postMessage({ type: 'abort', code: e.code, message: e.message } satisfies ToSaver);
  };
  // After the file opened, the reading thread's errors reach the saving thread in order with its
  // rows (it rolls back and answers with them); only a thread that died says nothing there.
  const reader = startRowsThread(read, readScript, channel.port1, abortSaver);
  const busy = db.pragma('busy_timeout', { simple: true }) as number;
  // The core's own automatic checkpoint would copy the import's whole WAL back on the core's thread
  // right after the commit; the import checkpoints it on a thread afterwards (engine.ts).
  const autoCheckpoint = db.pragma('wal_autocheckpoint', { simple: true }) as number;
  // One int the saving thread reads between statements: set to 1 when the user cancels.
  const cancel = new Int32Array(new SharedArrayBuffer(4));
  const onAbort = () => {
    Atomics.store(cancel, 0, 1);
    abortSaver(new PacerError('cancelled', 'The import was cancelled; nothing was changed.'));
  };
  try {
    const opened = await reader.opened;
    hooks.opened(opened);
    const key = storeKeyOf(db);
    const data: SaveWorkerData = {
      file: db.name,
      keyHex: key ? key.toString('hex') : null,
      init: {
        ...settings,
        consent: { ...settings.consent, column: opened.consentColumn },
        bytesTotal: opened.bytesTotal,
        file: fileOf(opened),
      },
      cancel,
      rows: channel.port2,
    };
    db.pragma(`busy_timeout = ${CORE_WAIT_DURING_SAVE_MS}`);
    db.pragma('wal_autocheckpoint = 0');
    const worker = new Worker(saveScript.url, {
      workerData: data,
      transferList: [channel.port2],
      resourceLimits: { maxYoungGenerationSizeMb: 8 },
    });
    saver = worker;
    if (stopWith) abortSaver(stopWith);
    if (hooks.signal?.aborted) onAbort();
    hooks.signal?.addEventListener('abort', onAbort);
    const { output, cpu } = await new Promise<{ output: SaveOutput; cpu: ThreadsCpu }>((resolve, reject) => {
      worker.on('message', (m: FromSaver) => {
        if (m.type === 'progress') hooks.progress(m.counts, m.bytesRead);
        else if (m.type === 'finishing') hooks.finishing();
        else if (m.type === 'done') resolve({ output: m.output, cpu: m.cpu });
        else reject(new PacerError(m.code as ErrorCode, m.message, m.details));
      });
      worker.on('error', (e) => reject(new PacerError('internal', e.message)));
      worker.on('exit', (code) => reject(new PacerError('internal', `the import's saving thread stopped (exit ${code})`)));
    });
    return { opened, output, cpu };
  } finally {
    hooks.signal?.removeEventListener('abort', onAbort);
    await Promise.all([reader.stop(), saver?.terminate()]);
    channel.port1.close();
    db.pragma(`busy_timeout = ${busy}`);
    db.pragma(`wal_autocheckpoint = ${autoCheckpoint}`);
  }
}

/** The fallback: the whole file read (on the reading thread if it can start), then saved here in one synchronous run. */
async function readThenSave(db: Db, read: ReadOptions, settings: SaveSettings, hooks: SaveImportHooks): Promise<SaveResult> {
  const cancelled = () => hooks.signal?.aborted ?? false;
  const source = await openStagedReader(read);
  try {
    const opened: OpenedInfo = {
      headers: source.headers,
      format: source.format,
      encoding: source.encoding,
      bytesTotal: source.bytesTotal,
      consentColumn: source.consentColumn,
    };
    hooks.opened(opened);
    const batches: StagedBatch[] = [];
    const counts: ImportCounts = { rows: 0, imported: 0, updated: 0, duplicates: 0, invalid: 0, skipped: 0 };
    for await (const b of source.batches()) {
      if (cancelled()) throw new PacerError('cancelled', 'The import was cancelled; nothing was changed.');
      batches.push(b);
      counts.rows += b.rows;
      counts.invalid += b.invalid;
      counts.duplicates += b.duplicates;
      hooks.progress({ ...counts }, source.bytesRead());
    }
    hooks.finishing();
    const attrTypes: Map<string, AttributeType> = source.attrTypes();
    const save = new BatchSave(
      db,
      { ...settings, consent: { ...settings.consent, column: opened.consentColumn }, bytesTotal: opened.bytesTotal, file: fileOf(opened) },
      cancelled,
    );
    try {
      save.begin();
      save.setAttrTypes(attrTypes);
      for (const b of batches) save.add(b);
      return { opened, output: save.finish(), cpu: null };
    } catch (e) {
      save.abort();
      throw e;
    }
  } finally {
    source.close();
  }
}

const fileOf = (o: OpenedInfo): SaveInit['file'] => ({ format: o.format, encoding: o.encoding });
