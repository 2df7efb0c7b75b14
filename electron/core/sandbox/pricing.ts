/**
 * The `pricing` object Meta puts on a status webhook (on exactly one of delivered/read), as the
 * Sandbox emits it. Rules (reference §5.3, §6, §11 — Meta's pricing page 2026-03-30 and its
 * "Upcoming pricing updates", 2026-07-01):
 * - per-message pricing (`pricing_model: "PMP"`); only delivered messages are priced;
 * - category = the template's category (marketing_lite when sent through the Marketing Messages
 *   API; authentication_international for an authentication template Meta prices internationally),
 *   `service` for a non-template message;
 * - inside a free entry point window (72 h after a Click-to-WhatsApp ad / Page CTA) everything is
 *   free: `type: "free_entry_point"`;
 * - until 2026-09-30, a utility template and any service message inside an open customer-service
 *   window are free (`free_customer_service`); from 2026-10-01 both are charged (`regular`);
 * - `billable` (to be deprecated) follows `type`.
 */
export const PRICING_CHANGE_2026_10_01 = Date.UTC(2026, 9, 1);

export interface SandboxPricing {
  billable: boolean;
  pricing_model: 'PMP';
  type: 'regular' | 'free_customer_service' | 'free_entry_point';
  category: string;
}

export interface PricedMessage {
  /** When Meta accepted the message (unix ms). */
  at: number;
  /** The template's category (MARKETING, UTILITY, AUTHENTICATION), or null for a non-template message. */
  templateCategory: string | null;
  inServiceWindow: boolean;
  inFreeEntryPoint: boolean;
  viaMarketingMessages?: boolean;
  authenticationInternational?: boolean;
}

export function metaPricing(m: PricedMessage): SandboxPricing {
  let category = 'service';
  if (m.templateCategory !== null) {
    category = m.templateCategory.toLowerCase();
    if (category === 'marketing' && m.viaMarketingMessages) category = 'marketing_lite';
    if (category === 'authentication' && m.authenticationInternational) category = 'authentication_international';
  }
  let type: SandboxPricing['type'] = 'regular';
  if (m.inFreeEntryPoint) type = 'free_entry_point';
  else if (m.at < PRICING_CHANGE_2026_10_01 && m.inServiceWindow && (category === 'utility' || category === 'service'))
    type = 'free_customer_service';
  // A service message outside a window cannot be sent at all; before the change it was free anyway.
  else if (m.at < PRICING_CHANGE_2026_10_01 && category === 'service') type = 'free_customer_service';
  return { billable: type === 'regular', pricing_model: 'PMP', type, category };
}
