/** The pace's SQL: today's part of a campaign over the 24-hour limit, and the rate option. */
import type { Db } from '../../db/connection';

/** Keeps the first `n` pending rows (ledger order) and skips the rest as over the limit. Answers how many were skipped. */
export function keepTodaysPart(db: Db, id: string, n: number, now: number): number {
  return db
    .prepare(
      `UPDATE campaign_recipients SET state = 'skipped', skip_reason = 'over_limit', updated_at = ?
    WHERE campaign_id = ? AND state = 'pending' AND id NOT IN (SELECT id FROM campaign_recipients WHERE campaign_id = ? AND state = 'pending' ORDER BY id LIMIT ?)`,
    )
    .run(now, id, id, Math.max(0, n)).changes;
}

export function paceState(db: Db, id: string): { state: string; pending: number } | undefined {
  return db
    .prepare(
      `SELECT state, (SELECT count(*) FROM campaign_recipients WHERE campaign_id = c.id AND state = 'pending') AS pending FROM campaigns c WHERE id = ?`,
    )
    .get(id) as { state: string; pending: number } | undefined;
}

export function setRate(db: Db, id: string, rate: number, now: number): void {
  db.prepare(`UPDATE campaigns SET options = json_set(options, '$.rate', ?), updated_at = ? WHERE id = ?`).run(rate, now, id);
}
