import type { Migration } from './types';

/**
 * Contacts: people, tags, typed attributes, the consent ledger (current state + append-only
 * history), saved segments and import mappings, and the search index.
 *
 * - `contacts.phone` is E.164 and unique: it is the identity of a contact.
 * - Consent state rows exist only for decided categories; no row = 'unknown'.
 * - `consent_events` is append-only (UPDATE is refused by a trigger); erasure deletes a contact's
 *   events together with the contact (they are personal data).
 * - `contacts_fts` is a contentless FTS5 index of words (names, email, phone digit forms; CJK split
 *   per character). Large imports fill it in the background: rows with id above
 *   app_meta 'contacts.fts_upto' and ids in `contacts_fts_pending` are searched by scanning instead.
 * - `contact_messages` is a per-contact message history campaigns write to (the drawer reads it).
 */
export const migration0002: Migration = {
  version: 2,
  name: 'contacts',
  up: `
    CREATE TABLE contacts (
      id               INTEGER PRIMARY KEY,
      phone            TEXT NOT NULL UNIQUE,
      first_name       TEXT,
      last_name        TEXT,
      name             TEXT NOT NULL DEFAULT '',
      email            TEXT,
      country          TEXT,
      created_at       INTEGER NOT NULL,
      updated_at       INTEGER NOT NULL,
      last_messaged_at INTEGER
    ) STRICT;
    CREATE INDEX contacts_name ON contacts(name COLLATE NOCASE, id);
    CREATE INDEX contacts_country ON contacts(country, id);
    CREATE INDEX contacts_updated ON contacts(updated_at, id);

    CREATE TABLE tags (
      id         INTEGER PRIMARY KEY,
      name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
      created_at INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE contact_tags (
      tag_id     INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
      contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
      PRIMARY KEY (tag_id, contact_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX contact_tags_contact ON contact_tags(contact_id, tag_id);

    CREATE TABLE attribute_defs (
      id         INTEGER PRIMARY KEY,
      name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
      type       TEXT NOT NULL CHECK (type IN ('text', 'number', 'date', 'boolean')),
      created_at INTEGER NOT NULL
    ) STRICT;

    -- value: TEXT for text and date ('YYYY-MM-DD'), REAL/INTEGER for number, 0/1 for boolean.
    CREATE TABLE contact_attributes (
      contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
      attr_id    INTEGER NOT NULL REFERENCES attribute_defs(id) ON DELETE CASCADE,
      value      ANY NOT NULL,
      PRIMARY KEY (contact_id, attr_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX contact_attributes_value ON contact_attributes(attr_id, value);

    CREATE TABLE consent_state (
      contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
      category   TEXT NOT NULL CHECK (category IN ('marketing', 'utility')),
      state      TEXT NOT NULL CHECK (state IN ('opted_in', 'opted_out')),
      updated_at INTEGER NOT NULL,
      event_id   INTEGER NOT NULL,
      PRIMARY KEY (contact_id, category)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX consent_state_by_state ON consent_state(category, state, contact_id);

    CREATE TABLE consent_events (
      id            INTEGER PRIMARY KEY,
      contact_id    INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
      category      TEXT NOT NULL CHECK (category IN ('marketing', 'utility')),
      state         TEXT NOT NULL CHECK (state IN ('opted_in', 'opted_out')),
      source        TEXT NOT NULL CHECK (source IN ('import', 'manual', 'keyword', 'button', 'meta_preference', 'error_131050')),
      source_detail TEXT NOT NULL,
      actor         TEXT NOT NULL,
      evidence      TEXT,
      at            INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX consent_events_contact ON consent_events(contact_id, id);
    CREATE TRIGGER consent_events_append_only BEFORE UPDATE ON consent_events
      BEGIN SELECT RAISE(ABORT, 'consent_events is append-only'); END;

    CREATE TABLE contact_messages (
      id            INTEGER PRIMARY KEY,
      contact_id    INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
      campaign_id   TEXT,
      campaign_name TEXT,
      template      TEXT,
      status        TEXT NOT NULL,
      error         TEXT,
      at            INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX contact_messages_contact ON contact_messages(contact_id, at);

    CREATE TABLE segments (
      id         INTEGER PRIMARY KEY,
      name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
      rule       TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE import_mappings (
      id         INTEGER PRIMARY KEY,
      name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
      mapping    TEXT NOT NULL,
      headers    TEXT NOT NULL,
      created_at INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE imports (
      id          TEXT PRIMARY KEY,
      file_name   TEXT NOT NULL,
      format      TEXT NOT NULL,
      encoding    TEXT NOT NULL,
      actor       TEXT NOT NULL,
      counts      TEXT NOT NULL,
      started_at  INTEGER NOT NULL,
      finished_at INTEGER NOT NULL
    ) STRICT;

    CREATE VIRTUAL TABLE contacts_fts USING fts5(
      text, content='', contentless_delete=1, detail='none', tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TABLE contacts_fts_pending (
      contact_id INTEGER PRIMARY KEY
    ) STRICT;
    INSERT INTO app_meta(key, value) VALUES ('contacts.fts_upto', '0');
  `,
};
