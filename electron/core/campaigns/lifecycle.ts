/**
 * A campaign's life after its definition: start (snapshot into the ledger, or wait for a series'
 * first occurrence), pause (by the user or automatically, with a reason), resume, cancel, complete,
 * reopen (a retry after completion) and explicit resend of failed or uncertain rows.
 */
import { PacerError } from '../errors';
import type { CampaignPlan, CampaignSchedule, CampaignState, CampaignSummary, PauseReason } from '../../../shared/contract/campaigns';
import type { CampaignRow } from './runtime';
import { isSeriesRow, startTimeOf } from './scheduler';
import { draftOf, type Draft } from './definitions';
import { event } from './events';
import { materialize } from './materialize';
import { computePlan } from './planning';
import { counts, get, row } from './reads';
import { finishSeries, nextRunOf, openOccurrence } from './series-runs';
import type { CampaignsScope } from './scope';

/** Snapshots the eligible audience into the ledger (excluded contacts as skipped rows) and starts. */
export async function start(s: CampaignsScope, id: string): Promise<CampaignSummary> {
  const r = row(s, id);
  if (r.state !== 'draft')
    throw new PacerError(
      'conflict',
      `Campaign ${id} is ${r.state}: only a draft can be started${r.state === 'paused' ? ' (use resume)' : ''}`,
    );
  const d = draftOf(r);
  const { plan, result } = await computePlan(s, d, id);
  if (isSeriesRow(r)) return startSeries(s, r, d, plan);
  if (plan.blockers.length || !result)
    throw new PacerError('conflict', `Campaign ${id} cannot start: ${plan.blockers.map((b) => b.message).join('; ')}`, {
      blockers: plan.blockers,
    });
  s.campaigns.transaction(() => materialize(s, r, d, plan, result, s.ctx.clock.now()));
  s.exclusions.set(id, result.exclusions);
  event(s, id, 'started', {
    eligible: plan.eligible,
    excluded: plan.excluded,
    forecast: plan.forecast,
    finish_estimate: plan.finish_estimate,
  });
  s.scheduler?.resetBaseline(id);
  s.sender?.wake();
  s.ctx.emit('campaigns:changed', { id });
  return get(s, id);
}

/** Starting a series: nothing is sent now; it waits for its first occurrence. */
function startSeries(s: CampaignsScope, r: CampaignRow, d: Draft, plan: CampaignPlan): CampaignSummary {
  // Nobody eligible today may change by the first occurrence; everything else must be right now.
  const blockers = plan.blockers.filter((b) => b.code !== 'nobody_eligible');
  if (blockers.length)
    throw new PacerError('conflict', `Campaign ${r.id} cannot start: ${blockers.map((b) => b.message).join('; ')}`, { blockers });
  const now = s.ctx.clock.now();
  const next = nextRunOf(s, r.id, d.schedule, now);
  if (next === null) throw new PacerError('conflict', `Campaign ${r.id} cannot start: its repeat ends before its first occurrence`);
  s.campaigns.markSeriesStarted(r.id, plan.template.category, next, now);
  event(s, r.id, 'started', { series: true, next_run_at: next });
  s.ctx.emit('campaigns:changed', { id: r.id });
  return get(s, r.id);
}

export function setState(
  s: CampaignsScope,
  id: string,
  state: CampaignState,
  ev: { kind: string; detail?: Record<string, unknown> },
): void {
  s.campaigns.setState(id, state, s.ctx.clock.now());
  event(s, id, ev.kind, ev.detail ?? {});
  s.sender?.wake();
  s.ctx.emit('campaigns:changed', { id });
  s.touch(id);
}

export function pause(s: CampaignsScope, id: string): CampaignSummary {
  const r = row(s, id);
  if (r.state !== 'running' && r.state !== 'scheduled')
    throw new PacerError('conflict', `Campaign ${id} is ${r.state}: only a running or scheduled campaign can be paused`);
  if (isSeriesRow(r)) {
    // No further occurrences; an occurrence that is sending pauses too (resume resumes both).
    const open = openOccurrence(s, id);
    if (open && open.state !== 'paused') pause(s, open.id);
  }
  s.campaigns.pauseByUser(id, s.ctx.clock.now());
  s.sender?.forget(id);
  event(s, id, 'paused', { reason: 'user' });
  s.ctx.emit('campaigns:changed', { id });
  return get(s, id);
}

/** Automatic pause with a reason (null id: every running campaign — the account cannot send). */
export function autoPause(s: CampaignsScope, id: string | null, reason: PauseReason, detail: string, autoResume: boolean): void {
  const ids = id === null ? s.campaigns.runningCampaignIds() : [id];
  for (const cid of ids) {
    const changed = s.campaigns.pauseRunning(cid, reason, detail, autoResume, s.ctx.clock.now());
    if (!changed) continue;
    s.sender?.forget(cid);
    event(s, cid, 'paused', { reason, detail, auto_resume: autoResume });
    s.ctx.log.warn('campaign paused', { id: cid, reason, detail });
    const name = s.campaigns.campaignName(cid);
    s.ctx.emit('campaigns:alert', {
      id: cid,
      name,
      kind: reason === 'account_halted' ? 'account_halted' : 'paused',
      reason,
      detail,
      at: s.ctx.clock.now(),
    });
    s.ctx.emit('campaigns:changed', { id: cid });
  }
}

