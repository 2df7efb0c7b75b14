/** The rate card: the user's prices per category and country, used for cost estimates. */
import { badInput } from '../errors';
import type { RateCardEntry } from '../../../shared/contract/campaigns';
import type { CampaignsScope } from './scope';

export function rateCard(s: CampaignsScope): RateCardEntry[] {
  return s.campaigns.rateCardEntries();
}

export function setRateCard(s: CampaignsScope, entries: RateCardEntry[]): RateCardEntry[] {
  const byCat = new Map<string, Set<string>>();
  for (const e of entries) {
    const c = byCat.get(e.category) ?? new Set();
    c.add(e.currency);
    byCat.set(e.category, c);
  }
  for (const [cat, cur] of byCat) if (cur.size > 1) throw badInput(`The rate card mixes currencies for ${cat}: ${[...cur].join(', ')}`);
  s.campaigns.replaceRateCard(entries, s.ctx.clock.now());
  return rateCard(s);
}
