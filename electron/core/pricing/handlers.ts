/**
 * Contract handlers for the rate card (`rates:*`) and a campaign's actual cost and clicks.
 * Joined into the campaigns domain's handler group (campaigns/handlers.ts).
 */
import type { HandlerGroup } from '../api/handlers';
import type { CoreContext } from '../context';
import { PacerError, badInput } from '../errors';
import type { pricingMethods, RateCardView } from '../../../shared/contract/pricing';
import { parseRateCardCsv, RateCardCsvError } from '../../../shared/pricing/csv';
import { SHIPPED_CARD, cardInfo, categoryCurrency, otherRatesInCategory, rateRows, replaceCard, resetToShipped, setRate } from './store';
import { campaignCost } from '../campaigns/costs';
import { campaignClicks, clickRates } from '../campaigns/clicks';

type PricingMethod = keyof typeof pricingMethods;

export function rateCardView(ctx: CoreContext): RateCardView {
  const now = ctx.clock.now();
  return {
    info: cardInfo(ctx.db, now),
    rates: rateRows(ctx.db, now),
    shipped: {
      card_id: SHIPPED_CARD.id,
      effective_from: SHIPPED_CARD.effective_from,
      currency: SHIPPED_CARD.currency,
      rates: SHIPPED_CARD.rates.length,
      changed_since: SHIPPED_CARD.changed_since.map((c) => ({ from: c.from, country: c.country, categories: [...c.categories] })),
      standalone_markets: SHIPPED_CARD.standalone_markets,
      rules_from: SHIPPED_CARD.rules.service_charged_from,
    },
  };
}

export function importRateCard(
  ctx: CoreContext,
  input: { csv: string; name?: string | undefined; currency?: string | undefined; effective_from?: string | undefined },
) {
  let parsed;
  try {
    parsed = parseRateCardCsv(input.csv);
  } catch (e) {
    if (e instanceof RateCardCsvError) throw new PacerError('bad_input', e.message, { reason: e.code });
    throw e;
  }
  const currency = parsed.currency ?? input.currency ?? null;
  if (!currency)
    throw new PacerError('bad_input', 'the file names no currency: give one (Meta publishes one file per currency)', {
      reason: 'no_currency',
    });
  const effective = input.effective_from ?? parsed.effective_from;
  const name = input.name?.trim() || 'rate card CSV';
  replaceCard(
    ctx.db,
    { card_id: `csv-${effective ?? 'undated'}`, effective_from: effective, source: name, currency, rates: parsed.rates },
    ctx.clock.now(),
  );
  return { view: rateCardView(ctx), imported: parsed.rates.length, markets: parsed.markets, skipped: parsed.skipped };
}

export function pricingHandlers(ctx: CoreContext): HandlerGroup<PricingMethod> {
  return {
    'rates:card': () => rateCardView(ctx),
    'rates:import': (input) => importRateCard(ctx, input),
    'rates:set': (r) => {
      // One currency per category: an edit in another currency than the category's rates is refused.
      const cur = categoryCurrency(ctx.db, r.category);
      if (r.price !== null && cur && cur !== r.currency && otherRatesInCategory(ctx.db, r.category, r.country) > 0) {
        throw badInput(`the ${r.category} rates are in ${cur}, not ${r.currency}`, { reason: 'currency_mismatch', currency: cur });
      }
      setRate(ctx.db, r, ctx.clock.now());
      return rateCardView(ctx);
    },
    'rates:reset': () => {
      resetToShipped(ctx.db, ctx.clock.now());
      return rateCardView(ctx);
    },
    'campaigns:cost': ({ id }) => campaignCost(ctx.db, id),
    'campaigns:clicks': ({ id }) => campaignClicks(ctx.db, id),
    'campaigns:click-rates': () => clickRates(ctx.db),
  };
}
