/**
 * WhatsApp account connection, account health and message templates (issue 4).
 *
 * Conventions for the UI (B3):
 * - Enum values are Meta's own strings (upper case), normalised: a value Meta sends that Pacer does
 *   not know is mapped to 'UNKNOWN' rather than passed through, so a switch over these unions is total.
 * - Times are unix epoch milliseconds (numbers), never strings.
 * - Secrets (access token, app secret) NEVER appear in an output: only `SecretStatus` (set + last 4).
 * - Errors: every method answers a Result. `account:connect` fails with code 'bad_input' and
 *   `details: ConnectErrorDetails` naming the field to highlight; a Graph error elsewhere fails with
 *   code 'unavailable' (network, rate limit) or 'forbidden' (token expired / permission) and
 *   `details: GraphErrorDetails`.
 * - Events carry the full new state (`account:changed`) or a small notice (`templates:changed`) after
 *   which the UI re-fetches with `templates:list`.
 */
import { templateDraftSchema } from '../templates/draft';
import { z } from 'zod';
import { method } from './define';
import type { SecretStatus } from './app';

// ---------------------------------------------------------------------------------------------
// Enumerations
// ---------------------------------------------------------------------------------------------

/**
 * Messaging limit of the portfolio / WABA / number. v24+ reads `whatsapp_business_manager_messaging_limit`
 * (TIER_250 … UNTIERED); older versions `messaging_limit_tier` (adds the retired TIER_50 / TIER_1K).
 * UNKNOWN = not reported or a value Pacer does not know (treated conservatively, never as unlimited).
 */
export const MESSAGING_LIMITS = [
  'TIER_50',
  'TIER_250',
  'TIER_1K',
  'TIER_2K',
  'TIER_10K',
  'TIER_100K',
  'TIER_UNLIMITED',
  'UNTIERED',
  'UNKNOWN',
] as const;
export type MessagingLimit = (typeof MESSAGING_LIMITS)[number];

/** Phone number quality. Meta's "NA" (not yet rated) is reported as UNKNOWN. */
export const QUALITY_RATINGS = ['GREEN', 'YELLOW', 'RED', 'UNKNOWN'] as const;
export type QualityRating = (typeof QUALITY_RATINGS)[number];

/** Phone number status; only CONNECTED numbers can send. */
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
  'UNKNOWN',
] as const;
export type PhoneStatus = (typeof PHONE_STATUSES)[number];

/** Throughput level: STANDARD = 80 msg/s, HIGH = up to 1,000 msg/s. */
export const THROUGHPUT_LEVELS = ['STANDARD', 'HIGH', 'NOT_APPLICABLE', 'UNKNOWN'] as const;
export type ThroughputLevel = (typeof THROUGHPUT_LEVELS)[number];

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
  'UNKNOWN',
] as const;
export type TemplateStatus = (typeof TEMPLATE_STATUSES)[number];

export const TEMPLATE_CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION', 'UNKNOWN'] as const;
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];

/** Template quality (`quality_score.score`). UNKNOWN = quality pending (every new template starts here). */
export const TEMPLATE_QUALITIES = ['GREEN', 'YELLOW', 'RED', 'UNKNOWN'] as const;
export type TemplateQuality = (typeof TEMPLATE_QUALITIES)[number];

export type ParameterFormat = 'POSITIONAL' | 'NAMED';

