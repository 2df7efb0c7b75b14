/**
 * Recurring campaigns in the renderer: the builder's repeat choices, their draft form, and how a
 * series is described ("Weekly on Mon and Thu at 09:00"). Next occurrences come from the same pure
 * function the core's scheduler uses (shared/campaigns/recurrence.ts).
 */
import type { TFunction } from 'i18next';
import type { CampaignRepeat, CampaignSchedule, CampaignSummary } from '../../../shared/contract/campaigns';
import { isTimeZone, nextOccurrences, parseTimeOfDay, WEEKDAYS, type Weekday } from '../../../shared/campaigns/recurrence';

export { WEEKDAYS, type Weekday };

export interface RepeatState {
  kind: 'none' | 'daily' | 'weekly';
  days: Weekday[];
  /** HH:MM */
  time: string;
  end: 'never' | 'until' | 'count';
  /** YYYY-MM-DD */
  until: string;
  count: number;
}

export const initialRepeat = (): RepeatState => ({ kind: 'none', days: ['mon'], time: '09:00', end: 'never', until: '', count: 4 });

/** The contract's repeat, or null for a one-off campaign. */
export function repeatOf(r: RepeatState): CampaignRepeat | null {
  if (r.kind === 'none') return null;
  const days = WEEKDAYS.filter((d) => r.days.includes(d));
  return {
    frequency: r.kind,
    ...(r.kind === 'weekly' ? { days } : {}),
    time: r.time,
    until: r.end === 'until' && r.until ? r.until : null,
    count: r.end === 'count' ? Math.max(1, Math.round(r.count) || 1) : null,
  };
}

/** A draft schedule with the repeat applied: a series has no start date-time; 'at' becomes 'now'. */
export function withRepeat<S extends { mode: 'now' | 'at' | 'local_window'; at?: string | null }>(
  schedule: S,
  r: RepeatState,
): S & { repeat?: CampaignRepeat | null } {
  const repeat = repeatOf(r);
  if (!repeat) return schedule;
  return { ...schedule, mode: schedule.mode === 'at' ? 'now' : schedule.mode, at: null, repeat };
}

export function repeatFromSummary(c: Pick<CampaignSummary, 'schedule'>): RepeatState {
  const base = initialRepeat();
  const r = c.schedule.repeat;
  if (!r) return base;
  return {
    kind: r.frequency,
    days: r.days?.length ? [...r.days] : base.days,
    time: r.time.padStart(5, '0'),
    end: r.count ? 'count' : r.until ? 'until' : 'never',
    until: r.until ?? '',
    count: r.count ?? base.count,
  };
}

/** Problems of the repeat choices (keys into `series.invalid.*`). */
export function repeatProblems(r: RepeatState): string[] {
  if (r.kind === 'none') return [];
  const out: string[] = [];
  if (!parseTimeOfDay(r.time)) out.push('repeatTime');
  if (r.kind === 'weekly' && r.days.length === 0) out.push('repeatDays');
  if (r.end === 'until' && !/^\d{4}-\d{2}-\d{2}$/.test(r.until)) out.push('repeatUntil');
  return out;
}

/** The next few occurrences of the choices (empty while incomplete). */
export function previewRuns(r: RepeatState, tz: string, now: number, n = 3): number[] {
  const repeat = repeatOf(r);
  if (!repeat || repeatProblems(r).length || !isTimeZone(tz)) return [];
  try {
    return nextOccurrences(repeat, tz, now, n);
  } catch {
    return [];
  }
}

/** Weekday names in the UI language (short), by key. */
export function weekdayNames(language: string): Record<Weekday, string> {
  // Hebrew and Chinese read best with the narrow names (ב׳, 一); the short ones repeat "יום" / "週".
  const f = new Intl.DateTimeFormat(language, { weekday: /^(he|zh)/.test(language) ? 'narrow' : 'short', timeZone: 'UTC' });
  // 22 Nov 2026 is a Sunday.
  return Object.fromEntries(WEEKDAYS.map((d, i) => [d, f.format(Date.UTC(2026, 10, 22 + i))])) as Record<Weekday, string>;
}

/** Weekdays in the order the UI language's week starts (Sunday for Hebrew, Monday otherwise). */
export const weekOrder = (language: string): Weekday[] => (language.startsWith('he') ? [...WEEKDAYS] : [...WEEKDAYS.slice(1), 'sun']);

/** "Weekly on Mon and Thu at 09:00 (Asia/Jerusalem) · until …" in the UI language. */
export function describeRepeat(t: TFunction<'campaigns'>, language: string, schedule: CampaignSchedule): string {
  const r = schedule.repeat;
  if (!r) return '';
  const names = weekdayNames(language);
  const list = new Intl.ListFormat(language, { style: 'long', type: 'conjunction' });
  const days = list.format(
    weekOrder(language)
      .filter((d) => r.days?.includes(d))
      .map((d) => names[d]),
  );
  const base = r.frequency === 'daily' ? t('series.daily', { time: r.time }) : t('series.weekly', { days, time: r.time });
  const parts = [`${base} (${schedule.tz ?? 'UTC'})`];
  if (r.until) {
    const [y, m, d] = r.until.split('-').map(Number) as [number, number, number];
    parts.push(
      t('series.untilDate', {
        date: new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.UTC(y, m - 1, d)),
      }),
    );
  }
  if (r.count) parts.push(t('series.times', { count: r.count }));
  return parts.join(' · ');
}

export const localZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/**
 * A series' time as the series means it: in its own zone ("Nov 23, 2026, 9:00 AM"), with the zone
 * named when it is not this computer's zone (a 09:00 Jerusalem series seen from London).
 */
export function formatInZone(language: string, ms: number, tz: string): string {
  let text: string;
  try {
    text = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short', timeZone: tz }).format(ms);
  } catch {
    return new Date(ms).toISOString();
  }
  // The zone's IANA id is an identifier: kept left-to-right as one unit (LRI … PDI) in any page direction.
  return tz === localZone() ? text : `${text} \u2066(${tz})\u2069`;
}
