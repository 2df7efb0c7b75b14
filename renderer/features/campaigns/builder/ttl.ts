/**
 * The builder's "Deliver only within" option for marketing campaigns (issue #13): a number and a
 * unit, turned into the campaign's `ttl` seconds (shared/message-ttl.ts: 5 minutes to 30 days), and
 * a duration written in the user's language by Intl (no unit words of our own to translate).
 */
import { CAMPAIGN_TTL_MAX_S, CAMPAIGN_TTL_MIN_S } from '../../../../shared/message-ttl';

export const TTL_UNITS = ['minute', 'hour', 'day'] as const;
export type TtlUnit = (typeof TTL_UNITS)[number];
const UNIT_S: Record<TtlUnit, number> = { minute: 60, hour: 3600, day: 86_400 };

/** Seconds for the draft, kept within the option's range. */
export function ttlSeconds(value: number, unit: TtlUnit): number {
  const s = Math.round((Number.isFinite(value) ? value : 0) * UNIT_S[unit]);
  return Math.max(CAMPAIGN_TTL_MIN_S, Math.min(CAMPAIGN_TTL_MAX_S, s));
}

/** A saved campaign's seconds back to the largest whole unit. */
export function ttlFromSeconds(seconds: number): { value: number; unit: TtlUnit } {
  for (const unit of ['day', 'hour'] as const) if (seconds % UNIT_S[unit] === 0) return { value: seconds / UNIT_S[unit], unit };
  return { value: Math.round(seconds / 60), unit: 'minute' };
}

/** "2 hours", "2 שעות", "2 小時". */
export function formatTtl(seconds: number, language: string): string {
  const { value, unit } = ttlFromSeconds(seconds);
  return new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
}
