/**
 * Per-number throughput and per-recipient pair rate.
 *
 * Throughput is a sliding one-second window (at most `rate` sends in ANY 1,000 ms), not a token
 * bucket: a bucket lets `burst + rate` through in one second, and we promise never to go above the
 * number's mps. Within the second, sends are also paced in small bursts (1/50 s worth, at 98 % of
 * the rate) so network jitter between us and Meta cannot squeeze two bursts into one of Meta's
 * seconds. On 130429 (throughput limit hit) the rate halves at once and creeps back up by
 * 10 % per quiet interval to the configured rate (default 80, configurable up to 1,000).
 */

export const DEFAULT_MPS = 80;
export const MAX_MPS = 1000;
export const MIN_MPS = 1;
/** Meta's pair rate: one message per 6 seconds from one business number to one user. */
export const PAIR_INTERVAL_MS = 6000;

export class ThroughputLimiter {
  private times: Float64Array;
  private pos = 0;
  private filled = 0;
  private current: number;
  private lastThrottleAt = -Infinity;
  private lastRaiseAt = -Infinity;

  constructor(private configured: number = DEFAULT_MPS, private readonly recoverEveryMs = 10_000, private readonly pacing = 0.98) {
    this.configured = clampRate(configured);
    this.current = this.configured;
    this.times = new Float64Array(MAX_MPS);
  }

  /** The rate in force now (≤ configured). */
  get rate(): number {
    return this.current;
  }

  get configuredRate(): number {
    return this.configured;
  }

  setConfigured(rate: number): void {
    this.configured = clampRate(rate);
    // Never throttled: take the new rate at once; otherwise keep recovering towards it.
    this.current = this.lastThrottleAt === -Infinity ? this.configured : Math.min(this.current, this.configured);
  }

  /** Milliseconds to wait before the next send may start (0 = now). */
  waitMs(now: number): number {
    this.recover(now);
    const n = Math.floor(this.current);
    let wait = 0;
    // The n-th most recent send must be at least 1,000 ms old (the hard limit).
    if (this.filled >= n) wait = this.times[(this.pos - n + MAX_MPS) % MAX_MPS]! + 1000 - now;
    // Pacing: the b-th most recent send must be b intervals old (b = a 50th of a second's worth).
    const b = Math.max(1, Math.ceil(n / 50));
    if (this.pacing < 1 && this.filled >= b) {
      wait = Math.max(wait, this.times[(this.pos - b + MAX_MPS) % MAX_MPS]! + (b * 1000) / (n * this.pacing) - now);
    }
    return Math.max(0, wait);
  }

  /** Records a send at `now`; call only when waitMs(now) === 0. */
  record(now: number): void {
    this.times[this.pos] = now;
    this.pos = (this.pos + 1) % MAX_MPS;
    if (this.filled < MAX_MPS) this.filled++;
  }

  /** 130429: halve the rate now. */
  throttled(now: number): void {
    this.current = Math.max(MIN_MPS, Math.floor(this.current / 2));
    this.lastThrottleAt = now;
    this.lastRaiseAt = now;
  }

  private recover(now: number): void {
    if (this.current >= this.configured) return;
    while (now - this.lastRaiseAt >= this.recoverEveryMs && this.current < this.configured) {
      this.current = Math.min(this.configured, Math.max(this.current + 1, Math.floor(this.current * 1.1)));
      this.lastRaiseAt += this.recoverEveryMs;
    }
  }
}

function clampRate(rate: number): number {
  if (!Number.isFinite(rate)) return DEFAULT_MPS;
  return Math.min(MAX_MPS, Math.max(MIN_MPS, Math.floor(rate)));
}

/** One message per 6 s per (number, recipient); remembers only recipients seen in the last 6 s. */
export class PairGate {
  private last = new Map<string, number>();
  private lastSweep = 0;

  constructor(private readonly intervalMs = PAIR_INTERVAL_MS) {}

  waitMs(key: string, now: number): number {
    const t = this.last.get(key);
    return t === undefined ? 0 : Math.max(0, t + this.intervalMs - now);
  }

  record(key: string, now: number): void {
    this.last.set(key, now);
    if (now - this.lastSweep > this.intervalMs * 10) {
      for (const [k, t] of this.last) if (now - t >= this.intervalMs) this.last.delete(k);
      this.lastSweep = now;
    }
  }
}
