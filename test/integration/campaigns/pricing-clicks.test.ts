/**
 * Issue #13 §3–4 against the Sandbox: the actual cost of a campaign is the sum of its delivered
 * messages' rates (Meta's pricing objects, as the Sandbox's status webhooks carry them, priced with
 * the imported card), the estimate names its card, the differences are explained, and click events
 * (user_actions) give a clicked stage with per-recipient times — or "no data" when there are none.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO, SANDBOX_RECIPIENTS, SANDBOX_WABA_ID, type Scenario } from '../../../electron/core/sandbox/index';
import { ok, phoneOf, runUntilDone, scenario, seedContacts, world, type World } from './helpers';

const FIXTURE = fs.readFileSync(path.join(__dirname, '../../fixtures/pricing/rate-card-test-usd.csv'), 'utf8');
const IL_MARKETING = 0.035;

let w: World | null = null;
afterEach(async () => {
  await w?.close();
  w = null;
});

const flashSale = {
  id: '5000000000000099',
  name: 'flash_sale',
  language: 'en_US',
  category: 'MARKETING',
  status: 'APPROVED',
  quality_score: 'GREEN',
  components: [
    { type: 'BODY', text: 'Flash sale today only: every tent 30% off.' },
    { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'See the tents', url: 'https://example.test/tents' }] },
  ],
};

function pricingScenario(opts: { tie: boolean }): Scenario {
  const base = scenario();
  return {
    ...base,
    wabas: DEFAULT_SCENARIO.wabas!.map((wb) =>
      wb.id === SANDBOX_WABA_ID ? { ...wb, templates: [...(wb.templates ?? []), flashSale] } : wb,
    ) as Scenario['wabas'],
    users: [
      ...(DEFAULT_SCENARIO.users ?? []),
      ...[0, 1, 2].map((i) => ({ phone: phoneOf(i), reads: true, clicks: true })),
      ...[3, 4].map((i) => ({ phone: phoneOf(i), free_entry_point: true, clicks: false })),
    ],
    clicks: { rate: 0, delay_ms: [20, 80], tie_to_message: opts.tie },
  };
}

async function waitFor<T>(fn: () => T | Promise<T>, done: (v: T) => boolean, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (done(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Meta's side: every pricing object the Sandbox posted, by wamid. */
function sandboxPricing(x: World): Map<string, { type: string; category: string; billable: boolean }> {
  const out = new Map<string, { type: string; category: string; billable: boolean }>();
  for (const e of x.sandbox.webhookLog({ field: 'messages' })) {
    const body = JSON.parse(e.body) as {
      entry: { changes: { value: { statuses?: { id: string; pricing?: { type: string; category: string; billable: boolean } }[] } }[] }[];
    };
    for (const en of body.entry)
      for (const ch of en.changes) for (const s of ch.value.statuses ?? []) if (s.pricing) out.set(s.id, s.pricing);
  }
  return out;
}

async function runFlashSale(x: World) {
  seedContacts(x.core, 9, { consent: 'marketing' });
  seedContacts(x.core, 1, { consent: 'marketing', phone: () => SANDBOX_RECIPIENTS.undeliverable });
  const c = await ok(
    x.core.call('campaigns:create', {
      name: 'Flash',
      template: { name: 'flash_sale', language: 'en_US' },
      audience: 'all',
      params: {},
      options: { rate: 1000 },
    }),
  );
  return c;
}

