/**
 * The connected WhatsApp account: connection config (DB, no secrets), secrets (vault), the
 * portfolio's WABAs and numbers with their health, the 24-hour budget and whether sending is
 * allowed. One GraphClient per connection, shared by every domain (campaigns send through
 * `account.client()`), so an expired token (190) seen anywhere is flagged everywhere.
 */
import type { CoreContext } from '../context';
import { PacerError } from '../errors';
import { SecretNotSavedError } from '../secrets/vault';
import type { SecretName } from '../../../shared/contract/app';
import { GraphApiError, GraphClient } from '../whatsapp/client';
import { tokenStateForCode } from '../whatsapp/errors';
import { bestLimit, LIMIT_VALUES } from '../whatsapp/normalize';
import { ACTIVE_WABA_CALLS_PER_HOUR, DEFAULT_MANAGEMENT_CALLS_PER_HOUR, ManagementRateLimiter } from '../whatsapp/rate-limit';
import { checkAppSecret, checkWabaAndNumber } from './checks';
import { readPortfolio, saveWaba } from './portfolio';
import {
  applyAccountRestriction,
  applyBusinessCapability,
  applyPhoneNumberQuality,
  type ManagementEventLike,
  type ManagementEventTarget,
} from './management-events';
import { BusinessProfiles, type ProfileUpdate } from './profile';
import { AccountStore, numberInfo, type AccountRestriction, type ConnectionRow, type NumberRow } from './store';
import type { SandboxLauncher, SandboxRuntime } from './sandbox-link';
import {
  DEFAULT_API_VERSION,
  DEFAULT_GRAPH_URL,
  type AccountHistory,
  type AccountStatus,
  type BusinessProfile,
  type ConnectErrorDetails,
  type ConnectField,
  type ConnectInput,
  type GraphErrorDetails,
  type MessagingLimit,
  type SendBlocker,
  type TokenState,
} from '../../../shared/contract/whatsapp';
import { assertGraphUrlSafe, assertStoredTokenMayGo, bindTokenOrigin } from './token-binding';

/** Pacer keeps 10% of Meta's hourly management budget free for other tools on the same app. */
const SHARE_OF_META_BUDGET = 0.9;
const DAY = 86_400_000;

/** Unique recipients delivered to outside a service window in the moving 24 h before `now` (campaigns' send ledger). */
export type RecipientUsageProvider = (now: number) => number;

export class AccountService {
  readonly store: AccountStore;
  private readonly profiles: BusinessProfiles;
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
  /** Called after connect / use-sandbox so templates are synced (wired by the composition root, compose.ts). */
  afterConnect: (() => Promise<unknown>) | null = null;
  /**
   * Called when the connection or the numbers known in its WABA changed (connect, refresh,
   * disconnect): the webhook domain caches whose events are ours (wired by the composition root, compose.ts).
   */
  onScopeChange: (() => void) | null = null;

