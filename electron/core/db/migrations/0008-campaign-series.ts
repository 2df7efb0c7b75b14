import type { Migration } from './types';

/**
 * Recurring campaigns. A series is a `campaigns` row whose schedule has a `repeat`; it has no send
 * ledger of its own. Each occurrence that runs is a campaign of its own (own ledger rows, counts,
 * report) pointing at its series (`series_id`, `occurrence_at` = when it was due).
 *
 * - `campaigns.next_run_at`: when an active series' next occurrence is due (NULL otherwise).
 * - `campaign_occurrences`: one row per due occurrence of a series — run ('started', with its
 *   campaign), 'skipped' (overlap / blocked) or 'missed' (Pacer was not running) with the reason.
 *   UNIQUE (series_id, due_at): an occurrence is acted on at most once.
 * - Deleting a series keeps its occurrence campaigns (they become standalone: SET NULL) and drops
 *   its occurrence records; deleting an occurrence campaign leaves its record without a campaign.
 */
export const migration0008: Migration = {
  version: 8,
  name: 'campaign-series',
  up: `
    ALTER TABLE campaigns ADD COLUMN series_id TEXT REFERENCES campaigns(id) ON DELETE SET NULL;
    ALTER TABLE campaigns ADD COLUMN occurrence_at INTEGER;
    ALTER TABLE campaigns ADD COLUMN next_run_at INTEGER;
    CREATE INDEX campaigns_series ON campaigns(series_id, occurrence_at) WHERE series_id IS NOT NULL;

    CREATE TABLE campaign_occurrences (
      id          INTEGER PRIMARY KEY,
      series_id   TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
      due_at      INTEGER NOT NULL,
      outcome     TEXT NOT NULL CHECK (outcome IN ('started', 'skipped', 'missed')),
      reason      TEXT CHECK (reason IS NULL OR reason IN ('overlap', 'blocked', 'not_running')),
      detail      TEXT,
      campaign_id TEXT REFERENCES campaigns(id) ON DELETE SET NULL,
      recorded_at INTEGER NOT NULL,
      UNIQUE (series_id, due_at),
      CHECK ((outcome = 'started') = (reason IS NULL))
    ) STRICT;
    CREATE INDEX campaign_occurrences_campaign ON campaign_occurrences(campaign_id) WHERE campaign_id IS NOT NULL;
  `,
};
