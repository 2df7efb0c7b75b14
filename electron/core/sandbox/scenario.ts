import fs from 'node:fs';
import { z } from 'zod';

/**
 * The scenario file: the account the sandbox pretends to be (portfolio, WABAs, numbers, templates),
 * how its recipients behave, Meta's limits, delivery timing, webhook quirks, faults and a timeline
 * of scripted events. JSON, snake_case like the Graph API. Every section has defaults, so `{}` is a
 * valid (empty) scenario; docs/sandbox.md documents each key.
 */

export const TEMPLATE_STATUSES = [
  'APPROVED',
  'ARCHIVED',
  'DELETED',
  'DISABLED',
  'IN_APPEAL',
  'LIMIT_EXCEEDED',
  'PAUSED',
  'PENDING',
  'PENDING_DELETION',
  'REJECTED',
] as const;
export const TEMPLATE_CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;
export const QUALITY_SCORES = ['GREEN', 'YELLOW', 'RED', 'UNKNOWN'] as const;
export const REJECTED_REASONS = [
  'ABUSIVE_CONTENT',
  'CATEGORY_NOT_AVAILABLE',
  'INCORRECT_CATEGORY',
  'INVALID_FORMAT',
  'NONE',
  'PROMOTIONAL',
  'SCAM',
  'TAG_CONTENT_MISMATCH',
] as const;
/** `whatsapp_business_manager_messaging_limit` values (v24+). */
export const MESSAGING_LIMITS = ['TIER_250', 'TIER_2K', 'TIER_10K', 'TIER_100K', 'TIER_UNLIMITED', 'UNTIERED'] as const;
export const PHONE_STATUSES = [
  'CONNECTED',
  'DISCONNECTED',
  'PENDING',
  'FLAGGED',
  'RESTRICTED',
  'RATE_LIMITED',
  'UNVERIFIED',
  'MIGRATED',
  'DELETED',
  'BANNED',
] as const;
export const PHONE_QUALITY = ['GREEN', 'YELLOW', 'RED', 'NA', 'UNKNOWN'] as const;
export const NAME_STATUSES = ['APPROVED', 'AVAILABLE_WITHOUT_REVIEW', 'DECLINED', 'EXPIRED', 'PENDING_REVIEW', 'NONE'] as const;
export const BUSINESS_VERTICALS = [
  'OTHER',
  'AUTO',
  'BEAUTY',
  'APPAREL',
  'EDU',
  'ENTERTAIN',
  'EVENT_PLAN',
  'FINANCE',
  'GROCERY',
  'GOVT',
  'HOTEL',
  'HEALTH',
  'NONPROFIT',
  'PROF_SERVICES',
  'RETAIL',
  'TRAVEL',
  'RESTAURANT',
  'NOT_A_BIZ',
] as const;

export type TemplateStatus = (typeof TEMPLATE_STATUSES)[number];
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];
export type QualityScore = (typeof QUALITY_SCORES)[number];
export type MessagingLimit = (typeof MESSAGING_LIMITS)[number];
export type PhoneStatus = (typeof PHONE_STATUSES)[number];
export type PhoneQuality = (typeof PHONE_QUALITY)[number];

/** Unique recipients per moving 24 h for each limit; UNTIERED/UNLIMITED have none. */
export const LIMIT_VALUES: Record<MessagingLimit, number> = {
  TIER_250: 250,
  TIER_2K: 2000,
  TIER_10K: 10_000,
  TIER_100K: 100_000,
  TIER_UNLIMITED: Number.POSITIVE_INFINITY,
  UNTIERED: Number.POSITIVE_INFINITY,
};
/** The automatic-scaling ladder (250 → 2K is a scaling path, not automatic). */
export const NEXT_LIMIT: Partial<Record<MessagingLimit, MessagingLimit>> = {
  TIER_2K: 'TIER_10K',
  TIER_10K: 'TIER_100K',
  TIER_100K: 'TIER_UNLIMITED',
};

