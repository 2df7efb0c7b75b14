/**
 * Progress events (`campaigns:progress`): campaigns touched by a send or a status are collected and
 * emitted together, ~10 Hz, slower when counting a huge ledger gets expensive.
 */
import type { CoreContext } from '../context';
import { counts, standing, sum } from './reads';
import type { CampaignsScope } from './scope';

export class Progress {
  private readonly dirty = new Set<string>();
  private closed = false;
  private timer: ReturnType<CoreContext['clock']['setTimeout']> | null = null;
  private costMs = 0;
  /** Event interval (EngineOptions.progressMs). */
  intervalMs = 100;

  constructor(private readonly s: CampaignsScope) {}

  touch(id: string): void {
    if (this.closed) return;
    this.dirty.add(id);
    // ~10 Hz; slower when counting a huge ledger gets expensive (kept under ~5 % of a core).
    if (!this.timer)
      this.timer = this.s.ctx.clock.setTimeout(
        () => {
          this.timer = null;
          this.emit();
        },
        Math.max(this.intervalMs, this.costMs * 20),
      );
  }

  /** Emits what is pending now and cancels the timer (the engine stops). */
  flush(): void {
    if (this.timer) this.s.ctx.clock.clearTimeout(this.timer);
    this.timer = null;
    this.emit();
  }

  /** No progress timer may outlive the database it reads. */
  close(): void {
    this.closed = true;
    if (this.timer) this.s.ctx.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private emit(): void {
    if (this.closed) return;
    const t0 = performance.now();
    try {
      this.emitNow();
    } finally {
      this.costMs = performance.now() - t0;
    }
  }

  private emitNow(): void {
    const s = this.s;
    const ids = [...this.dirty];
    this.dirty.clear();
    for (const id of ids) {
      const c = s.campaigns.campaignById(id);
      if (!c) continue;
      const n = counts(s, id);
      const st = standing(s, c, n);
      s.ctx.emit('campaigns:progress', {
        id,
        state: st.state,
        counts: n,
        total: sum(n),
        rate: s.sender?.rateFor(c.phone_number_id ?? s.ports.account.defaultPhoneNumberId()) ?? 0,
        standing: st,
        at: s.ctx.clock.now(),
      });
    }
  }
}
