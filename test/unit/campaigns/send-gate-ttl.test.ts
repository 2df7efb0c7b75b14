/**
 * The send-time rule's TTL (campaigns/send-gate.ts, issue #13): a marketing row claimed after the
 * campaign's send-by time (start + `ttl`) is skipped as `ttl_expired`; a row on time, a non-marketing
 * campaign or one without a TTL is not; the person's own reasons (erasure, opt-out, …) come first.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { skipReasonFor } from '../../../electron/core/campaigns/send-gate';
import { CAMPAIGN_TTL_MAX_S, CAMPAIGN_TTL_MIN_S, sendByOf } from '../../../shared/message-ttl';
import { optionsSchema } from '../../../shared/contract/campaigns';
import { ttlPlan } from '../../../electron/core/campaigns/ttl-plan';

const row = { contact_id: 1, phone: '+972502345678' };
const okState = { consent: 'opted_in' as const, held: false, phone: '+972502345678' };
const START = Date.UTC(2026, 11, 4, 9, 0, 0);

describe('send gate: campaign TTL', () => {
  it('skips a marketing row claimed after start + ttl, and sends one claimed up to that moment', () => {
    const sendBy = sendByOf(START, 3600)!;
    expect(sendBy).toBe(START + 3_600_000);
    expect(skipReasonFor(row, okState, true, { now: sendBy, sendBy })).toBeNull();
    expect(skipReasonFor(row, okState, true, { now: sendBy + 1, sendBy })).toBe('ttl_expired');
    // Not marketing (e.g. recategorised to utility): no TTL skip.
    expect(skipReasonFor(row, okState, false, { now: sendBy + 1, sendBy })).toBeNull();
    // No TTL, or a campaign not started: nothing to expire.
    expect(sendByOf(START, null)).toBeNull();
    expect(sendByOf(START, undefined)).toBeNull();
    expect(sendByOf(null, 3600)).toBeNull();
    expect(skipReasonFor(row, okState, true, { now: sendBy + 1, sendBy: null })).toBeNull();
    // The person's own reasons are reported first.
    expect(skipReasonFor(row, { ...okState, consent: 'opted_out' }, true, { now: sendBy + 1, sendBy })).toBe('opted_out');
    expect(skipReasonFor(row, undefined, true, { now: sendBy + 1, sendBy })).toBe('erased');
  });

  it('property: a sendable marketing row is skipped for TTL exactly when now > start + ttl', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: CAMPAIGN_TTL_MIN_S, max: CAMPAIGN_TTL_MAX_S }),
        fc.integer({ min: 0, max: 40 * 86_400_000 }),
        (ttl, elapsed) => {
          const sendBy = sendByOf(START, ttl);
          const reason = skipReasonFor(row, okState, true, { now: START + elapsed, sendBy });
          expect(reason).toBe(elapsed > ttl * 1000 ? 'ttl_expired' : null);
        },
      ),
      { seed: 13, numRuns: 500 },
    );
  });

  it('the option accepts 5 minutes to 30 days, or null', () => {
    expect(optionsSchema.parse({ ttl: 7200 }).ttl).toBe(7200);
    expect(optionsSchema.parse({ ttl: null }).ttl).toBeNull();
    expect(optionsSchema.safeParse({ ttl: CAMPAIGN_TTL_MIN_S - 1 }).success).toBe(false);
    expect(optionsSchema.safeParse({ ttl: CAMPAIGN_TTL_MAX_S + 1 }).success).toBe(false);
    expect(optionsSchema.safeParse({ ttl: 7200.5 }).success).toBe(false);
  });
});

describe('plan: how many forecast sends may miss the TTL', () => {
  const iso = (ms: number) => new Date(START + ms).toISOString();
  const windows = [
    { from: iso(0), to: iso(1_000_000), sends: 1000 }, // all before a 2,000 s TTL
    { from: iso(1_500_000), to: iso(2_500_000), sends: 1000 }, // half after it
    { from: iso(90_000_000), to: iso(91_000_000), sends: 500 }, // the next day: all after
  ];
  it('counts the sends after start + ttl, splitting a burst that straddles it', () => {
    expect(ttlPlan('MARKETING', 2000, START, windows)).toEqual({ seconds: 2000, send_by: iso(2_000_000), may_miss: 1000 });
    expect(ttlPlan('MARKETING', 86_400, START, windows)).toEqual({ seconds: 86_400, send_by: iso(86_400_000), may_miss: 500 });
    expect(ttlPlan('MARKETING', 30 * 86_400, START, windows)?.may_miss).toBe(0);
  });
  it('is null without a TTL or for a non-marketing template', () => {
    expect(ttlPlan('MARKETING', null, START, windows)).toBeNull();
    expect(ttlPlan('UTILITY', 2000, START, windows)).toBeNull();
    expect(ttlPlan(null, 2000, START, windows)).toBeNull();
  });
});
