import type { Migration } from './types';

/**
 * Erasure suppression records. Erasing a contact at the person's request keeps one row here so the
 * number is not imported (and so not messaged) again: a keyed hash of the E.164 number
 * (HMAC-SHA256, base64url; the random key is `app_meta` 'contacts.erasure_key', made on first use),
 * when, and why. No number, name or contact id — nothing readable about the person.
 */
export const migration0007: Migration = {
  version: 7,
  name: 'contact-erasures',
  up: `
    CREATE TABLE contact_erasures (
      hash      TEXT PRIMARY KEY CHECK (length(hash) = 43),
      erased_at INTEGER NOT NULL,
      reason    TEXT NOT NULL CHECK (reason IN ('erasure request'))
    ) STRICT, WITHOUT ROWID;
  `,
};
