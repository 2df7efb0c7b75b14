import type { Migration } from './types';

/**
 * Number-changed holds. A contact whose number changed hands (a `user_changed_number` system
 * message, or a status whose `recipient_identity_key_hash` differs from the last one seen) is held:
 * excluded from every audience and skipped by the sender until the marketer confirms the contact.
 * `contact_holds` is the current hold (one per contact); `contact_identity` the last identity hash
 * seen and the last confirmation; `contact_hold_events` the append-only audit (held / confirmed).
 */
export const migration0006: Migration = {
  version: 6,
  name: 'contact-holds',
  up: `
    CREATE TABLE contact_holds (
      contact_id INTEGER PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
      reason     TEXT NOT NULL CHECK (reason IN ('user_changed_number', 'identity_changed')),
      detail     TEXT,
      held_at    INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE contact_identity (
      contact_id   INTEGER PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
      key_hash     TEXT,
      seen_at      INTEGER,
      confirmed_at INTEGER,
      confirmed_by TEXT
    ) STRICT;

    CREATE TABLE contact_hold_events (
      id         INTEGER PRIMARY KEY,
      contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
      kind       TEXT NOT NULL CHECK (kind IN ('held', 'confirmed')),
      reason     TEXT,
      detail     TEXT,
      actor      TEXT NOT NULL,
      at         INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX contact_hold_events_contact ON contact_hold_events(contact_id, id);
  `,
};
