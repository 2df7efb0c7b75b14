import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reconcile, type CostRow } from '../../../electron/core/campaigns/costs';

const rate = fc.option(fc.constantFrom(0.01, 0.035, 0.05, 0.1), { nil: null });
const rowArb: fc.Arbitrary<CostRow> = fc
  .record({
    state: fc.constantFrom('pending', 'sent', 'delivered', 'read', 'failed', 'skipped', 'uncertain'),
    est_category: fc.option(fc.constantFrom('MARKETING', 'UTILITY'), { nil: null }),
    est_rate: rate,
    est_currency: fc.constant('USD'),
    pricing_billable: fc.option(fc.constantFrom(0, 1), { nil: null }),
    pricing_category: fc.option(fc.constantFrom('marketing', 'marketing_lite', 'utility', 'referral_conversion'), { nil: null }),
    pricing_type: fc.option(fc.constantFrom('regular', 'free_customer_service', 'free_entry_point'), { nil: null }),
    cost_rate: rate,
    cost_currency: fc.constant('USD'),
  })
  .map((r) => {
    // A row without an estimated category has no estimated rate; a priced row was delivered; a free one cost 0.
    const out = { ...r, est_rate: r.est_category === null ? null : r.est_rate };
    const priced = out.pricing_type !== null || out.pricing_billable !== null || out.pricing_category !== null;
    if (priced) out.state = 'delivered';
    return out;
  });

describe('estimate vs actual reconciliation', () => {
  it('estimate + Σ differences = actual, and every estimated or priced row is explained once', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 60 }), (rows) => {
        const r = reconcile(rows, null);
        const est = r.estimate.amount ?? 0;
        const act = r.actual.amount ?? 0;
        expect(est + r.differences.reduce((s, d) => s + d.amount, 0)).toBeCloseTo(act, 6);
        const estimated = rows.filter((x) => x.est_category !== null).length;
        expect(r.estimate.messages).toBe(estimated);
        expect(r.actual.by_category.reduce((s, g) => s + g.messages, 0)).toBe(
          rows.filter((x) => x.pricing_type !== null || x.pricing_billable !== null || x.pricing_category !== null).length,
        );
      }),
      { seed: 1313, numRuns: 500 },
    );
  });

  it('names each reason', () => {
    const base: CostRow = {
      state: 'delivered',
      est_category: 'MARKETING',
      est_rate: 0.05,
      est_currency: 'USD',
      pricing_billable: 1,
      pricing_category: 'marketing',
      pricing_type: 'regular',
      cost_rate: 0.05,
      cost_currency: 'USD',
    };
    const r = reconcile(
      [
        base,
        { ...base, state: 'failed', pricing_billable: null, pricing_category: null, pricing_type: null, cost_rate: null },
        { ...base, state: 'pending', pricing_billable: null, pricing_category: null, pricing_type: null, cost_rate: null },
        { ...base, pricing_type: 'free_entry_point', pricing_billable: 0, cost_rate: 0 },
        { ...base, pricing_type: 'free_customer_service', pricing_billable: 0, cost_rate: 0 },
        { ...base, cost_rate: 0.06 },
        { ...base, pricing_category: 'utility', cost_rate: 0.01 },
        { ...base, pricing_category: 'marketing_lite' },
        { ...base, cost_rate: null },
      ],
      null,
    );
    expect(Object.fromEntries(r.differences.map((d) => [d.code, d.messages]))).toEqual({
      not_delivered: 1,
      awaiting: 1,
      free_entry_point: 1,
      free_customer_service: 1,
      rate_changed: 1,
      category_changed: 1,
      unpriced: 1,
    });
    expect(r.actual).toMatchObject({ charged: 5, unpriced: 1 });
    expect(r.actual.amount).toBeCloseTo(0.05 + 0.06 + 0.01 + 0.05, 9);
  });
});
