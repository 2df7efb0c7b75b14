/**
 * The rate card Pacer ships, so that a plan's cost estimate works on day one in every market.
 *
 * WHAT IS SHIPPED. Meta's USD per-message rate card effective 2025-10-01 (in force until
 * 2025-12-31), all 33 markets of it: 24 countries with rows of their own, North America, the seven
 * "Rest of …" regions and Other; marketing, utility and authentication in every market and
 * authentication-international where Meta has one. It is the most recent complete card Pacer could
 * source figure by figure (2026-12-05). Region rows are expanded to their countries with Meta's
 * region list (meta-regions.ts) by the same reader that imports Meta's CSV (csv.ts), so the
 * shipped card and an imported one are read alike; a country in no market is priced at "Other".
 *
 * WHERE THE FIGURES COME FROM (docs/whatsapp.md "Shipped rate card" has the cross-checks):
 * - every figure below: Meta's USD card as transcribed ("CSV pricing data (USD rates)") in
 *   xplorebytesolutions/xplorebyte-website-nextjs-v1.1, src/app/pricing-outside-india/page.tsx at
 *   commit e680adb51963d417f9ea10f4d0e9661b3aa8147b, read 2026-12-05. It carries no date; it is the
 *   card in force 2025-10-01…2025-12-31 because a second public copy dated "effective January 1,
 *   2026" has the same 132 figures except exactly the rows Meta changed on 2026-01-01 (Wati's list),
 *   and because it already has the 2025-10-01 changes Wati lists (same figures as that 2026 copy).
 * - the figures of the 2026-10-01 card Pacer could read (Meta's AED card in the dataset
 *   tobachat/whatsapp-api-rates) agree with these for Argentina, Brazil, Chile and Colombia at the
 *   AED peg (3.6725); they are not shipped (another currency, and too few markets).
 *
 * WHAT IS NOT SHIPPED, AND WHY. Meta changed some rates after 2025-10-01 (`changed_since`); Pacer
 * found those changes named but not their USD figures in a source it could cite, so it ships the
 * older figure and says so rather than guess. Service messages: free under this card (charged at
 * the utility rate from 2026-10-01 — figures Pacer does not have), so no SERVICE rates. Volume
 * tiers: not modelled (list prices only). Import Meta's current CSV (Settings → Rates, `pacer rates
 * import`) for today's exact figures; the user can also type a rate.
 */
import type { PricingCategory } from './categories';
import { parseRateCardCsv } from './csv';
import { META_REGIONS_SOURCE } from './meta-regions';

export interface ShippedRate {
  category: PricingCategory;
  /** ISO 3166-1 alpha-2, or '*' for Meta's "Other" market. */
  country: string;
  price: number;
}

/** A rate Meta changed after the card's date, named by a cited source without a figure Pacer could cite. */
export interface ChangedSince {
  from: string;
  country: string;
  categories: PricingCategory[];
  direction: 'lower' | 'higher' | 'own_rate';
  source: string;
}

export interface ShippedRateCard {
  id: string;
  /** First day the rates apply (Meta's rate cards change on the 1st of a quarter). */
  effective_from: string;
  currency: string;
  source: { title: string; url: string; read: string }[];
  /** Meta's rows as Meta prints them (market, currency, categories); `rates` is read from them. */
  csv: string;
  rates: ShippedRate[];
  changed_since: ChangedSince[];
  /** Markets that left their regional group for rates of their own on 2026-10-01. */
  standalone_markets: { country: string; direction: 'lower' | 'higher' }[];
  rules: PricingRules;
}

export interface PricingRules {
  /** Only delivered template messages are charged (per-message pricing since 2025-07-01). */
  charged_when: 'delivered';
  /** From this date service (non-template) messages are charged per delivered message. */
  service_charged_from: string;
  /** From this date a utility template inside an open customer-service window is charged again. */
  utility_in_service_window_charged_from: string;
  /** Free entry point window (Click-to-WhatsApp ad / Page CTA, business replied within 24 h). */
  free_entry_point_hours: number;
  /** Customer-service window opened by any inbound user message. */
  service_window_hours: number;
  /** Reported, not on Meta's pricing page copy: free service messages per number per month. */
  free_service_messages_per_month_reported: number;
}

