import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { Clock } from '../clock';
import { Agenda } from './agenda';

/**
 * Delivers webhook POSTs like Meta: JSON envelopes signed with
 * `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body, keyed with the app secret>`,
 * delivered concurrently, and retried with growing gaps on anything but HTTP 200 until the
 * retry age runs out. Delays and retry gaps run on the injected clock; the HTTP timeout is real.
 *
 * Batching, as Meta does under load: updates for one WABA that fall due together (in the same
 * event-loop turn, or within `batch_window_ms` of sandbox time) go out in one POST whose `entry`
 * array holds them all, up to `batch_max` (Meta: up to 1,000). A failed POST is retried as a whole.
 */

export interface WebhookSettings {
  retry_schedule_ms: number[];
  max_retry_age_ms: number;
  request_timeout_ms: number;
  batch_max: number;
  batch_window_ms: number;
}

export interface WebhookTarget {
  url: string | undefined;
  appSecret: string;
}

export interface WebhookLogEntry {
  /** Sequence number of the event (a duplicate gets its own). */
  seq: number;
  waba_id: string;
  field: string;
  /** Compact summary, e.g. "statuses:delivered wamid.…" */
  summary: string;
  created_at: number;
  /** Sandbox-clock time of the first POST that carried it (delivery order, as the receiver saw it start). */
  first_sent_at?: number;
  /** POST attempts that carried this update. */
  attempts: number;
  /** How many updates the last POST carrying this one held. */
  batch_size: number;
  /** pending (scheduled or retrying), delivered (got 200), gave_up, no_url (no webhook configured or the WABA has no subscribed app). */
  state: 'pending' | 'delivered' | 'gave_up' | 'no_url';
  last_status?: number | string;
  duplicate: boolean;
  /** This update alone, as a one-entry envelope (what a POST of just it would carry). */
  body: string;
}

export interface WebhookStats {
  /** Updates (one status, message, template event…) generated / delivered / given up / undeliverable. */
  generated: number;
  delivered: number;
  /** HTTP POSTs made (a POST may batch several updates); failed_attempts and retries count POSTs too. */
  attempts: number;
  failed_attempts: number;
  retries: number;
  gave_up: number;
  no_url: number;
  duplicates: number;
  pending: number;
}

export function signBody(body: string | Buffer, appSecret: string): string {
  return 'sha256=' + crypto.createHmac('sha256', appSecret).update(body).digest('hex');
}

const LOG_LIMIT = 20_000;

type UpdateBuilder = () => { summary: string; envelope: { object: string; entry: unknown[] } };

interface Pending {
  entry: WebhookLogEntry;
  /** The envelope's `entry[]` items this update contributes to a batch. */
  items: unknown[];
}

interface Batch {
  wabaId: string;
  updates: Pending[];
  body?: string;
  attempts: number;
  createdAt: number;
}

export class WebhookDispatcher {
  private seq = 0;
  private log: WebhookLogEntry[] = [];
  private readonly agenda: Agenda;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly requests = new Set<http.ClientRequest>();
  private ready: Pending[] = [];
  private flushScheduled = false;
  private flushWaiters: (() => void)[] = [];
  private readonly agents = {
    http: new http.Agent({ keepAlive: true, maxSockets: 64 }),
    https: new https.Agent({ keepAlive: true, maxSockets: 64 }),
  };
  private closed = false;
  readonly stats: WebhookStats = {
    generated: 0,
    delivered: 0,
    attempts: 0,
    failed_attempts: 0,
    retries: 0,
    gave_up: 0,
    no_url: 0,
    duplicates: 0,
    pending: 0,
  };

  constructor(
    private readonly clock: Clock,
    private readonly settings: WebhookSettings,
    private readonly target: (wabaId: string) => WebhookTarget,
  ) {
    this.agenda = new Agenda(clock);
  }

  /** Schedules one update (a one-entry envelope) for delivery after `delayMs` of clock time. */
  enqueue(
    envelope: { object: string; entry: unknown[] },
    meta: { wabaId: string; field: string; summary: string; delayMs: number; duplicate?: boolean },
  ): void {
    this.enqueueLazy(meta, () => ({ summary: meta.summary, envelope }));
  }

  /**
   * Like `enqueue`, but the update is built when it falls due. Status updates are scheduled up to
   * minutes ahead; building them late keeps a long run's memory flat. The update appears in the
   * log (`entries`) once due.
   */
  enqueueLazy(meta: { wabaId: string; field: string; delayMs: number; duplicate?: boolean }, build: UpdateBuilder): void {
    if (this.closed) return;
    this.announce(1, meta.duplicate ? 1 : 0);
    const createdAt = this.clock.now();
    const dispatch = () => this.dispatch({ ...meta, createdAt }, build);
    if (meta.delayMs > 0) this.after(meta.delayMs, dispatch);
    else dispatch();
  }

  /** Counts updates the caller has scheduled itself (generated and pending from now); each is later passed to `dispatch`. */
  announce(count: number, duplicates: number): void {
    if (this.closed) return;
    this.stats.generated += count;
    this.stats.pending += count;
    this.stats.duplicates += duplicates;
  }

