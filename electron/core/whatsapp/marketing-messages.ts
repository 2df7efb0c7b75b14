/**
 * Marketing Messages API for WhatsApp ("MM API", formerly MM Lite): which endpoint a template send
 * goes to, and what a strict-mode refusal means. Facts (../shared/reference/whatsapp-cloud-api.md
 * §11, Meta "Route template messages by category", 2026-09-21; 360dialog "Onboarding and sending
 * messages"):
 * - `POST /{phone-number-id}/marketing_messages` takes the same template body as `/messages`, for
 *   MARKETING templates only; utility and authentication stay on `/messages`;
 * - route by the template's LATEST category (a persistent map, changed by the *completed*
 *   template-category-update webhook or a sync — here `wa_templates.category`);
 * - until the business portfolio has accepted the MM API terms Meta falls back to the Cloud API,
 *   unless the body says `product_policy: "STRICT"` (then it refuses).
 */
import { classifyError, findErrorRule } from './errors';

export type SendEndpoint = 'messages' | 'marketing_messages';

export const endpointForCategory = (category: string | null | undefined): SendEndpoint =>
  (category ?? '').toUpperCase() === 'MARKETING' ? 'marketing_messages' : 'messages';

/** How one send goes out: the endpoint, and whether a not-onboarded portfolio must be refused. */
export interface SendRoute {
  endpoint: SendEndpoint;
  /** Only meaningful on /marketing_messages: adds `product_policy: "STRICT"`. */
  strict: boolean;
}

/** `strictSetting` may be a function: it is then read only for a MARKETING send. */
export const routeFor = (category: string | null | undefined, strictSetting: boolean | (() => boolean)): SendRoute => {
  const endpoint = endpointForCategory(category);
  const strict = endpoint === 'marketing_messages' && (typeof strictSetting === 'function' ? strictSetting() : strictSetting);
  return { endpoint, strict };
};

/**
 * Message time-to-live for marketing templates sent through the MM API: 12 hours to 30 days
 * (Meta "Configure message time-to-live", 2026-05-21: `message_send_ttl_seconds`, 43,200 to
 * 2,592,000 seconds for marketing; default 30 days). A message not delivered within it is dropped.
 */
export { MARKETING_TTL_MIN_S, MARKETING_TTL_MAX_S } from '../../../shared/message-ttl';

/**
 * Is this error a strict-mode refusal (the portfolio has not accepted the MM API terms and the
 * body forbade the fallback)? Meta's code for it is not in the reference (Twilio names it 63062),
 * so: an explicit Graph error to a STRICT /marketing_messages send whose code is NOT in the error
 * table (every code the table knows keeps its own meaning: 131049 is still the per-user cap). The
 * sandbox answers 134100 (docs/sandbox.md). The campaign pauses with `mm_strict_refused`.
 */
/** What a refusal needs of a Graph error (client.ts GraphApiError has these). */
export interface RefusalFacts {
  code: number | null;
  httpStatus: number | null;
  ambiguous: boolean;
}

export function isStrictRefusal(err: RefusalFacts, route: SendRoute): boolean {
  if (route.endpoint !== 'marketing_messages' || !route.strict || err.ambiguous) return false;
  if (err.code === null || findErrorRule(err.code)) return false;
  return classifyError(err.code, err.httpStatus) === 'terminal_recipient';
}
