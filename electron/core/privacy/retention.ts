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
import type { RetentionStatus } from '../../../shared/contract/privacy';
import { pruneInbox, recordRetentionRun, retentionStatus } from './store/retention';

export { pruneInbox, retentionStatus };

export const DAY_MS = 86_400_000;

/** How a run that deleted something is recorded (the audit trail; passed in so privacy/ does not depend on audit/). */
export type PrunedNote = (detail: { deleted: number; days: number; before: number }) => void;

/** One run with the current setting: prune, remember the run, note it when something went. */
export function runRetention(ctx: CoreContext, onPruned: PrunedNote = () => {}): RetentionStatus {
  const days = ctx.settings.get().webhookRetentionDays;
  const now = ctx.clock.now();
  const { deleted, cutoff } = pruneInbox(ctx.db, now, days);
  recordRetentionRun(ctx.db, now, deleted);
  if (deleted > 0) {
    onPruned({ deleted, days, before: cutoff });
    ctx.db.pragma('wal_checkpoint(PASSIVE)');
  }
  return retentionStatus(ctx.db, days);
}

/** At start, then every day, on the injected clock (FakeClock in tests). Returns the stop function. */
export function startRetention(ctx: CoreContext, onPruned: PrunedNote = () => {}, clock: Clock = ctx.clock): () => void {
  let timer: TimerHandle | null = null;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    try {
      runRetention(ctx, onPruned);
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
