import type { Migration } from './types';

/**
 * Replies from people whose webhooks carry no phone (issue #13 §2; docs/contacts.md
 * "Business-scoped user ids"). A user with a WhatsApp username may write with `from` left out and
 * only `from_user_id`; `inbound_replies.wa_id` was NOT NULL (0015), so what they wrote was dropped.
 *
 * - `inbound_replies` gains `user_id` (the sender's business-scoped user id, whenever the webhook
 *   carries it) and `wa_id` becomes nullable; every reply has one or the other (CHECK). SQLite
 *   cannot drop a NOT NULL in place: the table is rebuilt by SQLite's 12-step procedure
 *   (https://www.sqlite.org/lang_altertable.html#otheralter). No table references inbound_replies,
 *   so foreign keys stay on; the trigger on contacts that names it (0015's erasure trigger) is
 *   dropped first — a RENAME re-checks every trigger that mentions the table — and created again.
 * - The erasure trigger also deletes what the person wrote by user id: every reply with the
 *   contact's user id when the contact has a phone (it is one person), and the phone-less ones
 *   when it has none. A merge (contacts/user-ids-store.ts) deletes a phone-less contact that is
 *   not erased: it keeps that contact's replies by putting them back after the delete.
 * - `campaign_recipients` is looked up by user id (a reply known by user id finds the row it
 *   answers) and by phone (the reply window's lookup scanned the whole ledger per inbound message).
 */
export const migration0020: Migration = {
  version: 20,
  name: 'replies-by-user-id',
  up: `
    DROP TRIGGER inbound_replies_erase;
    CREATE TABLE inbound_replies_new (
      id            INTEGER PRIMARY KEY,
      message_id    TEXT NOT NULL UNIQUE,
      wa_id         TEXT,
      user_id       TEXT,
      at            INTEGER NOT NULL,
      kind          TEXT NOT NULL,
      text          TEXT,
      payload       TEXT,
      context_id    TEXT,
      campaign_id   TEXT REFERENCES campaigns(id) ON DELETE SET NULL,
      recipient_id  INTEGER REFERENCES campaign_recipients(id) ON DELETE SET NULL,
      link          TEXT CHECK (link IN ('context', 'window')),
      CHECK (wa_id IS NOT NULL OR user_id IS NOT NULL)
    ) STRICT;
    INSERT INTO inbound_replies_new (id, message_id, wa_id, at, kind, text, payload, context_id, campaign_id, recipient_id, link)
      SELECT id, message_id, wa_id, at, kind, text, payload, context_id, campaign_id, recipient_id, link FROM inbound_replies;
    DROP TABLE inbound_replies;
    ALTER TABLE inbound_replies_new RENAME TO inbound_replies;
    CREATE INDEX inbound_replies_wa ON inbound_replies(wa_id, at) WHERE wa_id IS NOT NULL;
    CREATE INDEX inbound_replies_user ON inbound_replies(user_id, at) WHERE user_id IS NOT NULL;
    CREATE INDEX inbound_replies_recipient ON inbound_replies(recipient_id) WHERE recipient_id IS NOT NULL;
    CREATE INDEX inbound_replies_campaign ON inbound_replies(campaign_id, at) WHERE campaign_id IS NOT NULL;
    CREATE TRIGGER inbound_replies_erase AFTER DELETE ON contacts
      BEGIN
        DELETE FROM inbound_replies WHERE wa_id = substr(OLD.phone, 2)
          OR (user_id = OLD.user_id AND (OLD.phone IS NOT NULL OR wa_id IS NULL));
      END;
    CREATE INDEX campaign_recipients_user_id ON campaign_recipients(user_id) WHERE user_id IS NOT NULL;
    CREATE INDEX campaign_recipients_phone ON campaign_recipients(phone) WHERE phone IS NOT NULL;
  `,
};
