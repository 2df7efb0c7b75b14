/**
 * Planning a campaign: who is eligible and why others are not, the 24-hour budget, the forecast of
 * when it finishes, the cost estimate and the blockers that keep it from starting. A plan reads
 * only; start (lifecycle.ts) and a series occurrence (series.ts) snapshot it into the ledger.
 */
import type { CampaignDraft, CampaignPlan, ExclusionReason, PlanBlocker } from '../../../shared/contract/campaigns';
import { campaignDraftSchema, EXCLUSION_REASONS } from '../../../shared/contract/campaigns';
import { estimateCost } from './cost';
import { cardInfo } from '../pricing/store';
import { forecast } from './forecast';
import { DAY_MS, tierLimit, usableBudget } from './messaging-window';
import { headerMediaProblem } from './media';
import { compileMapping, headerMediaFormat, MappingError, type CompiledMapping } from './params';
import { planAudience, type PlanResult } from './plan';
import { consentCategoryOf } from './ports';
import { DEFAULTS, rulesOf } from './runtime';
import { effectiveZones, nextAllowedTime, parseLocalDateTime } from './send-window';
import { DEFAULT_MPS } from './throttle';
import { draftOf, type Draft } from './definitions';
import { rateCard } from './rate-card';
import { row, windowNow } from './reads';
import { upcomingRuns } from './series-runs';
import { ttlPlan } from './ttl-plan';
import type { CampaignsScope } from './scope';

export interface ComputedPlan {
  plan: CampaignPlan;
  result: PlanResult | null;
  compiled: CompiledMapping | null;
}

export async function computePlan(s: CampaignsScope, d: Draft, campaignId: string | null): Promise<ComputedPlan> {
  const now = s.ctx.clock.now();
  const blockers: PlanBlocker[] = [];
  const t = s.ports.templates.get(d.template.name, d.template.language);
  let whyNot: string | null = null;
  const named = { template: d.template.name, language: d.template.language };
  if (!t) whyNot = 'not among the synced templates';
  else if (t.status !== 'APPROVED') whyNot = `status ${t.status} (only APPROVED templates can be sent)`;
  const whyNotMessage = `template ${d.template.name} (${d.template.language}): ${whyNot}`;
  if (!t) blockers.push({ code: 'template_missing', params: named, message: whyNotMessage });
  else if (whyNot) blockers.push({ code: 'template_not_approved', params: { ...named, status: t.status }, message: whyNotMessage });
  let compiled: CompiledMapping | null = null;
  if (t) {
    try {
      compiled = compileMapping(t, d.params);
    } catch (e) {
      if (e instanceof MappingError && e.blocker) blockers.push(e.blocker);
      else throw e;
    }
    const media = headerMediaFormat(t);
    if (media && !d.header_media)
      blockers.push({
        code: 'header_media_required',
        params: { format: media },
        message: `template has a ${media} header: header media is required`,
      });
    const mediaProblem = media ? headerMediaProblem(s.ctx, d.header_media, now, media) : null;
    if (mediaProblem) blockers.push(mediaProblem);
  }
  const category = t?.category ?? 'MARKETING';
  const accountBlocker = s.ports.account.sendBlocker();
  if (accountBlocker)
    blockers.push({ code: 'account_blocked', params: { blocker: accountBlocker }, message: `account: ${accountBlocker}` });

  const contacts = await s.ports.contacts.resolveAudience(d.audience, consentCategoryOf(category));
  const cap = d.options.frequency_cap ?? null;
  let history: Map<string, number[]> | null = null;
  if (cap) {
    history = new Map();
    const rows = s.ledger.sendsOfCategorySince(category, now - cap.days * DAY_MS, campaignId ?? '');
    for (const r of rows) {
      const l = history.get(r.phone_hash) ?? [];
      l.push(r.at);
      history.set(r.phone_hash, l);
    }
  }
  const result = compiled
    ? planAudience({
        contacts,
        category,
        compiled,
        now,
        frequencyCap: cap,
        historyFor: (phone) => history?.get(s.hash(phone)) ?? [],
      })
    : null;

  // Budget: every send in the messaging log (all campaigns, all numbers, test sends).
  const tier = s.ports.account.messagingLimit();
  const limit = tierLimit(tier);
  const margin = d.options.margin ?? DEFAULTS.margin;
  const budget = usableBudget(limit ?? 250, margin);
  const window = windowNow(s);
  const rate = d.options.rate ?? DEFAULT_MPS;
  const eligible = result?.eligible ?? [];
  const hashes = eligible.map((e) => s.hash(e.phone));
  // A series is forecast from its first occurrence (each occurrence re-plans at its own time).
  const start = d.schedule.repeat
    ? (upcomingRuns(s, campaignId, d.schedule, now, 1)[0] ?? now)
    : Math.max(now, d.schedule.at ? safeTime(d.schedule.at, d.schedule.tz) : now);
  const rules = rulesOf(d.schedule);
  const zones = rules
    ? dominantZones(
        eligible.map((e) => e.country),
        rules,
        d.schedule.tz,
      )
    : null;
  const f = forecast({
    now: start,
    recipients: hashes.map((h) => ({ inWindow: window.has(h, now) })),
    windowTimes: window.liveTimes(now),
    budget,
    throughput: rate,
    ...(rules && zones ? { nextAllowed: (x: number) => nextAllowedTime(x, zones, rules) ?? x + DAY_MS } : {}),
  });
  const byCountry = new Map<string, number>();
  for (const e of eligible) byCountry.set(e.country ?? '??', (byCountry.get(e.country ?? '??') ?? 0) + 1);
  // The card first: reading it loads the shipped card on a fresh store, so the first plan is priced.
  const card = cardInfo(s.ctx.db, now);
  const cost = estimateCost(rateCard(s), category, byCountry);
  if (result && result.eligible.length === 0)
    blockers.push({ code: 'nobody_eligible', params: {}, message: 'nobody in the audience is eligible' });
  const excluded = Object.fromEntries(EXCLUSION_REASONS.map((k) => [k, result?.excluded[k] ?? 0])) as Record<ExclusionReason, number>;
  return {
    result,
    compiled,
    plan: {
      audience: contacts.length,
      eligible: eligible.length,
      excluded,
      forecast: f.windows,
      finish_estimate: f.finishEstimate,
      cost_estimate: {
        currency: cost.currency,
        amount: cost.amount,
        estimate: true,
        unpriced: cost.unpriced,
        missing_countries: cost.missing_countries,
        card,
      },
      budget: {
        messaging_limit: tier,
        limit: limit === null || !Number.isFinite(limit) ? null : limit,
        margin,
        used_24h: window.used(now),
        available_now: Number.isFinite(budget) ? Math.max(0, budget - window.used(now)) : null,
        shared_warning: true,
      },
      throughput: rate,
      template: {
        name: d.template.name,
        language: d.template.language,
        category: t?.category ?? null,
        status: t?.status ?? null,
        sendable: !whyNot,
        why_not: whyNot,
      },
      blockers,
      next_runs: upcomingRuns(s, campaignId, d.schedule, now, 5).map((x) => new Date(x).toISOString()),
      ttl: ttlPlan(t?.category ?? null, d.options.ttl, start, f.windows),
    },
  };
}