// Meta's layout (Market,Currency,Marketing,Utility,Authentication,Authentication-International,Service);
// figures exactly as the source prints them, checked by hand row by row (test/unit/pricing/shipped-card.test.ts).
const META_USD_2025_10_01 = `Effective 2025-10-01
Currency: USD
Market,Currency,Marketing,Utility,Authentication,Authentication-International,Service
Argentina,USD,0.0618,0.0260,0.0260,n/a,
Brazil,USD,0.0625,0.0068,0.0068,n/a,
Chile,USD,0.0889,0.0200,0.0200,n/a,
Colombia,USD,0.0125,0.0008,0.0008,n/a,
Egypt,USD,0.1073,0.0036,0.0036,0.0650,
France,USD,0.1432,0.0300,0.0300,n/a,
Germany,USD,0.1365,0.0550,0.0550,n/a,
India,USD,0.0107,0.0014,0.0014,0.0280,
Indonesia,USD,0.0411,0.0250,0.0250,0.1360,
Israel,USD,0.0353,0.0053,0.0053,n/a,
Italy,USD,0.0691,0.0300,0.0300,n/a,
Malaysia,USD,0.0860,0.0140,0.0140,0.0418,
Mexico,USD,0.0305,0.0085,0.0085,n/a,
Netherlands,USD,0.1597,0.0500,0.0500,n/a,
Nigeria,USD,0.0516,0.0067,0.0067,0.0750,
Pakistan,USD,0.0473,0.0054,0.0054,0.0750,
Peru,USD,0.0703,0.0200,0.0200,n/a,
Russia,USD,0.0802,0.0400,0.0400,n/a,
Saudi Arabia,USD,0.0455,0.0107,0.0107,0.0598,
South Africa,USD,0.0379,0.0076,0.0076,0.0200,
Spain,USD,0.0615,0.0200,0.0200,n/a,
Turkey,USD,0.0109,0.0053,0.0053,n/a,
United Arab Emirates,USD,0.0499,0.0157,0.0157,0.0510,
United Kingdom,USD,0.0529,0.0220,0.0220,n/a,
North America,USD,0.0250,0.0040,0.0040,n/a,
Rest of Africa,USD,0.0225,0.0040,0.0040,n/a,
Rest of Asia Pacific,USD,0.0732,0.0113,0.0113,n/a,
Rest of Central & Eastern Europe,USD,0.0860,0.0212,0.0212,n/a,
Rest of Latin America,USD,0.0740,0.0113,0.0113,n/a,
Rest of Middle East,USD,0.0341,0.0091,0.0091,n/a,
Rest of Western Europe,USD,0.0592,0.0171,0.0171,n/a,
Other,USD,0.0604,0.0077,0.0077,n/a,
`;

const WATI =
  'Wati — Message-based pricing: all you need to know (https://support.wati.io/en/articles/11561662-message-based-pricing-all-you-need-to-know)';
const FORMBEEP =
  'FormBeep — WhatsApp Business API pricing, rates effective April 1, 2026 (https://formbeep.pages.dev/whatsapp-api-pricing/)';
const META_2026_10 = 'Meta — Pricing, via WhaTools whatsapp-open-data (https://huggingface.co/datasets/WhaTools/whatsapp-open-data)';
const UTIL_AUTH: PricingCategory[] = ['UTILITY', 'AUTHENTICATION', 'AUTHENTICATION_INTERNATIONAL'];

export const SHIPPED_RATE_CARD: ShippedRateCard = {
  id: 'meta-usd-2025-10-01',
  effective_from: '2025-10-01',
  currency: 'USD',
  source: [
    {
      title: "Meta's USD rate card, as transcribed in xplorebytesolutions/xplorebyte-website-nextjs-v1.1",
      url: 'https://github.com/xplorebytesolutions/xplorebyte-website-nextjs-v1.1/blob/e680adb51963d417f9ea10f4d0e9661b3aa8147b/src/app/pricing-outside-india/page.tsx',
      read: '2026-12-05',
    },
    { ...META_REGIONS_SOURCE },
    {
      title: 'Meta — Pricing on the WhatsApp Business Platform (rules, dates, the 2026-10-01 standalone markets)',
      url: 'https://developers.facebook.com/documentation/business-messaging/whatsapp/pricing',
      read: '2026-03-30',
    },
  ],
  csv: META_USD_2025_10_01,
  rates: parseRateCardCsv(META_USD_2025_10_01).rates,
  changed_since: [
    { from: '2026-01-01', country: 'EG', categories: ['MARKETING'], direction: 'lower', source: WATI },
    { from: '2026-01-01', country: 'FR', categories: ['MARKETING'], direction: 'lower', source: WATI },
    { from: '2026-01-01', country: 'IN', categories: ['MARKETING'], direction: 'higher', source: WATI },
    { from: '2026-01-01', country: 'US', categories: ['UTILITY', 'AUTHENTICATION'], direction: 'lower', source: WATI },
    { from: '2026-01-01', country: 'CA', categories: ['UTILITY', 'AUTHENTICATION'], direction: 'lower', source: WATI },
    { from: '2026-04-01', country: 'SA', categories: ['MARKETING'], direction: 'higher', source: FORMBEEP },
    { from: '2026-04-01', country: 'IN', categories: ['AUTHENTICATION_INTERNATIONAL'], direction: 'higher', source: FORMBEEP },
    { from: '2026-04-01', country: 'PK', categories: ['UTILITY', 'AUTHENTICATION'], direction: 'higher', source: FORMBEEP },
    { from: '2026-04-01', country: 'TR', categories: ['UTILITY', 'AUTHENTICATION'], direction: 'lower', source: FORMBEEP },
    ...(['BD', 'IQ', 'NP', 'LK', 'KZ', 'KW', 'MA', 'OM', 'UA'] as const).map((country) => ({
      from: '2026-10-01',
      country,
      categories: UTIL_AUTH,
      direction: 'own_rate' as const,
      source: META_2026_10,
    })),
  ],
  standalone_markets: [
    { country: 'BD', direction: 'lower' },
    { country: 'IQ', direction: 'lower' },
    { country: 'NP', direction: 'lower' },
    { country: 'LK', direction: 'lower' },
    { country: 'KZ', direction: 'higher' },
    { country: 'KW', direction: 'higher' },
    { country: 'MA', direction: 'higher' },
    { country: 'OM', direction: 'higher' },
    { country: 'UA', direction: 'higher' },
  ],
  rules: {
    charged_when: 'delivered',
    service_charged_from: '2026-10-01',
    utility_in_service_window_charged_from: '2026-10-01',
    free_entry_point_hours: 72,
    service_window_hours: 24,
    free_service_messages_per_month_reported: 1000,
  },
};
