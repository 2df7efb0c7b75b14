/**
 * A typed client for the parts of Meta's Graph API (Cloud API + Business Management API) that
 * Pacer uses. It speaks to any Cloud-API-compatible root — graph.facebook.com, the built-in
 * sandbox, a test double, a BSP's proxy — with a configurable version and auth header.
 *
 * Reliability rules:
 * - Time goes through the injected Clock (timeouts, back-off sleeps); HTTP through the injected fetch.
 * - Retries with full jitter ONLY for transient failures (network, 5xx, codes classed retry_soon/fast).
 *   Rate-limit codes are never retried in a loop: management calls go through ManagementRateLimiter.
 * - A send is retried only when Meta surely did not accept it (connection refused, or an explicit
 *   transient error answer). A timeout or a reset after the body went out is `ambiguous`: the
 *   caller records the send as uncertain and reconciles by webhook (biz_opaque_callback_data).
 */
import type { SendEndpoint } from './marketing-messages';
import { createHmac } from 'node:crypto';
import { sleep, type Clock } from '../clock';
import type { Logger } from '../log';
import { backoffFor, classifyError, MANAGEMENT_RATE_LIMIT_CODES, type ErrorClass } from './errors';
import { ManagementRateLimiter, parseBusinessUseCaseUsage } from './rate-limit';
import type { GraphFetch, GraphResponse } from '../http/graph-transport';
import type { GraphErrorDetails } from '../../../shared/contract/whatsapp';
import { DEFAULT_API_VERSION, DEFAULT_GRAPH_URL } from '../../../shared/contract/whatsapp';

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

export class GraphApiError extends Error {
  readonly httpStatus: number | null;
  /** Graph `error.code`; null for network errors, timeouts and non-Graph answers. */
  readonly code: number | null;
  readonly subcode: number | null;
  readonly fbtraceId: string | null;
  readonly errorClass: ErrorClass;
  /** Meta's `error_data.details` (the useful explanation), when present. */
  readonly details: string | null;
  readonly userTitle: string | null;
  readonly userMessage: string | null;
  /** For rate limits: when the next call may go out (epoch ms). */
  readonly retryAt: number | null;
  /** The request may have been processed (timeout / reset after sending). Only meaningful for sends. */
  readonly ambiguous: boolean;

  constructor(init: {
    message: string;
    httpStatus?: number | null;
    code?: number | null;
    subcode?: number | null;
    fbtraceId?: string | null;
    details?: string | null;
    userTitle?: string | null;
    userMessage?: string | null;
    retryAt?: number | null;
    ambiguous?: boolean;
  }) {
    super(init.message);
    this.name = 'GraphApiError';
    this.httpStatus = init.httpStatus ?? null;
    this.code = init.code ?? null;
    this.subcode = init.subcode ?? null;
    this.fbtraceId = init.fbtraceId ?? null;
    this.details = init.details ?? null;
    this.userTitle = init.userTitle ?? null;
    this.userMessage = init.userMessage ?? null;
    this.retryAt = init.retryAt ?? null;
    this.ambiguous = init.ambiguous ?? false;
    this.errorClass = classifyError(this.code, this.httpStatus);
  }

