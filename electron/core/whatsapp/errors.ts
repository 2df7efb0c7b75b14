/**
 * The ONE table that says what a Graph / Cloud API error code means for Pacer. Everything that
 * reacts to an error (the client's retries, the campaign sender, the account's token state, the
 * UI) asks `classifyError` — nobody branches on codes elsewhere.
 *
 * Source: ../shared/reference/whatsapp-cloud-api.md §4.2 (Meta's error-codes page and BSP copies).
 * Branch on `error.code` only: never on HTTP status text, titles or the deprecated subcode.
 */
import type { GraphErrorDetails } from '../../../shared/contract/whatsapp';

export type ErrorClass = GraphErrorDetails['errorClass'];
/*
 * retry_soon         transient: back off (seconds … an hour, see `backoff`) and try again
 * retry_after_24h    do not retry this recipient within 24 h (per-user marketing cap)
 * terminal_recipient permanent for this recipient in this campaign; carry on with the others
 * suppress_contact   the user opted out: record the opt-out, never send marketing again until resume
 * halt_campaign      the template cannot be sent (missing / paused / disabled): stop the campaign
 * halt_account       the account, number or token cannot send: stop everything and alert the operator
 * fix_payload        our request is wrong (mapping, parameter, media): retrying as-is cannot help
 */

/** How long a retry_soon error should wait: seconds (throughput, pair rate, 5xx) or an hour-scale slow back-off (management rate limits). */
export type Backoff = 'fast' | 'slow' | 'none';

export interface ErrorRule {
  /** A Graph error code, or an inclusive range [from, to]. */
  code: number | readonly [number, number];
  title: string;
  errorClass: ErrorClass;
  backoff: Backoff;
  /** Why this handling (the reference's advice), for the docs and the UI's explanation. */
  note: string;
}

const rule = (code: ErrorRule['code'], title: string, errorClass: ErrorClass, backoff: Backoff, note: string): ErrorRule => ({
  code,
  title,
  errorClass,
  backoff,
  note,
});

export const ERROR_RULES: readonly ErrorRule[] = [
  rule(0, 'AuthException', 'halt_account', 'none', 'token expired, invalid or revoked: reconnect'),
  rule(1, 'API Unknown', 'retry_soon', 'fast', 'a few times, then give up'),
  rule(2, 'API Service', 'retry_soon', 'fast', 'temporarily down or overloaded'),
  rule(3, 'API Method', 'halt_account', 'none', 'capability or permission missing'),
  rule(4, 'API Too Many Calls', 'retry_soon', 'slow', 'app-level rate limit (management calls): back off for minutes to an hour'),
  rule(10, 'Permission denied', 'halt_account', 'none', 'token lacks a permission'),
  rule(17, 'User request limit reached', 'retry_soon', 'slow', 'user-level rate limit'),
  rule(33, 'Parameter value not valid', 'halt_account', 'none', 'the business phone number was deleted'),
  rule(100, 'Invalid parameter', 'fix_payload', 'none', 'bad field (sometimes: recipient not on WhatsApp)'),
  rule(190, 'Access token expired', 'halt_account', 'none', 'reconnect with a new token; blocks sending'),
  rule([200, 299], 'API permission', 'halt_account', 'none', 'permission not granted'),
  rule(368, 'Temporarily blocked for policy violations', 'halt_account', 'none', 'account restricted by Meta'),
  rule(613, 'Calls to this API have exceeded the rate limit', 'retry_soon', 'slow', 'endpoint-level rate limit'),
  rule(80007, 'WABA rate limit', 'retry_soon', 'slow', 'WhatsApp Business Account rate limit (200 or 5,000 calls/h)'),
  rule(80008, 'WABA rate limit', 'retry_soon', 'slow', 'seen in Graph reference tables next to 80007'),
  rule(130429, 'Throughput rate limit hit', 'retry_soon', 'fast', "over the number's msg/s: slow the sender down"),
  rule(130472, "User's number is part of an experiment", 'terminal_recipient', 'none', 'Meta holdout; not charged; do not retry'),
  rule(
    130497,
    'Business restricted from messaging users in this country',
    'terminal_recipient',
    'none',
    'permanent for recipients in that country',
  ),
  rule(131000, 'Something went wrong', 'retry_soon', 'fast', 'retry a few times, then give up'),
  rule(131005, 'Access denied', 'halt_account', 'none', 'permission problem'),
  rule(131008, 'Required parameter missing', 'fix_payload', 'none', 'a template parameter is missing'),
  rule(131009, 'Parameter value not valid', 'fix_payload', 'none', 'a parameter value is not valid'),
  rule(131016, 'Service unavailable', 'retry_soon', 'fast', 'Meta-side outage'),
  rule(131021, 'Recipient cannot be sender', 'terminal_recipient', 'none', 'the recipient is the business number itself'),
  rule(
    131026,
    'Message undeliverable',
    'terminal_recipient',
    'none',
    'not on WhatsApp / old client / blocked: mark undeliverable for this run',
  ),
  rule(131031, 'Business account locked', 'halt_account', 'none', 'account locked by Meta'),
  rule(131042, 'Business eligibility payment issue', 'halt_account', 'none', 'fix billing in WhatsApp Manager'),
  rule(131045, 'Incorrect certificate', 'halt_account', 'none', 'number registration problem'),
  rule(131047, 'Re-engagement message', 'terminal_recipient', 'none', "more than 24 h since the user's last reply (non-template send)"),
  rule(
    131048,
    'Spam rate limit hit',
    'halt_account',
    'none',
    'earlier messages were blocked/flagged: stop, check quality, resume hours later',
  ),
  rule(
    131049,
    'Not delivered to maintain healthy ecosystem engagement',
    'retry_after_24h',
    'none',
    'per-user marketing cap or US marketing pause: never retry in a loop',
  ),
  rule(131050, 'User stopped marketing messages', 'suppress_contact', 'none', 'record a marketing opt-out until a user_preferences resume'),
  rule(131051, 'Unsupported message type', 'fix_payload', 'none', 'not a type Cloud API sends'),
  rule(131052, 'Media download error', 'fix_payload', 'none', 'fix the media (use uploaded media ids)'),
  rule(131053, 'Media upload error', 'fix_payload', 'none', 'fix the media (use uploaded media ids)'),
  rule(131056, 'Pair rate limit hit', 'retry_soon', 'fast', 'same recipient too often: wait 4^X seconds'),
  rule(131057, 'Account in maintenance mode', 'retry_soon', 'fast', 'e.g. throughput upgrade: about a minute'),
  rule(132000, 'Template parameter count mismatch', 'fix_payload', 'none', 'fix the parameter mapping'),
  rule(132001, 'Template does not exist', 'halt_campaign', 'none', 'name/language unknown or not approved'),
  rule(132005, 'Template hydrated text too long', 'fix_payload', 'none', 'shorten the value'),
  rule(132007, 'Template format character policy violated', 'fix_payload', 'none', 'no newlines/tabs/4+ spaces in a parameter'),
  rule(132012, 'Template parameter format mismatch', 'fix_payload', 'none', 'parameter type does not match the template'),
  rule(132015, 'Template is paused', 'halt_campaign', 'none', 'low quality: resume when APPROVED again'),
  rule(132016, 'Template is disabled', 'halt_campaign', 'none', 'edit and resubmit, or appeal'),
  rule(133004, 'Server temporarily unavailable', 'retry_soon', 'fast', 'Meta-side outage'),
  rule(133010, 'Phone number not registered', 'halt_account', 'none', 'the business number is not registered on Cloud API'),
  rule(133016, 'Register/deregister rate limit', 'retry_soon', 'slow', 'too many registration attempts'),
  rule(135000, 'Generic user error', 'terminal_recipient', 'none', 'log it; do not retry this recipient'),
];

