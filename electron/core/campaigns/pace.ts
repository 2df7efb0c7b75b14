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
import { keepTodaysPart, paceState, setRate } from './store/pace';
import type { HandlerGroup } from '../api/handlers';
import { PacerError, notFound } from '../errors';
import type { paceMethods } from '../../../shared/contract/pace';

export { keepTodaysPart };

/** Sets a started campaign's sends per second; answers the rate now in force for it. */
export function setPace(db: Db, id: string, rate: number, now: number): { rate: number } {
  const r = paceState(db, id);
  if (!r) throw notFound(`No campaign ${id}`);
  // A running campaign with nothing left to send is finished (the standing the screens show), even
  // before the engine marks it so.
  const state = r.state === 'running' && r.pending === 0 ? 'completed' : r.state;
  if (!['running', 'paused', 'scheduled', 'draft'].includes(state))
    throw new PacerError('conflict', `Campaign ${id} is ${state}: its pace no longer matters`);
  setRate(db, id, rate, now);
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
