import crypto from 'node:crypto';
import type { Clock, TimerHandle } from '../clock';

/**
 * Delivers webhook POSTs like Meta: one JSON envelope per POST, signed with
 * `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body, keyed with the app secret>`,
 * delivered concurrently, and retried with growing gaps on anything but HTTP 200 until the
 * retry age runs out. Delays and retry gaps run on the injected clock; the HTTP timeout is real.
 */

export interface WebhookSettings {
  retry_schedule_ms: number[];
  max_retry_age_ms: number;
  request_timeout_ms: number;
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
  attempts: number;
  /** pending (scheduled or retrying), delivered (got 200), gave_up, no_url (no webhook configured or the WABA has no subscribed app). */
  state: 'pending' | 'delivered' | 'gave_up' | 'no_url';
  last_status?: number | string;
  duplicate: boolean;
  body: string;
}

export interface WebhookStats {
  generated: number;
  delivered: number;
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

export class WebhookDispatcher {
  private seq = 0;
  private readonly log: WebhookLogEntry[] = [];
  private readonly timers = new Set<TimerHandle>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly controllers = new Set<AbortController>();
  private closed = false;
  readonly stats: WebhookStats = { generated: 0, delivered: 0, attempts: 0, failed_attempts: 0, retries: 0, gave_up: 0, no_url: 0, duplicates: 0, pending: 0 };

  constructor(
    private readonly clock: Clock,
    private readonly settings: WebhookSettings,
    private readonly target: (wabaId: string) => WebhookTarget,
  ) {}

  /** Schedules one envelope for delivery after `delayMs` of clock time. */
  enqueue(envelope: object, meta: { wabaId: string; field: string; summary: string; delayMs: number; duplicate?: boolean }): void {
    if (this.closed) return;
    const body = JSON.stringify(envelope);
    const entry: WebhookLogEntry = { seq: ++this.seq, waba_id: meta.wabaId, field: meta.field, summary: meta.summary, created_at: this.clock.now(), attempts: 0, state: 'pending', duplicate: meta.duplicate === true, body };
    this.stats.generated++;
    if (entry.duplicate) this.stats.duplicates++;
    this.stats.pending++;
    this.log.push(entry);
    // Trim in chunks: splicing one entry per event would be O(n) on every send.
    if (this.log.length > LOG_LIMIT * 1.25) this.log.splice(0, this.log.length - LOG_LIMIT);
    this.schedule(entry, meta.delayMs);
  }

  private schedule(entry: WebhookLogEntry, delayMs: number): void {
    const handle = this.clock.setTimeout(() => {
      this.timers.delete(handle);
      this.track(this.attempt(entry));
    }, delayMs);
    this.timers.add(handle);
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

  private async attempt(entry: WebhookLogEntry): Promise<void> {
    if (this.closed) return;
    const { url, appSecret } = this.target(entry.waba_id);
    if (!url) return this.finish(entry, 'no_url');
    entry.attempts++;
    this.stats.attempts++;
    if (entry.attempts > 1) this.stats.retries++;
    const controller = new AbortController();
    this.controllers.add(controller);
    const timer = setTimeout(() => controller.abort(new Error('timeout')), this.settings.request_timeout_ms);
    let status: number | string;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'facebookexternalua',
          'x-hub-signature-256': signBody(entry.body, appSecret),
          'x-hub-signature': 'sha1=' + crypto.createHmac('sha1', appSecret).update(entry.body).digest('hex'),
        },
        body: entry.body,
        signal: controller.signal,
      });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
    } catch (e) {
      status = e instanceof Error ? (e.name === 'AbortError' || e.message === 'timeout' ? 'timeout' : `network: ${e.message}`) : 'network';
    } finally {
      clearTimeout(timer);
      this.controllers.delete(controller);
    }
    entry.last_status = status;
    if (this.closed) return;
    if (status === 200) return this.finish(entry, 'delivered');
    this.stats.failed_attempts++;
    const gap = this.settings.retry_schedule_ms[Math.min(entry.attempts - 1, this.settings.retry_schedule_ms.length - 1)] ?? 60_000;
    if (this.clock.now() + gap - entry.created_at > this.settings.max_retry_age_ms) return this.finish(entry, 'gave_up');
    this.schedule(entry, gap);
  }

  entries(filter?: { field?: string; state?: WebhookLogEntry['state'] }): WebhookLogEntry[] {
    return this.log.filter((e) => (!filter?.field || e.field === filter.field) && (!filter?.state || e.state === filter.state));
  }

  /** Resolves once no webhook POST is in flight (scheduled future deliveries don't count). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  scheduledCount(): number {
    return this.timers.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) this.clock.clearTimeout(t);
    this.timers.clear();
    for (const c of this.controllers) c.abort(new Error('sandbox closed'));
    await Promise.allSettled([...this.inFlight]);
  }
}
