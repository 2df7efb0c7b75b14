import type { Migration } from './types';

/**
 * Meta's click events for marketing messages (`user_actions`, action_type
 * `marketing_messages_link_click`; issue #13 §4).
 *
 * - `campaign_recipients.clicked_at` / `clicks`: the first click time and the number of clicks of
 *   the message the row sent, when the event could be tied to it (a message id in the event).
 * - `click_events`: every click event received, keyed like every webhook event (a retry is stored
 *   once), tied or not. Its presence for an account is what "this account has click data" means:
 *   Meta's click tracking is in limited availability and needs the MM API, so no event ever is not
 *   the same as 0 % clicked. No personal data: the recipient is not stored, only the ledger row.
 */
export const migration0012: Migration = {
  version: 12,
  name: 'click-events',
  up: `
    ALTER TABLE campaign_recipients ADD COLUMN clicked_at INTEGER;
    ALTER TABLE campaign_recipients ADD COLUMN clicks INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE click_events (
      event_key       TEXT PRIMARY KEY,
      waba_id         TEXT NOT NULL,
      phone_number_id TEXT,
      at              INTEGER NOT NULL,
      action_type     TEXT NOT NULL,
      component       TEXT,
      click_id        TEXT,
      product_id      TEXT,
      wamid           TEXT,
      row_id          INTEGER,
      received_at     INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX click_events_waba ON click_events(waba_id, at);
  `,
};
