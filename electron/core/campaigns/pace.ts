/**
 * A campaign over the 24-hour limit, and its pace while sending.
 *
 * - "Send only today's part" (`options.today_only`): at start, the ledger keeps as many pending
 *   recipients as the moving 24-hour budget allows now (the plan's `budget.available_now`, the
 *   first part of its forecast) and marks the rest `skipped` with reason `over_limit` — visible in
 *   the report and reachable later (duplicate the campaign, or retarget). Without it the campaign
 *   sends over days as the budget frees (the forecast's later windows).
 * - The pace (`options.rate`, sends per second) can be changed while a campaign runs
 *   (`campaigns:set-pace`): the sender reads each campaign's options at every refill and re-tunes
 *   its limiter; `paceChanged` makes it refill now instead of after the queued batch.
 */
import type { Db } from '../db/connection';
import type { CoreContext } from '../context';
import type { HandlerGroup } from '../api/handlers';
import { PacerError, notFound } from '../errors';
import type { paceMethods } from '../../../shared/contract/pace';

/** Keeps the first `n` pending rows (ledger order) and skips the rest as over the limit. Answers how many were skipped. */
export function keepTodaysPart(db: Db, id: string, n: number, now: number): number {
  return db.prepare(`UPDATE campaign_recipients SET state = 'skipped', skip_reason = 'over_limit', updated_at = ?
    WHERE campaign_id = ? AND state = 'pending' AND id NOT IN (SELECT id FROM campaign_recipients WHERE campaign_id = ? AND state = 'pending' ORDER BY id LIMIT ?)`)
    .run(now, id, id, Math.max(0, n)).changes;
}

/** Sets a started campaign's sends per second; answers the rate now in force for it. */
export function setPace(db: Db, id: string, rate: number, now: number): { rate: number } {
  const r = db.prepare('SELECT state FROM campaigns WHERE id = ?').get(id) as { state: string } | undefined;
  if (!r) throw notFound(`No campaign ${id}`);
  if (!['running', 'paused', 'scheduled', 'draft'].includes(r.state)) throw new PacerError('conflict', `Campaign ${id} is ${r.state}: its pace no longer matters`);
  db.prepare(`UPDATE campaigns SET options = json_set(options, '$.rate', ?), updated_at = ? WHERE id = ?`).run(rate, now, id);
  return { rate };
}

type PaceMethod = keyof typeof paceMethods;

export function paceHandlers(ctx: CoreContext, changed: (id: string) => void): HandlerGroup<PaceMethod> {
  return {
    'campaigns:set-pace': ({ id, rate }) => {
      const out = setPace(ctx.db, id, rate, ctx.clock.now());
      changed(id);
      ctx.emit('campaigns:changed', { id });
      return out;
    },
  };
}
