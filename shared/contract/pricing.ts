/**
 * Rate card, actual cost and clicks (issue #13 §3–4). Joined into the campaigns domain's methods.
 * Codes, not English: `origin`, difference `code`s and import `skipped[].code` are translated in the app.
 */
import { z } from 'zod';
import { method } from './define';
import { PRICING_CATEGORIES } from '../pricing/categories';
import type { CsvSkip } from '../pricing/csv';

export type RateCardOrigin = 'shipped' | 'imported' | 'user';

/** Which card the rates are: named in every estimate. */
export interface RateCardInfo {
  card_id: string;
  effective_from: string | null;
  /** Where the figures come from (title — URL), or the imported file's name. */
  source: string;
  origin: RateCardOrigin;
  /** Rates the user changed by hand after the card was loaded. */
  edited: number;
  rates: number;
  currency: string | null;
  updated_at: number | null;
}

export interface RateRow {
  category: string;
  country: string;
  price: number;
  currency: string;
  edited: boolean;
}

export interface RateCardView {
  info: RateCardInfo;
  rates: RateRow[];
  /** The card shipped with Pacer: its date, how many rates it carries, and what Meta changed since. */
  shipped: {
    card_id: string;
    effective_from: string;
    currency: string;
    rates: number;
    /** Rates Meta changed after the shipped card's date (named by a source; Pacer ships the older figure). */
    changed_since: { from: string; country: string; categories: string[] }[];
    standalone_markets: { country: string; direction: 'lower' | 'higher' }[];
    /** The date Meta's current charging rules (and the standalone markets) took effect. */
    rules_from: string;
  };
}

export interface RateImportResult {
  view: RateCardView;
  imported: number;
  markets: number;
  skipped: CsvSkip[];
}

export type CostDifferenceCode =
  | 'not_delivered'
  | 'awaiting'
  | 'free_customer_service'
  | 'free_entry_point'
  | 'not_charged'
  | 'category_changed'
  | 'rate_changed'
  | 'no_pricing'
  | 'unpriced';

export interface CampaignCostReport {
  /** The card the estimate used when the campaign started (null for campaigns started before Pacer recorded it). */
  card: RateCardInfo | null;
  currency: string | null;
  estimate: { amount: number | null; messages: number; unpriced: number };
  actual: {
    amount: number | null;
    /** Messages Meta charged (pricing type regular). */
    charged: number;
    /** Charged messages the card had no rate for. */
    unpriced: number;
    /** By Meta's pricing category and type, as the status webhooks said. */
    by_category: { category: string; type: string; messages: number; amount: number | null }[];
  };
  /** estimate + Σ amount = actual (same currency). */
  differences: { code: CostDifferenceCode; messages: number; amount: number }[];
}

export type ClickAvailability = 'available' | 'no_data' | 'not_marketing';

export interface CampaignClicks {
  availability: ClickAvailability;
  clicked: number;
  clicks: number;
  delivered: number;
  /** clicked / delivered; null when not available or nothing delivered. */
  click_rate: number | null;
  /** Click events of this account that named no message (cannot be tied to a recipient). */
  untied_account_clicks: number;
}

const category = z.enum(PRICING_CATEGORIES);
const idInput = z.object({ id: z.string().min(1).max(64) }).strict();

export const pricingMethods = {
  /** The rate card in force, which card it is, and the card Pacer ships. */
  'rates:card': method<RateCardView>()(z.object({}).strict()),
  /** Replaces the rates with Meta's CSV (one currency); `name` is the file's name, shown as the source. */
  'rates:import': method<RateImportResult>()(
    z
      .object({
        csv: z.string().min(1).max(4_000_000),
        name: z.string().max(200).optional(),
        currency: z
          .string()
          .regex(/^[A-Z]{3}$/)
          .optional(),
        effective_from: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/)
          .optional(),
      })
      .strict(),
  ),
  /** Sets (price) or removes (null) one rate; marked edited. */
  'rates:set': method<RateCardView>()(
    z
      .object({
        category,
        country: z.string().regex(/^([A-Z]{2}|\*)$/),
        price: z.number().min(0).max(100).nullable(),
        currency: z.string().regex(/^[A-Z]{3}$/),
      })
      .strict(),
  ),
  /** Back to the card shipped with Pacer (imported and edited rates are dropped). */
  'rates:reset': method<RateCardView>()(z.object({}).strict()),
  /** Estimate at start vs actual cost from Meta's pricing webhooks, with the differences explained. */
  'campaigns:cost': method<CampaignCostReport>()(idInput),
  'campaigns:clicks': method<CampaignClicks>()(idInput),
  /** Every campaign's click figures by id (the campaign list's column). */
  'campaigns:click-rates': method<Record<string, Omit<CampaignClicks, 'untied_account_clicks' | 'clicks'>>>()(z.object({}).strict()),
};