  constructor(
    private readonly ctx: CoreContext,
    private readonly launcher: SandboxLauncher | null = null,
  ) {
    this.store = new AccountStore(ctx.db);
    this.profiles = new BusinessProfiles(ctx, {
      store: this.store,
      ready: () => this.ready(),
      recordFailure: (e) => this.recordFailure(e),
    });
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
    try {
      lastError = conn?.last_error ? (JSON.parse(conn.last_error) as GraphErrorDetails) : null;
    } catch {
      lastError = null;
    }
    return {
      connected: conn !== null,
      connection: conn
        ? {
            mode: conn.mode,
            graphUrl: conn.graph_url,
            apiVersion: conn.api_version,
            wabaId: conn.waba_id,
            phoneNumberId: conn.phone_number_id,
            verifyTokenSet: !!conn.verify_token,
            connectedAt: conn.connected_at,
          }
        : null,
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
      portfolio: {
        messagingLimit: limit,
        limit: limitValue,
        used24h: used,
        remaining24h: limitValue === null ? null : Math.max(0, limitValue - used),
      },
      wabas: (conn ? this.store.wabas() : []).map((w) => ({
        id: w.id,
        name: w.name,
        currency: w.currency,
        timezoneId: w.timezone_id,
        messagingLimit: w.messaging_limit,
        templateCount: counts.get(w.id) ?? 0,
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
    const blockers = this.blockers(conn, !token ? 'missing' : (conn?.token_state ?? 'unchecked'), this.store.numbers());
    return { ok: blockers.length === 0, blockers };
  }

  /** Numbers that can send now (status CONNECTED), the primary first. */
  senderNumbers(): { id: string; wabaId: string; displayPhoneNumber: string }[] {
    const primary = this.store.connection()?.phone_number_id;
    return this.store
      .numbers()
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

  private restriction(): AccountRestriction | null {
    return this.store.restriction();
  }

  private setRestriction(r: AccountRestriction | null): void {
    this.store.setRestriction(r);
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
      baseUrl: conn.graph_url,
      apiVersion: conn.api_version,
      token: () => this.ctx.secrets.get('access_token'),
      fetch: this.ctx.graphFetch,
      clock: this.ctx.clock,
      log: this.ctx.log,
      limiter: this.limiter,
      retries: 0,
      ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
      onAuthError: (e) => this.noteGraphError(e),
      onAuthOk: () => this.noteAuthOk(),
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
      baseUrl: graphUrl,
      apiVersion,
      token,
      fetch: this.ctx.graphFetch,
      clock: this.ctx.clock,
      log: this.ctx.log,
      limiter: this.limiter,
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
    if (input.accessToken === undefined && this.ctx.secrets.get('access_token'))
      assertStoredTokenMayGo(this.ctx.db, graphUrl, this.store.connection()?.graph_url ?? null);
    const token = input.accessToken ?? this.ctx.secrets.get('access_token');
    if (!token)
      throw new PacerError('bad_input', 'Enter the access token (a system-user token from Meta Business Settings).', {
        field: 'accessToken',
        reason: 'token_invalid',
      });
    // No automatic retries while validating: the person at the wizard gets the answer at once.
    const probe = this.makeClient(graphUrl, apiVersion, () => token, false, 0);

    // 1-2. The WABA and the number (checks.ts): proves the URL, the version, the token and its permissions.
    const { waba, numbers } = await checkWabaAndNumber(probe, input, ids);
    // 3. The app secret (used to check webhook signatures) belongs to the token's app.
    const appSecret = input.appSecret ?? (input.accessToken === undefined ? this.ctx.secrets.get('app_secret') : null);
    if (input.appSecret) await checkAppSecret(probe, input.phoneNumberId, input.appSecret, ids);

    // Valid: store. Secrets to the vault only; everything else to the DB.
    const now = this.ctx.clock.now();
    // A keychain that refuses (locked, none) fails the connect before anything else is saved.
    if (input.accessToken) await this.storeSecret('access_token', input.accessToken, 'accessToken');
    if (input.accessToken) bindTokenOrigin(this.ctx.db, graphUrl);
    if (appSecret && input.appSecret) await this.storeSecret('app_secret', appSecret, 'appSecret');
    const previous = this.store.connection();
    this.ctx.db.transaction(() => {
      this.store.saveConnection({
        mode,
        graph_url: graphUrl,
        api_version: apiVersion,
        waba_id: input.wabaId,
        phone_number_id: input.phoneNumberId,
        verify_token: input.verifyToken ?? previous?.verify_token ?? null,
        connected_at: now,
        token_checked_at: now,
      });
      if (previous && previous.waba_id !== input.wabaId) this.store.pruneWabas([]);
      saveWaba(this.store, waba, numbers, now);
    })();
    this.onScopeChange?.();
    this.tokenState = 'valid';
    this.cached = null;
    if (mode === 'live') await this.stopSandbox(); // switching from the Sandbox to a real account
    this.ctx.log.info('whatsapp account connected', {
      mode,
      graphUrl,
      apiVersion,
      wabaId: input.wabaId,
      phoneNumberId: input.phoneNumberId,
    });

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
      clock: this.ctx.clock,
      ...(opts.port !== undefined ? { port: opts.port } : {}),
      ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
      ...(webhookUrl ? { webhookUrl } : {}),
    });
    this.sandbox = started.runtime;
    this.cached = null;
    try {
      return await this.connect(
        {
          graphUrl: started.runtime.baseUrl,
          apiVersion: DEFAULT_API_VERSION,
          wabaId: started.credentials.wabaId,
          phoneNumberId: started.credentials.phoneNumberId,
          accessToken: started.credentials.accessToken,
          appSecret: started.credentials.appSecret,
          verifyToken: started.credentials.verifyToken,
        },
        'sandbox',
      );
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
    })().finally(() => {
      this.sandboxStarting = null;
    });
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
      const { wabaIds, businessId, businessLimit, fetched } = await readPortfolio(client, conn.waba_id);
      const now = this.ctx.clock.now();
      this.ctx.db.transaction(() => {
        const limits: MessagingLimit[] = [businessLimit];
        for (const f of fetched) limits.push(...saveWaba(this.store, f.waba, f.numbers, now, businessId));
        this.store.pruneWabas(wabaIds);
        this.store.recordPortfolioLimit(bestLimit(limits), now, 'refresh');
        this.store.markRefreshed(now);
      })();
      this.onScopeChange?.();
      const active = this.store.numbers().some((n) => n.status === 'CONNECTED');
      this.limiter.limitPerHour = Math.floor(
        (active ? ACTIVE_WABA_CALLS_PER_HOUR : DEFAULT_MANAGEMENT_CALLS_PER_HOUR) * SHARE_OF_META_BUDGET,
      );
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

  // ---- business profile (profile.ts) --------------------------------------------------------

  profileGet(opts: { phoneNumberId?: string }): Promise<BusinessProfile> {
    return this.profiles.get(opts);
  }

  profileUpdate(patch: ProfileUpdate): Promise<BusinessProfile> {
    return this.profiles.update(patch);
  }

  // ---- management webhooks (management-events.ts; subscribed by compose.ts) ------------------

  /** phone_number_quality_update: throughput upgrades, legacy limit/quality events. Then re-reads the numbers. */
  async applyPhoneNumberQualityUpdate(ev: ManagementEventLike): Promise<void> {
    applyPhoneNumberQuality(this.eventSink(), ev);
  }

  /** business_capability_update: the portfolio's new limit (integer or TIER_* string). */
  applyBusinessCapabilityUpdate(ev: ManagementEventLike): void {
    applyBusinessCapability(this.eventSink(), ev);
  }

  /** account_update: bans and violations restrict sending until reinstated. */
  applyAccountUpdate(ev: ManagementEventLike): void {
    applyAccountRestriction(this.eventSink(), ev);
  }

  private eventSink(): ManagementEventTarget {
    return { store: this.store, now: () => this.ctx.clock.now(), log: this.ctx.log, changed: () => this.emitChanged() };
  }
}

/** A Graph error as a contract error: fix_payload → bad_input, account/token → forbidden, the rest → unavailable. */
export function graphToPacer(e: GraphApiError, details: GraphErrorDetails): PacerError {
  const code = e.errorClass === 'fix_payload' ? 'bad_input' : e.errorClass === 'halt_account' ? 'forbidden' : 'unavailable';
  const retry = e.retryAt !== null ? ` Meta's hourly limit: next call after ${new Date(e.retryAt).toISOString().slice(11, 16)} UTC.` : '';
  return new PacerError(code, `${e.message}${e.code !== null ? ` (code ${e.code})` : ''}.${retry}`, details);
}
