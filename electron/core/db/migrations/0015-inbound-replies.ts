import type { Migration } from './types';

/**
 * What people wrote back. Until now only the time of a contact's last inbound message was kept
 * (webhook_contact_window), so a campaign could count replies but nobody could read them. One row
 * per inbound message a person sent (not `system` notices): the text, or a button's label and
 * payload, and — when it answers a campaign message — the campaign and ledger row it answers:
 * `link = 'context'` when WhatsApp says which message it replies to (a button tap, a swipe-reply),
 * `link = 'window'` when it came within the reply window after that row's message and nobody else
 * messaged them in between (the rule campaigns/reports.ts counts replies by).
 *
 * Personal data: the rows go with the person. Deleting a contact (erasure) deletes every reply
 * from its number, whether or not the reply was linked to the contact when it arrived; the ledger
 * row's own erasure (contact_id → NULL) unlinks nothing but the number, which this table keys by.
 */
export const migration0015: Migration = {
  version: 15,
  name: 'inbound-replies',
  up: `
    CREATE TABLE inbound_replies (
      id            INTEGER PRIMARY KEY,
      message_id    TEXT NOT NULL UNIQUE,
      wa_id         TEXT NOT NULL,
      at            INTEGER NOT NULL,
      kind          TEXT NOT NULL,
      text          TEXT,
      payload       TEXT,
      context_id    TEXT,
      campaign_id   TEXT REFERENCES campaigns(id) ON DELETE SET NULL,
      recipient_id  INTEGER REFERENCES campaign_recipients(id) ON DELETE SET NULL,
      link          TEXT CHECK (link IN ('context', 'window'))
    ) STRICT;
    CREATE INDEX inbound_replies_wa ON inbound_replies(wa_id, at);
    CREATE INDEX inbound_replies_recipient ON inbound_replies(recipient_id) WHERE recipient_id IS NOT NULL;
    CREATE INDEX inbound_replies_campaign ON inbound_replies(campaign_id, at) WHERE campaign_id IS NOT NULL;
    CREATE TRIGGER inbound_replies_erase AFTER DELETE ON contacts
      BEGIN DELETE FROM inbound_replies WHERE wa_id = substr(OLD.phone, 2); END;
  `,
};
