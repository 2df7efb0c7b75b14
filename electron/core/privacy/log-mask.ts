/**
 * Logs never hold a person's number (issue #14, item 2: an erasure cannot rewrite log files, so
 * numbers must not get there). Every log line passes through `maskPhones`: an E.164 number
 * (`+` and 8-15 digits) and the digits of WhatsApp's number fields (`wa_id`, `from`,
 * `recipient_id`, `phone`, `to`) keep only their last two digits. Business ids (phone_number_id,
 * waba_id) and timestamps are not masked: they are not people's numbers.
 *
 * Message ids too: Meta's wamids are base64 that begins with the recipient's number
 * (privacy/store/erase-wamids.ts), so a wamid in a log line (an event key in a handler's error, a
 * send's answer) keeps only its last 6 characters — the random tail, enough to tell two apart.
 * A preference's event key (`user_preferences:<wa_id>:…`) names the number itself: masked too.
 *
 * Since 2026 a person is also named by a business-scoped user id, a parent user id, a username and
 * a profile name (a person with a username may come with no number at all): user ids are masked
 * like numbers wherever they appear, usernames and profile names in the JSON fields that carry them.
 */
const E164 = /\+\d{6,13}(\d{2})(?!\d)/g;
const FIELDS = /("(?:wa_id|from|recipient_id|phone|to)"\s*:\s*")\+?\d{6,13}(\d{2})"/g;
const WAMID = /wamid\.[A-Za-z0-9+/=_-]{2,}([A-Za-z0-9+/=_-]{6})/g;
const PREF_KEY = /(user_preferences:)\d{4,13}(\d{2})(?!\d)/g;
/**
 * A business-scoped user id (`IL.1502576394655843`) or parent id (`US.ENT.…`) names a person as
 * surely as their number (Meta "Business-scoped user IDs"): it keeps its country and last two digits.
 */
const BSUID = /\b([A-Z]{2}\.(?:ENT\.)?)\d{4,}(\d{2})(?!\d)/g;
/** A username or WhatsApp profile name in a JSON field of a log line: dropped whole. */
const PERSON_FIELDS = /("(?:username|profileName|profile_name)"\s*:\s*)"(?:[^"\\]|\\.)*"/g;
const PROFILE_NAME = /("profile"\s*:\s*\{[^{}]*?"name"\s*:\s*)"(?:[^"\\]|\\.)*"/g;

export function maskPhones(line: string): string {
  return line
    .replace(FIELDS, '$1…$2"')
    .replace(E164, '+…$1')
    .replace(WAMID, 'wamid.…$1')
    .replace(PREF_KEY, '$1…$2')
    .replace(BSUID, '$1…$2')
    .replace(PERSON_FIELDS, '$1"…"')
    .replace(PROFILE_NAME, '$1"…"');
}
