import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { Clock, TimerHandle } from '../clock';
import type { Db } from '../db/connection';
import type { Logger } from '../log';
import type { StatusEvent, WebhookEvent, WebhookEventType } from './events';
import type { Inbox, InboxRow } from './inbox';
import { parseEvents, type ParseOptions } from './payload';
import type { WebhookRouter } from './router';
import type { Ignored, ScopeCheck } from './scope';

export interface ProcessorStats {
  processedRows: number;
  events: number;
  duplicates: number;
  /** Events not for this account (scope.ts): stored, not handed to the handlers. */
  ignored: number;
  handlerFailures: number;
  /** Events about a message or number erased with its person: recorded as seen, applied to nothing. */
  unknown: number;
  byType: Partial<Record<WebhookEventType, number>>;
}

export interface ProcessorOptions {
  db: Db;
  clock: Clock;
  log: Logger;
  inbox: Inbox;
  router: WebhookRouter;
  parseOptions: () => ParseOptions;
  /** Which events are this account's, asked once per batch (scope.ts). Absent: every event is. */
  scope?: () => ScopeCheck;
  /** Told of each event ignored as not ours, inside the row's transaction (counts, first-sight log). */
  onIgnored?: (ignored: Ignored, ev: WebhookEvent) => void;
  /**
   * Events about someone who was erased (privacy/store/erase-wamids.ts): answers the key to record
   * the event under (one that no longer names the message id), or null for an ordinary event.
   * Such an event reaches no handler — a late status must not recreate a status row, a pending
   * status or a number — and is counted as `unknown`.
   */
  forgotten?: (ev: WebhookEvent) => { key: string } | null;
  /** After a row that had forgotten events was processed (inside its transaction): scrub its body. */
  onForgotten?: (inboxId: number, events: WebhookEvent[]) => void;
  batchSize?: number;
  maxAttempts?: number;
  onProgress?: (delta: ProcessorStats) => void;
}

type RowSteps = Generator<PromiseLike<unknown>, void, unknown>;
const isThenable = (v: unknown): v is PromiseLike<unknown> => typeof (v as PromiseLike<unknown> | null)?.then === 'function';

const emptyStats = (): ProcessorStats => ({
  processedRows: 0,
  events: 0,
  duplicates: 0,
  ignored: 0,
  handlerFailures: 0,
  unknown: 0,
  byType: {},
});

/** What a processed row's inbox note says: the events ignored (by reason and id) and the value errors. */
class RowNotes {
  private readonly ignored = new Map<string, number>();
  private readonly errors: string[] = [];

  ignore(i: Ignored, ev: WebhookEvent): void {
    const k = `${i.reason} ${i.id || '(no id)'} (${ev.type})`;
    this.ignored.set(k, (this.ignored.get(k) ?? 0) + 1);
  }

  valueErrors(ev: WebhookEvent): void {
    if (ev.type !== 'value_error') return;
    for (const e of ev.errors) this.errors.push(`#${e.code}${e.title ? ` ${e.title}` : ''}`);
  }

  text(): string | null {
    const parts: string[] = [];
    if (this.ignored.size) parts.push(`ignored: ${[...this.ignored].map(([k, n]) => (n > 1 ? `${k} ×${n}` : k)).join(', ')}`);
    if (this.errors.length) parts.push(`value errors: ${this.errors.join(', ')}`);
    return parts.length ? parts.join('; ') : null;
  }
}

/** Backoff after a failed handler: 1 s, 2 s, 4 s … capped at 15 minutes. */
export const retryDelayMs = (attempts: number): number => Math.min(1000 * 2 ** attempts, 15 * 60_000);

/**
 * Drains the inbox: parses each row, hands each event not seen before to the router's handlers,
 * records its key, and marks the row processed only when every handler succeeded for every event.
 * A failing handler leaves the row pending with backoff (events already handled are not handed
 * over again). Runs on the clock, one batch at a time; `drain()` runs it to completion.
 */
export class InboxProcessor {
  private timer: TimerHandle | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly seenStmt: Statement;
  private readonly recordStmt: Statement;
  private readonly pendingInsert: Statement;
  private readonly pendingDelete: Statement;
  private readonly batchSize: number;
  private readonly maxAttempts: number;

