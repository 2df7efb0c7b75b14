import type { Statement } from 'better-sqlite3';
import type { Clock, TimerHandle } from '../clock';
import type { Db } from '../db/connection';
import type { Logger } from '../log';
import type { StatusEvent, WebhookEvent, WebhookEventType } from './events';
import type { Inbox, InboxRow } from './inbox';
import { parseEvents, type ParseOptions } from './payload';
import type { WebhookRouter } from './router';

export interface ProcessorStats {
  processedRows: number;
  events: number;
  duplicates: number;
  handlerFailures: number;
  byType: Partial<Record<WebhookEventType, number>>;
}

export interface ProcessorOptions {
  db: Db;
  clock: Clock;
  log: Logger;
  inbox: Inbox;
  router: WebhookRouter;
  parseOptions: () => ParseOptions;
  batchSize?: number;
  maxAttempts?: number;
  onProgress?: (delta: ProcessorStats) => void;
}

const emptyStats = (): ProcessorStats => ({ processedRows: 0, events: 0, duplicates: 0, handlerFailures: 0, byType: {} });

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
  private readonly batchSize: number;
  private readonly maxAttempts: number;

  constructor(private readonly o: ProcessorOptions) {
    this.batchSize = o.batchSize ?? 256;
    this.maxAttempts = o.maxAttempts ?? 12;
    this.seenStmt = o.db.prepare(`SELECT 1 FROM webhook_event_keys WHERE key = ?`);
    this.recordStmt = o.db.prepare(`INSERT OR IGNORE INTO webhook_event_keys (key, inbox_id, processed_at) VALUES (?, ?, ?)`);
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
          for (const row of rows) await this.processRow(row, delta);
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

  private async processRow(row: InboxRow, stats: ProcessorStats): Promise<void> {
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
    for (const ev of events) {
      // A body can repeat an event (a batch that includes a retry): once per key, here too.
      if (inRow.has(ev.key) || this.seenStmt.get(ev.key)) {
        stats.duplicates++;
        continue;
      }
      inRow.add(ev.key);
      try {
        await this.dispatch(ev);
        handled.push(ev.key);
        stats.events++;
        stats.byType[ev.type] = (stats.byType[ev.type] ?? 0) + 1;
      } catch (e) {
        stats.handlerFailures++;
        errors.push(`${ev.type} ${ev.key}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    const now = this.o.clock.now();
    this.o.db.transaction(() => {
      for (const k of handled) this.recordStmt.run(k, row.id, now);
      if (!errors.length) this.o.inbox.markProcessed(row.id);
    })();
    if (errors.length) {
      const outcome = this.o.inbox.markRetry(row.id, errors.join('; '), retryDelayMs(row.attempts), this.maxAttempts);
      this.o.log.warn('webhook handler failed', { inboxId: row.id, attempt: row.attempts + 1, outcome, errors: errors.slice(0, 5) });
    } else {
      stats.processedRows++;
    }
  }

  /** Runs every handler for one event; throws the first failure after trying them all. */
  async dispatch(ev: WebhookEvent): Promise<void> {
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
    if (ev.type === 'status') {
      if (matched) this.o.db.prepare(`DELETE FROM webhook_pending_status WHERE event_key = ?`).run(ev.key);
      else this.keepPending(ev);
    }
  }

  private keepPending(ev: StatusEvent): void {
    this.pendingInsert.run(ev.key, ev.wamid, ev.bizOpaqueCallbackData, JSON.stringify(ev), this.o.clock.now());
  }
}