const delayRange = z.tuple([z.number().nonnegative(), z.number().nonnegative()]).refine(([a, b]) => a <= b, 'min must be ≤ max');
const rate = z.number().min(0).max(1);

const button = z
  .object({
    type: z.enum(['QUICK_REPLY', 'URL', 'PHONE_NUMBER', 'COPY_CODE', 'FLOW', 'OTP', 'CATALOG', 'MPM']),
    text: z.string(),
    url: z.string().optional(),
    phone_number: z.string().optional(),
    example: z.array(z.string()).optional(),
  })
  .passthrough();

const component = z
  .object({
    type: z.enum(['HEADER', 'BODY', 'FOOTER', 'BUTTONS']),
    format: z.enum(['TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION']).optional(),
    text: z.string().optional(),
    buttons: z.array(button).optional(),
    example: z.record(z.string(), z.unknown()).optional(),
  })
  .passthrough();

export const templateSchema = z.object({
  id: z.string().regex(/^\d+$/).optional(),
  name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'template names are lowercase letters, digits and _'),
  language: z.string().min(2),
  status: z.enum(TEMPLATE_STATUSES).default('APPROVED'),
  category: z.enum(TEMPLATE_CATEGORIES),
  previous_category: z.string().optional(),
  sub_category: z.string().optional(),
  parameter_format: z.enum(['POSITIONAL', 'NAMED']).default('POSITIONAL'),
  components: z.array(component).min(1),
  /** Marketing message time-to-live set at creation (Meta: 43,200–2,592,000 s; shared/message-ttl.ts). */
  message_send_ttl_seconds: z.number().int().optional(),
  rejected_reason: z.enum(REJECTED_REASONS).optional(),
  quality_score: z.enum(QUALITY_SCORES).default('UNKNOWN'),
  /** How many times it was already paused for low quality (the 3rd RED disables it). */
  pause_count: z.number().int().min(0).max(2).default(0),
  /** Sends answer `held_for_quality_assessment` (template pacing) instead of `accepted`. */
  paced: z.boolean().default(false),
});

const businessProfile = z.object({
  about: z.string().max(139).optional(),
  address: z.string().max(256).optional(),
  description: z.string().max(256).optional(),
  email: z.string().max(128).optional(),
  websites: z.array(z.string().max(256)).max(2).optional(),
  vertical: z.enum(BUSINESS_VERTICALS).optional(),
  profile_picture_url: z.string().optional(),
});

const phoneNumber = z.object({
  id: z.string().regex(/^\d+$/),
  display_phone_number: z.string(),
  verified_name: z.string(),
  quality_rating: z.enum(PHONE_QUALITY).default('GREEN'),
  status: z.enum(PHONE_STATUSES).default('CONNECTED'),
  name_status: z.enum(NAME_STATUSES).default('APPROVED'),
  code_verification_status: z.string().default('VERIFIED'),
  throughput_level: z.enum(['STANDARD', 'HIGH']).default('STANDARD'),
  platform_type: z.string().default('CLOUD_API'),
  account_mode: z.enum(['LIVE', 'SANDBOX']).default('LIVE'),
  is_official_business_account: z.boolean().default(false),
  /** Coexistence numbers (WhatsApp Business app + Cloud API) are held at 20 mps. */
  coexistence: z.boolean().default(false),
  business_profile: businessProfile.prefault({}),
});

const waba = z.object({
  id: z.string().regex(/^\d+$/),
  name: z.string(),
  currency: z.string().default('USD'),
  timezone_id: z.string().default('1'),
  message_template_namespace: z.string().default('00000000_0000_0000_0000_000000000000'),
  account_review_status: z.string().default('APPROVED'),
  /** ACTIVE, or a locked/restricted account: sends fail with 131031 / 368. */
  health: z.enum(['ACTIVE', 'LOCKED', 'RESTRICTED']).default('ACTIVE'),
  phone_numbers: z.array(phoneNumber).default([]),
  templates: z.array(templateSchema).default([]),
});

