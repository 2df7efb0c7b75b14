/**
 * The sender: takes pending ledger rows of running campaigns and sends them, at most once each.
 *
 * For every row, in order: gates (campaign running, account can send, template APPROVED, consent
 * and frequency cap re-checked, local send window, the portfolio's 24-hour budget, the number's
 * throughput, the pair rate) → CLAIM (row = 'sending' + messaging-log entry, committed with
 * synchronous=FULL, in small batches) → HTTP → outcome recorded (batched, every ~20 ms).
 *
 * After a crash, rows still 'sending' become 'uncertain' (`recoverInterrupted`) and are never sent
 * again automatically: only the user's explicit resend re-queues them. The row id travels as
 * biz_opaque_callback_data ("pacer:<row id>") so a lost HTTP answer is reconciled by webhook.
 *
 * Errors follow whatsapp/errors.ts (classifyError): retry_soon → back to pending with a back-off
 * (130429 also slows the number: see throttle.ts); retry_after_24h (131049) → pending again in 24 h, at most
 * `retry_131049` times; terminal_recipient / fix_payload → failed; suppress_contact (131050) →
 * failed + marketing opt-out; halt_campaign → the row goes back to pending and the campaign pauses;
 * halt_account → every running campaign pauses. No answer we can trust (timeout, connection lost
 * after the request went out) → uncertain.
 */
import type { CoreContext } from '../context';
import { sleep } from '../clock';
import { GraphApiError, buildTemplateMessage, type TemplateSendComponent } from '../whatsapp/client';
import { backoffFor, classifyError } from '../whatsapp/errors';
import type { PauseReason } from '../../../shared/contract/campaigns';
import { DAY_MS, MessagingWindow, tierLimit, usableBudget } from './messaging-window';
import { buildComponents } from './params';
import { consentCategoryOf, type CampaignPorts, type TemplateInfo } from './ports';
import { isStrictRefusal, routeFor, type SendRoute } from '../whatsapp/marketing-messages';
import { skipReasonFor, type SendSkipReason } from './send-gate';
import { onePerPersonLookups, type OnePerPersonLookups } from './one-per-person';
import { runtimeOf, type CampaignRow, type CampaignRuntime } from './runtime';
import { allowedAt, effectiveZones, nextAllowedTime } from './send-window';
import { PairGate, ThroughputLimiter } from './throttle';

export interface SenderOptions {
  /** HTTP requests in flight at once (default 64). */
  maxInflight?: number;
  /** Rows claimed per transaction (default 50). */
  maxClaimBatch?: number;
  /** Outcome write interval (default 20 ms). */
  flushMs?: number;
  /** synchronous=FULL for claim commits (default true): a claimed row survives power loss. */
  durableClaims?: boolean;
  /** How long stop() waits for in-flight sends before recording them uncertain (default 10 s). */
  stopGraceMs?: number;
  /** Lowest tier assumed when the portfolio's limit is unknown (default 250). */
  unknownLimit?: number;
  /** Back-off for transient errors: base and cap (ms). */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Attempts before a transient error becomes a failure (default 6). */
  maxAttempts?: number;
}

export interface WorkRow {
  id: number;
  campaign_id: string;
  contact_id: number | null;
  phone: string | null;
  /** Set (phone NULL) when the contact is addressed by its WhatsApp user id: sent as `recipient`. */
  user_id: string | null;
  phone_hash: string;
  country: string | null;
  tz: string | null;
  params: string | null;
  attempts: number;
  retries_24h: number;
}

type Outcome =
  | { kind: 'accepted'; id: number; wamid: string; at: number; contactId?: number | null }
  | { kind: 'retry'; id: number; notBefore: number; code: number | null; detail: string; errorClass: string | null; retry24h?: boolean }
  | { kind: 'failed'; id: number; at: number; code: number | null; detail: string; errorClass: string | null; contactId?: number | null }
  | { kind: 'uncertain'; id: number; detail: string }
  | { kind: 'skip'; id: number; reason: string };

export interface SenderHooks {
  /** A campaign must pause (template halted, account halted, watchdog…). */
  pause(campaignId: string | null, reason: PauseReason, detail: string, autoResume: boolean): void;
  /** Rows of a campaign changed state (progress events). */
  touched(campaignId: string): void;
}

export type WaitReason = 'budget' | 'window' | 'retry_later' | 'account' | null;

/** A row that passed the pacing gates, with what the gates recorded for it (undone if not claimed). */
interface Paced {
  row: WorkRow;
  rt: CampaignRuntime;
  phoneNumberId: string;
  pacedAt: number;
  prevWindowAt: number | undefined;
  prevPairAt: number | undefined;
}

