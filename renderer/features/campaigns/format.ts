import { createElement, useMemo, type ReactNode } from 'react';
import type { TFunction } from 'i18next';
import type { CampaignStanding, CampaignSummary, RecipientCounts } from '../../../shared/contract/campaigns';
import { useStore } from '../../store';

/** Numbers, percentages, money and dates in the UI language. */
export function useCampaignFormat() {
  const language = useStore((s) => s.language);
  return useMemo(() => {
    const num = new Intl.NumberFormat(language);
    const pct = new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1 });
    const dateTime = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
    const day = new Intl.DateTimeFormat(language, { weekday: 'short', month: 'short', day: 'numeric' });
    const time = new Intl.DateTimeFormat(language, { timeStyle: 'short' });
    const timeSec = new Intl.DateTimeFormat(language, { timeStyle: 'medium' });
    return {
      number: (n: number) => num.format(n),
      percent: (r: number | null | undefined) => (r === null || r === undefined ? '—' : pct.format(r)),
      money: (amount: number, currency: string) => {
        try {
          return new Intl.NumberFormat(language, { style: 'currency', currency, maximumFractionDigits: amount < 10 ? 3 : 2 }).format(
            amount,
          );
        } catch {
          return `${num.format(amount)} ${currency}`;
        }
      },
      /** A per-message rate as Meta prints it: up to 4 decimals (0.0604 must not read 0.06). */
      rate: (price: number, currency: string) => {
        try {
          return new Intl.NumberFormat(language, { style: 'currency', currency, maximumFractionDigits: 4 }).format(price);
        } catch {
          return `${num.format(price)} ${currency}`;
        }
      },
      dateTime: (ms: number) => dateTime.format(ms),
      day: (ms: number) => day.format(ms),
      time: (ms: number) => time.format(ms),
      timeSec: (ms: number) => timeSec.format(ms),
    };
  }, [language]);
}

/** Stages reached, cumulatively: a read message was also delivered, sent and accepted. */
export function funnelOf(c: RecipientCounts) {
  const read = c.read;
  const delivered = c.delivered + read;
  const sent = c.sent + delivered;
  const accepted = c.accepted + sent;
  return { accepted, sent, delivered, read, failed: c.failed, skipped: c.skipped, uncertain: c.uncertain, pending: c.pending + c.sending };
}

/** Rows no longer waiting (sent on, failed, skipped or uncertain). */
export function processedOf(c: RecipientCounts): number {
  return c.accepted + c.sent + c.delivered + c.read + c.failed + c.skipped + c.uncertain;
}

/** The list's counts and standing, or the newer pushed progress while a campaign sends. */
export function useLiveCounts(c: CampaignSummary): {
  counts: RecipientCounts;
  total: number;
  state: CampaignSummary['state'];
  standing: CampaignStanding;
} {
  const p = useStore((s) => s.campaignProgress[c.id]);
  if (p && p.at >= c.updated_at) return { counts: p.counts, total: p.total, state: p.standing.state, standing: p.standing };
  return { counts: c.counts, total: c.total, state: c.standing.state, standing: c.standing };
}

/**
 * A campaign's audience for people: "All contacts" for `all` (an internal keyword), otherwise the
 * expression the user wrote, kept left-to-right as code inside any page direction.
 */
export function audienceLabel(t: TFunction<'campaigns'>, expression: string): ReactNode {
  if (expression.trim().toLowerCase() === 'all') return t('audience.all');
  return createElement('bdi', { dir: 'ltr', className: 'mono small' }, expression);
}

/** Offers a file the core produced (text or base64) to the user as a download. */
export function saveFile(file: { fileName: string; mime: string; encoding: 'utf8' | 'base64'; content: string }): void {
  const data = file.encoding === 'base64' ? Uint8Array.from(atob(file.content), (ch) => ch.charCodeAt(0)) : file.content;
  const url = URL.createObjectURL(new Blob([data], { type: file.mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A calendar day in `tz` as a sortable key ("2026-12-04"). */
function dayKeyIn(ms: number, tz: string): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
  } catch {
    return new Date(ms).toISOString().slice(0, 10);
  }
}

/**
 * Times as a campaign's schedule means them: in the schedule's zone, not this computer's (a plan for
 * Asia/Jerusalem read in London says 09:00, not 07:00). Days are that zone's calendar days.
 */
export function useZonedFormat(tz: string | null | undefined) {
  const language = useStore((s) => s.language);
  return useMemo(() => {
    const zone = tz || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    const make = (o: Intl.DateTimeFormatOptions) => {
      try {
        return new Intl.DateTimeFormat(language, { ...o, timeZone: zone });
      } catch {
        return new Intl.DateTimeFormat(language, { ...o, timeZone: 'UTC' });
      }
    };
    const time = make({ timeStyle: 'short' });
    const timeSec = make({ timeStyle: 'medium' });
    const day = make({ weekday: 'short', month: 'short', day: 'numeric' });
    const dateTime = make({ dateStyle: 'medium', timeStyle: 'short' });
    return {
      zone,
      /** True when the zone is not this computer's (then a page names it). */
      foreign: zone !== (Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'),
      dayKey: (ms: number) => dayKeyIn(ms, zone),
      /** The key of the day after `key` (calendar arithmetic, no DST drift). */
      nextDayKey: (key: string) => {
        const [y, m, d] = key.split('-').map(Number) as [number, number, number];
        return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
      },
      time: (ms: number) => time.format(ms),
      timeSec: (ms: number) => timeSec.format(ms),
      day: (ms: number) => day.format(ms),
      dateTime: (ms: number) => dateTime.format(ms),
    };
  }, [language, tz]);
}
