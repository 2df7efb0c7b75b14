/**
 * The connected WhatsApp account: connection config (DB, no secrets), secrets (vault), the
 * portfolio's WABAs and numbers with their health, the 24-hour budget and whether sending is
 * allowed. One GraphClient per connection, shared by every domain (campaigns send through
 * `account.client()`), so an expired token (190) seen anywhere is flagged everywhere.
 */
import fs from 'node:fs';
import type { CoreContext } from '../context';
import { PacerError } from '../errors';
import { SecretNotSavedError } from '../secrets/vault';
import type { SecretName } from '../../../shared/contract/app';
import { GraphApiError, GraphClient, limitFieldFor, type GraphPhoneNumber, type GraphWaba } from '../whatsapp/client';
import { tokenStateForCode } from '../whatsapp/errors';
import {
  bestLimit, displayToE164, LIMIT_VALUES, normalizeLimit, normalizePhoneStatus, normalizeQuality, normalizeThroughput,
} from '../whatsapp/normalize';
import { ACTIVE_WABA_CALLS_PER_HOUR, DEFAULT_MANAGEMENT_CALLS_PER_HOUR, ManagementRateLimiter } from '../whatsapp/rate-limit';
import { connectError } from './connect-errors';
import { AccountStore, numberInfo, type ConnectionRow, type NumberRow } from './store';
import type { SandboxLauncher, SandboxRuntime } from './sandbox-link';
import {
  BUSINESS_VERTICALS, DEFAULT_API_VERSION, DEFAULT_GRAPH_URL,
  type AccountHistory, type AccountStatus, type BusinessProfile, type BusinessVertical, type ConnectErrorDetails, type ConnectField, type ConnectInput, type GraphErrorDetails,
  type MessagingLimit, type SendBlocker, type TokenState,
} from '../../../shared/contract/whatsapp';
import { assertGraphUrlSafe, assertStoredTokenMayGo, bindTokenOrigin } from './token-binding';

/** Pacer keeps 10% of Meta's hourly management budget free for other tools on the same app. */
const SHARE_OF_META_BUDGET = 0.9;
const DAY = 86_400_000;

/** Unique recipients delivered to outside a service window in the moving 24 h before `now` (campaigns' send ledger). */
export type RecipientUsageProvider = (now: number) => number;

export interface ManagementEventLike {
  wabaId: string;
  time: number | null;
  event: string | null;
  value: Record<string, unknown>;
}

export interface ProfileUpdate {
  phoneNumberId?: string;
  about?: string;
  description?: string;
  address?: string;
  email?: string;
  websites?: string[];
  vertical?: BusinessVertical;
  photoFileId?: string;
}

export class AccountService {
  readonly store: AccountStore;
  private readonly limiter: ManagementRateLimiter;
  private cached: { key: string; client: GraphClient } | null = null;
  private cachedSender: { key: string; client: GraphClient } | null = null;
  private usage: RecipientUsageProvider = () => 0;
  private sandbox: SandboxRuntime | null = null;
  private sandboxStarting: Promise<void> | null = null;
  private tokenState: TokenState | null = null;
  private webhookUrlProvider: (() => string | null) | null = null;

  /**
   * Where the in-process sandbox should POST its webhooks (the webhook receiver registers this).
   * Setting it also points an already running sandbox at the new URL.
   */
  get sandboxWebhookUrl(): (() => string | null) | null {
    return this.webhookUrlProvider;
  }

  set sandboxWebhookUrl(provider: (() => string | null) | null) {
    this.webhookUrlProvider = provider;
    this.sandbox?.setWebhookUrl?.(provider?.() ?? null);
  }
  /** Called after connect / use-sandbox so templates are synced (wired by whatsapp/index.ts). */
  afterConnect: (() => Promise<unknown>) | null = null;
  /**
   * Called when the connection or the numbers known in its WABA changed (connect, refresh,
   * disconnect): the webhook domain caches whose events are ours (wired by whatsapp/index.ts).
   */
  onScopeChange: (() => void) | null = null;

