/**
 * Campaigns: build, plan, schedule, send, watch. Keys are snake_case so the CLI's JSON output
 * (../shared/design/cli.md) is exactly these objects.
 *
 * Lifecycle (campaign `state`):
 *   draft → (start) → scheduled (start time / window not reached) → running → completed
 *   running ⇄ paused (by the user, or automatically with `pause_reason`; auto-paused campaigns with
 *   `auto_resume` resume by themselves, e.g. when the template is APPROVED again)
 *   any but completed → cancelled (pending rows become skipped 'cancelled')
 * A recurring series (schedule.repeat) has no ledger of its own: started, it is 'scheduled' until its
 * last occurrence (then 'completed'); each occurrence is a campaign of its own with `series_id`.
 * A campaign is "completed" when no row is pending/sending; rows left `uncertain` are NOT resent
 * automatically — the UI offers `campaigns:resend` with which: 'uncertain' after review.
 *
 * Send-ledger row `state` (one per recipient, one-way):
 *   pending → sending → accepted → sent → delivered → read, or failed / skipped / uncertain.
 */
import { pricingMethods, type CampaignClicks, type CampaignCostReport, type RateCardInfo } from './pricing';
import { z } from 'zod';
import { method } from './define';
import { WEEKDAYS } from '../campaigns/recurrence';
import { splitTestNumbers, TEST_SEND_MAX } from '../campaigns/test-numbers';
import { CAMPAIGN_TTL_MAX_S, CAMPAIGN_TTL_MIN_S } from '../message-ttl';

export const CAMPAIGN_STATES = ['draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled'] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];

export const RECIPIENT_STATES = ['pending', 'sending', 'accepted', 'sent', 'delivered', 'read', 'failed', 'skipped', 'uncertain'] as const;
export type RecipientState = (typeof RECIPIENT_STATES)[number];

/** Why a contact of the audience is not sent to (plan) — each counted and listable. */
export const EXCLUSION_REASONS = [
  'no_consent',
  'opted_out',
  'invalid',
  'frequency_cap',
  'us_marketing',
  'duplicate',
  'unmapped_parameter',
  'held_number_changed',
] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

/**
 * Why a campaign was paused automatically (the UI translates each code; `pause_detail` has the
 * specifics, e.g. the error message or the failure rate):
 * - template_paused / template_disabled / template_missing: the template cannot be sent (132015,
 *   132016, 132001 or a template_status webhook). template_paused resumes by itself on APPROVED.
 * - template_quality_red: the watchdog saw the template's quality turn RED.
 * - number_quality: the sending number's quality dropped (phone_quality webhook / account refresh).
 * - failure_rate: more than `watchdog.failure_rate` of the last `watchdog.window` sends failed.
 * - account_halted: the account cannot send (190 token expired, 368, 131031, 131048 …).
 * - user: paused by the user.
 */
export const PAUSE_REASONS = [
  'user',
  'template_paused',
  'template_disabled',
  'template_missing',
  'template_quality_red',
  'number_quality',
  'failure_rate',
  'account_halted',
  'mm_strict_refused',
] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];

const hhmmRange = z.string().regex(/^\d{1,2}:\d{2}\s*-\s*\d{1,2}:\d{2}$/, 'use HH:MM-HH:MM');

/**
 * When to send.
 * - now: as soon as started.
 * - at: from `at` (ISO 8601; without an offset it is read in `tz`).
 * - local_window: within `window` in each recipient's time zone (from the phone's country, or the
 *   contact attribute named by `tz_attribute`), optionally from `at`.
 * `quiet` (HH:MM-HH:MM, local to the recipient, or to `tz` in the other modes) is never sent in.
 */
/**
 * A recurring series (optional): every occurrence is its own campaign run, created from the series'
 * definition at `time` in the schedule's `tz` (UTC when none), with the audience evaluated at that
 * moment. `mode` then says how each occurrence sends ('now' = right away, 'local_window' = within
 * each recipient's window); 'at' does not combine with a repeat.
 * - daily: every day at `time`; weekly: on `days` at `time`.
 * - `until`: last local date (inclusive) an occurrence may fall on; `count`: at most this many
 *   occurrences are run (skipped or missed ones do not count). Either, both or neither.
 */
