import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { Durability, InboxItem, InboxSource } from './inbox-writer-protocol';
import type { Clock } from '../clock';
import { storeKeyOf, type Db } from '../db/connection';
import { InboxWriterThread } from './writer-thread';

export type { InboxItem, InboxSource };

export interface InboxRow {
  id: number;
  receivedAt: number;
  source: InboxSource;
  body: Buffer;
  attempts: number;
}

export interface InboxCounts {
  pending: number;
  processed: number;
  failed: number;
}

export type { Durability };

interface Waiter {
  item: InboxItem;
  resolve: (id: number | null) => void;
  reject: (e: unknown) => void;
}

/**
 * The webhook inbox: raw bodies committed before the HTTP answer. Appends are group-committed —
 * every request that arrived while the previous commit was running shares the next transaction
 * (and its one fsync), so throughput grows with concurrency while a lone request is committed at
 * once (no timer, no added latency).
 */
export class Inbox {
  private queue: Waiter[] = [];
  private scheduled = false;
  private readonly insert: Statement;
  private readonly claimStmt: Statement;
  private readonly countsStmt: Statement;
  private listeners = new Set<(ids: number) => void>();
  private writer: InboxWriterThread | null = null;
  private readonly useThread: boolean;
  private closing = false;
  /** Group-commit statistics (of this thread's commits), read by the benchmark. */
  readonly ownStats = { commits: 0, rows: 0 };

  /**
   * `thread: true` moves the commits behind `append` (the receiver's path) to a writer thread
   * (writer-thread.ts); `appendNow` always commits on the calling thread.
   */
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly durability: Durability = 'full',
    opts: { thread?: boolean } = {},
  ) {
    this.useThread = !!opts.thread && !!db.name && db.name !== ':memory:';
    this.insert = db.prepare(
      `INSERT INTO webhook_inbox (received_at, source, source_id, body, next_attempt_at) VALUES (?, ?, ?, ?, 0)
       ON CONFLICT(source_id) DO NOTHING`,
    );
    this.claimStmt = db.prepare(
      `SELECT id, received_at AS receivedAt, source, body, attempts FROM webhook_inbox
       WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`,
    );
    this.countsStmt = db.prepare(`SELECT state, count(*) AS n FROM webhook_inbox GROUP BY state`);
  }

  /** Resolves with the new row id once the row is durable, or null when sourceId was already stored. */
  append(item: InboxItem): Promise<number | null> {
    if (this.useThread && !this.closing) {
      // Started on first use: commands that only read (webhook info) never start a thread.
      this.writer ??= new InboxWriterThread(
        this.db.name,
        this.durability,
        (added) => this.listeners.forEach((l) => l(added)),
        storeKeyOf(this.db),
      );
      return this.writer.append(item, this.clock.now());
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits a set of items now, in one transaction. Returns ids (null for duplicates). */
  appendNow(items: readonly InboxItem[]): (number | null)[] {
    const now = this.clock.now();
    const run = this.db.transaction(() =>
      items.map((it) => {
        const r = this.insert.run(now, it.source, it.sourceId ?? null, it.body);
        return r.changes ? Number(r.lastInsertRowid) : null;
      }),
    );
    let ids: (number | null)[];
    if (this.durability === 'full') {
      this.db.pragma('synchronous = FULL');
      try {
        ids = run();
      } finally {
        this.db.pragma('synchronous = NORMAL');
      }
    } else {
      ids = run();
    }
    this.ownStats.commits++;
    this.ownStats.rows += items.length;
    const added = ids.filter((x) => x !== null).length;
    if (added) this.listeners.forEach((l) => l(added));
    return ids;
  }

  get stats(): { commits: number; rows: number } {
    const w = this.writer?.stats;
    return { commits: this.ownStats.commits + (w?.commits ?? 0), rows: this.ownStats.rows + (w?.rows ?? 0) };
  }

  /** Stops the writer thread after committing what it holds. */
  async close(): Promise<void> {
    this.closing = true;
    await this.writer?.close();
    this.writer = null;
  }

  /** Called after each commit that added rows (the processor wakes up on it). */
  onAppend(listener: (added: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (!batch.length) return;
    let ids: (number | null)[];
    try {
      ids = this.appendNow(batch.map((w) => w.item));
    } catch (e) {
      batch.forEach((w) => w.reject(e));
      return;
    }
    batch.forEach((w, i) => w.resolve(ids[i] ?? null));
  }

  claim(limit: number): InboxRow[] {
    return this.claimStmt.all(this.clock.now(), limit) as InboxRow[];
  }

  private markStmt: Statement | null = null;

  /**
   * `note`: what processing noticed (events ignored as another account's, value-level errors). A
   * processed row has no error, so its last_error column holds this note instead (NULL: nothing).
   */
  markProcessed(id: number, note: string | null = null): void {
    this.markStmt ??= this.db.prepare(`UPDATE webhook_inbox SET state = 'processed', processed_at = ?, last_error = ? WHERE id = ?`);
    this.markStmt.run(this.clock.now(), note?.slice(0, 2000) ?? null, id);
  }

  /** The note of a processed row (see markProcessed), or null. */
  note(id: number): string | null {
    const r = this.db.prepare(`SELECT last_error AS note FROM webhook_inbox WHERE id = ? AND state = 'processed'`).get(id) as
      { note: string | null } | undefined;
    return r?.note ?? null;
  }

  /** Schedules another attempt; after maxAttempts the row is parked as 'failed' (kept, reported). */
  markRetry(id: number, error: string, delayMs: number, maxAttempts: number): 'retry' | 'failed' {
    const row = this.db.prepare(`SELECT attempts FROM webhook_inbox WHERE id = ?`).get(id) as { attempts: number } | undefined;
    const attempts = (row?.attempts ?? 0) + 1;
    const state = attempts >= maxAttempts ? 'failed' : 'pending';
    this.db
      .prepare(`UPDATE webhook_inbox SET attempts = ?, last_error = ?, next_attempt_at = ?, state = ? WHERE id = ?`)
      .run(attempts, error.slice(0, 2000), this.clock.now() + delayMs, state, id);
    return state === 'failed' ? 'failed' : 'retry';
  }

  /** Puts parked rows back in the queue (after a handler was fixed). */
  retryFailed(): number {
    return this.db.prepare(`UPDATE webhook_inbox SET state = 'pending', attempts = 0, next_attempt_at = 0 WHERE state = 'failed'`).run()
      .changes;
  }

  counts(): InboxCounts {
    const out: InboxCounts = { pending: 0, processed: 0, failed: 0 };
    for (const r of this.countsStmt.all() as { state: keyof InboxCounts; n: number }[]) out[r.state] = r.n;
    return out;
  }

  /** The earliest time a pending row becomes due, or null when nothing is pending. */
  nextDueAt(): number | null {
    const r = this.db.prepare(`SELECT min(next_attempt_at) AS t FROM webhook_inbox WHERE state = 'pending'`).get() as { t: number | null };
    return r.t;
  }

  lastError(): { id: number; error: string } | null {
    const r = this.db
      .prepare(
        `SELECT id, last_error AS error FROM webhook_inbox WHERE last_error IS NOT NULL AND state != 'processed' ORDER BY id DESC LIMIT 1`,
      )
      .get() as { id: number; error: string } | undefined;
    return r ?? null;
  }
}
