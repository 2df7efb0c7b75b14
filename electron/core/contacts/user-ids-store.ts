/**
 * Business-scoped user ids (BSUID) on contacts (migrations 0014 and 0017; docs/contacts.md).
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
 * - recordConsentByUserId: a STOP / preference from a phone-less webhook; recorded on the contact
 *   with that BSUID, made (without a phone) when nobody has it yet — never dropped. (Before 0017 it
 *   waited in user_id_consent_pending; applyWaitingUserIdConsent records what still waits there.)
 * - changeUserId: `user_changed_user_id` moves the contact to its new BSUID.
 * - ensureUserIdContact: a person who wrote (or stopped) without a phone becomes a contact with
 *   phone NULL (migration 0017), named by their profile name; the ledger carries their consent.
 * - When a webhook later links that BSUID to a phone: the phone-less contact gets the phone, or —
 *   when another contact already has that phone — is merged into it (mergeUserIdContact below).
 */
import type { Db } from '../db/connection';
import type { ConsentCategory, ConsentSource } from '../../../shared/contract/contacts';
import { recordConsent } from './consent';
import { parseConsentEvidence, type ConsentEvidence } from '../../../shared/contract/consent-evidence';
import { reindexContact } from './search';
import { deleteContact } from './store/contacts';
import { erasedAt } from '../privacy/store/erasures';
import { identityKey } from './identity-key';
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { contactsMerged } from './merge-listeners';

export { identityKey } from './identity-key';

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

/** The ISO country of a full international number (the default country plays no part after "+"). */
function countryOfE164(e164: string): string | null {
  return parsePhoneNumberFromString(e164)?.country ?? null;
}

const e164Of = (phone: string) => (phone.startsWith('+') ? phone : `+${phone.replace(/\D/g, '')}`);

/**
 * Frees `userId` for contact `id`: another contact that had it loses it (an old number of the same
 * person), or — when that contact is known ONLY by it (no phone) — is merged into `id`, since a
 * contact without a phone or a user id cannot exist and it is the same person.
 */
function takeUserId(db: Db, userId: string, id: number, at: number): void {
  const other = db.prepare('SELECT id, phone FROM contacts WHERE user_id = ? AND id != ?').get(userId, id) as
    { id: number; phone: string | null } | undefined;
  if (!other) return;
  if (other.phone === null) mergeUserIdContact(db, other.id, id, at);
  else db.prepare('UPDATE contacts SET user_id = NULL WHERE id = ?').run(other.id);
}

/**
 * Stores the BSUID (and parent id, username) on the contact with that phone. A BSUID belongs to
 * one person: if another contact carried it (an old number of the same person), it moves here.
 * Answers the contact id, or null when the phone is no contact's.
 */
export function linkUserId(db: Db, s: UserIdSighting): number | null {
  return db.transaction(() => {
    let id = s.phone
      ? ((db.prepare('SELECT id FROM contacts WHERE phone = ?').pluck().get(e164Of(s.phone)) as number | undefined) ?? null)
      : contactIdByUserId(db, s.userId);
    if (s.phone) {
      // The person was a contact by BSUID alone: now we know their phone.
      const bare = db.prepare('SELECT id FROM contacts WHERE user_id = ? AND phone IS NULL').pluck().get(s.userId) as number | undefined;
      if (bare !== undefined && id === null) {
        const e164 = e164Of(s.phone);
        db.prepare('UPDATE contacts SET phone = ?, country = coalesce(country, ?), updated_at = max(updated_at, ?) WHERE id = ?').run(
          e164,
          countryOfE164(e164),
          s.at,
          bare,
        );
        reindexContact(db, bare);
        id = bare;
      }
    }
    if (id === null) return null;
    const cur = db.prepare('SELECT user_id, parent_user_id, username FROM contacts WHERE id = ?').get(id) as {
      user_id: string | null;
      parent_user_id: string | null;
      username: string | null;
    };
    if (cur.user_id !== s.userId) takeUserId(db, s.userId, id, s.at);
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
    // Nobody has this BSUID yet: the person becomes a contact without a phone (since migration
    // 0017; before it the change waited in user_id_consent_pending). An erased person is not made
    // a contact again: their suppression record already keeps them from every send.
    const created = ensureUserIdContact(db, c);
    if (created === null) return null;
    recordConsent(db, {
      contactId: created,
      category: c.category,
      state: c.state,
      source: c.source,
      sourceDetail: c.sourceDetail,
      actor: 'webhook',
      evidence: c.evidence,
      at: c.at,
    });
    return created;
  })();
}