const exact = new Map<number, ErrorRule>();
const ranges: ErrorRule[] = [];
for (const r of ERROR_RULES) {
  if (typeof r.code === 'number') exact.set(r.code, r);
  else ranges.push(r);
}

/** The table row for a code, or null when the code is not in the table. */
export function findErrorRule(code: number | null | undefined): ErrorRule | null {
  if (code === null || code === undefined || !Number.isFinite(code)) return null;
  return exact.get(code) ?? ranges.find((r) => typeof r.code !== 'number' && code >= r.code[0] && code <= r.code[1]) ?? null;
}

/** HTTP answers without a Graph error body that every further request would get too (a proxy's auth, a wrong URL). */
const HALTING_HTTP_STATUSES: ReadonlySet<number> = new Set([401, 403, 404, 405, 407]);

/**
 * Classifies an error. Codes not in the table fall back on the HTTP status, which is looked at
 * FIRST when there is no Graph code: no answer at all (network error before the request went out)
 * or 5xx / 429 / 408 → retry_soon; 401 / 403 / 404 / 405 / 407 without a Graph body (a proxy or a
 * wrong address answering, not Meta) → halt_account, since retrying cannot help and every other
 * send gets the same answer; any other unknown answer → terminal_recipient (don't retry, don't stop
 * the campaign; the sender's failure-rate watchdog catches a systematic failure).
 */
export function classifyError(code: number | null | undefined, httpStatus?: number | null): ErrorClass {
  const r = findErrorRule(code);
  if (r) return r.errorClass;
  if (httpStatus && (httpStatus >= 500 || httpStatus === 429 || httpStatus === 408)) return 'retry_soon';
  if (code === null || code === undefined) {
    if (!httpStatus) return 'retry_soon';
    if (HALTING_HTTP_STATUSES.has(httpStatus)) return 'halt_account';
  }
  return 'terminal_recipient';
}

export function backoffFor(code: number | null | undefined, httpStatus?: number | null): Backoff {
  const r = findErrorRule(code);
  if (r) return r.backoff;
  return classifyError(code, httpStatus) === 'retry_soon' ? 'fast' : 'none';
}

/** Codes that mean "too many management calls": the client's hourly limiter backs off on these. */
export const MANAGEMENT_RATE_LIMIT_CODES: ReadonlySet<number> = new Set([4, 17, 613, 80007, 80008]);

/** What an error says about the access token (null: nothing — the token may be fine). */
export function tokenStateForCode(code: number | null | undefined): 'expired' | 'invalid' | null {
  if (code === 190) return 'expired';
  if (code === 0 || code === 102) return 'invalid';
  if (code === 10 || (code !== null && code !== undefined && code >= 200 && code <= 299)) return 'invalid';
  return null;
}
