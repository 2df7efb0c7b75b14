/**
 * The plan's view of a marketing campaign's TTL (issue #13): when the sends must be done by, and
 * how many of the forecast sends fall after it — those the send-time rule (send-gate.ts) will skip
 * as `ttl_expired`. A forecast burst that straddles the deadline is split in proportion to its time.
 */
import type { CampaignPlan, ForecastWindow } from '../../../shared/contract/campaigns';
import { sendByOf } from '../../../shared/message-ttl';

export function ttlPlan(
  category: string | null,
  ttlSeconds: number | null | undefined,
  start: number,
  windows: readonly ForecastWindow[],
): CampaignPlan['ttl'] {
  if (category !== 'MARKETING' || !ttlSeconds) return null;
  const sendBy = sendByOf(start, ttlSeconds)!;
  let late = 0;
  for (const w of windows) {
    const from = Date.parse(w.from);
    const to = Date.parse(w.to);
    if (from > sendBy) late += w.sends;
    else if (to > sendBy) late += Math.ceil((w.sends * (to - sendBy)) / Math.max(1, to - from));
  }
  return { seconds: ttlSeconds, send_by: new Date(sendBy).toISOString(), may_miss: late };
}
