import { describe, expect, it } from 'vitest';
import { MovingUniqueSet, PairRateLimiter, PerKeyWindow, SlidingWindowCounter } from '../../../electron/core/sandbox/limits';
import { Rng } from '../../../electron/core/sandbox/rng';

describe('sandbox limits', () => {
  it('SlidingWindowCounter counts the last second and remembers the peak', () => {
    const c = new SlidingWindowCounter(1000);
    for (let i = 0; i < 5; i++) c.add(1000 + i * 100);
    expect(c.count(1400)).toBe(5);
    expect(c.count(2050)).toBe(4); // the event at 1000 left the window
    expect(c.count(2500)).toBe(0);
    c.add(2500);
    expect(c.max).toBe(5);
  });

  it('PairRateLimiter allows one message per interval, strictly by default', () => {
    const p = new PairRateLimiter(6000, 1);
    expect(p.take('a', 0).ok).toBe(true);
    const r = p.take('a', 5999);
    expect(r).toEqual({ ok: false, retryAfterMs: 1 });
    expect(p.take('b', 5999).ok).toBe(true); // other pairs are independent
    expect(p.take('a', 6000).ok).toBe(true);
  });

  it('PairRateLimiter bursts borrow from later quota', () => {
    const p = new PairRateLimiter(6000, 45);
    for (let i = 0; i < 20; i++) expect(p.take('a', 0).ok).toBe(true);
    // 20 sent at once: the 21st is allowed (burst 45), but the debt of 20 intervals stays.
    for (let i = 0; i < 25; i++) expect(p.take('a', 0).ok).toBe(true);
    const r = p.take('a', 0);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.retryAfterMs).toBe(6000);
    // After 2 minutes (20 intervals) there is room for 20 more.
    let ok = 0;
    while (p.take('a', 120_000 + 6000).ok) ok++;
    expect(ok).toBe(21);
  });

  it('MovingUniqueSet counts unique keys in a moving window and refreshes repeats', () => {
    const day = 24 * 3600_000;
    const s = new MovingUniqueSet(day);
    s.add('a', 0);
    s.add('b', 1000);
    s.add('a', 2000); // still one
    expect(s.size(3000)).toBe(2);
    expect(s.size(day + 1500)).toBe(1); // b expired, a was refreshed at 2000
    expect(s.has('a', day + 1500)).toBe(true);
    expect(s.size(day + 2000)).toBe(0);
  });

  it('PerKeyWindow counts per key within the window', () => {
    const w = new PerKeyWindow(1000);
    w.add('x', 0);
    w.add('x', 500);
    expect(w.count('x', 900)).toBe(2);
    expect(w.count('x', 1200)).toBe(1);
    expect(w.count('y', 1200)).toBe(0);
  });

  it('Rng is deterministic per seed', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
    expect(seqA.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Rng(1).chance(0)).toBe(false);
  });
});
