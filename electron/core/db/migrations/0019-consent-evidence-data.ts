import type { Migration } from './types';

/**
 * Consent evidence as data. `evidence` held English prose only ("file people.csv, imported
 * 2026-01-05T09:00:00.000Z by cli"), which the app showed as-is inside Hebrew and Chinese screens.
 * `evidence_data` holds the same evidence as JSON {code, params, reason?, olderThan?}
 * (shared/contract/consent-evidence.ts), which the screens translate; `evidence` keeps the English
 * rendering of it for the CLI and CSV. Rows written before have NULL here: their English text is
 * shown as written (legacy).
 *
 * consent_events is append-only (a trigger refuses UPDATE); adding a column is not an update.
 */
export const migration0019: Migration = {
  version: 19,
  name: 'consent-evidence-data',
  up: `
    ALTER TABLE consent_events ADD COLUMN evidence_data TEXT CHECK (evidence_data IS NULL OR json_valid(evidence_data));
  `,
};
