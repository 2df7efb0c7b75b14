/**
 * Business-scoped user ids (BSUID) on contacts (migration 0011; docs/contacts.md).
 *
 * Facts (../shared/reference/whatsapp-cloud-api.md §11; Meta "Business-scoped user IDs", updated
 * 2026-11-05; "System messages webhook reference", 2026-08-11; 360dialog "Usernames & BSUID"):
 * webhooks carry `user_id` (per business portfolio, `IL.1502576394655843`), for linked portfolios a
 * `parent_user_id` (`US.ENT.…`), and the user's `username`; a user with a username may come without
 * a phone number; a new BSUID is issued when a person changes number (`user_changed_user_id`).
 *
 * - linkUserId: a webhook that carries BOTH a phone and a BSUID stores the BSUID on the phone's
 *   contact (and applies any consent that waited for that BSUID).
 * - contactIdByUserId: who a phone-less webhook is about (the user id, else the parent id).
 * - recordConsentByUserId: a STOP / preference from a phone-less webhook; kept pending when no
 *   contact has that BSUID yet, never dropped.
 * - changeUserId: `user_changed_user_id` moves the contact to its new BSUID.
 */
import type { Db } from '../db/connection';
import type { ConsentCategory, ConsentSource } from '../../../shared/contract/contacts';
import { recordConsent } from './consent';
import { parseConsentEvidence, type ConsentEvidence } from '../../../shared/contract/consent-evidence';

export function contactIdByUserId(db: Db, userId: string | null, parentUserId: string | null = null): number | null {
  if (userId) {
    const id = db.prepare('SELECT id FROM contacts WHERE user_id = ?').pluck().get(userId) as number | undefined;
    if (id !== undefined) return id;
  }
  if (parentUserId) {
    const id = db.prepare('SELECT id FROM contacts WHERE parent_user_id = ? ORDER BY id LIMIT 1').pluck().get(parentUserId) as
      number | undefined;
    if (id !== undefined) return id;
  }
  return null;
}

export interface UserIdSighting {
  /** wa_id digits or E.164; null when the webhook withheld it. */
  phone: string | null;
  userId: string;
  parentUserId: string | null;
  username: string | null;
  at: number;
}

const e164Of = (phone: string) => (phone.startsWith('+') ? phone : `+${phone.replace(/\D/g, '')}`);

/**
 * Stores the BSUID (and parent id, username) on the contact with that phone. A BSUID belongs to
 * one person: if another contact carried it (an old number of the same person), it moves here.
 * Answers the contact id, or null when the phone is no contact's.
 */
export function linkUserId(db: Db, s: UserIdSighting): number | null {
  return db.transaction(() => {
    const id = s.phone
      ? ((db.prepare('SELECT id FROM contacts WHERE phone = ?').pluck().get(e164Of(s.phone)) as number | undefined) ?? null)
      : contactIdByUserId(db, s.userId);
    if (id === null) return null;
    const cur = db.prepare('SELECT user_id, parent_user_id, username FROM contacts WHERE id = ?').get(id) as {
      user_id: string | null;
      parent_user_id: string | null;
      username: string | null;
    };
    if (cur.user_id !== s.userId) db.prepare('UPDATE contacts SET user_id = NULL WHERE user_id = ? AND id != ?').run(s.userId, id);
    if (
      cur.user_id !== s.userId ||
      (s.parentUserId && cur.parent_user_id !== s.parentUserId) ||
      (s.username && cur.username !== s.username)
    ) {
      db.prepare(
        'UPDATE contacts SET user_id = ?, parent_user_id = coalesce(?, parent_user_id), username = coalesce(?, username), updated_at = max(updated_at, ?) WHERE id = ?',
      ).run(s.userId, s.parentUserId, s.username, s.at, id);
    }
    applyPending(db, id, s.userId);
    return id;
  })();
}

/** Consent that waited for this BSUID is recorded on the contact now (in its own time order). */
function applyPending(db: Db, contactId: number, userId: string): void {
  const rows = db.prepare('SELECT * FROM user_id_consent_pending WHERE user_id = ? ORDER BY at, id').all(userId) as {
    id: number;
    category: ConsentCategory | 'all';
    state: 'opted_in' | 'opted_out';
    source: ConsentSource;
    source_detail: string;
    evidence: string | null;
    at: number;
  }[];
  for (const r of rows) {
    recordConsent(db, {
      contactId,
      category: r.category,
      state: r.state,
      source: r.source,
      sourceDetail: r.source_detail,
      actor: 'webhook',
      // Pending rows keep the structured evidence as JSON (older rows: English text, kept as written).
      evidence: parseConsentEvidence(r.evidence) ?? r.evidence,
      at: r.at,
    });
    db.prepare('DELETE FROM user_id_consent_pending WHERE id = ?').run(r.id);
  }
}

