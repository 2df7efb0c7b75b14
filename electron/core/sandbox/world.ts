import { metaPricing, type SandboxPricing } from './pricing';
import { SandboxClicks } from './clicks';
import crypto from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Clock } from '../clock';
import { Agenda } from './agenda';
import { GraphError, unknownObject, webhookError, type SandboxErrorCode } from './graph-errors';
import { MovingUniqueSet, PairRateLimiter, PerKeyWindow, SlidingWindowCounter } from './limits';
import type { Rng } from './rng';
import {
  LIMIT_VALUES,
  NEXT_LIMIT,
  templateSchema,
  userSchema,
  type FaultSettings,
  type MessagingLimit,
  type PhoneQuality,
  type QualityScore,
  type ResolvedScenario,
  type ScenarioPhoneNumber,
  type ScenarioTemplate,
  type ScenarioUser,
  type TemplateStatus,
  type TimelineEvent,
} from './scenario';
import { StatsCollector, type SandboxStats } from './stats';
import { validateTemplateComponents, type RenderedTemplate } from './template-validation';
import { WebhookDispatcher } from './webhooks';

/**
 * The emulated account and everything that happens to it: template sends (validation, limits,
 * async outcomes), status webhooks, template pause cycles, tier changes, inbound replies and
 * opt-outs. The HTTP layer (server.ts) only parses requests and shapes responses.
 */

export type StatusName = 'accepted' | 'held' | 'sent' | 'delivered' | 'read' | 'failed';
export type InboundKind = 'text' | 'button' | 'interactive' | 'stop_text' | 'stop_button' | 'preference_stop';
export type StopLanguage = 'en' | 'he' | 'zh';

/** What a user types to stop messages, per language. */
export const STOP_WORDS: Record<StopLanguage, string> = { en: 'STOP', he: 'הסר', zh: '停止' };
/** Quick-reply labels recognised as "stop promotions" buttons when a user taps one. */
export const STOP_BUTTON_LABELS = ['Stop promotions', 'Unsubscribe', 'הפסקת מבצעים', 'הסרה', '停止推廣', '取消訂閱'];

export interface TemplateState extends ScenarioTemplate {
  id: string;
  waba_id: string;
  last_updated_time: number;
}

export interface PhoneState extends ScenarioPhoneNumber {
  waba_id: string;
  last_onboarded_time: number;
}

export interface Subscription {
  app_id: string;
  override_callback_uri?: string;
}

export interface WabaState {
  id: string;
  name: string;
  currency: string;
  timezone_id: string;
  message_template_namespace: string;
  account_review_status: string;
  health: 'ACTIVE' | 'LOCKED' | 'RESTRICTED';
  subscriptions: Subscription[];
}

export interface MediaRecord {
  id: string;
  phone_number_id: string;
  mime_type: string;
  sha256: string;
  file_size: number;
  data: Buffer;
}

export interface MessageRecord {
  wamid: string;
  phone_number_id: string;
  wa_id: string;
  input: string;
  type: 'template' | 'text';
  template?: { name: string; language: string; category: string };
  biz_opaque_callback_data?: string;
  rendered?: RenderedTemplate;
  text?: string;
  api_version: string;
  accepted_at: number;
  status: StatusName;
  /** The async result decided at acceptance. */
  outcome: { kind: 'deliver' | 'sent_only' } | { kind: 'failed'; code: SandboxErrorCode; details: string };
  statuses: { status: string; at: number }[];
}

export interface InboundInput {
  from: string;
  phone_number_id?: string;
  kind: InboundKind;
  text?: string;
  payload?: string;
  language?: StopLanguage;
  context_wamid?: string;
}

const HOUR = 3600_000;
const DELIVER: MessageRecord['outcome'] = Object.freeze({ kind: 'deliver' });
const SENT_ONLY: MessageRecord['outcome'] = Object.freeze({ kind: 'sent_only' });
type Pricing = SandboxPricing;
/** Status events in the order of their step codes (see scheduleStatuses). */
const STATUS_STEPS = ['sent', 'delivered', 'read', 'failed'] as const;
const PAUSE_MS = [3 * HOUR, 6 * HOUR];

export const digitsOf = (phone: string) => phone.replace(/[^\d]/g, '');
const unix = (ms: number) => Math.floor(ms / 1000);
/** Webhooks spell template languages with a hyphen (en-US) while the API uses en_US. */
const hyphenLanguage = (l: string) => l.replace('_', '-');

function isUsNumber(waId: string): boolean {
  if (!waId.startsWith('1')) return false;
  const p = parsePhoneNumberFromString('+' + waId);
  // +1 numbers outside any assigned NANP country (e.g. fictional 555 area codes) count as US.
  return p?.country === 'US' || p?.country === undefined;
}

function callingCode(waId: string): string | undefined {
  return parsePhoneNumberFromString('+' + waId)?.countryCallingCode;
}

export class SandboxWorld {
  readonly stats: StatsCollector;
  readonly webhooks: WebhookDispatcher;
  /** Click events for read marketing messages (sandbox/clicks.ts). */
  readonly clicks: SandboxClicks;
  readonly business: ResolvedScenario['business'];
  readonly wabas = new Map<string, WabaState>();
  readonly phones = new Map<string, PhoneState>();
  readonly templates = new Map<string, TemplateState>();
  readonly users = new Map<string, ScenarioUser>();
  readonly media = new Map<string, MediaRecord>();
  readonly messages = new Map<string, MessageRecord>();
  /** Resumable-upload sessions and the handles they produced (handle → MIME type). */
  readonly uploads = new Map<string, { file_name: string; file_length: number; file_type: string }>();
  readonly uploadHandles = new Map<string, string>();
  faults: FaultSettings;
  tokenState: 'valid' | 'expired' | 'revoked' = 'valid';
  webhookUrl: string | undefined;
  appSecret: string;
  readonly accessToken: string;

