import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { storeKeyOf, type Db } from './connection';

/**
 * Copies a large WAL back into the database file on a thread of its own, with its own connection.
 *
 * Why: a million-row import leaves about a gigabyte of WAL (its commit skips the automatic
 * checkpoint so the save itself does not stall). Checkpointed on the core's thread that took 1 s
 * (3 s on an encrypted store, where every page is decrypted and encrypted again) during which the
 * app answered nothing, right after telling the user the import was done. A PASSIVE checkpoint
 * from another connection waits for no one and blocks no one; should it fail, the next automatic
 * checkpoint does the work.
 */
const CHECKPOINT_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlitePath);
let result = { ok: true };
try {
  const db = new Database(workerData.file, { fileMustExist: true });
  try {
    if (workerData.keyHex) {
      db.pragma("cipher = 'sqlcipher'");
      db.pragma('legacy = 4');
      db.pragma('key = "x' + "'" + workerData.keyHex + "'" + '"');
    }
    db.pragma('busy_timeout = 5000');
    result = { ok: true, frames: db.pragma('wal_checkpoint(PASSIVE)') };
  } finally { db.close(); }
} catch (e) {
  result = { ok: false, message: String((e && e.message) || e) };
}
parentPort.postMessage(result);
`;

export function checkpointOnThread(db: Db): Promise<{ ok: boolean; message?: string }> {
  const key = storeKeyOf(db);
  const worker = new Worker(CHECKPOINT_WORKER_SOURCE, {
    eval: true,
    workerData: {
      file: db.name,
      keyHex: key ? key.toString('hex') : null,
      sqlitePath: createRequire(import.meta.url).resolve('better-sqlite3-multiple-ciphers'),
    },
  });
  worker.unref(); // an exiting CLI does not wait for it: the WAL is recovered at the next open
  return new Promise<{ ok: boolean; message?: string }>((resolve) => {
    worker.once('message', (m: { ok: boolean; message?: string }) => resolve(m));
    worker.once('error', (e) => resolve({ ok: false, message: e.message }));
    worker.once('exit', (code) => resolve({ ok: false, message: `the checkpoint thread stopped (${code})` }));
  }).finally(() => void worker.terminate());
}