  constructor(private readonly ctx: CoreContext, private readonly launcher: SandboxLauncher | null = null) {
    this.store = new AccountStore(ctx.db);
    this.limiter = new ManagementRateLimiter(ctx.clock, Math.floor(DEFAULT_MANAGEMENT_CALLS_PER_HOUR * SHARE_OF_META_BUDGET));
    ctx.onClose(() => this.stopSandbox());
  }

  // ---- reading -------------------------------------------------------------------------------

  /** Lets campaigns plug the send ledger into the 24-hour budget (until then: 0). */
  setRecipientUsageProvider(fn: RecipientUsageProvider): void {
    this.usage = fn;
  }

  connection(): ConnectionRow | null {
    return this.store.connection();
  }

  /** The webhook verify token (not a secret: it is typed into Meta's dashboard). */
  verifyToken(): string | null {
    return this.store.connection()?.verify_token ?? null;
  }

  portfolioLimit(): MessagingLimit {
    return this.store.latestPortfolioLimit()?.limit ?? 'UNKNOWN';
  }

  status(): AccountStatus {
    const conn = this.store.connection();
    const now = this.ctx.clock.now();
    const tokenSet = this.ctx.secrets.get('access_token');
    const appSecret = this.ctx.secrets.get('app_secret');
    const tokenState: TokenState = !tokenSet ? 'missing' : conn ? conn.token_state : 'unchecked';
    // Numbers and WABAs stay in the database after a disconnect (history), but are not "the account".
    const numbers = conn ? this.store.numbers() : [];
    const counts = this.store.templateCounts();
    const limit = this.portfolioLimit();
    const limitValue = LIMIT_VALUES[limit];
    let used = 0;
    try {
      used = Math.max(0, Math.floor(this.usage(now)));
    } catch (e) {
      this.ctx.log.warn('24-hour usage provider failed', { error: e instanceof Error ? e.message : String(e) });
    }
    const blockers = this.blockers(conn, tokenState, numbers);
    let lastError: GraphErrorDetails | null = null;
    try { lastError = conn?.last_error ? JSON.parse(conn.last_error) as GraphErrorDetails : null; } catch { lastError = null; }
    return {
      connected: conn !== null,
      connection: conn ? {
        mode: conn.mode, graphUrl: conn.graph_url, apiVersion: conn.api_version, wabaId: conn.waba_id,
        phoneNumberId: conn.phone_number_id, verifyTokenSet: !!conn.verify_token, connectedAt: conn.connected_at,
      } : null,
      token: {
        state: tokenState,
        errorCode: conn?.token_error_code ?? null,
        message: conn?.token_error_message ?? null,
        checkedAt: conn?.token_checked_at ?? null,
      },
      secrets: {
        accessToken: { set: !!tokenSet, last4: tokenSet ? tokenSet.slice(-4) : null },
        appSecret: { set: !!appSecret, last4: appSecret ? appSecret.slice(-4) : null },
      },
      portfolio: { messagingLimit: limit, limit: limitValue, used24h: used, remaining24h: limitValue === null ? null : Math.max(0, limitValue - used) },
      wabas: (conn ? this.store.wabas() : []).map((w) => ({
        id: w.id, name: w.name, currency: w.currency, timezoneId: w.timezone_id, messagingLimit: w.messaging_limit, templateCount: counts.get(w.id) ?? 0,
      })),
      phoneNumbers: numbers.map((n) => numberInfo(n, conn?.phone_number_id ?? null)),
      canSend: blockers.length === 0,
      blockers,
      lastRefreshAt: conn?.last_refresh_at ?? null,
      lastTemplateSyncAt: conn?.last_template_sync_at ?? null,
      lastError,
    };
  }

  /** For campaigns: may anything be sent now? (token valid, a CONNECTED number, account not restricted). */
  canSend(): { ok: boolean; blockers: SendBlocker[] } {
    const conn = this.store.connection();
    const token = this.ctx.secrets.get('access_token');
    const blockers = this.blockers(conn, !token ? 'missing' : conn?.token_state ?? 'unchecked', this.store.numbers());
    return { ok: blockers.length === 0, blockers };
  }