  private readonly throughput = new Map<string, SlidingWindowCounter>();
  private readonly pair: PairRateLimiter;
  private readonly portfolio: MovingUniqueSet;
  private readonly marketing = new PerKeyWindow(24 * HOUR);
  private readonly management = new Map<string, SlidingWindowCounter>();
  /** Last inbound message per `${phone}:${wa_id}` (the customer-service window). */
  private readonly lastInbound = new Map<string, number>();
  /** Sticky "not on WhatsApp" verdicts for unknown recipients (undeliverable_rate). */
  private readonly unknownUndeliverable = new Map<string, boolean>();
  private readonly replied = new Set<string>();
  /** The last template message to each user, per business number: phone id → wa_id → wamid. */
  private readonly lastTemplateTo = new Map<string, Map<string, string>>();
  private readonly pricingValues = new Map<string, Pricing>();
  private readonly templateInfos = new Map<string, NonNullable<MessageRecord['template']>>();
  /** The number that last messaged each user (where their replies go by default). */
  private readonly lastPhoneFor = new Map<string, string>();
  /** Everything scheduled for later (statuses, replies, unpauses, the timeline) behind one timer. */
  private readonly agenda: Agenda;
  private pendingUpgrade = false;
  /** Bumped on every pause, so an old pause's timer never ends a newer pause early. */
  private readonly pauseGeneration = new Map<string, number>();
  private idCounter = 0;

  constructor(
    readonly scenario: ResolvedScenario,
    readonly clock: Clock,
    readonly rng: Rng,
    credentials: { accessToken: string; appSecret: string; webhookUrl?: string },
  ) {
    this.stats = new StatsCollector(clock.now());
    this.agenda = new Agenda(clock);
    this.accessToken = credentials.accessToken;
    this.appSecret = credentials.appSecret;
    this.webhookUrl = credentials.webhookUrl ?? scenario.webhooks.url;
    this.faults = { ...scenario.faults };
    this.business = { ...scenario.business };
    this.pair = new PairRateLimiter(scenario.limits.pair_interval_ms, scenario.limits.pair_burst);
    this.portfolio = new MovingUniqueSet(24 * HOUR);
    this.webhooks = new WebhookDispatcher(clock, scenario.webhooks, (wabaId) => ({ url: this.webhookTarget(wabaId), appSecret: this.appSecret }));
    this.clicks = new SandboxClicks(scenario.clicks, {
      rng, clockNow: () => clock.now(), after: (ms, fn) => this.after(ms, fn),
      post: (wabaId, build) => this.webhooks.enqueueLazy({ wabaId, field: 'messages', delayMs: 0 }, build),
    });
    const now = clock.now();
    for (const w of scenario.wabas) {
      this.wabas.set(w.id, {
        id: w.id, name: w.name, currency: w.currency, timezone_id: w.timezone_id, message_template_namespace: w.message_template_namespace,
        account_review_status: w.account_review_status, health: w.health, subscriptions: [{ app_id: scenario.credentials.app_id }],
      });
      for (const p of w.phone_numbers) this.phones.set(p.id, { ...p, business_profile: { ...p.business_profile }, waba_id: w.id, last_onboarded_time: now - 90 * 24 * HOUR });
      for (const t of w.templates) {
        const id = t.id ?? this.nextId('5');
        const state: TemplateState = { ...t, id, waba_id: w.id, last_updated_time: now };
        if (state.status === 'PAUSED') {
          state.pause_count = Math.max(1, state.pause_count);
          this.scheduleUnpause(state, PAUSE_MS[state.pause_count - 1] ?? PAUSE_MS[1]!);
        }
        this.templates.set(id, state);
      }
    }
    for (const u of scenario.users) this.users.set(u.wa_id ?? digitsOf(u.phone), u);
    // parseScenario has checked that every timeline entry names things that exist.
    for (const e of scenario.timeline) this.after(e.at_ms, () => this.runTimelineEvent(e));
  }

  // ---------------------------------------------------------------- helpers

  /** Meta posts a WABA's webhooks only while an app is subscribed to it; a per-WABA override wins. */
  webhookTarget(wabaId: string): string | undefined {
    const subs = this.wabas.get(wabaId)?.subscriptions ?? [];
    if (!subs.length) return undefined;
    return subs.find((s) => s.override_callback_uri)?.override_callback_uri ?? this.webhookUrl;
  }

  private after(ms: number, fn: () => void): void {
    this.agenda.after(ms, fn);
  }

  nextId(prefix: string): string {
    this.idCounter++;
    return prefix + String(this.rng.int(100000, 999999)) + String(this.idCounter).padStart(9, '0');
  }

  fbtraceId(): string {
    return 'A' + this.rng.bytes(16).toString('base64url').slice(0, 22);
  }

  /** A wamid shaped like Meta's: base64 of a small protobuf holding the wa_id and a random id. */
  private wamid(waId: string): string {
    const id = Buffer.from(this.rng.hex(9).toUpperCase(), 'ascii');
    const body = Buffer.concat([Buffer.from([0x1c, 0x18, waId.length]), Buffer.from(waId, 'ascii'), Buffer.from([0x15, 0x02, 0x00, 0x11, 0x18, 0x12]), id, Buffer.from([0x00])]);
    return 'wamid.' + body.toString('base64');
  }

  private delay([min, max]: [number, number]): number {
    return this.rng.int(Math.round(min), Math.round(max));
  }

  private phoneOrThrow(id: string): PhoneState {
    const p = this.phones.get(id);
    if (!p) throw unknownObject(id);
    return p;
  }

  limitValue(): number {
    return LIMIT_VALUES[this.business.messaging_limit];
  }

  throughputLimit(p: PhoneState): number {
    const l = this.scenario.limits;
    return p.coexistence ? l.coexistence_mps : p.throughput_level === 'HIGH' ? l.high_throughput_mps : l.throughput_mps;
  }

  private meter(phoneId: string): SlidingWindowCounter {
    let m = this.throughput.get(phoneId);
    if (!m) this.throughput.set(phoneId, (m = new SlidingWindowCounter(1000)));
    return m;
  }

  inServiceWindow(phoneId: string, waId: string, now = this.clock.now()): boolean {
    const t = this.lastInbound.get(`${phoneId}:${waId}`);
    return t !== undefined && now - t < this.scenario.limits.customer_service_window_ms;
  }

  findTemplate(wabaId: string, name: string, language: string): TemplateState | undefined {
    for (const t of this.templates.values()) if (t.waba_id === wabaId && t.name === name && t.language === language) return t;
    return undefined;
  }

  templatesOf(wabaId: string): TemplateState[] {
    return [...this.templates.values()].filter((t) => t.waba_id === wabaId && t.status !== 'DELETED');
  }

  phonesOf(wabaId: string): PhoneState[] {
    return [...this.phones.values()].filter((p) => p.waba_id === wabaId);
  }