describe('rate card, actual cost and clicks against the Sandbox', () => {
  it("the actual cost equals the sum of the delivered messages' rates; the estimate names the card; differences explained", async () => {
    w = await world({ scenario: pricingScenario({ tie: true }) });
    // Day one: the card shipped with Pacer is in force and named (shared/pricing/shipped-card.ts).
    const shipped = await ok(w.core.call('rates:card', {}));
    expect(shipped.info).toMatchObject({
      card_id: 'meta-usd-2025-10-01',
      origin: 'shipped',
      effective_from: '2025-10-01',
      currency: 'USD',
    });
    const imported = await ok(w.core.call('rates:import', { csv: FIXTURE, name: 'rate-card-test-usd.csv' }));
    expect(imported.view.info).toMatchObject({
      origin: 'imported',
      effective_from: '2026-10-01',
      currency: 'USD',
      source: 'rate-card-test-usd.csv',
      edited: 0,
    });
    // "Rest of Africa" is expanded to its countries; only the made-up market is skipped.
    expect(imported.skipped.map((s) => s.code).sort()).toEqual(['unknown_market']);

    const c = await runFlashSale(w);
    const plan = await ok(w.core.call('campaigns:plan', { id: c.id }));
    expect(plan.eligible).toBe(10);
    expect(plan.cost_estimate.amount).toBeCloseTo(10 * IL_MARKETING, 9);
    expect(plan.cost_estimate.card).toMatchObject({ origin: 'imported', effective_from: '2026-10-01', edited: 0 });
    expect((await ok(w.core.call('campaigns:clicks', { id: c.id }))).availability).toBe('no_data');

    await ok(w.core.call('campaigns:start', { id: c.id }));
    await runUntilDone(w, c.id);
    // Every delivered message priced (Meta's pricing object rides on delivered or read).
    await waitFor(
      () =>
        w!.core.db
          .prepare(
            `SELECT count(*) FROM campaign_recipients WHERE campaign_id = ? AND state IN ('delivered', 'read') AND pricing_type IS NULL`,
          )
          .pluck()
          .get(c.id) as number,
      (n) => n === 0,
    );
    await waitFor(
      () =>
        w!.core.db
          .prepare(`SELECT count(*) FROM campaign_recipients WHERE campaign_id = ? AND state IN ('delivered', 'read')`)
          .pluck()
          .get(c.id) as number,
      (n) => n === 9,
    );
    await w.sandbox.webhooksIdle();

    const cost = await ok(w.core.call('campaigns:cost', { id: c.id }));
    // Meta's side, independently: the pricing objects the Sandbox posted for this campaign's messages.
    const meta = sandboxPricing(w);
    const rows = w.core.db.prepare(`SELECT wamid, state FROM campaign_recipients WHERE campaign_id = ?`).all(c.id) as {
      wamid: string | null;
      state: string;
    }[];
    const delivered = rows.filter((r) => r.state === 'delivered' || r.state === 'read');
    expect(delivered).toHaveLength(9);
    const charged = delivered.filter((r) => meta.get(r.wamid!)?.type === 'regular');
    expect(charged).toHaveLength(7);
    expect(delivered.filter((r) => meta.get(r.wamid!)?.type === 'free_entry_point')).toHaveLength(2);
    expect(cost.actual.amount).toBeCloseTo(charged.length * IL_MARKETING, 9);
    expect(cost.actual.charged).toBe(7);
    expect(cost.estimate.amount).toBeCloseTo(10 * IL_MARKETING, 9);
    expect(cost.card).toMatchObject({ origin: 'imported', effective_from: '2026-10-01' });
    expect(cost.actual.by_category).toEqual(
      expect.arrayContaining([
        { category: 'marketing', type: 'regular', messages: 7, amount: expect.closeTo(7 * IL_MARKETING, 9) },
        { category: 'marketing', type: 'free_entry_point', messages: 2, amount: 0 },
      ]),
    );
    expect(cost.differences).toEqual([
      { code: 'not_delivered', messages: 1, amount: expect.closeTo(-IL_MARKETING, 9) },
      { code: 'free_entry_point', messages: 2, amount: expect.closeTo(-2 * IL_MARKETING, 9) },
    ]);
    expect(cost.estimate.amount! + cost.differences.reduce((s, d) => s + d.amount, 0)).toBeCloseTo(cost.actual.amount!, 9);

    // Clicks: the three clickers read and clicked; per-recipient click time on their rows.
    const clicks = await waitFor(
      () => ok(w!.core.call('campaigns:clicks', { id: c.id })),
      (v) => v.clicked === 3,
    );
    expect(clicks).toMatchObject({ availability: 'available', clicked: 3, clicks: 3, delivered: 9, untied_account_clicks: 0 });
    expect(clicks.click_rate).toBeCloseTo(3 / 9, 9);
    const page = await ok(w.core.call('campaigns:recipients', { id: c.id, limit: 50 }));
    const clicked = page.rows.filter((r) => r.clicked_at);
    expect(clicked.map((r) => r.phone).sort()).toEqual([phoneOf(0), phoneOf(1), phoneOf(2)]);
    for (const r of clicked) expect(r.clicked_at!).toBeGreaterThanOrEqual(r.read_at!);
    // The report carries both (the CLI's JSON and the app's summary).
    const report = await ok(w.core.call('campaigns:report', { id: c.id }));
    expect(report.cost?.actual.amount).toBeCloseTo(7 * IL_MARKETING, 9);
    expect(report.clicks?.clicked).toBe(3);
  }, 60_000);

  it('an edited rate is named in the estimate; clicks Meta sends without a message id count for the account only', async () => {
    w = await world({ scenario: pricingScenario({ tie: false }) });
    await ok(w.core.call('rates:import', { csv: FIXTURE, name: 'rate-card-test-usd.csv' }));
    const view = await ok(w.core.call('rates:set', { category: 'MARKETING', country: 'IL', price: 0.04, currency: 'USD' }));
    expect(view.info.edited).toBe(1);
    expect(view.rates.find((r) => r.category === 'MARKETING' && r.country === 'IL')).toMatchObject({ price: 0.04, edited: true });
    const c = await runFlashSale(w);
    const plan = await ok(w.core.call('campaigns:plan', { id: c.id }));
    expect(plan.cost_estimate.amount).toBeCloseTo(0.4, 9);
    expect(plan.cost_estimate.card).toMatchObject({ edited: 1, origin: 'imported' });
    await ok(w.core.call('campaigns:start', { id: c.id }));
    // The rate changes while the messages are out: the difference says so.
    await ok(w.core.call('rates:set', { category: 'MARKETING', country: 'IL', price: 0.05, currency: 'USD' }));
    await runUntilDone(w, c.id);
    await waitFor(
      () =>
        w!.core.db
          .prepare(
            `SELECT count(*) FROM campaign_recipients WHERE campaign_id = ? AND state IN ('delivered', 'read') AND pricing_type IS NOT NULL`,
          )
          .pluck()
          .get(c.id) as number,
      (n) => n === 9,
    );
    const cost = await ok(w.core.call('campaigns:cost', { id: c.id }));
    expect(cost.actual.amount).toBeCloseTo(7 * 0.05, 9);
    expect(cost.differences.find((d) => d.code === 'rate_changed')).toMatchObject({ messages: 7, amount: expect.closeTo(7 * 0.01, 9) });
    const clicks = await waitFor(
      () => ok(w!.core.call('campaigns:clicks', { id: c.id })),
      (v) => v.untied_account_clicks === 3,
    );
    expect(clicks).toMatchObject({ availability: 'available', clicked: 0, untied_account_clicks: 3 });
  }, 60_000);
});
