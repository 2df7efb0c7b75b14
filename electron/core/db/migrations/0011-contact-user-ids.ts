import type { Migration } from './types';

/**
 * Business-scoped user ids (BSUID, docs/contacts.md "Business-scoped user ids"). Since April 2026
 * Meta's webhooks carry `user_id` (per business portfolio, e.g. `IL.1502576394655843`), sometimes a
 * `parent_user_id` (linked portfolios, `US.ENT.…`) and the user's `username`; a user with a
 * username may come WITHOUT a phone number. Stored next to the phone so a reply, STOP or status
 * that carries only the BSUID still finds its contact. One contact per BSUID (unique when set).
 */
export const migration0011: Migration = {
  version: 11,
  name: 'contact-user-ids',
  up: `
    ALTER TABLE contacts ADD COLUMN user_id TEXT;
    ALTER TABLE contacts ADD COLUMN parent_user_id TEXT;
    ALTER TABLE contacts ADD COLUMN username TEXT;
    CREATE UNIQUE INDEX contacts_user_id ON contacts(user_id) WHERE user_id IS NOT NULL;
    CREATE INDEX contacts_parent_user_id ON contacts(parent_user_id) WHERE parent_user_id IS NOT NULL;
  `,
};
