/**
 * An import's saving thread (started by save-thread.ts): opens a connection of its own to the
 * store, compares the staged rows with it and merges them in one transaction (save-staged.ts),
 * telling the core's thread its progress. The connection is closed before the answer is sent, so
 * the core never waits on it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../../db/connection';
import { PacerError } from '../../errors';
import type { FromSaver, SaveWorkerData } from './save-protocol';
import { saveStaged } from './save-staged';

const port = parentPort;
if (!port) throw new Error('save-worker runs only as a worker thread');
const data = workerData as SaveWorkerData;
const send = (m: FromSaver) => port.postMessage(m);

let answer: FromSaver;
try {
  const db = openDatabase(data.file, data.keyHex ? { key: Buffer.from(data.keyHex, 'hex') } : {});
  try {
    const output = saveStaged(db, data.input, {
      tick: (done, total) => send({ type: 'tick', done, total }),
      counting: () => send({ type: 'counting' }),
      cancelled: () => Atomics.load(data.cancel, 0) === 1,
    });
    answer = { type: 'done', output };
  } finally {
    db.close();
  }
} catch (e) {
  answer =
    e instanceof PacerError
      ? { type: 'error', code: e.code, message: e.message, details: e.details }
      : { type: 'error', code: 'internal', message: e instanceof Error ? e.message : String(e) };
}
send(answer);
