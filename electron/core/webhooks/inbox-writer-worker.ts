/**
 * The inbox writer thread's code (started by writer-thread.ts; its own entry in scripts/build.mjs).
 * It holds the second connection to the data folder's database and does one thing: insert the
 * webhook bodies the receiver accepted, group-committed, and answer with the new row ids.
 * Everything else (processing, reads, the inbox's other writes) stays on the main connection.
 */
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import type { AppendMessage, FromWriter, ToWriter, WriterData } from './inbox-writer-protocol';

const port = parentPort;
if (!port) throw new Error('inbox-writer-worker runs only as a worker thread');
const data = workerData as WriterData;
// better-sqlite3 from the main thread's resolution: the same native module, wherever this file lies.
const Database = createRequire(data.sqlitePath)(data.sqlitePath) as typeof BetterSqlite3;

const db = new Database(data.file);
if (data.keyHex) {
  // The store is encrypted: the same scheme and key as the main connection (db/cipher.ts applyKey;
  // not imported, so this thread's bundle stays this file alone).
  db.pragma("cipher = 'sqlcipher'");
  db.pragma('legacy = 4');
  db.pragma(`key = "x'${data.keyHex}'"`);
}
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${data.durability === 'full' ? 'FULL' : 'NORMAL'}`);
db.pragma('busy_timeout = 10000');
const insert = db.prepare<[number, string, string | null, Buffer]>(
  `INSERT INTO webhook_inbox (received_at, source, source_id, body, next_attempt_at) VALUES (?, ?, ?, ?, 0)
   ON CONFLICT(source_id) DO NOTHING`,
);
// BEGIN IMMEDIATE, like the main connection's transactions (db/connection.ts): take the write lock first.
const commit = db.transaction((items: readonly AppendMessage[]) =>
  items.map((it) => {
    const r = insert.run(it.receivedAt, it.source, it.sourceId, Buffer.from(it.body.buffer, it.body.byteOffset, it.body.byteLength));
    return r.changes ? Number(r.lastInsertRowid) : null;
  }),
).immediate;

const post = (m: FromWriter) => port.postMessage(m);
let queue: AppendMessage[] = [];
let scheduled = false;

/** Commits everything that arrived since the last commit in one transaction (group commit). */
function flush(): void {
  scheduled = false;
  const batch = queue;
  queue = [];
  if (!batch.length) return;
  const seqs = batch.map((m) => m.seq);
  try {
    post({ seqs, ids: commit(batch) });
  } catch (e) {
    post({ seqs, error: e instanceof Error ? e.message : String(e) });
  }
}

port.on('message', (m: ToWriter) => {
  if (m === 'close') {
    flush();
    db.close();
    post('closed');
    return;
  }
  queue.push(m);
  if (!scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
});
