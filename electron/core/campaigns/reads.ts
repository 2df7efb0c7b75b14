/**
 * Reading campaigns: one campaign or the list as summaries, live status (counts, forecast, what it
 * waits for), recipient pages, the event log and the report rows.
 */
import type { CoreContext } from '../context';
import { notFound } from '../errors';
import type {
  CampaignEvent,
  CampaignStanding,
  CampaignState,
  CampaignStatus,
  CampaignSummary,
  RecipientCounts,
  RecipientRow,
  RecipientState,
  SeriesInfo,
} from '../../../shared/contract/campaigns';
import { RECIPIENT_STATES } from '../../../shared/contract/campaigns';
import { forecast } from './forecast';
import { DAY_MS, MessagingWindow, tierLimit, usableBudget } from './messaging-window';
import { runtimeOf, type CampaignRow } from './runtime';
import { isSeriesRow, startTimeOf } from './scheduler';
import type { CampaignsScope } from './scope';
import { uniqueRecipientsSince } from './store/ledger';
import type { RecipientFilter } from './store';
import { standingOf } from './standing';

/** Unique recipients messaged by Pacer in the last 24 h (every campaign, every number, test sends). */
export function uniqueRecipients24h(ctx: CoreContext, now: number): number {
  return uniqueRecipientsSince(ctx.db, now - DAY_MS);
}

export const emptyCounts = (): RecipientCounts => Object.fromEntries(RECIPIENT_STATES.map((s) => [s, 0])) as RecipientCounts;
export const sum = (c: RecipientCounts) => Object.values(c).reduce((a, b) => a + b, 0);

export function row(s: CampaignsScope, id: string): CampaignRow {
  const r = s.campaigns.campaignById(id);
  if (!r) throw notFound(`No campaign ${id}`);
  return r;
}

export function counts(s: CampaignsScope, id: string): RecipientCounts {
  const counts = emptyCounts();
  for (const r of s.ledger.countsByState(id)) counts[r.state] = r.n;
  return counts;
}

/** Where the campaign stands (ledger-state.ts `campaignStanding`): the one answer every screen and the CLI show. */
export function standing(s: CampaignsScope, r: CampaignRow, c: RecipientCounts): CampaignStanding {
  const rate = s.sender?.rateFor(r.phone_number_id ?? s.ports.account.defaultPhoneNumberId()) || runtimeOf(r, null).rate;
  return standingOf(s.ctx.db, r, c, rate, s.ctx.clock.now());
}

export function summary(s: CampaignsScope, r: CampaignRow): CampaignSummary {
  const c = counts(s, r.id);
  const st = standing(s, r, c);
  return {
    id: r.id,
    name: r.name,
    state: st.state,
    standing: st,
    template: { name: r.template_name, language: r.template_language, category: r.template_category },
    audience: r.audience,
    params: JSON.parse(r.params) as Record<string, string>,
    header_media: r.header_media ? (JSON.parse(r.header_media) as CampaignSummary['header_media']) : null,
    phone_number_id: r.phone_number_id,
    schedule: JSON.parse(r.schedule) as CampaignSummary['schedule'],
    options: JSON.parse(r.options) as CampaignSummary['options'],
    pause_reason: r.pause_reason,
    pause_detail: r.pause_detail,
    auto_resume: r.auto_resume === 1,
    counts: c,
    total: sum(c),
    created_at: r.created_at,
    updated_at: r.updated_at,
    started_at: r.started_at,
    finished_at: r.finished_at,
    duplicated_from: r.duplicated_from,
    series: isSeriesRow(r) ? seriesInfo(s, r) : null,
    series_id: r.series_id ?? null,
    occurrence_at: r.occurrence_at ?? null,
  };
}

function seriesInfo(s: CampaignsScope, r: CampaignRow): SeriesInfo {
  const by = s.campaigns.occurrenceOutcomes(r.id);
  const stored = s.campaigns.latestOccurrenceOf(r.id);
  // The latest run's state as every screen shows it (its standing), not the stored one the engine updates later.
  const run = stored ? s.campaigns.campaignById(stored.id) : undefined;
  const latest = stored && run ? { ...stored, state: standing(s, run, counts(s, run.id)).state } : stored;
  return {
    next_run_at: r.state === 'scheduled' ? r.next_run_at : null,
    runs: by.started ?? 0,
    skipped: by.skipped ?? 0,
    missed: by.missed ?? 0,
    latest: latest ?? null,
  };
}

