/** Writing a plan into the send ledger: the moment a campaign (or a series occurrence) starts. */
import type { CampaignPlan, CampaignState } from '../../../shared/contract/campaigns';
import { normalizePhone, type PlanResult } from './plan';
import type { CampaignRow } from './runtime';
import { startTimeOf } from './scheduler';
import { isValidTimeZone } from './send-window';
import type { Draft } from './definitions';
import type { CampaignsScope } from './scope';
import type { NewRecipient } from './store';
import { snapshotEstimate } from './costs';
import { keepTodaysPart } from './pace';

/** Snapshots the plan into the ledger and sets the campaign scheduled/running (inside the caller's transaction). */
export function materialize(s: CampaignsScope, r: CampaignRow, d: Draft, plan: CampaignPlan, result: PlanResult, now: number): void {
  const id = r.id;
  const tzAttr = d.schedule.tz_attribute ?? null;
  const rows: NewRecipient[] = [];
  for (const e of result.eligible) {
    const tzv = tzAttr ? e.contact.attributes?.[tzAttr] : null;
    const tz =
      typeof tzv === 'string' && isValidTimeZone(tzv) ? tzv : d.schedule.mode !== 'local_window' && d.schedule.tz ? d.schedule.tz : null;
    rows.push({
      contact_id: numOrNull(e.contact.id),
      phone: e.phone,
      user_id: e.userId,
      // The address (phone, or bsuid:<user id>) keys the 24-hour window, the frequency cap and the budget.
      phone_hash: s.hash(e.address),
      country: e.country,
      tz,
      params: JSON.stringify(e.params),
      state: 'pending',
      skip_reason: null,
    });
  }
  for (const x of result.exclusions) {
    if (x.reason === 'duplicate') continue;
    const byUserId = x.phone.startsWith('bsuid:');
    rows.push({
      contact_id: numOrNull(x.contactId),
      phone: byUserId ? null : x.phone,
      user_id: byUserId ? x.phone.slice('bsuid:'.length) : null,
      phone_hash: s.hash(x.phone),
      country: byUserId ? null : (normalizePhone(x.phone)?.country ?? null),
      tz: null,
      params: null,
      state: 'skipped',
      skip_reason: x.reason,
    });
  }
  s.ledger.insertRecipients(id, rows, now);
  // "Send only today's part": what the 24-hour limit allows now goes, the rest is skipped as over the limit (pace.ts).
  if (d.options.today_only && plan.budget.available_now !== null) keepTodaysPart(s.ctx.db, id, plan.budget.available_now, now);
  const state: CampaignState = startTimeOf(r) > now ? 'scheduled' : 'running';
  s.campaigns.markStarted(id, state, plan.template.category, now);
  // The estimate at start, per row, and the card it used (costs.ts: compared with the actual cost).
  snapshotEstimate(s.ctx.db, id, plan.template.category, now);
}

const numOrNull = (x: number | string) => (typeof x === 'number' ? x : Number.isFinite(Number(x)) ? Number(x) : null);
