/**
 * Retention of raw webhook bodies (issue #14, item 3). The inbox keeps each POST's raw bytes so a
 * signature stays checkable and a parser fix can re-read them; once applied they hold replies,
 * profile names and numbers nobody needs after a while. Inbox rows that were applied ('processed')
 * or gave up ('failed') longer ago than `webhookRetentionDays` (settings, default 30) are deleted.
 *
 * What stays: rows not applied yet ('pending'); `webhook_event_keys` (duplicate detection; no
 * personal data), the merged statuses (`webhook_message_status`), the ledger's counts, consent
 * history and the 24-hour windows (the reports' "replied" figures read them).
 *
 * Deleted in batches (each its own short write transaction, so the webhook writer thread and the
 * sender are never held up for long); secure_delete zeroes the freed pages. Runs at start and every
 * day while a runtime runs (`startRetention`), and on demand (`retention:prune`).
 */
import type { Clock, TimerHandle } from '../clock';
import type { CoreContext } from '../context';
import type { Db } from '../db/connection';
import type { RetentionStatus } from '../../../shared/contract/privacy';
import { recordAudit } from '../audit/record';

export const DAY_MS = 86_400_000;
const LAST_RUN_KEY = 'retention.last_run';
const BATCH = 2000;

export function pruneInbox(db: Db, now: number, days: number): { deleted: number; cutoff: number } {
  const cutoff = now - days * DAY_MS;
  const pick = db.prepare(`SELECT id FROM webhook_inbox WHERE state IN ('processed', 'failed') AND coalesce(processed_at, received_at) < ? LIMIT ${BATCH}`).pluck();
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

/** One run with the current setting: prune, remember the run, audit it when something went. */
export function runRetention(ctx: CoreContext): RetentionStatus {
  const days = ctx.settings.get().webhookRetentionDays;
  const now = ctx.clock.now();
  const { deleted, cutoff } = pruneInbox(ctx.db, now, days);
  ctx.db.prepare('INSERT INTO app_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
    .run(LAST_RUN_KEY, JSON.stringify({ at: now, deleted }));
  if (deleted > 0) {
    recordAudit(ctx, { action: 'retention.pruned', actor: 'system', detail: { deleted, days, before: cutoff } });
    ctx.db.pragma('wal_checkpoint(PASSIVE)');
  }
  return retentionStatus(ctx.db, days);
}

/** At start, then every day, on the injected clock (FakeClock in tests). Returns the stop function. */
export function startRetention(ctx: CoreContext, clock: Clock = ctx.clock): () => void {
  let timer: TimerHandle | null = null;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    try {
      runRetention(ctx);
    } catch (e) {
      ctx.log.warn('retention run failed', { error: String(e) });
    }
    if (!stopped) timer = clock.setTimeout(tick, DAY_MS);
  };
  tick();
  const stop = () => {
    stopped = true;
    if (timer !== null) clock.clearTimeout(timer);
  };
  ctx.onClose(stop);
  return stop;
}
