/**
 * The rate card Pacer ships: Meta's per-message rate card effective 2026-10-01, as far as Pacer's
 * reference material gives it. Meta publishes it per currency (CSV and PDF on its pricing page);
 * prices change only on the 1st of a quarter, with a month's notice.
 *
 * WHAT IS SHIPPED AND WHAT IS NOT. The reference this card was built from (Meta's "Pricing on the
 * WhatsApp Business Platform", 2026-03-30, and "Upcoming pricing updates for Meta Business Agent,
 * service and utility messages", 2026-07-01, as summarised with YCloud, Gupshup, AWS End User
 * Messaging and WhaTools notes) gives the card's date, its categories, its charging rules and the
 * nine markets that got standalone rates on 2026-10-01 — but not one price figure. Pacer never
 * invents a price, so `rates` is empty: the estimate names this card and lists every market it has
 * no rate for until the user imports Meta's CSV (Settings → Rates, `pacer rates import`) or types a
 * rate. A later Pacer that has Meta's figures replaces `rates` (and the card id) here.
 */
import type { PricingCategory } from './categories';

export interface ShippedRate {
  category: PricingCategory;
  /** ISO 3166-1 alpha-2, or '*' for Meta's "Other" market. */
  country: string;
  price: number;
}

export interface ShippedRateCard {
  id: string;
  /** First day the rates apply (Meta's rate cards change on the 1st of a quarter). */
  effective_from: string;
  currency: string;
  source: { title: string; url: string; read: string }[];
  rates: ShippedRate[];
  /** Markets that left their regional group for rates of their own on this date. */
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

export const RATE_CARD_2026_10: ShippedRateCard = {
  id: 'meta-2026-10-01',
  effective_from: '2026-10-01',
  currency: 'USD',
  source: [
    {
      title: 'Meta — Pricing on the WhatsApp Business Platform',
      url: 'https://developers.facebook.com/documentation/business-messaging/whatsapp/pricing',
      read: '2026-03-30',
    },
    {
      title: 'Meta — Upcoming pricing updates for Meta Business Agent, service and utility messages',
      url: 'https://developers.facebook.com/documentation/business-messaging/whatsapp/pricing',
      read: '2026-07-01',
    },
  ],
  // The reference gives no price figures (see the header): nothing is shipped rather than a guess.
  rates: [],
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
