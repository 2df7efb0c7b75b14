/**
 * Pacer Sandbox: a local emulator of Meta's WhatsApp Cloud API (Graph API) on 127.0.0.1.
 * It is both a product feature ("Use Sandbox", `pacer sandbox`) and the test double the rest of
 * Pacer is tested against. See docs/sandbox.md for what is emulated and what is not.
 *
 *   const sb = await startSandbox({ clock, webhookUrl });
 *   fetch(`${sb.baseUrl}/v24.0/${SANDBOX_PHONE_NUMBER_ID}/messages`, { headers: { authorization: `Bearer ${SANDBOX_ACCESS_TOKEN}` }, … })
 */
import { installBsuid } from './bsuid';
import { systemClock, type Clock } from '../clock';
import { DEFAULT_SCENARIO } from './default-scenario';
import { Rng } from './rng';
import {
  loadScenarioFile,
  parseScenario,
  type FaultSettings,
  type MessagingLimit,
  type PhoneQuality,
  type PhoneStatus,
  type QualityScore,
  type ResolvedScenario,
  type Scenario,
  type TemplateStatus,
} from './scenario';
import { SandboxServer } from './server';
import type { SandboxStats } from './stats';
import type { WebhookLogEntry } from './webhooks';
import { SandboxWorld, type InboundInput, type MessageRecord, type StatusName } from './world';

export {
  DEFAULT_SCENARIO,
  SANDBOX_ACCESS_TOKEN,
  SANDBOX_APP_ID,
  SANDBOX_APP_SECRET,
  SANDBOX_BUSINESS_ID,
  SANDBOX_PHONE_NUMBER_ID,
  SANDBOX_PHONE_NUMBER_IDS,
  SANDBOX_RECIPIENTS,
  SANDBOX_VERIFY_TOKEN,
  SANDBOX_WABA_ID,
} from './default-scenario';
export { signBody } from './webhooks';
export { acceleratedClock } from './accelerated-clock';
export { STOP_WORDS, STOP_BUTTON_LABELS } from './world';
export { ERROR_SPECS, type GraphErrorBody } from './graph-errors';
export { loadScenarioFile, parseScenario, ScenarioError, LIMIT_VALUES, MESSAGING_LIMITS, TEMPLATE_STATUSES } from './scenario';
export type {
  Scenario,
  ResolvedScenario,
  FaultSettings,
  MessagingLimit,
  QualityScore,
  TemplateStatus,
  PhoneQuality,
  PhoneStatus,
} from './scenario';
export type { SandboxStats, RecipientStats, PortfolioViolation, DuplicateItem } from './stats';
export type { WebhookLogEntry, WebhookStats } from './webhooks';
export type { InboundInput, MessageRecord, StatusName } from './world';

export interface SandboxOptions {
  /** Port on 127.0.0.1; 0 or omitted picks a free one. */
  port?: number;
  /** Clock for every window, delay, pause and timeline event (default: the system clock). */
  clock?: Clock;
  /** Seed for every random choice (ids, delays, faults, read/duplicate/out-of-order draws). Default 1. */
  seed?: number;
  /** A scenario object, a path to a scenario JSON file, or omitted for the built-in one. */
  scenario?: Scenario | string;
  /** Where to POST webhooks (overrides the scenario's webhooks.url). */
  webhookUrl?: string;
  /** Signs webhooks (default: the scenario's, else SANDBOX_APP_SECRET). */
  appSecret?: string;
  /** The only Bearer token accepted (default: the scenario's, else SANDBOX_ACCESS_TOKEN). */
  accessToken?: string;
}

