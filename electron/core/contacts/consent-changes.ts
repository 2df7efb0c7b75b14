/**
 * Consent changes through the service: the marketer's opt-in / opt-out, consent from outside the
 * app (webhooks: keyword, button, Meta preference, error 131050), and confirming a number whose
 * hold was raised. The ledger itself (who, when, why) is consent.ts; holds are holds.ts.
 */
import type { ConsentCategory, ConsentSource, ContactRow } from '../../../shared/contract/contacts';
import { recordConsent } from './consent';
import { manualEvidence } from './consent-evidence';
import type { ConsentEvidence } from '../../../shared/contract/consent-evidence';
import { erasedAt } from '../privacy/store/erasures';
import { confirmNumber as confirmHeldNumber } from './holds';
import { normalizePhone } from './phone';
import { getById, idOf, type ContactRef } from './reads';
import type { ContactsScope } from './scope';

/** The marketer confirms a contact whose number changed hands: releases the hold (audited). */
export function confirmNumber(c: ContactsScope, ref: ContactRef, actor: string): { released: boolean; contact: ContactRow } {
  const id = idOf(c, ref);
  const released = confirmHeldNumber(c.db, id, actor, c.now());
  c.ctx.emit('contacts:changed', { reason: 'consent' });
  return { released, contact: getById(c, id)! };
}

export function optIn(
  c: ContactsScope,
  input: { contact: ContactRef; category: ConsentCategory; source: string; reference?: string | undefined; reason?: string | undefined },
  actor: string,
): ContactRow {
  const id = idOf(c, input.contact);
  const evidence = manualEvidence(input.source);
  if (evidence && input.reference?.trim()) evidence.params.reference = input.reference.trim();
  recordConsent(c.db, {
    contactId: id,
    category: input.category,
    state: 'opted_in',
    source: 'manual',
    sourceDetail: 'manual',
    actor,
    evidence,
    reason: input.reason ?? null,
    at: c.now(),
  });
  c.ctx.emit('contacts:changed', { reason: 'consent' });
  return getById(c, id)!;
}

export function optOut(
  c: ContactsScope,
  input: { contact: ContactRef; category: ConsentCategory | 'all'; reason?: string | undefined },
  actor: string,
): ContactRow {
  const id = idOf(c, input.contact);
  recordConsent(c.db, {
    contactId: id,
    category: input.category,
    state: 'opted_out',
    source: 'manual',
    sourceDetail: 'manual',
    actor,
    evidence: manualEvidence(input.reason),
    at: c.now(),
  });
  c.ctx.emit('contacts:changed', { reason: 'consent' });
  return getById(c, id)!;
}

/**
 * A consent change from outside the app (webhooks: keyword, button, Meta preference, error
 * 131050). An opt-out for a number not in contacts creates the contact, so it stays suppressed
 * if it is imported later. Answers the contact id, or null (opt-in for an unknown number).
 */
export function recordConsentByPhone(
  c: ContactsScope,
  input: {
    phone: string;
    category: ConsentCategory | 'all';
    state: 'opted_in' | 'opted_out';
    source: Exclude<ConsentSource, 'import' | 'manual'>;
    sourceDetail: string;
    actor?: string;
    evidence?: ConsentEvidence | null;
    /** When the person acted (the webhook's timestamp, ms); default now. Consent follows the latest. */
    at?: number;
  },
): number | null {
  const r = normalizePhone(input.phone, c.defaultCountry());
  const e164 = r.ok ? r.e164 : input.phone.startsWith('+') ? input.phone : `+${input.phone.replace(/\D/g, '')}`;
  const now = c.now();
  let id = c.store.contactIdByPhone(e164);
  if (id === undefined) {
    if (input.state === 'opted_in') return null;
    // An erased person: their suppression record already keeps the number out; keeping the
    // number again as a bare contact would undo the erasure.
    if (erasedAt(c.db, e164) !== null) return null;
    id = c.store.insertBareContact(e164, r.ok ? r.country : null, now);
  }
  recordConsent(c.db, {
    contactId: id,
    category: input.category,
    state: input.state,
    source: input.source,
    sourceDetail: input.sourceDetail,
    actor: input.actor ?? 'webhook',
    evidence: input.evidence ?? null,
    at: input.at ?? now,
  });
  c.ctx.emit('contacts:changed', { reason: 'consent' });
  return id;
}
