import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Durability, InboxItem } from './inbox';

/**
 * The inbox's committer on its own thread, with its own connection to the same database file.
 * Why: better-sqlite3 is synchronous, so an fsync on the main thread stops it from reading the
 * next requests. Here the main thread keeps parsing and verifying while this thread commits, and
 * everything that arrived during one commit goes into the next (group commit that adapts to load).
 *
 * The worker is inline JavaScript (eval) so it works the same from source (tests), from the esbuild
 * bundles (CLI, app) and in Electron's utility process, without an extra build entry.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlitePath);
const db = new Database(workerData.file);
if (workerData.keyHex) {
  // The store is encrypted (db/cipher.ts): same scheme and key as the main connection.
  db.pragma("cipher = 'sqlcipher'");
  db.pragma('legacy = 4');
  db.pragma('key = "x' + "'" + workerData.keyHex + "'" + '"');
}
db.pragma('journal_mode = WAL');
db.pragma('synchronous = ' + (workerData.durability === 'full' ? 'FULL' : 'NORMAL'));
db.pragma('busy_timeout = 10000');
const insert = db.prepare("INSERT INTO webhook_inbox (received_at, source, source_id, body, next_attempt_at) VALUES (?, ?, ?, ?, 0) ON CONFLICT(source_id) DO NOTHING");
const run = db.transaction((items) => items.map((it) => {
  const r = insert.run(it.receivedAt, it.source, it.sourceId, it.body);
  return r.changes ? Number(r.lastInsertRowid) : null;
}));
let queue = [];
let scheduled = false;
function flush() {
  scheduled = false;
  const batch = queue;
  queue = [];
  if (!batch.length) return;
  try {
    const ids = run(batch.map((m) => ({ ...m, body: Buffer.from(m.body.buffer, m.body.byteOffset, m.body.byteLength) })));
    parentPort.postMessage({ seqs: batch.map((m) => m.seq), ids });
  } catch (e) {
    parentPort.postMessage({ seqs: batch.map((m) => m.seq), error: String(e && e.message || e) });
  }
}
parentPort.on('message', (m) => {
  if (m === 'close') { flush(); db.close(); parentPort.postMessage('closed'); return; }
  queue.push(m);
  if (!scheduled) { scheduled = true; setImmediate(flush); }
});
`;

interface Pending {
  resolve: (id: number | null) => void;
  reject: (e: unknown) => void;
}

export class InboxWriterThread {
  private readonly worker: Worker;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  private closed: Promise<void> | null = null;
  readonly stats = { commits: 0, rows: 0 };

  constructor(file: string, durability: Durability, private readonly onCommitted: (added: number) => void, key: Buffer | null = null) {
    const sqlitePath = createRequire(import.meta.url).resolve('better-sqlite3-multiple-ciphers');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, durability, sqlitePath, keyHex: key ? key.toString('hex') : null } });
    this.worker.unref();
    this.worker.on('message', (m: 'closed' | { seqs: number[]; ids?: (number | null)[]; error?: string }) => {
      if (m === 'closed') return;
      this.stats.commits++;
      this.stats.rows += m.seqs.length;
      let added = 0;
      m.seqs.forEach((s, i) => {
        const p = this.pending.get(s);
        this.pending.delete(s);
        if (!p) return;
        if (m.error) p.reject(new Error(m.error));
        else {
          const id = m.ids?.[i] ?? null;
          if (id !== null) added++;
          p.resolve(id);
        }
      });
      if (added) this.onCommitted(added);
    });
    this.worker.on('error', (e) => this.failAll(e));
    this.worker.on('exit', () => this.failAll(new Error('inbox writer thread stopped')));
  }

  append(item: InboxItem, receivedAt: number): Promise<number | null> {
    if (this.closed) return Promise.reject(new Error('inbox writer is closed'));
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.worker.postMessage({ seq, receivedAt, source: item.source, sourceId: item.sourceId ?? null, body: item.body });
    });
  }

  /** Commits what is queued, then stops the thread. */
  close(): Promise<void> {
    this.closed ??= new Promise<void>((resolve) => {
      const done = () => resolve();
      this.worker.once('exit', done);
      this.worker.on('message', (m) => { if (m === 'closed') void this.worker.terminate(); });
      this.worker.postMessage('close');
    });
    return this.closed;
  }

  private failAll(e: unknown): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}
