import type { Clock } from '../clock';

/**
 * Meta allows 200 management calls per hour per app per WABA (5,000 for an active WABA, one with
 * a registered number). Pacer counts its own calls in a sliding hour and stops BEFORE Meta says
 * no; when Meta does say no (4 / 17 / 613 / 80007 / 80008) it blocks all management calls for an
 * escalating period (1 min, 2, 4 … 60 min, with jitter) or for what the X-Business-Use-Case-Usage
 * header says ("estimated_time_to_regain_access", minutes), whichever is longer.
 */
export const DEFAULT_MANAGEMENT_CALLS_PER_HOUR = 200;
export const ACTIVE_WABA_CALLS_PER_HOUR = 5_000;
const HOUR = 3_600_000;
const MIN_BACKOFF = 60_000;

export class ManagementRateLimiter {
  private calls: number[] = [];
  private blockedUntil = 0;
  private hits = 0;

  constructor(
    private readonly clock: Clock,
    /** Calls per sliding hour that Pacer allows itself (a little under Meta's figure leaves room for other apps' calls). */
    public limitPerHour: number = DEFAULT_MANAGEMENT_CALLS_PER_HOUR,
    private readonly random: () => number = Math.random,
  ) {}

  /** When the next call may go out: 0 = now. */
  retryAt(): number {
    const now = this.clock.now();
    this.prune(now);
    let at = this.blockedUntil > now ? this.blockedUntil : 0;
    if (this.calls.length >= this.limitPerHour) at = Math.max(at, this.calls[0]! + HOUR);
    return at;
  }

  /** Records a call if one may go out now; returns the time it may go out otherwise. */
  tryAcquire(): { ok: true } | { ok: false; retryAt: number } {
    const retryAt = this.retryAt();
    if (retryAt > 0) return { ok: false, retryAt };
    this.calls.push(this.clock.now());
    return { ok: true };
  }

  /** Meta answered a rate-limit error. Returns when calls may resume. */
  onRateLimited(usage: BusinessUseCaseUsage | null): number {
    const now = this.clock.now();
    this.hits += 1;
    const escalating = Math.min(HOUR, MIN_BACKOFF * 2 ** (this.hits - 1));
    const jittered = escalating * (0.8 + 0.4 * this.random());
    const told = (usage?.regainAccessMinutes ?? 0) * 60_000;
    this.blockedUntil = Math.max(this.blockedUntil, now + Math.max(jittered, told));
    return this.blockedUntil;
  }

  /** A call succeeded: the escalation resets; a usage header near 100% still pauses calls. */
  onSuccess(usage: BusinessUseCaseUsage | null): void {
    this.hits = 0;
    if (usage && usage.regainAccessMinutes > 0) {
      this.blockedUntil = Math.max(this.blockedUntil, this.clock.now() + usage.regainAccessMinutes * 60_000);
    }
  }

  /** Calls made in the current sliding hour. */
  used(): number {
    this.prune(this.clock.now());
    return this.calls.length;
  }

  private prune(now: number): void {
    while (this.calls.length && this.calls[0]! <= now - HOUR) this.calls.shift();
  }
}

export interface BusinessUseCaseUsage {
  /** Highest call_count / total_time / total_cputime percentage of any entry. */
  maxPercent: number;
  regainAccessMinutes: number;
}

/** Parses `X-Business-Use-Case-Usage: {"<business-id>":[{"type":"whatsapp_business_management","call_count":12,…,"estimated_time_to_regain_access":0}]}`. */
export function parseBusinessUseCaseUsage(header: string | null): BusinessUseCaseUsage | null {
  if (!header) return null;
  try {
    const parsed = JSON.parse(header) as Record<
      string,
      { call_count?: number; total_time?: number; total_cputime?: number; estimated_time_to_regain_access?: number }[]
    >;
    let maxPercent = 0;
    let regain = 0;
    for (const entries of Object.values(parsed)) {
      if (!Array.isArray(entries)) continue;
      for (const e of entries) {
        maxPercent = Math.max(maxPercent, Number(e.call_count) || 0, Number(e.total_time) || 0, Number(e.total_cputime) || 0);
        regain = Math.max(regain, Number(e.estimated_time_to_regain_access) || 0);
      }
    }
    return { maxPercent, regainAccessMinutes: regain };
  } catch {
    return null;
  }
}
