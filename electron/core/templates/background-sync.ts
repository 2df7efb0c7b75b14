import type { TimerHandle } from '../clock';
import type { CoreContext } from '../context';
import type { AccountService } from '../account/service';
import { GraphApiError } from '../whatsapp/client';
import type { TemplatesService } from './service';

export interface BackgroundSyncOptions {
  /** Template sync period (default 15 min). */
  templatesEveryMs?: number;
  /** Account re-read period (default 1 h). */
  accountEveryMs?: number;
  /** Delay before the first template sync (default 2 s; the account re-read follows 1 s later). */
  firstDelayMs?: number;
}

/**
 * Keeps templates and the account current while a host runs: syncs templates on start and every
 * `templatesEveryMs`, re-reads the account every `accountEveryMs`. A run that hit Meta's rate limit
 * waits for the limiter (or Meta's retry time) instead of its period. Started by startRuntime in
 * the app and the harness; one-shot CLI commands never start it.
 */
export class BackgroundSync {
  private readonly timers: TimerHandle[] = [];
  private closed = false;
  private started = false;

  constructor(
    private readonly ctx: CoreContext,
    private readonly account: AccountService,
    private readonly templates: TemplatesService,
  ) {
    ctx.onClose(() => this.stop());
  }

  start(opts: BackgroundSyncOptions = {}): void {
    if (this.started) return;
    this.started = true;
    const first = opts.firstDelayMs ?? 2_000;
    this.loop('template sync', opts.templatesEveryMs ?? 15 * 60_000, first, () => this.templates.sync());
    this.loop('account refresh', opts.accountEveryMs ?? 60 * 60_000, first + 1_000, () => this.account.refresh());
  }

  stop(): void {
    this.closed = true;
    this.timers.forEach((t) => this.ctx.clock.clearTimeout(t));
    this.templates.cancelPending();
  }

  /** Runs `job` after `first` ms and again every `every` ms; a rate-limited run waits for the limiter instead. */
  private loop(name: string, every: number, first: number, job: () => Promise<unknown>): void {
    const { clock, log } = this.ctx;
    const schedule = (ms: number) => {
      if (this.closed) return;
      this.timers.push(clock.setTimeout(() => void run(), ms));
    };
    const run = async () => {
      if (this.closed) return;
      if (!this.account.connection()) return schedule(every);
      let next = every;
      try {
        await job();
      } catch (e) {
        const cause = (e as { details?: unknown }).details;
        const retryAt = e instanceof GraphApiError ? e.retryAt : null;
        log.warn(`background ${name} failed`, { error: e instanceof Error ? e.message : String(e), cause });
        if (retryAt) next = Math.max(retryAt - clock.now(), 60_000);
      }
      const limiterAt = this.account.connection() ? this.account.client().limiter.retryAt() : 0;
      if (limiterAt) next = Math.max(next, limiterAt - clock.now());
      schedule(next);
    };
    schedule(first);
  }
}
