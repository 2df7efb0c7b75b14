import crypto from 'node:crypto';
import { registerUserIds } from './user-ids';
import type { CoreContext } from '../context';
import { PacerError } from '../errors';
import type { TimerHandle } from '../clock';
import type { WebhookActivity, WebhookInfo, WebhookTestResult, WebhookTestStep } from '../../../shared/contract/webhooks';
import {
  registerConsent,
  registerNumberChangeHolds,
  registerServiceWindow,
  registerStatusSummary,
  registerValueErrors,
  serviceWindow,
  type ConsentSink,
  type MessageStatusRow,
} from './builtin';
import { registerReplies } from './replies';
import {
  eventKeySeen,
  forgetSelfTest,
  inboxRowWithBody,
  isStillPending,
  messageStatusOf,
  pendingStatusCount,
  pendingStatuses,
} from './status-store';
import { CALLBACK_PATH, WebhookConfig } from './config';
import type { StatusEvent } from './events';
import { Inbox, type Durability } from './inbox';
import { InboxProcessor, type ProcessorStats } from './processor';
import { startReceiver, type ReceiverHandle } from './receiver';
import { RelayClient } from './relay-client';
import { WebhookRouter } from './router';
import { ScopeCache, type Ignored } from './scope';
import { forgottenEvent } from '../privacy/store/erase-wamids';
import { scrubForgotten, scrubFreedPages } from '../privacy/store/erase-traces';
import { ScopeStore } from './scope-store';
import { signBody, SIGNATURE_HEADER } from './signature';
import { createOptOutMatcher, type OptOutMatcher } from './stop-keywords';

export interface StartOptions {
  /** Port on 127.0.0.1; default: the configured one (8788). 0 picks a free port. */
  port?: number;
  /** Also pull from the configured relay (default true when one is configured). */
  relay?: boolean;
}

export interface WebhookRunning {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The webhook domain of one core: config, inbox, router, processor, receiver and relay client.
 * Built once by the composition root (compose.ts), which hands it to the domains that subscribe
 * with `.router.on(…)`. Construction registers nothing: `attach()` puts the built-in handlers on
 * the router, `start()` opens the receiver.
 */
export class WebhookService {
  readonly router = new WebhookRouter();
  readonly config: WebhookConfig;
  readonly inbox: Inbox;
  readonly processor: InboxProcessor;
  /** The connection's ids, which decide whose events these are (scope.ts). */
  readonly scope: ScopeCache;
  private readonly scopeStore: ScopeStore;
  private receiver: ReceiverHandle | null = null;
  private relay: RelayClient | null = null;
  private consentSink: ConsentSink | null;
  private matcherCache: { rules: string; matcher: OptOutMatcher } | null = null;
  private activity = {
    received: 0,
    rejected: 0,
    processed: 0,
    duplicates: 0,
    ignored: 0,
    handler_failures: 0,
    unknown: 0,
    by_type: {} as Record<string, number>,
  };
  private activityTimer: TimerHandle | null = null;

  /**
   * `consentSink`: where opt-outs and resumes from webhooks are recorded (the contacts' consent
   * ledger, contacts-consent.ts); null records nothing (benchmarks, webhook-only tests).
   */
  constructor(
    private readonly ctx: CoreContext,
    opts: { durability?: Durability; consentSink?: ConsentSink | null; writerThread?: boolean } = {},
  ) {
    this.consentSink = opts.consentSink ?? null;
    this.config = new WebhookConfig(ctx.db, ctx.dataDir, process.env, ctx.secrets);
    this.inbox = new Inbox(ctx.db, ctx.clock, opts.durability ?? 'full', { thread: opts.writerThread ?? true });
    this.scopeStore = new ScopeStore(ctx.db);
    this.scope = new ScopeCache(() => (this.scopeStore.hasAccountTables() ? this.scopeStore.accountScope() : null), ctx.clock);
    this.processor = new InboxProcessor({
      db: ctx.db,
      clock: ctx.clock,
      log: ctx.log,
      inbox: this.inbox,
      router: this.router,
      parseOptions: () => ({ optOut: this.matcher() }),
      // A database without the account's tables (webhook-only) has no connection to scope against.
      ...(this.scopeStore.hasAccountTables() ? { scope: () => this.scope.check(), onIgnored: (i: Ignored) => this.noteIgnored(i) } : {}),
      // A late event about someone erased is recorded as seen and applied to nothing (privacy/).
      forgotten: (ev) => forgottenEvent(ctx.db, ev),
      onForgotten: (id, evs) => {
        scrubForgotten(
          ctx.db,
          id,
          evs.flatMap((ev) => forgottenEvent(ctx.db, ev) ?? []),
        );
        this.scrubAfterBatch = true;
      },
      onProgress: (d) => {
        // The body as it arrived (with the erased person in it) is still an old page image in the
        // WAL, or in pacer.db if a checkpoint ran before the cut: once the batch has committed,
        // the same scrub as an erasure's copies the cut pages in and empties the WAL.
        if (this.scrubAfterBatch) {
          this.scrubAfterBatch = false;
          scrubFreedPages(ctx.db);
        }
        this.noteProcessed(d);
      },
    });
    // A short delay lets a burst of commits be processed as one batch (fewer, larger transactions).
    this.inbox.onAppend(() => this.processor.kick(20));
    ctx.onClose(() => this.stop());
  }