const reply = z.object({
  /** After the first delivered template to this user, how long until the reply. */
  after_ms: z.number().nonnegative().default(30_000),
  kind: z.enum(['text', 'button', 'interactive', 'stop_text', 'stop_button', 'preference_stop']),
  text: z.string().optional(),
  payload: z.string().optional(),
  language: z.enum(['en', 'he', 'zh']).default('en'),
});

export const userSchema = z.object({
  phone: z.string().regex(/^\+\d{6,15}$/, 'users[].phone must be E.164 (+ and digits)'),
  /** The wa_id Meta answers with, when it differs from the number (e.g. Brazil's extra 9). */
  wa_id: z.string().regex(/^\d+$/).optional(),
  name: z.string().optional(),
  undeliverable: z.boolean().default(false),
  marketing_stopped: z.boolean().default(false),
  marketing_cap_reached: z.boolean().default(false),
  experiment_holdout: z.boolean().default(false),
  /** Never comes online: gets `sent` but never `delivered`/`read`. */
  offline: z.boolean().default(false),
  reads: z.boolean().optional(),
  reply: reply.optional(),
  /** Clicks the URL of every read marketing message (true) or never (false); unset: clicks.rate decides. */
  clicks: z.boolean().optional(),
  /** Came through a Click-to-WhatsApp ad: messages to them are in a free entry point window (pricing type free_entry_point). */
  free_entry_point: z.boolean().optional(),
});

const timelineEvent = z.object({ at_ms: z.number().nonnegative() }).and(
  z.discriminatedUnion('action', [
    z.object({
      action: z.literal('template_status'),
      name: z.string(),
      language: z.string(),
      status: z.enum(TEMPLATE_STATUSES),
      reason: z.enum(REJECTED_REASONS).optional(),
    }),
    z.object({ action: z.literal('template_quality'), name: z.string(), language: z.string(), quality: z.enum(QUALITY_SCORES) }),
    z.object({ action: z.literal('template_category'), name: z.string(), language: z.string(), category: z.enum(TEMPLATE_CATEGORIES) }),
    z.object({ action: z.literal('messaging_limit'), limit: z.enum(MESSAGING_LIMITS) }),
    z.object({ action: z.literal('webhook'), field: z.string().regex(/^[a-z_]+$/), value: z.record(z.string(), z.unknown()) }),
    z.object({ action: z.literal('phone_quality'), phone_number_id: z.string(), quality: z.enum(PHONE_QUALITY) }),
    z.object({ action: z.literal('throughput_upgrade'), phone_number_id: z.string() }),
    z.object({
      action: z.literal('inbound'),
      from: z.string(),
      phone_number_id: z.string().optional(),
      kind: reply.shape.kind,
      text: z.string().optional(),
      payload: z.string().optional(),
      language: z.enum(['en', 'he', 'zh']).default('en'),
    }),
    z.object({ action: z.literal('user_preferences'), wa_id: z.string(), value: z.enum(['stop', 'resume']) }),
  ]),
);

