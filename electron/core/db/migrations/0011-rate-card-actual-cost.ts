import type { Migration } from './types';

/**
 * Rate card provenance and the actual cost of each message (issue #13 §3).
 *
 * - `rate_card_info`: which card the rates in `rate_card` are — Meta's card shipped with Pacer, one
 *   imported from Meta's CSV, or the user's own — with its effective date and source. One row.
 *   `rate_card.edited` marks a rate the user changed by hand after the card was loaded.
 * - `campaigns.cost_card`: the card (JSON of rate_card_info + edited count) the start-time estimate used.
 * - Per ledger row, the estimate taken at start (`est_*`: category and rate in force then) and the
 *   `pricing` object of its status webhook as Meta sent it (`pricing_*`), with the rate it was
 *   charged at (`cost_rate`, 0 when Meta said free; NULL when the card had no rate). The actual
 *   cost of a campaign is then a sum over its rows, and each difference from the estimate has a row
 *   and a reason.
 */
export const migration0011: Migration = {
  version: 11,
  name: 'rate-card-actual-cost',
  up: `
    CREATE TABLE rate_card_info (
      id             INTEGER PRIMARY KEY CHECK (id = 1),
      card_id        TEXT NOT NULL,
      effective_from TEXT,
      source         TEXT NOT NULL,
      origin         TEXT NOT NULL CHECK (origin IN ('shipped', 'imported', 'user')),
      updated_at     INTEGER NOT NULL
    ) STRICT;
    ALTER TABLE rate_card ADD COLUMN edited INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE campaigns ADD COLUMN cost_card TEXT;
    ALTER TABLE campaign_recipients ADD COLUMN est_category TEXT;
    ALTER TABLE campaign_recipients ADD COLUMN est_rate REAL;
    ALTER TABLE campaign_recipients ADD COLUMN est_currency TEXT;
    ALTER TABLE campaign_recipients ADD COLUMN pricing_billable INTEGER;
    ALTER TABLE campaign_recipients ADD COLUMN pricing_model TEXT;
    ALTER TABLE campaign_recipients ADD COLUMN pricing_category TEXT;
    ALTER TABLE campaign_recipients ADD COLUMN pricing_type TEXT;
    ALTER TABLE campaign_recipients ADD COLUMN priced_at INTEGER;
    ALTER TABLE campaign_recipients ADD COLUMN cost_rate REAL;
    ALTER TABLE campaign_recipients ADD COLUMN cost_currency TEXT;
  `,
};
