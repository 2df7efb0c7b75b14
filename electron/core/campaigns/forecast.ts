/**
 * Capacity forecast: when will each part of a campaign go out, given the moving-24-hour budget
 * (with every send already in the ledger), the send rate and the allowed sending hours.
 *
 * It simulates the sender send by send (cheap: 100,000 steps take milliseconds), so the forecast and
 * the sender obey the same rules: a new recipient needs a free slot in the window; a slot frees
 * 24 h after the recipient's latest send; sends are spaced by the throughput.
 */
import { DAY_MS } from './messaging-window';

export interface ForecastWindow {
  /** ISO 8601 times of the first and last send in this burst. */
  from: string;
  to: string;
  sends: number;
}

export interface ForecastInput {
  now: number;
  /** Recipients still to send, in send order; `inWindow` ones were messaged in the last 24 h (free). */
  recipients: number | readonly { inWindow: boolean }[];
  /** Times (ms) of the latest send to each unique recipient still in the window, any order. */
  windowTimes: readonly number[];
  /** Usable unique recipients per moving 24 h (after the margin); Infinity when unlimited. */
  budget: number;
  /** Sends per second. */
  throughput: number;
  /** Earliest allowed send time ≥ t (campaign start, quiet hours); identity when unrestricted. */
  nextAllowed?: (t: number) => number;
  /** A gap longer than this starts a new window in the output (default 10 minutes). */
  gapMs?: number;
  windowMs?: number;
}

export interface Forecast {
  windows: ForecastWindow[];
  /** ISO time of the last send, or null when nothing is left to send. */
  finishEstimate: string | null;
  finishAt: number | null;
  /** Send times are not returned (memory); counts per window are. */
  total: number;
}

/** A min-structure over two sorted queues: existing window entries and our own simulated sends. */
class ExpiryQueue {
  private a: number[];
  private ai = 0;
  private b: number[] = [];
  private bi = 0;
  constructor(existing: readonly number[]) {
    this.a = [...existing].sort((x, y) => x - y);
  }
  get size(): number {
    return this.a.length - this.ai + this.b.length - this.bi;
  }
  peek(): number | undefined {
    const x = this.a[this.ai];
    const y = this.b[this.bi];
    if (x === undefined) return y;
    if (y === undefined) return x;
    return Math.min(x, y);
  }
  shift(): void {
    const x = this.a[this.ai];
    const y = this.b[this.bi];
    if (y === undefined || (x !== undefined && x <= y)) this.ai++;
    else this.bi++;
  }
  push(t: number): void {
    this.b.push(t);
  }
}

export function forecast(input: ForecastInput): Forecast {
  const windowMs = input.windowMs ?? DAY_MS;
  const gapMs = input.gapMs ?? 10 * 60_000;
  const spacing = 1000 / Math.max(0.001, input.throughput);
  const nextAllowed = input.nextAllowed ?? ((t: number) => t);
  const list = typeof input.recipients === 'number' ? null : input.recipients;
  const count = typeof input.recipients === 'number' ? input.recipients : input.recipients.length;
  const queue = new ExpiryQueue(input.windowTimes);
  const windows: { from: number; to: number; sends: number }[] = [];
  let t = input.now;
  let last: number | null = null;

  for (let i = 0; i < count; i++) {
    const free = list?.[i]?.inWindow ?? false;
    for (let guard = 0; ; guard++) {
      if (guard > 1000) throw new Error('forecast: no send time found (window never opens?)');
      // Drop entries that left the window by time t.
      while (queue.size && queue.peek()! <= t - windowMs) queue.shift();
      if (!free && queue.size >= input.budget) {
        // Wait for enough slots: the oldest entry expiring frees one.
        t = Math.max(t, queue.peek()! + windowMs);
        continue;
      }
      const allowed = nextAllowed(t);
      if (allowed > t) {
        t = allowed;
        continue;
      }
      break;
    }
    if (!free) queue.push(t);
    const w = windows[windows.length - 1];
    if (w && last !== null && t - last <= gapMs) {
      w.to = t;
      w.sends++;
    } else windows.push({ from: t, to: t, sends: 1 });
    last = t;
    t += spacing;
  }
  return {
    windows: windows.map((w) => ({ from: new Date(w.from).toISOString(), to: new Date(w.to).toISOString(), sends: w.sends })),
    finishAt: last,
    finishEstimate: last === null ? null : new Date(last).toISOString(),
    total: count,
  };
}
