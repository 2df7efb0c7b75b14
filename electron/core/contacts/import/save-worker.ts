/**
 * An import's saving thread (started by save-thread.ts): opens a connection of its own to the
 * store, takes its write lock, and saves each batch of rows the reading thread sends it as it
 * comes (save-batches.ts), telling the core's thread its progress. All batches go into one
 * transaction, committed after the last; any failure, a cancel or the reading thread's error rolls
 * it back. The connection is closed before the answer is sent, so the core never waits on it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase, type Db } from '../../db/connection';
import { PacerError } from '../../errors';
import type { ErrorCode } from '../../../../shared/contract/result';
import type { FromReader, ToReader } from './read-protocol';
import type { FromSaver, SaveWorkerData, ToSaver } from './save-protocol';
import { BatchSave } from './save-batches';
import { threadCpuMs } from '../../threads/cpu';

const port = parentPort;
if (!port) throw new Error('save-worker runs only as a worker thread');
const data = workerData as SaveWorkerData;
const send = (m: FromSaver) => port.postMessage(m);
const { rows } = data;

let db: Db | null = null;
let save: BatchSave | null = null;
let over = false;

function end(answer: FromSaver): void {
  over = true;
  rows.close();
  try {
    db?.close();
  } finally {
    send(answer);
  }
}

function fail(e: unknown): void {
  if (over) return;
  save?.abort();
  end(
    e instanceof PacerError
      ? { type: 'error', code: e.code, message: e.message, details: e.details }
      : { type: 'error', code: 'internal', message: e instanceof Error ? e.message : String(e) },
  );
}

try {
  db = openDatabase(data.file, data.keyHex ? { key: Buffer.from(data.keyHex, 'hex') } : {});
  save = new BatchSave(db, data.init, () => Atomics.load(data.cancel, 0) === 1);
  save.begin();
} catch (e) {
  fail(e);
}

rows.on('message', (m: FromReader) => {
  if (over || !save) return;
  try {
    if (m.type === 'typed') save.setAttrTypes(m.attrTypes);
    else if (m.type === 'batch') {
      save.add(m.batch);
      rows.postMessage({ type: 'more' } satisfies ToReader);
      send({ type: 'progress', counts: save.progress(), bytesRead: m.bytesRead });
    } else if (m.type === 'end') {
      send({ type: 'finishing' });
      const output = save.finish();
      end({ type: 'done', output, cpu: { readingMs: m.cpuMs, savingMs: threadCpuMs() } });
    } else if (m.type === 'error') throw new PacerError(m.code as ErrorCode, m.message, m.details);
  } catch (e) {
    fail(e);
  }
});

port.on('message', (m: ToSaver) => {
  if (m.type === 'abort') fail(new PacerError(m.code as ErrorCode, m.message));
});
