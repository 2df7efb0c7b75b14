import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PairGate, ThroughputLimiter } from '../../../electron/core/campaigns/throttle';

/** Drives a limiter as the sender does and returns the send times. */
function drive(l: ThroughputLimiter, n: number, start = 0): number[] {
  const times: number[] = [];
  let t = start;
  while (times.length < n) {
    const w = l.waitMs(t);
    if (w > 0) { t += w; continue; }
    l.record(t);
    times.push(t);
  }
  return times;
}

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
    fc.assert(fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 3000 }), (rate, n) => {
      const times = drive(new ThroughputLimiter(rate), n);
      expect(maxInAnySecond(times)).toBeLessThanOrEqual(rate);
      // Keeps up: at least 95 % of the rate over the run (paced at 98 %).
      if (n > rate) expect((n - 1) / (times[times.length - 1]! / 1000)).toBeGreaterThanOrEqual(rate * 0.95);
    }), { numRuns: 60 });
  });

  it('without pacing, a full second of sends may go at once but never more', () => {
    const times = drive(new ThroughputLimiter(100, 10_000, 1), 300);
    expect(times.filter((t) => t === 0)).toHaveLength(100);
    expect(maxInAnySecond(times)).toBe(100);
  });

  it('halves on 130429 and recovers step by step to the configured rate', () => {
    const l = new ThroughputLimiter(80, 10_000);
    l.throttled(0);
    expect(l.rate).toBe(40);
    l.throttled(1);
    expect(l.rate).toBe(20);
    l.waitMs(10_001);
    expect(l.rate).toBe(22);
    l.waitMs(200_000);
    expect(l.rate).toBe(80);
    const times = drive(l, 500, 200_000);
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
});
