/**
 * Number-changed holds (migration 0006). A held contact is excluded from every campaign audience
 * and skipped by the sender until the marketer confirms it (`contacts:confirm-number`). Webhooks
 * place holds (`user_changed_number`, a changed `recipient_identity_key_hash`); every hold and
 * confirmation is kept in the append-only `contact_hold_events`.
 */
import type { ContactHold, HoldEvent, HoldReason } from '../../../shared/contract/contacts';
import type { Db } from '../db/connection';

interface IdentityRow {
  key_hash: string | null;
  seen_at: number | null;
  confirmed_at: number | null;
}

const identityOf = (db: Db, contactId: number): IdentityRow | undefined =>
  db.prepare('SELECT key_hash, seen_at, confirmed_at FROM contact_identity WHERE contact_id = ?').get(contactId) as IdentityRow | undefined;

/** The contact id of an E.164 phone or WhatsApp id (digits), or null when not in contacts. */
export function contactIdByWaId(db: Db, waId: string): number | null {
  const phone = waId.startsWith('+') ? waId : `+${waId.replace(/\D/g, '')}`;
  return (db.prepare('SELECT id FROM contacts WHERE phone = ?').pluck().get(phone) as number | undefined) ?? null;
}

/**
 * Holds a contact for what happened at `at` (the webhook's time). Not placed when the marketer
 * confirmed the contact at or after that time (a late or replayed event); a second hold keeps the
 * first one's reason and time. Answers true when a new hold was placed.
 */
export function placeHold(db: Db, h: { contactId: number; reason: HoldReason; detail: string; at: number; actor?: string }): boolean {
  return db.transaction(() => {
    const confirmed = identityOf(db, h.contactId)?.confirmed_at ?? null;
    if (confirmed !== null && confirmed >= h.at) return false;
    const r = db
      .prepare('INSERT INTO contact_holds (contact_id, reason, detail, held_at) VALUES (?, ?, ?, ?) ON CONFLICT(contact_id) DO NOTHING')
      .run(h.contactId, h.reason, h.detail, h.at);
    if (r.changes === 0) return false;
    db.prepare("INSERT INTO contact_hold_events (contact_id, kind, reason, detail, actor, at) VALUES (?, 'held', ?, ?, ?, ?)").run(
      h.contactId,
      h.reason,
      h.detail,
      h.actor ?? 'webhook',
      h.at,
    );
    return true;
  })();
}

/**
 * Notes the identity key hash a status reported for a contact. The first hash is just stored; a
 * different one holds the contact (whatever order the statuses arrive in: the newest is kept).
 */
export function noteIdentity(db: Db, contactId: number, keyHash: string, at: number, evidence: string): boolean {
  return db.transaction(() => {
    const cur = identityOf(db, contactId);
    if (!cur || cur.key_hash === null) {
      db.prepare(
        `INSERT INTO contact_identity (contact_id, key_hash, seen_at) VALUES (?, ?, ?)
        ON CONFLICT(contact_id) DO UPDATE SET key_hash = excluded.key_hash, seen_at = excluded.seen_at`,
      ).run(contactId, keyHash, at);
      return false;
    }
    if (cur.key_hash === keyHash) {
      if (cur.seen_at === null || at > cur.seen_at)
        db.prepare('UPDATE contact_identity SET seen_at = ? WHERE contact_id = ?').run(at, contactId);
      return false;
    }
    const newer = cur.seen_at === null || at >= cur.seen_at;
    if (newer) db.prepare('UPDATE contact_identity SET key_hash = ?, seen_at = ? WHERE contact_id = ?').run(keyHash, at, contactId);
    const [before, after] = newer ? [cur.key_hash, keyHash] : [keyHash, cur.key_hash];
    return placeHold(db, {
      contactId,
      reason: 'identity_changed',
      at: Math.max(at, cur.seen_at ?? 0),
      detail: `recipient_identity_key_hash changed from ${before} to ${after} (${evidence})`,
    });
  })();
}

export function holdOf(db: Db, contactId: number): ContactHold | null {
  const r = db.prepare('SELECT reason, detail, held_at FROM contact_holds WHERE contact_id = ?').get(contactId) as
    { reason: HoldReason; detail: string | null; held_at: number } | undefined;
  return r ? { reason: r.reason, detail: r.detail, heldAt: r.held_at } : null;
}

/** Which of these contacts are held (for the plan and the sender's gate). */
export function heldAmong(db: Db, contactIds: readonly number[]): Set<number> {
  const out = new Set<number>();
  const stmt = db.prepare('SELECT contact_id FROM contact_holds WHERE contact_id IN (SELECT value FROM json_each(?))').pluck();
  for (let i = 0; i < contactIds.length; i += 5000) {
    for (const id of stmt.all(JSON.stringify(contactIds.slice(i, i + 5000))) as number[]) out.add(id);
  }
  return out;
}

/** The marketer confirms the contact: the hold is removed and the confirmation audited. */
export function confirmNumber(db: Db, contactId: number, actor: string, at: number): boolean {
  return db.transaction(() => {
    const hold = holdOf(db, contactId);
    db.prepare('DELETE FROM contact_holds WHERE contact_id = ?').run(contactId);
    db.prepare(
      `INSERT INTO contact_identity (contact_id, confirmed_at, confirmed_by) VALUES (?, ?, ?)
      ON CONFLICT(contact_id) DO UPDATE SET confirmed_at = excluded.confirmed_at, confirmed_by = excluded.confirmed_by`,
    ).run(contactId, at, actor);
    db.prepare("INSERT INTO contact_hold_events (contact_id, kind, reason, detail, actor, at) VALUES (?, 'confirmed', ?, ?, ?, ?)").run(
      contactId,
      hold?.reason ?? null,
      hold ? 'number confirmed by the marketer' : 'confirmed (no hold)',
      actor,
      at,
    );
    return hold !== null;
  })();
}

export function holdHistory(db: Db, contactId: number): HoldEvent[] {
  return db
    .prepare('SELECT kind, reason, detail, actor, at FROM contact_hold_events WHERE contact_id = ? ORDER BY id DESC LIMIT 100')
    .all(contactId) as HoldEvent[];
}
