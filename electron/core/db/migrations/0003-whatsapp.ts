import type { Migration } from './types';

/**
 * WhatsApp account connection, account health and templates. No secrets here: the access token
 * and app secret live in the vault. Enum values are Meta's strings normalised by the core (unknown
 * values stored as 'UNKNOWN'), so no CHECK lists that a new Meta value would break — except for
 * Pacer's own vocabularies (mode, token state, history kinds and sources).
 */
export const migration0003: Migration = {
  version: 3,
  name: 'whatsapp',
  up: `
    -- The one connected account (a single row). Deleted on disconnect; the data below is kept.
    CREATE TABLE wa_connection (
      id                   INTEGER PRIMARY KEY CHECK (id = 1),
      mode                 TEXT NOT NULL CHECK (mode IN ('live', 'sandbox')),
      graph_url            TEXT NOT NULL,
      api_version          TEXT NOT NULL,
      waba_id              TEXT NOT NULL,
      phone_number_id      TEXT NOT NULL,
      -- Webhook verify token: shared with Meta's dashboard, not a credential for the API.
      verify_token         TEXT,
      connected_at         INTEGER NOT NULL,
      token_state          TEXT NOT NULL DEFAULT 'unchecked' CHECK (token_state IN ('valid', 'expired', 'invalid', 'unchecked')),
      token_error_code     INTEGER,
      token_error_message  TEXT,
      token_checked_at     INTEGER,
      last_refresh_at      INTEGER,
      last_template_sync_at INTEGER,
      -- JSON GraphErrorDetails of the last failed background refresh/sync, NULL after a success.
      last_error           TEXT
    ) STRICT;

    CREATE TABLE wa_wabas (
      id               TEXT PRIMARY KEY,
      name             TEXT,
      currency         TEXT,
      timezone_id      TEXT,
      business_id      TEXT,
      messaging_limit  TEXT NOT NULL DEFAULT 'UNKNOWN',
      updated_at       INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE wa_phone_numbers (
      id                    TEXT PRIMARY KEY,
      waba_id               TEXT NOT NULL REFERENCES wa_wabas(id) ON DELETE CASCADE,
      display_phone_number  TEXT NOT NULL,
      verified_name         TEXT NOT NULL DEFAULT '',
      quality_rating        TEXT NOT NULL DEFAULT 'UNKNOWN',
      messaging_limit       TEXT NOT NULL DEFAULT 'UNKNOWN',
      throughput            TEXT NOT NULL DEFAULT 'UNKNOWN',
      status                TEXT NOT NULL DEFAULT 'UNKNOWN',
      name_status           TEXT,
      account_mode          TEXT,
      updated_at            INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX wa_phone_numbers_waba ON wa_phone_numbers(waba_id);

    -- Health over time (for the chart): a row when something changed, and at least one a day.
    CREATE TABLE wa_number_snapshots (
      id               INTEGER PRIMARY KEY,
      phone_number_id  TEXT NOT NULL,
      at               INTEGER NOT NULL,
      quality_rating   TEXT NOT NULL,
      messaging_limit  TEXT NOT NULL,
      throughput       TEXT NOT NULL,
      status           TEXT NOT NULL
    ) STRICT;
    CREATE INDEX wa_number_snapshots_number_at ON wa_number_snapshots(phone_number_id, at);

    CREATE TABLE wa_portfolio_limits (
      id               INTEGER PRIMARY KEY,
      at               INTEGER NOT NULL,
      messaging_limit  TEXT NOT NULL,
      source           TEXT NOT NULL CHECK (source IN ('refresh', 'webhook'))
    ) STRICT;
    CREATE INDEX wa_portfolio_limits_at ON wa_portfolio_limits(at);

    CREATE TABLE wa_templates (
      id                 TEXT PRIMARY KEY,
      waba_id            TEXT NOT NULL,
      name               TEXT NOT NULL,
      language           TEXT NOT NULL,
      status             TEXT NOT NULL,
      category           TEXT NOT NULL,
      previous_category  TEXT,
      sub_category       TEXT,
      quality            TEXT NOT NULL DEFAULT 'UNKNOWN',
      rejected_reason    TEXT,
      parameter_format   TEXT NOT NULL DEFAULT 'POSITIONAL' CHECK (parameter_format IN ('POSITIONAL', 'NAMED')),
      components         TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(components)),
      last_changed_at    INTEGER NOT NULL,
      synced_at          INTEGER NOT NULL,
      created_at         INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX wa_templates_name_language ON wa_templates(name, language);
    CREATE INDEX wa_templates_waba ON wa_templates(waba_id);

    -- Append-only: survives the template's deletion.
    CREATE TABLE wa_template_history (
      id           INTEGER PRIMARY KEY,
      template_id  TEXT NOT NULL,
      at           INTEGER NOT NULL,
      kind         TEXT NOT NULL CHECK (kind IN ('created', 'status', 'quality', 'category', 'components', 'removed')),
      from_value   TEXT,
      to_value     TEXT,
      reason       TEXT,
      source       TEXT NOT NULL CHECK (source IN ('sync', 'webhook'))
    ) STRICT;
    CREATE INDEX wa_template_history_template_at ON wa_template_history(template_id, at);
    CREATE TRIGGER wa_template_history_no_update BEFORE UPDATE ON wa_template_history
      BEGIN SELECT RAISE(ABORT, 'wa_template_history is append-only'); END;
  `,
};