export const repeatSchema = z
  .object({
    frequency: z.enum(['daily', 'weekly']),
    days: z.array(z.enum(WEEKDAYS)).max(7).nullable().optional(),
    time: z.string().regex(/^([01]?\d|2[0-3]):[0-5]\d$/, 'use HH:MM (24 h)'),
    until: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD')
      .nullable()
      .optional(),
    count: z.number().int().min(1).max(10_000).nullable().optional(),
  })
  .strict();
export type CampaignRepeat = z.output<typeof repeatSchema>;

export const scheduleSchema = z
  .object({
    mode: z.enum(['now', 'at', 'local_window']).default('now'),
    at: z.string().max(40).nullable().optional(),
    tz: z.string().max(64).nullable().optional(),
    window: hhmmRange.nullable().optional(),
    quiet: hhmmRange.nullable().optional(),
    tz_attribute: z.string().max(64).nullable().optional(),
    repeat: repeatSchema.nullable().optional(),
  })
  .strict();
export type CampaignSchedule = z.output<typeof scheduleSchema>;

export const optionsSchema = z
  .object({
    /** Sends per second for this campaign's number (default 80; adapted down on 130429; max 1,000). */
    rate: z.number().int().min(1).max(1000).optional(),
    /** Part of the portfolio's 24-hour limit left unused for other tools (default 0.1 = 10 %). */
    margin: z.number().min(0).max(0.9).optional(),
    /** Own frequency cap from the local send history, e.g. { max: 1, days: 7 }. */
    frequency_cap: z
      .object({ max: z.number().int().min(1).max(100), days: z.number().int().min(1).max(365) })
      .nullable()
      .optional(),
    /** 131049 (per-user marketing cap): retry after 24 h, at most this many times (default 2; 0 = never). */
    retry_131049: z.number().int().min(0).max(7).optional(),
    /** Watchdog: pause when more than failure_rate of the last `window` sends failed (default 0.2 over 50). */
    watchdog: z.object({ failure_rate: z.number().min(0.01).max(1), window: z.number().int().min(10).max(10_000) }).optional(),
    /**
     * Over the 24-hour limit: send only what the budget allows at start (the rest is skipped as
     * `over_limit`); default false = send over days as the budget frees (campaigns/pace.ts).
     */
    today_only: z.boolean().optional(),
    /**
     * Marketing message time-to-live, seconds (shared/message-ttl.ts): a row not sent within this
     * of the campaign's start is skipped as `ttl_expired`, so a flash offer is not sent late.
     */
    ttl: z.number().int().min(CAMPAIGN_TTL_MIN_S).max(CAMPAIGN_TTL_MAX_S).nullable().optional(),
  })
  .strict();
export type CampaignOptions = z.output<typeof optionsSchema>;

/**
 * Header media: a public URL, or a media id from `campaigns:upload-media` (with what the UI shows
 * about the file, and the upload time: Meta keeps a media id 30 days; the core uploads the kept
 * copy again before a start when it is 23 days old).
 */
const mediaSchema = z.union([
  z.object({ link: z.string().url().max(2000) }).strict(),
  z
    .object({
      id: z.string().min(1).max(200),
      file_name: z.string().max(255).optional(),
      mime_type: z.string().max(100).optional(),
      size: z.number().int().nonnegative().optional(),
      sha256: z
        .string()
        .regex(/^[0-9a-f]{64}$/)
        .optional(),
      uploaded_at: z.number().int().nonnegative().optional(),
    })
    .strict(),
]);
export type HeaderMedia = z.output<typeof mediaSchema>;

/** `campaigns:upload-media`: the uploaded file as the campaign keeps it in `header_media`. */
export interface UploadedHeaderMedia {
  id: string;
  file_name: string;
  mime_type: string;
  size: number;
  sha256: string;
  uploaded_at: number;
}

