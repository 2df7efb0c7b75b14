/** The retention's SQL: pruning applied inbox rows in batches, and the record of the last run. */
import type { Db } from '../../db/connection';
import type { RetentionStatus } from '../../../../shared/contract/privacy';

const DAY_MS = 86_400_000;
const LAST_RUN_KEY = 'retention.last_run';
const BATCH = 2000;

export function pruneInbox(db: Db, now: number, days: number): { deleted: number; cutoff: number } {
  const cutoff = now - days * DAY_MS;
  const pick = db
    .prepare(
      `SELECT id FROM webhook_inbox WHERE state IN ('processed', 'failed') AND coalesce(processed_at, received_at) < ? LIMIT ${BATCH}`,
    )
    .pluck();
  const del = db.prepare('DELETE FROM webhook_inbox WHERE id = ?');
  let deleted = 0;
  for (;;) {
    const n = db.transaction(() => {
      const ids = pick.all(cutoff) as number[];
      for (const id of ids) del.run(id);
      return ids.length;
    })();
    deleted += n;
    if (n < BATCH) break;
  }
  return { deleted, cutoff };
}

export function retentionStatus(db: Db, days: number): RetentionStatus {
  const r = db.prepare('SELECT count(*) AS n, min(received_at) AS oldest FROM webhook_inbox').get() as { n: number; oldest: number | null };
  const last = db.prepare('SELECT value FROM app_meta WHERE key = ?').pluck().get(LAST_RUN_KEY) as string | undefined;
  return { days, inbox_rows: r.n, oldest_at: r.oldest, last_run: last ? (JSON.parse(last) as { at: number; deleted: number }) : null };
}

export function recordRetentionRun(db: Db, at: number, deleted: number): void {
  db.prepare('INSERT INTO app_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
    LAST_RUN_KEY,
    JSON.stringify({ at, deleted }),
  );
}
