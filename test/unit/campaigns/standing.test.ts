import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { campaignStanding } from '../../../electron/core/campaigns/ledger-state';
import { CAMPAIGN_STATES, RECIPIENT_STATES, type RecipientCounts } from '../../../shared/contract/campaigns';

const countsArb = fc.record(
  Object.fromEntries(RECIPIENT_STATES.map((s) => [s, fc.nat(50)])) as Record<keyof RecipientCounts, fc.Arbitrary<number>>,
);

describe('campaignStanding: one answer from the stored state and the ledger', () => {
  it('never says completed with rows to go, nor running with none; counts add up; a rate only while sending', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CAMPAIGN_STATES),
        countsArb,
        fc.nat(60),
        fc.option(fc.nat(10 ** 9)),
        fc.boolean(),
        (stored, counts, due, next, started) => {
          const dueNow = Math.min(due, counts.pending);
          const s = campaignStanding({
            stored,
            counts,
            timing: { dueNow, nextNotBefore: next },
            startAt: null,
            startedAt: started ? 1 : null,
            rate: 80,
          });
          expect(s.processed + s.remaining).toBe(s.total);
          expect(s.total).toBe(Object.values(counts).reduce((a, b) => a + b, 0));
          if (s.state === 'completed') expect(s.remaining).toBe(0);
          if (stored === 'running' || stored === 'completed') {
            expect(s.state === 'running').toBe(s.remaining > 0 || (stored === 'running' && s.total === 0));
          } else expect(s.state).toBe(stored);
          if (s.rate !== null) expect(s.next).toBe('send');
          if (s.next === 'retry') expect(s.until).not.toBeNull();
          expect(s.started).toBe(started && stored !== 'draft' && stored !== 'scheduled');
        },
      ),
      { seed: 16, numRuns: 2000 },
    );
  });

  it('a completed campaign whose failures were resent is running again; with only uncertain rows left it asks for review', () => {
    const zero = Object.fromEntries(RECIPIENT_STATES.map((s) => [s, 0])) as RecipientCounts;
    const resent = campaignStanding({
      stored: 'completed',
      counts: { ...zero, delivered: 20, pending: 2 },
      timing: { dueNow: 2, nextNotBefore: null },
      startAt: null,
      startedAt: 1,
      rate: 80,
    });
    expect(resent).toMatchObject({ state: 'running', next: 'send', rate: 80, processed: 20, remaining: 2 });
    const review = campaignStanding({
      stored: 'running',
      counts: { ...zero, delivered: 20, uncertain: 1 },
      timing: { dueNow: 0, nextNotBefore: null },
      startAt: null,
      startedAt: 1,
      rate: 80,
    });
    expect(review).toMatchObject({ state: 'completed', next: 'review', rate: null });
  });
});