  private detachBuiltins: (() => void) | null = null;
  /** A late event about an erased person was cut out of its body in the batch being processed. */
  private scrubAfterBatch = false;

  /**
   * Puts the webhook domain's own handlers on the router (status summary, service window, consent,
   * number-change holds, value errors). Called once by the composition root, before any other
   * domain subscribes, so they run first for every event. Returns the detach function.
   */
  attach(): () => void {
    if (this.detachBuiltins) return this.detachBuiltins;
    const { db, log, clock } = this.ctx;
    const offs = [
      registerStatusSummary(db, this.router),
      registerServiceWindow(db, this.router),
      ...registerConsent(this.router, () => this.consentSink),
      ...registerNumberChangeHolds(db, this.router),
      ...registerUserIds(db, this.router),
      registerReplies(db, this.router),
      registerValueErrors(this.scopeStore, this.router, log, () => clock.now()),
    ];
    this.detachBuiltins = () => {
      offs.forEach((off) => off());
      this.detachBuiltins = null;
    };
    return this.detachBuiltins;
  }

  /** The account changed (connect, refresh, disconnect): whose events are ours is read again. */
  scopeChanged(): void {
    this.scope.invalidate();
  }

  /** Counts an event ignored as another account's; logs the first one of each id (not every event). */
  private noteIgnored(i: Ignored): void {
    const first = this.scopeStore.noteIgnored(i, this.ctx.clock.now());
    if (first) {
      this.ctx.log.warn('webhook events for another account are ignored', {
        reason: i.reason,
        id: i.id,
        connectedWaba: this.scope.current()?.wabaId ?? null,
      });
    }
  }

  /** Wires opt-outs to the contacts service (its consent-recording function). */
  setConsentSink(sink: ConsentSink | null): void {
    this.consentSink = sink;
    if (sink) this.processor.kick();
  }

  private matcher(): OptOutMatcher {
    const rules = this.config.optOutRules();
    const key = JSON.stringify(rules);
    if (this.matcherCache?.rules !== key) this.matcherCache = { rules: key, matcher: createOptOutMatcher(rules) };
    return this.matcherCache.matcher;
  }

  /** Starts the receiver (and the relay pull when configured) and the processor. */
  async start(opts: StartOptions = {}): Promise<WebhookRunning> {
    if (this.receiver) throw new PacerError('conflict', `The webhook receiver is already running at ${this.receiver.url}`);
    const port = opts.port ?? this.config.port();
    try {
      this.receiver = await startReceiver({
        inbox: this.inbox,
        log: this.ctx.log,
        verifyToken: () => this.config.verifyToken(),
        appSecret: () => this.ctx.secrets.get('app_secret'),
        callbackPath: CALLBACK_PATH,
        port,
        onAccepted: () => this.bump('received'),
        onRejected: (status, reason) => {
          this.bump('rejected');
          if (status !== 404) this.ctx.log.warn('webhook refused', { status, reason });
        },
      });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new PacerError('conflict', `Port ${port} on 127.0.0.1 is in use: choose another webhook port.`);
      throw e;
    }
    if (opts.relay !== false) this.startRelay();
    this.processor.kick();
    const handle = this.receiver;
    return {
      url: handle.url,
      port: handle.port,
      close: async () => {
        if (this.receiver === handle) this.receiver = null;
        await handle.close();
      },
    };
  }