export function resume(s: CampaignsScope, id: string): CampaignSummary {
  resumeInternal(s, id, false);
  return get(s, id);
}

export function resumeInternal(s: CampaignsScope, id: string, automatic: boolean): void {
  const r = row(s, id);
  if (r.state !== 'paused') throw new PacerError('conflict', `Campaign ${id} is ${r.state}: only a paused campaign can be resumed`);
  if (isSeriesRow(r)) return resumeSeries(s, r);
  // Resuming into an account that cannot send would only fire requests into the same refusal.
  const blocker = s.ports.account.sendBlocker();
  if (blocker && !automatic) {
    throw new PacerError('unavailable', `The account cannot send: ${blocker}. Fix it on the Account page, then resume.`, {
      reason: 'account_blocked',
      blocker,
    });
  }
  const state: CampaignState = startTimeOf(r) > s.ctx.clock.now() ? 'scheduled' : 'running';
  s.campaigns.markResumed(id, state, s.ctx.clock.now());
  s.scheduler?.resetBaseline(id);
  event(s, id, 'resumed', { automatic, after: r.pause_reason });
  if (automatic)
    s.ctx.emit('campaigns:alert', {
      id,
      name: r.name,
      kind: 'resumed',
      reason: r.pause_reason,
      detail: 'sending resumed automatically',
      at: s.ctx.clock.now(),
    });
  s.sender?.wake();
  s.ctx.emit('campaigns:changed', { id });
}

/** Occurrences due while paused are not run; the next one is the first after now. */
function resumeSeries(s: CampaignsScope, r: CampaignRow): void {
  const now = s.ctx.clock.now();
  const open = openOccurrence(s, r.id);
  if (open?.state === 'paused' && open.pause_reason === 'user') resumeInternal(s, open.id, false);
  const next = nextRunOf(s, r.id, JSON.parse(r.schedule) as CampaignSchedule, now);
  s.campaigns.markSeriesResumed(r.id, next, now);
  event(s, r.id, 'resumed', { automatic: false, next_run_at: next });
  if (next === null) finishSeries(s, r.id, now);
  s.ctx.emit('campaigns:changed', { id: r.id });
}

export function cancel(s: CampaignsScope, id: string): CampaignSummary {
  const r = row(s, id);
  if (r.state === 'completed' || r.state === 'cancelled') throw new PacerError('conflict', `Campaign ${id} is already ${r.state}`);
  if (isSeriesRow(r)) {
    // Cancelling a series stops everything: no further occurrences, and the unfinished one is cancelled.
    const open = openOccurrence(s, id);
    if (open) cancel(s, open.id);
    s.campaigns.clearNextRun(id);
  }
  const now = s.ctx.clock.now();
  s.campaigns.transaction(() => {
    s.campaigns.markCancelled(id, now);
    s.ledger.skipPending(id, 'cancelled', now);
  });
  s.sender?.forget(id);
  event(s, id, 'cancelled', {});
  s.ctx.emit('campaigns:changed', { id });
  s.touch(id);
  return get(s, id);
}

export function complete(s: CampaignsScope, id: string): void {
  const now = s.ctx.clock.now();
  const changed = s.campaigns.completeRunning(id, now);
  if (!changed) return;
  const c = counts(s, id);
  event(s, id, 'completed', { counts: c });
  const name = s.campaigns.campaignName(id);
  s.ctx.emit('campaigns:alert', {
    id,
    name,
    kind: 'completed',
    reason: null,
    detail: c.uncertain ? `${c.uncertain} recipient(s) uncertain: review and resend explicitly if wanted` : null,
    at: now,
  });
  s.ctx.emit('campaigns:changed', { id });
  s.touch(id);
}

/**
 * A completed campaign has a row waiting again (a 131049 answered after the campaign finished is
 * retried after 24 h): it is running again, waiting for that retry, so the campaign, its report
 * and `campaign status` agree with the ledger. The scheduler completes it once the retry is done.
 */
export function reopen(s: CampaignsScope, id: string, notBefore: number): void {
  const now = s.ctx.clock.now();
  const changed = s.campaigns.reopenCompleted(id, now);
  if (!changed) return;
  event(s, id, 'reopened', { reason: 'retry_131049', not_before: notBefore });
  s.sender?.wake();
  s.ctx.emit('campaigns:changed', { id });
}

/** Explicit resend of failed rows whose failure can succeed on a new try (shared/campaigns/resend.ts), or of uncertain rows. */
export function resend(
  s: CampaignsScope,
  id: string,
  which: 'failed' | 'uncertain',
): { requeued: number; not_retryable: number; campaign: CampaignSummary } {
  const r = row(s, id);
  if (r.state === 'draft' || r.state === 'cancelled') throw new PacerError('conflict', `Campaign ${id} is ${r.state}: nothing to resend`);
  const now = s.ctx.clock.now();
  let requeued = 0;
  s.campaigns.transaction(() => {
    requeued = s.ledger.requeue(id, which, now);
    if (requeued && r.state === 'completed') s.campaigns.setRunningAgain(id, now);
  });
  event(s, id, 'resend', { which, requeued });
  s.sender?.wake();
  s.ctx.emit('campaigns:changed', { id });
  const left = which === 'failed' ? counts(s, id).failed : 0;
  return { requeued, not_retryable: left, campaign: get(s, id) };
}