export const scenarioSchema = z.object({
  name: z.string().default('custom'),
  description: z.string().default(''),
  credentials: z
    .object({
      access_token: z.string().min(8).optional(),
      app_secret: z.string().min(8).optional(),
      app_id: z.string().regex(/^\d+$/).default('1000000000000001'),
      app_name: z.string().default('Pacer Sandbox App'),
      verify_token: z.string().optional(),
    })
    .prefault({}),
  business: z
    .object({
      id: z.string().regex(/^\d+$/).default('2000000000000001'),
      name: z.string().default('Sandbox Business'),
      messaging_limit: z.enum(MESSAGING_LIMITS).default('TIER_250'),
      verification_status: z.string().default('verified'),
    })
    .prefault({}),
  wabas: z.array(waba).default([]),
  users: z.array(userSchema).default([]),
  limits: z
    .object({
      throughput_mps: z.number().positive().default(80),
      high_throughput_mps: z.number().positive().default(1000),
      coexistence_mps: z.number().positive().default(20),
      pair_interval_ms: z.number().nonnegative().default(6000),
      /** Meta tolerates bursts of up to 45 that borrow from later quota; 1 = strict one per 6 s. */
      pair_burst: z.number().int().min(1).default(1),
      marketing_per_user_per_24h: z.number().int().min(0).default(2),
      /** Calling codes exempt from the per-user marketing cap (EEA, UK, Japan, South Korea). */
      marketing_cap_exempt_calling_codes: z
        .array(z.string())
        .default([
          '30',
          '31',
          '32',
          '33',
          '34',
          '351',
          '352',
          '353',
          '354',
          '356',
          '357',
          '358',
          '359',
          '36',
          '370',
          '371',
          '372',
          '385',
          '386',
          '39',
          '40',
          '420',
          '421',
          '423',
          '43',
          '44',
          '45',
          '46',
          '47',
          '48',
          '49',
          '81',
          '82',
        ]),
      us_marketing_blocked: z.boolean().default(true),
      /** Calling codes this business may not message at all (sync 130497). */
      restricted_calling_codes: z.array(z.string().regex(/^\d{1,3}$/)).default([]),
      management_calls_per_hour: z.number().int().positive().default(5000),
      /** Raise the portfolio one level when half the limit was used (and quality is fine). */
      auto_scaling: z.boolean().default(true),
      auto_scaling_delay_ms: z
        .number()
        .nonnegative()
        .default(2 * 3600_000),
      customer_service_window_ms: z
        .number()
        .positive()
        .default(24 * 3600_000),
    })
    .prefault({}),
  delivery: z
    .object({
      sent_delay_ms: delayRange.default([300, 1500]),
      delivered_delay_ms: delayRange.default([500, 4000]),
      read_delay_ms: delayRange.default([5000, 600_000]),
      failed_delay_ms: delayRange.default([300, 2000]),
      read_rate: rate.default(0.6),
      /** Share of read messages whose `delivered` status never comes (read implies delivered). */
      skip_delivered_rate: rate.default(0),
      /** Share of unknown recipients treated as not on WhatsApp (async 131026). */
      undeliverable_rate: rate.default(0),
      /** Delay before a held (paced) message is released. */
      held_release_ms: delayRange.default([60_000, 300_000]),
    })
    .prefault({}),
  webhooks: z
    .object({
      url: z.string().url().optional(),
      duplicate_rate: rate.default(0),
      out_of_order_rate: rate.default(0),
      retry_schedule_ms: z
        .array(z.number().positive())
        .default([5_000, 15_000, 60_000, 300_000, 900_000, 3600_000, 3 * 3600_000, 6 * 3600_000, 12 * 3600_000, 24 * 3600_000]),
      /** Give up retrying after this age (Meta: up to 7 days). */
      max_retry_age_ms: z
        .number()
        .positive()
        .default(7 * 24 * 3600_000),
      /** Real milliseconds to wait for the receiver before counting the attempt as failed. */
      request_timeout_ms: z.number().positive().default(10_000),
      /** Most updates one POST may carry (Meta: up to 1,000); 1 = one update per POST. */
      batch_max: z.number().int().min(1).max(1000).default(1000),
      /** Sandbox-clock ms to gather updates into one POST; 0 = only those due in the same event-loop turn. */
      batch_window_ms: z.number().nonnegative().default(0),
      /** business_capability_update.max_daily_conversations_per_business: an integer (doc example) or TIER_* (doc enum). */
      capability_format: z.enum(['number', 'tier']).default('number'),
    })
    .prefault({}),
  faults: z
    .object({
      error_5xx_rate: rate.default(0),
      timeout_rate: rate.default(0),
      drop_rate: rate.default(0),
      slow_rate: rate.default(0),
      slow_ms: z.number().nonnegative().default(3000),
      /** Real ms a "timeout" holds the request before destroying the socket (0: until the client gives up). */
      timeout_ms: z.number().nonnegative().default(0),
      /** For timeouts and drops: share where the send was processed before the response was lost. */
      processed_on_lost_response_rate: rate.default(0.5),
    })
    .prefault({}),
  /** Click events (user_actions, marketing_messages_link_click) for read marketing messages with a URL button (sandbox/clicks.ts). */
  clicks: z
    .object({
      rate: rate.default(0),
      delay_ms: delayRange.default([2_000, 120_000]),
      /** Add the message id and user to the event (Meta's documented payload has neither). */
      tie_to_message: z.boolean().default(true),
    })
    .prefault({}),
  timeline: z.array(timelineEvent).default([]),
});

