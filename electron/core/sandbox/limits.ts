/**
 * The rate and volume windows Meta enforces, as small data structures driven by the injected
 * clock's time (callers pass `now`), so a FakeClock can run a day in a test.
 */

/** Events in a sliding window of `windowMs`; also remembers the highest count ever seen. */
export class SlidingWindowCounter {
  private times: number[] = [];
  private head = 0;
  max = 0;

  constructor(private readonly windowMs: number) {}

  count(now: number): number {
    while (this.head < this.times.length && this.times[this.head]! <= now - this.windowMs) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }

  /** Ms until fewer than `limit` events remain in the window. */
  msUntilBelow(now: number, limit: number): number {
    const n = this.count(now);
    if (n < limit) return 0;
    const t = this.times[this.head + (n - limit)]!;
    return Math.max(0, t + this.windowMs - now);
  }

  add(now: number): number {
    this.times.push(now);
    const c = this.count(now);
    if (c > this.max) this.max = c;
    return c;
  }
}

/**
 * Pair rate (business number → one user): one message per `intervalMs`, with bursts of up to
 * `burst` that borrow from later quota — a generic cell-rate algorithm, so after a burst of N the
 * next message is allowed only once the borrowed intervals have passed.
 */
const OK = Object.freeze({ ok: true as const });

export class PairRateLimiter {
  private tat = new Map<string, number>();
  private lastSweep = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly burst: number,
  ) {}

  /** Records a message if allowed; otherwise returns the ms until the next one is. */
  take(key: string, now: number): { ok: true } | { ok: false; retryAfterMs: number } {
    if (this.intervalMs <= 0) return OK;
    this.sweep(now);
    const tat = Math.max(this.tat.get(key) ?? now, now);
    const allowedAt = tat - (this.burst - 1) * this.intervalMs;
    if (allowedAt > now) return { ok: false, retryAfterMs: allowedAt - now };
    this.tat.set(key, tat + this.intervalMs);
    return OK;
  }

  /** Forgets pairs whose interval has passed (they behave as new), so a long run's map stays small. */
  private sweep(now: number): void {
    if (now - this.lastSweep < 10 * this.intervalMs || this.tat.size < 1024) return;
    this.lastSweep = now;
    const kept = new Map<string, number>();
    for (const [k, t] of this.tat) if (t > now) kept.set(k, t);
    this.tat = kept;
  }
}

/**
 * Unique keys seen in a moving window (the portfolio's 24-hour unique-recipient count).
 * A key seen again inside the window stays one key but its expiry moves forward.
 */
export class MovingUniqueSet {
  private readonly last = new Map<string, number>();
  // Two parallel arrays rather than an object per entry: a day of sends is a lot of entries.
  private keys: string[] = [];
  private times: number[] = [];
  private head = 0;

  constructor(private readonly windowMs: number) {}

  private prune(now: number): void {
    while (this.head < this.keys.length && this.times[this.head]! <= now - this.windowMs) {
      const key = this.keys[this.head]!;
      if (this.last.get(key) === this.times[this.head]) this.last.delete(key);
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.keys.length) {
      this.keys = this.keys.slice(this.head);
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }

  has(key: string, now: number): boolean {
    this.prune(now);
    return this.last.has(key);
  }

  size(now: number): number {
    this.prune(now);
    return this.last.size;
  }

  add(key: string, now: number): void {
    this.prune(now);
    this.last.set(key, now);
    this.keys.push(key);
    this.times.push(now);
  }
}

/** Per-key timestamps in a moving window (marketing messages per user per 24 h). */
export class PerKeyWindow {
  private readonly times = new Map<string, number[]>();

  constructor(private readonly windowMs: number) {}

  count(key: string, now: number): number {
    const list = (this.times.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (list.length) this.times.set(key, list);
    else this.times.delete(key);
    return list.length;
  }

  add(key: string, now: number): void {
    const list = this.times.get(key) ?? [];
    list.push(now);
    this.times.set(key, list);
  }
}
