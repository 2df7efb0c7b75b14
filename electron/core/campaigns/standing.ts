/**
 * Reads what `campaignStanding` (ledger-state.ts) needs beyond the counts — the pending rows due
 * now and the first retry time — and computes where a campaign stands. The summary, the status and
 * the progress events all call this, so they carry the same answer.
 */
import type { CampaignStanding, RecipientCounts } from '../../../shared/contract/campaigns';
import type { Db } from '../db/connection';
import { campaignStanding, type LedgerTiming } from './ledger-state';
import type { CampaignRow } from './runtime';
import { isSeriesRow, startTimeOf } from './scheduler';
import { pendingTiming } from './store/ledger';

/** Pending rows due at `now` and the earliest later not-before (nothing to read without pending rows). */
export function ledgerTiming(db: Db, campaignId: string, pending: number, now: number): LedgerTiming {
  if (pending === 0) return { dueNow: 0, nextNotBefore: null };
  return pendingTiming(db, campaignId, now);
}

export function standingOf(
  db: Db,
  row: Pick<CampaignRow, 'id' | 'state' | 'schedule' | 'series_id' | 'next_run_at' | 'started_at'>,
  counts: RecipientCounts,
  rate: number,
  now: number,
): CampaignStanding {
  const start = isSeriesRow(row) ? row.next_run_at : startTimeOf(row);
  return campaignStanding({
    stored: row.state,
    counts,
    timing: ledgerTiming(db, row.id, counts.pending, now),
    startAt: start !== null && Number.isFinite(start) ? start : null,
    startedAt: row.started_at,
    rate,
  });
}