  /** Starts pulling from the configured relay (no-op when none is configured or already running). */
  startRelay(): boolean {
    if (this.relay) return true;
    const url = this.config.relayUrl();
    const token = this.config.relayToken();
    if (!url || !token) return false;
    this.relay = new RelayClient({
      url,
      token,
      inbox: this.inbox,
      clock: this.ctx.clock,
      log: this.ctx.log,
      fetch: this.ctx.fetch,
      appSecret: () => this.ctx.secrets.get('app_secret'),
    });
    this.relay.start();
    return true;
  }

  async stopRelay(): Promise<void> {
    const r = this.relay;
    this.relay = null;
    await r?.stop();
  }

  async stop(): Promise<void> {
    const r = this.receiver;
    this.receiver = null;
    await r?.close();
    await this.relay?.stop();
    this.relay = null;
    await this.inbox.close();
    await this.processor.stop();
    if (this.activityTimer) this.ctx.clock.clearTimeout(this.activityTimer);
    this.activityTimer = null;
  }

  /** Hands pending-match statuses for these wamids (or opaque callback data) to the handlers again. */
  async reofferPending(
    filter: { wamids?: readonly string[]; bizOpaque?: readonly string[] } = {},
  ): Promise<{ offered: number; matched: number }> {
    const db = this.ctx.db;
    const rows = pendingStatuses(db, filter);
    let matched = 0;
    const seen = new Set<string>();
    for (const r of rows) {
      if (seen.has(r.event_key)) continue;
      seen.add(r.event_key);
      await this.processor.dispatch(JSON.parse(r.event) as StatusEvent);
      if (!isStillPending(db, r.event_key)) matched++;
    }
    return { offered: seen.size, matched };
  }

  /** The merged delivery facts for a wamid (kept for every wamid, known to a campaign or not). */
  messageStatus(wamid: string): MessageStatusRow | null {
    return messageStatusOf(this.ctx.db, wamid);
  }

  serviceWindow(phone: string) {
    return serviceWindow(this.ctx.db, phone, this.ctx.clock.now());
  }

  info(): WebhookInfo {
    const relayUrl = this.config.relayUrl();
    const pendingMatch = pendingStatusCount(this.ctx.db);
    return {
      callback_path: CALLBACK_PATH,
      port: this.config.port(),
      local_url: this.receiver?.url ?? null,
      running: !!this.receiver,
      verify_token: this.config.verifyToken(),
      app_secret_set: this.ctx.secrets.get('app_secret') !== null,
      inbox: this.inbox.counts(),
      last_error: this.inbox.lastError()?.error ?? null,
      pending_match: pendingMatch,
      ignored: this.ignoredInfo(),
      value_errors: this.scopeStore.valueErrorSummary(),
      relay: {
        url: relayUrl,
        token_set: this.config.relayToken() !== null,
        running: !!this.relay?.status.running,
        connected: !!this.relay?.status.connected,
        last_pull_at: this.relay?.status.lastPullAt ?? null,
        last_error: this.relay?.status.lastError ?? null,
        pulled: this.relay?.status.pulled ?? 0,
      },
    };
  }

  private ignoredInfo(): WebhookInfo['ignored'] {
    const { counts, last } = this.scopeStore.ignoredSummary();
    return { foreign: counts.foreign_waba + counts.foreign_number, no_account: counts.no_account, by_reason: counts, last };
  }