export interface UserIdPerson {
  userId: string;
  parentUserId: string | null;
  username: string | null;
  profileName: string | null;
  at: number;
}

/**
 * The contact of a person known by BSUID: the one with that id (or parent id), else a new contact
 * with phone NULL, named by their WhatsApp profile name (the Contacts page shows @username when
 * there is none). Answers null for an erased person (suppression record on `bsuid:<id>`).
 */
export function ensureUserIdContact(db: Db, p: UserIdPerson): number | null {
  return db.transaction(() => {
    const found = contactIdByUserId(db, p.userId, p.parentUserId);
    if (found !== null) {
      // The username WhatsApp sends now; a name only where the contact has none (a typed one stays).
      db.prepare(
        `UPDATE contacts SET name = CASE WHEN name = '' THEN coalesce(?, '') ELSE name END, username = coalesce(?, username),
           updated_at = max(updated_at, ?)
         WHERE id = ? AND ((name = '' AND ? IS NOT NULL) OR (? IS NOT NULL AND username IS NOT ?))`,
      ).run(p.profileName, p.username, p.at, found, p.profileName, p.username, p.username);
      return found;
    }
    if (erasedAt(db, identityKey(null, p.userId)) !== null) return null;
    const id = Number(
      db
        .prepare(
          'INSERT INTO contacts (phone, name, user_id, parent_user_id, username, created_at, updated_at) VALUES (NULL, ?, ?, ?, ?, ?, ?)',
        )
        .run(p.profileName ?? '', p.userId, p.parentUserId, p.username, p.at, p.at).lastInsertRowid,
    );
    reindexContact(db, id);
    applyPending(db, id, p.userId);
    return id;
  })();
}

/**
 * A phone-less contact (`from`, known by BSUID) turned out to be the person of an existing phone
 * contact (`into`): one contact remains, the phone's. Consent history is kept — every event of
 * `from` is replayed on `into` in its own time order by the ledger's rules (so the latest decision
 * wins, an opt-out is never lost, and the copy says where it came from); tags, attributes the phone
 * contact lacks, message history, holds and ledger rows move; then `from` is deleted (not erased:
 * no suppression record). Never two contacts for one person.
 */
export function mergeUserIdContact(db: Db, from: number, into: number, at: number): void {
  db.transaction(() => {
    const events = db
      .prepare(
        'SELECT category, state, source, source_detail, actor, evidence, evidence_data, at FROM consent_events WHERE contact_id = ? ORDER BY at, id',
      )
      .all(from) as {
      category: ConsentCategory;
      state: 'opted_in' | 'opted_out';
      source: ConsentSource;
      source_detail: string;
      actor: string;
      evidence: string | null;
      evidence_data: string | null;
      at: number;
    }[];
    const note = `merged from contact #${from} (known by WhatsApp user id)`;
    for (const e of events) {
      recordConsent(db, {
        contactId: into,
        category: e.category,
        state: e.state,
        source: e.source,
        sourceDetail: e.source_detail,
        actor: e.actor,
        // The copy keeps its evidence as data, marked as merged (a legacy row: its English text and the note).
        evidence: ((data) =>
          data
            ? { ...data, mergedFrom: from }
            : e.evidence
              ? `${e.evidence} — ${note}`
              : { code: 'manual' as const, params: {}, mergedFrom: from })(parseConsentEvidence(e.evidence_data)),
        reason: note,
        at: e.at,
      });
    }
    db.prepare('INSERT OR IGNORE INTO contact_tags (tag_id, contact_id) SELECT tag_id, ? FROM contact_tags WHERE contact_id = ?').run(
      into,
      from,
    );
    db.prepare(
      'INSERT OR IGNORE INTO contact_attributes (contact_id, attr_id, value) SELECT ?, attr_id, value FROM contact_attributes WHERE contact_id = ?',
    ).run(into, from);
    db.prepare('UPDATE contact_messages SET contact_id = ? WHERE contact_id = ?').run(into, from);
    db.prepare('UPDATE campaign_recipients SET contact_id = ? WHERE contact_id = ?').run(into, from);
    // One person, one message per campaign: a row of either contact still waiting in a campaign
    // that already reached the other is not sent (campaigns/one-per-person.ts listens).
    contactsMerged(db, into, at);
    db.prepare(
      'INSERT OR IGNORE INTO contact_holds (contact_id, reason, detail, held_at) SELECT ?, reason, detail, held_at FROM contact_holds WHERE contact_id = ?',
    ).run(into, from);
    db.prepare('UPDATE contact_hold_events SET contact_id = ? WHERE contact_id = ?').run(into, from);
    const f = db.prepare('SELECT name, username, parent_user_id, last_messaged_at FROM contacts WHERE id = ?').get(from) as {
      name: string;
      username: string | null;
      parent_user_id: string | null;
      last_messaged_at: number | null;
    };
    // What they wrote by user id goes with them: deleting `from` fires the erasure trigger
    // (migration 0020), which deletes a phone-less contact's replies; they are put back as they
    // were, with the number now known (so erasing `into` by its number finds them too).
    const replies = hasReplyUserIds(db)
      ? (db
          .prepare('SELECT * FROM inbound_replies WHERE user_id = (SELECT user_id FROM contacts WHERE id = ?) AND wa_id IS NULL')
          .all(from) as Record<string, unknown>[])
      : [];
    deleteContact(db, from); // frees the BSUID (unique) for the phone contact
    const intoPhone = db.prepare('SELECT phone FROM contacts WHERE id = ?').pluck().get(into) as string | null;
    const keep = db.prepare(
      `INSERT OR IGNORE INTO inbound_replies (id, message_id, wa_id, user_id, at, kind, text, payload, context_id, campaign_id, recipient_id, link)
       VALUES (@id, @message_id, @wa_id, @user_id, @at, @kind, @text, @payload, @context_id, @campaign_id, @recipient_id, @link)`,
    );
    for (const r of replies) keep.run({ ...r, wa_id: intoPhone ? intoPhone.slice(1) : null });
    db.prepare(
      `UPDATE contacts SET name = CASE WHEN name = '' THEN ? ELSE name END, username = coalesce(username, ?),
         parent_user_id = coalesce(parent_user_id, ?), last_messaged_at = max(coalesce(last_messaged_at, 0), coalesce(?, 0)),
         updated_at = max(updated_at, ?) WHERE id = ?`,
    ).run(f.name, f.username, f.parent_user_id, f.last_messaged_at, at, into);
    reindexContact(db, into);
  })();
}