export function list(s: CampaignsScope, state?: CampaignState): CampaignSummary[] {
  return s.campaigns.listCampaigns(state).map((r) => summary(s, r));
}

export function get(s: CampaignsScope, id: string): CampaignSummary {
  return summary(s, row(s, id));
}

/** Who was messaged in the last 24 h: the running sender's window, or the messaging log. */
export function windowNow(s: CampaignsScope): MessagingWindow {
  if (s.sender) return s.sender.window;
  const w = new MessagingWindow();
  const now = s.ctx.clock.now();
  for (const r of s.ledger.lastSendPerNumberSince(now - DAY_MS)) w.record(r.phone_hash, r.at);
  return w;
}

export function status(s: CampaignsScope, id: string): CampaignStatus {
  const r = row(s, id);
  const c = counts(s, id);
  const st = standing(s, r, c);
  const now = s.ctx.clock.now();
  const rt = runtimeOf(r, s.ports.templates.get(r.template_name, r.template_language));
  const number = r.phone_number_id ?? s.ports.account.defaultPhoneNumberId();
  const window = windowNow(s);
  const pending = s.ledger.pendingHashes(id);
  const f = forecast({
    // Nothing is forecast for a campaign that is not sending; rows waiting for a retry go out from its time, not from now.
    now: Math.max(now, startTimeOf(r), st.until && st.next === 'retry' ? Date.parse(st.until) : now),
    recipients: (st.state === 'running' || st.state === 'scheduled' || st.state === 'paused' ? pending : []).map((p) => ({
      inWindow: window.has(p.phone_hash, now),
    })),
    windowTimes: window.liveTimes(now),
    budget: s.sender?.budgetFor(rt.margin) ?? usableBudget(tierLimit(s.ports.account.messagingLimit()) ?? 250, rt.margin),
    throughput: rt.rate,
  });
  let waiting: CampaignStatus['waiting'] = null;
  if (isSeriesRow(r))
    waiting =
      r.state === 'scheduled' && r.next_run_at !== null ? { reason: 'scheduled', until: new Date(r.next_run_at).toISOString() } : null;
  else if (r.state === 'scheduled') waiting = { reason: 'scheduled', until: new Date(startTimeOf(r)).toISOString() };
  else if (st.state === 'running' && s.sender?.waitReason)
    waiting = { reason: s.sender.waitReason, until: s.sender.waitUntil ? new Date(s.sender.waitUntil).toISOString() : null };
  else if (st.state === 'running') {
    // Read from the ledger, so a host without a sender (the CLI) tells the same: nothing is due
    // now and the next row waits for a retry (e.g. 131049's 24 hours).
    const due = s.ledger.pendingDueCount(id, now);
    const next = s.ledger.nextPendingAfter(id, now);
    if (due === 0 && next !== null) waiting = { reason: 'retry_later', until: new Date(next).toISOString() };
  }
  const errors = s.ledger.failureGroups(id);
  return {
    id,
    state: st.state,
    counts: c,
    total: sum(c),
    pause_reason: r.pause_reason,
    pause_detail: r.pause_detail,
    rate: s.sender?.rateFor(number) || rt.rate,
    standing: st,
    waiting,
    forecast: f.windows,
    finish_estimate: f.finishEstimate,
    errors,
  };
}

export function recipients(s: CampaignsScope, input: RecipientFilter & { state?: RecipientState | RecipientState[] }) {
  row(s, input.id);
  const { rows, total } = s.ledger.recipientPage(input);
  return { rows, next_cursor: rows.length === input.limit ? rows[rows.length - 1]!.id : null, total };
}

export function events(s: CampaignsScope, id: string, limit: number): CampaignEvent[] {
  return s.campaigns.listEvents(id, limit);
}

/** Rows of the report (one per recipient), streaming-friendly. */
export function reportRows(s: CampaignsScope, id: string): Generator<RecipientRow> {
  return s.ledger.recipientRows(id);
}

export function reportSummary(s: CampaignsScope, id: string) {
  const campaign = get(s, id);
  const c = campaign.counts;
  const reached = c.accepted + c.sent + c.delivered + c.read + c.failed;
  const delivered = c.delivered + c.read;
  return {
    campaign,
    rates: {
      delivery: reached ? delivered / reached : null,
      read: delivered ? c.read / delivered : null,
      failure: reached ? c.failed / reached : null,
    },
    errors: status(s, id).errors,
    events: events(s, id, 200),
  };
}
