/**
 * The sending engine of a host that sends (the app, `pacer serve`, `pacer run`): the sender and the
 * scheduler wired to the lifecycle (auto-pause, complete, resume, series due), the webhook status
 * handler, and the idle test used by drills and `pacer run --until-idle`.
 */
import { DEFAULTS } from './runtime';
import { Scheduler } from './scheduler';
import { recoverInterrupted, Sender, type SenderOptions } from './sender';
import { createStatusHandler } from './status-handler';
import { autoPause, complete, reopen, resumeInternal, setState } from './lifecycle';
import type { Progress } from './progress';
import { runSeries } from './series';
import type { CampaignsScope } from './scope';

/** `isIdle`: rows due within this are still work that proceeds now (pair rate, fast retries). */
const IDLE_HORIZON_MS = 60_000;

export interface EngineOptions extends SenderOptions {
  /** Scheduler tick (default 500 ms). */
  tickMs?: number;
  /** Progress event interval (default 100 ms = ~10 Hz). */
  progressMs?: number;
  /** Per-request send timeout in clock ms (default 30 s; raise it under an accelerated clock). */
  sendTimeoutMs?: number;
}

/** Starts sending: recovers interrupted rows, then runs the sender and scheduler until stopEngine. */
export function startEngine(s: CampaignsScope, progress: Progress, opts: EngineOptions = {}): { recovered: number } {
  if (s.sender) return { recovered: 0 };
  const recovered = recoverInterrupted(s.ctx);
  if (recovered) s.ctx.log.warn('sends interrupted by a stop or crash are now uncertain (not resent automatically)', { rows: recovered });
  progress.intervalMs = opts.progressMs ?? 100;
  if (opts.sendTimeoutMs) s.ports.account.setSendTimeout?.(opts.sendTimeoutMs);
  s.sender = new Sender(
    s.ctx,
    s.ports,
    {
      pause: (id, reason, detail, autoResume) => autoPause(s, id, reason, detail, autoResume),
      touched: (id) => s.touch(id),
    },
    opts,
  );
  s.scheduler = new Scheduler(
    s.ctx,
    s.ports,
    {
      setRunning: (id) => setState(s, id, 'running', { kind: 'running' }),
      complete: (id) => complete(s, id),
      resume: (id) => resumeInternal(s, id, true),
      pause: (id, reason, detail, autoResume) => autoPause(s, id, reason, detail, autoResume),
      seriesDue: (id) => {
        void runSeries(s, id);
      },
    },
    opts.tickMs,
  );
  s.sender.start();
  s.scheduler.start();
  return { recovered };
}

export async function stopEngine(s: CampaignsScope, progress: Progress): Promise<void> {
  const sender = s.sender;
  s.scheduler?.stop();
  s.scheduler = null;
  s.sender = null;
  await sender?.stop();
  progress.flush();
}

/**
 * Drops the engine as a killed process would (see Sender.abandon): for drills that exercise
 * restarts inside one process. The next startEngine() recovers as after kill -9.
 */
export function abandonEngine(s: CampaignsScope): void {
  const sender = s.sender;
  s.scheduler?.stop();
  s.scheduler = null;
  s.sender = null;
  sender?.abandon();
}

/** The handler the webhook router calls for delivery statuses. */
export function statusHandler(s: CampaignsScope) {
  return createStatusHandler(s.ctx, {
    retryLimit: (id) => {
      const r = s.campaigns.campaignStateAndOptions(id);
      // A cancelled campaign sends nothing more, retries included.
      if (!r || r.state === 'cancelled') return 0;
      return (JSON.parse(r.options) as { retry_131049?: number }).retry_131049 ?? DEFAULTS.retry131049;
    },
    reopened: (id, notBefore) => reopen(s, id, notBefore),
    touched: (id) => {
      s.touch(id);
      s.sender?.wake();
    },
    failed: (id) => s.sender?.noteOutcome(id, true),
    delivered: () => undefined,
    optOut: (phone, at, evidence) => {
      void Promise.resolve(s.ports.contacts.recordOptOut(phone, { at, evidence })).catch((e: unknown) =>
        s.ctx.log.error('opt-out not recorded', { error: String(e) }),
      );
    },
  });
}

/** True when no running campaign has a row that can be sent now and nothing is in flight. */
export function isIdle(s: CampaignsScope): boolean {
  const sender = s.sender;
  if (!sender) return true;
  s.scheduler?.tick();
  const now = s.ctx.clock.now();
  // Rows deferred for a few seconds (the pair rate's 6 s, a fast retry) are work that proceeds
  // now; only longer waits (24-hour retries, slow back-offs, send windows) count as idle.
  const due = s.ledger.dueInRunningCampaigns(now + IDLE_HORIZON_MS);
  if (sender.inflightCount() > 0 || s.seriesInFlight.size > 0) return false;
  if (due === 0) return true;
  // Rows are due but the 24-hour budget is used up: nothing can proceed now.
  return sender.idle && sender.waitReason === 'budget';
}
