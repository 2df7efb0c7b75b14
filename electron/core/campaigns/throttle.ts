/**
 * Per-number throughput and per-recipient pair rate.
 *
 * Throughput is a sliding window (at most `rate` sends in ANY 1,025 ms), not a token bucket: a
 * bucket lets `burst + rate` through in one second, and we promise never to go above the number's
 * mps. The extra 25 ms (120 ms in the first 2.5 s after a pause) is for the network: requests sent 1,000 ms apart can arrive closer together,
 * and Meta counts arrivals. Within the window sends follow a paced schedule at 97 % of the rate
 * (GCRA, a 40th of a second's worth may go back to back). 130429 (throughput limit hit) on
 * more than 1 % of recent sends, spread over 2 s or more of them, drops the rate to 80 % (at most
 * once a second), and it climbs back by 5 % per quiet interval to the configured rate (default 80,
 * configurable up to 1,000); rarer or clumped ones are jitter: retried, and the rate stays.
 */

export const DEFAULT_MPS = 80;
export const MAX_MPS = 1000;
export const MIN_MPS = 1;
/**
 * Added to the one-second window: latency jitter up to this cannot push rate + 1 arrivals into
 * one of Meta's seconds. Larger in the first seconds after a pause: the first requests wait for
 * connections to open (the HTTP pool is replaced after 3 s idle) and arrive 30–50 ms late, bunched
 * with the ones sent after them.
 */
// 25 ms: above the Sandbox's usual scheduling jitter on a loaded two-core machine (p99 ~16 ms)
// and the window's cap (97.6 %) above the paced 97 %, so the pacing, not the margin, sets the
// rate. Longer stalls (garbage collection on either side) cost a clump of retried 130429s.
export const JITTER_GUARD_MS = 25;
export const START_JITTER_GUARD_MS = 120;
/** How long the start margin lasts, counted from the first send after a pause of PAUSE_MS. */
const START_MS = 2500;
const PAUSE_MS = 3000;
/** The stretch over which 130429 answers are weighed against sends. */
export const THROTTLE_BUCKET_MS = 5000;
/** Meta's pair rate: one message per 6 seconds from one business number to one user. */
export const PAIR_INTERVAL_MS = 6000;

export class ThroughputLimiter {
  private times: Float64Array;
  private pos = 0;
  private filled = 0;
  private current: number;
  private lastThrottleAt = -Infinity;
  private lastRaiseAt = -Infinity;
  private startedAt = -Infinity;
  private lastSendAt = -Infinity;
  /** Sends and 130429 answers of the last few seconds. */
  private bucket = { start: -Infinity, sends: 0, throttled: 0, slots: 0 };
  private previous = { start: -Infinity, sends: 0, throttled: 0, slots: 0 };
  private lastThrottleSlot = -1;
  /** The paced schedule's next slot (GCRA's theoretical arrival time). */
  private tat = -Infinity;
  /** Sends that may go back to back: a 40th of a second's worth, at least 1 (claimed in one commit). */
  private get burst(): number {
    return Math.max(1, Math.ceil(this.current / 40));
  }

  constructor(
    private configured: number = DEFAULT_MPS,
    private readonly recoverEveryMs = 5_000,
    private readonly pacing = 0.97,
  ) {
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
    // The n-th most recent send must be at least 1,025 ms old (the hard limit).
    const guard = now - this.startedAt < START_MS ? START_JITTER_GUARD_MS : JITTER_GUARD_MS;
    if (this.filled >= n) wait = this.times[(this.pos - n + MAX_MPS) % MAX_MPS]! + 1000 + guard - now;
    // Pacing (GCRA): sends follow a schedule one interval apart at `pacing` × the rate; a send may
    // run up to `burst` intervals ahead of it. Time lost to a timer that fires late is made up
    // from that tolerance instead of being lost for good (a window of recent sends lost ~7 %).
    // When it must wait, it waits until half a burst may go (one claim commit for several sends,
    // not one each) while staying ahead of the schedule, so a timer that fires late loses nothing.
    const t = this.interval();
    if (this.pacing < 1 && now < this.tat - this.burst * t) wait = Math.max(wait, this.tat - Math.ceil(this.burst / 2) * t - now);
    return Math.max(0, wait);
  }