export type Scenario = z.input<typeof scenarioSchema>;
export type ResolvedScenario = z.output<typeof scenarioSchema>;
export type ScenarioTemplate = ResolvedScenario['wabas'][number]['templates'][number];
export type ScenarioPhoneNumber = ResolvedScenario['wabas'][number]['phone_numbers'][number];
export type ScenarioUser = ResolvedScenario['users'][number];
export type ScenarioReply = NonNullable<ScenarioUser['reply']>;
export type TimelineEvent = ResolvedScenario['timeline'][number];
export type FaultSettings = ResolvedScenario['faults'];
export type TemplateComponentDef = ScenarioTemplate['components'][number];

export class ScenarioError extends Error {}

/** Validates a scenario object, with every problem named by its path. */
export function parseScenario(input: unknown, source = 'scenario'): ResolvedScenario {
  const r = scenarioSchema.safeParse(input);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ScenarioError(`${source} is not a valid sandbox scenario: ${issues}`);
  }
  const ids = new Set<string>();
  for (const w of r.data.wabas) {
    for (const id of [w.id, ...w.phone_numbers.map((p) => p.id), ...w.templates.flatMap((t) => (t.id ? [t.id] : []))]) {
      if (ids.has(id)) throw new ScenarioError(`${source}: id ${id} is used twice`);
      ids.add(id);
    }
    const keys = new Set<string>();
    for (const t of w.templates) {
      const k = `${t.name}/${t.language}`;
      if (keys.has(k)) throw new ScenarioError(`${source}: template ${k} is defined twice in WABA ${w.id}`);
      keys.add(k);
    }
  }
  const templates = new Set(r.data.wabas.flatMap((w) => w.templates.map((t) => `${t.name}/${t.language}`)));
  const phones = new Set(r.data.wabas.flatMap((w) => w.phone_numbers.map((p) => p.id)));
  for (const [i, e] of r.data.timeline.entries()) {
    const where = `${source}: timeline.${i}`;
    if (
      (e.action === 'template_status' || e.action === 'template_quality' || e.action === 'template_category') &&
      !templates.has(`${e.name}/${e.language}`)
    )
      throw new ScenarioError(`${where}: no template ${e.name} in ${e.language}`);
    const phoneId =
      e.action === 'phone_quality' || e.action === 'throughput_upgrade' || e.action === 'inbound' ? e.phone_number_id : undefined;
    if (phoneId !== undefined && !phones.has(phoneId)) throw new ScenarioError(`${where}: no phone number ${phoneId}`);
    if ((e.action === 'inbound' || e.action === 'user_preferences') && !phones.size)
      throw new ScenarioError(`${where}: the scenario has no phone number`);
    if (e.action === 'webhook' && !r.data.wabas.length) throw new ScenarioError(`${where}: the scenario has no WABA`);
  }
  return r.data;
}

export function loadScenarioFile(file: string): ResolvedScenario {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ScenarioError(`cannot read scenario file ${file}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ScenarioError(`scenario file ${file} is not JSON: ${(e as Error).message}`);
  }
  return parseScenario(json, file);
}