  /** Numbers that can send now (status CONNECTED), the primary first. */
  senderNumbers(): { id: string; wabaId: string; displayPhoneNumber: string }[] {
    const primary = this.store.connection()?.phone_number_id;
    return this.store.numbers()
      .filter((n) => n.status === 'CONNECTED')
      .sort((a, b) => Number(b.id === primary) - Number(a.id === primary))
      .map((n) => ({ id: n.id, wabaId: n.waba_id, displayPhoneNumber: n.display_phone_number }));
  }

  history(opts: { phoneNumberId?: string; days?: number }): AccountHistory {
    return this.store.history(this.ctx.clock.now() - (opts.days ?? 30) * DAY, opts.phoneNumberId);
  }

  private blockers(conn: ConnectionRow | null, token: TokenState, numbers: NumberRow[]): SendBlocker[] {
    if (!conn) return ['not_connected'];
    const out: SendBlocker[] = [];
    if (token === 'missing') out.push('token_missing');
    if (token === 'expired') out.push('token_expired');
    if (token === 'invalid') out.push('token_invalid');
    if (!numbers.some((n) => n.status === 'CONNECTED')) out.push('no_connected_number');
    if (this.restriction()) out.push('account_restricted');
    return out;
  }

  private restriction(): { event: string; at: number } | null {
    const row = this.ctx.db.prepare("SELECT value FROM app_meta WHERE key = 'wa.restricted'").get() as { value: string } | undefined;
    if (!row) return null;
    try { return JSON.parse(row.value) as { event: string; at: number }; } catch { return null; }
  }

