import { useCallback } from 'react';
import type { CampaignSummary } from '../../../shared/contract/campaigns';
import { useStore } from '../../store';
import { formatInZone, localZone } from './repeat';

/**
 * A campaign's own times (created, started, starts, next run) as its schedule means them — in the
 * schedule's zone, named when it is not this computer's — the way its page shows them (formatInZone),
 * so the list, the dashboard and the page never show one campaign's start at two different hours.
 */
export function useCampaignTime(schedule: Pick<CampaignSummary['schedule'], 'tz' | 'repeat'> | null | undefined): (ms: number) => string {
  const language = useStore((s) => s.language);
  // A schedule naming no zone: the computer's, as the campaign page reads it; a series' rule without
  // one runs in UTC (the core's scheduler), as its page says.
  const tz = schedule?.tz || (schedule?.repeat ? 'UTC' : localZone());
  return useCallback((ms: number) => formatInZone(language, ms, tz), [language, tz]);
}

/** When it started, or when it will: the core's start time (schedule.at is wall time in the schedule's zone, not this computer's). */
export function startOf(c: CampaignSummary): { at: number; started: boolean } | null {
  if (c.started_at && c.standing.started) return { at: c.started_at, started: true };
  if (c.standing.next === 'start' && c.standing.until) return { at: Date.parse(c.standing.until), started: false };
  return null;
}
