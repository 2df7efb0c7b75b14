/**
 * A rate card's effective date ("2026-10-01", a calendar day) in the UI's language: never the
 * machine form on a translated screen. Formatted in UTC, since it is a day, not an instant.
 */
export function cardDate(day: string, language: string): string {
  const ms = Date.parse(`${day}T00:00:00Z`);
  if (!/^\d{4}-\d\d-\d\d$/.test(day) || Number.isNaN(ms)) return day;
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' }).format(ms);
}
