/**
 * Pricing categories of Meta's rate card and how a status webhook's `pricing.category` maps onto
 * them. Meta's webhook categories (reference §5.3, §11): marketing, marketing_lite (a marketing
 * template sent through the Marketing Messages API), utility, authentication,
 * authentication_international, service, referral_conversion (= free entry point).
 */
export const PRICING_CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION', 'AUTHENTICATION_INTERNATIONAL', 'SERVICE'] as const;
export type PricingCategory = (typeof PRICING_CATEGORIES)[number];

export const PRICING_TYPES = ['regular', 'free_customer_service', 'free_entry_point'] as const;

/**
 * The card category a webhook category is priced with; null when Meta does not charge it
 * (referral_conversion is the free entry point) or the category is unknown.
 * marketing_lite is priced as MARKETING: the MM API bills marketing templates at the marketing
 * rate (Meta's rate card has no separate column for it).
 */
export function cardCategoryOf(webhookCategory: string | null | undefined): PricingCategory | null {
  switch ((webhookCategory ?? '').toLowerCase()) {
    case 'marketing':
    case 'marketing_lite':
      return 'MARKETING';
    case 'utility':
      return 'UTILITY';
    case 'authentication':
      return 'AUTHENTICATION';
    case 'authentication_international':
      return 'AUTHENTICATION_INTERNATIONAL';
    case 'service':
      return 'SERVICE';
    default:
      return null;
  }
}

/** Whether a status webhook's pricing object says the message is charged. `billable` is being deprecated: type wins. */
export function isCharged(p: { billable: boolean | null; type: string | null; category: string | null }): boolean {
  if (p.type) return p.type === 'regular' && (p.category ?? '').toLowerCase() !== 'referral_conversion';
  return p.billable === true;
}
