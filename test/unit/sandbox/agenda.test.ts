import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../electron/core/clock';
import { Agenda } from '../../../electron/core/sandbox/agenda';
import { PairRateLimiter } from '../../../electron/core/sandbox/limits';

describe('sandbox agenda (one timer for everything scheduled)', () => {
  it('runs events at their clock time, in time order, same-time ones in the order they were scheduled', async () => {
    const clock = new FakeClock(0);
    const agenda = new Agenda(clock);
    const ran: string[] = [];
    const at: Record<string, number> = {};
    const note = (name: string) => () => {
      ran.push(name);
      at[name] = clock.now();
    };
    agenda.after(600_000, note('read'));
    agenda.after(300, note('sent-a'));
    agenda.after(300, note('sent-b'));
    agenda.after(1_500, note('delivered'));
    agenda.at(50, note('absolute'));
    expect(agenda.size).toBe(5);
    await clock.advance(1_000);
    expect(ran).toEqual(['absolute', 'sent-a', 'sent-b']);
    await clock.advance(600_000);
    expect(ran).toEqual(['absolute', 'sent-a', 'sent-b', 'delivered', 'read']);
    expect(at).toEqual({ absolute: 50, 'sent-a': 300, 'sent-b': 300, delivered: 1_500, read: 600_000 });
    expect(agenda.size).toBe(0);
  });

  it('an event scheduled by a running one for "now" runs in a later turn, and a sooner event re-arms the timer', async () => {
    const clock = new FakeClock(0);
    const agenda = new Agenda(clock);
    const ran: string[] = [];
    agenda.after(1_000, () => {
      ran.push('first');
      agenda.after(0, () => ran.push('chained'));
    });
    agenda.after(5_000, () => ran.push('late'));
    agenda.after(10, () => ran.push('sooner')); // scheduled after a later one: still first
    await clock.advance(1_000);
    expect(ran).toEqual(['sooner', 'first', 'chained']);
    await clock.advance(4_000);
    expect(ran.at(-1)).toBe('late');
  });

  it('close drops what is scheduled and ignores later calls', async () => {
    const clock = new FakeClock(0);
    const agenda = new Agenda(clock);
    const ran: string[] = [];
    agenda.after(100, () => ran.push('x'));
    agenda.close();
    agenda.after(10, () => ran.push('y'));
    await clock.advance(1_000);
    expect(ran).toEqual([]);
    expect(agenda.size).toBe(0);
  });
});

describe('pair rate memory', () => {
  it('forgets pairs whose interval has passed without changing any answer', () => {
    const p = new PairRateLimiter(6000, 1);
    for (let i = 0; i < 5000; i++) expect(p.take(`k${i}`, i).ok).toBe(true);
    // Long after: every old pair is allowed again (and the sweep has dropped them)…
    expect(p.take('k1', 100_000).ok).toBe(true);
    expect((p as unknown as { tat: Map<string, number> }).tat.size).toBeLessThan(10);
    // …while a pair inside its interval is still refused.
    expect(p.take('k1', 100_001)).toEqual({ ok: false, retryAfterMs: 5999 });
  });
});