  /**
   * Management calls per WABA per hour (80007 when exceeded). Returns the
   * X-Business-Use-Case-Usage value Graph sends with such calls (percentages of the hourly quota).
   */
  countManagementCall(wabaId: string): string {
    let c = this.management.get(wabaId);
    if (!c) this.management.set(wabaId, (c = new SlidingWindowCounter(HOUR)));
    const now = this.clock.now();
    const limit = this.scenario.limits.management_calls_per_hour;
    const usage = (count: number, regainMin: number) =>
      JSON.stringify({ [wabaId]: [{ type: 'whatsapp_business_management', call_count: Math.min(100, Math.round((count / limit) * 100)), total_cputime: 0, total_time: 0, estimated_time_to_regain_access: regainMin }] });
    if (c.count(now) >= limit) {
      this.stats.limits.management_rate_rejections++;
      this.stats.syncError(80007, undefined, now);
      throw new GraphError(80007, `WhatsApp Business Account ${wabaId} reached its rate limit of ${limit} calls per hour`, { headers: { 'x-business-use-case-usage': usage(limit, Math.ceil(c.msUntilBelow(now, limit) / 60_000)) } });
    }
    return usage(c.add(now), 0);
  }

  portfolioUsage(now = this.clock.now()): SandboxStats['portfolio'] {
    const limit = this.limitValue();
    const used = this.portfolio.size(now);
    return {
      messaging_limit: this.business.messaging_limit,
      limit: Number.isFinite(limit) ? limit : null,
      unique_recipients_24h: used,
      remaining_24h: Number.isFinite(limit) ? Math.max(0, limit - used) : null,
    };
  }

  statsSnapshot(): SandboxStats {
    const maxMps: Record<string, number> = {};
    for (const id of this.phones.keys()) maxMps[id] = this.throughput.get(id)?.max ?? 0;
    return this.stats.snapshot({ now: this.clock.now(), maxMps, webhooks: this.webhooks.stats, portfolio: this.portfolioUsage() });
  }

  resetStats(): void {
    const fresh = new StatsCollector(this.clock.now());
    Object.assign(this.stats, fresh);
    for (const m of this.throughput.values()) m.max = 0;
  }

  // ---------------------------------------------------------------- sending

