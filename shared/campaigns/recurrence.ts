/**
 * Recurring campaigns: when the next occurrence of "daily at 09:00" or "weekly on Mon and Thu at
 * 09:00" in a time zone falls. Pure (used by the core's scheduler and the builder's preview).
 *
 * Time-zone arithmetic is done by Intl (the ICU zone data Node and Chromium ship), the same tool
 * the core's send windows use (electron/core/campaigns/send-window.ts) — no hand-written DST rules.
 *
 * DST rules, the usual ones of cron-like schedulers:
 * - a wall time that does not exist that day (the spring-forward gap, e.g. 02:30 in Jerusalem on
 *   the last Friday of March) runs after the gap by the same amount (03:30 local, the same instant
 *   as "02:30 on the old offset");
 * - a wall time that happens twice (the autumn fall-back hour, e.g. 01:30 in London on the last
 *   Sunday of October) runs once, at its first occurrence (the summer-time one).
 */

import { isTimeZone, localParts, zoneOffset } from './zones';
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface RepeatRule {
  frequency: 'daily' | 'weekly';
  /** Weekly: the weekdays it runs on (at least one). Ignored for daily. */
  days?: readonly Weekday[] | null;
  /** Local time of day, HH:MM (24 h). */
  time: string;
  /** Last local date (YYYY-MM-DD, inclusive) an occurrence may fall on. */
  until?: string | null;
}

export { isTimeZone };

export function parseTimeOfDay(text: string): { hour: number; minute: number } | null {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  return m ? { hour: Number(m[1]), minute: Number(m[2]) } : null;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The local calendar date of instant t in tz, YYYY-MM-DD. */
export function localDate(t: number, tz: string): string {
  const p = localParts(t, tz);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/**
 * The instant of a local date + time in tz. Of two instants with that wall time (fall-back) the
 * earlier; a wall time in a gap (spring-forward) maps to the instant it names on the old offset,
 * i.e. that much after the gap.
 */
export function zonedInstant(y: number, m: number, d: number, hour: number, minute: number, tz: string): number {
  const wall = Date.UTC(y, m - 1, d, hour, minute);
  // The true instant lies within ±14 h of `wall`; zone transitions are never closer than that, so
  // the offsets 14 h either side are the (at most two) offsets in force around it.
  const before = zoneOffset(wall - 14 * 3_600_000, tz);
  const after = zoneOffset(wall + 14 * 3_600_000, tz);
  const candidates = [...new Set([wall - before, wall - after])].sort((a, b) => a - b);
  for (const t of candidates) {
    const p = localParts(t, tz);
    if (p.year === y && p.month === m && p.day === d && p.hour === hour && p.minute === minute) return t;
  }
  // In the gap: the wall time read on the offset in force before it.
  return wall - before;
}

/** The next occurrence strictly after `after` (ms), or null when the rule has ended (until). */
export function nextOccurrence(rule: RepeatRule, tz: string, after: number): number | null {
  const tod = parseTimeOfDay(rule.time);
  if (!tod) throw new Error(`bad time ${JSON.stringify(rule.time)}: use HH:MM`);
  const days = rule.frequency === 'daily' ? null : new Set((rule.days ?? []).map((d) => WEEKDAYS.indexOf(d)));
  if (days && (days.size === 0 || days.has(-1))) throw new Error('a weekly repeat needs at least one weekday (sun…sat)');
  // Start one local day early: a gap-shifted time can land on the next local day.
  const p = localParts(after, tz);
  for (let i = -1; i <= 8; i++) {
    const date = new Date(Date.UTC(p.year, p.month - 1, p.day + i));
    const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    if (days && !days.has(date.getUTCDay())) continue;
    if (rule.until && `${y}-${pad(m)}-${pad(d)}` > rule.until) return null;
    const t = zonedInstant(y, m, d, tod.hour, tod.minute, tz);
    if (t > after) return t;
  }
  return null;
}

/** The next `n` occurrences after `after` (fewer when the rule ends). */
export function nextOccurrences(rule: RepeatRule, tz: string, after: number, n: number): number[] {
  const out: number[] = [];
  let t: number | null = after;
  while (out.length < n && (t = nextOccurrence(rule, tz, t)) !== null) out.push(t);
  return out;
}
