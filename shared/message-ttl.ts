/**
 * Message time-to-live for marketing (issue #13).
 *
 * Meta's TTL is a property of the template: `message_send_ttl_seconds` in the create request
 * (../shared/reference/whatsapp-cloud-api.md §2.4), honoured for marketing templates sent through
 * the Marketing Messages API (§11). Its range for marketing is 12 hours to 30 days, default 30 days
 * (Meta "Configure message time-to-live", 2026-05-21; docs/whatsapp.md).
 *
 * A campaign's own `ttl` option is Pacer's rule, applied at send time whatever the template says:
 * a row not sent within `ttl` of the campaign's start is skipped (`ttl_expired`) so a flash offer
 * is not sent late. It may be shorter than Meta's minimum (an offer valid for two hours).
 */
export const MARKETING_TTL_MIN_S = 43_200;
export const MARKETING_TTL_MAX_S = 2_592_000;

/** A campaign's TTL: 5 minutes (shorter is no campaign) to Meta's 30 days. */
export const CAMPAIGN_TTL_MIN_S = 300;
export const CAMPAIGN_TTL_MAX_S = MARKETING_TTL_MAX_S;

/** When a campaign that started at `startedAt` (ms) must have sent a row by, or null for no TTL. */
export function sendByOf(startedAt: number | null, ttlSeconds: number | null | undefined): number | null {
  return startedAt === null || !ttlSeconds ? null : startedAt + ttlSeconds * 1000;
}