/**
 * `params` maps each template parameter to a source:
 * keys `1`, `2`… (positional body) or the names of a named template, `header` (text header variable),
 * `button.N` (URL button suffix, N = button index); sources are a contact field (phone, first_name,
 * last_name, name, email), `attr.NAME`, or a quoted literal `"text"`, with `|fallback` terms.
 */
export const campaignDraftSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    template: z.object({ name: z.string().min(1).max(512), language: z.string().min(2).max(15) }).strict(),
    /** `all`, `tag:NAME`, `segment:NAME`, combined with and/or/not and parentheses. */
    audience: z.string().trim().min(1).max(4000),
    params: z.record(z.string().max(64), z.string().min(1).max(1000)).default({}),
    header_media: mediaSchema.nullable().optional(),
    /** Sending number (Graph phone-number id); default: the account's primary number. */
    phone_number_id: z.string().max(64).nullable().optional(),
    schedule: scheduleSchema.default({ mode: 'now' }),
    options: optionsSchema.default({}),
  })
  .strict();

/**
 * An edit: only the fields given change. Built without the draft's defaults — zod applies a
 * default inside an optional field, so `.partial()` would reset every omitted field to it.
 */
export const campaignPatchSchema = z
  .object(
    Object.fromEntries(
      Object.entries(campaignDraftSchema.shape).map(([k, v]) => [k, (v instanceof z.ZodDefault ? v.unwrap() : v).optional()]),
    ),
  )
  .strict() as unknown as z.ZodType<Partial<z.output<typeof campaignDraftSchema>>>;
export type CampaignDraft = z.input<typeof campaignDraftSchema>;

export type RecipientCounts = Record<RecipientState, number>;

/**
 * Where a campaign stands, read from its ledger by ONE function in the core
 * (electron/core/campaigns/ledger-state.ts `campaignStanding`) and carried by the summary, the status
 * and every progress event: the badge, the banner, the progress card, the list, the dashboard and
 * `pacer campaign status` show this and derive nothing themselves, so they cannot disagree.
 */
export interface CampaignStanding {
  /** The state shown: a campaign with rows still to send is running (even if it had finished before a resend). */
  state: CampaignState;
  /**
   * What happens next: edit (draft), start (scheduled, until = start), send (rows due now), retry
   * (rows wait for a retry time, until = the first), resume (paused), review (finished with uncertain
   * rows: the user decides), done, cancelled.
   */
  next: 'edit' | 'start' | 'send' | 'retry' | 'resume' | 'review' | 'done' | 'cancelled';
  /** ISO 8601 (UTC) for start / retry; null otherwise. */
  until: string | null;
  total: number;
  /** Rows no longer waiting: accepted or beyond, failed, skipped, uncertain. processed + remaining = total. */
  processed: number;
  /** Rows still to send (pending or being sent). */
  remaining: number;
  /** Rows that reached WhatsApp (accepted, sent, delivered or read). */
  sent: number;
  /** Sends per second while THIS campaign sends; null when it is not sending (never another campaign's rate). */
  rate: number | null;
  /** Whether it has begun sending (not draft or scheduled): a not-yet-run campaign shows its planned start, not "Started". */
  started: boolean;
}

export interface CampaignSummary {
  id: string;
  name: string;
  state: CampaignState;
  template: { name: string; language: string; category: string | null };
  audience: string;
  params: Record<string, string>;
  header_media: HeaderMedia | null;
  phone_number_id: string | null;
  schedule: CampaignSchedule;
  options: CampaignOptions;
  pause_reason: PauseReason | null;
  /** Human detail for the pause (English; the UI shows it under the translated reason). */
  pause_detail: string | null;
  auto_resume: boolean;
  counts: RecipientCounts;
  /** Rows in the ledger (0 until started: the audience is snapshotted at start). */
  total: number;
  standing: CampaignStanding;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  finished_at: number | null;
  duplicated_from: string | null;
  /** A recurring series (schedule.repeat set): its next occurrence and what ran so far; null otherwise. */
  series: SeriesInfo | null;
  /** An occurrence of a series: the series' id and the time the occurrence was due; null otherwise. */
  series_id: string | null;
  occurrence_at: number | null;
}

