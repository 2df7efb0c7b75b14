import type { Db } from '../connection';
import type { Migration } from './types';

/**
 * Contacts known only by their business-scoped user id (issue #13 §2; docs/contacts.md
 * "Business-scoped user ids"). A person with a WhatsApp username may write, stop or be reported in
 * a status without a phone number; until now `contacts.phone` was `NOT NULL UNIQUE`, so such a
 * person could not be a contact, carry consent on the ledger, or be sent to.
 *
 * - `contacts.phone` becomes nullable (still UNIQUE when set) and every contact must have a phone
 *   or a `user_id` (CHECK). SQLite cannot drop a NOT NULL in place: the table is rebuilt by SQLite's
 *   12-step procedure (https://www.sqlite.org/lang_altertable.html#otheralter) with foreign_keys
 *   OFF (the runner sets it outside the transaction, `foreignKeysOff`), so dropping the old table
 *   does not cascade into the nine tables that reference it; `PRAGMA foreign_key_check` runs before
 *   the commit. Ids are copied, so every reference stays valid.
 * - Every index and trigger that belongs to or mentions `contacts` is read from sqlite_schema
 *   before the drop and created again after the rename, as it was — except
 *   `campaign_recipients_skip_phone_changed` (0009): a phone LEARNT for a phone-less contact
 *   (NULL → number) is not a number change, so its queued send (addressed by user id) stays.
 * - `campaign_recipients.user_id`: the ledger row of a contact without a phone is addressed by
 *   `recipient: <user_id>` (its `phone` is NULL, `phone_hash` a keyed hash of `bsuid:<user_id>`).
 *   Erasing the contact clears it like the phone (trigger, as 0005 does for the number).
 * - People waiting in `user_id_consent_pending` (0014: an opt-out from a BSUID no contact had)
 *   become contacts here (name = their last profile name, username, parent id); their waiting
 *   consent rows are recorded on those contacts by the ledger's rules when the core starts
 *   (contacts/user-ids-store.ts applyWaitingUserIdConsent), and new events no longer wait.
 */
const COLUMNS =
  'id, phone, first_name, last_name, name, email, country, created_at, updated_at, last_messaged_at, user_id, parent_user_id, username';

const PHONE_CHANGED_TRIGGER = `CREATE TRIGGER campaign_recipients_skip_phone_changed AFTER UPDATE OF phone ON contacts
      WHEN OLD.phone IS NOT NULL AND NEW.phone IS NOT OLD.phone
      BEGIN
        UPDATE campaign_recipients SET state = 'skipped', skip_reason = 'phone_changed', updated_at = NEW.updated_at
        WHERE contact_id = NEW.id AND state = 'pending';
      END`;

const KEPT_QUERY = `SELECT type, name, sql FROM sqlite_schema
       WHERE sql IS NOT NULL AND type IN ('index', 'trigger', 'view')
         AND (tbl_name = 'contacts' OR (type <> 'index' AND sql LIKE '%contacts%'))
       ORDER BY CASE type WHEN 'index' THEN 0 WHEN 'view' THEN 1 ELSE 2 END, name`;

function up(db: Db): void {
  // Step 3-4: remember the schema objects tied to contacts (indexes on it, triggers on it or
  // naming it in their body). Autoindexes (sql NULL) come back with the table's own UNIQUE.
  const kept = db.prepare(KEPT_QUERY).all() as { type: 'index' | 'trigger' | 'view'; name: string; sql: string }[];
  for (const o of kept) if (o.type !== 'index') db.exec(`DROP ${o.type.toUpperCase()} "${o.name}"`);

  // Step 5-7: the new table, the copy, the swap.
  db.exec(REBUILD);

  // Step 8: indexes and triggers as they were (the phone-changed trigger with its NULL rule).
  for (const o of kept) {
    if (o.name === 'campaign_recipients_skip_phone_changed') db.exec(PHONE_CHANGED_TRIGGER);
    else db.exec(o.sql);
  }

  // The ledger addresses a phone-less contact by its user id.
  db.exec(LEDGER_USER_ID);

  // People who waited by BSUID become contacts (their latest name / username / parent id).
  db.exec(WAITING_BECOME_CONTACTS);
}

const REBUILD = `
    CREATE TABLE contacts_new (
      id               INTEGER PRIMARY KEY,
      phone            TEXT UNIQUE,
      first_name       TEXT,
      last_name        TEXT,
      name             TEXT NOT NULL DEFAULT '',
      email            TEXT,
      country          TEXT,
      created_at       INTEGER NOT NULL,
      updated_at       INTEGER NOT NULL,
      last_messaged_at INTEGER,
      user_id          TEXT,
      parent_user_id   TEXT,
      username         TEXT,
      CHECK (phone IS NOT NULL OR user_id IS NOT NULL)
    ) STRICT;
    INSERT INTO contacts_new (${COLUMNS}) SELECT ${COLUMNS} FROM contacts;
    DROP TABLE contacts;
    ALTER TABLE contacts_new RENAME TO contacts;
  `;

const LEDGER_USER_ID = `
    ALTER TABLE campaign_recipients ADD COLUMN user_id TEXT;
    CREATE TRIGGER campaign_recipients_erase_user_id AFTER UPDATE OF contact_id ON campaign_recipients
      WHEN NEW.contact_id IS NULL AND OLD.contact_id IS NOT NULL AND NEW.user_id IS NOT NULL
      BEGIN UPDATE campaign_recipients SET user_id = NULL WHERE id = NEW.id; END;
  `;

const WAITING_BECOME_CONTACTS = `
    INSERT INTO contacts (phone, name, user_id, parent_user_id, username, created_at, updated_at)
    SELECT NULL, coalesce(p.profile_name, ''), p.user_id, p.parent_user_id, p.username, first.at, p.at
    FROM user_id_consent_pending p
    JOIN (SELECT user_id, min(at) AS at, max(id) AS last FROM user_id_consent_pending GROUP BY user_id) first
      ON first.last = p.id
    WHERE NOT EXISTS (SELECT 1 FROM contacts c WHERE c.user_id = p.user_id);
  `;

export const migration0017: Migration = {
  version: 17,
  name: 'contacts-without-phone',
  rewritesData: true,
  foreignKeysOff: true,
  up,
  // What the applied-migration check hashes (types.ts): the schema query and every statement run.
  hashSource: [KEPT_QUERY, REBUILD, PHONE_CHANGED_TRIGGER, LEDGER_USER_ID, WAITING_BECOME_CONTACTS].join('\n'),
};