  /** An announced update falls due: it is built, logged and posted with whatever else is due for its WABA. */
  dispatch(meta: { wabaId: string; field: string; createdAt: number; duplicate?: boolean }, build: UpdateBuilder): void {
    if (this.closed) return;
    const { summary, envelope } = build();
    const entry: WebhookLogEntry = {
      seq: ++this.seq,
      waba_id: meta.wabaId,
      field: meta.field,
      summary,
      created_at: meta.createdAt,
      attempts: 0,
      batch_size: 0,
      state: 'pending',
      duplicate: meta.duplicate === true,
      body: JSON.stringify(envelope),
    };
    this.log.push(entry);
    // Trim in chunks: splicing one entry per event would be O(n) on every send.
    if (this.log.length > LOG_LIMIT * 1.25) this.log = this.log.slice(this.log.length - LOG_LIMIT);
    this.due({ entry, items: envelope.entry });
  }

  private after(ms: number, fn: () => void): void {
    this.agenda.after(ms, fn);
  }

  private due(p: Pending): void {
    this.ready.push(p);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    if (this.settings.batch_window_ms > 0) this.after(this.settings.batch_window_ms, () => this.flush());
    else setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    const ready = this.ready;
    this.ready = [];
    const waiters = this.flushWaiters;
    this.flushWaiters = [];
    if (!this.closed) {
      const byWaba = new Map<string, Pending[]>();
      for (const p of ready) {
        const list = byWaba.get(p.entry.waba_id) ?? [];
        list.push(p);
        byWaba.set(p.entry.waba_id, list);
      }
      const max = Math.max(1, this.settings.batch_max);
      for (const [wabaId, list] of byWaba)
        for (let i = 0; i < list.length; i += max)
          this.track(this.post({ wabaId, updates: list.slice(i, i + max), attempts: 0, createdAt: this.clock.now() }));
    }
    for (const w of waiters) w();
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private finish(entry: WebhookLogEntry, state: WebhookLogEntry['state']): void {
    entry.state = state;
    this.stats.pending--;
    if (state === 'delivered') this.stats.delivered++;
    else if (state === 'gave_up') this.stats.gave_up++;
    else if (state === 'no_url') this.stats.no_url++;
  }

  private send(url: string, body: string, appSecret: string): Promise<number | string> {
    return new Promise((resolve) => {
      let u: URL;
      try {
        u = new URL(url);
      } catch {
        return resolve('bad url');
      }
      const mod = u.protocol === 'https:' ? https : http;
      const req = mod.request(
        u,
        {
          method: 'POST',
          agent: u.protocol === 'https:' ? this.agents.https : this.agents.http,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'user-agent': 'facebookexternalua',
            'x-hub-signature-256': signBody(body, appSecret),
            'x-hub-signature': 'sha1=' + crypto.createHmac('sha1', appSecret).update(body).digest('hex'),
          },
          timeout: this.settings.request_timeout_ms,
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', () => resolve(res.statusCode ?? 'network'));
        },
      );
      this.requests.add(req);
      req.on('close', () => this.requests.delete(req));
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (e) => resolve(e.message === 'timeout' ? 'timeout' : `network: ${e.message}`));
      req.end(body);
    });
  }

  private async post(batch: Batch): Promise<void> {
    if (this.closed) return;
    const { url, appSecret } = this.target(batch.wabaId);
    if (!url) {
      for (const u of batch.updates) this.finish(u.entry, 'no_url');
      return;
    }
    batch.body ??= JSON.stringify({ object: 'whatsapp_business_account', entry: batch.updates.flatMap((u) => u.items) });
    batch.attempts++;
    this.stats.attempts++;
    if (batch.attempts > 1) this.stats.retries++;
    const now = this.clock.now();
    for (const u of batch.updates) {
      u.entry.first_sent_at ??= now;
      u.entry.attempts++;
      u.entry.batch_size = batch.updates.length;
    }
    const status = await this.send(url, batch.body, appSecret);
    for (const u of batch.updates) u.entry.last_status = status;
    if (this.closed) return;
    if (status === 200) {
      for (const u of batch.updates) this.finish(u.entry, 'delivered');
      return;
    }
    this.stats.failed_attempts++;
    const gap = this.settings.retry_schedule_ms[Math.min(batch.attempts - 1, this.settings.retry_schedule_ms.length - 1)] ?? 60_000;
    if (this.clock.now() + gap - batch.createdAt > this.settings.max_retry_age_ms) {
      for (const u of batch.updates) this.finish(u.entry, 'gave_up');
      return;
    }
    this.after(gap, () => this.track(this.post(batch)));
  }

  entries(filter?: { field?: string; state?: WebhookLogEntry['state'] }): WebhookLogEntry[] {
    return this.log.filter((e) => (!filter?.field || e.field === filter.field) && (!filter?.state || e.state === filter.state));
  }

  /** Resolves once no webhook POST is in flight or about to start (future scheduled ones don't count). */
  async idle(): Promise<void> {
    for (;;) {
      if (this.flushScheduled && this.settings.batch_window_ms <= 0) await new Promise<void>((r) => this.flushWaiters.push(r));
      if (!this.inFlight.size) return;
      await Promise.allSettled([...this.inFlight]);
    }
  }

  scheduledCount(): number {
    return this.agenda.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.agenda.close();
    for (const r of this.requests) r.destroy(new Error('sandbox closed'));
    await Promise.allSettled([...this.inFlight]);
    this.agents.http.destroy();
    this.agents.https.destroy();
    for (const w of this.flushWaiters.splice(0)) w();
  }
}
