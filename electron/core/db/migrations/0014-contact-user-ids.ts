import type { Migration } from './types';

/**
 * Business-scoped user ids (BSUID, docs/contacts.md "Business-scoped user ids"). Since April 2026
 * Meta's webhooks carry `user_id` (per business portfolio, e.g. `IL.1502576394655843`), sometimes a
 * `parent_user_id` (linked portfolios, `US.ENT.…`) and the user's `username`; a user with a
 * username may come WITHOUT a phone number. Stored next to the phone so a reply, STOP or status
 * that carries only the BSUID still finds its contact. One contact per BSUID (unique when set).
 * Consent from a BSUID no contact has yet waits in user_id_consent_pending.
 */
export const migration0014: Migration = {
  version: 14,
  name: 'contact-user-ids',
  up: `
    ALTER TABLE contacts ADD COLUMN user_id TEXT;
    ALTER TABLE contacts ADD COLUMN parent_user_id TEXT;
    ALTER TABLE contacts ADD COLUMN username TEXT;
    CREATE UNIQUE INDEX contacts_user_id ON contacts(user_id) WHERE user_id IS NOT NULL;
    CREATE INDEX contacts_parent_user_id ON contacts(parent_user_id) WHERE parent_user_id IS NOT NULL;

    -- An opt-out (or resume) from a person known only by BSUID, whom no contact carries yet: kept
    -- and applied to the contact the moment a webhook links that BSUID to a phone, so no opt-out is
    -- lost because the phone was withheld.
    CREATE TABLE user_id_consent_pending (
      id              INTEGER PRIMARY KEY,
      user_id         TEXT NOT NULL,
      parent_user_id  TEXT,
      username        TEXT,
      profile_name    TEXT,
      category        TEXT NOT NULL CHECK (category IN ('marketing', 'utility', 'all')),
      state           TEXT NOT NULL CHECK (state IN ('opted_in', 'opted_out')),
      source          TEXT NOT NULL,
      source_detail   TEXT NOT NULL,
      evidence        TEXT,
      at              INTEGER NOT NULL,
      event_key       TEXT NOT NULL UNIQUE
    ) STRICT;
    CREATE INDEX user_id_consent_pending_user ON user_id_consent_pending(user_id, at);
  `,
};