  /**
   * Sends a signed sample status through the whole path: handshake, an unsigned POST (must be
   * refused), a signed POST, the inbox row, and the router. The sample's traces are removed after.
   */
  async test(): Promise<WebhookTestResult> {
    const secret = this.ctx.secrets.get('app_secret');
    if (!secret)
      throw new PacerError('conflict', 'The app secret is not set: add it in Settings (or PACER_APP_SECRET) so webhooks can be verified.');
    let temp: WebhookRunning | null = null;
    const url = this.receiver?.url ?? (temp = await this.start({ port: 0, relay: false })).url;
    const steps: WebhookTestStep[] = [];
    const step = async (name: WebhookTestStep['step'], fn: () => Promise<string>) => {
      const t0 = performance.now();
      try {
        const detail = await fn();
        steps.push({ step: name, ok: true, ms: Math.round(performance.now() - t0), detail });
        return true;
      } catch (e) {
        steps.push({ step: name, ok: false, ms: Math.round(performance.now() - t0), detail: e instanceof Error ? e.message : String(e) });
        return false;
      }
    };
    const wamid = `wamid.PACER-TEST-${crypto.randomBytes(8).toString('hex')}`;
    const seconds = Math.floor(this.ctx.clock.now() / 1000);
    // As the connected account (another WABA's status would be ignored, and counted as foreign).
    const scope = this.scope.current();
    const body = JSON.stringify(
      sampleStatusEnvelope(wamid, seconds, 'sent', scope ? { wabaId: scope.wabaId, phoneNumberId: scope.defaultNumberId } : {}),
    );
    const key = `status:${wamid}:sent:${seconds}`;
    try {
      await step('handshake', async () => {
        const challenge = crypto.randomBytes(6).toString('hex');
        const q = new URLSearchParams({
          'hub.mode': 'subscribe',
          'hub.verify_token': this.config.verifyToken(),
          'hub.challenge': challenge,
        });
        const r = await this.ctx.fetch(`${url}?${q}`);
        const text = await r.text();
        if (r.status !== 200 || text !== challenge) throw new Error(`expected 200 "${challenge}", got ${r.status} "${text.slice(0, 80)}"`);
        return 'hub.challenge echoed';
      });
      await step('unsigned_refused', async () => {
        const r = await this.ctx.fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        await r.text();
        if (r.status !== 401) throw new Error(`an unsigned POST got HTTP ${r.status}, expected 401`);
        return 'unsigned POST refused with 401';
      });
      const posted = await step('signed_post', async () => {
        const r = await this.ctx.fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signBody(body, secret) },
          body,
        });
        const text = await r.text();
        if (r.status !== 200) throw new Error(`HTTP ${r.status}: ${text.slice(0, 200)}`);
        return 'HTTP 200';
      });
      if (posted) {
        await step('stored', async () => {
          const rowId = inboxRowWithBody(this.ctx.db, body);
          if (rowId === null) throw new Error('the event is not in the inbox');
          return `inbox row ${rowId}`;
        });
        await step('processed', async () => {
          await this.processor.drain();
          if (!eventKeySeen(this.ctx.db, key)) throw new Error(`not processed: ${this.inbox.lastError()?.error ?? 'unknown reason'}`);
          return 'routed to the status handlers';
        });
      }
    } finally {
      forgetSelfTest(this.ctx.db, body, key, wamid);
      await temp?.close();
    }
    return { ok: steps.every((s) => s.ok), url, steps };
  }

  private bump(k: 'received' | 'rejected'): void {
    this.activity[k]++;
    this.scheduleActivity();
  }

  private noteProcessed(d: ProcessorStats): void {
    this.activity.processed += d.events;
    this.activity.duplicates += d.duplicates;
    this.activity.ignored += d.ignored;
    this.activity.handler_failures += d.handlerFailures;
    this.activity.unknown += d.unknown;
    for (const [t, n] of Object.entries(d.byType)) this.activity.by_type[t] = (this.activity.by_type[t] ?? 0) + (n ?? 0);
    this.scheduleActivity();
  }

  /** Coalesces counters into at most ~10 events a second. */
  private scheduleActivity(): void {
    if (this.activityTimer) return;
    this.activityTimer = this.ctx.clock.setTimeout(() => {
      this.activityTimer = null;
      const a = this.activity;
      this.activity = { received: 0, rejected: 0, processed: 0, duplicates: 0, ignored: 0, handler_failures: 0, unknown: 0, by_type: {} };
      const payload: WebhookActivity = { ...a, pending: this.inbox.counts().pending, at: this.ctx.clock.now() };
      this.ctx.emit('webhooks:activity', payload);
    }, 100);
  }
}

/** A status envelope as Meta sends it (used by `webhook test` and the benchmark). */
export function sampleStatusEnvelope(
  wamid: string,
  seconds: number,
  status = 'sent',
  opts: { wabaId?: string; phoneNumberId?: string; recipient?: string } = {},
) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: opts.wabaId ?? '0',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550000000', phone_number_id: opts.phoneNumberId ?? '0' },
              statuses: [{ id: wamid, status, timestamp: String(seconds), recipient_id: opts.recipient ?? '15550000001' }],
            },
          },
        ],
      },
    ],
  };
}