export interface UserIdConsent {
  userId: string;
  parentUserId: string | null;
  username: string | null;
  profileName: string | null;
  category: ConsentCategory | 'all';
  state: 'opted_in' | 'opted_out';
  source: Exclude<ConsentSource, 'import' | 'manual'>;
  sourceDetail: string;
  evidence: ConsentEvidence | null;
  at: number;
  eventKey: string;
}

/**
 * A consent change from a webhook that carried no phone. Recorded on the contact with that BSUID
 * (or parent id); otherwise kept pending (idempotent by event key) until a webhook links the BSUID
 * to a phone. Answers the contact id, or null when pending.
 */
export function recordConsentByUserId(db: Db, c: UserIdConsent): number | null {
  return db.transaction(() => {
    const id = contactIdByUserId(db, c.userId, c.parentUserId);
    if (id !== null) {
      recordConsent(db, {
        contactId: id,
        category: c.category,
        state: c.state,
        source: c.source,
        sourceDetail: c.sourceDetail,
        actor: 'webhook',
        evidence: c.evidence,
        at: c.at,
      });
      return id;
    }
    db.prepare(
      `INSERT OR IGNORE INTO user_id_consent_pending (user_id, parent_user_id, username, profile_name, category, state, source, source_detail, evidence, at, event_key)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      c.userId,
      c.parentUserId,
      c.username,
      c.profileName,
      c.category,
      c.state,
      c.source,
      c.sourceDetail,
      c.evidence ? JSON.stringify(c.evidence) : null,
      c.at,
      c.eventKey,
    );
    return null;
  })();
}

/** People known only by BSUID (no contact has their id yet), with what they asked — for the Contacts page. */
export function pendingUserIds(
  db: Db,
): { userId: string; username: string | null; profileName: string | null; state: 'opted_in' | 'opted_out'; at: number }[] {
  return db
    .prepare(
      `SELECT user_id AS userId, username, profile_name AS profileName, state, at FROM user_id_consent_pending p
    WHERE id = (SELECT max(id) FROM user_id_consent_pending q WHERE q.user_id = p.user_id) ORDER BY at DESC`,
    )
    .all() as never;
}

/**
 * `user_changed_user_id`: the person's BSUID was replaced. The contact that had the old one (or,
 * when the webhook withheld the old id, the phone's contact) gets the new one. Answers the contact id.
 */
export function changeUserId(
  db: Db,
  ch: { previousUserId: string | null; phone: string | null; newUserId: string; newParentUserId: string | null; at: number },
): number | null {
  return db.transaction(() => {
    const id =
      contactIdByUserId(db, ch.previousUserId) ??
      (ch.phone
        ? ((db.prepare('SELECT id FROM contacts WHERE phone = ?').pluck().get(e164Of(ch.phone)) as number | undefined) ?? null)
        : null);
    if (id === null) return null;
    db.prepare('UPDATE contacts SET user_id = NULL WHERE user_id = ? AND id != ?').run(ch.newUserId, id);
    db.prepare(
      'UPDATE contacts SET user_id = ?, parent_user_id = coalesce(?, parent_user_id), updated_at = max(updated_at, ?) WHERE id = ?',
    ).run(ch.newUserId, ch.newParentUserId, ch.at, id);
    applyPending(db, id, ch.newUserId);
    return id;
  })();
}

/** contacts:user-ids — a contact's BSUID columns, and the people known only by BSUID. */
export function userIdInfo(
  db: Db,
  contactId?: number,
): {
  contact: { userId: string | null; parentUserId: string | null; username: string | null } | null;
  withoutPhone: ReturnType<typeof pendingUserIds>;
} {
  const c =
    contactId === undefined
      ? undefined
      : (db.prepare('SELECT user_id AS userId, parent_user_id AS parentUserId, username FROM contacts WHERE id = ?').get(contactId) as
          { userId: string | null; parentUserId: string | null; username: string | null } | undefined);
  return { contact: c ?? null, withoutPhone: pendingUserIds(db) };
}

/** Whether this database has the contacts' BSUID columns (a webhook-only database has no contacts). */
export function hasUserIdColumns(db: Db): boolean {
  return db.prepare("SELECT 1 FROM pragma_table_info('contacts') WHERE name = 'user_id'").get() !== undefined;
}

/**
 * An imported BSUID / username for a contact (contacts/import/user-ids-store.ts). The BSUID moves
 * here from any other contact that had it (one person's id), and consent that waited for it applies.
 */
export function assignUserId(db: Db, contactId: number, userId: string | null, username: string | null, at: number): void {
  db.transaction(() => {
    if (userId) {
      db.prepare('UPDATE contacts SET user_id = NULL WHERE user_id = ? AND id != ?').run(userId, contactId);
      db.prepare('UPDATE contacts SET user_id = ?, updated_at = max(updated_at, ?) WHERE id = ?').run(userId, at, contactId);
      applyPending(db, contactId, userId);
    }
    if (username) db.prepare('UPDATE contacts SET username = ?, updated_at = max(updated_at, ?) WHERE id = ?').run(username, at, contactId);
  })();
}
