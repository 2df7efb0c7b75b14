/**
 * Erasure and access requests: deleting a contact and its personal data (listeners such as the
 * campaigns ledger null their personal fields), the suppression record that keeps an erased number
 * out of later imports (erasures.ts), lifting it, and the data-subject export.
 */
import crypto from 'node:crypto';
import { PacerError } from '../errors';
import { liftErasure as liftErasureRecord, recordErasure } from '../privacy/store/erasures';
import { detail, idOf, normalize, type ContactRef } from './reads';
import type { ContactsScope } from './scope';
import type { Db } from '../db/connection';
import { eraseTraces, scrubFreedPages } from '../privacy/store/erase-traces';
import { eraseWamids, subjectOf } from '../privacy/store/erase-wamids';
import { removeStoreBackups } from '../privacy/backups';
import { subjectTraces } from '../privacy/store/subject-traces';
import { holdHistory, holdOf } from './holds';
import { recordAudit } from '../audit/record';
import { identityKey } from './user-ids-store';
import { contactAddress } from './store/contacts';

export interface EraseInfo {
  contactId: number;
  /** SHA-256 (hex) of the E.164 phone: lets a ledger keep anonymous rows countable. */
  phoneHash: string;
}

const eraseListeners = new WeakMap<Db, Set<(info: EraseInfo) => void>>();

export const phoneHash = (e164: string) => crypto.createHash('sha256').update(e164).digest('hex');

/** Registers a listener called (inside the erasure transaction) for every erased contact. */
export function onErase(c: ContactsScope, listener: (info: EraseInfo) => void): () => void {
  let set = eraseListeners.get(c.db);
  if (!set) eraseListeners.set(c.db, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

/**
 * Deletes a contact and its personal data. `suppress`: the person asked to be erased — keep a
 * suppression record (keyed hash, time, reason) so the number is not imported again. The audit
 * entry holds that keyed hash (an erasure) or nothing about the number (a bulk delete): a plain
 * SHA-256 of a phone number can be reversed by trying every number.
 */
export function eraseById(c: ContactsScope, id: number, suppress: boolean): boolean {
  const who = contactAddress(c.db, id);
  if (who === undefined) return false;
  // A contact known only by its WhatsApp user id is keyed `bsuid:<id>` (suppression record, hash)
  // and its webhook traces are found by the user id, as a number's are by its wa_id.
  const key = identityKey(who.phone, who.user_id);
  const info = { contactId: id, phoneHash: phoneHash(key) };
  const now = c.now();
  const detail = suppress ? { erasure_record: recordErasure(c.db, key, now) } : { bulk_delete: true };
  // Their message ids encode the number: found now, while the ledger rows still name the contact
  // (and the row its user id, parent id, username and profile name: erase-person.ts).
  const subject = detail.erasure_record ? subjectOf(c.db, id, { phone: who.phone, userId: who.user_id }, detail.erasure_record) : null;
  for (const l of eraseListeners.get(c.db) ?? []) l(info);
  c.store.deleteContact(id);
  // Their number, name, replies and message ids go from every other table too (privacy/store/).
  if (subject) {
    eraseTraces(c.db, subject);
    eraseWamids(c.db, subject);
  }
  recordAudit(c.ctx, { action: 'contact.erased', detail }); // actor by host: 'cli' or 'user'
  return true;
}

/** The person asked to be added again: their suppression record goes (audited with its hash and the reason). */
export function liftErasure(
  c: ContactsScope,
  input: { phone: string; reason: string } | { userId: string; reason: string },
  actor: string,
): { lifted: boolean; erased_at: number | null } {
  // The record's key: the number, or `bsuid:<id>` for a person known only by their user id.
  const key = 'phone' in input ? normalize(c, input.phone) : identityKey(null, input.userId.trim());
  return c.store.transaction(() => {
    const lifted = liftErasureRecord(c.db, key);
    if (!lifted) return { lifted: false, erased_at: null };
    c.store.insertAudit(c.now(), actor, 'contact.erasure_lifted', {
      erasure_record: lifted.hash,
      erased_at: lifted.erasedAt,
      reason: input.reason,
    });
    return { lifted: true, erased_at: lifted.erasedAt };
  });
}

/**
 * Erasure (data-subject request): the contact and all personal data held about them, and a
 * suppression record so a later import of the same number rejects it (erasures.ts).
 */
export function erase(c: ContactsScope, ref: ContactRef): { deleted: boolean; backups_removed: number } {
  let id: number;
  try {
    id = idOf(c, ref);
  } catch (e) {
    if (e instanceof PacerError && e.code === 'not_found') return { deleted: false, backups_removed: 0 };
    throw e;
  }
  const deleted = c.store.transaction(() => eraseById(c, id, true));
  scrubFreedPages(c.db);
  // The backups Pacer made before now still hold the person: they go (privacy/backups.ts), and
  // the answer says how many, so the user is told.
  const removed = deleted ? removeStoreBackups(c.ctx.dataDir, c.ctx.log) : [];
  if (removed.length) recordAudit(c.ctx, { action: 'backups.removed', detail: { files: removed.length, reason: 'erasure' } });
  c.ctx.emit('contacts:changed', { reason: 'delete' });
  return { deleted, backups_removed: removed.length };
}

/** Everything held about one contact (data-subject access request). */
export function subjectExport(c: ContactsScope, ref: ContactRef): Record<string, unknown> {
  const d = detail(c, ref);
  return {
    exported_at: new Date(c.now()).toISOString(),
    contact: d.contact,
    consent_history: d.consentHistory,
    messages: d.messages,
    hold: holdOf(c.db, d.contact.id),
    hold_history: holdHistory(c.db, d.contact.id),
    ...subjectTraces(c.db, d.contact.id, d.contact.phone ?? d.contact.user_id ?? ''),
  };
}