export interface SeriesInfo {
  /** When the next occurrence is due (ms); null for a draft, a paused, a finished or a cancelled series. */
  next_run_at: number | null;
  /** Occurrences run so far (each its own campaign), and the ones skipped or missed. */
  runs: number;
  skipped: number;
  missed: number;
  /** The latest run occurrence. */
  latest: { id: string; state: CampaignState; occurrence_at: number | null } | null;
}

/**
 * Why an occurrence of a series did not run:
 * - overlap: the previous occurrence was still sending (or paused) — occurrences never overlap;
 * - blocked: it could not start (template not APPROVED, account cannot send, nobody eligible…; `detail`);
 * - not_running: Pacer was not running at the time and it was more than the grace window (6 h) ago,
 *   or a later occurrence was also due (only the latest missed one is caught up).
 */
export const OCCURRENCE_REASONS = ['overlap', 'blocked', 'not_running'] as const;
export type OccurrenceReason = (typeof OCCURRENCE_REASONS)[number];

export interface OccurrenceRow {
  /** When it was due (ms). */
  due_at: number;
  outcome: 'started' | 'skipped' | 'missed';
  reason: OccurrenceReason | null;
  detail: string | null;
  recorded_at: number;
  /** The occurrence's own campaign (own ledger, counts, report) when it ran. */
  campaign: {
    id: string;
    state: CampaignState;
    counts: RecipientCounts;
    total: number;
    started_at: number | null;
    finished_at: number | null;
  } | null;
}

/** `pacer campaign status` JSON: {"id","state","counts":{…}} plus progress details. */
export interface CampaignStatus {
  id: string;
  state: CampaignState;
  counts: RecipientCounts;
  total: number;
  pause_reason: PauseReason | null;
  pause_detail: string | null;
  /** Sends per second in force now for the campaign's number (after 130429 adaptation). */
  rate: number;
  standing: CampaignStanding;
  /** Why nothing is being sent right now, when that is the case. */
  waiting: null | { reason: 'budget' | 'window' | 'retry_later' | 'scheduled' | 'account'; until: string | null };
  /** Remaining forecast from now. */
  forecast: ForecastWindow[];
  finish_estimate: string | null;
  /** Failures by Graph error code, with the classification used. */
  errors: { code: number | null; error_class: string | null; count: number }[];
}

export interface ForecastWindow {
  /** ISO 8601 (UTC) of the first and last send of a burst. */
  from: string;
  to: string;
  sends: number;
}

/**
 * What each plan blocker's `params` hold. The UI translates `code` with these params
 * (campaigns:plan.blocker.CODE); `message` is the same in English for the CLI and logs. The
 * renderer never reads `message` (test/unit/foundation/no-message-parsing.test.ts).
 */
export interface PlanBlockerParams {
  /** The template is not among the synced templates. */
  template_missing: { template: string; language: string };
  /** The template's status is not APPROVED. */
  template_not_approved: { template: string; language: string; status: string };
  /** The mapping names a parameter the template does not have; `known` lists the template's (comma-separated). */
  param_unknown: { template: string; parameter: string; known: string };
  /** A placeholder of the template has no source. */
  param_unmapped: { template: string; parameter: string };
  /** A placeholder's source cannot be read (unknown field, unterminated literal, bad attribute name, empty). */
  param_source_invalid: { parameter: string; source: string };
  /** The template has a media header and the campaign has no link or file for it. */
  header_media_required: { format: 'image' | 'video' | 'document' };
  /** The uploaded header file is of another kind than the template's header. */
  header_media_kind: { file: string; kind: string; format: string };
  /** The uploaded file's media id expired (WhatsApp keeps uploads `days` days) and no copy is kept. */
  header_media_expired: { uploaded_on: string; days: number };
  /** The account cannot send: `blocker` is a SendBlocker code (whatsapp contract). */
  account_blocked: { blocker: string };
  /** Nobody in the audience is eligible. */
  nobody_eligible: Record<string, never>;
}
export type PlanBlockerCode = keyof PlanBlockerParams;
const PLAN_BLOCKER_CODES: Record<PlanBlockerCode, true> = {
  template_missing: true,
  template_not_approved: true,
  param_unknown: true,
  param_unmapped: true,
  param_source_invalid: true,
  header_media_required: true,
  header_media_kind: true,
  header_media_expired: true,
  account_blocked: true,
  nobody_eligible: true,
};
export const PLAN_BLOCKERS = Object.keys(PLAN_BLOCKER_CODES) as PlanBlockerCode[];
/** A problem that blocks starting: a code and its params for the UI, the English `message` for the CLI. */
export type PlanBlocker = { [C in PlanBlockerCode]: { code: C; params: PlanBlockerParams[C]; message: string } }[PlanBlockerCode];

