/**
 * Saves an import's staged rows (save-staged.ts) on a thread of its own, with a connection of its
 * own to the store (save-worker.ts).
 *
 * Why: the merge of a million rows is ~19 s of SQLite work in one transaction. On the core's
 * thread nothing else was answered meanwhile (the contact list, a campaign's page, a status).
 * On a thread the core keeps answering: its reads see the store as it was before the import (WAL),
 * and the import's rows appear at once, at the commit.
 *
 * A write of the core's (a send recorded, a STOP) waits for the import's write lock instead of
 * running beside it: the core's busy timeout is raised for as long as the thread saves, so such a
 * write blocks the core's thread until the commit — what the whole merge did before — rather than
 * failing with "database is locked". Nothing of the core's joins the import's transaction.
 *
 * Where the thread cannot start (a bundle built without its file, an in-memory store, or
 * PACER_IMPORT_SAVE_THREAD=off for the benchmark's comparison) the same function runs on the
 * core's connection.
 */
import { Worker } from 'node:worker_threads';
import type { ErrorCode } from '../../../../shared/contract/result';
import { storeKeyOf, type Db } from '../../db/connection';
import { PacerError } from '../../errors';
import { workerScript } from '../../threads/worker-script';
import type { FromSaver, SaveWorkerData } from './save-protocol';
import { saveStaged, type SaveInput, type SaveOutput } from './save-staged';

export const SAVE_WORKER_BUNDLE_NAME = 'import-save-worker.mjs';

export interface SaveRowsHooks {
  tick(done: number, total: number): void;
  counting(): void;
  signal?: AbortSignal | undefined;
}

/** How long a write of the core's may wait for the import's commit (a million rows take ~20 s). */
const CORE_WAIT_DURING_SAVE_MS = 10 * 60_000;

export async function saveStagedRows(db: Db, input: SaveInput, hooks: SaveRowsHooks): Promise<SaveOutput> {
  let script: ReturnType<typeof workerScript> | null = null;
  try {
    if (db.name !== ':memory:' && db.name !== '' && process.env.PACER_IMPORT_SAVE_THREAD !== 'off')
      script = workerScript(SAVE_WORKER_BUNDLE_NAME, './save-worker.ts', import.meta.url);
  } catch {
    script = null;
  }
  if (!script)
    return saveStaged(db, input, { tick: hooks.tick, counting: hooks.counting, cancelled: () => hooks.signal?.aborted ?? false });
  return onThread(db, input, hooks, script);
}

async function onThread(db: Db, input: SaveInput, hooks: SaveRowsHooks, script: ReturnType<typeof workerScript>): Promise<SaveOutput> {
  const key = storeKeyOf(db);
  // One int the thread reads between statements: set to 1 when the user cancels.
  const cancel = new Int32Array(new SharedArrayBuffer(4));
  const onAbort = () => Atomics.store(cancel, 0, 1);
  if (hooks.signal?.aborted) onAbort();
  hooks.signal?.addEventListener('abort', onAbort);
  const data: SaveWorkerData = { file: db.name, keyHex: key ? key.toString('hex') : null, input, cancel };
  const busy = db.pragma('busy_timeout', { simple: true }) as number;
  // The core's own automatic checkpoint would copy the import's whole WAL back on the core's
  // thread right after the commit; the import checkpoints it on a thread afterwards (engine.ts).
  const autoCheckpoint = db.pragma('wal_autocheckpoint', { simple: true }) as number;
  db.pragma(`busy_timeout = ${CORE_WAIT_DURING_SAVE_MS}`);
  db.pragma('wal_autocheckpoint = 0');
  const worker = new Worker(script.url, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 8 } });
  try {
    return await new Promise<SaveOutput>((resolve, reject) => {
      worker.on('message', (m: FromSaver) => {
        if (m.type === 'tick') hooks.tick(m.done, m.total);
        else if (m.type === 'counting') hooks.counting();
        else if (m.type === 'done') resolve(m.output);
        else reject(new PacerError(m.code as ErrorCode, m.message, m.details));
      });
      worker.on('error', (e) => reject(new PacerError('internal', e.message)));
      worker.on('exit', (code) => reject(new PacerError('internal', `the import's saving thread stopped (exit ${code})`)));
    });
  } finally {
    hooks.signal?.removeEventListener('abort', onAbort);
    await worker.terminate();
    db.pragma(`busy_timeout = ${busy}`);
    db.pragma(`wal_autocheckpoint = ${autoCheckpoint}`);
  }
}
