/**
 * Issue #13 §3, "prices that work out of the box": on a fresh store (no import, no rate typed) the
 * plan of a campaign prices every recipient with the card Pacer ships and names that card —
 * countries with rows of their own (IL, BR, IN, DE), North America (US, utility: marketing to US
 * numbers is blocked), countries priced by a "Rest of …" row (TW, KE) and a country in no market of
 * Meta's (KR → "Other"). Against the Sandbox, real SQLite.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO, SANDBOX_WABA_ID, type Scenario } from '../../../electron/core/sandbox/index';
import { SHIPPED_RATE_CARD } from '../../../shared/pricing/shipped-card';
import { ok, scenario, seedContacts, utilityDraft, world, type World } from './helpers';

let w: World | null = null;
afterEach(async () => {
  await w?.close();
  w = null;
});

const flashSale = {
  id: '5000000000000098',
  name: 'flash_sale',
  language: 'en_US',
  category: 'MARKETING',
  status: 'APPROVED',
  quality_score: 'GREEN',
  components: [{ type: 'BODY', text: 'Flash sale today only: every tent 30% off.' }],
};

function withFlashSale(): Scenario {
  const base = scenario();
  return {
    ...base,
    wabas: DEFAULT_SCENARIO.wabas!.map((wb) =>
      wb.id === SANDBOX_WABA_ID ? { ...wb, templates: [...(wb.templates ?? []), flashSale] } : wb,
    ) as Scenario['wabas'],
  };
}

/** One valid mobile number per country (libphonenumber reads the country from it). */
const PHONES: Record<string, string> = {
  IL: '+972521234567',
  TW: '+886912345678',
  BR: '+5511912345678',
  IN: '+919876543210',
  DE: '+4915123456789',
  KE: '+254712345678',
  KR: '+821012345678',
  US: '+12124567890',
};

const rate = (category: string, country: string) =>
  SHIPPED_RATE_CARD.rates.find((r) => r.category === category && r.country === country)?.price ??
  SHIPPED_RATE_CARD.rates.find((r) => r.category === category && r.country === '*')!.price;

describe('cost estimate on day one (fresh store, the shipped card)', () => {
  it('prices every market of a marketing plan and names the shipped card', async () => {
    w = await world({ scenario: withFlashSale() });
    const countries = ['IL', 'TW', 'BR', 'IN', 'DE', 'KE', 'KR'];
    seedContacts(w.core, countries.length, { consent: 'marketing', phone: (i) => PHONES[countries[i]!]! });
    const c = await ok(
      w.core.call('campaigns:create', {
        name: 'Flash',
        template: { name: 'flash_sale', language: 'en_US' },
        audience: 'all',
        params: {},
        options: { rate: 1000 },
      }),
    );
    // The very first read of this store is the plan: it must already see the shipped rates.
    const plan = await ok(w.core.call('campaigns:plan', { id: c.id }));
    expect(plan.eligible).toBe(countries.length);
    expect(plan.cost_estimate).toMatchObject({ currency: 'USD', unpriced: 0, missing_countries: [] });
    const expected = countries.reduce((sum, k) => sum + rate('MARKETING', k), 0);
    expect(plan.cost_estimate.amount).toBeCloseTo(expected, 9);
    // Own rows, a region's row and Other, as Meta's card prints them.
    expect([rate('MARKETING', 'IL'), rate('MARKETING', 'TW'), rate('MARKETING', 'KE'), rate('MARKETING', 'KR')]).toEqual([
      0.0353, 0.0732, 0.0225, 0.0604,
    ]);
    expect(plan.cost_estimate.card).toMatchObject({
      card_id: 'meta-usd-2025-10-01',
      origin: 'shipped',
      effective_from: '2025-10-01',
      currency: 'USD',
      edited: 0,
      rates: SHIPPED_RATE_CARD.rates.length,
    });
    expect(plan.cost_estimate.card!.source).toContain('https://github.com/xplorebytesolutions/xplorebyte-website-nextjs-v1.1/');

    const view = await ok(w.core.call('rates:card', {}));
    expect(view.shipped).toMatchObject({ card_id: 'meta-usd-2025-10-01', currency: 'USD', rates: SHIPPED_RATE_CARD.rates.length });
    expect(view.shipped.changed_since.map((x) => x.country)).toEqual(expect.arrayContaining(['EG', 'IN', 'US', 'BD', 'UA']));
  });

  it('prices a utility plan with US recipients at the North America rate', async () => {
    w = await world();
    const countries = ['US', 'US', 'IL', 'KE'];
    seedContacts(w.core, countries.length, { consent: 'utility', phone: (i) => PHONES[countries[i]!]!.replace(/\d$/, String(i)) });
    const c = await ok(w.core.call('campaigns:create', utilityDraft()));
    const plan = await ok(w.core.call('campaigns:plan', { id: c.id }));
    expect(plan.eligible).toBe(4);
    expect(plan.cost_estimate.unpriced).toBe(0);
    expect(plan.cost_estimate.amount).toBeCloseTo(2 * 0.004 + 0.0053 + 0.004, 9);
    expect(plan.cost_estimate.card).toMatchObject({ origin: 'shipped', card_id: 'meta-usd-2025-10-01' });
  });

  it('a store still on the older, figure-less shipped card that nobody edited gets the current one; an edited one is kept', async () => {
    w = await world();
    const db = w.core.db;
    const now = Date.now();
    // The card an earlier Pacer loaded: its id, no rates.
    db.prepare(
      `INSERT INTO rate_card_info (id, card_id, effective_from, source, origin, updated_at) VALUES (1, 'meta-2026-10-01', '2026-10-01', 'x', 'shipped', ?)`,
    ).run(now);
    const view = await ok(w.core.call('rates:card', {}));
    expect(view.info).toMatchObject({ card_id: 'meta-usd-2025-10-01', origin: 'shipped', rates: SHIPPED_RATE_CARD.rates.length });

    // An edit makes the card the user's: a later upgrade must not drop it.
    await ok(w.core.call('rates:set', { category: 'MARKETING', country: 'IL', price: 0.05, currency: 'USD' }));
    db.prepare(`UPDATE rate_card_info SET card_id = 'meta-2026-10-01' WHERE id = 1`).run();
    const kept = await ok(w.core.call('rates:card', {}));
    expect(kept.info.card_id).toBe('meta-2026-10-01');
    expect(kept.rates.find((r) => r.country === 'IL' && r.category === 'MARKETING')).toMatchObject({ price: 0.05, edited: true });
  });
});