  /** POST /{phone-number-id}/messages. Returns the 200 body or throws a GraphError. */
  send(phoneId: string, body: unknown, apiVersion: string): object {
    const now = this.clock.now();
    this.stats.sends.attempted++;
    let waId: string | undefined;
    try {
      const phone = this.phoneOrThrow(phoneId);
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new GraphError(100, 'The request body must be a JSON object');
      const b = body as Record<string, unknown>;
      if (b.messaging_product === undefined) throw new GraphError(131008, 'The parameter messaging_product is required.');
      if (b.messaging_product !== 'whatsapp') throw new GraphError(100, 'messaging_product must be "whatsapp"');
      if (b.recipient_type !== undefined && b.recipient_type !== 'individual')
        throw new GraphError(100, b.recipient_type === 'group' ? 'The sandbox does not emulate the Groups API' : 'recipient_type must be "individual"');
      if (b.to === undefined || b.to === '') throw new GraphError(131008, 'The parameter to is required.');
      if (typeof b.to !== 'string' || !/^\+?[\d\s\-()]+$/.test(b.to)) throw new GraphError(100, `Invalid parameter 'to': ${JSON.stringify(b.to)} is not a phone number`);
      const input = b.to;
      const digits = digitsOf(input);
      if (digits.length < 7 || digits.length > 15) throw new GraphError(100, `Invalid parameter 'to': ${input} is not a valid phone number`);
      const user = this.users.get(digits) ?? [...this.users.values()].find((u) => digitsOf(u.phone) === digits);
      waId = user?.wa_id ?? digits;
      const type = b.type ?? 'text';
      if (b.biz_opaque_callback_data !== undefined && (typeof b.biz_opaque_callback_data !== 'string' || b.biz_opaque_callback_data.length > 512))
        throw new GraphError(100, 'biz_opaque_callback_data must be a string of at most 512 characters');

      const waba = this.wabas.get(phone.waba_id)!;
      if (waba.health === 'LOCKED') throw new GraphError(131031, `WhatsApp Business Account ${waba.id} is locked`);
      if (waba.health === 'RESTRICTED' || phone.status === 'BANNED' || phone.status === 'RESTRICTED') throw new GraphError(368, `${phone.display_phone_number} is temporarily blocked for policy violations`);
      if (phone.status === 'RATE_LIMITED') throw new GraphError(131048, `${phone.display_phone_number} is spam rate limited: earlier messages were blocked or reported`);
      if (phone.status !== 'CONNECTED' && phone.status !== 'FLAGGED') throw new GraphError(133010, `${phone.display_phone_number} is not registered on Cloud API (status ${phone.status})`);
      for (const p of this.phones.values()) if (digitsOf(p.display_phone_number) === digits) throw new GraphError(131021, 'Recipient phone number is the same as the sender');
      const cc = callingCode(digits);
      if (cc && this.scenario.limits.restricted_calling_codes.includes(cc)) throw new GraphError(130497, `This business cannot message users with +${cc} numbers`);

      let record: Omit<MessageRecord, 'wamid' | 'status' | 'outcome' | 'statuses'>;
      let template: TemplateState | undefined;
      if (type === 'template') {
        const tObj = b.template;
        if (tObj === undefined) throw new GraphError(131008, 'The parameter template is required.');
        if (typeof tObj !== 'object' || tObj === null || Array.isArray(tObj)) throw new GraphError(100, 'template must be an object');
        const t = tObj as Record<string, unknown>;
        if (t.name === undefined || t.name === '') throw new GraphError(131008, 'The parameter template.name is required.');
        if (typeof t.name !== 'string') throw new GraphError(100, 'template.name must be a string');
        const lang = t.language as Record<string, unknown> | undefined;
        if (lang === undefined || typeof lang !== 'object' || lang === null || lang.code === undefined || lang.code === '') throw new GraphError(131008, 'The parameter template.language.code is required.');
        if (typeof lang.code !== 'string') throw new GraphError(100, 'template.language.code must be a string');
        if (lang.policy !== undefined && lang.policy !== 'deterministic') throw new GraphError(131009, 'template.language.policy can only be "deterministic"');
        template = this.findTemplate(phone.waba_id, t.name, lang.code);
        if (!template || ['DELETED', 'PENDING_DELETION'].includes(template.status))
          throw new GraphError(132001, `template name (${t.name}) does not exist in ${lang.code}`);
        if (template.status === 'PAUSED') throw new GraphError(132015, `Template ${t.name} (${lang.code}) is paused because of low quality`);
        if (template.status === 'DISABLED') throw new GraphError(132016, `Template ${t.name} (${lang.code}) is disabled because of low quality`);
        if (template.status !== 'APPROVED') throw new GraphError(132001, `template name (${t.name}) in ${lang.code} is ${template.status}, not APPROVED`);
        const rendered = validateTemplateComponents(t, template, { mediaExists: (id) => this.media.has(id) });
        record = { phone_number_id: phoneId, wa_id: waId, input, type: 'template', template: this.templateInfo(template), rendered, text: undefined, biz_opaque_callback_data: b.biz_opaque_callback_data as string | undefined, api_version: apiVersion, accepted_at: now };
      } else if (type === 'text') {
        const text = b.text as Record<string, unknown> | undefined;
        if (!text || typeof text.body !== 'string' || !text.body) throw new GraphError(131008, 'The parameter text.body is required.');
        if (text.body.length > 4096) throw new GraphError(100, 'text.body must be at most 4096 characters');
        if (!this.inServiceWindow(phoneId, waId, now))
          throw new GraphError(131047, 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.');
        record = { phone_number_id: phoneId, wa_id: waId, input, type: 'text', template: undefined, rendered: undefined, text: text.body, biz_opaque_callback_data: b.biz_opaque_callback_data as string | undefined, api_version: apiVersion, accepted_at: now };
      } else {
        throw new GraphError(131051, `The sandbox emulates template and text messages, not type ${JSON.stringify(type)}`);
      }

      const meter = this.meter(phoneId);
      const limit = this.throughputLimit(phone);
      if (meter.count(now) >= limit) {
        this.stats.limits.throughput_rejections++;
        throw new GraphError(130429, `Cloud API message throughput of ${limit} messages per second has been reached for ${phone.display_phone_number}`);
      }
      const pair = this.pair.take(`${phoneId}:${waId}`, now);
      if (!pair.ok) {
        this.stats.limits.pair_rate_rejections++;
        throw new GraphError(131056, `Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time. Retry after ${Math.ceil(pair.retryAfterMs / 1000)} s.`);
      }
      meter.add(now);
      return this.accept(phone, record, template);
    } catch (e) {
      if (e instanceof GraphError) {
        this.stats.sends.rejected++;
        this.stats.syncError(e.code, waId, now);
      }
      throw e;
    }
  }

  private decideOutcome(phone: PhoneState, waId: string, template: TemplateState | undefined, now: number): MessageRecord['outcome'] {
    const user = this.users.get(waId);
    let undeliverable = user?.undeliverable ?? false;
    if (!user && this.scenario.delivery.undeliverable_rate > 0) {
      if (!this.unknownUndeliverable.has(waId)) this.unknownUndeliverable.set(waId, this.rng.chance(this.scenario.delivery.undeliverable_rate));
      undeliverable = this.unknownUndeliverable.get(waId)!;
    }
    if (undeliverable) return { kind: 'failed', code: 131026, details: 'Message Undeliverable.' };
    if (template?.category === 'MARKETING') {
      if (user?.marketing_stopped) return { kind: 'failed', code: 131050, details: 'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.' };
      if (this.scenario.limits.us_marketing_blocked && isUsNumber(waId))
        return { kind: 'failed', code: 131049, details: 'Marketing template messages to WhatsApp users with US phone numbers are currently not delivered.' };
      if (user?.experiment_holdout) return { kind: 'failed', code: 130472, details: "Failed to send message because this user's phone number is part of an experiment" };
      if (!this.inServiceWindow(phone.id, waId, now)) {
        const exempt = this.scenario.limits.marketing_cap_exempt_calling_codes.includes(callingCode(waId) ?? '');
        if (!exempt && (user?.marketing_cap_reached || this.marketing.count(waId, now) >= this.scenario.limits.marketing_per_user_per_24h)) {
          this.stats.limits.marketing_cap_failures++;
          return { kind: 'failed', code: 131049, details: 'In order to maintain healthy ecosystem engagement, the message failed to be delivered.' };
        }
        this.marketing.add(waId, now);
      }
    }
    return user?.offline ? SENT_ONLY : DELIVER;
  }

  private accept(phone: PhoneState, base: Omit<MessageRecord, 'wamid' | 'status' | 'outcome' | 'statuses'>, template: TemplateState | undefined): object {
    const now = base.accepted_at;
    const waId = base.wa_id;
    const wamid = this.wamid(waId);
    const outcome = this.decideOutcome(phone, waId, template, now);
    const held = template?.paced === true;
    // Every field written in one order, so all records share one hidden class (a spread gave each its own).
    const msg: MessageRecord = {
      wamid, phone_number_id: base.phone_number_id, wa_id: waId, input: base.input, type: base.type, template: base.template, rendered: base.rendered, text: base.text,
      biz_opaque_callback_data: base.biz_opaque_callback_data, api_version: base.api_version, accepted_at: now, status: held ? 'held' : 'accepted', outcome, statuses: [],
    };
    this.messages.set(wamid, msg);
    this.stats.accepted(waId, template?.name, template?.language, base.biz_opaque_callback_data, now);
    if (held) this.stats.sends.held_for_quality_assessment++;
    if (template) {
      let last = this.lastTemplateTo.get(phone.id);
      if (!last) this.lastTemplateTo.set(phone.id, (last = new Map()));
      last.set(waId, wamid);
    }
    this.lastPhoneFor.set(waId, phone.id);

    // The portfolio limit counts unique users *delivered to* outside a customer-service window.
    if (outcome.kind === 'deliver' && msg.type === 'template' && !this.inServiceWindow(phone.id, waId, now)) {
      if (!this.portfolio.has(waId, now)) {
        const used = this.portfolio.size(now);
        const limit = this.limitValue();
        if (used >= limit) this.stats.violation({ at: now, wa_id: waId, phone_number_id: phone.id, wamid, unique_recipients_24h: used + 1, limit });
        this.portfolio.add(waId, now);
        this.considerAutoScaling(now);
      } else {
        this.portfolio.add(waId, now);
      }
    }
    this.scheduleStatuses(phone, msg, template, held);
    return {
      messaging_product: 'whatsapp',
      contacts: [{ input: base.input, wa_id: waId }],
      messages: [{ id: wamid, ...(msg.type === 'template' ? { message_status: held ? 'held_for_quality_assessment' : 'accepted' } : {}) }],
    };
  }

  private pricing(phone: PhoneState, msg: MessageRecord): Pricing {
    const p = metaPricing({
      at: msg.accepted_at,
      templateCategory: msg.type === 'text' ? null : (msg.template?.category ?? 'UTILITY'),
      inServiceWindow: this.inServiceWindow(phone.id, msg.wa_id, msg.accepted_at),
      inFreeEntryPoint: this.users.get(msg.wa_id)?.free_entry_point ?? false,
    });
    // A handful of distinct values, shared by every message that has them.
    const key = `${p.category}:${p.type}`;
    let shared = this.pricingValues.get(key);
    if (!shared) this.pricingValues.set(key, (shared = p));
    return shared;
  }

  /** The template as a message record names it, shared by the records sent while it has that category. */
  private templateInfo(t: TemplateState): NonNullable<MessageRecord['template']> {
    const key = `${t.id}:${t.category}`;
    let info = this.templateInfos.get(key);
    if (!info) this.templateInfos.set(key, (info = { name: t.name, language: t.language, category: t.category }));
    return info;
  }

  private scheduleStatuses(phone: PhoneState, msg: MessageRecord, _template: TemplateState | undefined, held: boolean): void {
    const d = this.scenario.delivery;
    const base = held ? this.delay(d.held_release_ms) : 0;
    const events: { status: 'sent' | 'delivered' | 'read' | 'failed'; at: number }[] = [];
    if (msg.outcome.kind === 'failed') {
      events.push({ status: 'failed', at: base + this.delay(d.failed_delay_ms) });
    } else {
      const sent = base + this.delay(d.sent_delay_ms);
      events.push({ status: 'sent', at: sent });
      if (msg.outcome.kind === 'deliver') {
        const delivered = sent + this.delay(d.delivered_delay_ms);
        events.push({ status: 'delivered', at: delivered });
        const user = this.users.get(msg.wa_id);
        if (user?.reads ?? this.rng.chance(d.read_rate)) {
          events.push({ status: 'read', at: delivered + this.delay(d.read_delay_ms) });
          // Meta may skip `delivered` when the message is read at once (read implies delivered).
          if (this.rng.chance(d.skip_delivered_rate)) events.splice(events.findIndex((e) => e.status === 'delivered'), 1);
        }
      }
    }
    const pricedStatus = events.some((e) => e.status === 'delivered') ? 'delivered' : 'read';
    // Webhook delivery moments: normally the event moments, but Meta posts concurrently and
    // retries, so statuses can arrive out of order and more than once.
    const deliverAt = events.map((e) => e.at);
    if (events.length > 1 && this.rng.chance(this.scenario.webhooks.out_of_order_rate)) {
      const i = this.rng.int(0, events.length - 2);
      [deliverAt[i], deliverAt[i + 1]] = [deliverAt[i + 1]!, deliverAt[i]!];
    }
    const pricing = this.pricing(phone, msg);
    const conversationId = this.rng.hex(16);
    // The message's whole future as a few packed numbers (time × 16 + step), walked by one agenda
    // entry at a time; webhook bodies are built when they fall due. A read may be ten minutes
    // away: holding a timer and an envelope per event until then made the emulator's heap grow
    // with the run and its garbage-collection pauses bunch the arrivals it meters.
    const steps: number[] = [];
    let duplicates = 0;
    events.forEach((e, i) => {
      const k = STATUS_STEPS.indexOf(e.status);
      steps.push(e.at * 16 + k, deliverAt[i]! * 16 + 4 + k);
      if (this.rng.chance(this.scenario.webhooks.duplicate_rate)) {
        steps.push((deliverAt[i]! + this.rng.int(0, 2000)) * 16 + 8 + k);
        duplicates++;
      }
    });
    steps.sort((a, b) => a - b);
    this.webhooks.announce(events.length + duplicates, duplicates);
    let next = 0;
    const fire = () => {
      const due = Math.floor(steps[next]! / 16);
      for (; next < steps.length && Math.floor(steps[next]! / 16) === due; next++) {
        const code = steps[next]! % 16;
        const status = STATUS_STEPS[code % 4]!;
        if (code < 4) this.applyStatus(phone, msg, status);
        else
          this.webhooks.dispatch({ wabaId: phone.waba_id, field: 'messages', createdAt: msg.accepted_at, duplicate: code >= 8 }, () =>
            // The status's own moment (its apply step), not the webhook's delivery moment.
            this.statusUpdate(phone, msg, { status, at: Math.floor(steps.find((x) => x % 16 === code % 4)! / 16) }, { pricedStatus, pricing, conversationId }),
          );
      }
      if (next < steps.length) this.agenda.at(msg.accepted_at + Math.floor(steps[next]! / 16), fire);
    };
    this.agenda.at(msg.accepted_at + Math.floor(steps[0]! / 16), fire);
  }

  /** One status webhook (`statuses[]` with a single item), as Meta shapes it for the message's API version. */
  private statusUpdate(
    phone: PhoneState,
    msg: MessageRecord,
    e: { status: 'sent' | 'delivered' | 'read' | 'failed'; at: number },
    o: { pricedStatus: string; pricing: Pricing; conversationId: string },
  ) {
    const metadata = { display_phone_number: digitsOf(phone.display_phone_number), phone_number_id: phone.id };
    const v = Number(/^v?(\d+)/.exec(msg.api_version)?.[1] ?? 24);
    const status: Record<string, unknown> = { id: msg.wamid, status: e.status, timestamp: String(unix(msg.accepted_at + e.at)), recipient_id: msg.wa_id };
    if (msg.biz_opaque_callback_data !== undefined) status.biz_opaque_callback_data = msg.biz_opaque_callback_data;
    if (e.status === 'sent' || e.status === o.pricedStatus) {
      if (v < 24) status.conversation = { id: o.conversationId, ...(e.status === 'sent' ? { expiration_timestamp: String(unix(msg.accepted_at + e.at + 24 * HOUR)) } : {}), origin: { type: o.pricing.category } };
    }
    // Pricing rides on exactly one of delivered/read.
    if (e.status === o.pricedStatus) status.pricing = o.pricing;
    if (e.status === 'failed' && msg.outcome.kind === 'failed') status.errors = [webhookError(msg.outcome.code, msg.outcome.details)];
    return {
      summary: `statuses:${e.status} ${msg.wamid}`,
      envelope: { object: 'whatsapp_business_account', entry: [{ id: phone.waba_id, changes: [{ value: { messaging_product: 'whatsapp', metadata, statuses: [status] }, field: 'messages' }] }] },
    };
  }

  private applyStatus(phone: PhoneState, msg: MessageRecord, status: 'sent' | 'delivered' | 'read' | 'failed'): void {
    const now = this.clock.now();
    msg.status = status;
    msg.statuses.push({ status, at: now });
    this.stats.statuses[status]++;
    if (status === 'failed' && msg.outcome.kind === 'failed') this.stats.asyncError(msg.outcome.code, msg.wa_id, now);
    if (status === 'read' && msg.type === 'template' && msg.template) this.clickHook(phone, msg);
    const firstDelivery = status === 'delivered' || (status === 'read' && !msg.statuses.some((x) => x.status === 'delivered'));
    if (firstDelivery && msg.type === 'template') {
      const user = this.users.get(msg.wa_id);
      const reply = user?.reply;
      if (user && reply && !this.replied.has(msg.wa_id)) {
        this.replied.add(msg.wa_id);
        this.after(reply.after_ms, () => {
          this.inbound({ from: msg.wa_id, phone_number_id: phone.id, kind: reply.kind, text: reply.text, payload: reply.payload, language: reply.language, context_wamid: msg.wamid });
        });
      }
    }
  }

  /** A read marketing message may be clicked (sandbox/clicks.ts decides). */
  private clickHook(phone: PhoneState, msg: MessageRecord): void {
    const t = this.findTemplate(phone.waba_id, msg.template!.name, msg.template!.language);
    const hasUrlButton = !!t?.components.find((c) => c.type === 'BUTTONS')?.buttons?.some((b) => b.type === 'URL');
    this.clicks.onRead({
      wamid: msg.wamid, waId: msg.wa_id, wabaId: phone.waba_id, phoneNumberId: phone.id, displayPhoneNumber: digitsOf(phone.display_phone_number),
      category: msg.template!.category, hasUrlButton, userClicks: this.users.get(msg.wa_id)?.clicks,
    });
  }

  // ---------------------------------------------------------------- inbound

  /** A user writes to a business number (or taps a button, or stops marketing). Returns the inbound wamid. */
  inbound(input: InboundInput): { wamid?: string } {
    const now = this.clock.now();
    const waId = digitsOf(input.from);
    if (!waId) throw new Error('inbound: `from` must be a phone number');
    const phone = input.phone_number_id ? this.phoneOrThrow(input.phone_number_id) : this.phoneLastUsedFor(waId);
    const language = input.language ?? 'en';
    const user = this.users.get(waId);
    const contacts = [{ profile: { name: user?.name ?? `User ${waId.slice(-4)}` }, wa_id: waId }];
    const metadata = { display_phone_number: digitsOf(phone.display_phone_number), phone_number_id: phone.id };

    if (input.kind === 'preference_stop') {
      this.setUserPreference(waId, 'stop', phone.id);
      return {};
    }

    const contextWamid = input.context_wamid ?? this.lastTemplateTo.get(phone.id)?.get(waId);
    const context = contextWamid ? { from: metadata.display_phone_number, id: contextWamid } : undefined;
    const message: Record<string, unknown> = { from: waId, id: this.wamid(waId), timestamp: String(unix(now)) };
    let kind = input.kind;
    if (kind === 'stop_button') {
      const button = this.stopButtonOf(contextWamid);
      if (button) {
        Object.assign(message, { context, type: 'button', button });
      } else kind = 'stop_text';
    }
    if (kind === 'stop_text') Object.assign(message, { type: 'text', text: { body: input.text ?? STOP_WORDS[language] } });
    else if (kind === 'text') Object.assign(message, { type: 'text', text: { body: input.text ?? 'Hi' } });
    else if (kind === 'button') {
      const b = this.quickReplyOf(contextWamid, input.text);
      Object.assign(message, { context, type: 'button', button: { payload: input.payload ?? b?.payload ?? input.text ?? 'OK', text: input.text ?? b?.text ?? 'OK' } });
    } else if (kind === 'interactive')
      Object.assign(message, { context, type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: input.payload ?? 'reply_1', title: input.text ?? 'Yes' } } });
    if (message.context === undefined) delete message.context;

