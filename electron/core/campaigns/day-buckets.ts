/**
 * Calendar days in a time zone for per-day figures. SQLite knows only UTC, so the SQL groups sends
 * by quarter hour (every zone's offset is a whole number of quarter hours: +05:30, +05:45…) and
 * each quarter is put in its day here — a marketer in Taipei sees a message sent at 07:00 their
 * time on that day, not on the UTC day before.
 */
export const QUARTER_MS = 15 * 60_000;

/** Sums quarter-hour rows (`q`: ms since the epoch / QUARTER_MS) into days of `tz`, in day order. */
export function foldQuartersIntoDays<K extends string>(
  rows: readonly ({ q: number } & Record<K, number>)[],
  keys: readonly K[],
  tz: string,
): ({ day: string } & Record<K, number>)[] {
  // en-CA writes dates as YYYY-MM-DD.
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
  const days = new Map<string, { day: string } & Record<K, number>>();
  for (const r of rows) {
    const day = fmt.format(r.q * QUARTER_MS);
    let d = days.get(day);
    if (!d) {
      d = { day, ...Object.fromEntries(keys.map((k) => [k, 0])) } as { day: string } & Record<K, number>;
      days.set(day, d);
    }
    for (const k of keys) (d as Record<K, number>)[k] += r[k] ?? 0;
  }
  return [...days.values()].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
}
