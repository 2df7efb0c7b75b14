import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { SandboxPricing } from './pricing';
import { SandboxClicks } from './clicks';
import type { Clock } from '../clock';
import { Agenda } from './agenda';
import { GraphError, unknownObject, type SandboxErrorCode } from './graph-errors';
import { MovingUniqueSet, PairRateLimiter, PerKeyWindow, SlidingWindowCounter } from './limits';
import type { Rng } from './rng';
import {
  LIMIT_VALUES,
  type FaultSettings,
  type ResolvedScenario,
  type ScenarioPhoneNumber,
  type ScenarioTemplate,
  type ScenarioUser,
  type TimelineEvent,
} from './scenario';
import { StatsCollector, type SandboxStats } from './stats';
import type { RenderedTemplate } from './template-validation';
import { WebhookDispatcher } from './webhooks';

/**
 * The emulated account's state and the helpers every part of it uses (ids, metering, lookups,
 * stats, management webhooks). SandboxWorld (world.ts) is this state plus one layer per
 * responsibility, each a class extending the one before:
 *   world-base.ts → world-account.ts (limits/tiers, numbers, users, media)
 *   → world-templates.ts (template status, quality, category, pause cycle)
 *   → world-inbound.ts (replies, buttons, stop words, user preferences)
 *   → world-messages.ts (sends: validation, limits, outcomes, status webhooks)
 *   → world.ts (the scripted timeline, close).
 * All state lives here, so a layer's fields are initialised before the constructor runs.
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

export const HOUR = 3600_000;
export const DELIVER: MessageRecord['outcome'] = Object.freeze({ kind: 'deliver' });
export const SENT_ONLY: MessageRecord['outcome'] = Object.freeze({ kind: 'sent_only' });
export type Pricing = SandboxPricing;
/** Status events in the order of their step codes (see scheduleStatuses). */
export const STATUS_STEPS = ['sent', 'delivered', 'read', 'failed'] as const;
export const PAUSE_MS = [3 * HOUR, 6 * HOUR];

export const digitsOf = (phone: string) => phone.replace(/[^\d]/g, '');
export const unix = (ms: number) => Math.floor(ms / 1000);
/** Webhooks spell template languages with a hyphen (en-US) while the API uses en_US. */
export const hyphenLanguage = (l: string) => l.replace('_', '-');

export function isUsNumber(waId: string): boolean {
  if (!waId.startsWith('1')) return false;
  const p = parsePhoneNumberFromString('+' + waId);
  // +1 numbers outside any assigned NANP country (e.g. fictional 555 area codes) count as US.
  return p?.country === 'US' || p?.country === undefined;
}

export function callingCode(waId: string): string | undefined {
  return parsePhoneNumberFromString('+' + waId)?.countryCallingCode;
}

export abstract class WorldBase {
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

  protected readonly throughput = new Map<string, SlidingWindowCounter>();
  protected readonly pair: PairRateLimiter;
  protected readonly portfolio: MovingUniqueSet;
  protected readonly marketing = new PerKeyWindow(24 * HOUR);
  protected readonly management = new Map<string, SlidingWindowCounter>();
  /** Last inbound message per `${phone}:${wa_id}` (the customer-service window). */
  protected readonly lastInbound = new Map<string, number>();
  /** Sticky "not on WhatsApp" verdicts for unknown recipients (undeliverable_rate). */
  protected readonly unknownUndeliverable = new Map<string, boolean>();
  protected readonly replied = new Set<string>();
  /** The last template message to each user, per business number: phone id → wa_id → wamid. */
  protected readonly lastTemplateTo = new Map<string, Map<string, string>>();
  protected readonly pricingValues = new Map<string, Pricing>();
  protected readonly templateInfos = new Map<string, NonNullable<MessageRecord['template']>>();
  /** The number that last messaged each user (where their replies go by default). */
  protected readonly lastPhoneFor = new Map<string, string>();
  /** Everything scheduled for later (statuses, replies, unpauses, the timeline) behind one timer. */
  protected readonly agenda: Agenda;
  protected pendingUpgrade = false;
  /** Bumped on every pause, so an old pause's timer never ends a newer pause early. */
  protected readonly pauseGeneration = new Map<string, number>();
  protected idCounter = 0;

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
    this.webhooks = new WebhookDispatcher(clock, scenario.webhooks, (wabaId) => ({
      url: this.webhookTarget(wabaId),
      appSecret: this.appSecret,
    }));
    this.clicks = new SandboxClicks(scenario.clicks, {
      rng,
      clockNow: () => clock.now(),
      after: (ms, fn) => this.after(ms, fn),
      post: (wabaId, build) => this.webhooks.enqueueLazy({ wabaId, field: 'messages', delayMs: 0 }, build),
    });
    const now = clock.now();
    for (const w of scenario.wabas) {
      this.wabas.set(w.id, {
        id: w.id,
        name: w.name,
        currency: w.currency,
        timezone_id: w.timezone_id,
        message_template_namespace: w.message_template_namespace,
        account_review_status: w.account_review_status,
        health: w.health,
        subscriptions: [{ app_id: scenario.credentials.app_id }],
      });
      for (const p of w.phone_numbers)
        this.phones.set(p.id, {
          ...p,
          business_profile: { ...p.business_profile },
          waba_id: w.id,
          last_onboarded_time: now - 90 * 24 * HOUR,
        });
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

  after(ms: number, fn: () => void): void {
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
  protected wamid(waId: string): string {
    const id = Buffer.from(this.rng.hex(9).toUpperCase(), 'ascii');
    const body = Buffer.concat([
      Buffer.from([0x1c, 0x18, waId.length]),
      Buffer.from(waId, 'ascii'),
      Buffer.from([0x15, 0x02, 0x00, 0x11, 0x18, 0x12]),
      id,
      Buffer.from([0x00]),
    ]);
    return 'wamid.' + body.toString('base64');
  }

  protected delay([min, max]: [number, number]): number {
    return this.rng.int(Math.round(min), Math.round(max));
  }

  protected phoneOrThrow(id: string): PhoneState {
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

  protected meter(phoneId: string): SlidingWindowCounter {
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
      JSON.stringify({
        [wabaId]: [
          {
            type: 'whatsapp_business_management',
            call_count: Math.min(100, Math.round((count / limit) * 100)),
            total_cputime: 0,
            total_time: 0,
            estimated_time_to_regain_access: regainMin,
          },
        ],
      });
    if (c.count(now) >= limit) {
      this.stats.limits.management_rate_rejections++;
      this.stats.syncError(80007, undefined, now);
      throw new GraphError(80007, `WhatsApp Business Account ${wabaId} reached its rate limit of ${limit} calls per hour`, {
        headers: { 'x-business-use-case-usage': usage(limit, Math.ceil(c.msUntilBelow(now, limit) / 60_000)) },
      });
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

  protected managementWebhook(wabaId: string, field: string, value: object, summary: string): void {
    const now = this.clock.now();
    this.webhooks.enqueue(
      { object: 'whatsapp_business_account', entry: [{ id: wabaId, time: unix(now), changes: [{ value, field }] }] },
      { wabaId, field, summary, delayMs: 0 },
    );
  }

  /** Template pause cycle (world-templates.ts): a scenario template starting PAUSED is unpaused later. */
  protected abstract scheduleUnpause(t: TemplateState, ms: number): void;
  /** The scripted timeline (world.ts). */
  protected abstract runTimelineEvent(e: TimelineEvent): void;
}
