/**
 * Estimate at start vs actual cost (issue #13 §3). Meta's status webhooks carry a `pricing` object
 * (`billable`, `pricing_model`, `category` — incl. marketing_lite —, `type`: regular /
 * free_customer_service / free_entry_point) on one of delivered/read, but no amount: the actual
 * cost of a message is the card's rate for its market and Meta's category at the time Meta priced
 * it, 0 when Meta said it is free. Each ledger row keeps both the rate estimated at start and the
 * rate it was charged at, so the difference between the campaign's estimate and its actual cost
 * is a sum of per-row differences, each with its reason (`reconcile`, property-tested:
 * estimate + Σ differences = actual).
 */
import type { CostRow } from './store/pricing';
import type { Db } from '../db/connection';
import type { StatusEvent } from '../webhooks/events';
import type { CampaignCostReport, CostDifferenceCode, RateCardInfo } from '../../../shared/contract/pricing';
import { cardCategoryOf, isCharged } from '../../../shared/pricing/categories';
import { cardInfo, lookupRate } from '../pricing/store';
import { notFound } from '../errors';
import { costCardOf, costRows, pricingOfRow, writeEstimate, writePricing } from './store/pricing';

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** At start (inside materialize's transaction): each pending row's estimated rate, and the card used. */
export function snapshotEstimate(db: Db, campaignId: string, templateCategory: string | null, now: number): void {
  writeEstimate(db, campaignId, (templateCategory ?? 'MARKETING').toUpperCase(), JSON.stringify(cardInfo(db, now)));
}

/**
 * Records a status webhook's pricing object on its ledger row (the first one wins: Meta sends it on
 * one of delivered/read, and a duplicate or late copy must not price a message twice).
 */
export function recordPricing(db: Db, rowId: number, pricing: StatusEvent['pricing'], at: number): void {
  if (!pricing || (pricing.type === null && pricing.billable === null && pricing.category === null)) return;
  const row = pricingOfRow(db, rowId);
  if (!row || row.pricing_type !== null || row.pricing_billable !== null || row.pricing_category !== null) return;
  let rate: number | null = 0;
  let currency: string | null = null;
  if (isCharged(pricing)) {
    const cat = cardCategoryOf(pricing.category);
    const r = cat ? lookupRate(db, cat, row.country) : null;
    rate = r?.price ?? null;
    currency = r?.currency ?? null;
  }
  writePricing(db, rowId, {
    billable: pricing.billable === null ? null : pricing.billable ? 1 : 0,
    model: pricing.model,
    category: pricing.category,
    type: pricing.type,
    at,
    rate,
    currency,
  });
}

export type { CostRow };

const AWAITING = new Set(['pending', 'sending', 'accepted', 'sent']);
const DELIVERED = new Set(['delivered', 'read']);

/** Pure: the estimate, the actual cost and the differences with their reasons, from the ledger rows. */
export function reconcile(rows: readonly CostRow[], card: RateCardInfo | null): CampaignCostReport {
  let est = 0;
  let estMessages = 0;
  let estUnpriced = 0;
  let actual = 0;
  let charged = 0;
  let unpriced = 0;
  let currency: string | null = null;
  const diffs = new Map<CostDifferenceCode, { messages: number; amount: number }>();
  const byCat = new Map<string, { category: string; type: string; messages: number; amount: number; unpriced: number }>();
  const diff = (code: CostDifferenceCode, amount: number) => {
    const d = diffs.get(code) ?? { messages: 0, amount: 0 };
    d.messages++;
    d.amount += amount;
    diffs.set(code, d);
  };
  for (const r of rows) {
    const estimated = r.est_category !== null;
    const e = r.est_rate ?? 0;
    if (estimated) {
      estMessages++;
      if (r.est_rate === null) estUnpriced++;
      est += e;
      currency ??= r.est_currency;
    }
    const priced = r.pricing_type !== null || r.pricing_billable !== null || r.pricing_category !== null;
    if (priced) {
      const key = `${r.pricing_category ?? '?'}|${r.pricing_type ?? '?'}`;
      const g = byCat.get(key) ?? {
        category: r.pricing_category ?? 'unknown',
        type: r.pricing_type ?? 'unknown',
        messages: 0,
        amount: 0,
        unpriced: 0,
      };
      g.messages++;
      byCat.set(key, g);
      const isFree = !isCharged({
        billable: r.pricing_billable === null ? null : r.pricing_billable === 1,
        type: r.pricing_type,
        category: r.pricing_category,
      });
      if (isFree) {
        const code: CostDifferenceCode =
          r.pricing_type === 'free_entry_point' || r.pricing_category === 'referral_conversion'
            ? 'free_entry_point'
            : r.pricing_type === 'free_customer_service'
              ? 'free_customer_service'
              : 'not_charged';
        if (estimated || code !== 'not_charged') diff(code, -e);
        continue;
      }
      charged++;
      if (r.cost_rate === null) {
        unpriced++;
        g.unpriced++;
        diff('unpriced', -e);
        continue;
      }
      actual += r.cost_rate;
      g.amount += r.cost_rate;
      currency ??= r.cost_currency;
      const delta = r.cost_rate - e;
      if (Math.abs(delta) > 1e-12 || !estimated || r.est_rate === null) {
        const sameCategory = !estimated || cardCategoryOf(r.pricing_category) === r.est_category;
        diff(sameCategory ? 'rate_changed' : 'category_changed', delta);
      }
    } else if (!estimated) {
      continue;
    } else if (DELIVERED.has(r.state)) diff('no_pricing', -e);
    else if (AWAITING.has(r.state)) diff('awaiting', -e);
    else diff('not_delivered', -e);
  }
  const order: CostDifferenceCode[] = [
    'not_delivered',
    'awaiting',
    'free_customer_service',
    'free_entry_point',
    'not_charged',
    'category_changed',
    'rate_changed',
    'no_pricing',
    'unpriced',
  ];
  return {
    card,
    currency,
    estimate: {
      amount: estMessages === 0 || estUnpriced === estMessages ? null : round(est),
      messages: estMessages,
      unpriced: estUnpriced,
    },
    actual: {
      amount: charged > 0 && unpriced === charged ? null : round(actual),
      charged,
      unpriced,
      by_category: [...byCat.values()]
        .sort((a, b) => b.messages - a.messages)
        .map((g) => ({
          category: g.category,
          type: g.type,
          messages: g.messages,
          amount: g.unpriced === g.messages && g.messages > 0 && g.type === 'regular' ? null : round(g.amount),
        })),
    },
    differences: order
      .filter((c) => diffs.has(c))
      .map((code) => ({ code, messages: diffs.get(code)!.messages, amount: round(diffs.get(code)!.amount) })),
  };
}

export function campaignCost(db: Db, id: string): CampaignCostReport {
  const c = costCardOf(db, id);
  if (!c) throw notFound(`No campaign ${id}`);
  return reconcile(costRows(db, id), c.cost_card ? (JSON.parse(c.cost_card) as RateCardInfo) : null);
}
