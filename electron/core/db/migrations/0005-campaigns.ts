import type { Migration } from './types';

/**
 * Campaigns: definitions, the durable send ledger, the portfolio messaging ledger, events, the
 * rate card.
 *
 * - `campaign_recipients` IS the send ledger: one row per (campaign, recipient), unique, with the
 *   one-way state machine of electron/core/campaigns/ledger-state.ts. A row is set to 'sending'
 *   and committed before its HTTP call; its id travels as biz_opaque_callback_data.
 * - Erasure (`contacts delete`): the contact FK is SET NULL and a trigger then clears the row's
 *   personal data (phone, resolved parameter values), so a campaign's anonymous counts stay right
 *   while nothing identifies the person. `phone_hash` (a keyed HMAC, key in app_meta) stays: it
 *   keeps the row unique and lets the 24-hour budget count a recipient once.
 * - `messaging_log` records who was messaged when — every campaign, every number, test sends —
 *   for the moving-24-hour unique-recipient budget and the frequency cap. Keyed by phone_hash only.
 */
export const migration0005: Migration = {
  version: 5,
  name: 'campaigns',
  up: `
    CREATE TABLE campaigns (
      id                TEXT PRIMARY KEY,
      name              TEXT NOT NULL,
      state             TEXT NOT NULL CHECK (state IN ('draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled')),
      template_name     TEXT NOT NULL,
      template_language TEXT NOT NULL,
      template_category TEXT,
      audience          TEXT NOT NULL,
      params            TEXT NOT NULL DEFAULT '{}',
      header_media      TEXT,
      phone_number_id   TEXT,
      schedule          TEXT NOT NULL DEFAULT '{}',
      options           TEXT NOT NULL DEFAULT '{}',
      pause_reason      TEXT,
      pause_detail      TEXT,
      auto_resume       INTEGER NOT NULL DEFAULT 0 CHECK (auto_resume IN (0, 1)),
      duplicated_from   TEXT,
      created_at        INTEGER NOT NULL,
      updated_at        INTEGER NOT NULL,
      started_at        INTEGER,
      finished_at       INTEGER,
      materialized_at   INTEGER
    ) STRICT;
    CREATE INDEX campaigns_state ON campaigns(state, updated_at);

    CREATE TABLE campaign_recipients (
      id           INTEGER PRIMARY KEY,
      campaign_id  TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
      contact_id   INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
      phone        TEXT,
      phone_hash   TEXT NOT NULL,
      country      TEXT,
      tz           TEXT,
      params       TEXT,
      state        TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'accepted', 'sent', 'delivered', 'read', 'failed', 'skipped', 'uncertain')),
      skip_reason  TEXT,
      wamid        TEXT,
      error_code   INTEGER,
      error_detail TEXT,
      error_class  TEXT,
      attempts     INTEGER NOT NULL DEFAULT 0,
      retries_24h  INTEGER NOT NULL DEFAULT 0,
      not_before   INTEGER,
      claimed_at   INTEGER,
      accepted_at  INTEGER,
      sent_at      INTEGER,
      delivered_at INTEGER,
      read_at      INTEGER,
      failed_at    INTEGER,
      billable     INTEGER,
      updated_at   INTEGER NOT NULL,
      UNIQUE (campaign_id, phone_hash)
    ) STRICT;
    CREATE INDEX campaign_recipients_work ON campaign_recipients(campaign_id, state, not_before, id);
    CREATE UNIQUE INDEX campaign_recipients_wamid ON campaign_recipients(wamid) WHERE wamid IS NOT NULL;
    CREATE INDEX campaign_recipients_contact ON campaign_recipients(contact_id) WHERE contact_id IS NOT NULL;
    CREATE TRIGGER campaign_recipients_erase AFTER UPDATE OF contact_id ON campaign_recipients
      WHEN NEW.contact_id IS NULL AND OLD.contact_id IS NOT NULL
      BEGIN UPDATE campaign_recipients SET phone = NULL, params = NULL, tz = NULL WHERE id = NEW.id; END;

    CREATE TABLE messaging_log (
      id              INTEGER PRIMARY KEY,
      phone_hash      TEXT NOT NULL,
      at              INTEGER NOT NULL,
      category        TEXT,
      phone_number_id TEXT,
      campaign_id     TEXT,
      recipient_id    INTEGER
    ) STRICT;
    CREATE INDEX messaging_log_at ON messaging_log(at);
    CREATE INDEX messaging_log_hash ON messaging_log(phone_hash, at);

    CREATE TABLE campaign_events (
      id          INTEGER PRIMARY KEY,
      campaign_id TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
      at          INTEGER NOT NULL,
      kind        TEXT NOT NULL,
      detail      TEXT NOT NULL DEFAULT '{}'
    ) STRICT;
    CREATE INDEX campaign_events_campaign ON campaign_events(campaign_id, id);

    CREATE TABLE rate_card (
      category   TEXT NOT NULL,
      country    TEXT NOT NULL,
      price      REAL NOT NULL CHECK (price >= 0),
      currency   TEXT NOT NULL,
      updated_at INTEGER NOT NULL,
      PRIMARY KEY (category, country)
    ) STRICT, WITHOUT ROWID;
  `,
};