  private interval(): number {
    return 1000 / (Math.floor(this.current) * this.pacing);
  }

  /** Records a send at `now`; call only when waitMs(now) === 0. */
  record(now: number): void {
    if (now - this.lastSendAt > PAUSE_MS) this.startedAt = now;
    this.lastSendAt = now;
    this.rollBucket(now);
    this.bucket.sends++;
    this.tat = Math.max(this.tat, now) + this.interval();
    this.times[this.pos] = now;
    this.pos = (this.pos + 1) % MAX_MPS;
    if (this.filled < MAX_MPS) this.filled++;
  }

  /**
   * The last `count` recorded sends actually left `delayMs` later than recorded (the claim commit
   * between pacing and sending took that long): move them, so the window counts real send times —
   * otherwise a slow commit squeezes sends paced apart into a shorter stretch.
   */
  delayLast(count: number, delayMs: number): void {
    if (delayMs <= 0) return;
    // Only the hard window moves; the paced schedule keeps its slots (it catches up within `burst`).
    for (let k = 1; k <= Math.min(count, this.filled); k++) this.times[(this.pos - k + MAX_MPS) % MAX_MPS]! += delayMs;
  }

  /**
   * 130429. A few now and then are jitter squeezing paced sends into one of Meta's seconds (a
   * stall bunches them, and they come in clumps): the sender retries those messages and the rate
   * stays. When they are more than 1 % of the sends of the last 5–10 s AND came in at least 8
   * different quarter-seconds of it (2 s of refusals, not one or two stalls), the number's real
   * limit is lower than configured: the rate drops to 80 %, at most once a second.
   */
  throttled(now: number): void {
    this.rollBucket(now);
    this.bucket.throttled++;
    const slot = Math.floor(now / 250);
    if (slot !== this.lastThrottleSlot) {
      this.bucket.slots++;
      this.lastThrottleSlot = slot;
    }
    // Weighed over this bucket and the one before (5–10 s), so a bucket's first moments do not judge alone.
    const throttled = this.bucket.throttled + this.previous.throttled;
    const sends = this.bucket.sends + this.previous.sends;
    const slots = this.bucket.slots + this.previous.slots;
    if (throttled <= sends / 100 || slots < 8) return;
    if (now - this.lastThrottleAt < 1000) return;
    this.current = Math.max(MIN_MPS, Math.floor(this.current * 0.8));
    this.lastThrottleAt = now;
    this.lastRaiseAt = now;
    this.previous = { start: now, sends: 0, throttled: 0, slots: 0 };
    this.bucket = { start: now, sends: 0, throttled: 0, slots: 0 };
  }

  private rollBucket(now: number): void {
    if (now - this.bucket.start < THROTTLE_BUCKET_MS) return;
    this.previous = now - this.bucket.start < 2 * THROTTLE_BUCKET_MS ? this.bucket : { start: now, sends: 0, throttled: 0, slots: 0 };
    this.bucket = { start: now, sends: 0, throttled: 0, slots: 0 };
  }

  private recover(now: number): void {
    if (this.current >= this.configured) return;
    while (now - this.lastRaiseAt >= this.recoverEveryMs && this.current < this.configured) {
      this.current = Math.min(this.configured, Math.max(this.current + 1, Math.floor(this.current * 1.05)));
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

  /** The attempt was refused before Meta took it (130429): it used no pair slot. */
  release(key: string): void {
    this.last.delete(key);
  }

  lastAt(key: string): number | undefined {
    return this.last.get(key);
  }

  /** Takes back a `record` whose message was not sent: the slot is as it was before. */
  restore(key: string, prev: number | undefined): void {
    if (prev === undefined) this.last.delete(key);
    else this.last.set(key, prev);
  }

  record(key: string, now: number): void {
    this.last.set(key, now);
    if (now - this.lastSweep > this.intervalMs * 10) {
      for (const [k, t] of this.last) if (now - t >= this.intervalMs) this.last.delete(k);
      this.lastSweep = now;
    }
  }
}
