import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FollowingReader, figureGapMs } from '../../../renderer/features/campaigns/detail/followingReader';

// The campaign page's chart and cost are read again on each pushed progress (the funnel's event)
// through a FollowingReader: never two reads at once, every ask answered by a read that starts at or
// after it, an idle ask read at once (no throttle period to wait out), and reads kept a gap apart.

interface Run {
  starts: number[];
  ends: number[];
  shown: number[];
  asks: number[];
}

/** Asks at the given offsets (ms apart) while reads take the given durations, on fake timers. */
async function drive(gaps: number[], durations: number[], gapMs: number): Promise<Run> {
  const run: Run = { starts: [], ends: [], shown: [], asks: [] };
  let n = 0;
  const reader = new FollowingReader<number>(
    () => {
      const k = n++;
      run.starts.push(Date.now());
      return new Promise((resolve) =>
        setTimeout(
          () => {
            run.ends.push(Date.now());
            resolve(k);
          },
          durations[k % durations.length]!,
        ),
      );
    },
    (v) => run.shown.push(v),
    { gapMs: () => gapMs },
  );
  for (const gap of gaps) {
    await vi.advanceTimersByTimeAsync(gap);
    run.asks.push(Date.now());
    reader.request();
  }
  await vi.advanceTimersByTimeAsync(1_000_000);
  reader.close();
  return run;
}

describe('FollowingReader (the campaign page follows the funnel without a throttle)', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  it('holds its rules for any asks, read durations and gap (fixed seed)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 0, max: 1000 }),
        async (gaps, durations, gapMs) => {
          const r = await drive(gaps, durations, gapMs);
          expect(r.ends.length).toBe(r.starts.length);
          expect(r.starts.length).toBeLessThanOrEqual(r.asks.length);
          // One at a time, a gap apart.
          for (let k = 1; k < r.starts.length; k++) expect(r.starts[k]!).toBeGreaterThanOrEqual(r.ends[k - 1]! + gapMs);
          // Every ask is answered by a read that starts at or after it (it sees what the ask announced).
          for (const a of r.asks) expect(r.starts.some((s) => s >= a)).toBe(true);
          // An ask when idle and past the gap is read at once.
          for (const a of r.asks) {
            const k = r.starts.filter((s) => s < a).length - 1;
            if (k < 0 || a >= r.ends[k]! + gapMs) expect(r.starts).toContain(a);
          }
          // What is shown last is the last read.
          expect(r.shown.at(-1)).toBe(r.starts.length - 1);
        },
      ),
      { seed: 20261205, numRuns: 150 },
    );
  });

  it('a burst of asks during a read becomes one more read, not one per ask', async () => {
    const r = await drive([0, 10, 10, 10, 10, 10], [100], 0);
    expect(r.starts).toEqual([1_000_000, 1_000_100]);
  });

  it('a small campaign is read again on each progress event (no 3 s wait)', async () => {
    // 1,000 recipients: reads of 20 ms, a gap of 80 ms; progress events 100-150 ms apart are each read at once.
    const r = await drive([0, 150, 100, 150, 100], [20], figureGapMs(1000));
    expect(r.starts).toEqual(r.asks);
  });

  it('the gap: 20 × ~4 µs a ledger row — a few ms for a small campaign, 8 s for 100,000 rows', () => {
    expect(figureGapMs(24)).toBeCloseTo(1.92);
    expect(figureGapMs(1000)).toBe(80);
    expect(figureGapMs(100_000)).toBe(8000);
  });

  it('reads nothing unless asked, and nothing after close', async () => {
    let reads = 0;
    const reader = new FollowingReader<number>(
      async () => ++reads,
      () => undefined,
      { gapMs: () => 0 },
    );
    await vi.advanceTimersByTimeAsync(60_000);
    expect(reads).toBe(0);
    reader.close();
    reader.request();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(reads).toBe(0);
  });
});
