import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DAY_MS, MessagingWindow, tierLimit, usableBudget } from '../../../electron/core/campaigns/messaging-window';
import { forecast } from '../../../electron/core/campaigns/forecast';

const H = 3_600_000;

describe('moving 24-hour unique-recipient budget', () => {
  it('maps tiers to limits and never treats an unknown tier as unlimited', () => {
    expect(tierLimit('TIER_2K')).toBe(2000);
    expect(tierLimit('TIER_UNLIMITED')).toBe(Infinity);
    expect(tierLimit('TIER_NOT_SET')).toBeNull();
    expect(tierLimit('SOMETHING_NEW')).toBeNull();
    expect(usableBudget(2000, 0.1)).toBe(1800);
    expect(usableBudget(250, 0)).toBe(250);
  });

  it('a recipient already messaged in the window does not consume again', () => {
    const w = new MessagingWindow();
    w.record('+1', 0);
    w.record('+2', 1000);
    expect(w.used(2000)).toBe(2);
    expect(w.allows('+1', 2000, 2)).toBe(true);
    expect(w.allows('+3', 2000, 2)).toBe(false);
    expect(w.nextFreeAt(2000, 2)).toBe(DAY_MS);
    // +1 messaged again later stays in the window until 24 h after its latest message.
    w.record('+1', 5 * H);
    expect(w.used(DAY_MS)).toBe(2);
    expect(w.used(DAY_MS + 1000)).toBe(1);
    expect(w.nextFreeAt(DAY_MS + 1000, 1)).toBe(5 * H + DAY_MS);
    expect(w.used(5 * H + DAY_MS)).toBe(0);
  });

  it('property: used(now) equals a brute-force count of unique recipients in (now-24h, now]', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ key: fc.integer({ min: 1, max: 30 }), dt: fc.integer({ min: 0, max: 6 * H }) }), { maxLength: 80 }),
        fc.integer({ min: 0, max: 30 * H }),
        (steps, probeAfter) => {
          const w = new MessagingWindow();
          const log: { key: number; at: number }[] = [];
          let t = 0;
          for (const s of steps) {
            t += s.dt;
            w.record(String(s.key), t);
            log.push({ key: s.key, at: t });
          }
          const now = t + probeAfter;
          const brute = new Set(log.filter((e) => e.at > now - DAY_MS && e.at <= now).map((e) => e.key)).size;
          expect(w.used(now)).toBe(brute);
        },
      ),
    );
  });

  it('property: nextFreeAt is the first moment a new recipient fits', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 4 * H }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 20 }),
        (gaps, budget) => {
          const w = new MessagingWindow();
          let t = 0;
          gaps.forEach((g, i) => {
            t += g;
            w.record(`r${i}`, t);
          });
          const free = w.nextFreeAt(t, budget);
          if (free === null) {
            expect(w.used(t)).toBeLessThan(budget);
            return;
          }
          const probe = new MessagingWindow();
          let u = 0;
          gaps.forEach((g, i) => {
            u += g;
            probe.record(`r${i}`, u);
          });
          expect(probe.used(free - 1)).toBeGreaterThanOrEqual(budget);
          expect(probe.used(free)).toBeLessThan(budget);
        },
      ),
    );
  });
});

describe('capacity forecast', () => {
  const now = Date.UTC(2026, 2, 2, 9, 12, 0);

  it('5,000 on a 2K tier with a 10 % margin: 1,800 today, 1,800 tomorrow, 1,400 the day after', () => {
    const f = forecast({ now, recipients: 5000, windowTimes: [], budget: 1800, throughput: 80 });
    expect(f.windows.map((w) => w.sends)).toEqual([1800, 1800, 1400]);
    expect(f.windows[0]!.from).toBe('2026-03-02T09:12:00.000Z');
    // The second burst starts the moment the first send leaves the moving window.
    expect(Date.parse(f.windows[1]!.from)).toBe(now + DAY_MS);
    expect(Date.parse(f.windows[0]!.to) - now).toBeCloseTo((1799 / 80) * 1000, -1);
    expect(f.finishEstimate).toBe(f.windows[2]!.to);
  });

  it('counts sends already in the window (other campaigns, other numbers) against today', () => {
    const earlier = Array.from({ length: 600 }, (_, i) => now - 10 * H + i * 1000);
    const f = forecast({ now, recipients: 2000, windowTimes: earlier, budget: 2000, throughput: 100 });
    expect(f.windows[0]!.sends).toBe(1400);
    // The 600 earlier slots free up 24 h after they were used, one per second.
    expect(Date.parse(f.windows[1]!.from)).toBe(earlier[0]! + DAY_MS);
    expect(f.windows.reduce((s, w) => s + w.sends, 0)).toBe(2000);
  });

  it('recipients already messaged in the window are free; unlimited budgets go at throughput', () => {
    const f = forecast({
      now,
      recipients: [{ inWindow: true }, { inWindow: true }, { inWindow: false }],
      windowTimes: [now - H, now - 2 * H],
      budget: 2,
      throughput: 1,
    });
    expect(f.windows[0]!.sends).toBe(2);
    expect(f.windows[1]!.from).toBe(new Date(now - 2 * H + DAY_MS).toISOString());
    const u = forecast({ now, recipients: 1000, windowTimes: [], budget: Infinity, throughput: 1000 });
    expect(u.windows).toHaveLength(1);
    expect(Date.parse(u.finishEstimate!) - now).toBe(999);
  });

  it('respects the allowed hours', () => {
    const nine = (t: number) => {
      const d = new Date(t);
      const h = d.getUTCHours();
      if (h >= 9 && h < 17) return t;
      const next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + (h >= 17 ? 1 : 0), 9);
      return next;
    };
    const f = forecast({
      now: Date.UTC(2026, 2, 2, 16, 59, 0),
      recipients: 120,
      windowTimes: [],
      budget: Infinity,
      throughput: 1,
      nextAllowed: nine,
    });
    expect(f.windows.map((w) => w.sends)).toEqual([60, 60]);
    expect(f.windows[1]!.from).toBe('2026-03-03T09:00:00.000Z');
  });

  it('nothing to send → no finish estimate', () => {
    expect(forecast({ now, recipients: 0, windowTimes: [], budget: 10, throughput: 1 })).toMatchObject({
      windows: [],
      finishEstimate: null,
    });
  });
});