  constructor(private readonly o: ProcessorOptions) {
    this.batchSize = o.batchSize ?? 64;
    this.maxAttempts = o.maxAttempts ?? 12;
    this.seenStmt = o.db.prepare(`SELECT 1 FROM webhook_event_keys WHERE key = ?`);
    this.recordStmt = o.db.prepare(`INSERT OR IGNORE INTO webhook_event_keys (key, inbox_id, processed_at) VALUES (?, ?, ?)`);
    this.pendingDelete = o.db.prepare(`DELETE FROM webhook_pending_status WHERE event_key = ?`);
    this.pendingInsert = o.db.prepare(
      `INSERT INTO webhook_pending_status (event_key, wamid, biz_opaque_callback_data, event, received_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(event_key) DO UPDATE SET offers = offers + 1`,
    );
  }

  /** Asks for a run soon (after a commit, or when a retry falls due). */
  kick(delayMs = 0): void {
    if (this.stopped) return;
    if (this.timer) {
      if (delayMs > 0) return;
      this.o.clock.clearTimeout(this.timer);
    }
    this.timer = this.o.clock.setTimeout(() => {
      this.timer = null;
      void this.run();
    }, delayMs);
  }

  /** Processes everything due now; resolves when the inbox has nothing due. */
  async drain(): Promise<void> {
    while (this.running) await this.running;
    await this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.o.clock.clearTimeout(this.timer);
    this.timer = null;
    while (this.running) await this.running;
  }

  private run(): Promise<void> {
    if (this.running) return this.running;
    const p = (async () => {
      // Yield first, so `running` is assigned before the body can finish and clear it.
      await null;
      try {
        for (;;) {
          const rows = this.o.inbox.claim(this.batchSize);
          if (!rows.length) break;
          const delta = emptyStats();
          await this.processRows(rows, delta, this.o.scope?.() ?? null);
          this.o.onProgress?.(delta);
          if (this.stopped) break;
          // Let the receiver's commits and answers interleave with a long backlog.
          await new Promise((r) => setImmediate(r));
        }
      } catch (e) {
        this.o.log.error('webhook processor failed', { error: String(e) });
      } finally {
        this.running = null;
      }
      const due = this.o.inbox.nextDueAt();
      if (due !== null && !this.stopped) this.kick(Math.max(0, due - this.o.clock.now()));
    })();
    this.running = p;
    return p;
  }