    this.lastInbound.set(`${phone.id}:${waId}`, now);
    this.meter(phone.id).add(now);
    const envelope = { object: 'whatsapp_business_account', entry: [{ id: phone.waba_id, changes: [{ value: { messaging_product: 'whatsapp', metadata, contacts, messages: [message] }, field: 'messages' }] }] };
    this.webhooks.enqueue(envelope, { wabaId: phone.waba_id, field: 'messages', summary: `messages:${String(message.type)} from ${waId}`, delayMs: 0 });
    return { wamid: message.id as string };
  }

  private phoneLastUsedFor(waId: string): PhoneState {
    const last = this.lastPhoneFor.get(waId);
    const p = (last ? this.phones.get(last) : undefined) ?? this.phones.values().next().value;
    if (!p) throw new Error('the scenario has no phone numbers');
    return p;
  }

  private quickReplies(wamid: string | undefined): { index: number; text: string; payload: string }[] {
    const msg = wamid ? this.messages.get(wamid) : undefined;
    if (!msg?.template) return [];
    const t = this.findTemplate(this.phones.get(msg.phone_number_id)!.waba_id, msg.template.name, msg.template.language);
    const defs = t?.components.find((c) => c.type === 'BUTTONS')?.buttons ?? [];
    return defs.flatMap((d, index) => {
      if (d.type !== 'QUICK_REPLY') return [];
      // Meta returns the payload the sender set for that button, or the label when none was set.
      const payload = msg.rendered?.buttons.find((b) => b.index === index)?.payload ?? d.text;
      return [{ index, text: d.text, payload }];
    });
  }

  private stopButtonOf(wamid: string | undefined) {
    const b = this.quickReplies(wamid).find((q) => STOP_BUTTON_LABELS.includes(q.text));
    return b ? { payload: b.payload, text: b.text } : undefined;
  }

  private quickReplyOf(wamid: string | undefined, text: string | undefined) {
    const all = this.quickReplies(wamid);
    const b = all.find((q) => q.text === text) ?? all[0];
    return b ? { payload: b.payload, text: b.text } : undefined;
  }

  /** WhatsApp's own marketing stop/resume (user_preferences webhook). */
  setUserPreference(from: string, value: 'stop' | 'resume', phoneId?: string): void {
    const waId = digitsOf(from);
    const now = this.clock.now();
    const phone = phoneId ? this.phoneOrThrow(phoneId) : this.phoneLastUsedFor(waId);
    const existing = this.users.get(waId);
    this.users.set(waId, { ...(existing ?? { phone: '+' + waId, undeliverable: false, marketing_cap_reached: false, experiment_holdout: false, offline: false, marketing_stopped: false }), marketing_stopped: value === 'stop' });
    const value_ = {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: digitsOf(phone.display_phone_number), phone_number_id: phone.id },
      contacts: [{ wa_id: waId, profile: { name: existing?.name ?? `User ${waId.slice(-4)}` } }],
      user_preferences: [{ wa_id: waId, detail: value === 'stop' ? 'User requested to stop marketing messages' : 'User requested to resume marketing messages', category: 'marketing_messages', value, timestamp: unix(now) }],
    };
    this.webhooks.enqueue({ object: 'whatsapp_business_account', entry: [{ id: phone.waba_id, time: unix(now), changes: [{ value: value_, field: 'user_preferences' }] }] }, { wabaId: phone.waba_id, field: 'user_preferences', summary: `user_preferences:${value} ${waId}`, delayMs: 0 });
  }

  // ---------------------------------------------------------------- templates

  private managementWebhook(wabaId: string, field: string, value: object, summary: string): void {
    const now = this.clock.now();
    this.webhooks.enqueue({ object: 'whatsapp_business_account', entry: [{ id: wabaId, time: unix(now), changes: [{ value, field }] }] }, { wabaId, field, summary, delayMs: 0 });
  }

  private templateStatusWebhook(t: TemplateState, event: string, extra: Record<string, unknown> = {}): void {
    const value = {
      event,
      message_template_id: Number(t.id),
      message_template_name: t.name,
      message_template_language: hyphenLanguage(t.language),
      reason: event === 'PENDING_DELETION' ? null : event === 'REJECTED' ? (t.rejected_reason ?? 'NONE') : 'NONE',
      message_template_category: t.category,
      ...extra,
    };
    this.managementWebhook(t.waba_id, 'message_template_status_update', value, `template_status:${event} ${t.name}/${t.language}`);
  }

  templateByKey(name: string, language: string, wabaId?: string): TemplateState {
    for (const t of this.templates.values()) if (t.name === name && t.language === language && (!wabaId || t.waba_id === wabaId)) return t;
    throw new Error(`no template ${name} in ${language}`);
  }

  setTemplateStatus(t: TemplateState, status: TemplateStatus, reason?: string): void {
    if (status === 'PAUSED') return this.pause(t);
    this.pauseGeneration.set(t.id, (this.pauseGeneration.get(t.id) ?? 0) + 1);
    t.status = status;
    t.last_updated_time = this.clock.now();
    if (status === 'REJECTED') t.rejected_reason = (reason as TemplateState['rejected_reason']) ?? t.rejected_reason ?? 'INVALID_FORMAT';
    const extra: Record<string, unknown> = {};
    if (status === 'REJECTED') extra.rejection_info = { reason: t.rejected_reason, recommendation: 'Review the template guidelines and submit a new template.' };
    if (status === 'DISABLED') extra.disable_info = { disable_date: unix(this.clock.now()) };
    this.templateStatusWebhook(t, status, extra);
  }

  setTemplateQuality(t: TemplateState, quality: QualityScore): void {
    const previous = t.quality_score;
    t.quality_score = quality;
    t.last_updated_time = this.clock.now();
    this.managementWebhook(
      t.waba_id,
      'message_template_quality_update',
      { previous_quality_score: previous, new_quality_score: quality, message_template_id: Number(t.id), message_template_name: t.name, message_template_language: hyphenLanguage(t.language) },
      `template_quality:${quality} ${t.name}/${t.language}`,
    );
    if (quality === 'RED' && t.status === 'APPROVED') this.pause(t);
  }

  /** Meta re-categorised the template (template_category_update); pricing follows the new category. */
  setTemplateCategory(t: TemplateState, category: TemplateState['category']): void {
    const previous = t.category;
    if (previous === category) return;
    t.previous_category = previous;
    t.category = category;
    t.last_updated_time = this.clock.now();
    this.managementWebhook(
      t.waba_id,
      'template_category_update',
      { message_template_id: Number(t.id), message_template_name: t.name, message_template_language: hyphenLanguage(t.language), previous_category: previous, new_category: category },
      `template_category_update:${category} ${t.name}/${t.language}`,
    );
  }

  /** Any webhook field the sandbox does not model (account_update, account_alerts, security…), wrapped and signed like the rest. */
  rawWebhook(field: string, value: object, wabaId?: string): void {
    const id = wabaId ?? this.wabas.keys().next().value;
    if (!id || !this.wabas.has(id)) throw new Error(wabaId ? `no WABA ${wabaId}` : 'the scenario has no WABA');
    this.managementWebhook(id, field, value, `${field}:raw`);
  }

  /** Low quality: paused 3 h the first time, 6 h the second, disabled the third. */
  private pause(t: TemplateState): void {
    t.pause_count++;
    t.last_updated_time = this.clock.now();
    if (t.pause_count >= 3) {
      t.status = 'DISABLED';
      this.templateStatusWebhook(t, 'DISABLED', {
        disable_info: { disable_date: unix(this.clock.now()) },
        other_info: { title: 'DISABLED', description: 'Your message template has been disabled because of repeated low quality ratings.' },
      });
      return;
    }
    const ms = PAUSE_MS[t.pause_count - 1]!;
    t.status = 'PAUSED';
    this.templateStatusWebhook(t, 'PAUSED', {
      other_info: { title: t.pause_count === 1 ? 'FIRST_PAUSE' : 'SECOND_PAUSE', description: `Your message template has been paused for ${ms / HOUR} hours until ${new Date(this.clock.now() + ms).toISOString()} due to low quality.` },
    });
    this.scheduleUnpause(t, ms);
  }

  private scheduleUnpause(t: TemplateState, ms: number): void {
    const gen = (this.pauseGeneration.get(t.id) ?? 0) + 1;
    this.pauseGeneration.set(t.id, gen);
    this.after(ms, () => {
      if (this.pauseGeneration.get(t.id) === gen) this.unpause(t);
    });
  }

  private unpause(t: TemplateState): void {
    if (t.status !== 'PAUSED') return;
    t.status = 'APPROVED';
    // Quality is re-assessed from recent feedback after a pause; the sandbox starts it afresh.
    t.quality_score = 'UNKNOWN';
    t.last_updated_time = this.clock.now();
    this.templateStatusWebhook(t, 'APPROVED', { other_info: { title: 'UNPAUSE', description: 'Your message template has been unpaused.' } });
  }

  // ---------------------------------------------------------------- account

  setMessagingLimit(limit: MessagingLimit): void {
    const old = this.business.messaging_limit;
    if (old === limit) return;
    this.business.messaging_limit = limit;
    const value = LIMIT_VALUES[limit];
    const asNumber = Number.isFinite(value) ? value : -1;
    for (const w of this.wabas.values()) {
      const cap = this.scenario.webhooks.capability_format === 'tier' ? limit : asNumber;
      this.managementWebhook(w.id, 'business_capability_update', { max_daily_conversation_per_phone: asNumber, max_daily_conversations_per_business: cap, max_phone_numbers_per_business: 25, max_phone_numbers_per_waba: 25 }, `business_capability_update:${limit}`);
      const up = (LIMIT_VALUES[limit] ?? 0) > (LIMIT_VALUES[old] ?? 0);
      for (const p of this.phonesOf(w.id))
        this.managementWebhook(w.id, 'phone_number_quality_update', { display_phone_number: digitsOf(p.display_phone_number), event: up ? 'UPGRADE' : 'DOWNGRADE', current_limit: limit, old_limit: old, max_daily_conversations_per_business: limit }, `phone_number_quality_update:${up ? 'UPGRADE' : 'DOWNGRADE'} ${p.id}`);
    }
  }

  /** Meta raises the limit one level (within 6 h) once half of it was used with good quality. */
  private considerAutoScaling(now: number): void {
    const l = this.scenario.limits;
    const next = NEXT_LIMIT[this.business.messaging_limit];
    if (!l.auto_scaling || !next || this.pendingUpgrade) return;
    if (this.portfolio.size(now) < this.limitValue() / 2) return;
    if ([...this.phones.values()].some((p) => p.quality_rating === 'RED')) return;
    const from = this.business.messaging_limit;
    this.pendingUpgrade = true;
    this.after(l.auto_scaling_delay_ms, () => {
      this.pendingUpgrade = false;
      if (this.business.messaging_limit === from) this.setMessagingLimit(next);
    });
  }

  setPhone(id: string, patch: { quality_rating?: PhoneQuality; status?: PhoneState['status']; throughput_level?: 'STANDARD' | 'HIGH' }): PhoneState {
    const p = this.phoneOrThrow(id);
    const limit = this.business.messaging_limit;
    if (patch.quality_rating && patch.quality_rating !== p.quality_rating) {
      const wasRed = p.quality_rating === 'RED';
      p.quality_rating = patch.quality_rating;
      const event = patch.quality_rating === 'RED' ? 'FLAGGED' : wasRed ? 'UNFLAGGED' : undefined;
      if (event) this.managementWebhook(p.waba_id, 'phone_number_quality_update', { display_phone_number: digitsOf(p.display_phone_number), event, current_limit: limit, max_daily_conversations_per_business: limit }, `phone_number_quality_update:${event} ${p.id}`);
    }
    if (patch.status) p.status = patch.status;
    if (patch.throughput_level && patch.throughput_level !== p.throughput_level) {
      p.throughput_level = patch.throughput_level;
      if (patch.throughput_level === 'HIGH')
        this.managementWebhook(p.waba_id, 'phone_number_quality_update', { display_phone_number: digitsOf(p.display_phone_number), event: 'THROUGHPUT_UPGRADE', current_limit: limit, max_daily_conversations_per_business: limit }, `phone_number_quality_update:THROUGHPUT_UPGRADE ${p.id}`);
    }
    return p;
  }

  /** Adds a template (admin); returns its id. */
  addTemplate(def: unknown, wabaId?: string): string {
    const w = wabaId ? this.wabas.get(wabaId) : this.wabas.values().next().value;
    if (!w) throw new Error(wabaId ? `no WABA ${wabaId}` : 'the scenario has no WABA');
    const r = templateSchema.safeParse(def);
    if (!r.success) throw new Error(`invalid template: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    if (this.findTemplate(w.id, r.data.name, r.data.language)) throw new Error(`template ${r.data.name}/${r.data.language} already exists`);
    const id = r.data.id ?? this.nextId('5');
    this.templates.set(id, { ...r.data, id, waba_id: w.id, last_updated_time: this.clock.now() });
    return id;
  }

  /** Adds or changes a recipient's scripted behaviour. */
  upsertUser(patch: Partial<ScenarioUser> & { phone: string }): void {
    const waId = patch.wa_id ?? digitsOf(patch.phone);
    const existing = this.users.get(waId);
    const base = userSchema.parse({ phone: patch.phone });
    const merged = { ...base, ...existing, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as ScenarioUser;
    this.users.set(waId, merged);
  }

  storeMedia(phoneId: string, data: Buffer, mime: string): MediaRecord {
    this.phoneOrThrow(phoneId);
    const rec: MediaRecord = { id: this.nextId('7'), phone_number_id: phoneId, mime_type: mime, sha256: crypto.createHash('sha256').update(data).digest('hex'), file_size: data.length, data };
    this.media.set(rec.id, rec);
    return rec;
  }

  private runTimelineEvent(e: TimelineEvent): void {
    try {
      switch (e.action) {
        case 'template_status':
          return this.setTemplateStatus(this.templateByKey(e.name, e.language), e.status, e.reason);
        case 'template_quality':
          return this.setTemplateQuality(this.templateByKey(e.name, e.language), e.quality);
        case 'template_category':
          return this.setTemplateCategory(this.templateByKey(e.name, e.language), e.category);
        case 'messaging_limit':
          return this.setMessagingLimit(e.limit);
        case 'webhook':
          return this.rawWebhook(e.field, e.value);
        case 'phone_quality':
          this.setPhone(e.phone_number_id, { quality_rating: e.quality });
          return;
        case 'throughput_upgrade':
          this.setPhone(e.phone_number_id, { throughput_level: 'HIGH' });
          return;
        case 'inbound':
          this.inbound({ from: e.from, phone_number_id: e.phone_number_id, kind: e.kind, text: e.text, payload: e.payload, language: e.language });
          return;
        case 'user_preferences':
          return this.setUserPreference(e.wa_id, e.value);
      }
    } catch {
      // References were checked at start; an entry can still fail if an admin call removed its target.
    }
  }

  async close(): Promise<void> {
    this.agenda.close();
    await this.webhooks.close();
  }
}
