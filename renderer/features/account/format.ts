import { useMemo } from 'react';
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { useStore } from '../../store';
import type { MessagingLimit, QualityRating, TemplateQuality } from '../../../shared/contract/whatsapp';

/** Unique recipients per moving 24 h for each tier; null = unlimited or unknown (see the tier). */
export const TIER_RECIPIENTS: Record<MessagingLimit, number | null> = {
  TIER_50: 50,
  TIER_250: 250,
  TIER_1K: 1000,
  TIER_2K: 2000,
  TIER_10K: 10000,
  TIER_100K: 100000,
  TIER_UNLIMITED: null,
  UNTIERED: null,
  UNKNOWN: null,
};

/** The ladder Meta scales along today (the 50 and 1K tiers are gone since Oct 2025). */
export const TIER_LADDER: MessagingLimit[] = ['TIER_250', 'TIER_2K', 'TIER_10K', 'TIER_100K', 'TIER_UNLIMITED'];

/** Badge colour class for a quality rating (phone number or template). */
export function qualityTone(q: QualityRating | TemplateQuality): 'green' | 'yellow' | 'red' | '' {
  return q === 'GREEN' ? 'green' : q === 'YELLOW' ? 'yellow' : q === 'RED' ? 'red' : '';
}

/** Number, date and relative-time formatting in the UI language. */
export function useFormat() {
  const language = useStore((s) => s.language);
  return useMemo(() => {
    const num = new Intl.NumberFormat(language);
    const dateTime = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
    const date = new Intl.DateTimeFormat(language, { month: 'short', day: 'numeric' });
    const time = new Intl.DateTimeFormat(language, { timeStyle: 'short' });
    const rel = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
    return {
      number: (n: number) => num.format(n),
      dateTime: (ms: number) => dateTime.format(ms),
      date: (ms: number) => date.format(ms),
      time: (ms: number) => time.format(ms),
      /** "3 minutes ago" — for last-synced stamps. */
      ago(ms: number, now = Date.now()) {
        const s = Math.round((ms - now) / 1000);
        const abs = Math.abs(s);
        if (abs < 45) return rel.format(0, 'second');
        if (abs < 3600) return rel.format(Math.round(s / 60), 'minute');
        if (abs < 86400) return rel.format(Math.round(s / 3600), 'hour');
        return rel.format(Math.round(s / 86400), 'day');
      },
    };
  }, [language]);
}

/** "+15550100100" → "+1 555 010 0100" (international format); unparseable input is returned as is. */
export function formatPhone(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}

/** Short label for a chart lane: "+972 …0100" (calling code and last digits). */
export function shortPhone(e164: string): string {
  const p = parsePhoneNumberFromString(e164);
  return p ? `+${p.countryCallingCode} …${p.nationalNumber.slice(-4)}` : `…${e164.slice(-4)}`;
}
