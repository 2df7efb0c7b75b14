/**
 * Local send windows: "only between 09:00 and 20:00 in the recipient's time zone", quiet hours,
 * and "at 2026-03-01 10:00 in Asia/Jerusalem". Uses Intl (the ICU time-zone data Node ships), so
 * DST is handled by the platform, not by us.
 *
 * A recipient's zone comes from an attribute when given (`attr.timezone`), else from the phone
 * number's country. A country with several zones (US, Brazil, Russia…) is handled conservatively:
 * a time is allowed only when it is inside the window in EVERY zone of the country; if no such time
 * exists (a country spanning more hours than the window is long) the first zone alone decides.
 */
import { isTimeZone, localParts, zoneOffset } from '../../../shared/campaigns/zones';
import ct from 'countries-and-timezones';

export interface DailyWindow {
  /** Minutes after local midnight, start inclusive, end exclusive; start > end wraps midnight. */
  start: number;
  end: number;
}

export function parseWindow(text: string): DailyWindow {
  const m = /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) throw new Error(`bad window ${JSON.stringify(text)}: use HH:MM-HH:MM`);
  const [h1, m1, h2, m2] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
  if (h1 > 24 || h2 > 24 || m1 > 59 || m2 > 59) throw new Error(`bad window ${JSON.stringify(text)}: hours 00–24, minutes 00–59`);
  const w = { start: h1 * 60 + m1, end: h2 * 60 + m2 };
  if (w.start === w.end) throw new Error(`bad window ${JSON.stringify(text)}: start equals end`);
  return w;
}

export const formatWindow = (w: DailyWindow): string => `${hhmm(w.start)}-${hhmm(w.end)}`;
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

export const isValidTimeZone = isTimeZone;
export { localParts, zoneOffset };

/**
 * "2026-03-01T10:00" (no offset) in tz → instant. Strings with Z or an offset are absolute.
 * A wall time skipped by DST moves forward by the gap.
 */
export function parseLocalDateTime(text: string, tz: string): number {
  if (/(Z|[+-]\d{2}:?\d{2})$/i.test(text.trim())) {
    const t = Date.parse(text);
    if (Number.isNaN(t)) throw new Error(`bad date-time ${JSON.stringify(text)}`);
    return t;
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text.trim());
  if (!m) throw new Error(`bad date-time ${JSON.stringify(text)}: use ISO 8601, e.g. 2026-03-01T10:00`);
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
  let t = wall - zoneOffset(wall, tz);
  t = wall - zoneOffset(t, tz);
  return t;
}

const minuteOfDay = (t: number, tz: string) => {
  const p = localParts(t, tz);
  return p.hour * 60 + p.minute;
};

const inWindow = (min: number, w: DailyWindow) => (w.start < w.end ? min >= w.start && min < w.end : min >= w.start || min < w.end);

/** Minutes from `min` until the window next opens (0 when open). */
function minutesUntilOpen(min: number, w: DailyWindow): number {
  if (inWindow(min, w)) return 0;
  return (w.start - min + 1440) % 1440;
}

export interface SendRules {
  /** Allowed daily window (local). */
  window?: DailyWindow | null;
  /** Forbidden daily period (local), e.g. 21:00-08:00. */
  quiet?: DailyWindow | null;
}

const quietAsWindow = (q: DailyWindow): DailyWindow => ({ start: q.end, end: q.start });

/** True when t is allowed in every zone. */
export function allowedAt(t: number, zones: readonly string[], rules: SendRules): boolean {
  for (const tz of zones) {
    const min = minuteOfDay(t, tz);
    if (rules.window && !inWindow(min, rules.window)) return false;
    if (rules.quiet && !inWindow(min, quietAsWindow(rules.quiet))) return false;
  }
  return true;
}

/**
 * The earliest instant ≥ t allowed by the rules in all zones (null if none within 8 days). Steps
 * to the next window opening per zone and re-checks, so DST jumps are handled by Intl.
 */
export function nextAllowedTime(t: number, zones: readonly string[], rules: SendRules): number | null {
  if (!rules.window && !rules.quiet) return t;
  let cur = t;
  const limit = t + 8 * 86_400_000;
  while (cur <= limit) {
    let wait = 0;
    for (const tz of zones) {
      const min = minuteOfDay(cur, tz);
      if (rules.window) wait = Math.max(wait, minutesUntilOpen(min, rules.window));
      if (rules.quiet) wait = Math.max(wait, minutesUntilOpen(min, quietAsWindow(rules.quiet)));
    }
    if (wait === 0) return cur;
    // Land on the start of that minute, local seconds ignored (zones have whole-minute offsets).
    cur = Math.floor(cur / 60_000) * 60_000 + wait * 60_000;
  }
  return null;
}

/** The zones to respect for a recipient: an explicit zone, else the phone country's zones. */
export function zonesFor(country: string | null, override?: string | null, fallback = 'UTC'): string[] {
  if (override && isValidTimeZone(override)) return [override];
  const zones = country ? (ct.getCountry(country)?.timezones ?? []) : [];
  const valid = zones.filter(isValidTimeZone);
  return valid.length ? valid : [fallback];
}

/** Zones for a recipient, reduced to the first zone when the country's zones share no allowed time. */
export function effectiveZones(country: string | null, override: string | null | undefined, rules: SendRules, fallback = 'UTC'): string[] {
  const zones = zonesFor(country, override, fallback);
  if (zones.length <= 1 || (!rules.window && !rules.quiet)) return zones;
  const key = `${country}|${rules.window ? formatWindow(rules.window) : ''}|${rules.quiet ? formatWindow(rules.quiet) : ''}`;
  let cached = intersectionCache.get(key);
  if (cached === undefined) {
    // Probe a day at 15-minute steps for a moment allowed in every zone.
    const base = Date.UTC(2026, 0, 15);
    cached = false;
    for (let i = 0; i < 96 && !cached; i++) cached = allowedAt(base + i * 900_000, zones, rules);
    intersectionCache.set(key, cached);
  }
  return cached ? zones : [zones[0]!];
}
const intersectionCache = new Map<string, boolean>();