/**
 * Consent rows that waited in user_id_consent_pending before migration 0017 (which made their
 * people contacts): recorded on those contacts now, by the ledger's rules, and removed. Runs when
 * the webhook domain starts; a no-op once the table is empty.
 */
export function applyWaitingUserIdConsent(db: Db): number {
  const ids = db.prepare('SELECT DISTINCT user_id FROM user_id_consent_pending').pluck().all() as string[];
  let applied = 0;
  for (const userId of ids) {
    const id = contactIdByUserId(db, userId);
    if (id === null) continue; // no contact (an erased person): keeps waiting, never lost
    db.transaction(() => {
      applied += db.prepare('SELECT count(*) FROM user_id_consent_pending WHERE user_id = ?').pluck().get(userId) as number;
      applyPending(db, id, userId);
    })();
  }
  return applied;
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
    takeUserId(db, ch.newUserId, id, ch.at);
    const oldUserId = db.prepare('SELECT user_id FROM contacts WHERE id = ?').pluck().get(id) as string | null;
    db.prepare(
      'UPDATE contacts SET user_id = ?, parent_user_id = coalesce(?, parent_user_id), updated_at = max(updated_at, ?) WHERE id = ?',
    ).run(ch.newUserId, ch.newParentUserId, ch.at, id);
    // What they wrote under the old id stays theirs: the conversation and the erasure trigger find
    // replies by the contact's current user id (migration 0020).
    if (oldUserId && oldUserId !== ch.newUserId && hasReplyUserIds(db))
      db.prepare('UPDATE inbound_replies SET user_id = ? WHERE user_id = ?').run(ch.newUserId, oldUserId);
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

/** Whether contacts.phone may be NULL here (migration 0017 applied; a webhook-only database has no contacts). */
export function hasPhonelessContacts(db: Db): boolean {
  return db.prepare("SELECT \"notnull\" FROM pragma_table_info('contacts') WHERE name = 'phone'").pluck().get() === 0;
}

/** Whether inbound_replies keeps the sender's user id (migration 0020). */
function hasReplyUserIds(db: Db): boolean {
  return db.prepare("SELECT 1 FROM pragma_table_info('inbound_replies') WHERE name = 'user_id'").get() !== undefined;
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
      takeUserId(db, userId, contactId, at);
      db.prepare('UPDATE contacts SET user_id = ?, updated_at = max(updated_at, ?) WHERE id = ?').run(userId, at, contactId);
      applyPending(db, contactId, userId);
    }
    if (username) db.prepare('UPDATE contacts SET username = ?, updated_at = max(updated_at, ?) WHERE id = ?').run(username, at, contactId);
  })();
}