  /**
   * Runs rows in synchronous stretches, each inside ONE transaction (one commit for many events
   * instead of several per event). A transaction never spans an await: when a handler returns a
   * promise, the stretch is committed first, the promise awaited outside any transaction, and the
   * rest of that row continues in autocommit mode. So another module's commit (the send ledger's,
   * the inbox's before a 200) can never be swallowed into ours.
   */
  private async processRows(rows: InboxRow[], stats: ProcessorStats, scope: ScopeCheck | null): Promise<void> {
    const db = this.o.db;
    let i = 0;
    while (i < rows.length) {
      let suspended: { gen: RowSteps; promise: PromiseLike<unknown> } | null = null;
      // IMMEDIATE: take the write lock up front (waiting via busy_timeout) instead of upgrading a
      // read snapshot later, which fails at once if the inbox writer thread committed meanwhile.
      db.exec('BEGIN IMMEDIATE');
      try {
        while (i < rows.length) {
          const gen = this.rowSteps(rows[i++]!, stats, scope);
          const r = gen.next();
          if (!r.done) {
            suspended = { gen, promise: r.value };
            break;
          }
        }
        db.exec('COMMIT');
      } catch (e) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw e;
      }
      if (suspended) {
        let { promise } = suspended;
        for (;;) {
          let r: IteratorResult<PromiseLike<unknown>, void>;
          try {
            r = suspended.gen.next(await promise);
          } catch (e) {
            r = suspended.gen.throw(e);
          }
          if (r.done) break;
          promise = r.value;
        }
      }
    }
  }

  /**
   * One inbox row as a sequence of synchronous steps. It yields only when a handler returned a
   * promise (the driver awaits it and sends back the outcome, or throws the rejection in).
   */
  private *rowSteps(row: InboxRow, stats: ProcessorStats, scope: ScopeCheck | null): RowSteps {
    let events: WebhookEvent[];
    try {
      events = parseEvents(row.body, this.o.parseOptions());
    } catch (e) {
      // The receiver checked the envelope before storing, so this is a corrupt row: park it.
      this.o.inbox.markRetry(row.id, `unreadable: ${String(e)}`, 0, 1);
      return;
    }
    const errors: string[] = [];
    const handled: string[] = [];
    const inRow = new Set<string>();
    const forgotten: WebhookEvent[] = [];
    const notes = new RowNotes();
    for (const ev of events) {
      // A body can repeat an event (a batch that includes a retry): once per key, here too.
      if (inRow.has(ev.key) || this.seenStmt.get(ev.key)) {
        stats.duplicates++;
        continue;
      }
      inRow.add(ev.key);
      // Another account's event: kept (the row stays in the inbox) and noted, never applied. Its
      // key is recorded like a handled one, so a repeat is a duplicate, not counted again.
      const ignored = scope?.(ev) ?? null;
      if (ignored) {
        notes.ignore(ignored, ev);
        this.o.onIgnored?.(ignored, ev);
        handled.push(ev.key);
        stats.ignored++;
        continue;
      }
      const forget = this.o.forgotten?.(ev) ?? null;
      if (forget) {
        forgotten.push(ev);
        handled.push(forget.key);
        stats.unknown++;
        continue;
      }
      let matched = false;
      let firstError: string | null = null;
      for (const h of this.o.router.handlers(ev.type)) {
        try {
          let outcome = (h.fn as (e: WebhookEvent) => unknown)(ev);
          if (isThenable(outcome)) outcome = yield outcome;
          if (outcome === 'matched') matched = true;
        } catch (e) {
          firstError ??= `${h.name}: ${e instanceof Error ? e.message : String(e)}`;
        }
      }
      if (firstError) {
        stats.handlerFailures++;
        errors.push(`${ev.type} ${ev.key}: ${firstError}`);
        continue;
      }
      if (ev.type === 'status') this.settleMatch(ev, matched);
      notes.valueErrors(ev);
      handled.push(ev.key);
      stats.events++;
      stats.byType[ev.type] = (stats.byType[ev.type] ?? 0) + 1;
    }
    const now = this.o.clock.now();
    for (const k of handled) this.recordStmt.run(k, row.id, now);
    if (errors.length) {
      const outcome = this.o.inbox.markRetry(row.id, errors.join('; '), retryDelayMs(row.attempts), this.maxAttempts);
      this.o.log.warn('webhook handler failed', { inboxId: row.id, attempt: row.attempts + 1, outcome, errors: errors.slice(0, 5) });
    } else {
      this.o.inbox.markProcessed(row.id, notes.text());
      stats.processedRows++;
    }
    if (forgotten.length) this.o.onForgotten?.(row.id, forgotten);
  }

  /** Runs every handler for one event (re-offers); throws the first failure after trying them all. */
  async dispatch(ev: WebhookEvent): Promise<void> {
    // A status kept before it could be judged (or for an account since disconnected) is dropped.
    if (this.o.scope?.()(ev)) {
      if (ev.type === 'status') this.pendingDelete.run(ev.key);
      return;
    }
    if (this.o.forgotten?.(ev)) {
      if (ev.type === 'status') this.pendingDelete.run(ev.key);
      return;
    }
    const handlers = this.o.router.handlers(ev.type);
    let matched = false;
    let firstError: unknown = null;
    for (const h of handlers) {
      try {
        const outcome = await (h.fn as (e: WebhookEvent) => unknown)(ev);
        if (outcome === 'matched') matched = true;
      } catch (e) {
        firstError ??= new Error(`${h.name}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (firstError) throw firstError;
    if (ev.type === 'status') this.settleMatch(ev, matched);
  }

  private settleMatch(ev: StatusEvent, matched: boolean): void {
    if (matched) this.pendingDelete.run(ev.key);
    else this.keepPending(ev);
  }

  private keepPending(ev: StatusEvent): void {
    this.pendingInsert.run(ev.key, ev.wamid, ev.bizOpaqueCallbackData, JSON.stringify(ev), this.o.clock.now());
  }
}