  private setRestriction(r: { event: string; at: number } | null): void {
    if (r) this.ctx.db.prepare("INSERT INTO app_meta (key, value) VALUES ('wa.restricted', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(JSON.stringify(r));
    else this.ctx.db.prepare("DELETE FROM app_meta WHERE key = 'wa.restricted'").run();
  }

  // ---- the client ----------------------------------------------------------------------------

  /** The Graph client of the current connection. Throws 'unavailable' when not connected. */
  client(): GraphClient {
    const conn = this.store.connection();
    if (!conn) throw new PacerError('unavailable', 'No WhatsApp account is connected. Run `pacer account connect` or use the Sandbox.');
    const key = `${conn.graph_url}|${conn.api_version}`;
    if (this.cached?.key === key) return this.cached.client;
    const client = this.makeClient(conn.graph_url, conn.api_version, () => this.ctx.secrets.get('access_token'), true);
    this.cached = { key, client };
    return client;
  }

  /**
   * A client for the campaign sender: same connection, NO client-side retries (the sender owns
   * retries, pacing and at-most-once bookkeeping), and 190 / 0 from a send still flags the token.
   */
  sendingClient(opts: { timeoutMs?: number } = {}): GraphClient {
    const conn = this.store.connection();
    if (!conn) throw new PacerError('unavailable', 'No WhatsApp account is connected.');
    const key = `${conn.graph_url}|${conn.api_version}|${opts.timeoutMs ?? ''}`;
    if (this.cachedSender?.key === key) return this.cachedSender.client;
    const client = new GraphClient({
      baseUrl: conn.graph_url, apiVersion: conn.api_version, token: () => this.ctx.secrets.get('access_token'),
      fetch: this.ctx.graphFetch, clock: this.ctx.clock, log: this.ctx.log, limiter: this.limiter, retries: 0,
      ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
      onAuthError: (e) => this.noteGraphError(e), onAuthOk: () => this.noteAuthOk(),
    });
    this.cachedSender = { key, client };
    return client;
  }

  /** Starts the in-process sandbox again when the connection points at it (after a restart). */
  async ready(): Promise<GraphClient> {
    const conn = this.store.connection();
    if (conn?.mode === 'sandbox' && !this.sandbox) await this.restartSandbox(conn);
    return this.client();
  }

  private makeClient(graphUrl: string, apiVersion: string, token: () => string | null, tracked: boolean, retries?: number): GraphClient {
    return new GraphClient({
      baseUrl: graphUrl, apiVersion, token, fetch: this.ctx.graphFetch, clock: this.ctx.clock, log: this.ctx.log, limiter: this.limiter,
      ...(retries !== undefined ? { retries } : {}),
      ...(tracked ? { onAuthError: (e: GraphApiError) => this.noteGraphError(e), onAuthOk: () => this.noteAuthOk() } : {}),
    });
  }

  /**
   * Tell the account about an error seen anywhere (the client calls it for auth errors; the campaign
   * sender for every halt_account error): 190 marks the token expired, 368/131031 the account restricted.
   */
  noteGraphError(e: GraphApiError): void {
    const now = this.ctx.clock.now();
    const state = tokenStateForCode(e.code);
    let changed = false;
    if (state && (e.code === 190 || e.code === 0 || e.code === 102)) {
      changed = this.store.setTokenState(state, now, e.code, e.message.slice(0, 500));
      this.tokenState = state;
      if (changed) this.ctx.log.warn('access token rejected', { code: e.code, state });
    }
    if (e.code === 368 || e.code === 131031) {
      this.setRestriction({ event: `graph_${e.code}`, at: now });
      changed = true;
    }
    if (changed) this.emitChanged();
  }

  private noteAuthOk(): void {
    if (this.tokenState === 'valid') return;
    const conn = this.store.connection();
    if (!conn) return;
    this.tokenState = 'valid';
    if (conn.token_state !== 'valid' && this.store.setTokenState('valid', this.ctx.clock.now(), null, null)) this.emitChanged();
  }

  emitChanged(): void {
    this.ctx.emit('account:changed', this.status());
  }

  // ---- connecting ----------------------------------------------------------------------------

  async connect(input: ConnectInput, mode: 'live' | 'sandbox' = 'live'): Promise<AccountStatus> {
    const graphUrl = (input.graphUrl ?? DEFAULT_GRAPH_URL).replace(/\/+$/, '');
    const apiVersion = input.apiVersion ?? DEFAULT_API_VERSION;
    const ids = { wabaId: input.wabaId, phoneNumberId: input.phoneNumberId, graphUrl, apiVersion };
    assertGraphUrlSafe(graphUrl);
    if (input.accessToken === undefined && this.ctx.secrets.get('access_token')) assertStoredTokenMayGo(this.ctx.db, graphUrl, this.store.connection()?.graph_url ?? null);
    const token = input.accessToken ?? this.ctx.secrets.get('access_token');
    if (!token) throw new PacerError('bad_input', 'Enter the access token (a system-user token from Meta Business Settings).', { field: 'accessToken', reason: 'token_invalid' });
    // No automatic retries while validating: the person at the wizard gets the answer at once.
    const probe = this.makeClient(graphUrl, apiVersion, () => token, false, 0);

    // 1. The WABA: proves the URL, the version, the token and its permissions, and the WABA id.
    let waba: GraphWaba;
    try {
      waba = await probe.getWaba(input.wabaId);
    } catch (e) {
      throw connectError(e, 'waba', ids);
    }
    // 2. The number belongs to that WABA.
    let numbers: GraphPhoneNumber[];
    try {
      numbers = await probe.listPhoneNumbers(input.wabaId);
    } catch (e) {
      throw connectError(e, 'waba', ids);
    }
    if (!numbers.some((n) => n.id === input.phoneNumberId)) {
      let elsewhere = false;
      try {
        await probe.getPhoneNumber(input.phoneNumberId);
        elsewhere = true;
      } catch (e) {
        if (!(e instanceof GraphApiError) || (e.code !== 100 && e.code !== 803)) throw connectError(e, 'phone', ids);
      }
      throw new PacerError('bad_input', elsewhere
        ? `Phone number ${input.phoneNumberId} is not in WhatsApp Business Account ${input.wabaId}. Pick a number of this account, or the account that owns the number.`
        : `No phone number with id ${input.phoneNumberId} is visible to this token. Use the phone number ID (not the phone number) from WhatsApp Manager.`,
      { field: 'phoneNumberId', reason: elsewhere ? 'phone_not_in_waba' : 'phone_not_found' });
    }
    // 3. The app secret (used to check webhook signatures) belongs to the token's app.
    const appSecret = input.appSecret ?? (input.accessToken === undefined ? this.ctx.secrets.get('app_secret') : null);
    if (input.appSecret) {
      try {
        await probe.checkAppSecretProof(input.phoneNumberId, input.appSecret);
      } catch (e) {
        throw connectError(e, 'app_secret', ids);
      }
    }

    // Valid: store. Secrets to the vault only; everything else to the DB.
    const now = this.ctx.clock.now();
    // A keychain that refuses (locked, none) fails the connect before anything else is saved.
    if (input.accessToken) await this.storeSecret('access_token', input.accessToken, 'accessToken');
    if (input.accessToken) bindTokenOrigin(this.ctx.db, graphUrl);
    if (appSecret && input.appSecret) await this.storeSecret('app_secret', appSecret, 'appSecret');
    const previous = this.store.connection();
    this.ctx.db.transaction(() => {
      this.store.saveConnection({
        mode, graph_url: graphUrl, api_version: apiVersion, waba_id: input.wabaId, phone_number_id: input.phoneNumberId,
        verify_token: input.verifyToken ?? (previous?.verify_token ?? null), connected_at: now, token_checked_at: now,
      });
      if (previous && previous.waba_id !== input.wabaId) this.store.pruneWabas([]);
      this.saveWaba(waba, numbers, now);
    })();
    this.onScopeChange?.();
    this.tokenState = 'valid';
    this.cached = null;
    if (mode === 'live') await this.stopSandbox(); // switching from the Sandbox to a real account
    this.ctx.log.info('whatsapp account connected', { mode, graphUrl, apiVersion, wabaId: input.wabaId, phoneNumberId: input.phoneNumberId });

    // The rest of the portfolio (other WABAs, the business-level limit) and the templates: best effort.
    try {
      await this.refresh();
    } catch (e) {
      this.ctx.log.warn('refresh after connect failed', { error: String(e) });
    }
    if (this.afterConnect) {
      try {
        await this.afterConnect();
      } catch (e) {
        this.ctx.log.warn('template sync after connect failed', { error: String(e) });
      }
    }
    const status = this.status();
    this.ctx.emit('account:changed', status);
    return status;
  }

  /** Stores a secret; a vault that could not store it blames the field it came from. */
  private async storeSecret(name: SecretName, value: string, field: ConnectField): Promise<void> {
    try {
      await this.ctx.secrets.set(name, value);
    } catch (e) {
      if (!(e instanceof SecretNotSavedError)) throw e;
      throw new PacerError('unavailable', e.message, { field, reason: 'secret_not_saved' } satisfies ConnectErrorDetails);
    }
  }

  async disconnect(opts: { forgetSecrets?: boolean }): Promise<AccountStatus> {
    this.store.deleteConnection();
    this.onScopeChange?.();
    this.cached = null;
    this.tokenState = null;
    if (opts.forgetSecrets) {
      await this.ctx.secrets.clear('access_token');
      await this.ctx.secrets.clear('app_secret');
    }
    await this.stopSandbox();
    this.ctx.log.info('whatsapp account disconnected', { forgetSecrets: !!opts.forgetSecrets });
    const status = this.status();
    this.ctx.emit('account:changed', status);
    return status;
  }

  // ---- sandbox -------------------------------------------------------------------------------

  /** Starts the built-in Cloud API emulator on 127.0.0.1 and connects to it with its scenario's credentials. */
  async useSandbox(opts: { port?: number; seed?: number }): Promise<AccountStatus> {
    if (!this.launcher) throw new PacerError('unavailable', 'The Sandbox is not available in this build.');
    await this.stopSandbox();
    const webhookUrl = this.sandboxWebhookUrl?.() ?? null;
    const started = await this.launcher({
      clock: this.ctx.clock, ...(opts.port !== undefined ? { port: opts.port } : {}), ...(opts.seed !== undefined ? { seed: opts.seed } : {}), ...(webhookUrl ? { webhookUrl } : {}),
    });
    this.sandbox = started.runtime;
    this.cached = null;
    try {
      return await this.connect({
        graphUrl: started.runtime.baseUrl, apiVersion: DEFAULT_API_VERSION, wabaId: started.credentials.wabaId,
        phoneNumberId: started.credentials.phoneNumberId, accessToken: started.credentials.accessToken,
        appSecret: started.credentials.appSecret, verifyToken: started.credentials.verifyToken,
      }, 'sandbox');
    } catch (e) {
      await this.stopSandbox();
      throw e;
    }
  }

  /** The running in-process sandbox (tests and admin helpers), if any. */
  sandboxRuntime(): SandboxRuntime | null {
    return this.sandbox;
  }

  private restartSandbox(conn: ConnectionRow): Promise<void> {
    this.sandboxStarting ??= (async () => {
      if (!this.launcher) throw new PacerError('unavailable', 'The Sandbox is not available in this build.');
      const port = Number(new URL(conn.graph_url).port) || undefined;
      const webhookUrl = this.sandboxWebhookUrl?.() ?? null;
      const base = { clock: this.ctx.clock, ...(webhookUrl ? { webhookUrl } : {}) };
      let started;
      try {
        started = await this.launcher({ ...base, ...(port ? { port } : {}) });
      } catch {
        started = await this.launcher(base); // that port is taken now: any free one
      }
      this.sandbox = started.runtime;
      if (started.runtime.baseUrl !== conn.graph_url) {
        this.store.setGraphUrl(started.runtime.baseUrl);
        bindTokenOrigin(this.ctx.db, started.runtime.baseUrl); // the Sandbox's own token, on its new port
        this.cached = null;
      }
    })().finally(() => { this.sandboxStarting = null; });
    return this.sandboxStarting;
  }

  private async stopSandbox(): Promise<void> {
    const s = this.sandbox;
    this.sandbox = null;
    if (s) await s.close();
  }

  // ---- refresh -------------------------------------------------------------------------------

  /** Re-reads the portfolio's WABAs, numbers and limits. Failures are recorded in lastError and rethrown as PacerError. */
  async refresh(): Promise<AccountStatus> {
    const conn = this.store.connection();
    if (!conn) throw new PacerError('unavailable', 'No WhatsApp account is connected.');
    const client = await this.ready();
    try {
      const primary = await client.getWaba(conn.waba_id);
      const businessId = primary.owner_business_info?.id ?? null;
      let wabaIds = [conn.waba_id];
      let businessLimit: MessagingLimit = 'UNKNOWN';
      if (businessId) {
        const owned = await optional(() => client.listOwnedWabas(businessId));
        if (owned) wabaIds = [...new Set([conn.waba_id, ...owned])];
        if (limitFieldFor(client.apiVersion) === 'whatsapp_business_manager_messaging_limit') businessLimit = normalizeLimit(await optional(() => client.getBusinessMessagingLimit(businessId)));
      }
      const fetched: { waba: GraphWaba; numbers: GraphPhoneNumber[] }[] = [];
      for (const id of wabaIds) {
        const waba = id === conn.waba_id ? primary : await client.getWaba(id);
        fetched.push({ waba, numbers: await client.listPhoneNumbers(id) });
      }
      const now = this.ctx.clock.now();
      this.ctx.db.transaction(() => {
        const limits: MessagingLimit[] = [businessLimit];
        for (const f of fetched) limits.push(...this.saveWaba(f.waba, f.numbers, now, businessId));
        this.store.pruneWabas(wabaIds);
        this.store.recordPortfolioLimit(bestLimit(limits), now, 'refresh');
        this.store.markRefreshed(now);
      })();
      this.onScopeChange?.();
      const active = this.store.numbers().some((n) => n.status === 'CONNECTED');
      this.limiter.limitPerHour = Math.floor((active ? ACTIVE_WABA_CALLS_PER_HOUR : DEFAULT_MANAGEMENT_CALLS_PER_HOUR) * SHARE_OF_META_BUDGET);
    } catch (e) {
      throw this.recordFailure(e);
    }
    const status = this.status();
    this.ctx.emit('account:changed', status);
    return status;
  }

  /** Records a background failure (lastError) and turns it into a PacerError for the caller. */
  recordFailure(e: unknown): PacerError {
    if (e instanceof PacerError) return e;
    if (!(e instanceof GraphApiError)) return new PacerError('internal', e instanceof Error ? e.message : String(e));
    const details = e.toDetails(this.ctx.clock.now());
    if (this.store.connection()) {
      this.store.setLastError(details);
      this.emitChanged();
    }
    return graphToPacer(e, details);
  }

  /** Upserts a WABA and its numbers; returns the limits they report. */
  private saveWaba(waba: GraphWaba, numbers: GraphPhoneNumber[], now: number, businessId: string | null = null): MessagingLimit[] {
    const wabaLimit = normalizeLimit(waba.whatsapp_business_manager_messaging_limit);
    this.store.upsertWaba({
      id: waba.id, name: waba.name ?? null, currency: waba.currency ?? null, timezone_id: waba.timezone_id ?? null,
      business_id: waba.owner_business_info?.id ?? businessId, messaging_limit: wabaLimit, updated_at: now,
    });
    const rows = numbers.map((n): NumberRow => ({
      id: n.id, waba_id: waba.id, display_phone_number: displayToE164(n.display_phone_number), verified_name: n.verified_name ?? '',
      quality_rating: normalizeQuality(n.quality_rating),
      messaging_limit: normalizeLimit(n.whatsapp_business_manager_messaging_limit ?? n.messaging_limit_tier),
      throughput: normalizeThroughput(n.throughput?.level), status: normalizePhoneStatus(n.status),
      name_status: n.name_status ?? null, account_mode: n.account_mode ?? null, updated_at: now,
    }));
    this.store.replaceNumbers(waba.id, rows, now);
    return [wabaLimit, ...rows.map((r) => r.messaging_limit)];
  }

  // ---- business profile ----------------------------------------------------------------------

  private profileNumber(id?: string): string {
    const conn = this.store.connection();
    if (!conn) throw new PacerError('unavailable', 'No WhatsApp account is connected.');
    const target = id ?? conn.phone_number_id;
    if (!this.store.number(target)) throw new PacerError('not_found', `Phone number ${target} is not one of the connected account's numbers.`);
    return target;
  }

  async profileGet(opts: { phoneNumberId?: string }): Promise<BusinessProfile> {
    const id = this.profileNumber(opts.phoneNumberId);
    const client = await this.ready();
    try {
      const p = await client.getBusinessProfile(id);
      const vertical = (BUSINESS_VERTICALS as readonly string[]).includes(p.vertical ?? '') ? p.vertical as BusinessVertical : null;
      return {
        phoneNumberId: id, about: p.about ?? null, description: p.description ?? null, address: p.address ?? null, email: p.email ?? null,
        websites: Array.isArray(p.websites) ? p.websites : [], vertical, profilePictureUrl: p.profile_picture_url ?? null,
      };
    } catch (e) {
      throw this.recordFailure(e);
    }
  }

  async profileUpdate(patch: ProfileUpdate): Promise<BusinessProfile> {
    const id = this.profileNumber(patch.phoneNumberId);
    const client = await this.ready();
    try {
      const fields: Record<string, unknown> = {};
      for (const k of ['about', 'description', 'address', 'email', 'websites', 'vertical'] as const) if (patch[k] !== undefined) fields[k] = patch[k];
      if (patch.photoFileId) {
        const file = this.stagedPhoto(patch.photoFileId);
        const app = await client.getApp();
        fields.profile_picture_handle = await client.resumableUpload(app.id, file);
      }
      if (Object.keys(fields).length === 0) throw new PacerError('bad_input', 'Nothing to update: give at least one profile field.');
      await client.updateBusinessProfile(id, fields);
      this.ctx.log.info('business profile updated', { phoneNumberId: id, fields: Object.keys(fields) });
    } catch (e) {
      throw this.recordFailure(e);
    }
    return this.profileGet({ phoneNumberId: id });
  }

  private stagedPhoto(fileId: string): { bytes: Uint8Array; mimeType: string; filename: string } {
    const staged = this.ctx.files.get(fileId);
    if (staged.size > 5 * 1024 * 1024) throw new PacerError('bad_input', 'The profile photo must be 5 MB or smaller.');
    const bytes = new Uint8Array(fs.readFileSync(staged.path));
    const png = bytes[0] === 0x89 && bytes[1] === 0x50;
    const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
    if (!png && !jpeg) throw new PacerError('bad_input', 'The profile photo must be a JPEG or PNG image.');
    return { bytes, mimeType: png ? 'image/png' : 'image/jpeg', filename: staged.name };
  }

  // ---- webhooks (registered with the webhook router) -----------------------------------------

  /** phone_number_quality_update: throughput upgrades, legacy limit/quality events. Then re-reads the numbers. */
  async applyPhoneNumberQualityUpdate(ev: ManagementEventLike): Promise<void> {
    const v = ev.value;
    const limit = normalizeLimit(v.max_daily_conversations_per_business ?? v.current_limit);
    const at = ev.time ?? this.ctx.clock.now();
    if (limit !== 'UNKNOWN') this.store.recordPortfolioLimit(limit, at, 'webhook');
    const display = displayToE164(typeof v.display_phone_number === 'string' ? v.display_phone_number : '');
    const row = this.store.numbers().find((n) => n.display_phone_number === display);
    if (row) {
      const event = String(ev.event ?? v.event ?? '').toUpperCase();
      const next: NumberRow = { ...row, updated_at: at };
      if (event === 'THROUGHPUT_UPGRADE') next.throughput = 'HIGH';
      if (event === 'FLAGGED') next.quality_rating = 'RED';
      if (limit !== 'UNKNOWN') next.messaging_limit = limit;
      this.store.upsertNumber(next, at);
    }
    this.emitChanged();
  }

  /** business_capability_update: the portfolio's new limit (integer or TIER_* string). */
  applyBusinessCapabilityUpdate(ev: ManagementEventLike): void {
    const v = ev.value;
    const limit = normalizeLimit(v.max_daily_conversations_per_business ?? v.max_daily_conversation_per_phone);
    if (limit === 'UNKNOWN') return;
    this.store.recordPortfolioLimit(limit, ev.time ?? this.ctx.clock.now(), 'webhook');
    this.ctx.log.info('portfolio messaging limit changed', { limit });
    this.emitChanged();
  }

  /** account_update: bans and violations restrict sending until reinstated. */
  applyAccountUpdate(ev: ManagementEventLike): void {
    const v = ev.value;
    const event = String(ev.event ?? v.event ?? '').toUpperCase();
    const banState = String((v.ban_info as { waba_ban_state?: string } | undefined)?.waba_ban_state ?? '').toUpperCase();
    const at = ev.time ?? this.ctx.clock.now();
    if (event === 'DISABLED_UPDATE' && banState === 'REINSTATE') this.setRestriction(null);
    else if ((event === 'DISABLED_UPDATE' && banState === 'DISABLE') || event === 'ACCOUNT_DELETED') this.setRestriction({ event: `${event}:${banState}`, at });
    else return;
    this.ctx.log.warn('account update', { event, banState });
    this.emitChanged();
  }
}

async function optional<T>(fn: () => Promise<T>): Promise<T | null> {
  try {
    return await fn();
  } catch (e) {
    // Not every token may read the business (portfolio) object; the WABA-level data still stands.
    if (e instanceof GraphApiError && (e.code === 100 || e.code === 10 || e.code === 803 || (e.code !== null && e.code >= 200 && e.code <= 299))) return null;
    throw e;
  }
}

/** A Graph error as a contract error: fix_payload → bad_input, account/token → forbidden, the rest → unavailable. */
export function graphToPacer(e: GraphApiError, details: GraphErrorDetails): PacerError {
  const code = e.errorClass === 'fix_payload' ? 'bad_input' : e.errorClass === 'halt_account' ? 'forbidden' : 'unavailable';
  const retry = e.retryAt !== null ? ` Meta's hourly limit: next call after ${new Date(e.retryAt).toISOString().slice(11, 16)} UTC.` : '';
  return new PacerError(code, `${e.message}${e.code !== null ? ` (code ${e.code})` : ''}.${retry}`, details);
}