export interface SandboxHandle {
  /** Graph root, e.g. http://127.0.0.1:PORT — clients append /v24.0/… */
  readonly baseUrl: string;
  readonly port: number;
  /** The credentials and ids this sandbox accepts/serves. */
  readonly credentials: { accessToken: string; appSecret: string; appId: string; verifyToken: string | undefined };
  readonly ids: { businessId: string; wabaIds: string[]; phoneNumberIds: string[] };
  readonly scenario: ResolvedScenario;
  stats(): SandboxStats;
  resetStats(): void;
  /** Accepted messages (newest last), optionally for one recipient. */
  messages(filter?: { waId?: string }): MessageRecord[];
  /** Webhook deliveries so far (payload text in `body`). */
  webhookLog(filter?: { field?: string; state?: WebhookLogEntry['state'] }): WebhookLogEntry[];
  /** Resolves once no webhook POST is in flight (future scheduled ones don't count). */
  webhooksIdle(): Promise<void>;
  setWebhook(opts: { url?: string | null; appSecret?: string }): void;
  setTemplateStatus(name: string, language: string, status: TemplateStatus, reason?: string): void;
  setTemplateQuality(name: string, language: string, quality: QualityScore): void;
  /** Re-categorises a template (template_category_update webhook). */
  setTemplateCategory(name: string, language: string, category: 'MARKETING' | 'UTILITY' | 'AUTHENTICATION'): void;
  /** Sends any webhook field the sandbox does not model (account_update, account_alerts, …). */
  sendWebhook(field: string, value: object, wabaId?: string): void;
  /** Adds a template in Graph's GET shape (plus sandbox extras); returns its id. */
  addTemplate(template: unknown, wabaId?: string): string;
  /** The portfolio's messaging limit (tier); emits business_capability_update and phone_number_quality_update. */
  setMessagingLimit(limit: MessagingLimit): void;
  setPhoneNumber(id: string, patch: { quality_rating?: PhoneQuality; status?: PhoneStatus; throughput_level?: 'STANDARD' | 'HIGH' }): void;
  setFaults(patch: Partial<FaultSettings>): void;
  setTokenState(state: 'valid' | 'expired' | 'revoked'): void;
  /** A user writes, taps a button, or stops marketing; returns the inbound wamid (none for preference_stop). */
  sendInbound(input: InboundInput): { wamid?: string };
  setUserPreference(waId: string, value: 'stop' | 'resume'): void;
  upsertUser(user: {
    phone: string;
    wa_id?: string;
    name?: string;
    undeliverable?: boolean;
    marketing_stopped?: boolean;
    marketing_cap_reached?: boolean;
    experiment_holdout?: boolean;
    offline?: boolean;
    reads?: boolean;
  }): void;
  /** Current status of a message by wamid (undefined if unknown). */
  messageStatus(wamid: string): StatusName | undefined;
  close(): Promise<void>;
}

export function resolveScenario(s: Scenario | string | undefined): ResolvedScenario {
  if (s === undefined) return parseScenario(DEFAULT_SCENARIO, 'the built-in scenario');
  if (typeof s === 'string') return loadScenarioFile(s);
  return parseScenario(s);
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<SandboxHandle> {
  const scenario = resolveScenario(opts.scenario);
  const clock = opts.clock ?? systemClock;
  const accessToken = opts.accessToken ?? scenario.credentials.access_token ?? DEFAULT_SCENARIO.credentials!.access_token!;
  const appSecret = opts.appSecret ?? scenario.credentials.app_secret ?? DEFAULT_SCENARIO.credentials!.app_secret!;
  const world = new SandboxWorld(scenario, clock, new Rng(opts.seed ?? 1), { accessToken, appSecret, webhookUrl: opts.webhookUrl });
  installBsuid(world);
  let baseUrl = '';
  const server = new SandboxServer({ world, baseUrl: () => baseUrl });
  let port: number;
  try {
    port = await server.listen(opts.port ?? 0);
  } catch (e) {
    await world.close();
    throw e;
  }
  baseUrl = `http://127.0.0.1:${port}`;
  let closed: Promise<void> | undefined;

  return {
    baseUrl,
    port,
    credentials: { accessToken, appSecret, appId: scenario.credentials.app_id, verifyToken: scenario.credentials.verify_token },
    ids: { businessId: scenario.business.id, wabaIds: [...world.wabas.keys()], phoneNumberIds: [...world.phones.keys()] },
    scenario,
    stats: () => world.statsSnapshot(),
    resetStats: () => world.resetStats(),
    messages: (filter) => [...world.messages.values()].filter((m) => !filter?.waId || m.wa_id === filter.waId.replace(/\D/g, '')),
    webhookLog: (filter) => world.webhooks.entries(filter),
    webhooksIdle: () => world.webhooks.idle(),
    setWebhook: ({ url, appSecret: secret }) => {
      if (url !== undefined) world.webhookUrl = url ?? undefined;
      if (secret) world.appSecret = secret;
    },
    setTemplateStatus: (name, language, status, reason) => world.setTemplateStatus(world.templateByKey(name, language), status, reason),
    setTemplateQuality: (name, language, quality) => world.setTemplateQuality(world.templateByKey(name, language), quality),
    setTemplateCategory: (name, language, category) => world.setTemplateCategory(world.templateByKey(name, language), category),
    sendWebhook: (field, value, wabaId) => world.rawWebhook(field, value, wabaId),
    addTemplate: (template, wabaId) => world.addTemplate(template, wabaId),
    setMessagingLimit: (limit) => world.setMessagingLimit(limit),
    setPhoneNumber: (id, patch) => void world.setPhone(id, patch),
    setFaults: (patch) => void Object.assign(world.faults, patch),
    setTokenState: (state) => void (world.tokenState = state),
    sendInbound: (input) => world.inbound(input),
    setUserPreference: (waId, value) => world.setUserPreference(waId, value),
    upsertUser: (user) => world.upsertUser(user),
    messageStatus: (wamid) => world.messages.get(wamid)?.status,
    close: () =>
      (closed ??= (async () => {
        await world.close();
        await server.close();
      })()),
  };
}
