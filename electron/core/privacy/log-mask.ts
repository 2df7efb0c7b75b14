/**
 * Logs never hold a person's number (issue #14, item 2: an erasure cannot rewrite log files, so
 * numbers must not get there). Every log line passes through `maskPhones`: an E.164 number
 * (`+` and 8-15 digits) and the digits of WhatsApp's number fields (`wa_id`, `from`,
 * `recipient_id`, `phone`, `to`) keep only their last two digits. Business ids (phone_number_id,
 * waba_id) and timestamps are not masked: they are not people's numbers.
 */
const E164 = /\+\d{6,13}(\d{2})(?!\d)/g;
const FIELDS = /("(?:wa_id|from|recipient_id|phone|to)"\s*:\s*")\+?\d{6,13}(\d{2})"/g;

export function maskPhones(line: string): string {
  return line.replace(FIELDS, '$1…$2"').replace(E164, '+…$1');
}
