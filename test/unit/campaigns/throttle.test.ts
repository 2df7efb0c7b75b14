import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PairGate, ThroughputLimiter } from '../../../electron/core/campaigns/throttle';

/** Drives a limiter as the sender does and returns the send times. */
function drive(l: ThroughputLimiter, n: number, start = 0): number[] {
  const times: number[] = [];
  let t = start;
  while (times.length < n) {
    const w = l.waitMs(t);
    if (w > 0) {
      t += w;
      continue;
    }
    l.record(t);
    times.push(t);
  }
  return times;
}

/** A limiter past the start of a run (paced with a wider margin): a send 2.6 s before the driven ones. */
const warm = (l: ThroughputLimiter) => {
  l.record(-2600);
  return l;
};

const maxInAnySecond = (times: number[]) => {
  let best = 0;
  let j = 0;
  for (let i = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= 1000) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
};

describe('per-number throughput', () => {
  it('defaults to 80/s, caps configuration at 1,000/s', () => {
    expect(new ThroughputLimiter().rate).toBe(80);
    expect(new ThroughputLimiter(5000).rate).toBe(1000);
  });

  it('property: never more than the rate in any 1,000 ms, and keeps up with it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 3000 }), (rate, n) => {
        const times = drive(warm(new ThroughputLimiter(rate)), n);
        expect(maxInAnySecond(times)).toBeLessThanOrEqual(rate);
        // Keeps up: at least 95 % of the rate over the run (paced at 98 %).
        if (n > rate) expect((n - 1) / (times[times.length - 1]! / 1000)).toBeGreaterThanOrEqual(rate * 0.95);
      }),
      { numRuns: 60 },
    );
  });

  it('property: timers that fire 0–3 ms late cost no throughput (the paced schedule catches up), never above the rate', () => {
    fc.assert(
      fc.property(fc.integer({ min: 50, max: 1000 }), fc.integer({ min: 1, max: 2 ** 31 }), (rate, seed) => {
        let x = seed;
        const late = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) % 4; // 0..3 ms, like setTimeout under load
        const l = warm(new ThroughputLimiter(rate));
        const times: number[] = [];
        let t = 0;
        while (times.length < 3 * rate) {
          const w = l.waitMs(t);
          if (w > 0) {
            t += Math.ceil(w) + late();
            continue;
          }
          l.record(t);
          times.push(t);
        }
        expect(maxInAnySecond(times)).toBeLessThanOrEqual(rate);
        expect((times.length - 1) / (times.at(-1)! / 1000)).toBeGreaterThanOrEqual(rate * 0.95); // paced at 97 %, capped by the window at 96.2 %
      }),
      { numRuns: 40 },
    );
  });

  it('the first 2.5 s after a pause keep a wider margin (120 ms), then 25 ms', () => {
    const l = new ThroughputLimiter(50, 10_000, 1); // no pacing: only the window
    const times = drive(l, 250);
    expect(times[50]).toBe(1120); // 51st send: 1,000 ms + 120 ms after the 1st
    expect(times[100]).toBe(2240);
    expect(times[200]! - times[150]!).toBe(1025); // past the start
    const later = drive(l, 60, times.at(-1)! + 10_000); // a pause: the start margin again
    expect(later[50]! - later[0]!).toBe(1120);
  });

  it('without pacing, a full second of sends may go at once but never more', () => {
    const times = drive(new ThroughputLimiter(100, 10_000, 1), 300);
    expect(times.filter((t) => t === 0)).toHaveLength(100);
    expect(maxInAnySecond(times)).toBe(100);
  });

  it('130429s spread over 2 s of the last 5–10 s and above 1 % of sends slow the rate to 80 % (once a second); clumps and rare ones keep it; it recovers step by step', () => {
    const l = new ThroughputLimiter(80, 10_000);
    let t = 0;
    for (; t < 1000; t += 20) l.record(t); // 50 sends
    for (let k = 0; k < 20; k++) l.throttled(1000); // one stall's clump: 20 refusals at once
    expect(l.rate).toBe(80);
    // Refusals every 100 ms while sending (a lower real limit): 8 quarter-seconds → slower.
    for (; t < 3000; t += 20) {
      l.record(t);
      if (t % 100 === 0) l.throttled(t);
    }
    expect(l.rate).toBe(64);
    const cutAt = t;
    for (; t < cutAt + 900; t += 20) {
      l.record(t);
      if (t % 100 === 0) l.throttled(t);
    }
    expect(l.rate).toBe(64); // at most once a second… and the evidence starts again after a cut
    // At 1,000/s: clumps of 3 every 500 sends (0.6 %) are jitter, every 100 (3 %, 40 quarter-seconds) are not.
    const run = (every: number) => {
      const lim = new ThroughputLimiter(1000);
      for (let u = 0; u < 30_000; u++) {
        lim.record(u);
        if (u % every === every - 1) for (let k = 0; k < 3; k++) lim.throttled(u);
      }
      return lim.rate;
    };
    expect(run(500)).toBe(1000);
    expect(run(100)).toBeLessThan(1000);
    l.waitMs(t + 10_000);
    expect(l.rate).toBe(67); // +5 % per quiet 10 s
    l.waitMs(400_000);
    expect(l.rate).toBe(80);
    const times = drive(l, 500, 400_000);
    expect(maxInAnySecond(times)).toBeLessThanOrEqual(80);
  });
});

describe('pair rate', () => {
  it('allows one message per 6 s per recipient, independent across recipients', () => {
    const g = new PairGate();
    expect(g.waitMs('+1', 0)).toBe(0);
    g.record('+1', 0);
    expect(g.waitMs('+1', 1000)).toBe(5000);
    expect(g.waitMs('+2', 1000)).toBe(0);
    expect(g.waitMs('+1', 6000)).toBe(0);
  });

  it('a send refused with 130429 gives its pair slot back (the retry need not wait 6 s)', () => {
    const g = new PairGate();
    g.record('+1', 0);
    g.record('+2', 0);
    g.release('+1');
    expect(g.waitMs('+1', 250)).toBe(0);
    expect(g.waitMs('+2', 250)).toBe(5750);
  });
});