/** `pacer campaign plan` JSON. */
export interface CampaignPlan {
  audience: number;
  eligible: number;
  excluded: Record<ExclusionReason, number>;
  /** When each part goes out: the moving-24-hour budget (all campaigns, all numbers, the margin) and the throughput. */
  forecast: ForecastWindow[];
  finish_estimate: string | null;
  /** Estimate only: priced as if every eligible message were delivered (only delivered messages are billed). */
  cost_estimate: {
    currency: string | null;
    amount: number | null;
    estimate: true;
    unpriced: number;
    missing_countries: string[];
    card?: RateCardInfo;
  };
  budget: {
    /** Portfolio messaging limit (TIER_2K …) and its number; null = unknown/unlimited. */
    messaging_limit: string | null;
    limit: number | null;
    margin: number;
    /** Unique recipients messaged in the last 24 h by Pacer (every campaign, every number, test sends). */
    used_24h: number;
    /** What this campaign may use now. */
    available_now: number | null;
    /** Always shown: other tools sending from the same portfolio use the same budget. */
    shared_warning: true;
  };
  throughput: number;
  template: { name: string; language: string; category: string | null; status: string | null; sendable: boolean; why_not: string | null };
  /** Problems that block starting (unknown template, bad mapping…); empty = can start. */
  blockers: PlanBlocker[];
  /**
   * False when the template or its variables kept the plan from checking each contact (a blocker
   * says why): `eligible` and `excluded` are then not known, not zero. Absent on older answers.
   */
  checked?: boolean;
  /** A recurring series: its next occurrences (ISO 8601, UTC) if started now; empty otherwise. */
  next_runs: string[];
  /**
   * A marketing campaign's TTL option (null: none, or not marketing): the time its sends must be
   * done by if it starts as planned, and how many forecast sends fall after it (skipped as `ttl_expired`).
   */
  ttl?: { seconds: number; send_by: string; may_miss: number } | null;
}

export interface RecipientRow {
  id: number;
  contact_id: number | null;
  /** E.164; null after the contact was erased. */
  phone: string | null;
  /** The contact's display name (recipient pages only); null when unnamed or erased. */
  name?: string | null;
  country: string | null;
  state: RecipientState;
  skip_reason: string | null;
  wamid: string | null;
  error_code: number | null;
  error_class: string | null;
  error_detail: string | null;
  attempts: number;
  not_before: number | null;
  claimed_at: number | null;
  accepted_at: number | null;
  sent_at: number | null;
  delivered_at: number | null;
  read_at: number | null;
  failed_at: number | null;
  /** Meta's pricing object from the status webhook (category incl. marketing_lite; type regular / free_*). */
  pricing_category?: string | null;
  pricing_type?: string | null;
  /** What the message cost (the card's rate when Meta priced it; 0 when free; null = not priced / no rate). */
  cost_rate?: number | null;
  /** First click on the message (Meta's click event), when Meta sends them for the account. */
  clicked_at?: number | null;
}

export interface CampaignEvent {
  at: number;
  kind: string;
  detail: Record<string, unknown>;
}

export interface CampaignReport {
  campaign: CampaignSummary;
  /** Delivered + read over accepted-or-later; read over delivered. */
  rates: { delivery: number | null; read: number | null; failure: number | null };
  errors: CampaignStatus['errors'];
  events: CampaignEvent[];
  /** Estimate vs actual cost from Meta's pricing webhooks, with the differences explained. */
  cost?: CampaignCostReport;
  clicks?: CampaignClicks;
  /** The report file when `format` was csv/xlsx/json with `out`. */
  file: string | null;
  rows: number;
}

