/**
 * The plan's audience filter: who is eligible, and why each other contact is excluded. Pure: the
 * caller brings the audience rows (with consent), the send history needed for the frequency cap,
 * and the compiled parameter mapping. Every exclusion is counted and listable.
 */
import { isUserId } from '../../../shared/user-id';
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { resolveParams, type CompiledMapping, type ParamContact } from './params';

export const EXCLUSION_REASONS = [
  'invalid',
  'duplicate',
  'opted_out',
  'no_consent',
  'us_marketing',
  'frequency_cap',
  'unmapped_parameter',
  'held_number_changed',
] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

export type ConsentState = 'opted_in' | 'opted_out' | 'unknown';

export interface AudienceContact extends ParamContact {
  id: number | string;
  /**
   * WhatsApp business-scoped user id. A contact without a phone is addressed by it
   * (`recipient: <user_id>` instead of `to`; docs/whatsapp.md "Business-scoped user IDs").
   */
  user_id?: string | null;
  /** Consent for the template's category. */
  consent: ConsentState;
  /** Contact-level suppression (e.g. undeliverable, blocked) — treated like an opt-out. */
  suppressed?: boolean;
  /** Held because the number changed hands, until the marketer confirms the contact. */
  held?: boolean;
}

export interface FrequencyCap {
  /** At most `max` messages of this category per contact within `days` days (from local history). */
  max: number;
  days: number;
}

export interface PlanInput {
  contacts: readonly AudienceContact[];
  category: string;
  compiled: CompiledMapping;
  now: number;
  frequencyCap?: FrequencyCap | null;
  /** Times of earlier sends of the same category to an address (E.164, or `bsuid:<user id>`), for the frequency cap. */
  historyFor?: (address: string) => readonly number[];
  /** Treat `unknown` consent as allowed (utility/authentication templates: the business relationship). */
  allowUnknownConsent?: boolean;
}

export interface PlannedRecipient {
  contact: AudienceContact;
  /** E.164, or null when the contact is addressed by its user id. */
  phone: string | null;
  /** Set (and `phone` null) for a contact known only by its WhatsApp user id. */
  userId: string | null;
  /** The address key hashes are made of: the phone, or `bsuid:<user id>` (contacts/user-ids-store.ts identityKey). */
  address: string;
  country: string | null;
  params: Record<string, string>;
}

export interface PlanResult {
  audience: number;
  eligible: PlannedRecipient[];
  excluded: Record<ExclusionReason, number>;
  /** `phone`: the address, E.164 or `bsuid:<user id>` for a contact known only by its user id. */
  exclusions: { contactId: number | string; phone: string; reason: ExclusionReason; detail?: string }[];
}

/** A business-scoped user id as Meta issues them: `CC.digits`, or `CC.ENT.digits` for a parent id. */
export { isUserId };

/** E.164 and country of a phone, or null when it is not a valid number. */
export function normalizePhone(raw: string): { e164: string; country: string | null } | null {
  const p = parsePhoneNumberFromString(raw.startsWith('+') ? raw : `+${raw}`);
  if (!p || !p.isValid()) return null;
  return { e164: p.number, country: p.country ?? null };
}

/** Meta does not deliver marketing templates to US numbers (+1 with a US area code). */
export const isUsMarketingBlocked = (category: string, country: string | null): boolean =>
  category.toUpperCase() === 'MARKETING' && country === 'US';

export function planAudience(input: PlanInput): PlanResult {
  const excluded = Object.fromEntries(EXCLUSION_REASONS.map((r) => [r, 0])) as Record<ExclusionReason, number>;
  const exclusions: PlanResult['exclusions'] = [];
  const eligible: PlannedRecipient[] = [];
  const seen = new Set<string>();
  const exclude = (c: AudienceContact, phone: string, reason: ExclusionReason, detail?: string) => {
    excluded[reason]++;
    exclusions.push({ contactId: c.id, phone, reason, ...(detail ? { detail } : {}) });
  };
  const marketing = input.category.toUpperCase() === 'MARKETING';
  const allowUnknown = input.allowUnknownConsent ?? !marketing;
  const cap = input.frequencyCap;
  const capWindowMs = cap ? cap.days * 86_400_000 : 0;

  for (const c of input.contacts) {
    // A contact known only by its user id is addressed by it; it has no country (no US rule, no
    // per-market price) until a webhook tells its phone.
    const norm: { e164: string; country: string | null; userId: string | null } | null = c.phone
      ? (() => {
          const n = normalizePhone(c.phone);
          return n && { ...n, userId: null };
        })()
      : isUserId(c.user_id)
        ? { e164: `bsuid:${c.user_id}`, country: null, userId: c.user_id }
        : null;
    if (!norm) {
      exclude(c, c.phone ?? c.user_id ?? '', 'invalid');
      continue;
    }
    if (seen.has(norm.e164)) {
      exclude(c, norm.e164, 'duplicate');
      continue;
    }
    seen.add(norm.e164);
    if (c.consent === 'opted_out' || c.suppressed) {
      exclude(c, norm.e164, 'opted_out');
      continue;
    }
    if (c.held) {
      exclude(c, norm.e164, 'held_number_changed');
      continue;
    }
    if (c.consent !== 'opted_in' && !allowUnknown) {
      exclude(c, norm.e164, 'no_consent');
      continue;
    }
    if (isUsMarketingBlocked(input.category, norm.country)) {
      exclude(c, norm.e164, 'us_marketing');
      continue;
    }
    if (cap && input.historyFor) {
      const recent = input.historyFor(norm.e164).filter((t) => t > input.now - capWindowMs).length;
      if (recent >= cap.max) {
        exclude(c, norm.e164, 'frequency_cap', `${recent} in ${cap.days} days`);
        continue;
      }
    }
    const phone = norm.userId ? null : norm.e164;
    const params = resolveParams(input.compiled, { ...c, phone });
    if (!params.ok) {
      exclude(c, norm.e164, 'unmapped_parameter', params.missing.join(','));
      continue;
    }
    eligible.push({ contact: c, phone, userId: norm.userId, address: norm.e164, country: norm.country, params: params.values });
  }
  return { audience: input.contacts.length, eligible, excluded, exclusions };
}