/** Why a campaign's template cannot be sent now (null: it can). */
function templateBlock(rt: CampaignRuntime, t: TemplateInfo | null): { reason: PauseReason; detail: string; autoResume: boolean } | null {
  if (!t)
    return {
      reason: 'template_missing',
      detail: `Template ${rt.templateName} (${rt.templateLanguage}) is not in the synced templates`,
      autoResume: false,
    };
  if (t.status === 'PAUSED')
    return {
      reason: 'template_paused',
      detail: `Template ${t.name} is PAUSED by Meta (low quality); sending resumes when it is APPROVED again`,
      autoResume: true,
    };
  if (t.status === 'DISABLED') return { reason: 'template_disabled', detail: `Template ${t.name} is DISABLED by Meta`, autoResume: false };
  if (t.status !== 'APPROVED')
    return { reason: 'template_missing', detail: `Template ${t.name} is ${t.status}, not APPROVED`, autoResume: true };
  if (!rt.compiled)
    return { reason: 'template_missing', detail: `The parameter mapping no longer fits template ${t.name}`, autoResume: false };
  // The consent a row needs follows the template's category: a template Meta re-categorised as
  // MARKETING while the campaign waited needs marketing opt-in, which the loaded runtime did not check.
  if (consentCategoryOf(t.category) !== rt.consentCategory) {
    return {
      reason: 'template_missing',
      detail: `Template ${t.name} is now ${t.category}: the campaign's consent checks were for ${rt.category}`,
      autoResume: false,
    };
  }
  return null;
}

/** Slow back-off (rate limits of the WABA, app or endpoint): 5 min, 10, 20, 40, then an hour. */
const SLOW_BACKOFF_BASE_MS = 5 * 60_000;
const SLOW_BACKOFF_CAP_MS = 60 * 60_000;

/** How often a sender waiting for the 24-hour budget looks again (the limit may have been raised). */
const BUDGET_RECHECK_MS = 1000;

const BIZ_PREFIX = 'pacer:';
export const bizOpaqueFor = (rowId: number) => `${BIZ_PREFIX}${rowId}`;
export const rowIdFromBizOpaque = (s: string | null | undefined): number | null => {
  if (!s || !s.startsWith(BIZ_PREFIX)) return null;
  const n = Number(s.slice(BIZ_PREFIX.length));
  return Number.isSafeInteger(n) && n > 0 ? n : null;
};

/** Rows still 'sending' when a sender starts were interrupted: their outcome is unknown. */
export function recoverInterrupted(ctx: CoreContext): number {
  return ctx.db
    .prepare(
      `UPDATE campaign_recipients SET state = 'uncertain', updated_at = ?,
      error_detail = 'interrupted: Pacer stopped while this message was being sent; not resent automatically'
    WHERE state = 'sending'`,
    )
    .run(ctx.clock.now()).changes;
}

export class Sender {
  readonly window = new MessagingWindow();
  private readonly limiters = new Map<string, ThroughputLimiter>();
  private readonly pairs = new Map<string, PairGate>();
  private readonly runtimes = new Map<string, CampaignRuntime>();
  /** Recent outcomes per campaign for the failure-rate watchdog (true = failed). */
  private readonly recent = new Map<string, boolean[]>();
  private queue: WorkRow[] = [];
  private outcomes: (Outcome & { cid: string })[] = [];
  private inflight = 0;
  private readonly inflightAborts = new Set<AbortController>();
  private running = false;
  private abandoned = false;
  private loopDone: Promise<void> | null = null;
  private wakeFn: (() => void) | null = null;
  private flushTimer: ReturnType<CoreContext['clock']['setTimeout']> | null = null;
  private blocker: { at: number; value: string | null } = { at: -Infinity, value: null };
  private limit: { at: number; value: number } = { at: -Infinity, value: 0 };
  /** Why nothing is sent now (for status and --until-idle). */
  waitReason: WaitReason = null;
  waitUntil: number | null = null;
  /** True when the last pass found no row that could go now. */
  idle = false;
  readonly stats = {
    skippedAtClaim: 0,
    claimed: 0,
    accepted: 0,
    failed: 0,
    retried: 0,
    uncertain: 0,
    throttled: 0,
    batches: 0,
    waits: 0,
    refills: 0,
    inflightWaits: 0,
  };
  private readonly o: Required<SenderOptions>;
  private readonly category = new Map<string, string | null>();
  /** A STRICT marketing send was accepted since the last refusal (the terms state is noted once, not per send). */
  private strictAccepted = false;
  private readonly names = new Map<string, { name: string; template: string }>();
  /** Prepared once: preparing a statement costs more than running it. */
  private readonly sql: ReturnType<typeof statements>;
  /** One person, one message per campaign, across a merge of their two contacts (one-per-person.ts). */
  private readonly person: OnePerPersonLookups;

  constructor(
    private readonly ctx: CoreContext,
    private readonly ports: CampaignPorts,
    private readonly hooks: SenderHooks,
    opts: SenderOptions = {},
  ) {
    this.o = {
      maxInflight: opts.maxInflight ?? 64,
      maxClaimBatch: opts.maxClaimBatch ?? 50,
      flushMs: opts.flushMs ?? 20,
      durableClaims: opts.durableClaims ?? true,
      stopGraceMs: opts.stopGraceMs ?? 10_000,
      unknownLimit: opts.unknownLimit ?? 250,
      backoffBaseMs: opts.backoffBaseMs ?? 2_000,
      backoffCapMs: opts.backoffCapMs ?? 10 * 60_000,
      maxAttempts: opts.maxAttempts ?? 6,
    };
    this.sql = statements(ctx);
    this.person = onePerPersonLookups(ctx.db);
  }

