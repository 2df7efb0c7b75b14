/**
 * SQL for campaign_occurrences: what became of each due time of a recurring series (started,
 * skipped, missed), acted on at most once per (series_id, due_at).
 */
import type { Db } from '../../db/connection';
import type { CampaignState, OccurrenceRow } from '../../../../shared/contract/campaigns';

export interface OccurrenceRecord {
  due_at: number;
  outcome: string;
  reason: string | null;
  detail: string | null;
  campaign_id: string | null;
}

export interface OccurrenceJoinRow {
  due_at: number;
  outcome: OccurrenceRow['outcome'];
  reason: OccurrenceRow['reason'];
  detail: string | null;
  recorded_at: number;
  id: string | null;
  state: CampaignState | null;
  started_at: number | null;
  finished_at: number | null;
}

export function occurrenceOutcomes(db: Db, seriesId: string): Record<string, number> {
  return Object.fromEntries(
    (
      db.prepare('SELECT outcome, count(*) AS n FROM campaign_occurrences WHERE series_id = ? GROUP BY outcome').all(seriesId) as {
        outcome: string;
        n: number;
      }[]
    ).map((x) => [x.outcome, x.n]),
  ) as Record<string, number>;
}

/** Occurrences of a series that started (a run limit counts these). */
export function startedRuns(db: Db, seriesId: string): number {
  return (
    db.prepare(`SELECT count(*) AS n FROM campaign_occurrences WHERE series_id = ? AND outcome = 'started'`).get(seriesId) as { n: number }
  ).n;
}

/** Records outcomes (INSERT OR IGNORE: a due time already recorded keeps its first outcome). */
export function recordOccurrences(db: Db, seriesId: string, records: OccurrenceRecord[], now: number): void {
  const record = db.prepare(
    `INSERT OR IGNORE INTO campaign_occurrences (series_id, due_at, outcome, reason, detail, campaign_id, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const o of records) record.run(seriesId, o.due_at, o.outcome, o.reason, o.detail, o.campaign_id, now);
}

export function countOccurrences(db: Db, seriesId: string): number {
  return (db.prepare('SELECT count(*) AS n FROM campaign_occurrences WHERE series_id = ?').get(seriesId) as { n: number }).n;
}

/** The latest occurrences of a series with the campaign each started (if any). */
export function occurrencePage(db: Db, seriesId: string, limit: number): OccurrenceJoinRow[] {
  return db
    .prepare(
      `SELECT o.due_at, o.outcome, o.reason, o.detail, o.recorded_at, c.id, c.state, c.started_at, c.finished_at
      FROM campaign_occurrences o LEFT JOIN campaigns c ON c.id = o.campaign_id WHERE o.series_id = ? ORDER BY o.due_at DESC LIMIT ?`,
    )
    .all(seriesId, limit) as OccurrenceJoinRow[];
}
