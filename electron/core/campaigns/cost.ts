/**
 * Cost estimate from the user's editable rate card (category × recipient country, one currency).
 * Meta bills per DELIVERED template message, so this is labelled an estimate: it prices every
 * eligible recipient as if delivered. Pacer ships no prices (they change quarterly and per
 * currency); unpriced recipients are counted so the UI can ask for the missing rates.
 */

export interface RateCardEntry {
  category: string;
  /** ISO country code, or '*' for "any other country". */
  country: string;
  /** Price of one delivered message, in `currency`. */
  price: number;
  currency: string;
}

export interface CostEstimate {
  currency: string | null;
  amount: number | null;
  /** Always true: only delivered messages are billed. */
  estimate: true;
  priced: number;
  unpriced: number;
  /** Countries with no rate (and no '*' rate) for the category. */
  missing_countries: string[];
  by_country: { country: string; recipients: number; price: number | null; amount: number | null }[];
}

export function estimateCost(
  card: readonly RateCardEntry[],
  category: string,
  recipientsByCountry: ReadonlyMap<string, number>,
): CostEstimate {
  const cat = category.toUpperCase();
  const rows = card.filter((r) => r.category.toUpperCase() === cat);
  const currencies = new Set(rows.map((r) => r.currency.toUpperCase()));
  if (currencies.size > 1) throw new Error(`the rate card mixes currencies for ${cat}: ${[...currencies].join(', ')}`);
  const currency = currencies.size ? [...currencies][0]! : null;
  const fallback = rows.find((r) => r.country === '*');
  let amount = 0;
  let priced = 0;
  let unpriced = 0;
  const missing: string[] = [];
  const byCountry: CostEstimate['by_country'] = [];
  for (const [country, n] of [...recipientsByCountry].sort((a, b) => b[1] - a[1])) {
    const rate = rows.find((r) => r.country.toUpperCase() === country.toUpperCase()) ?? fallback;
    if (!rate) {
      unpriced += n;
      missing.push(country);
      byCountry.push({ country, recipients: n, price: null, amount: null });
      continue;
    }
    priced += n;
    const a = rate.price * n;
    amount += a;
    byCountry.push({ country, recipients: n, price: rate.price, amount: round(a) });
  }
  return {
    currency,
    amount: priced === 0 && unpriced > 0 ? null : round(amount),
    estimate: true,
    priced,
    unpriced,
    missing_countries: missing,
    by_country: byCountry,
  };
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;
