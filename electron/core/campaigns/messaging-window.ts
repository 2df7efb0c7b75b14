/**
 * The portfolio's moving-24-hour unique-recipient budget (Meta's "messaging limit").
 *
 * Meta counts unique recipients messaged in any moving 24 hours, shared by every number of the
 * portfolio; a recipient already messaged inside the window does not count again. Meta names no
 * error for hitting it, so Pacer counts locally and never goes above. We count at the moment a
 * send is claimed (before the HTTP call), which over-counts a failed attempt, never under-counts.
 */

export const DAY_MS = 24 * 60 * 60 * 1000;

/** Tier strings from the API / webhooks → number of unique recipients per moving 24 h. */
const TIER_LIMITS: Record<string, number | null> = {
  TIER_50: 50,
  TIER_250: 250,
  TIER_1K: 1000,
  TIER_2K: 2000,
  TIER_10K: 10_000,
  TIER_100K: 100_000,
  TIER_UNLIMITED: Number.POSITIVE_INFINITY,
};

/** A number, or null for strings we do not know (unknown is never treated as unlimited). */
export function tierLimit(tier: string | null | undefined): number | null {
  if (!tier) return null;
  return TIER_LIMITS[tier.toUpperCase()] ?? null;
}

/** The part of the limit Pacer may use, keeping `margin` (0…0.9) for other tools on the portfolio. */
export function usableBudget(limit: number, margin: number): number {
  if (!Number.isFinite(limit)) return limit;
  const m = Math.min(0.9, Math.max(0, margin));
  return Math.floor(limit * (1 - m));
}

/**
 * Who was messaged when, in the last 24 hours. `record` must be called in non-decreasing time
 * order (the sender's clock); entries given out of order are accepted but expire by their own time.
 */
export class MessagingWindow {
  /** recipient → the latest time it was messaged. */
  private readonly latest = new Map<string, number>();
  /** (time, recipient) in time order; an entry is stale when `latest` holds a newer time. */
  private queue: { at: number; key: string }[] = [];
  private head = 0;

  constructor(private readonly windowMs = DAY_MS) {}

  /** Drops recipients whose latest message left the window at `now` (kept when at > now - window). */
  expire(now: number): void {
    const edge = now - this.windowMs;
    while (this.head < this.queue.length) {
      const e = this.queue[this.head]!;
      if (e.at > edge) break;
      this.head++;
      if (this.latest.get(e.key) === e.at) this.latest.delete(e.key);
    }
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  /** Unique recipients messaged in (now - 24h, now]. */
  used(now: number): number {
    this.expire(now);
    return this.latest.size;
  }

  has(key: string, now: number): boolean {
    this.expire(now);
    return this.latest.has(key);
  }

  /** True when messaging `key` now keeps the unique count within `budget`. */
  allows(key: string, now: number, budget: number): boolean {
    this.expire(now);
    return this.latest.has(key) || this.latest.size < budget;
  }

  /** The latest time `key` was recorded (undefined: not in the window's memory). */
  latestAt(key: string): number | undefined {
    return this.latest.get(key);
  }

  /**
   * Takes back a `record(key, at)` whose message was not sent after all, restoring the time before
   * it (`prev`). The queue entry of `at` simply becomes stale; the one of `prev` is live again.
   */
  unrecord(key: string, at: number, prev: number | undefined): void {
    if (this.latest.get(key) !== at || prev === at) return;
    // A `prev` already out of the window may have lost its queue entry: forget the key instead.
    if (prev === undefined || prev <= at - this.windowMs) this.latest.delete(key);
    else this.latest.set(key, prev);
  }

  record(key: string, at: number): void {
    const prev = this.latest.get(key);
    if (prev !== undefined && prev >= at) return;
    this.latest.set(key, at);
    const last = this.queue[this.queue.length - 1];
    if (!last || last.at <= at) this.queue.push({ at, key });
    else {
      // Rare (loading history out of order): keep the queue sorted.
      let i = this.queue.length;
      while (i > this.head && this.queue[i - 1]!.at > at) i--;
      this.queue.splice(i, 0, { at, key });
    }
  }

  /** The earliest time after `now` at which one more new recipient fits (null if it fits now). */
  nextFreeAt(now: number, budget: number): number | null {
    this.expire(now);
    if (this.latest.size < budget) return null;
    // The window must lose (size - budget + 1) recipients; walk live entries in expiry order.
    let toFree = this.latest.size - budget + 1;
    for (let i = this.head; i < this.queue.length; i++) {
      const e = this.queue[i]!;
      if (this.latest.get(e.key) !== e.at) continue;
      if (--toFree === 0) return e.at + this.windowMs;
    }
    return null;
  }

  /** Live (time, recipient) entries in time order, e.g. to seed a forecast. */
  liveTimes(now: number): number[] {
    this.expire(now);
    const out: number[] = [];
    for (let i = this.head; i < this.queue.length; i++) {
      const e = this.queue[i]!;
      if (this.latest.get(e.key) === e.at) out.push(e.at);
    }
    return out;
  }
}
