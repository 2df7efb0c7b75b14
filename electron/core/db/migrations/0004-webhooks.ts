import type { Migration } from './types';

/**
 * Webhook ingestion. The inbox holds each POST's raw bytes exactly as received (committed before
 * the 200), processed later and idempotently: `webhook_event_keys` remembers every event already
 * handed to the domain handlers, so duplicates and Meta's retries are skipped.
 * `webhook_message_status` is the order-independent merge of all statuses per wamid (kept even for
 * wamids no campaign knows yet); `webhook_pending_status` holds statuses no handler could match,
 * re-offered when a campaign learns the wamid. `webhook_contact_window` is the 24-hour
 * customer-service window each inbound message opens.
 */
export const migration0004: Migration = {
  version: 4,
  name: 'webhooks',
  up: `
    CREATE TABLE webhook_config (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;

    CREATE TABLE webhook_inbox (
      id              INTEGER PRIMARY KEY,
      received_at     INTEGER NOT NULL,
      source          TEXT NOT NULL CHECK (source IN ('direct', 'relay', 'test')),
      source_id       TEXT UNIQUE,
      body            BLOB NOT NULL,
      state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'processed', 'failed')),
      attempts        INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER NOT NULL DEFAULT 0,
      last_error      TEXT,
      processed_at    INTEGER
    ) STRICT;
    CREATE INDEX webhook_inbox_todo ON webhook_inbox(next_attempt_at, id) WHERE state = 'pending';

    CREATE TABLE webhook_event_keys (
      key          TEXT PRIMARY KEY,
      inbox_id     INTEGER NOT NULL,
      processed_at INTEGER NOT NULL
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE webhook_message_status (
      wamid                      TEXT PRIMARY KEY,
      status                     TEXT NOT NULL CHECK (status IN ('sent', 'delivered', 'read', 'played', 'failed')),
      phone_number_id            TEXT,
      recipient_id               TEXT,
      recipient_identity_key_hash TEXT,
      biz_opaque_callback_data   TEXT,
      sent_at                    INTEGER,
      delivered_at               INTEGER,
      read_at                    INTEGER,
      failed_at                  INTEGER,
      error_code                 INTEGER,
      error_title                TEXT,
      pricing_category           TEXT,
      pricing_type               TEXT,
      billable                   INTEGER,
      updated_at                 INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX webhook_message_status_opaque ON webhook_message_status(biz_opaque_callback_data)
      WHERE biz_opaque_callback_data IS NOT NULL;

    CREATE TABLE webhook_pending_status (
      event_key                TEXT PRIMARY KEY,
      wamid                    TEXT NOT NULL,
      biz_opaque_callback_data TEXT,
      event                    TEXT NOT NULL,
      received_at              INTEGER NOT NULL,
      offers                   INTEGER NOT NULL DEFAULT 1
    ) STRICT;
    CREATE INDEX webhook_pending_status_wamid ON webhook_pending_status(wamid);
    CREATE INDEX webhook_pending_status_opaque ON webhook_pending_status(biz_opaque_callback_data)
      WHERE biz_opaque_callback_data IS NOT NULL;

    CREATE TABLE webhook_contact_window (
      wa_id            TEXT PRIMARY KEY,
      last_inbound_at  INTEGER NOT NULL,
      last_message_id  TEXT NOT NULL,
      window_expires_at INTEGER NOT NULL
    ) STRICT;
  `,
};
