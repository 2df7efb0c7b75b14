/**
 * Reads a figure again each time it is asked to — the page asks on every pushed progress of its
 * campaign, the event that moves the funnel — so the chart and the cost follow the funnel within one
 * read instead of trailing it by a throttle's period (they used to lag up to 3 s).
 *
 * Two rules keep that cheap for the core, which also sends:
 * - one read in flight at a time: asks that arrive meanwhile fold into ONE more read when it returns
 *   (which then sees everything they announced), so a busy core is never asked faster than it answers;
 * - the next read starts no sooner than `gapMs()` after the last one ended (the page sizes it by the
 *   campaign: what a read of its ledger costs, see figureGapMs).
 * No timer runs unless asked: nothing is polled.
 */
export interface FollowingReaderOptions {
  /** The least time (ms) between the end of a read and the start of the next. */
  gapMs: () => number;
  now?: () => number;
}

export class FollowingReader<T> {
  private inFlight = false;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastEnd = -Infinity;
  private closed = false;
  private readonly now: () => number;

  constructor(
    private readonly load: () => Promise<T | null>,
    private readonly onValue: (value: T) => void,
    private readonly options: FollowingReaderOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Something the figure depends on changed: read it (now, after the one in flight, or after the gap). */
  request(): void {
    if (this.closed) return;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    // A read already waiting out the gap will see this change too.
    if (this.timer) return;
    const wait = this.lastEnd + this.options.gapMs() - this.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.run();
      }, wait);
      return;
    }
    this.run();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private run(): void {
    if (this.closed) return;
    this.inFlight = true;
    this.again = false;
    const done = () => {
      this.inFlight = false;
      this.lastEnd = this.now();
      if (this.again) {
        this.again = false;
        this.request();
      }
    };
    this.load().then(
      (v) => {
        if (!this.closed && v !== null) this.onValue(v);
        done();
      },
      () => done(),
    );
  }
}

/**
 * The gap after a read of a campaign's figures: 20 × what reading its ledger costs the core
 * (~4 µs a row: the chart's read is ~0.4 s for 100,000 rows), so each figure takes at most ~5 % of the
 * core's time — the share its own progress events keep to (electron/core/campaigns/progress.ts).
 * ~2 ms for 24 recipients (every event, to the eye), 80 ms for 1,000, 8 s for 100,000.
 */
export const figureGapMs = (rows: number): number => 20 * rows * 0.004;