  toDetails(at: number): GraphErrorDetails {
    return {
      graphCode: this.code,
      graphSubcode: this.subcode,
      httpStatus: this.httpStatus,
      errorClass: this.errorClass,
      message: this.details ? `${this.message} — ${this.details}` : this.message,
      fbtraceId: this.fbtraceId,
      at,
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Graph types (hand-written: the official spec lacks parameter_name, the v24 limit field, statuses…)
// ---------------------------------------------------------------------------------------------

export type MediaRef = { link: string; id?: never } | { id: string; link?: never };

export type TemplateParameter = { parameter_name?: string } & (
  | { type: 'text'; text: string }
  | { type: 'currency'; currency: { fallback_value: string; code: string; amount_1000: number } }
  | { type: 'date_time'; date_time: { fallback_value: string } }
  | { type: 'image'; image: MediaRef }
  | { type: 'video'; video: MediaRef }
  | { type: 'document'; document: MediaRef & { filename?: string } }
);

export type ButtonParameter =
  { type: 'payload'; payload: string } | { type: 'text'; text: string } | { type: 'coupon_code'; coupon_code: string };

export type TemplateSendComponent =
  | { type: 'header' | 'body'; parameters: TemplateParameter[] }
  | { type: 'button'; sub_type: 'quick_reply' | 'url' | 'catalog' | 'copy_code' | 'flow'; index: string; parameters: ButtonParameter[] };

/** What a caller gives to send one template message. */
export type TemplateSend = TemplateSendBase &
  (
    | {
        /** E.164 with '+' (always: without it Meta prepends the business number's country code). */
        to: string;
        recipient?: undefined;
      }
    | {
        /**
         * A business-scoped user id (`IL.1502576394655843`): a person known only by it is addressed
         * with `recipient` instead of `to` (reference §11: "Recipients may be given as `to` (phone)
         * or `recipient` (a business-scoped user id)"; Meta "Business-scoped user IDs", 2026-11-05).
         */
        recipient: string;
        to?: undefined;
      }
  );

interface TemplateSendBase {
  name: string;
  /** en_US / he / zh_TW (a hyphen is converted). */
  language: string;
  components?: TemplateSendComponent[];
  /** Echoed on status webhooks: correlates a campaign row even when the HTTP answer was lost. */
  bizOpaqueCallbackData?: string;
}

/** The exact JSON body of POST /{phone-number-id}/messages for a template. */
export interface TemplateMessageBody {
  messaging_product: 'whatsapp';
  recipient_type: 'individual';
  /** The phone (E.164)… */
  to?: string;
  /** …or the business-scoped user id: exactly one of the two. */
  recipient?: string;
  type: 'template';
  template: { name: string; language: { code: string; policy: 'deterministic' }; components?: TemplateSendComponent[] };
  biz_opaque_callback_data?: string;
  /** /marketing_messages only: "STRICT" refuses instead of falling back to Cloud API (marketing-messages.ts). */
  product_policy?: 'STRICT';
}

export interface SendResult {
  wamid: string;
  /** WhatsApp id of the recipient (may differ from the input, e.g. Brazil). */
  waId: string | null;
  input: string | null;
  /** accepted | held_for_quality_assessment | paused (only when the template is being paced). */
  messageStatus: string | null;
}

export interface GraphPaging {
  cursors?: { before?: string; after?: string };
  next?: string;
  previous?: string;
}

export interface GraphTemplate {
  id: string;
  name: string;
  language: string;
  status: string;
  category: string;
  previous_category?: string;
  sub_category?: string;
  parameter_format?: string;
  components?: Record<string, unknown>[];
  rejected_reason?: string;
  quality_score?: { score?: string; date?: number } | null;
}

export interface GraphPhoneNumber {
  id: string;
  display_phone_number?: string;
  verified_name?: string;
  quality_rating?: string;
  status?: string;
  name_status?: string;
  code_verification_status?: string;
  platform_type?: string;
  account_mode?: string;
  throughput?: { level?: string };
  messaging_limit_tier?: string;
  whatsapp_business_manager_messaging_limit?: string;
}

export interface GraphWaba {
  id: string;
  name?: string;
  currency?: string;
  timezone_id?: string;
  message_template_namespace?: string;
  whatsapp_business_manager_messaging_limit?: string;
  owner_business_info?: { id?: string; name?: string };
}

export interface GraphBusinessProfile {
  about?: string;
  address?: string;
  description?: string;
  email?: string;
  profile_picture_url?: string;
  websites?: string[];
  vertical?: string;
}

export interface TemplateListFilters {
  status?: string;
  category?: string;
  language?: string;
  name?: string;
  name_or_content?: string;
  quality_score?: string;
}

export const TEMPLATE_FIELDS = [
  'id',
  'name',
  'language',
  'status',
  'category',
  'previous_category',
  'sub_category',
  'parameter_format',
  'components',
  'rejected_reason',
  'quality_score',
] as const;
const PHONE_BASE_FIELDS = [
  'id',
  'display_phone_number',
  'verified_name',
  'quality_rating',
  'status',
  'name_status',
  'code_verification_status',
  'platform_type',
  'account_mode',
  'throughput',
];
const WABA_BASE_FIELDS = ['id', 'name', 'currency', 'timezone_id', 'message_template_namespace'];
const PROFILE_FIELDS = 'about,address,description,email,profile_picture_url,websites,vertical';

/** v24.0 replaced `messaging_limit_tier` with `whatsapp_business_manager_messaging_limit`. */
export function limitFieldFor(apiVersion: string): 'whatsapp_business_manager_messaging_limit' | 'messaging_limit_tier' {
  const major = Number(/^v(\d+)/.exec(apiVersion)?.[1] ?? 24);
  return major >= 24 ? 'whatsapp_business_manager_messaging_limit' : 'messaging_limit_tier';
}

/** Builds the send body. Always '+', always language.policy (the spec requires it; Meta accepts it). */
export function buildTemplateMessage(send: TemplateSend): TemplateMessageBody {
  const to = send.to?.trim();
  const body: TemplateMessageBody = {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    ...(to !== undefined ? { to: to.startsWith('+') ? to : `+${to}` } : { recipient: send.recipient!.trim() }),
    type: 'template',
    template: { name: send.name, language: { code: send.language.replace('-', '_'), policy: 'deterministic' } },
  };
  if (send.components?.length) body.template.components = send.components;
  if (send.bizOpaqueCallbackData !== undefined) body.biz_opaque_callback_data = send.bizOpaqueCallbackData;
  return body;
}

// ---------------------------------------------------------------------------------------------
// Client
// ---------------------------------------------------------------------------------------------

export interface GraphClientOptions {
  /** Graph root without version: https://graph.facebook.com, http://127.0.0.1:PORT … */
  baseUrl?: string;
  /** e.g. v24.0. An empty string omits the version segment (some proxies). */
  apiVersion?: string;
  /** Read at every call so a reconnect takes effect at once. */
  token: () => string | null;
  /** Auth header name and value prefix. Default `Authorization: Bearer <token>`. */
  auth?: { header?: string; prefix?: string };
  /** Extra headers on every request (e.g. a BSP's API key). */
  headers?: Record<string, string>;
  /** undici's request in the app (electron/core/http/graph-transport.ts); a fetch fits too. */
  fetch: GraphFetch;
  clock: Clock;
  log?: Logger;
  /** Per-request timeout. Default 30 s. */
  timeoutMs?: number;
  /** Attempts after the first, for transient failures. Default 3 (reads) and 2 (sends). */
  retries?: number;
  /** Back-off base and cap for transient retries (full jitter). Default 500 ms, 8 s. */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  random?: () => number;
  /** Shared by the clients of one connection; default: a fresh 200/h limiter. */
  limiter?: ManagementRateLimiter;
  /** Told about every auth outcome, so the account can flag an expired token from any call (sends too). */
  onAuthError?: (err: GraphApiError) => void;
  onAuthOk?: () => void;
}

type CallKind = 'send' | 'management' | 'media';

interface RequestOptions {
  kind: CallKind;
  query?: Record<string, string | number | undefined>;
  json?: unknown;
  form?: FormData;
  raw?: { body: Uint8Array; headers: Record<string, string> };
  signal?: AbortSignal;
}

const TRANSIENT_NETWORK_BEFORE_SEND = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export class GraphClient {
  readonly baseUrl: string;
  readonly apiVersion: string;
  readonly limiter: ManagementRateLimiter;
  private readonly o: GraphClientOptions;
  private readonly random: () => number;

  constructor(opts: GraphClientOptions) {
    this.o = opts;
    this.baseUrl = (opts.baseUrl ?? DEFAULT_GRAPH_URL).replace(/\/+$/, '');
    this.apiVersion = opts.apiVersion ?? DEFAULT_API_VERSION;
    this.random = opts.random ?? Math.random;
    this.limiter = opts.limiter ?? new ManagementRateLimiter(opts.clock, undefined, this.random);
  }

  // ---- messages ------------------------------------------------------------------------------

  /**
   * POST /{phone-number-id}/messages with a template — or /marketing_messages (the Marketing
   * Messages API: same body, MARKETING templates only; the caller routes, marketing-messages.ts).
   * Throws GraphApiError.
   */
  async sendTemplate(
    phoneNumberId: string,
    send: TemplateSend | TemplateMessageBody,
    signal?: AbortSignal,
    endpoint: SendEndpoint = 'messages',
  ): Promise<SendResult> {
    const body = 'messaging_product' in send ? send : buildTemplateMessage(send);
    const res = await this.request<{
      contacts?: { input?: string; wa_id?: string }[];
      messages?: { id?: string; message_status?: string }[];
    }>('POST', `${seg(phoneNumberId)}/${endpoint === 'marketing_messages' ? 'marketing_messages' : 'messages'}`, {
      kind: 'send',
      json: body,
      ...(signal ? { signal } : {}),
    });
    const wamid = res.messages?.[0]?.id;
    if (!wamid) throw new GraphApiError({ message: 'The send answer carried no message id', httpStatus: 200, ambiguous: true });
    return {
      wamid,
      waId: res.contacts?.[0]?.wa_id ?? null,
      input: res.contacts?.[0]?.input ?? null,
      messageStatus: res.messages?.[0]?.message_status ?? null,
    };
  }

  // ---- templates -----------------------------------------------------------------------------

  /** One page of GET /{waba-id}/message_templates. */
  async listTemplatesPage(
    wabaId: string,
    opts: { after?: string; limit?: number; fields?: readonly string[]; filters?: TemplateListFilters } = {},
  ): Promise<{ data: GraphTemplate[]; paging: GraphPaging | null }> {
    const res = await this.request<{ data?: GraphTemplate[]; paging?: GraphPaging }>('GET', `${seg(wabaId)}/message_templates`, {
      kind: 'management',
      query: { fields: (opts.fields ?? TEMPLATE_FIELDS).join(','), limit: opts.limit ?? 100, after: opts.after, ...opts.filters },
    });
    return { data: res.data ?? [], paging: res.paging ?? null };
  }

  /** Every template of a WABA, following cursor paging while `paging.next` is present. */
  async listAllTemplates(
    wabaId: string,
    opts: { limit?: number; fields?: readonly string[]; filters?: TemplateListFilters; maxPages?: number } = {},
  ): Promise<GraphTemplate[]> {
    const out: GraphTemplate[] = [];
    let after: string | undefined;
    for (let page = 0; page < (opts.maxPages ?? 200); page++) {
      const res = await this.listTemplatesPage(wabaId, { ...opts, ...(after ? { after } : {}) });
      out.push(...res.data);
      const next = res.paging?.next ? res.paging.cursors?.after : undefined;
      if (!next || next === after || res.data.length === 0) return out;
      after = next;
    }
    throw new GraphApiError({ message: `Template paging did not end after ${opts.maxPages ?? 200} pages` });
  }

  /** GET /{template-id} */
  async getTemplate(templateId: string, fields: readonly string[] = TEMPLATE_FIELDS): Promise<GraphTemplate> {
    return this.request<GraphTemplate>('GET', seg(templateId), { kind: 'management', query: { fields: fields.join(',') } });
  }

  // ---- WABA, phone numbers, limits ----------------------------------------------------------

  /** GET /{waba-id}; asks for the messaging limit (v24+) and falls back without it if the server does not know the field. */
  async getWaba(wabaId: string): Promise<GraphWaba> {
    const fields = [...WABA_BASE_FIELDS, 'owner_business_info'];
    if (limitFieldFor(this.apiVersion) === 'whatsapp_business_manager_messaging_limit')
      fields.push('whatsapp_business_manager_messaging_limit');
    try {
      return await this.request<GraphWaba>('GET', seg(wabaId), { kind: 'management', query: { fields: fields.join(',') } });
    } catch (e) {
      if (!isUnknownField(e)) throw e;
      return this.request<GraphWaba>('GET', seg(wabaId), { kind: 'management', query: { fields: WABA_BASE_FIELDS.join(',') } });
    }
  }

  /** GET /{phone-number-id} with health fields and the version-appropriate messaging limit field. */
  getPhoneNumber(phoneNumberId: string): Promise<GraphPhoneNumber> {
    return this.withLimitField((fields) =>
      this.request<GraphPhoneNumber>('GET', seg(phoneNumberId), { kind: 'management', query: { fields } }),
    );
  }

  /** GET /{waba-id}/phone_numbers, all pages. */
  async listPhoneNumbers(wabaId: string): Promise<GraphPhoneNumber[]> {
    return this.withLimitField(async (fields) => {
      const out: GraphPhoneNumber[] = [];
      let after: string | undefined;
      for (let page = 0; page < 50; page++) {
        const res = await this.request<{ data?: GraphPhoneNumber[]; paging?: GraphPaging }>('GET', `${seg(wabaId)}/phone_numbers`, {
          kind: 'management',
          query: { fields, limit: 100, after },
        });
        out.push(...(res.data ?? []));
        const next = res.paging?.next ? res.paging.cursors?.after : undefined;
        if (!next || next === after || !res.data?.length) break;
        after = next;
      }
      return out;
    });
  }

  /** The portfolio's limit: GET /{business-id}?fields=whatsapp_business_manager_messaging_limit (v24+). */
  async getBusinessMessagingLimit(businessId: string): Promise<string | null> {
    const res = await this.request<{ whatsapp_business_manager_messaging_limit?: string }>('GET', seg(businessId), {
      kind: 'management',
      query: { fields: 'id,whatsapp_business_manager_messaging_limit' },
    });
    return res.whatsapp_business_manager_messaging_limit ?? null;
  }

  /** GET /{business-id}/owned_whatsapp_business_accounts: every WABA of the portfolio (ids). */
  async listOwnedWabas(businessId: string): Promise<string[]> {
    const out: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 20; page++) {
      const res = await this.request<{ data?: { id: string }[]; paging?: GraphPaging }>(
        'GET',
        `${seg(businessId)}/owned_whatsapp_business_accounts`,
        {
          kind: 'management',
          query: { fields: 'id', limit: 100, after },
        },
      );
      out.push(...(res.data ?? []).map((d) => d.id));
      const next = res.paging?.next ? res.paging.cursors?.after : undefined;
      if (!next || next === after || !res.data?.length) break;
      after = next;
    }
    return out;
  }

  /**
   * Proves the app secret: Graph checks a supplied appsecret_proof (HMAC-SHA256 of the token keyed
   * with the app secret) and answers code 100 "Invalid appsecret_proof" when it does not match.
   */
  async checkAppSecretProof(objectId: string, appSecret: string): Promise<void> {
    const token = this.o.token() ?? '';
    const proof = createHmac('sha256', appSecret).update(token).digest('hex');
    await this.request<unknown>('GET', seg(objectId), { kind: 'management', query: { fields: 'id', appsecret_proof: proof } });
  }

  // ---- subscribed apps -----------------------------------------------------------------------

  async getSubscribedApps(wabaId: string): Promise<{ id: string | null; name: string | null }[]> {
    const res = await this.request<{ data?: { whatsapp_business_api_data?: { id?: string; name?: string } }[] }>(
      'GET',
      `${seg(wabaId)}/subscribed_apps`,
      { kind: 'management' },
    );
    return (res.data ?? []).map((d) => ({
      id: d.whatsapp_business_api_data?.id ?? null,
      name: d.whatsapp_business_api_data?.name ?? null,
    }));
  }

  /** POST /{waba-id}/subscribed_apps, optionally overriding the callback URL for this WABA. */
  async subscribeApp(wabaId: string, override?: { callbackUri: string; verifyToken: string }): Promise<boolean> {
    const json = override ? { override_callback_uri: override.callbackUri, verify_token: override.verifyToken } : undefined;
    const res = await this.request<{ success?: boolean }>('POST', `${seg(wabaId)}/subscribed_apps`, {
      kind: 'management',
      ...(json ? { json } : {}),
    });
    return res.success === true;
  }

  // ---- business profile ----------------------------------------------------------------------

  async getBusinessProfile(phoneNumberId: string): Promise<GraphBusinessProfile> {
    const res = await this.request<{ data?: GraphBusinessProfile[] }>('GET', `${seg(phoneNumberId)}/whatsapp_business_profile`, {
      kind: 'management',
      query: { fields: PROFILE_FIELDS },
    });
    return res.data?.[0] ?? {};
  }

  async updateBusinessProfile(phoneNumberId: string, patch: GraphBusinessProfile & { profile_picture_handle?: string }): Promise<void> {
    const { profile_picture_url: _ignored, ...fields } = patch;
    await this.request<{ success?: boolean }>('POST', `${seg(phoneNumberId)}/whatsapp_business_profile`, {
      kind: 'management',
      json: { messaging_product: 'whatsapp', ...fields },
    });
  }

  // ---- media ---------------------------------------------------------------------------------

  /** POST /{phone-number-id}/media (multipart): an id to send as a header image/document/video. */
  async uploadMedia(phoneNumberId: string, file: { bytes: Uint8Array; mimeType: string; filename: string }): Promise<{ id: string }> {
    const form = new FormData();
    form.set('messaging_product', 'whatsapp');
    form.set('type', file.mimeType);
    form.set('file', new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.mimeType }), file.filename);
    const res = await this.request<{ id?: string }>('POST', `${seg(phoneNumberId)}/media`, { kind: 'media', form });
    if (!res.id) throw new GraphApiError({ message: 'The media upload answer carried no id', httpStatus: 200 });
    return { id: res.id };
  }

