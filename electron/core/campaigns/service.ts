/**
 * The campaigns domain of one core: definitions, plan, lifecycle controls, and (when a host runs
 * it) the engine — sender + scheduler + webhook status handler. `campaignsFor(ctx)` gives the one
 * service of a core; `startEngine()` is called by hosts that send (the app, `pacer run`).
 */
import crypto from 'node:crypto';
import type { CoreContext } from '../context';
import { PacerError, badInput, notFound } from '../errors';
import type {
  CampaignDraft, CampaignEvent, CampaignPlan, CampaignPreview, PlanBlocker, CampaignSchedule, CampaignState, CampaignStatus, CampaignSummary,
  ExclusionReason, OccurrenceRow, PauseReason, RateCardEntry, RecipientCounts, RecipientRow, RecipientState, SeriesInfo, TestSendResult,
} from '../../../shared/contract/campaigns';
import { nextOccurrence, nextOccurrences } from '../../../shared/campaigns/recurrence';
import { campaignDraftSchema, EXCLUSION_REASONS, RECIPIENT_STATES } from '../../../shared/contract/campaigns';
import { estimateCost } from './cost';
import { forecast } from './forecast';
import { DAY_MS, MessagingWindow, tierLimit, usableBudget } from './messaging-window';
import { headerMediaProblem, refreshHeaderMedia } from './media';
import { compileMapping, headerMediaFormat, MappingError, renderPreview, resolveParams, type CompiledMapping } from './params';
import { normalizePhone, planAudience, type PlanResult } from './plan';
import { consentCategoryOf, type CampaignPorts } from './ports';
import { livePorts } from './ports-live';
import { audienceSql } from '../contacts/rules';
import { DEFAULTS, phoneHasher, rulesOf, runtimeOf, type CampaignRow } from './runtime';
import { isSeriesRow, Scheduler, startTimeOf } from './scheduler';
import { bizOpaqueFor, recoverInterrupted, Sender, type SenderOptions } from './sender';
import { effectiveZones, isValidTimeZone, nextAllowedTime, parseLocalDateTime, parseWindow } from './send-window';
import { createStatusHandler } from './status-handler';
import { sendTests } from './test-send';
import { keepTodaysPart } from './pace';
import { splitTestNumbers, TEST_SEND_MAX } from '../../../shared/campaigns/test-numbers';
import { DEFAULT_MPS } from './throttle';
import { webhooksFor } from '../webhooks/service';
import { whatsappServices } from '../whatsapp/index';

/** Unique recipients messaged by Pacer in the last 24 h (every campaign, every number, test sends). */
export function uniqueRecipients24h(ctx: CoreContext, now: number): number {
  return (ctx.db.prepare('SELECT count(DISTINCT phone_hash) AS n FROM messaging_log WHERE at > ?').get(now - DAY_MS) as { n: number }).n;
}

/**
 * A series occurrence found due later than this (Pacer was not running, the machine slept) still
 * runs — once, the latest one only; older ones are recorded as missed ('not_running').
 */
export const SERIES_GRACE_MS = 6 * 3_600_000;

/** `isIdle`: rows due within this are still work that proceeds now (pair rate, fast retries). */
const IDLE_HORIZON_MS = 60_000;

export interface EngineOptions extends SenderOptions {
  /** Scheduler tick (default 500 ms). */
  tickMs?: number;
  /** Progress event interval (default 100 ms = ~10 Hz). */
  progressMs?: number;
  /** Per-request send timeout in clock ms (default 30 s; raise it under an accelerated clock). */
  sendTimeoutMs?: number;
}

type Draft = ReturnType<typeof campaignDraftSchema.parse>;

const emptyCounts = (): RecipientCounts => Object.fromEntries(RECIPIENT_STATES.map((s) => [s, 0])) as RecipientCounts;

export class CampaignsService {
  readonly ports: CampaignPorts;
  private sender: Sender | null = null;
  private scheduler: Scheduler | null = null;
  private readonly hash: (e164: string) => string;
  private readonly dirty = new Set<string>();
  private closed = false;
  private progressTimer: ReturnType<CoreContext['clock']['setTimeout']> | null = null;
  private progressMs = 100;
  private unsubscribe: (() => void)[] = [];
  /** The last plan's exclusions per campaign (listable). */
  private readonly exclusions = new Map<string, PlanResult['exclusions']>();

  constructor(private readonly ctx: CoreContext, ports?: CampaignPorts) {
    this.ports = ports ?? livePorts(ctx);
    this.hash = phoneHasher(ctx.db);
    ctx.onClose(async () => {
      await this.stopEngine();
      // No progress timer may outlive the database it reads.
      this.closed = true;
      if (this.progressTimer) ctx.clock.clearTimeout(this.progressTimer);
      this.progressTimer = null;
    });
    if (!ports) {
      // Delivery statuses from the webhook domain; the account's budget meter reads our messaging log.
      this.unsubscribeStatus = webhooksFor(ctx).router.on('status', this.statusHandler(), { name: 'campaigns' });
      whatsappServices(ctx).account.setRecipientUsageProvider((now) => uniqueRecipients24h(ctx, now));
    }
  }

  private unsubscribeStatus: (() => void) | null = null;
  private countsStmt: ReturnType<CoreContext['db']['prepare']> | null = null;

  /** Offers statuses that arrived before their row was known (or before this service existed) again. */
  async reofferStatuses(): Promise<{ offered: number; matched: number }> {
    return webhooksFor(this.ctx).reofferPending();
  }

  // ---- engine --------------------------------------------------------------------------------

  /** Starts sending: recovers interrupted rows, then runs the sender and scheduler until stopEngine. */
  startEngine(opts: EngineOptions = {}): { recovered: number } {
    if (this.sender) return { recovered: 0 };
    const recovered = recoverInterrupted(this.ctx);
    if (recovered) this.ctx.log.warn('sends interrupted by a stop or crash are now uncertain (not resent automatically)', { rows: recovered });
    this.progressMs = opts.progressMs ?? 100;
    if (opts.sendTimeoutMs) this.ports.account.setSendTimeout?.(opts.sendTimeoutMs);
    this.sender = new Sender(this.ctx, this.ports, {
      pause: (id, reason, detail, autoResume) => this.autoPause(id, reason, detail, autoResume),
      touched: (id) => this.touch(id),
    }, opts);
    this.scheduler = new Scheduler(this.ctx, this.ports, {
      setRunning: (id) => this.setState(id, 'running', { kind: 'running' }),
      complete: (id) => this.complete(id),
      resume: (id) => this.resumeInternal(id, true),
      pause: (id, reason, detail, autoResume) => this.autoPause(id, reason, detail, autoResume),
      seriesDue: (id) => { void this.runSeries(id); },
    }, opts.tickMs);
    this.sender.start();
    this.scheduler.start();
    return { recovered };
  }

  async stopEngine(): Promise<void> {
    const s = this.sender;
    this.scheduler?.stop();
    this.scheduler = null;
    this.sender = null;
    this.unsubscribe.forEach((u) => u());
    this.unsubscribe = [];
    await s?.stop();
    if (this.progressTimer) this.ctx.clock.clearTimeout(this.progressTimer);
    this.progressTimer = null;
    this.emitProgress();
  }

  /**
   * Drops the engine as a killed process would (see Sender.abandon): for drills that exercise
   * restarts inside one process. The next startEngine() recovers as after kill -9.
   */
  abandonEngine(): void {
    const s = this.sender;
    this.scheduler?.stop();
    this.scheduler = null;
    this.sender = null;
    s?.abandon();
  }

  get engine(): { sender: Sender; scheduler: Scheduler } | null {
    return this.sender && this.scheduler ? { sender: this.sender, scheduler: this.scheduler } : null;
  }

