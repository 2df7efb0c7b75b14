/**
 * Consent evidence as data: what a consent event rests on, as a code with parameters, so every
 * screen words it in the user's language and shows its times in the user's locale and zone. The
 * core keeps an English rendering of the same value next to it (consent_events.evidence) for the
 * CLI, CSV exports and rows written before this existed (those have no structured value: legacy).
 *
 * Times are epoch milliseconds (the renderer formats them); texts the user typed (a consent source,
 * a reason, a file or column name) and values that came from WhatsApp (a reply's text, a button's
 * payload) are kept as written.
 */
export const CONSENT_EVIDENCE_CODES = [
  /** An import whose options box recorded consent: params file, at, by, note? (the box's source text). */
  'import_file',
  /** An import whose consent column said yes or no: params file, column, at, by. */
  'import_column',
  /** The marketer, by hand: params note? (how consent was given, or why they opted the person out), reference?. */
  'manual',
  /** A bulk opt-out from the contacts list: params note? (the reason given). */
  'manual_bulk',
  /** A STOP-like reply: params keyword (the reply's text), message (its WhatsApp id). */
  'stop_keyword',
  /** An opt-out button: params label, payload, message, replyTo?. */
  'button',
  /** WhatsApp's marketing preference (stop / resume): params value, detail?. */
  'meta_preference',
  /** A send answered 131050 (the person stopped marketing messages): params error, detail. */
  'send_refused',
  /** A delivery status failed 131050: params error, message. */
  'status_failed',
  /** The user confirmed, in a test send, that this number opted in to marketing: params campaign?. */
  'test_send_attested',
  /** A test send was answered 131050: params error, detail. */
  'test_send_refused',
] as const;
export type ConsentEvidenceCode = (typeof CONSENT_EVIDENCE_CODES)[number];

export type ConsentEvidenceParams = Record<string, string | number>;

export interface ConsentEvidence {
  code: ConsentEvidenceCode;
  params: ConsentEvidenceParams;
  /** A manual re-opt-in of a person who had opted out: the reason the marketer gave (required then). */
  reason?: string;
  /**
   * Kept as history only: the person's action was older than the state already recorded (decided
   * at this time, ms), so it did not change it.
   */
  olderThan?: number;
  /**
   * Copied here when a contact known only by its WhatsApp user id turned out to be this contact's
   * person (contacts/user-ids-store.ts mergeUserIdContact): that contact's id.
   */
  mergedFrom?: number;
}

/** Reads a stored structured value; null when the text is not one (a legacy English row). */
export function parseConsentEvidence(json: string | null | undefined): ConsentEvidence | null {
  if (!json) return null;
  try {
    const v = JSON.parse(json) as Partial<ConsentEvidence> | null;
    if (!v || typeof v !== 'object' || !(CONSENT_EVIDENCE_CODES as readonly string[]).includes(v.code as string)) return null;
    const params = v.params && typeof v.params === 'object' ? v.params : {};
    return {
      code: v.code!,
      params,
      ...(typeof v.reason === 'string' ? { reason: v.reason } : {}),
      ...(typeof v.olderThan === 'number' ? { olderThan: v.olderThan } : {}),
      ...(typeof v.mergedFrom === 'number' ? { mergedFrom: v.mergedFrom } : {}),
    };
  } catch {
    return null;
  }
}
