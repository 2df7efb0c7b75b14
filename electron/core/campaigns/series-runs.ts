/**
 * When a recurring series runs: its next due time, the runs left under a run limit, its open
 * occurrence, and finishing it once it has no next run. Shared by definitions, planning, lifecycle
 * and series.ts.
 */
import type { CampaignSchedule } from '../../../shared/contract/campaigns';
import { nextOccurrence, nextOccurrences } from '../../../shared/campaigns/recurrence';
import { event } from './events';
import type { CampaignRow } from './runtime';
import type { CampaignsScope } from './scope';

/** The next due time of a series after `after`, or null when it has ended (until / count reached). */
export function nextRunOf(s: CampaignsScope, id: string, schedule: CampaignSchedule, after: number): number | null {
  const rep = schedule.repeat;
  if (!rep) return null;
  if (rep.count && runsOf(s, id) >= rep.count) return null;
  return nextOccurrence(rep, schedule.tz ?? 'UTC', after);
}

export function runsOf(s: CampaignsScope, seriesId: string): number {
  return s.campaigns.startedRuns(seriesId);
}

/** Up to `n` next occurrences of a series after `now`; a run limit counts the occurrences already run. */
export function upcomingRuns(s: CampaignsScope, seriesId: string | null, schedule: CampaignSchedule, now: number, n: number): number[] {
  const count = schedule.repeat?.count;
  const left = count ? Math.max(0, count - (seriesId ? runsOf(s, seriesId) : 0)) : n;
  return safeNextRuns(schedule, now, Math.min(n, left));
}

export function finishSeries(s: CampaignsScope, id: string, now: number): void {
  const changed = s.campaigns.completeSeries(id, now);
  if (changed) event(s, id, 'completed', { series: true });
}

/** The unfinished occurrence of a series (at most one: occurrences never overlap). */
export function openOccurrence(s: CampaignsScope, seriesId: string): CampaignRow | null {
  return s.campaigns.openOccurrence(seriesId) ?? null;
}

const safeNextRuns = (sc: CampaignSchedule, now: number, n: number) => {
  try {
    return sc.repeat ? nextOccurrences(sc.repeat, sc.tz ?? 'UTC', now, n) : [];
  } catch {
    return [];
  }
};