/**
 * Why a test send did not send to a number — the same gates as a campaign recipient, with the
 * plan's / sender's reason names where they exist (the UI translates each code, `params` fill it in):
 * - invalid_number: not a valid mobile number (the import's normaliser, default country from Settings);
 *   params.kind: 'invalid_phone' | 'not_mobile' | 'no_phone'; params.country / calling_code / example /
 *   length say which country it was read for and what a valid mobile number there looks like.
 * - duplicate: the same number twice in one test send (sent once).
 * - erased: the person asked to be erased (suppression record); params.erased_at.
 * - opted_out: the number's contact opted out of the template's consent category; params.category.
 * - held_number_changed: the contact is held because its number changed hands; params.hold_reason.
 * - us_marketing_paused: a MARKETING template to a US (+1) number: Meta does not deliver them.
 * - no_consent: a MARKETING template and no marketing opt-in; params.is_contact says whether the
 *   number is a contact at all. `i_have_consent` records the user's confirmation and sends.
 * - missing_params: no value for some parameters; params.names.
 * - budget: the moving-24-hour unique-recipient budget is used up; params.limit.
 * - graph_error: Meta refused the send; `error_code` (and params.code) is Meta's code.
 * - send_failed: no answer from Meta (network, timeout): the message may or may not have arrived.
 */
export const TEST_SEND_REASONS = [
  'invalid_number',
  'duplicate',
  'erased',
  'opted_out',
  'held_number_changed',
  'us_marketing_paused',
  'no_consent',
  'missing_params',
  'budget',
  'graph_error',
  'send_failed',
] as const;
export type TestSendReason = (typeof TEST_SEND_REASONS)[number];

/** The specifics of a refusal (which fields depends on the reason, above). */
export interface TestSendParams {
  kind?: 'invalid_phone' | 'not_mobile' | 'no_phone';
  /** invalid_number: the country the number was read for (its "+" code, else the default country). */
  country?: string;
  /** invalid_number: that country's calling code ("972"). */
  calling_code?: string;
  /** invalid_number: an example mobile number of that country, international format. */
  example?: string;
  /** invalid_number: the digit count alone rules it out for that country. */
  length?: 'too_short' | 'too_long' | null;
  erased_at?: number;
  category?: 'marketing' | 'utility';
  hold_reason?: string;
  is_contact?: boolean;
  names?: string[];
  limit?: number;
  code?: number;
}

export interface TestSendOutcome {
  /** E.164 of the number; the text as typed when it is not a valid number. */
  to: string;
  /** The text as typed. */
  input: string;
  ok: boolean;
  wamid: string | null;
  /** Meta's error code when Meta refused the send (reason graph_error), else null. */
  error_code: number | null;
  /** Why it was not sent (null when sent). */
  reason: TestSendReason | null;
  params: TestSendParams;
  /** The same in English, for the CLI and logs (the app translates `reason`). */
  error: string | null;
  /** This send recorded the user's consent confirmation (`i_have_consent`) as a marketing opt-in. */
  consent_recorded: boolean;
}

export interface TestSendResult {
  results: TestSendOutcome[];
}

export interface CampaignPreview {
  contact: { id: number; phone: string; name: string } | null;
  /** Parameter values for that contact, or which parameters have no value (unmapped). */
  params: Record<string, string>;
  missing: string[];
  header: string | null;
  body: string;
  footer: string | null;
  buttons: string[];
  /** Text direction hint of the body ('rtl' for Hebrew/Arabic text). */
  direction: 'ltr' | 'rtl';
}

export interface RateCardEntry {
  category: string;
  /** ISO country code or '*' (any other country). */
  country: string;
  price: number;
  currency: string;
}

const idInput = z.object({ id: z.string().min(1).max(64) }).strict();

