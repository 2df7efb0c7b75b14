/**
 * Limit drill: 5,000 recipients on a 2K tier (10 % margin → 1,800 per moving 24 h), on an
 * accelerated clock shared by Pacer and the sandbox. Pacer must send exactly within the moving
 * window (never above, checked from our log and by the sandbox), start again the moment budget
 * frees (no idle time), and finish within 5 % of the plan's forecast.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../electron/core/clock';
import { DAY_MS } from '../../../electron/core/campaigns/messaging-window';
import { ok, scenario, seedContacts, utilityDraft, world, type World } from './helpers';

const N = 5000;

/**
 * Drives a FakeClock shared by Pacer and the sandbox: time moves only when nothing is in flight,
 * straight to the next timer. HTTP round trips then cost no simulated time, so the run measures
 * Pacer's scheduling (budget, window, pacing) and not this machine's speed; a simulated day of
 * waiting for budget is one jump.
 */
async function drive(clock: FakeClock, busy: () => boolean, done: () => boolean, realDeadline: number): Promise<void> {
  // FakeClock replaces its timer array on clearTimeout: read it afresh every time.
  const timers = () => (clock as unknown as { timers: { at: number }[] }).timers;
  while (!done()) {
    if (Date.now() > realDeadline) throw new Error('limit drill: real-time deadline passed');
    if (busy()) {
      await new Promise((r) => setTimeout(r, 1));
      continue;
    }
    // Let I/O callbacks and promise chains settle before deciding that time may move.
    await new Promise((r) => setImmediate(r));
    if (busy()) continue;
    const next = timers().reduce((m, t) => Math.min(m, t.at), Infinity);
    if (next === Infinity) {
      await new Promise((r) => setTimeout(r, 1));
      continue;
    }
    await clock.advance(Math.max(0, next - clock.now()));
  }
}

let w: World | null = null;
afterEach(async () => {
  await w?.close();
  w = null;
});

describe('limit drill', () => {
  it(
    '5,000 recipients on a 2K tier: within the moving window, no idle time, forecast within 5 % (simulated clock)',
    async () => {
      const clock = new FakeClock(Date.UTC(2026, 2, 2, 9, 12, 0));
      w = await world({ clock, scenario: scenario({ tier: 'TIER_2K', mps: 80 }), webhooks: false });
      seedContacts(w.core, N, { consent: 'utility' });
      const c = await ok(w.core.call('campaigns:create', utilityDraft({ name: 'Limit drill', options: { rate: 80 } })));
      const plan = await ok(w.core.call('campaigns:plan', { id: c.id }));
      expect(plan.budget).toMatchObject({ messaging_limit: 'TIER_2K', limit: 2000, margin: 0.1 });
      expect(plan.forecast.map((f) => f.sends)).toEqual([1800, 1800, 1400]);
      const start = clock.now();
      await ok(w.core.call('campaigns:start', { id: c.id }));
      w.campaigns.startEngine({ tickMs: 60_000, progressMs: 60_000 });
      const sender = w.campaigns.engine!.sender;
      const campaigns = w.campaigns;
      await drive(
        clock,
        () => sender.inflightCount() > 0,
        () => campaigns.get(c.id).state !== 'running',
        Date.now() + 15 * 60_000,
      );
      const done = w.campaigns.get(c.id);
      expect(done.state).toBe('completed');
      expect(done.counts.pending + done.counts.sending + done.counts.failed).toBe(0);
      // A reused keep-alive socket the server had closed (the first send after a long real-time pause)
      // answers ECONNRESET: the outcome is unknown, so the row is uncertain, not resent. Rare; allowed.
      expect(done.counts.uncertain).toBeLessThanOrEqual(2);

      // Never above: at every send, unique recipients in the previous 24 h (inclusive) ≤ 1,800.
      const times = (
        w.core.db.prepare('SELECT at FROM messaging_log WHERE campaign_id = ? ORDER BY at, id').all(c.id) as { at: number }[]
      ).map((r) => r.at);
      expect(times).toHaveLength(N);
      let j = 0;
      let maxInWindow = 0;
      for (let i = 0; i < times.length; i++) {
        while (times[j]! <= times[i]! - DAY_MS) j++;
        maxInWindow = Math.max(maxInWindow, i - j + 1);
      }
      expect(maxInWindow).toBeLessThanOrEqual(1800);
      expect(w.sandbox.stats().limits.portfolio_violations).toBe(0);

      // Bursts: where a gap of more than an hour separates sends.
      const bursts: { from: number; to: number; sends: number }[] = [];
      for (const t of times) {
        const b = bursts[bursts.length - 1];
        if (b && t - b.to < 3_600_000) {
          b.to = t;
          b.sends++;
        } else bursts.push({ from: t, to: t, sends: 1 });
      }
      expect(bursts.map((b) => b.sends)).toEqual([1800, 1800, 1400]);
      // No idle time: each later burst starts as soon as the first send of the previous one leaves the window.
      for (let k = 1; k < bursts.length; k++) {
        const freed = bursts[k - 1]!.from + DAY_MS;
        expect(bursts[k]!.from).toBeGreaterThanOrEqual(freed);
        expect(bursts[k]!.from - freed).toBeLessThan(5 * 60_000);
      }
      // Finish within 5 % of the forecast (measured from the start).
      const forecastSpan = Date.parse(plan.finish_estimate!) - start;
      const actualSpan = times[times.length - 1]! - start;
      const error = Math.abs(actualSpan - forecastSpan) / forecastSpan;
      console.log(
        `limit drill: ${JSON.stringify({ bursts: bursts.map((b) => ({ from: new Date(b.from).toISOString(), to: new Date(b.to).toISOString(), sends: b.sends })), forecast: plan.forecast, forecastSpanH: forecastSpan / 3.6e6, actualSpanH: actualSpan / 3.6e6, error, maxInWindow })}`,
      );
      expect(error).toBeLessThan(0.05);
    },
    30 * 60_000,
  );
});