  /** The handler the webhook router calls for delivery statuses. */
  statusHandler() {
    return createStatusHandler(this.ctx, {
      retryLimit: (id) => {
        const r = this.ctx.db.prepare('SELECT state, options FROM campaigns WHERE id = ?').get(id) as { state: CampaignState; options: string } | undefined;
        // A cancelled campaign sends nothing more, retries included.
        if (!r || r.state === 'cancelled') return 0;
        return (JSON.parse(r.options) as { retry_131049?: number }).retry_131049 ?? DEFAULTS.retry131049;
      },
      reopened: (id, notBefore) => this.reopen(id, notBefore),
      touched: (id) => { this.touch(id); this.sender?.wake(); },
      failed: (id) => this.sender?.noteOutcome(id, true),
      delivered: () => undefined,
      optOut: (phone, at, evidence) => {
        void Promise.resolve(this.ports.contacts.recordOptOut(phone, { at, evidence })).catch((e: unknown) => this.ctx.log.error('opt-out not recorded', { error: String(e) }));
      },
    });
  }

  /** True when no running campaign has a row that can be sent now and nothing is in flight. */
  isIdle(): boolean {
    const s = this.sender;
    if (!s) return true;
    this.scheduler?.tick();
    const now = this.ctx.clock.now();
    // Rows deferred for a few seconds (the pair rate's 6 s, a fast retry) are work that proceeds
    // now; only longer waits (24-hour retries, slow back-offs, send windows) count as idle.
    const due = this.ctx.db.prepare(`SELECT count(*) AS n FROM campaign_recipients r JOIN campaigns c ON c.id = r.campaign_id
      WHERE c.state = 'running' AND r.state IN ('pending', 'sending') AND (r.not_before IS NULL OR r.not_before <= ?)`).get(now + IDLE_HORIZON_MS) as { n: number };
    if (s.inflightCount() > 0 || this.seriesInFlight.size > 0) return false;
    if (due.n === 0) return true;
    // Rows are due but the 24-hour budget is used up: nothing can proceed now.
    return s.idle && s.waitReason === 'budget';
  }

  private touch(id: string): void {
    if (this.closed) return;
    this.dirty.add(id);
    // ~10 Hz; slower when counting a huge ledger gets expensive (kept under ~5 % of a core).
    if (!this.progressTimer) this.progressTimer = this.ctx.clock.setTimeout(() => { this.progressTimer = null; this.emitProgress(); }, Math.max(this.progressMs, this.progressCostMs * 20));
  }

  private progressCostMs = 0;

  private emitProgress(): void {
    if (this.closed) return;
    const t0 = performance.now();
    try { this.emitProgressNow(); } finally { this.progressCostMs = performance.now() - t0; }
  }

  private emitProgressNow(): void {
    const ids = [...this.dirty];
    this.dirty.clear();
    for (const id of ids) {
      const c = this.ctx.db.prepare('SELECT state, phone_number_id FROM campaigns WHERE id = ?').get(id) as { state: CampaignState; phone_number_id: string | null } | undefined;
      if (!c) continue;
      const counts = this.counts(id);
      this.ctx.emit('campaigns:progress', {
        id, state: c.state, counts, total: sum(counts), rate: this.sender?.rateFor(c.phone_number_id ?? this.ports.account.defaultPhoneNumberId()) ?? 0, at: this.ctx.clock.now(),
      });
    }
  }

  // ---- definitions ---------------------------------------------------------------------------

  private row(id: string): CampaignRow {
    const r = this.ctx.db.prepare('SELECT * FROM campaigns WHERE id = ?').get(id) as CampaignRow | undefined;
    if (!r) throw notFound(`No campaign ${id}`);
    return r;
  }

  counts(id: string): RecipientCounts {
    const counts = emptyCounts();
    this.countsStmt ??= this.ctx.db.prepare('SELECT state, count(*) AS n FROM campaign_recipients WHERE campaign_id = ? GROUP BY state');
    for (const r of this.countsStmt.all(id) as { state: RecipientState; n: number }[]) counts[r.state] = r.n;
    return counts;
  }

  summary(r: CampaignRow): CampaignSummary {
    const counts = this.counts(r.id);
    return {
      id: r.id, name: r.name, state: r.state,
      template: { name: r.template_name, language: r.template_language, category: r.template_category },
      audience: r.audience, params: JSON.parse(r.params) as Record<string, string>,
      header_media: r.header_media ? (JSON.parse(r.header_media) as CampaignSummary['header_media']) : null,
      phone_number_id: r.phone_number_id,
      schedule: JSON.parse(r.schedule) as CampaignSchedule, options: JSON.parse(r.options) as CampaignSummary['options'],
      pause_reason: r.pause_reason, pause_detail: r.pause_detail, auto_resume: r.auto_resume === 1,
      counts, total: sum(counts),
      created_at: r.created_at, updated_at: r.updated_at, started_at: r.started_at, finished_at: r.finished_at, duplicated_from: r.duplicated_from,
      series: isSeriesRow(r) ? this.seriesInfo(r) : null,
      series_id: r.series_id ?? null, occurrence_at: r.occurrence_at ?? null,
    };
  }

  private seriesInfo(r: CampaignRow): SeriesInfo {
    const by = Object.fromEntries((this.ctx.db.prepare('SELECT outcome, count(*) AS n FROM campaign_occurrences WHERE series_id = ? GROUP BY outcome').all(r.id) as { outcome: string; n: number }[])
      .map((x) => [x.outcome, x.n])) as Record<string, number>;
    const latest = this.ctx.db.prepare('SELECT id, state, occurrence_at FROM campaigns WHERE series_id = ? ORDER BY occurrence_at DESC, created_at DESC LIMIT 1').get(r.id) as SeriesInfo['latest'] | undefined;
    return { next_run_at: r.state === 'scheduled' ? r.next_run_at : null, runs: by.started ?? 0, skipped: by.skipped ?? 0, missed: by.missed ?? 0, latest: latest ?? null };
  }

  list(state?: CampaignState): CampaignSummary[] {
    const rows = (state
      ? this.ctx.db.prepare('SELECT * FROM campaigns WHERE state = ? ORDER BY created_at DESC, id').all(state)
      : this.ctx.db.prepare('SELECT * FROM campaigns ORDER BY created_at DESC, id').all()) as CampaignRow[];
    return rows.map((r) => this.summary(r));
  }

  get(id: string): CampaignSummary {
    return this.summary(this.row(id));
  }

  /** Checks a draft against the stored templates and returns what the row needs. */
  private validate(d: Draft): { category: string | null } {
    try { audienceSql(this.ctx.db, d.audience, this.ctx.clock.now()); } catch (e) { throw e instanceof PacerError ? e : badInput(String(e)); }
    const s = d.schedule;
    if (s.tz && !isValidTimeZone(s.tz)) throw badInput(`Unknown time zone ${JSON.stringify(s.tz)} (use an IANA name such as Asia/Jerusalem)`);
    if (s.at) {
      try { parseLocalDateTime(s.at, s.tz ?? 'UTC'); } catch (e) { throw badInput((e as Error).message); }
    }
    if (s.mode === 'at' && !s.at) throw badInput('Schedule mode "at" needs a date-time');
    if (s.mode === 'local_window' && !s.window) throw badInput('Schedule mode "local_window" needs a window (HH:MM-HH:MM)');
    for (const w of [s.window, s.quiet]) if (w) { try { parseWindow(w); } catch (e) { throw badInput((e as Error).message); } }
    if (s.repeat) {
      if (s.mode === 'at' || s.at) throw badInput('A repeating campaign runs at its repeat time: give no start date-time ("at"); use mode "now" or "local_window"');
      if (s.repeat.frequency === 'weekly' && !s.repeat.days?.length) throw badInput('A weekly repeat needs at least one weekday (sun, mon, tue, wed, thu, fri, sat)');
      try { nextOccurrence(s.repeat, s.tz ?? 'UTC', this.ctx.clock.now()); } catch (e) { throw badInput((e as Error).message); }
    }
    const t = this.ports.templates.get(d.template.name, d.template.language);
    if (!t) throw badInput(`Template ${d.template.name} (${d.template.language}) is not among the synced templates: run a template sync first`);
    try { compileMapping(t, d.params); } catch (e) { if (e instanceof MappingError) throw badInput(e.message); throw e; }
    const media = headerMediaFormat(t);
    if (media && !d.header_media) throw badInput(`Template ${t.name} has a ${media} header: give header media (a URL or an uploaded media id)`);
    return { category: t.category };
  }

