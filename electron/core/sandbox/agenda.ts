import type { Clock, TimerHandle } from '../clock';

interface Due {
  at: number;
  seq: number;
  fn: () => void;
}

/**
 * Everything the sandbox will do later (status events, webhook posts, retries, unpauses) in one
 * time-ordered queue behind a single clock timer. A busy run schedules hundreds of thousands of
 * events, some ten minutes ahead (reads); one timer object per event made the emulator's heap and
 * its garbage-collection pauses grow with the run, and those pauses bunched the arrivals it counts.
 * Events due at the same moment run in the order they were scheduled.
 */
export class Agenda {
  private readonly heap: Due[] = [];
  private seq = 0;
  private timer: TimerHandle | undefined;
  private armedAt = Infinity;
  private closed = false;

  constructor(private readonly clock: Clock) {}

  get size(): number {
    return this.heap.length;
  }

  /** Runs `fn` once `ms` of clock time have passed. */
  after(ms: number, fn: () => void): void {
    this.at(this.clock.now() + Math.max(0, ms), fn);
  }

  /** Runs `fn` at clock time `time` (at once, in the next turn, if that has passed). */
  at(time: number, fn: () => void): void {
    if (this.closed) return;
    this.push({ at: time, seq: this.seq++, fn });
    this.arm();
  }

  /** Drops everything scheduled; later `after` calls are ignored. */
  close(): void {
    this.closed = true;
    this.heap.length = 0;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    const next = this.heap[0];
    if (!next || next.at >= this.armedAt) return;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.armedAt = next.at;
    this.timer = this.clock.setTimeout(() => this.run(), Math.max(0, next.at - this.clock.now()));
  }

  private run(): void {
    this.timer = undefined;
    this.armedAt = Infinity;
    const now = this.clock.now();
    // Only what is due now: events scheduled by these callbacks wait for the next turn.
    let ran = 0;
    const limit = this.heap.length;
    while (!this.closed && this.heap.length && this.heap[0]!.at <= now && ran++ < limit) this.pop().fn();
    if (!this.closed) this.arm();
  }

  private less(a: Due, b: Due): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(d: Due): void {
    const h = this.heap;
    let i = h.length;
    h.push(d);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(d, h[parent]!)) break;
      h[i] = h[parent]!;
      i = parent;
    }
    h[i] = d;
  }

  private pop(): Due {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= h.length) break;
        const r = l + 1;
        const c = r < h.length && this.less(h[r]!, h[l]!) ? r : l;
        if (!this.less(h[c]!, last)) break;
        h[i] = h[c]!;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}