export async function plan(s: CampaignsScope, input: { id?: string; draft?: CampaignDraft }): Promise<CampaignPlan> {
  const d = input.id ? draftOf(row(s, input.id)) : campaignDraftSchema.parse(input.draft);
  const { plan, result } = await computePlan(s, d, input.id ?? null);
  if (input.id && result) s.exclusions.set(input.id, result.exclusions);
  return plan;
}

export async function listExclusions(s: CampaignsScope, id: string, reason: ExclusionReason | undefined, offset: number, limit: number) {
  let list = s.exclusions.get(id);
  if (!list) {
    await plan(s, { id });
    list = s.exclusions.get(id) ?? [];
  }
  const filtered = reason ? list.filter((e) => e.reason === reason) : list;
  return {
    rows: filtered
      .slice(offset, offset + limit)
      .map((e) => ({ contact_id: e.contactId, phone: e.phone, reason: e.reason, detail: e.detail ?? null })),
    total: filtered.length,
  };
}

const safeTime = (at: string, tz: string | null | undefined) => {
  try {
    return parseLocalDateTime(at, tz ?? 'UTC');
  } catch {
    return 0;
  }
};

/** The zones of the most common recipient country (forecasts use one zone set). */
function dominantZones(
  countries: (string | null)[],
  rules: NonNullable<ReturnType<typeof rulesOf>>,
  tz: string | null | undefined,
): string[] {
  if (tz) return [tz];
  const n = new Map<string | null, number>();
  for (const c of countries) n.set(c, (n.get(c) ?? 0) + 1);
  const top = [...n].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  return effectiveZones(top, null, rules);
}