  /** POST /{waba-id}/message_templates: submits a new template for review → {id, status, category}. */
  createTemplate(wabaId: string, body: Record<string, unknown>): Promise<{ id: string; status?: string; category?: string }> {
    return this.request('POST', `${seg(wabaId)}/message_templates`, { kind: 'management', json: body });
  }

  /** POST /{template-id}: edits a template (components, category); it goes back to review. */
  editTemplate(templateId: string, body: Record<string, unknown>): Promise<{ success?: boolean }> {
    return this.request('POST', seg(templateId), { kind: 'management', json: body });
  }

  /** DELETE /{waba-id}/message_templates?name=…[&hsm_id=…]: without hsm_id every language of the name goes. */
  deleteTemplate(wabaId: string, name: string, hsmId?: string): Promise<{ success?: boolean }> {
    return this.request('DELETE', `${seg(wabaId)}/message_templates`, {
      kind: 'management',
      query: { name, ...(hsmId ? { hsm_id: hsmId } : {}) },
    });
  }

  /** GET /app: the app the token belongs to (needed for the resumable upload of a profile photo). */
  getApp(): Promise<{ id: string; name?: string }> {
    return this.request<{ id: string; name?: string }>('GET', 'app', { kind: 'management', query: { fields: 'id,name' } });
  }