export const campaignsMethods = {
  ...pricingMethods,
  /** Every campaign, newest first, with counts. */
  'campaigns:list': method<CampaignSummary[]>()(z.object({ state: z.enum(CAMPAIGN_STATES).optional() }).strict()),
  'campaigns:get': method<CampaignSummary>()(idInput),
  /** Creates a draft (validated: template known, mapping complete, schedule valid). */
  'campaigns:create': method<CampaignSummary>()(campaignDraftSchema),
  /** Edits a draft or scheduled (not yet sending) campaign; fields as in create, all optional. */
  'campaigns:update': method<CampaignSummary>()(z.object({ id: z.string().min(1).max(64), patch: campaignPatchSchema }).strict()),
  /**
   * The plan: eligible count, exclusions, forecast, cost. Give `id` for a saved campaign, or
   * `draft` to plan unsaved builder choices live.
   */
  'campaigns:plan': method<CampaignPlan>()(
    z
      .object({ id: z.string().min(1).max(64).optional(), draft: campaignDraftSchema.optional() })
      .strict()
      .refine((v) => !!v.id !== !!v.draft, 'give either id or draft'),
  ),
  /** Snapshots the audience into the send ledger and starts (or schedules) sending. */
  'campaigns:start': method<CampaignSummary>()(idInput),
  'campaigns:pause': method<CampaignSummary>()(idInput),
  'campaigns:resume': method<CampaignSummary>()(idInput),
  'campaigns:cancel': method<CampaignSummary>()(idInput),
  /** A new draft with the same settings ("Copy of …"). */
  'campaigns:duplicate': method<CampaignSummary>()(idInput),
  /**
   * Explicit resend: 'failed' (failed rows whose error allows it: not opt-outs, not invalid
   * numbers) or 'uncertain' (rows whose outcome is unknown after a crash or a lost answer — the
   * user accepts that some may receive the message twice). Returns how many rows were re-queued.
   */
  /** not_retryable: failed rows left as they are (their failure cannot succeed on a resend: shared/campaigns/resend.ts). */
  'campaigns:resend': method<{ requeued: number; not_retryable: number; campaign: CampaignSummary }>()(
    z.object({ id: z.string().min(1).max(64), which: z.enum(['failed', 'uncertain']) }).strict(),
  ),
  'campaigns:status': method<CampaignStatus>()(idInput),
  /** The send ledger, paged (keyset on id), filtered by state / error code / phone substring. */
  'campaigns:recipients': method<{ rows: RecipientRow[]; next_cursor: number | null; total: number }>()(
    z
      .object({
        id: z.string().min(1).max(64),
        state: z.union([z.enum(RECIPIENT_STATES), z.array(z.enum(RECIPIENT_STATES)).min(1)]).optional(),
        error_code: z.number().int().optional(),
        search: z.string().max(40).optional(),
        cursor: z.number().int().min(0).optional(),
        limit: z.number().int().min(1).max(1000).default(100),
      })
      .strict(),
  ),
  /** Contacts of the plan excluded for a reason (listable exclusions). */
  'campaigns:exclusions': method<{
    rows: { contact_id: number | string; phone: string; reason: ExclusionReason; detail: string | null }[];
    total: number;
  }>()(
    z
      .object({
        id: z.string().min(1).max(64),
        reason: z.enum(EXCLUSION_REASONS).optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(100),
      })
      .strict(),
  ),
  /**
   * Sends the campaign's template now to a few numbers, each through a campaign recipient's gates
   * (consent, erasure, holds, US marketing, budget, parameters), answering per number. `to`: the
   * numbers as typed (any format the import takes; an entry may hold several separated by new
   * lines, commas or semicolons), at most TEST_SEND_MAX in all — each is validated by the core.
   */
  'campaigns:test-send': method<TestSendResult>()(
    z
      .object({
        id: z.string().min(1).max(64),
        to: z.array(z.string().max(2000)).min(1).max(TEST_SEND_MAX),
        /** Whose values to use for the parameters (default: the number's own contact, else the literal fallbacks). */
        contact_id: z.number().int().optional(),
        /**
         * For a MARKETING template: the user confirms each number opted in to marketing. A number without
         * marketing opt-in then gets a manual consent event (evidence "test send"); a number that is not
         * a contact becomes one. Never overrides an opt-out, an erasure or a hold.
         */
        i_have_consent: z.boolean().optional(),
      })
      .strict()
      .refine((v) => splitTestNumbers(v.to).length > 0, 'give at least one number')
      .refine((v) => splitTestNumbers(v.to).length <= TEST_SEND_MAX, `at most ${TEST_SEND_MAX} numbers in one test send`),
  ),
  /** The message as a chosen contact will see it. Give `id` or a `draft`. */
  'campaigns:preview': method<CampaignPreview>()(
    z
      .object({
        id: z.string().min(1).max(64).optional(),
        draft: campaignDraftSchema.optional(),
        contact_id: z.number().int().optional(),
      })
      .strict()
      .refine((v) => !!v.id !== !!v.draft, 'give either id or draft'),
  ),
  /** Report: rates, errors, events; with `format` + `out` writes one row per recipient. */
  'campaigns:report': method<CampaignReport>()(
    z
      .object({
        id: z.string().min(1).max(64),
        format: z.enum(['csv', 'json', 'xlsx']).optional(),
        // No output path: the core never writes a report where a caller names (the CLI writes --out
        // itself; the app saves campaigns:export's content through the save dialog).
      })
      .strict(),
  ),
  /** A series' occurrences, newest first: each run (with its own counts) and each skipped / missed one with its reason. */
  'campaigns:occurrences': method<{ rows: OccurrenceRow[]; total: number }>()(
    z
      .object({
        id: z.string().min(1).max(64),
        limit: z.number().int().min(1).max(1000).default(100),
      })
      .strict(),
  ),
  'campaigns:events': method<CampaignEvent[]>()(
    z.object({ id: z.string().min(1).max(64), limit: z.number().int().min(1).max(1000).default(200) }).strict(),
  ),
  'campaigns:delete': method<null>()(idInput),
  /**
   * Uploads a file picked for a media header (fileId from `files` upload) to the sending number
   * (POST /{phone-number-id}/media). Type by content (JPEG/PNG, MP4/3GP, PDF) and Meta's size
   * limits; `kind`: the template header's kind. Put the answer in the draft's `header_media`.
   */
  'campaigns:upload-media': method<UploadedHeaderMedia>()(
    z
      .object({
        fileId: z.string().uuid(),
        kind: z.enum(['image', 'video', 'document']).optional(),
        phone_number_id: z.string().max(64).nullable().optional(),
      })
      .strict(),
  ),
  'rate-card:get': method<RateCardEntry[]>()(z.object({}).strict()),
  /** Replaces the rate card (one currency per category). */
  'rate-card:set': method<RateCardEntry[]>()(
    z
      .object({
        entries: z
          .array(
            z
              .object({
                category: z.enum(['MARKETING', 'UTILITY', 'AUTHENTICATION']),
                country: z.string().regex(/^([A-Z]{2}|\*)$/),
                price: z.number().min(0).max(100),
                currency: z.string().regex(/^[A-Z]{3}$/),
              })
              .strict(),
          )
          .max(2000),
      })
      .strict(),
  ),
};

export interface CampaignProgress {
  id: string;
  state: CampaignState;
  counts: RecipientCounts;
  total: number;
  /** Sends per second in force. */
  rate: number;
  standing: CampaignStanding;
  at: number;
}

export interface CampaignAlert {
  id: string;
  name: string;
  /** 'paused' (automatically, see reason), 'resumed' (automatically), 'completed', 'account_halted'. */
  kind: 'paused' | 'resumed' | 'completed' | 'account_halted';
  reason: PauseReason | null;
  detail: string | null;
  at: number;
}

export interface CampaignsEvents {
  /** Batched, at most ~10 per second per campaign while sending. */
  'campaigns:progress': CampaignProgress;
  /** Automatic pauses / resumes / completion: show in the UI and as an OS notification. */
  'campaigns:alert': CampaignAlert;
  /** A campaign was created, edited, started… (lists refetch). */
  'campaigns:changed': { id: string };
}
export const campaignsEventNames = [
  'campaigns:progress',
  'campaigns:alert',
  'campaigns:changed',
] as const satisfies readonly (keyof CampaignsEvents)[];