/** Business profile industry (`vertical`). */
export const BUSINESS_VERTICALS = [
  'UNDEFINED',
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
export type BusinessVertical = (typeof BUSINESS_VERTICALS)[number];

/**
 * State of the stored access token, as last seen by a Graph call.
 * - valid: the last call with it succeeded.
 * - expired: Graph answered code 190 (expired / revoked / password changed) — blocks sending until fixed.
 * - invalid: code 0 / 102 / 10 / 200-299 (malformed or lacks whatsapp_business_* permissions).
 * - missing: no token stored.
 * - unchecked: stored, not used yet.
 */
export type TokenState = 'valid' | 'expired' | 'invalid' | 'missing' | 'unchecked';

/** Why sending is blocked right now (empty list = can send). The UI translates each code. */
export type SendBlocker =
  | 'not_connected' // no account connected
  | 'token_missing'
  | 'token_expired' // 190: reconnect with a new token
  | 'token_invalid'
  | 'no_connected_number' // no phone number with status CONNECTED
  | 'account_restricted'; // Meta restricted the account (368 / 131031) — see lastError

// ---------------------------------------------------------------------------------------------
// Account
// ---------------------------------------------------------------------------------------------

export interface PhoneNumberInfo {
  /** Graph phone-number id (what sends go to). */
  id: string;
  wabaId: string;
  /** E.164 with '+' (normalised from Meta's "+1 555-0100" style display number). */
  displayPhoneNumber: string;
  verifiedName: string;
  qualityRating: QualityRating;
  messagingLimit: MessagingLimit;
  throughput: ThroughputLevel;
  status: PhoneStatus;
  /** Display-name review: APPROVED, PENDING_REVIEW, DECLINED, … (raw Meta value; null when not reported). */
  nameStatus: string | null;
  /** LIVE or SANDBOX (Meta's test numbers), null when not reported. */
  accountMode: string | null;
  /** The number the account was connected with: the default sender. */
  primary: boolean;
  /** When Pacer last read this number from the API. */
  updatedAt: number;
}

export interface WabaInfo {
  id: string;
  name: string | null;
  currency: string | null;
  timezoneId: string | null;
  /** Messaging limit reported on the WABA (portfolio-wide since Oct 2025). */
  messagingLimit: MessagingLimit;
  templateCount: number;
}

export interface PortfolioBudget {
  /** The portfolio's limit: the best of what the WABAs and numbers report. */
  messagingLimit: MessagingLimit;
  /** Unique recipients per moving 24 h; null = unlimited (TIER_UNLIMITED / UNTIERED) or UNKNOWN (see messagingLimit). */
  limit: number | null;
  /** Unique recipients Pacer delivered to outside a service window in the last 24 h (local send ledger). */
  used24h: number;
  /** limit − used24h (never below 0); null when limit is null. */
  remaining24h: number | null;
}

export interface ConnectionInfo {
  mode: 'live' | 'sandbox';
  /** Graph root, e.g. https://graph.facebook.com or the sandbox's http://127.0.0.1:PORT. */
  graphUrl: string;
  /** e.g. "v24.0". */
  apiVersion: string;
  /** The WABA the account was connected with. */
  wabaId: string;
  /** The phone number the account was connected with (default sender). */
  phoneNumberId: string;
  /** Whether a webhook verify token is configured (it is not a secret, but it is not shown either). */
  verifyTokenSet: boolean;
  connectedAt: number;
}

export interface AccountStatus {
  connected: boolean;
  connection: ConnectionInfo | null;
  token: {
    state: TokenState;
    /** Graph error code behind an expired / invalid state (190, 0, 10…). */
    errorCode: number | null;
    /** Meta's message for that error (secrets redacted). */
    message: string | null;
    checkedAt: number | null;
  };
  /** Set/last4 only — the renderer never sees a secret. */
  secrets: { accessToken: SecretStatus; appSecret: SecretStatus };
  portfolio: PortfolioBudget;
  wabas: WabaInfo[];
  phoneNumbers: PhoneNumberInfo[];
  /** True when campaigns may send now; blockers says why not. */
  canSend: boolean;
  blockers: SendBlocker[];
  /** Last successful refresh of numbers/limits and of templates. */
  lastRefreshAt: number | null;
  lastTemplateSyncAt: number | null;
  /** Last error of a background refresh/sync (null when the last one succeeded). */
  lastError: GraphErrorDetails | null;
}

/** A Graph API error as the UI sees it. `errorClass` comes from the one classification table. */
export interface GraphErrorDetails {
  /** Graph `error.code` (190, 4, 80007, 131056…); null for network errors / timeouts. */
  graphCode: number | null;
  graphSubcode: number | null;
  httpStatus: number | null;
  errorClass:
    'retry_soon' | 'retry_after_24h' | 'terminal_recipient' | 'suppress_contact' | 'halt_campaign' | 'halt_account' | 'fix_payload';
  message: string;
  fbtraceId: string | null;
  at: number;
}

/** The field account:connect blames, so the wizard can put the message under the right input. */
export type ConnectField = 'accessToken' | 'wabaId' | 'phoneNumberId' | 'graphUrl' | 'apiVersion' | 'appSecret' | 'verifyToken';

/** `details` of a failed account:connect (code 'bad_input', or 'unavailable' when unreachable). */
export interface ConnectErrorDetails {
  field: ConnectField;
  reason:
    | 'token_expired' // 190
    | 'token_invalid' // 0/102/190-invalid, or no token given and none stored
    | 'token_permissions' // 10 / 200-299: token lacks whatsapp_business_management / _messaging
    | 'waba_not_found' // the WABA id does not exist or the token cannot see it
    | 'phone_not_found'
    | 'phone_not_in_waba' // the number exists but belongs to another WABA
    | 'unreachable' // network error / timeout / not a Graph API at that URL
    | 'version_unsupported' // the Graph API does not know this version
    | 'app_secret_mismatch' // appsecret_proof rejected: the app secret is not the token's app's
    | 'rate_limited' // Meta's hourly management-call limit (4 / 80007): try again later
    | 'secret_not_saved' // valid, but the vault (system keychain) could not store it: nothing was saved
    | 'bad_format'; // an id that is not numeric, a version that is not vNN.N, a URL that is not http(s)
  graphCode?: number;
}

export interface AccountHistoryPoint {
  at: number;
  phoneNumberId: string;
  qualityRating: QualityRating;
  messagingLimit: MessagingLimit;
  throughput: ThroughputLevel;
  status: PhoneStatus;
}

export interface AccountHistory {
  /** Snapshots per number, oldest first; a point is written only when something changed (and at least daily). */
  numbers: AccountHistoryPoint[];
  /** Portfolio limit over time (from refreshes and business_capability_update webhooks), oldest first. */
  portfolio: { at: number; messagingLimit: MessagingLimit; source: 'refresh' | 'webhook' }[];
}

export interface BusinessProfile {
  phoneNumberId: string;
  about: string | null;
  description: string | null;
  address: string | null;
  email: string | null;
  websites: string[];
  vertical: BusinessVertical | null;
  profilePictureUrl: string | null;
}

const numericId = (what: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{5,20}$/, `${what} is the numeric id from WhatsApp Manager (5–20 digits)`);
const apiVersionSchema = z
  .string()
  .trim()
  .regex(/^v\d{2}\.\d$/, 'API version looks like v24.0');
const graphUrlSchema = z
  .string()
  .trim()
  .url('Graph URL must be a full http(s) URL')
  .refine((u) => /^https?:\/\//i.test(u), 'Graph URL must be http(s)');

export const connectInputSchema = z
  .object({
    wabaId: numericId('WhatsApp Business Account id'),
    phoneNumberId: numericId('Phone number id'),
    /** Omit to keep the stored token (e.g. changing the API version only). */
    accessToken: z.string().trim().min(10, 'Access token looks too short').max(4096).optional(),
    /** Used to verify webhook signatures. Omit to keep the stored one. */
    appSecret: z.string().trim().min(8, 'App secret looks too short').max(256).optional(),
    verifyToken: z.string().trim().min(1).max(256).optional(),
    /** Default https://graph.facebook.com. Any Cloud-API-compatible root (sandbox, BSP proxy). */
    graphUrl: graphUrlSchema.optional(),
    /** Default DEFAULT_API_VERSION. */
    apiVersion: apiVersionSchema.optional(),
  })
  .strict();
export type ConnectInput = z.input<typeof connectInputSchema>;

export const DEFAULT_GRAPH_URL = 'https://graph.facebook.com';
export const DEFAULT_API_VERSION = 'v24.0';

// ---------------------------------------------------------------------------------------------
// Templates
// ---------------------------------------------------------------------------------------------

/** A template component exactly as Meta returns it (HEADER/BODY/FOOTER/BUTTONS with text, format, example, buttons). */
export interface TemplateComponent {
  type: string;
  format?: string;
  text?: string;
  example?: Record<string, unknown>;
  buttons?: { type: string; text?: string; url?: string; phone_number?: string; example?: unknown; [k: string]: unknown }[];
  [k: string]: unknown;
}

export interface TemplateSummary {
  /** Meta's template id. */
  id: string;
  wabaId: string;
  name: string;
  /** Meta's code with underscore: en_US, he, zh_TW. */
  language: string;
  status: TemplateStatus;
  category: TemplateCategory;
  previousCategory: string | null;
  quality: TemplateQuality;
  /** Meta's rejected_reason (INVALID_FORMAT, PROMOTIONAL, …); null when not rejected / NONE. */
  rejectedReason: string | null;
  parameterFormat: ParameterFormat;
  components: TemplateComponent[];
  /** Variables the body/header/button URLs use, in order: ['1','2'] (positional) or ['first_name', …] (named). */
  variables: string[];
  /** HEADER format: TEXT, IMAGE, VIDEO, DOCUMENT, LOCATION; null when no header. */
  headerFormat: string | null;
  /** Only APPROVED templates can be sent. */
  sendable: boolean;
  /** When the status/quality/category last changed (from a sync or a webhook). */
  lastChangedAt: number;
  syncedAt: number;
}

export interface TemplateHistoryEntry {
  at: number;
  kind: 'created' | 'status' | 'quality' | 'category' | 'components' | 'removed';
  from: string | null;
  to: string | null;
  /** Rejection reason, pause title (FIRST_PAUSE…), etc. */
  reason: string | null;
  source: 'sync' | 'webhook';
}

export interface TemplateDetail extends TemplateSummary {
  history: TemplateHistoryEntry[];
}

export interface TemplateSyncResult {
  at: number;
  total: number;
  added: number;
  updated: number;
  /** Templates no longer returned by Meta (marked DELETED locally, history kept). */
  removed: number;
  templates: TemplateSummary[];
}

const oneOrMany = <T extends z.ZodType>(s: T) => z.union([s, z.array(s).min(1)]);

export const templatesListInputSchema = z
  .object({
    status: oneOrMany(z.enum(TEMPLATE_STATUSES)).optional(),
    category: oneOrMany(z.enum(TEMPLATE_CATEGORIES)).optional(),
    quality: oneOrMany(z.enum(TEMPLATE_QUALITIES)).optional(),
    /** Exact language code (en_US) or a prefix (en). Hyphens are accepted (en-US). */
    language: z.string().trim().min(2).max(15).optional(),
    /** Case-insensitive substring of the name or of any component text. */
    search: z.string().trim().max(200).optional(),
    wabaId: z.string().optional(),
    /** Include templates Meta no longer returns (status DELETED). Default false. */
    includeDeleted: z.boolean().optional(),
  })
  .strict();

/**
 * Marketing Messages API state of the connected portfolio (docs/whatsapp.md "Marketing Messages API").
 * terms: null = Pacer has not learned it yet (no MM_LITE_TERMS_SIGNED webhook, no strict send).
 */
export interface MarketingStatus {
  portfolio: string | null;
  terms: { state: 'accepted' | 'not_accepted'; source: 'webhook' | 'strict_refusal' | 'marketing_send' | 'user'; at: number } | null;
  /** Settings → mmStrict: refuse (and pause) instead of Meta's fallback to the Cloud API. */
  strict: boolean;
  /** Meta's page explaining how a portfolio accepts the terms. */
  onboardingUrl: string;
  /** Impending template-category changes (Meta's 24-hour warning), not yet completed. */
  notices: TemplateCategoryNotice[];
}

export interface TemplateCategoryNotice {
  name: string;
  language: string;
  currentCategory: TemplateCategory;
  correctCategory: TemplateCategory;
  effectiveAt: number | null;
  receivedAt: number;
}

// ---------------------------------------------------------------------------------------------
// Methods and events
// ---------------------------------------------------------------------------------------------

export const whatsappMethods = {
  /** Current connection, token state, portfolio budget, WABAs and numbers. Reads local state only (no API call). */
  'account:status': method<AccountStatus>()(z.object({}).strict()),
  /**
   * Connects (or reconnects) a Meta account: validates live — token (GET /me or the number), WABA
   * (GET /{waba}), number ∈ WABA (GET /{waba}/phone_numbers) — then stores config (DB) and secrets
   * (vault), reads all numbers of the WABA and syncs templates. On failure nothing is stored and the
   * error's details are ConnectErrorDetails.
   */
  'account:connect': method<AccountStatus>()(connectInputSchema),
  /**
   * Starts the built-in Cloud API emulator in-process on 127.0.0.1 (port 0 = any free port) and
   * connects to it with its scenario's credentials. Emits account:changed and templates:changed.
   */
  'account:use-sandbox': method<AccountStatus>()(
    z.object({ port: z.number().int().min(0).max(65535).optional(), seed: z.number().int().optional() }).strict(),
  ),
  /** Forgets the connection (templates and history kept). forgetSecrets also clears the vault. */
  'account:disconnect': method<AccountStatus>()(z.object({ forgetSecrets: z.boolean().optional() }).strict()),
  /** Re-reads numbers, limits and token state from the API now (counts against the management rate limit). */
  'account:refresh': method<AccountStatus>()(z.object({}).strict()),
  /** Quality / limit over time for a chart. */
  'account:history': method<AccountHistory>()(
    z.object({ phoneNumberId: z.string().optional(), days: z.number().int().min(1).max(365).optional() }).strict(),
  ),
  /** Business profile of a number (default: the primary number), read live. */
  'account:profile-get': method<BusinessProfile>()(z.object({ phoneNumberId: z.string().optional() }).strict()),
  /**
   * Updates the fields given (others unchanged). Photo: `photoFileId` from api.uploadFile (JPEG/PNG),
   * uploaded via Meta's resumable upload. Returns the profile as re-read from the API.
   */
  'account:profile-update': method<BusinessProfile>()(
    z
      .object({
        phoneNumberId: z.string().optional(),
        about: z.string().trim().min(1).max(139).optional(),
        description: z.string().trim().max(512).optional(),
        address: z.string().trim().max(256).optional(),
        email: z.union([z.string().trim().email().max(128), z.literal('')]).optional(),
        websites: z.array(z.string().trim().url().max(256)).max(2).optional(),
        vertical: z.enum(BUSINESS_VERTICALS).optional(),
        photoFileId: z.string().uuid().optional(),
      })
      .strict(),
  ),

  /** MM API terms state, strict choice and impending template-category changes (local state only). */
  'marketing:status': method<MarketingStatus>()(z.object({}).strict()),
  /** Templates from the local table (synced), filtered, sorted by name then language. */
  'templates:list': method<TemplateSummary[]>()(templatesListInputSchema),
  /** Pulls every template of every connected WABA now (cursor paging), records changes in history. */
  'templates:sync': method<TemplateSyncResult>()(z.object({ wabaId: z.string().optional() }).strict()),
  /** One template with its history of status / quality / category changes (newest first). By id, or by name + language. */
  'templates:get': method<TemplateDetail>()(
    z.union([z.object({ id: z.string().min(1) }).strict(), z.object({ name: z.string().min(1), language: z.string().min(2) }).strict()]),
  ),
  /**
   * Submits a new template for Meta's review (checked first with shared/templates/draft.ts rules;
   * a media header's example file is uploaded by the resumable upload API). Answers the template
   * as synced right after (usually PENDING); APPROVED/REJECTED arrives by webhook or sync.
   * bad_input details: `{reason:'template_invalid', issues}` or `{reason:'meta_refused', graph}`.
   */
  'templates:create': method<TemplateDetail>()(z.object({ draft: templateDraftSchema, wabaId: z.string().optional() }).strict()),
  /** Edits a template's components and category (name and language are fixed); it goes back to review. */
  'templates:edit': method<TemplateDetail>()(z.object({ id: z.string().min(1), draft: templateDraftSchema }).strict()),
  /** Deletes one language of a template (by id) or every language of a name. */
  'templates:delete': method<{ deleted: string[] }>()(
    z.union([z.object({ id: z.string().min(1) }).strict(), z.object({ name: z.string().min(1), wabaId: z.string().optional() }).strict()]),
  ),
};

export interface WhatsappEvents {
  /** Any change to the connection, token state, numbers, limits or budget. Full new state. */
  'account:changed': AccountStatus;
  /** Templates changed (sync or webhook); re-fetch with templates:list. ids = changed template ids. */
  'templates:changed': { wabaId: string | null; ids: string[]; source: 'sync' | 'webhook'; at: number };
  /** MM API terms or an impending category change changed; re-fetch with marketing:status. */
  'marketing:changed': { at: number };
}

export const whatsappEventNames = [
  'account:changed',
  'templates:changed',
  'marketing:changed',
] as const satisfies readonly (keyof WhatsappEvents)[];