  /** Resumable upload (profile photos, template examples): session, then bytes → a handle `h`. */
  async resumableUpload(appId: string, file: { bytes: Uint8Array; mimeType: string; filename: string }): Promise<string> {
    const session = await this.request<{ id?: string }>('POST', `${seg(appId)}/uploads`, {
      kind: 'media',
      query: { file_name: file.filename, file_length: file.bytes.byteLength, file_type: file.mimeType },
    });
    if (!session.id) throw new GraphApiError({ message: 'The upload session answer carried no id', httpStatus: 200 });
    // The session id reads "upload:<opaque>?sig=<signature>": the opaque part is one path segment.
    const [sessionPath = '', sessionQuery = ''] = session.id.split('?');
    const done = await this.request<{ h?: string }>('POST', encodeURIComponent(sessionPath).replace(/%3A/gi, ':'), {
      kind: 'media',
      query: Object.fromEntries(new URLSearchParams(sessionQuery)),
      raw: { body: file.bytes, headers: { file_offset: '0', 'content-type': 'application/octet-stream' } },
    });
    if (!done.h) throw new GraphApiError({ message: 'The upload answer carried no handle', httpStatus: 200 });
    return done.h;
  }

  // ---- plumbing ------------------------------------------------------------------------------

  url(path: string, query?: Record<string, string | number | undefined>): string {
    const version = this.apiVersion ? `/${this.apiVersion}` : '';
    const u = new URL(`${this.baseUrl}${version}/${path}`);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') u.searchParams.set(k, String(v));
    return u.toString();
  }