  create(input: CampaignDraft): CampaignSummary {
    const d = campaignDraftSchema.parse(input);
    const { category } = this.validate(d);
    const id = `cmp_${crypto.randomBytes(6).toString('hex')}`;
    const now = this.ctx.clock.now();
    this.ctx.db.prepare(`INSERT INTO campaigns (id, name, state, template_name, template_language, template_category, audience, params, header_media, phone_number_id, schedule, options, created_at, updated_at)
      VALUES (?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(id, d.name, d.template.name, d.template.language.replace('-', '_'), category, d.audience,
      JSON.stringify(d.params), d.header_media ? JSON.stringify(d.header_media) : null, d.phone_number_id ?? null, JSON.stringify(d.schedule), JSON.stringify(d.options), now, now);
    this.event(id, 'created', {});
    this.ctx.emit('campaigns:changed', { id });
    return this.get(id);
  }

  private draftOf(r: CampaignRow): Draft {
    return campaignDraftSchema.parse({
      name: r.name, template: { name: r.template_name, language: r.template_language }, audience: r.audience,
      params: JSON.parse(r.params), header_media: r.header_media ? JSON.parse(r.header_media) : null, phone_number_id: r.phone_number_id,
      schedule: JSON.parse(r.schedule), options: JSON.parse(r.options),
    });
  }

  update(id: string, patch: Partial<CampaignDraft>): CampaignSummary {
    const r = this.row(id);
    const series = isSeriesRow(r);
    if (series && r.state !== 'draft') return this.updateSeries(r, patch);
    if (r.state !== 'draft' && r.state !== 'scheduled') throw new PacerError('conflict', `Campaign ${id} is ${r.state}: only draft or scheduled campaigns can be edited (duplicate it instead)`);
    if (r.state === 'scheduled' && patch.schedule?.repeat) throw new PacerError('conflict', 'A started campaign cannot become a repeating one: duplicate it and set the repeat on the copy');
    if (r.state === 'scheduled' && (patch.audience !== undefined || patch.template !== undefined || patch.params !== undefined)) {
      throw new PacerError('conflict', 'A scheduled campaign has its recipients fixed already: only its name, schedule and options can change (or cancel and duplicate it)');
    }
    const d = campaignDraftSchema.parse({ ...this.draftOf(r), ...patch });
    const { category } = this.validate(d);
    this.ctx.db.prepare(`UPDATE campaigns SET name = ?, template_name = ?, template_language = ?, template_category = ?, audience = ?, params = ?, header_media = ?,
      phone_number_id = ?, schedule = ?, options = ?, updated_at = ? WHERE id = ?`).run(d.name, d.template.name, d.template.language.replace('-', '_'), category, d.audience,
      JSON.stringify(d.params), d.header_media ? JSON.stringify(d.header_media) : null, d.phone_number_id ?? null, JSON.stringify(d.schedule), JSON.stringify(d.options), this.ctx.clock.now(), id);
    this.event(id, 'edited', { fields: Object.keys(patch) });
    this.ctx.emit('campaigns:changed', { id });
    return this.get(id);
  }

  /**
   * A started series has no ledger: everything can change, for the occurrences still to come (the
   * running one keeps its own snapshot). It stays a series; the next occurrence is recomputed.
   */
  private updateSeries(r: CampaignRow, patch: Partial<CampaignDraft>): CampaignSummary {
    if (r.state !== 'scheduled' && r.state !== 'paused') throw new PacerError('conflict', `Series ${r.id} is ${r.state}: duplicate it instead`);
    const d = campaignDraftSchema.parse({ ...this.draftOf(r), ...patch });
    if (!d.schedule.repeat) throw new PacerError('conflict', 'A started series cannot stop repeating: cancel it (past occurrences stay)');
    const { category } = this.validate(d);
    const now = this.ctx.clock.now();
    const next = r.state === 'scheduled' ? this.nextRunOf(r.id, d.schedule, now) : null;
    this.ctx.db.prepare(`UPDATE campaigns SET name = ?, template_name = ?, template_language = ?, template_category = ?, audience = ?, params = ?, header_media = ?,
      phone_number_id = ?, schedule = ?, options = ?, next_run_at = ?, updated_at = ? WHERE id = ?`).run(d.name, d.template.name, d.template.language.replace('-', '_'), category, d.audience,
      JSON.stringify(d.params), d.header_media ? JSON.stringify(d.header_media) : null, d.phone_number_id ?? null, JSON.stringify(d.schedule), JSON.stringify(d.options), next, now, r.id);
    this.event(r.id, 'edited', { fields: Object.keys(patch), next_run_at: next });
    if (r.state === 'scheduled' && next === null) this.finishSeries(r.id, now);
    this.ctx.emit('campaigns:changed', { id: r.id });
    return this.get(r.id);
  }

  duplicate(id: string): CampaignSummary {
    const r = this.row(id);
    const copy = this.create({ ...this.draftOf(r), name: `Copy of ${r.name}`.slice(0, 200) });
    this.ctx.db.prepare('UPDATE campaigns SET duplicated_from = ? WHERE id = ?').run(id, copy.id);
    return this.get(copy.id);
  }

  delete(id: string): null {
    const r = this.row(id);
    if (r.state === 'running' || r.state === 'scheduled') throw new PacerError('conflict', `Campaign ${id} is ${r.state}: cancel it first`);
    this.ctx.db.prepare('DELETE FROM campaigns WHERE id = ?').run(id);
    this.ctx.emit('campaigns:changed', { id });
    return null;
  }

  // ---- plan ----------------------------------------------------------------------------------

  private async computePlan(d: Draft, campaignId: string | null): Promise<{ plan: CampaignPlan; result: PlanResult | null; compiled: CompiledMapping | null }> {
    const now = this.ctx.clock.now();
    const blockers: PlanBlocker[] = [];
    const t = this.ports.templates.get(d.template.name, d.template.language);
    let whyNot: string | null = null;
    const named = { template: d.template.name, language: d.template.language };
    if (!t) whyNot = 'not among the synced templates';
    else if (t.status !== 'APPROVED') whyNot = `status ${t.status} (only APPROVED templates can be sent)`;
    const whyNotMessage = `template ${d.template.name} (${d.template.language}): ${whyNot}`;
    if (!t) blockers.push({ code: 'template_missing', params: named, message: whyNotMessage });
    else if (whyNot) blockers.push({ code: 'template_not_approved', params: { ...named, status: t.status }, message: whyNotMessage });
    let compiled: CompiledMapping | null = null;
    if (t) {
      try { compiled = compileMapping(t, d.params); } catch (e) { if (e instanceof MappingError && e.blocker) blockers.push(e.blocker); else throw e; }
      const media = headerMediaFormat(t);
      if (media && !d.header_media) blockers.push({ code: 'header_media_required', params: { format: media }, message: `template has a ${media} header: header media is required` });
      const mediaProblem = media ? headerMediaProblem(this.ctx, d.header_media, now, media) : null;
      if (mediaProblem) blockers.push(mediaProblem);
    }
    const category = t?.category ?? 'MARKETING';
    const accountBlocker = this.ports.account.sendBlocker();
    if (accountBlocker) blockers.push({ code: 'account_blocked', params: { blocker: accountBlocker }, message: `account: ${accountBlocker}` });

    const contacts = await this.ports.contacts.resolveAudience(d.audience, consentCategoryOf(category));
    const cap = d.options.frequency_cap ?? null;
    let history: Map<string, number[]> | null = null;
    if (cap) {
      history = new Map();
      const rows = this.ctx.db.prepare('SELECT phone_hash, at FROM messaging_log WHERE category = ? AND at > ? AND (campaign_id IS NULL OR campaign_id != ?)').all(category, now - cap.days * DAY_MS, campaignId ?? '') as { phone_hash: string; at: number }[];
      for (const r of rows) { const l = history.get(r.phone_hash) ?? []; l.push(r.at); history.set(r.phone_hash, l); }
    }
    const result = compiled ? planAudience({
      contacts, category, compiled, now, frequencyCap: cap,
      historyFor: (phone) => history?.get(this.hash(phone)) ?? [],
    }) : null;

    // Budget: every send in the messaging log (all campaigns, all numbers, test sends).
    const tier = this.ports.account.messagingLimit();
    const limit = tierLimit(tier);
    const margin = d.options.margin ?? DEFAULTS.margin;
    const budget = usableBudget(limit ?? 250, margin);
    const window = this.windowNow();
    const rate = d.options.rate ?? DEFAULT_MPS;
    const eligible = result?.eligible ?? [];
    const hashes = eligible.map((e) => this.hash(e.phone));
    // A series is forecast from its first occurrence (each occurrence re-plans at its own time).
    const start = d.schedule.repeat ? (this.upcomingRuns(campaignId, d.schedule, now, 1)[0] ?? now) : Math.max(now, d.schedule.at ? safeTime(d.schedule.at, d.schedule.tz) : now);
    const rules = rulesOf(d.schedule);
    const zones = rules ? dominantZones(eligible.map((e) => e.country), rules, d.schedule.tz) : null;
    const f = forecast({
      now: start, recipients: hashes.map((h) => ({ inWindow: window.has(h, now) })), windowTimes: window.liveTimes(now), budget, throughput: rate,
      ...(rules && zones ? { nextAllowed: (x: number) => nextAllowedTime(x, zones, rules) ?? x + DAY_MS } : {}),
    });
    const byCountry = new Map<string, number>();
    for (const e of eligible) byCountry.set(e.country ?? '??', (byCountry.get(e.country ?? '??') ?? 0) + 1);
    const cost = estimateCost(this.rateCard(), category, byCountry);
    if (result && result.eligible.length === 0) blockers.push({ code: 'nobody_eligible', params: {}, message: 'nobody in the audience is eligible' });
    const excluded = Object.fromEntries(EXCLUSION_REASONS.map((k) => [k, result?.excluded[k] ?? 0])) as Record<ExclusionReason, number>;
    return {
      result, compiled,
      plan: {
        audience: contacts.length,
        eligible: eligible.length,
        excluded,
        forecast: f.windows,
        finish_estimate: f.finishEstimate,
        cost_estimate: { currency: cost.currency, amount: cost.amount, estimate: true, unpriced: cost.unpriced, missing_countries: cost.missing_countries },
        budget: {
          messaging_limit: tier, limit: limit === null || !Number.isFinite(limit) ? null : limit, margin,
          used_24h: window.used(now), available_now: Number.isFinite(budget) ? Math.max(0, budget - window.used(now)) : null, shared_warning: true,
        },
        throughput: rate,
        template: { name: d.template.name, language: d.template.language, category: t?.category ?? null, status: t?.status ?? null, sendable: !whyNot, why_not: whyNot },
        blockers,
        next_runs: this.upcomingRuns(campaignId, d.schedule, now, 5).map((x) => new Date(x).toISOString()),
      },
    };
  }

  /** Who was messaged in the last 24 h: the running sender's window, or the messaging log. */
  private windowNow(): MessagingWindow {
    if (this.sender) return this.sender.window;
    const w = new MessagingWindow();
    const now = this.ctx.clock.now();
    for (const r of this.ctx.db.prepare('SELECT phone_hash, max(at) AS at FROM messaging_log WHERE at > ? GROUP BY phone_hash ORDER BY at').all(now - DAY_MS) as { phone_hash: string; at: number }[]) w.record(r.phone_hash, r.at);
    return w;
  }

  async plan(input: { id?: string; draft?: CampaignDraft }): Promise<CampaignPlan> {
    const d = input.id ? this.draftOf(this.row(input.id)) : campaignDraftSchema.parse(input.draft);
    const { plan, result } = await this.computePlan(d, input.id ?? null);
    if (input.id && result) this.exclusions.set(input.id, result.exclusions);
    return plan;
  }

  async listExclusions(id: string, reason: ExclusionReason | undefined, offset: number, limit: number) {
    let list = this.exclusions.get(id);
    if (!list) { await this.plan({ id }); list = this.exclusions.get(id) ?? []; }
    const filtered = reason ? list.filter((e) => e.reason === reason) : list;
    return { rows: filtered.slice(offset, offset + limit).map((e) => ({ contact_id: e.contactId, phone: e.phone, reason: e.reason, detail: e.detail ?? null })), total: filtered.length };
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  /** Snapshots the eligible audience into the ledger (excluded contacts as skipped rows) and starts. */
  async start(id: string): Promise<CampaignSummary> {
    const r = this.row(id);
    if (r.state !== 'draft') throw new PacerError('conflict', `Campaign ${id} is ${r.state}: only a draft can be started${r.state === 'paused' ? ' (use resume)' : ''}`);
    const d = this.draftOf(r);
    const { plan, result } = await this.computePlan(d, id);
    if (isSeriesRow(r)) return this.startSeries(r, d, plan);
    if (plan.blockers.length || !result) throw new PacerError('conflict', `Campaign ${id} cannot start: ${plan.blockers.map((b) => b.message).join('; ')}`, { blockers: plan.blockers });
    this.ctx.db.transaction(() => this.materialize(r, d, plan, result, this.ctx.clock.now()))();
    this.exclusions.set(id, result.exclusions);
    this.event(id, 'started', { eligible: plan.eligible, excluded: plan.excluded, forecast: plan.forecast, finish_estimate: plan.finish_estimate });
    this.scheduler?.resetBaseline(id);
    this.sender?.wake();
    this.ctx.emit('campaigns:changed', { id });
    return this.get(id);
  }

  /** Snapshots the plan into the ledger and sets the campaign scheduled/running (inside the caller's transaction). */
  private materialize(r: CampaignRow, d: Draft, plan: CampaignPlan, result: PlanResult, now: number): void {
    const id = r.id;
    const tzAttr = d.schedule.tz_attribute ?? null;
    const insert = this.ctx.db.prepare(`INSERT OR IGNORE INTO campaign_recipients (campaign_id, contact_id, phone, phone_hash, country, tz, params, state, skip_reason, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    {
      for (const e of result.eligible) {
        const tzv = tzAttr ? e.contact.attributes?.[tzAttr] : null;
        const tz = typeof tzv === 'string' && isValidTimeZone(tzv) ? tzv : (d.schedule.mode !== 'local_window' && d.schedule.tz ? d.schedule.tz : null);
        insert.run(id, numOrNull(e.contact.id), e.phone, this.hash(e.phone), e.country, tz, JSON.stringify(e.params), 'pending', null, now);
      }
      for (const x of result.exclusions) {
        if (x.reason === 'duplicate') continue;
        insert.run(id, numOrNull(x.contactId), x.phone, this.hash(x.phone), normalizePhone(x.phone)?.country ?? null, null, null, 'skipped', x.reason, now);
      }
      if (d.options.today_only && plan.budget.available_now !== null) keepTodaysPart(this.ctx.db, id, plan.budget.available_now, now);
      const state: CampaignState = startTimeOf(r) > now ? 'scheduled' : 'running';
      this.ctx.db.prepare(`UPDATE campaigns SET state = ?, template_category = ?, started_at = ?, materialized_at = ?, updated_at = ?, pause_reason = NULL, pause_detail = NULL WHERE id = ?`)
        .run(state, plan.template.category, now, now, now, id);
    }
  }

  // ---- recurring series ----------------------------------------------------------------------

  private readonly seriesInFlight = new Set<string>();

  /** The next due time of a series after `after`, or null when it has ended (until / count reached). */
  private nextRunOf(id: string, schedule: CampaignSchedule, after: number): number | null {
    const rep = schedule.repeat;
    if (!rep) return null;
    if (rep.count && this.runsOf(id) >= rep.count) return null;
    return nextOccurrence(rep, schedule.tz ?? 'UTC', after);
  }

  private runsOf(seriesId: string): number {
    return (this.ctx.db.prepare(`SELECT count(*) AS n FROM campaign_occurrences WHERE series_id = ? AND outcome = 'started'`).get(seriesId) as { n: number }).n;
  }

  /** Up to `n` next occurrences of a series after `now`; a run limit counts the occurrences already run. */
  private upcomingRuns(seriesId: string | null, schedule: CampaignSchedule, now: number, n: number): number[] {
    const count = schedule.repeat?.count;
    const left = count ? Math.max(0, count - (seriesId ? this.runsOf(seriesId) : 0)) : n;
    return safeNextRuns(schedule, now, Math.min(n, left));
  }

  /** Starting a series: nothing is sent now; it waits for its first occurrence. */
  private startSeries(r: CampaignRow, d: Draft, plan: CampaignPlan): CampaignSummary {
    // Nobody eligible today may change by the first occurrence; everything else must be right now.
    const blockers = plan.blockers.filter((b) => b.code !== 'nobody_eligible');
    if (blockers.length) throw new PacerError('conflict', `Campaign ${r.id} cannot start: ${blockers.map((b) => b.message).join('; ')}`, { blockers });
    const now = this.ctx.clock.now();
    const next = this.nextRunOf(r.id, d.schedule, now);
    if (next === null) throw new PacerError('conflict', `Campaign ${r.id} cannot start: its repeat ends before its first occurrence`);
    this.ctx.db.prepare(`UPDATE campaigns SET state = 'scheduled', template_category = ?, started_at = ?, next_run_at = ?, updated_at = ?, pause_reason = NULL, pause_detail = NULL WHERE id = ?`)
      .run(plan.template.category, now, next, now, r.id);
    this.event(r.id, 'started', { series: true, next_run_at: next });
    this.ctx.emit('campaigns:changed', { id: r.id });
    return this.get(r.id);
  }

  private finishSeries(id: string, now: number): void {
    const changed = this.ctx.db.prepare(`UPDATE campaigns SET state = 'completed', next_run_at = NULL, finished_at = ?, updated_at = ? WHERE id = ? AND state IN ('scheduled', 'paused')`).run(now, now, id).changes;
    if (changed) this.event(id, 'completed', { series: true });
  }

  /** The unfinished occurrence of a series (at most one: occurrences never overlap). */
  private openOccurrence(seriesId: string): CampaignRow | null {
    return (this.ctx.db.prepare(`SELECT * FROM campaigns WHERE series_id = ? AND state IN ('scheduled', 'running', 'paused') ORDER BY occurrence_at DESC LIMIT 1`).get(seriesId) as CampaignRow | undefined) ?? null;
  }

  /** Called by the scheduler when a series' next occurrence is due (never twice at once per series). */
  async runSeries(id: string): Promise<void> {
    if (this.seriesInFlight.has(id)) return;
    this.seriesInFlight.add(id);
    try {
      await this.runSeriesOnce(id);
    } catch (e) {
      this.ctx.log.error('series occurrence failed', { id, error: String(e) });
    } finally {
      this.seriesInFlight.delete(id);
    }
  }

  /**
   * Every occurrence due by now is acted on exactly once (UNIQUE (series_id, due_at)): the latest
   * runs if it is within SERIES_GRACE_MS and the previous occurrence has finished; older ones (Pacer
   * was not running) are recorded as missed. Then the next due time is set, or the series completes.
   */
  private async runSeriesOnce(id: string): Promise<void> {
    const r = this.row(id);
    const start = this.ctx.clock.now();
    if (r.state !== 'scheduled' || r.next_run_at === null || r.next_run_at > start) return;
    const schedule = JSON.parse(r.schedule) as CampaignSchedule;
    const rep = schedule.repeat;
    if (!rep) return;
    const tz = schedule.tz ?? 'UTC';
    const due = [r.next_run_at];
    for (let t = nextOccurrence(rep, tz, r.next_run_at); t !== null && t <= start && due.length < 1000; t = nextOccurrence(rep, tz, t)) due.push(t);
    const latest = due.pop()!;
    const late = start - latest > SERIES_GRACE_MS;
    const runnable = !late && !this.openOccurrence(id);
    if (runnable) {
      // An uploaded header media id 23+ days old is uploaded again first, as a manual start does (media.ts).
      try { await refreshHeaderMedia(this.ctx, id); } catch (e) { this.ctx.log.warn('series: header media not uploaded again', { id, error: String(e) }); }
    }
    const d = this.occurrenceDraft(this.row(id));
    // Plan the occurrence from the series' definition now (audience, consent, frequency cap as usual).
    const planned = runnable ? await this.computePlan(d, null) : null;
    const cur = this.row(id);
    if (cur.state !== 'scheduled' || cur.next_run_at !== r.next_run_at) return; // paused, cancelled or edited meanwhile
    const now = this.ctx.clock.now();
    const record = this.ctx.db.prepare(`INSERT OR IGNORE INTO campaign_occurrences (series_id, due_at, outcome, reason, detail, campaign_id, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)`);
    const iso = (t: number) => new Date(t).toISOString();
    let occurrenceId: string | null = null;
    let outcome: { outcome: string; reason: string | null; detail: string | null } = { outcome: 'started', reason: null, detail: null };
    this.ctx.db.transaction(() => {
      for (const t of due) record.run(id, t, 'missed', 'not_running', `due ${iso(t)} while Pacer was not running; only the latest missed occurrence is caught up`, null, now);
      const open = this.openOccurrence(id);
      if (late) outcome = { outcome: 'missed', reason: 'not_running', detail: `due ${iso(latest)} while Pacer was not running; more than ${SERIES_GRACE_MS / 3_600_000} h ago when it started` };
      else if (open) outcome = { outcome: 'skipped', reason: 'overlap', detail: `the previous occurrence (${open.id}) is still ${open.state}` };
      else if (!planned?.result || planned.plan.blockers.length) outcome = { outcome: 'skipped', reason: 'blocked', detail: planned?.plan.blockers.map((b) => b.message).join('; ') || 'could not be planned' };
      if (outcome.outcome !== 'started') {
        record.run(id, latest, outcome.outcome, outcome.reason, outcome.detail, null, now);
      } else {
        occurrenceId = `cmp_${crypto.randomBytes(6).toString('hex')}`;
        this.ctx.db.prepare(`INSERT INTO campaigns (id, name, state, template_name, template_language, template_category, audience, params, header_media, phone_number_id, schedule, options, created_at, updated_at, series_id, occurrence_at)
          VALUES (?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(occurrenceId, d.name, d.template.name, d.template.language.replace('-', '_'), planned!.plan.template.category, d.audience,
          JSON.stringify(d.params), d.header_media ? JSON.stringify(d.header_media) : null, d.phone_number_id ?? null, JSON.stringify(d.schedule), JSON.stringify(d.options), now, now, id, latest);
        this.materialize(this.row(occurrenceId), d, planned!.plan, planned!.result!, now);
        record.run(id, latest, 'started', null, null, occurrenceId, now);
      }
      const next = this.nextRunOf(id, schedule, Math.max(latest, now));
      if (next === null) this.finishSeries(id, now);
      else this.ctx.db.prepare('UPDATE campaigns SET next_run_at = ?, updated_at = ? WHERE id = ?').run(next, now, id);
    })();
    this.event(id, 'occurrence', { due_at: latest, ...outcome, campaign_id: occurrenceId, missed_before: due.length });
    if (occurrenceId) {
      const occ: string = occurrenceId;
      this.exclusions.set(occ, planned!.result!.exclusions);
      this.event(occ, 'started', { series_id: id, due_at: latest, eligible: planned!.plan.eligible, excluded: planned!.plan.excluded, forecast: planned!.plan.forecast, finish_estimate: planned!.plan.finish_estimate });
      this.scheduler?.resetBaseline(occ);
      this.sender?.wake();
      this.ctx.emit('campaigns:changed', { id: occ });
    } else if (outcome.outcome === 'skipped') {
      this.ctx.log.warn('series occurrence skipped', { id, reason: outcome.reason, detail: outcome.detail });
    }
    this.ctx.emit('campaigns:changed', { id });
  }

  /** What each occurrence runs: the series' definition, sent at once (or in the local window), no repeat. */
  private occurrenceDraft(r: CampaignRow): Draft {
    const d = this.draftOf(r);
    return { ...d, schedule: { ...d.schedule, repeat: null, at: null, mode: d.schedule.mode === 'local_window' ? 'local_window' : 'now' } };
  }

  occurrences(id: string, limit: number): { rows: OccurrenceRow[]; total: number } {
    this.row(id);
    const total = (this.ctx.db.prepare('SELECT count(*) AS n FROM campaign_occurrences WHERE series_id = ?').get(id) as { n: number }).n;
    const rows = this.ctx.db.prepare(`SELECT o.due_at, o.outcome, o.reason, o.detail, o.recorded_at, c.id, c.state, c.started_at, c.finished_at
      FROM campaign_occurrences o LEFT JOIN campaigns c ON c.id = o.campaign_id WHERE o.series_id = ? ORDER BY o.due_at DESC LIMIT ?`).all(id, limit) as
      { due_at: number; outcome: OccurrenceRow['outcome']; reason: OccurrenceRow['reason']; detail: string | null; recorded_at: number; id: string | null; state: CampaignState | null; started_at: number | null; finished_at: number | null }[];
    return {
      total,
      rows: rows.map((o) => {
        const counts = o.id ? this.counts(o.id) : null;
        return {
          due_at: o.due_at, outcome: o.outcome, reason: o.reason, detail: o.detail, recorded_at: o.recorded_at,
          campaign: o.id && counts ? { id: o.id, state: o.state!, counts, total: sum(counts), started_at: o.started_at, finished_at: o.finished_at } : null,
        };
      }),
    };
  }

  private setState(id: string, state: CampaignState, ev: { kind: string; detail?: Record<string, unknown> }): void {
    this.ctx.db.prepare('UPDATE campaigns SET state = ?, updated_at = ? WHERE id = ?').run(state, this.ctx.clock.now(), id);
    this.event(id, ev.kind, ev.detail ?? {});
    this.sender?.wake();
    this.ctx.emit('campaigns:changed', { id });
    this.touch(id);
  }

  pause(id: string): CampaignSummary {
    const r = this.row(id);
    if (r.state !== 'running' && r.state !== 'scheduled') throw new PacerError('conflict', `Campaign ${id} is ${r.state}: only a running or scheduled campaign can be paused`);
    if (isSeriesRow(r)) {
      // No further occurrences; an occurrence that is sending pauses too (resume resumes both).
      const open = this.openOccurrence(id);
      if (open && open.state !== 'paused') this.pause(open.id);
    }
    this.ctx.db.prepare(`UPDATE campaigns SET state = 'paused', pause_reason = 'user', pause_detail = NULL, auto_resume = 0, next_run_at = NULL, updated_at = ? WHERE id = ?`).run(this.ctx.clock.now(), id);
    this.sender?.forget(id);
    this.event(id, 'paused', { reason: 'user' });
    this.ctx.emit('campaigns:changed', { id });
    return this.get(id);
  }

  /** Automatic pause with a reason (null id: every running campaign — the account cannot send). */
  private autoPause(id: string | null, reason: PauseReason, detail: string, autoResume: boolean): void {
    const ids = id === null
      ? (this.ctx.db.prepare(`SELECT id FROM campaigns WHERE state = 'running'`).all() as { id: string }[]).map((r) => r.id)
      : [id];
    for (const cid of ids) {
      const changed = this.ctx.db.prepare(`UPDATE campaigns SET state = 'paused', pause_reason = ?, pause_detail = ?, auto_resume = ?, updated_at = ? WHERE id = ? AND state = 'running'`)
        .run(reason, detail, autoResume ? 1 : 0, this.ctx.clock.now(), cid).changes;
      if (!changed) continue;
      this.sender?.forget(cid);
      this.event(cid, 'paused', { reason, detail, auto_resume: autoResume });
      this.ctx.log.warn('campaign paused', { id: cid, reason, detail });
      const name = (this.ctx.db.prepare('SELECT name FROM campaigns WHERE id = ?').get(cid) as { name: string }).name;
      this.ctx.emit('campaigns:alert', { id: cid, name, kind: reason === 'account_halted' ? 'account_halted' : 'paused', reason, detail, at: this.ctx.clock.now() });
      this.ctx.emit('campaigns:changed', { id: cid });
    }
  }

  resume(id: string): CampaignSummary {
    this.resumeInternal(id, false);
    return this.get(id);
  }

  private resumeInternal(id: string, automatic: boolean): void {
    const r = this.row(id);
    if (r.state !== 'paused') throw new PacerError('conflict', `Campaign ${id} is ${r.state}: only a paused campaign can be resumed`);
    if (isSeriesRow(r)) return this.resumeSeries(r);
    // Resuming into an account that cannot send would only fire requests into the same refusal.
    const blocker = this.ports.account.sendBlocker();
    if (blocker && !automatic) {
      throw new PacerError('unavailable', `The account cannot send: ${blocker}. Fix it on the Account page, then resume.`, { reason: 'account_blocked', blocker });
    }
    const state: CampaignState = startTimeOf(r) > this.ctx.clock.now() ? 'scheduled' : 'running';
    this.ctx.db.prepare(`UPDATE campaigns SET state = ?, pause_reason = NULL, pause_detail = NULL, auto_resume = 0, updated_at = ? WHERE id = ?`).run(state, this.ctx.clock.now(), id);
    this.scheduler?.resetBaseline(id);
    this.event(id, 'resumed', { automatic, after: r.pause_reason });
    if (automatic) this.ctx.emit('campaigns:alert', { id, name: r.name, kind: 'resumed', reason: r.pause_reason, detail: 'sending resumed automatically', at: this.ctx.clock.now() });
    this.sender?.wake();
    this.ctx.emit('campaigns:changed', { id });
  }

  /** Occurrences due while paused are not run; the next one is the first after now. */
  private resumeSeries(r: CampaignRow): void {
    const now = this.ctx.clock.now();
    const open = this.openOccurrence(r.id);
    if (open?.state === 'paused' && open.pause_reason === 'user') this.resumeInternal(open.id, false);
    const next = this.nextRunOf(r.id, JSON.parse(r.schedule) as CampaignSchedule, now);
    this.ctx.db.prepare(`UPDATE campaigns SET state = 'scheduled', pause_reason = NULL, pause_detail = NULL, auto_resume = 0, next_run_at = ?, updated_at = ? WHERE id = ?`).run(next, now, r.id);
    this.event(r.id, 'resumed', { automatic: false, next_run_at: next });
    if (next === null) this.finishSeries(r.id, now);
    this.ctx.emit('campaigns:changed', { id: r.id });
  }

  cancel(id: string): CampaignSummary {
    const r = this.row(id);
    if (r.state === 'completed' || r.state === 'cancelled') throw new PacerError('conflict', `Campaign ${id} is already ${r.state}`);
    if (isSeriesRow(r)) {
      // Cancelling a series stops everything: no further occurrences, and the unfinished one is cancelled.
      const open = this.openOccurrence(id);
      if (open) this.cancel(open.id);
      this.ctx.db.prepare('UPDATE campaigns SET next_run_at = NULL WHERE id = ?').run(id);
    }
    const now = this.ctx.clock.now();
    this.ctx.db.transaction(() => {
      this.ctx.db.prepare(`UPDATE campaigns SET state = 'cancelled', finished_at = ?, updated_at = ? WHERE id = ?`).run(now, now, id);
      this.ctx.db.prepare(`UPDATE campaign_recipients SET state = 'skipped', skip_reason = 'cancelled', updated_at = ? WHERE campaign_id = ? AND state = 'pending'`).run(now, id);
    })();
    this.sender?.forget(id);
    this.event(id, 'cancelled', {});
    this.ctx.emit('campaigns:changed', { id });
    this.touch(id);
    return this.get(id);
  }

  private complete(id: string): void {
    const now = this.ctx.clock.now();
    const changed = this.ctx.db.prepare(`UPDATE campaigns SET state = 'completed', finished_at = ?, updated_at = ? WHERE id = ? AND state = 'running'`).run(now, now, id).changes;
    if (!changed) return;
    const counts = this.counts(id);
    this.event(id, 'completed', { counts });
    const name = (this.ctx.db.prepare('SELECT name FROM campaigns WHERE id = ?').get(id) as { name: string }).name;
    this.ctx.emit('campaigns:alert', { id, name, kind: 'completed', reason: null, detail: counts.uncertain ? `${counts.uncertain} recipient(s) uncertain: review and resend explicitly if wanted` : null, at: now });
    this.ctx.emit('campaigns:changed', { id });
    this.touch(id);
  }

  /**
   * A completed campaign has a row waiting again (a 131049 answered after the campaign finished is
   * retried after 24 h): it is running again, waiting for that retry, so the campaign, its report
   * and `campaign status` agree with the ledger. The scheduler completes it once the retry is done.
   */
  private reopen(id: string, notBefore: number): void {
    const now = this.ctx.clock.now();
    const changed = this.ctx.db.prepare(`UPDATE campaigns SET state = 'running', finished_at = NULL, updated_at = ? WHERE id = ? AND state = 'completed'`).run(now, id).changes;
    if (!changed) return;
    this.event(id, 'reopened', { reason: 'retry_131049', not_before: notBefore });
    this.sender?.wake();
    this.ctx.emit('campaigns:changed', { id });
  }

  /** The campaign's pace changed (campaigns/pace.ts): the sender drops its queued rows and refills with the new rate. */
  paceChanged(id: string): void {
    this.sender?.forget(id);
  }

  /** Explicit resend of failed (not opted-out) or uncertain rows. */
  resend(id: string, which: 'failed' | 'uncertain'): { requeued: number; campaign: CampaignSummary } {
    const r = this.row(id);
    if (r.state === 'draft' || r.state === 'cancelled') throw new PacerError('conflict', `Campaign ${id} is ${r.state}: nothing to resend`);
    const now = this.ctx.clock.now();
    let requeued = 0;
    this.ctx.db.transaction(() => {
      requeued = which === 'uncertain'
        ? this.ctx.db.prepare(`UPDATE campaign_recipients SET state = 'pending', not_before = NULL, wamid = NULL, updated_at = ? WHERE campaign_id = ? AND state = 'uncertain' AND phone IS NOT NULL`).run(now, id).changes
        : this.ctx.db.prepare(`UPDATE campaign_recipients SET state = 'pending', not_before = NULL, wamid = NULL, updated_at = ? WHERE campaign_id = ? AND state = 'failed' AND phone IS NOT NULL
            AND coalesce(error_class, '') NOT IN ('suppress_contact')`).run(now, id).changes;
      if (requeued && r.state === 'completed') this.ctx.db.prepare(`UPDATE campaigns SET state = 'running', finished_at = NULL, updated_at = ? WHERE id = ?`).run(now, id);
    })();
    this.event(id, 'resend', { which, requeued });
    this.sender?.wake();
    this.ctx.emit('campaigns:changed', { id });
    return { requeued, campaign: this.get(id) };
  }

  // ---- reading -------------------------------------------------------------------------------

  status(id: string): CampaignStatus {
    const r = this.row(id);
    const counts = this.counts(id);
    const now = this.ctx.clock.now();
    const rt = runtimeOf(r, this.ports.templates.get(r.template_name, r.template_language));
    const number = r.phone_number_id ?? this.ports.account.defaultPhoneNumberId();
    const window = this.windowNow();
    const pending = this.ctx.db.prepare(`SELECT phone_hash FROM campaign_recipients WHERE campaign_id = ? AND state = 'pending' ORDER BY id`).all(id) as { phone_hash: string }[];
    const f = forecast({
      now: Math.max(now, startTimeOf(r)), recipients: pending.map((p) => ({ inWindow: window.has(p.phone_hash, now) })), windowTimes: window.liveTimes(now),
      budget: this.sender?.budgetFor(rt.margin) ?? usableBudget(tierLimit(this.ports.account.messagingLimit()) ?? 250, rt.margin), throughput: rt.rate,
    });
    let waiting: CampaignStatus['waiting'] = null;
    if (isSeriesRow(r)) waiting = r.state === 'scheduled' && r.next_run_at !== null ? { reason: 'scheduled', until: new Date(r.next_run_at).toISOString() } : null;
    else if (r.state === 'scheduled') waiting = { reason: 'scheduled', until: new Date(startTimeOf(r)).toISOString() };
    else if (r.state === 'running' && this.sender?.waitReason) waiting = { reason: this.sender.waitReason, until: this.sender.waitUntil ? new Date(this.sender.waitUntil).toISOString() : null };
    else if (r.state === 'running') {
      // Read from the ledger, so a host without a sender (the CLI) tells the same: nothing is due
      // now and the next row waits for a retry (e.g. 131049's 24 hours).
      const due = this.ctx.db.prepare(`SELECT count(*) AS n FROM campaign_recipients WHERE campaign_id = ? AND state = 'pending' AND (not_before IS NULL OR not_before <= ?)`).get(id, now) as { n: number };
      const next = this.ctx.db.prepare(`SELECT min(not_before) AS t FROM campaign_recipients WHERE campaign_id = ? AND state = 'pending' AND not_before > ?`).get(id, now) as { t: number | null };
      if (due.n === 0 && next.t !== null) waiting = { reason: 'retry_later', until: new Date(next.t).toISOString() };
    }
    const errors = this.ctx.db.prepare(`SELECT error_code AS code, error_class, count(*) AS count FROM campaign_recipients WHERE campaign_id = ? AND state = 'failed' GROUP BY error_code, error_class ORDER BY count DESC`).all(id) as CampaignStatus['errors'];
    return {
      id, state: r.state, counts, total: sum(counts), pause_reason: r.pause_reason, pause_detail: r.pause_detail,
      rate: this.sender?.rateFor(number) || rt.rate, waiting, forecast: f.windows, finish_estimate: f.finishEstimate, errors,
    };
  }

  recipients(input: { id: string; state?: RecipientState | RecipientState[]; error_code?: number; search?: string; cursor?: number; limit: number }) {
    this.row(input.id);
    const where = ['campaign_id = ?'];
    const params: unknown[] = [input.id];
    if (input.state) {
      const states = Array.isArray(input.state) ? input.state : [input.state];
      where.push(`state IN (${states.map(() => '?').join(',')})`);
      params.push(...states);
    }
    if (input.error_code !== undefined) { where.push('error_code = ?'); params.push(input.error_code); }
    if (input.search) { where.push(`phone LIKE ? ESCAPE '\\'`); params.push(`%${input.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`); }
    const total = (this.ctx.db.prepare(`SELECT count(*) AS n FROM campaign_recipients WHERE ${where.join(' AND ')}`).get(...params) as { n: number }).n;
    const rows = this.ctx.db.prepare(`SELECT id, contact_id, phone, country, state, skip_reason, wamid, error_code, error_class, error_detail, attempts, not_before,
        claimed_at, accepted_at, sent_at, delivered_at, read_at, failed_at FROM campaign_recipients WHERE ${where.join(' AND ')} AND id > ? ORDER BY id LIMIT ?`)
      .all(...params, input.cursor ?? 0, input.limit) as RecipientRow[];
    return { rows, next_cursor: rows.length === input.limit ? rows[rows.length - 1]!.id : null, total };
  }

  events(id: string, limit: number): CampaignEvent[] {
    return (this.ctx.db.prepare('SELECT at, kind, detail FROM campaign_events WHERE campaign_id = ? ORDER BY id DESC LIMIT ?').all(id, limit) as { at: number; kind: string; detail: string }[])
      .map((e) => ({ at: e.at, kind: e.kind, detail: JSON.parse(e.detail) as Record<string, unknown> }));
  }

  private event(id: string, kind: string, detail: Record<string, unknown>): void {
    this.ctx.db.prepare('INSERT INTO campaign_events (campaign_id, at, kind, detail) VALUES (?, ?, ?, ?)').run(id, this.ctx.clock.now(), kind, JSON.stringify(detail));
  }

  /** Rows of the report (one per recipient), streaming-friendly. */
  *reportRows(id: string): Generator<RecipientRow> {
    const stmt = this.ctx.db.prepare(`SELECT id, contact_id, phone, country, state, skip_reason, wamid, error_code, error_class, error_detail, attempts, not_before,
        claimed_at, accepted_at, sent_at, delivered_at, read_at, failed_at FROM campaign_recipients WHERE campaign_id = ? ORDER BY id`);
    for (const r of stmt.iterate(id)) yield r as RecipientRow;
  }

  reportSummary(id: string) {
    const campaign = this.get(id);
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
      errors: this.status(id).errors,
      events: this.events(id, 200),
    };
  }

  // ---- preview and test send -----------------------------------------------------------------

  async preview(input: { id?: string; draft?: CampaignDraft; contact_id?: number }): Promise<CampaignPreview> {
    const d = input.id ? this.draftOf(this.row(input.id)) : campaignDraftSchema.parse(input.draft);
    const t = this.ports.templates.get(d.template.name, d.template.language);
    if (!t) throw badInput(`Template ${d.template.name} (${d.template.language}) is not among the synced templates`);
    let compiled: CompiledMapping;
    try { compiled = compileMapping(t, d.params); } catch (e) { throw badInput((e as Error).message); }
    let contact = input.contact_id !== undefined ? this.ports.contacts.contact(input.contact_id) : null;
    if (input.contact_id !== undefined && !contact) throw notFound(`No contact ${input.contact_id}`);
    if (!contact) contact = (await this.ports.contacts.resolveAudience(d.audience, consentCategoryOf(t.category)))[0] ?? null;
    const resolved = resolveParams(compiled, contact ?? { phone: '' });
    const values = resolved.ok ? resolved.values : {};
    const view = renderPreview(t, values);
    const footer = t.components.find((c) => c.type.toUpperCase() === 'FOOTER')?.text ?? null;
    return {
      contact: contact ? { id: Number(contact.id), phone: contact.phone, name: contact.name ?? '' } : null,
      params: values, missing: resolved.ok ? [] : resolved.missing,
      header: view.header, body: view.body, footer, buttons: view.buttons,
      direction: /[\u0590-\u08FF]/.test(view.body) ? 'rtl' : 'ltr',
    };
  }

  /**
   * Sends now to the given numbers (as typed), each through a campaign recipient's gates
   * (test-send.ts), counted in the 24-hour budget like any send.
   */
  async testSend(id: string, to: string[], contactId?: number, opts: { iHaveConsent?: boolean; actor?: string } = {}): Promise<TestSendResult> {
    const r = this.row(id);
    const t = this.ports.templates.get(r.template_name, r.template_language);
    if (!t || t.status !== 'APPROVED') throw new PacerError('conflict', `Template ${r.template_name} is ${t ? t.status : 'not synced'}: only APPROVED templates can be sent`);
    const blocker = this.ports.account.sendBlocker();
    if (blocker) throw new PacerError('unavailable', `The account cannot send: ${blocker}`);
    const rt = runtimeOf(r, t);
    if (!rt.compiled) throw badInput('The parameter mapping does not fit the template');
    const typed = splitTestNumbers(to);
    if (typed.length === 0 || typed.length > TEST_SEND_MAX) throw badInput(`Give 1 to ${TEST_SEND_MAX} numbers (got ${typed.length})`);
    const phoneNumberId = r.phone_number_id ?? this.ports.account.defaultPhoneNumberId();
    if (!phoneNumberId) throw new PacerError('unavailable', 'No sending phone number is configured');
    const results = await sendTests({
      ctx: this.ctx, ports: this.ports, campaignId: id, template: t, compiled: rt.compiled, headerMedia: rt.headerMedia, phoneNumberId,
      valuesFrom: contactId !== undefined ? this.ports.contacts.contact(contactId) : null,
      window: this.windowNow(), budget: usableBudget(tierLimit(this.ports.account.messagingLimit()) ?? 250, rt.margin), hash: this.hash,
      iHaveConsent: opts.iHaveConsent ?? false, actor: opts.actor ?? 'user',
    }, typed);
    this.event(id, 'test_send', { to: results.map((x) => ({ ok: x.ok, reason: x.reason, error_code: x.error_code, ...(x.consent_recorded ? { consent_recorded: true } : {}) })) });
    return { results };
  }

  // ---- rate card -----------------------------------------------------------------------------

  rateCard(): RateCardEntry[] {
    return this.ctx.db.prepare('SELECT category, country, price, currency FROM rate_card ORDER BY category, country').all() as RateCardEntry[];
  }

  setRateCard(entries: RateCardEntry[]): RateCardEntry[] {
    const byCat = new Map<string, Set<string>>();
    for (const e of entries) { const s = byCat.get(e.category) ?? new Set(); s.add(e.currency); byCat.set(e.category, s); }
    for (const [cat, cur] of byCat) if (cur.size > 1) throw badInput(`The rate card mixes currencies for ${cat}: ${[...cur].join(', ')}`);
    const now = this.ctx.clock.now();
    this.ctx.db.transaction(() => {
      this.ctx.db.prepare('DELETE FROM rate_card').run();
      const ins = this.ctx.db.prepare('INSERT INTO rate_card (category, country, price, currency, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (category, country) DO UPDATE SET price = excluded.price, currency = excluded.currency');
      for (const e of entries) ins.run(e.category, e.country, e.price, e.currency, now);
    })();
    return this.rateCard();
  }

  bizOpaqueFor(rowId: number): string {
    return bizOpaqueFor(rowId);
  }
}

const sum = (c: RecipientCounts) => Object.values(c).reduce((a, b) => a + b, 0);
const numOrNull = (x: number | string) => (typeof x === 'number' ? x : Number.isFinite(Number(x)) ? Number(x) : null);
const safeNextRuns = (s: CampaignSchedule, now: number, n: number) => { try { return s.repeat ? nextOccurrences(s.repeat, s.tz ?? 'UTC', now, n) : []; } catch { return []; } };
const safeTime = (at: string, tz: string | null | undefined) => { try { return parseLocalDateTime(at, tz ?? 'UTC'); } catch { return 0; } };

/** The zones of the most common recipient country (forecasts use one zone set). */
function dominantZones(countries: (string | null)[], rules: NonNullable<ReturnType<typeof rulesOf>>, tz: string | null | undefined): string[] {
  if (tz) return [tz];
  const n = new Map<string | null, number>();
  for (const c of countries) n.set(c, (n.get(c) ?? 0) + 1);
  const top = [...n].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  return effectiveZones(top, null, rules);
}

const services = new WeakMap<CoreContext, CampaignsService>();

/** The campaigns service of a core (created on first use). */
export function campaignsFor(ctx: CoreContext, ports?: CampaignPorts): CampaignsService {
  let s = services.get(ctx);
  if (!s) {
    s = new CampaignsService(ctx, ports);
    services.set(ctx, s);
  }
  return s;
}