  /** Loads the last 24 h of the messaging log and starts the send loop. */
  start(): void {
    if (this.running) return;
    this.running = true;
    const now = this.ctx.clock.now();
    const rows = this.ctx.db
      .prepare(`SELECT phone_hash, max(at) AS at FROM messaging_log WHERE at > ? GROUP BY phone_hash ORDER BY at`)
      .all(now - DAY_MS) as { phone_hash: string; at: number }[];
    for (const r of rows) this.window.record(r.phone_hash, r.at);
    this.loopDone = this.loop();
  }

  /** Stops claiming, lets in-flight sends finish (or records them uncertain), writes every outcome. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake();
    await this.loopDone;
    const deadline = this.ctx.clock.now() + this.o.stopGraceMs;
    while (this.inflight > 0 && this.ctx.clock.now() < deadline) await sleep(this.ctx.clock, 10);
    for (const ac of this.inflightAborts) ac.abort(new Error('stopping'));
    while (this.inflight > 0) await new Promise((r) => setImmediate(r));
    this.flush();
    this.queue = [];
  }

  /**
   * Ends the sender the way a killed process ends: nothing more is written — no outcome of the
   * requests in flight, no retry, no skip. Their rows stay 'sending' and the next start records
   * them 'uncertain', exactly as after kill -9. For the drills that cannot kill their own process.
   */
  abandon(): void {
    this.running = false;
    this.abandoned = true;
    this.outcomes = [];
    this.queue = [];
    if (this.flushTimer) {
      this.ctx.clock.clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    this.wake();
  }

  /** New work may be there (campaign started/resumed, rows re-queued). */
  wake(): void {
    const w = this.wakeFn;
    this.wakeFn = null;
    w?.();
  }

  /** Drops queued rows of a campaign (paused / cancelled); their ledger rows stay pending. */
  forget(campaignId: string): void {
    this.queue = this.queue.filter((r) => r.campaign_id !== campaignId);
    this.runtimes.delete(campaignId);
    this.wake();
  }

  inflightCount(): number {
    return this.inflight;
  }

  rateFor(phoneNumberId: string | null): number {
    return this.limiters.get(phoneNumberId ?? '')?.rate ?? 0;
  }

  /** The usable 24-hour budget for a margin (unknown limit → the lowest tier). */
  budgetFor(margin: number): number {
    const now = this.ctx.clock.now();
    if (now - this.limit.at > 1000) {
      this.limit = { at: now, value: tierLimit(this.ports.account.messagingLimit()) ?? this.o.unknownLimit };
    }
    return usableBudget(this.limit.value, margin);
  }

  // ---- the loop ------------------------------------------------------------------------------

  /** The send loop; an unexpected error is logged and the loop goes on after a pause. */
  private async loop(): Promise<void> {
    while (this.running) {
      try {
        await this.step();
      } catch (e) {
        this.ctx.log.error('sender step failed', { error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
        this.queue = [];
        await this.idleUntil(this.ctx.clock.now() + 1000);
      }
    }
  }

  private async step(): Promise<void> {
    {
      const now = Math.floor(this.ctx.clock.now());
      if (this.queue.length === 0) this.refill(now);
      if (this.queue.length === 0) {
        this.idle = this.inflight === 0;
        await this.idleUntil(this.waitUntil ?? now + 1000);
        return;
      }
      const batch: Paced[] = [];
      let waitUntil = Infinity;
      const blocker = this.accountBlocker(now);
      if (blocker) {
        this.waitReason = 'account';
        this.queue = [];
        this.hooks.pause(null, 'account_halted', `The account cannot send: ${blocker}`, false);
        return;
      }
      while (this.queue.length && batch.length < this.o.maxClaimBatch && this.inflight + batch.length < this.o.maxInflight) {
        const row = this.queue[0]!;
        const rt = this.runtimes.get(row.campaign_id);
        if (!rt || rt.state !== 'running') {
          this.queue.shift();
          continue;
        }
        const phoneNumberId = rt.phoneNumberId ?? this.ports.account.defaultPhoneNumberId();
        if (!phoneNumberId) {
          this.queue.shift();
          this.hooks.pause(rt.id, 'account_halted', 'No sending phone number is configured', false);
          continue;
        }
        if (rt.rules) {
          const zones = effectiveZones(row.country, row.tz, rt.rules);
          if (!allowedAt(now, zones, rt.rules)) {
            this.queue.shift();
            this.defer(row, nextAllowedTime(now, zones, rt.rules) ?? now + DAY_MS);
            continue;
          }
        }
        if (!this.window.allows(row.phone_hash, now, this.budgetFor(rt.margin))) {
          const free = this.window.nextFreeAt(now, this.budgetFor(rt.margin)) ?? now + 1000;
          waitUntil = Math.min(waitUntil, free);
          this.waitReason = 'budget';
          break;
        }
        const pair = this.pairGate(phoneNumberId);
        const pw = pair.waitMs(row.phone_hash, now);
        if (pw > 0) {
          this.queue.shift();
          this.defer(row, now + pw);
          continue;
        }
        const limiter = this.limiter(phoneNumberId, rt.rate);
        const lw = limiter.waitMs(now);
        if (lw > 0) {
          waitUntil = Math.min(waitUntil, now + lw);
          this.waitReason = null;
          break;
        }
        const prevWindowAt = this.window.latestAt(row.phone_hash);
        const prevPairAt = pair.lastAt(row.phone_hash);
        limiter.record(now);
        pair.record(row.phone_hash, now);
        this.window.record(row.phone_hash, now);
        this.queue.shift();
        batch.push({ row, rt, phoneNumberId, pacedAt: now, prevWindowAt, prevPairAt });
      }
      if (batch.length) {
        this.waitReason = null;
        this.waitUntil = null;
        this.idle = false;
        this.stats.batches++;
        const claimed = this.claim(now, batch);
        // Paced at `now`, sent after the claim's commit: the limiters count the real send time.
        const sentAt = Math.floor(this.ctx.clock.now());
        if (sentAt > now) {
          const perNumber = new Map<string, number>();
          for (const b of batch) perNumber.set(b.phoneNumberId, (perNumber.get(b.phoneNumberId) ?? 0) + 1);
          for (const [id, count] of perNumber) this.limiters.get(id)?.delayLast(count, sentAt - now);
        }
        for (const b of batch) if (claimed.has(b.row.id)) void this.fire(b.row, b.rt, b.phoneNumberId);
        await new Promise((r) => setImmediate(r));
        return;
      }
      if (this.inflight >= this.o.maxInflight) {
        this.stats.inflightWaits++;
        await this.idleUntil(now + 5);
        return;
      }
      if (waitUntil !== Infinity) {
        this.waitUntil = waitUntil;
        this.idle = this.waitReason === 'budget' && this.inflight === 0;
        this.stats.waits++;
        // A budget wait can end early: the tier may be raised, a limit change may arrive. Look again
        // every second instead of sleeping until the window frees (that can be 24 h away).
        await this.idleUntil(this.waitReason === 'budget' ? Math.min(waitUntil, now + BUDGET_RECHECK_MS) : waitUntil);
      }
    }
  }

  private idleUntil(t: number): Promise<void> {
    return new Promise((resolve) => {
      // Waits end early through wake() (new work, status changes); the cap is only a safety net.
      // Whole milliseconds: times written to the ledger stay integers on any clock.
      const ms = Math.max(0, Math.min(Math.ceil(t - this.ctx.clock.now()), 60_000));
      const timer = this.ctx.clock.setTimeout(() => {
        this.wakeFn = null;
        resolve();
      }, ms);
      this.wakeFn = () => {
        this.ctx.clock.clearTimeout(timer);
        resolve();
      };
    });
  }

  private accountBlocker(now: number): string | null {
    if (now - this.blocker.at > 1000) this.blocker = { at: now, value: this.ports.account.sendBlocker() };
    return this.blocker.value;
  }

  private limiter(phoneNumberId: string, rate: number): ThroughputLimiter {
    let l = this.limiters.get(phoneNumberId);
    if (!l) {
      l = new ThroughputLimiter(rate);
      this.limiters.set(phoneNumberId, l);
    } else if (l.configuredRate !== rate) l.setConfigured(rate);
    return l;
  }

  private pairGate(phoneNumberId: string): PairGate {
    let g = this.pairs.get(phoneNumberId);
    if (!g) {
      g = new PairGate();
      this.pairs.set(phoneNumberId, g);
    }
    return g;
  }

  private defer(row: WorkRow, until: number): void {
    until = Math.ceil(until);
    this.sql.defer.run(until, this.ctx.clock.now(), row.id);
    if (this.waitUntil === null || until < this.waitUntil) this.waitUntil = until;
  }

  /** Loads running campaigns and a batch of their due rows; re-checks consent and the frequency cap. */
  private refill(now: number): void {
    this.stats.refills++;
    const campaigns = this.sql.running.all() as CampaignRow[];
    this.runtimes.clear();
    this.waitUntil = null;
    if (campaigns.length === 0) {
      this.waitReason = null;
      return;
    }
    for (const c of campaigns) {
      const template = this.ports.templates.get(c.template_name, c.template_language);
      const rt = runtimeOf(c, template);
      this.runtimes.set(c.id, rt);
      this.category.set(c.id, rt.category);
    }
    const { due, next } = this.sql;
    for (const rt of this.runtimes.values()) {
      if (!this.templateReady(rt)) continue;
      const rows = due.all(rt.id, now, 2000) as WorkRow[];
      const t = (next.get(rt.id, now) as { t: number | null }).t;
      if (t !== null && (this.waitUntil === null || t < this.waitUntil)) {
        this.waitUntil = t;
        this.waitReason = 'retry_later';
      }
      if (rows.length === 0) continue;
      // A first pass of the send-time rule keeps rows that cannot go from waiting in the queue;
      // the rule that counts is applied again in the claim's transaction.
      const verdicts = this.gate(rt, rows, now);
      const keep: WorkRow[] = [];
      for (const r of rows) {
        const reason = verdicts.get(r.id);
        if (reason) this.outcomes.push({ kind: 'skip', id: r.id, reason, cid: rt.id });
        else keep.push(r);
      }
      if (keep.length < rows.length) this.flush();
      this.queue.push(...keep);
      if (this.queue.length >= 2000) break;
    }
  }

  /** Template gate: exists, APPROVED, mapping still fits. Pauses the campaign otherwise. */
  private templateReady(rt: CampaignRuntime): boolean {
    const block = templateBlock(rt, rt.template);
    if (block) this.hooks.pause(rt.id, block.reason, block.detail, block.autoResume);
    return !block;
  }

  /**
   * The send-time rule (send-gate.ts) for some rows of one campaign: consent for the template's
   * current category, opt-out, erasure, hold, an edited number, and the campaign's own frequency
   * cap. Returns the rows that may NOT be sent, with why.
   */
  private gate(rt: CampaignRuntime, rows: readonly WorkRow[], now: number): Map<number, SendSkipReason> {
    const out = new Map<number, SendSkipReason>();
    const ids = rows.map((r) => r.contact_id).filter((x): x is number => x !== null);
    const states = this.ports.contacts.sendStateOf(ids, rt.consentCategory);
    const marketing = rt.consentCategory === 'marketing';
    const cap = rt.options.frequency_cap;
    const timing = { now, sendBy: rt.sendBy };
    for (const r of rows) {
      const reason = skipReasonFor(r, r.contact_id === null ? undefined : states.get(r.contact_id), marketing, timing);
      if (reason) {
        out.set(r.id, reason);
        continue;
      }
      if (cap) {
        // Messages, not attempts: a row retried after a 130429 was logged twice but sent once.
        const n = (this.sql.capCount.get(r.phone_hash, rt.category, now - cap.days * DAY_MS, rt.id) as { n: number }).n;
        if (n >= cap.max) out.set(r.id, 'frequency_cap');
      }
    }
    return out;
  }

  /**
   * Marks the rows 'sending' and logs them as messaged, in one durable commit — after applying the
   * send-time rule to them inside the same write transaction (BEGIN IMMEDIATE: the state it reads
   * is the latest committed one, and no other connection can change it before the claim commits).
   * A row the rule refuses ends `skipped` with its reason; a campaign whose template is no longer
   * APPROVED (or changed category) claims nothing and is paused.
   */
  private claim(now: number, batch: readonly Paced[]): Set<number> {
    const claimed = new Set<number>();
    const { claim: upd, log, skip } = this.sql;
    const byCampaign = new Map<string, Paced[]>();
    for (const b of batch) {
      const list = byCampaign.get(b.rt.id);
      if (list) list.push(b);
      else byCampaign.set(b.rt.id, [b]);
    }
    const blocked: { rt: CampaignRuntime; block: NonNullable<ReturnType<typeof templateBlock>> }[] = [];
    let skipped = 0;
    const durable = this.o.durableClaims;
    if (durable) this.ctx.db.pragma('synchronous = FULL');
    try {
      this.ctx.db
        .transaction(() => {
          for (const items of byCampaign.values()) {
            const rt = items[0]!.rt;
            const template = this.ports.templates.get(rt.templateName, rt.templateLanguage);
            const block = templateBlock(rt, template);
            if (block) {
              blocked.push({ rt, block });
              continue;
            }
            // The row's contact as it is now: a merge of two contacts of one person may have moved
            // the row since the sender read it (its queue can be minutes old).
            for (const b of items) {
              const current = this.person.contactOf(b.row.id);
              if (current !== undefined && current !== b.row.contact_id) b.row = { ...b.row, contact_id: current };
            }
            const verdicts = this.gate(
              rt,
              items.map((b) => b.row),
              now,
            );
            for (const b of items) {
              const r = b.row;
              // Another row of this campaign already reached the same person (claimed earlier in
              // this transaction included): never a second message (one-per-person.ts).
              const reason =
                verdicts.get(r.id) ??
                (r.contact_id !== null && this.person.reachedBy(rt.id, r.contact_id, r.id) ? 'same_person' : undefined);
              if (reason) {
                skipped += skip.run(reason, now, r.id).changes;
                continue;
              }
              if (upd.run(now, now, r.id).changes === 1) {
                claimed.add(r.id);
                log.run(r.phone_hash, now, rt.category, b.phoneNumberId, r.campaign_id, r.id);
              }
            }
          }
        })
        .immediate();
    } finally {
      if (durable) this.ctx.db.pragma('synchronous = NORMAL');
    }
    // Rows not claimed used no budget, pair slot or rate: give back what the pacing took for them.
    if (claimed.size < batch.length) for (const b of batch) if (!claimed.has(b.row.id)) this.unpace(b);
    for (const { rt, block } of blocked) {
      this.hooks.pause(rt.id, block.reason, block.detail, block.autoResume);
      this.forgetQueued(rt.id);
    }
    this.stats.claimed += claimed.size;
    this.stats.skippedAtClaim += skipped;
    for (const id of byCampaign.keys()) this.hooks.touched(id);
    return claimed;
  }

  /** Undoes the pacing bookkeeping of a row that was paced but not claimed. */
  private unpace(b: Paced): void {
    this.window.unrecord(b.row.phone_hash, b.pacedAt, b.prevWindowAt);
    this.pairGate(b.phoneNumberId).restore(b.row.phone_hash, b.prevPairAt);
  }

  private async fire(row: WorkRow, rt: CampaignRuntime, phoneNumberId: string): Promise<void> {
    this.inflight++;
    const ac = new AbortController();
    this.inflightAborts.add(ac);
    try {
      let components: TemplateSendComponent[];
      try {
        const values = row.params ? (JSON.parse(row.params) as Record<string, string>) : {};
        components = buildComponents(rt.template!, rt.compiled!, values, rt.headerMedia) as TemplateSendComponent[];
        for (const c of components)
          for (const p of c.parameters) if ('text' in p && !(p as { text: string }).text) throw new Error('empty parameter');
      } catch (e) {
        // Never send an empty or incomplete parameter: the API would not take it anyway.
        this.record(rt, {
          kind: 'failed',
          id: row.id,
          at: this.ctx.clock.now(),
          code: null,
          detail: `parameters: ${(e as Error).message}`,
          errorClass: 'fix_payload',
        });
        return;
      }
      const body = buildTemplateMessage({
        ...(row.phone ? { to: row.phone } : { recipient: row.user_id! }),
        name: rt.templateName,
        language: rt.templateLanguage,
        components,
        bizOpaqueCallbackData: bizOpaqueFor(row.id),
      });
      // MARKETING templates go to /marketing_messages, by the template's LATEST category (read at
      // this send, not at the campaign's start: whatsapp/marketing-messages.ts).
      const route = routeFor(
        this.ports.templates.get(rt.templateName, rt.templateLanguage)?.category ?? rt.category,
        () => this.ports.account.marketingStrict?.() ?? false,
      );
      if (route.strict) body.product_policy = 'STRICT';
      try {
        const res = await this.ports.account.send(phoneNumberId, body, ac.signal, route.endpoint);
        this.stats.accepted++;
        if (route.strict && !this.strictAccepted) {
          this.strictAccepted = true;
          this.ports.account.noteMarketingTerms?.(true, 'a STRICT /marketing_messages send was accepted');
        }
        this.record(rt, { kind: 'accepted', id: row.id, wamid: res.wamid, at: this.ctx.clock.now(), contactId: row.contact_id });
      } catch (e) {
        this.onError(row, rt, phoneNumberId, e, route);
      }
    } finally {
      this.inflightAborts.delete(ac);
      this.inflight--;
      if (this.inflight < this.o.maxInflight) {
        const w = this.wakeFn;
        if (w && this.queue.length) {
          this.wakeFn = null;
          w();
        }
      }
    }
  }

  private onError(row: WorkRow, rt: CampaignRuntime, phoneNumberId: string, e: unknown, route?: SendRoute): void {
    if (this.abandoned) return; // a dead process learns nothing more
    const now = this.ctx.clock.now();
    const err =
      e instanceof GraphApiError ? e : new GraphApiError({ message: e instanceof Error ? e.message : String(e), ambiguous: true });
    const detail = err.details ? `${err.message} — ${err.details}` : err.message;
    if (err.ambiguous) {
      this.stats.uncertain++;
      this.record(rt, { kind: 'uncertain', id: row.id, detail: `no reliable answer: ${detail}` });
      return;
    }
    if (route && isStrictRefusal(err, route)) {
      // Strict mode and the portfolio has not accepted the MM API terms: nothing was sent, every
      // other marketing send would be refused the same way. Back to pending; the campaign pauses.
      this.strictAccepted = false;
      this.record(rt, { kind: 'retry', id: row.id, notBefore: now, code: err.code, detail, errorClass: 'halt_campaign' });
      this.ports.account.noteMarketingTerms?.(false, `strict send refused (${err.code}): ${detail}`);
      this.hooks.pause(rt.id, 'mm_strict_refused', `The Marketing Messages API refused a STRICT send (${err.code}): ${detail}`, false);
      this.forgetQueued(rt.id);
      return;
    }
    const cls = classifyError(err.code, err.httpStatus);
    const base = { id: row.id, code: err.code, detail, errorClass: cls, contactId: row.contact_id };
    switch (cls) {
      case 'retry_soon': {
        if (err.code === 130429) {
          this.limiter(phoneNumberId, rt.rate).throttled(now);
          this.stats.throttled++;
          // Not taken, so not a message to this person: without this the retry waited out the
          // 6-s pair interval (a run's last refused messages went out 6 s after the rest).
          this.pairGate(phoneNumberId).release(row.phone_hash);
        }
        if (row.attempts + 1 >= this.o.maxAttempts) {
          this.record(rt, { kind: 'failed', at: now, ...base });
          return;
        }
        // 131056 (pair rate): Meta advises 4^X seconds. 130429 (throughput): the message was not
        // taken; it goes back through the pacer (which keeps the rate) after 250 ms, then 2, 4, 8,
        // 16 s. A 1-s first wait only left a tail of a few retried messages after a campaign's end.
        // Others: exponential with jitter.
        // 80007 / 613 / 4 / 17 (rate limits of the WABA, the app or the endpoint): the table says
        // back off slowly — minutes, up to an hour — or every retry only hits the same limit.
        const delay =
          err.code === 131056
            ? 4 ** Math.min(6, row.attempts + 1) * 1000
            : err.code === 130429
              ? Math.min(this.o.backoffCapMs, row.attempts === 0 ? 250 : 1000 * 2 ** row.attempts) * (1 + Math.random() / 4)
              : backoffFor(err.code, err.httpStatus) === 'slow'
                ? Math.min(SLOW_BACKOFF_CAP_MS, SLOW_BACKOFF_BASE_MS * 2 ** row.attempts) * (0.75 + Math.random() / 4)
                : Math.min(this.o.backoffCapMs, this.o.backoffBaseMs * 2 ** row.attempts) * (0.5 + Math.random() / 2);
        this.stats.retried++;
        this.record(rt, { kind: 'retry', notBefore: Math.ceil(now + delay), ...base });
        return;
      }
      case 'retry_after_24h':
        if (row.retries_24h < rt.retry131049) {
          this.record(rt, { kind: 'retry', notBefore: now + DAY_MS, retry24h: true, ...base });
          return;
        }
        this.record(rt, { kind: 'failed', at: now, ...base });
        return;
      case 'suppress_contact':
        this.record(rt, { kind: 'failed', at: now, ...base });
        if (row.phone || row.user_id)
          void Promise.resolve(
            this.ports.contacts.recordOptOut(row.phone ?? `bsuid:${row.user_id}`, {
              at: now,
              evidence: { code: 'send_refused', params: { error: err.code ?? '', detail } },
            }),
          ).catch((x: unknown) => this.ctx.log.error('opt-out not recorded', { error: String(x) }));
        return;
      case 'halt_campaign': {
        // Nothing was sent: the row goes back to pending and the campaign stops.
        this.record(rt, { kind: 'retry', notBefore: now, ...base });
        const reason: PauseReason =
          err.code === 132015 ? 'template_paused' : err.code === 132016 ? 'template_disabled' : 'template_missing';
        this.hooks.pause(rt.id, reason, `The API refused the template (${err.code}): ${detail}`, err.code === 132015);
        this.forgetQueued(rt.id);
        return;
      }
      case 'halt_account':
        this.record(rt, { kind: 'retry', notBefore: now, ...base });
        // The account page, `canSend()` and Resume must know what the sender just learned (an
        // expired token, a restriction), as they would from a management call.
        this.ports.account.noteSendError?.(err);
        this.blocker = { at: -Infinity, value: null };
        this.hooks.pause(null, 'account_halted', `The API stopped sending (${err.code ?? `HTTP ${err.httpStatus}`}): ${detail}`, false);
        this.queue = [];
        return;
      default:
        this.record(rt, { kind: 'failed', at: now, ...base });
    }
  }

  private forgetQueued(campaignId: string): void {
    this.queue = this.queue.filter((r) => r.campaign_id !== campaignId);
    const rt = this.runtimes.get(campaignId);
    if (rt) rt.state = 'paused';
  }

  /** Queues an outcome for the next batched write, and feeds the failure-rate watchdog. */
  private record(rt: CampaignRuntime, o: Outcome): void {
    if (this.abandoned) return;
    this.outcomes.push({ ...o, cid: rt.id });
    if (o.kind === 'accepted' || o.kind === 'failed') this.names.set(rt.id, { name: rt.name, template: rt.templateName });
    if (o.kind === 'failed') this.stats.failed++;
    if (o.kind === 'accepted' || o.kind === 'failed') this.noteOutcome(rt, o.kind === 'failed');
    if (this.outcomes.length >= 500) this.flush();
    else if (!this.flushTimer)
      this.flushTimer = this.ctx.clock.setTimeout(() => {
        this.flushTimer = null;
        this.flush();
      }, this.o.flushMs);
  }

  /** Failure-rate watchdog input (also fed by asynchronous failures from webhooks). */
  noteOutcome(rt: { id: string; watchdog: { failure_rate: number; window: number } } | string, failed: boolean): void {
    const r = typeof rt === 'string' ? this.runtimes.get(rt) : rt;
    if (!r) return;
    const list = this.recent.get(r.id) ?? [];
    list.push(failed);
    if (list.length > r.watchdog.window) list.shift();
    this.recent.set(r.id, list);
    if (failed && list.length >= r.watchdog.window) {
      const rate = list.filter(Boolean).length / list.length;
      if (rate > r.watchdog.failure_rate) {
        this.recent.set(r.id, []);
        this.hooks.pause(
          r.id,
          'failure_rate',
          `${Math.round(rate * 100)} % of the last ${list.length} sends failed (threshold ${Math.round(r.watchdog.failure_rate * 100)} %)`,
          false,
        );
        this.forgetQueued(r.id);
      }
    }
  }

  /** Writes queued outcomes in one transaction; each update is guarded by the state machine's rules. */
  flush(): void {
    if (this.flushTimer) {
      this.ctx.clock.clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    if (this.outcomes.length === 0 || this.abandoned) return;
    const list = this.outcomes;
    this.outcomes = [];
    const db = this.ctx.db;
    const now = this.ctx.clock.now();
    const s = this.sql;
    const touched = new Set<string>();
    const history: Parameters<NonNullable<CampaignPorts['contacts']['recordMessages']>>[0] = [];
    const note = (o: Outcome & { cid: string }, status: string, error: string | null, at: number) => {
      // The row's contact now: a merge of two contacts of one person may have moved the row while
      // its message was in flight (the contact it was claimed for is gone; its history goes to the merged one).
      const claimedFor = 'contactId' in o ? o.contactId : null;
      const contactId = claimedFor == null ? null : (this.person.contactOf(o.id) ?? null);
      const n = this.names.get(o.cid);
      if (contactId != null && n)
        history.push({ contactId, campaignId: o.cid, campaignName: n.name, template: n.template, status, error, at });
    };
    const apply = (o: Outcome & { cid: string }) => {
      switch (o.kind) {
        case 'accepted':
          // A webhook may have moved the row on already (sent/delivered): keep that, add the wamid.
          if (s.accepted.run(o.wamid, o.at, now, o.id).changes === 0) s.wamidOnly.run(o.wamid, o.at, o.id);
          note(o, 'accepted', null, o.at);
          break;
        case 'retry':
          s.retry.run(o.notBefore, o.code, o.detail, o.errorClass, o.retry24h ? 1 : 0, now, o.id);
          break;
        case 'failed':
          if (s.failed.run(o.at, o.code, o.detail, o.errorClass, now, o.id).changes)
            note(o, 'failed', `${o.code ?? ''} ${o.detail}`.trim(), o.at);
          break;
        case 'uncertain':
          s.uncertain.run(o.detail, now, o.id);
          break;
        case 'skip':
          s.skip.run(o.reason, now, o.id);
          break;
      }
    };
    try {
      db.transaction(() => {
        for (const o of list) apply(o);
        if (history.length) this.ports.contacts.recordMessages?.(history);
      })();
    } catch (e) {
      // One bad outcome must not lose the others: apply them one by one. A row whose outcome
      // cannot be written stays 'sending' and becomes 'uncertain' at the next start (never resent).
      this.ctx.log.error('writing send outcomes failed; retrying one by one', { error: String(e) });
      history.length = 0;
      for (const o of list) {
        try {
          db.transaction(() => apply(o))();
        } catch (e2) {
          this.ctx.log.error('send outcome not recorded', { row: o.id, kind: o.kind, error: String(e2) });
        }
      }
    }
    for (const o of list) touched.add(o.cid);
    for (const c of touched) this.hooks.touched(c);
    // A loop that found nothing to send sleeps until the soonest known retry, or a second: a retry
    // written after it looked would wait that second (a campaign's last messages ended seconds late).
    if (this.queue.length === 0 && list.some((o) => o.kind === 'retry')) this.wake();
  }
}

function statements(ctx: CoreContext) {
  const db = ctx.db;
  return {
    running: db.prepare(`SELECT * FROM campaigns WHERE state = 'running' ORDER BY started_at, id`),
    due: db.prepare(`SELECT id, campaign_id, contact_id, phone, user_id, phone_hash, country, tz, params, attempts, retries_24h
      FROM campaign_recipients WHERE campaign_id = ? AND state = 'pending' AND (not_before IS NULL OR not_before <= ?) ORDER BY id LIMIT ?`),
    next: db.prepare(`SELECT min(not_before) AS t FROM campaign_recipients WHERE campaign_id = ? AND state = 'pending' AND not_before > ?`),
    defer: db.prepare(`UPDATE campaign_recipients SET not_before = ?, updated_at = ? WHERE id = ? AND state = 'pending'`),
    claim: db.prepare(
      `UPDATE campaign_recipients SET state = 'sending', attempts = attempts + 1, claimed_at = ?, not_before = NULL, updated_at = ? WHERE id = ? AND state = 'pending'`,
    ),
    log: db.prepare(
      `INSERT INTO messaging_log (phone_hash, at, category, phone_number_id, campaign_id, recipient_id) VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    accepted: db.prepare(
      `UPDATE campaign_recipients SET state = 'accepted', wamid = ?, accepted_at = ?, error_code = NULL, error_detail = NULL, error_class = NULL, updated_at = ? WHERE id = ? AND state IN ('sending', 'uncertain')`,
    ),
    wamidOnly: db.prepare(
      `UPDATE campaign_recipients SET wamid = coalesce(wamid, ?), accepted_at = coalesce(accepted_at, ?) WHERE id = ? AND wamid IS NULL`,
    ),
    retry: db.prepare(
      `UPDATE campaign_recipients SET state = 'pending', not_before = ?, error_code = ?, error_detail = ?, error_class = ?, retries_24h = retries_24h + ?, updated_at = ? WHERE id = ? AND state = 'sending'`,
    ),
    failed: db.prepare(
      `UPDATE campaign_recipients SET state = 'failed', failed_at = ?, error_code = ?, error_detail = ?, error_class = ?, updated_at = ? WHERE id = ? AND state = 'sending'`,
    ),
    uncertain: db.prepare(
      `UPDATE campaign_recipients SET state = 'uncertain', error_detail = ?, updated_at = ? WHERE id = ? AND state = 'sending'`,
    ),
    skip: db.prepare(
      `UPDATE campaign_recipients SET state = 'skipped', skip_reason = ?, updated_at = ? WHERE id = ? AND state = 'pending'`,
    ),
    // The frequency cap counts messages (distinct ledger rows; a test send counts once), not attempts.
    capCount: db.prepare(`SELECT count(DISTINCT coalesce(recipient_id, -id)) AS n FROM messaging_log
      WHERE phone_hash = ? AND category = ? AND at > ? AND (campaign_id IS NULL OR campaign_id != ?)`),
  };
}
