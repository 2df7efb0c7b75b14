/**
 * WhatsApp's business-scoped user ids (BSUIDs, 2026): a country code, an optional `.ENT`, and
 * digits, e.g. "IL.1234567890". How every host tells one from a phone number the user typed.
 */
export const USER_ID_RE = /^[A-Z]{2}(\.ENT)?\.\d{5,}$/;

export const isUserId = (s: string | null | undefined): s is string => !!s && USER_ID_RE.test(s);
