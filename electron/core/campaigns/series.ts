/**
 * Recurring series at run time: when the scheduler finds a series due, each due time is acted on
 * exactly once — the latest runs as a new occurrence campaign (planned and snapshotted now), older
 * ones are recorded as missed, an overlapping or blocked one as skipped. Also the occurrence list.
 */
import crypto from 'node:crypto';
import type { CampaignSchedule, OccurrenceRow } from '../../../shared/contract/campaigns';
import { nextOccurrence } from '../../../shared/campaigns/recurrence';
import { refreshHeaderMedia } from './media';
import type { CampaignRow } from './runtime';
import { columnsOf, draftOf, type Draft } from './definitions';
import { event } from './events';
import { materialize } from './materialize';
import { computePlan } from './planning';
import { counts, row, sum } from './reads';
import { finishSeries, nextRunOf, openOccurrence } from './series-runs';
import type { CampaignsScope } from './scope';
import type { OccurrenceRecord } from './store';

/**
 * A series occurrence found due later than this (Pacer was not running, the machine slept) still
 * runs — once, the latest one only; older ones are recorded as missed ('not_running').
 */
export const SERIES_GRACE_MS = 6 * 3_600_000;

/** Called by the scheduler when a series' next occurrence is due (never twice at once per series). */
export async function runSeries(s: CampaignsScope, id: string): Promise<void> {
  if (s.seriesInFlight.has(id)) return;
  s.seriesInFlight.add(id);
  try {
    await runSeriesOnce(s, id);
  } catch (e) {
    s.ctx.log.error('series occurrence failed', { id, error: String(e) });
  } finally {
    s.seriesInFlight.delete(id);
  }
}

/**
 * Every occurrence due by now is acted on exactly once (UNIQUE (series_id, due_at)): the latest
 * runs if it is within SERIES_GRACE_MS and the previous occurrence has finished; older ones (Pacer
 * was not running) are recorded as missed. Then the next due time is set, or the series completes.
 */
async function runSeriesOnce(s: CampaignsScope, id: string): Promise<void> {
  const r = row(s, id);
  const start = s.ctx.clock.now();
  if (r.state !== 'scheduled' || r.next_run_at === null || r.next_run_at > start) return;
  const schedule = JSON.parse(r.schedule) as CampaignSchedule;
  const rep = schedule.repeat;
  if (!rep) return;
  const tz = schedule.tz ?? 'UTC';
  const due = [r.next_run_at];
  for (let t = nextOccurrence(rep, tz, r.next_run_at); t !== null && t <= start && due.length < 1000; t = nextOccurrence(rep, tz, t))
    due.push(t);
  const latest = due.pop()!;
  const late = start - latest > SERIES_GRACE_MS;
  const runnable = !late && !openOccurrence(s, id);
  if (runnable) {
    // An uploaded header media id 23+ days old is uploaded again first, as a manual start does (media.ts).
    try {
      await refreshHeaderMedia(s.ctx, s.mediaAccount, id);
    } catch (e) {
      s.ctx.log.warn('series: header media not uploaded again', { id, error: String(e) });
    }
  }
  const d = occurrenceDraft(row(s, id));
  // Plan the occurrence from the series' definition now (audience, consent, frequency cap as usual).
  const planned = runnable ? await computePlan(s, d, null) : null;
  const cur = row(s, id);
  if (cur.state !== 'scheduled' || cur.next_run_at !== r.next_run_at) return; // paused, cancelled or edited meanwhile
  const now = s.ctx.clock.now();
  const record = (o: OccurrenceRecord) => s.campaigns.recordOccurrences(id, [o], now);
  const iso = (t: number) => new Date(t).toISOString();
  let occurrenceId: string | null = null;
  let outcome: { outcome: string; reason: string | null; detail: string | null } = { outcome: 'started', reason: null, detail: null };
  s.campaigns.transaction(() => {
    s.campaigns.recordOccurrences(
      id,
      due.map((t) => ({
        due_at: t,
        outcome: 'missed',
        reason: 'not_running',
        detail: `due ${iso(t)} while Pacer was not running; only the latest missed occurrence is caught up`,
        campaign_id: null,
      })),
      now,
    );
    const open = openOccurrence(s, id);
    if (late)
      outcome = {
        outcome: 'missed',
        reason: 'not_running',
        detail: `due ${iso(latest)} while Pacer was not running; more than ${SERIES_GRACE_MS / 3_600_000} h ago when it started`,
      };
    else if (open)
      outcome = { outcome: 'skipped', reason: 'overlap', detail: `the previous occurrence (${open.id}) is still ${open.state}` };
    else if (!planned?.result || planned.plan.blockers.length)
      outcome = {
        outcome: 'skipped',
        reason: 'blocked',
        detail: planned?.plan.blockers.map((b) => b.message).join('; ') || 'could not be planned',
      };
    if (outcome.outcome !== 'started') {
      record({ due_at: latest, ...outcome, campaign_id: null });
    } else {
      occurrenceId = `cmp_${crypto.randomBytes(6).toString('hex')}`;
      s.campaigns.insertOccurrence(occurrenceId, columnsOf(d, planned!.plan.template.category), now, id, latest);
      materialize(s, row(s, occurrenceId), d, planned!.plan, planned!.result!, now);
      record({ due_at: latest, outcome: 'started', reason: null, detail: null, campaign_id: occurrenceId });
    }
    const next = nextRunOf(s, id, schedule, Math.max(latest, now));
    if (next === null) finishSeries(s, id, now);
    else s.campaigns.setNextRun(id, next, now);
  });
  event(s, id, 'occurrence', { due_at: latest, ...outcome, campaign_id: occurrenceId, missed_before: due.length });
  if (occurrenceId) {
    const occ: string = occurrenceId;
    s.exclusions.set(occ, planned!.result!.exclusions);
    event(s, occ, 'started', {
      series_id: id,
      due_at: latest,
      eligible: planned!.plan.eligible,
      excluded: planned!.plan.excluded,
      forecast: planned!.plan.forecast,
      finish_estimate: planned!.plan.finish_estimate,
    });
    s.scheduler?.resetBaseline(occ);
    s.sender?.wake();
    s.ctx.emit('campaigns:changed', { id: occ });
  } else if (outcome.outcome === 'skipped') {
    s.ctx.log.warn('series occurrence skipped', { id, reason: outcome.reason, detail: outcome.detail });
  }
  s.ctx.emit('campaigns:changed', { id });
}

/** What each occurrence runs: the series' definition, sent at once (or in the local window), no repeat. */
function occurrenceDraft(r: CampaignRow): Draft {
  const d = draftOf(r);
  return { ...d, schedule: { ...d.schedule, repeat: null, at: null, mode: d.schedule.mode === 'local_window' ? 'local_window' : 'now' } };
}

export function occurrences(s: CampaignsScope, id: string, limit: number): { rows: OccurrenceRow[]; total: number } {
  row(s, id);
  const total = s.campaigns.countOccurrences(id);
  const rows = s.campaigns.occurrencePage(id, limit);
  return {
    total,
    rows: rows.map((o) => {
      const c = o.id ? counts(s, o.id) : null;
      return {
        due_at: o.due_at,
        outcome: o.outcome,
        reason: o.reason,
        detail: o.detail,
        recorded_at: o.recorded_at,
        campaign:
          o.id && c ? { id: o.id, state: o.state!, counts: c, total: sum(c), started_at: o.started_at, finished_at: o.finished_at } : null,
      };
    }),
  };
}