  private async withLimitField<T>(call: (fields: string) => Promise<T>): Promise<T> {
    const primary = limitFieldFor(this.apiVersion);
    try {
      return await call([...PHONE_BASE_FIELDS, primary].join(','));
    } catch (e) {
      if (!isUnknownField(e)) throw e;
      const other = primary === 'messaging_limit_tier' ? 'whatsapp_business_manager_messaging_limit' : 'messaging_limit_tier';
      try {
        return await call([...PHONE_BASE_FIELDS, other].join(','));
      } catch (e2) {
        if (!isUnknownField(e2)) throw e2;
        return call(PHONE_BASE_FIELDS.join(','));
      }
    }
  }

  private async request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, ro: RequestOptions): Promise<T> {
    const maxRetries = this.o.retries ?? (ro.kind === 'send' ? 2 : 3);
    for (let attempt = 0; ; attempt++) {
      if (ro.kind === 'management') {
        const slot = this.limiter.tryAcquire();
        if (!slot.ok) {
          throw new GraphApiError({
            message: `Management API calls paused until ${new Date(slot.retryAt).toISOString()} to stay within Meta's hourly limit`,
            code: 80007,
            httpStatus: 429,
            retryAt: slot.retryAt,
          });
        }
      }
      try {
        const value = await this.once<T>(method, path, ro);
        return value;
      } catch (e) {
        // Anything but a GraphApiError is unexpected: for a send it cannot prove nothing went out.
        const err =
          e instanceof GraphApiError
            ? e
            : new GraphApiError({ message: e instanceof Error ? e.message : String(e), ambiguous: ro.kind === 'send' });
        if (attempt >= maxRetries || !this.retryable(err, ro.kind)) throw err;
        const delay = this.random() * Math.min(this.o.backoffCapMs ?? 8_000, (this.o.backoffBaseMs ?? 500) * 2 ** attempt);
        this.o.log?.warn('graph call retrying', {
          path,
          attempt: attempt + 1,
          code: err.code,
          httpStatus: err.httpStatus,
          delayMs: Math.round(delay),
        });
        await sleep(this.o.clock, delay, ro.signal);
      }
    }
  }

  private retryable(err: GraphApiError, kind: CallKind): boolean {
    if (err.retryAt !== null) return false; // rate-limited: the limiter decides when, not a loop
    if (err.code !== null && MANAGEMENT_RATE_LIMIT_CODES.has(err.code)) return false;
    if (kind === 'send') {
      if (err.ambiguous) return false;
      // Connection refused before the body went out, or an explicit answer that the message was
      // not taken. Throttling codes (130429, 131056) are the sender's to pace, not the client's.
      if (err.code === null) return err.httpStatus === null;
      return [1, 2, 131000, 131016, 133004].includes(err.code);
    }
    if (err.code === null) return err.httpStatus === null || err.httpStatus >= 500;
    return err.errorClass === 'retry_soon' && backoffFor(err.code, err.httpStatus) === 'fast' && err.code !== 130429 && err.code !== 131056;
  }

  private async once<T>(method: string, path: string, ro: RequestOptions): Promise<T> {
    const url = this.url(path, ro.query);
    const headers: Record<string, string> = { accept: 'application/json', ...this.o.headers };
    const token = this.o.token();
    if (token) headers[(this.o.auth?.header ?? 'Authorization').toLowerCase()] = `${this.o.auth?.prefix ?? 'Bearer '}${token}`;
    let body: string | Uint8Array<ArrayBuffer> | FormData | undefined;
    if (ro.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(ro.json);
    } else if (ro.form) {
      body = ro.form;
    } else if (ro.raw) {
      Object.assign(headers, ro.raw.headers);
      body = ro.raw.body as Uint8Array<ArrayBuffer>;
    }

    const ac = new AbortController();
    let timedOut = false;
    const timer = this.o.clock.setTimeout(() => {
      timedOut = true;
      ac.abort(new Error('timeout'));
    }, this.o.timeoutMs ?? 30_000);
    const onOuterAbort = () => ac.abort(ro.signal?.reason);
    ro.signal?.addEventListener('abort', onOuterAbort, { once: true });
    let res: GraphResponse;
    let text: string;
    try {
      res = await this.o.fetch(url, { method, headers, ...(body !== undefined ? { body } : {}), signal: ac.signal, redirect: 'error' });
      text = await res.text();
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as { code?: string }).code ?? '';
      const beforeSend = TRANSIENT_NETWORK_BEFORE_SEND.has(cause);
      // Aborted by the caller (a stop's grace period ran out). For a send the request may already
      // have been written and taken by Meta: that is an unknown outcome, never "not sent".
      if (ro.signal?.aborted && !timedOut) {
        if (ro.kind !== 'send') throw e;
        throw new GraphApiError({ message: `Stopped before ${this.baseUrl} answered`, ambiguous: !beforeSend });
      }
      throw new GraphApiError({
        message: timedOut
          ? `No answer from ${this.baseUrl} within ${Math.round((this.o.timeoutMs ?? 30_000) / 1000)} s`
          : `Cannot reach ${this.baseUrl}: ${cause || (e instanceof Error ? e.message : String(e))}`,
        ambiguous: !beforeSend,
      });
    } finally {
      this.o.clock.clearTimeout(timer);
      ro.signal?.removeEventListener('abort', onOuterAbort);
    }

    const usage = parseBusinessUseCaseUsage(res.headers.get('x-business-use-case-usage'));
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    const graphErr = (parsed as { error?: GraphErrorBody } | null)?.error;
    if (res.ok && !graphErr) {
      if (ro.kind === 'management') this.limiter.onSuccess(usage);
      this.o.onAuthOk?.();
      if (parsed === null && text)
        throw new GraphApiError({
          message: `${this.baseUrl} answered HTTP ${res.status} with something that is not JSON`,
          httpStatus: res.status,
          ambiguous: ro.kind === 'send',
        });
      return parsed as T;
    }
    if (!graphErr) {
      throw new GraphApiError({
        message: `${this.baseUrl} answered HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`,
        httpStatus: res.status,
        ambiguous: ro.kind === 'send' && res.status >= 500,
      });
    }
    const code = typeof graphErr.code === 'number' ? graphErr.code : Number(graphErr.code);
    let retryAt: number | null = null;
    if (Number.isFinite(code) && MANAGEMENT_RATE_LIMIT_CODES.has(code)) retryAt = this.limiter.onRateLimited(usage);
    const err = new GraphApiError({
      message: String(graphErr.message ?? `Graph error ${code}`),
      httpStatus: res.status,
      code: Number.isFinite(code) ? code : null,
      subcode: typeof graphErr.error_subcode === 'number' ? graphErr.error_subcode : null,
      fbtraceId: graphErr.fbtrace_id ?? null,
      details: graphErr.error_data?.details ?? null,
      userTitle: graphErr.error_user_title ?? null,
      userMessage: graphErr.error_user_msg ?? null,
      retryAt,
    });
    if (err.code === 190 || err.code === 0 || err.code === 102) this.o.onAuthError?.(err);
    throw err;
  }
}

interface GraphErrorBody {
  message?: string;
  type?: string;
  code?: number | string;
  error_subcode?: number;
  error_data?: { details?: string };
  error_user_title?: string;
  error_user_msg?: string;
  fbtrace_id?: string;
}

/** Graph answers code 100 "Tried accessing nonexisting field (x)" when a field is not known to this version/server. */
function isUnknownField(e: unknown): boolean {
  return (
    e instanceof GraphApiError &&
    e.code === 100 &&
    /nonexist(ing|ent) field|unknown field|fields?\b.*not (valid|supported)/i.test(e.message)
  );
}

/** One path segment (an id): reject slashes and dots so an id can never walk the URL. */
function seg(id: string): string {
  if (!/^[A-Za-z0-9_:-]+$/.test(id))
    throw new GraphApiError({ message: `Not a valid Graph id: ${id.slice(0, 40)}`, code: 100, httpStatus: 400 });
  return id;
}
