/**
 * A model-based drill of the sending guarantees, shared by the vitest property (fixed seeds, a few
 * runs) and `npm run bench:guarantees` (more and longer runs, figures for docs/benchmarks.md).
 *
 * One run: a real core on a real SQLite file, connected to the Sandbox on 127.0.0.1 with its
 * webhooks delivered to the core's receiver; two campaigns (marketing and utility) over the same
 * contacts; then a random script of actions at random moments while they send — slow, failed,
 * dropped and accepted-then-dropped answers, 130429s, clean stops with a short grace and in-process
 * crashes (the sender dies as under kill -9: nothing more written), restarts, opt-outs from every
 * channel (keyword, button, Meta's preference, the app), erasures, number-changed holds, an
 * expired token, a paused template, a tier raise. Then everything is repaired, the campaigns run
 * to their end, and the invariants are checked against the Sandbox's own record:
 *   - nobody got the same campaign twice (0 duplicates by callback data and by template in 24 h);
 *   - no request was decided after an opt-out, erasure or hold took effect (exact: test-only TEMP
 *     triggers note the messaging log's high-water mark in the same transaction as the change), and
 *     the Sandbox received no more messages for such a person than were claimed before it;
 *   - never over the limit: unique recipients the Sandbox accepted while the tier was low stay
 *     within the usable budget, and the Sandbox counted no portfolio violation;
 *   - every recipient ends final, skipped with a reason, uncertain with its reason, or pending only
 *     while the 24-hour budget is used up — and the ledger agrees with the Sandbox both ways.
 */
import type { CampaignSummary } from '../../../shared/contract/campaigns';
import { consentCategoryOf } from '../../../electron/core/campaigns/ports';
import { phoneHasher } from '../../../electron/core/campaigns/runtime';
import type { EngineOptions } from '../../../electron/core/campaigns/service';
import { SANDBOX_PHONE_NUMBER_ID } from '../../../electron/core/sandbox/index';
import { ok, phoneOf, scenario, seedContacts, utilityDraft, world, type World } from '../campaigns/helpers';

export type FaultKind = 'none' | 'slow' | 'drop' | 'lost_after_accept' | 'error_5xx' | 'timeout';
export type OptOutChannel = 'keyword' | 'button' | 'preference' | 'app';

export type Action =
  | { kind: 'opt_out'; who: number; channel: OptOutChannel }
  | { kind: 'erase'; who: number }
  | { kind: 'hold'; who: number }
  | { kind: 'faults'; fault: FaultKind }
  | { kind: 'stop' }
  | { kind: 'crash' }
  | { kind: 'token_expired' }
  | { kind: 'template_paused' }
  | { kind: 'tier_raised' };

export interface Step {
  afterMs: number;
  action: Action;
}
export interface Script {
  contacts: number;
  steps: Step[];
}

/** Usable budget with the campaigns' 0.9 margin: TIER_250 → 25 unique recipients, TIER_2K → 200. */
const MARGIN = 0.9;
const LOW_BUDGET = 25;
const HIGH_BUDGET = 200;

export const ENGINE: EngineOptions = { stopGraceMs: 300, sendTimeoutMs: 1500, backoffBaseMs: 100, backoffCapMs: 800, tickMs: 100 };

const FAULTS: Record<FaultKind, Record<string, number>> = {
  none: { error_5xx_rate: 0, timeout_rate: 0, drop_rate: 0, slow_rate: 0 },
  // Slower than the stop's grace: a stop must record these uncertain, not "not sent".
  slow: { slow_rate: 0.4, slow_ms: 700 },
  drop: { drop_rate: 0.15, processed_on_lost_response_rate: 0 },
  lost_after_accept: { drop_rate: 0.15, processed_on_lost_response_rate: 1 },
  error_5xx: { error_5xx_rate: 0.15 },
  timeout: { timeout_rate: 0.1, timeout_ms: 0, processed_on_lost_response_rate: 0.5 },
};

export interface RunResult {
  violations: string[];
  figures: {
    sandboxAccepted: number;
    uncertain: number;
    skipped: number;
    pendingBudget: number;
    effects: number;
    restarts: number;
    crashes: number;
    ms: number;
  };
}

interface Effect {
  kind: string;
  contact_id: number;
  phone: string;
  category: string | null;
  log_max: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(pred: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await pred()) return true;
    await sleep(25);
  }
  return false;
}

/** Test-only TEMP triggers (this connection only): when each block took effect, as a messaging-log high-water mark. */
function watchEffects(w: World): void {
  const mark = `(SELECT coalesce(max(id), 0) FROM main.messaging_log)`;
  w.core.db.exec(`
    CREATE TEMP TABLE effects (kind TEXT, contact_id INTEGER, phone TEXT, category TEXT, log_max INTEGER);
    CREATE TEMP TRIGGER fx_opt_out_i AFTER INSERT ON main.consent_state WHEN NEW.state = 'opted_out' BEGIN
      INSERT INTO effects VALUES ('opt_out', NEW.contact_id, (SELECT phone FROM main.contacts WHERE id = NEW.contact_id), NEW.category, ${mark}); END;
    CREATE TEMP TRIGGER fx_opt_out_u AFTER UPDATE OF state ON main.consent_state WHEN NEW.state = 'opted_out' AND OLD.state != 'opted_out' BEGIN
      INSERT INTO effects VALUES ('opt_out', NEW.contact_id, (SELECT phone FROM main.contacts WHERE id = NEW.contact_id), NEW.category, ${mark}); END;
    CREATE TEMP TRIGGER fx_erase BEFORE DELETE ON main.contacts BEGIN
      INSERT INTO effects VALUES ('erase', OLD.id, OLD.phone, NULL, ${mark}); END;
    CREATE TEMP TRIGGER fx_hold AFTER INSERT ON main.contact_holds BEGIN
      INSERT INTO effects VALUES ('hold', NEW.contact_id, (SELECT phone FROM main.contacts WHERE id = NEW.contact_id), NULL, ${mark}); END;
  `);
}

/** By id: the drill's numbers (phoneOf) are in a range the contract's number check refuses. */
function contactIdOf(w: World, phone: string): number | null {
  return (w.core.db.prepare('SELECT id FROM contacts WHERE phone = ?').get(phone) as { id: number } | undefined)?.id ?? null;
}

function holdWebhook(w: World, phone: string): void {
  const waId = phone.replace(/\D/g, '');
  w.sandbox.sendWebhook('messages', {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: '15550001111', phone_number_id: SANDBOX_PHONE_NUMBER_ID },
    messages: [
      {
        from: waId,
        id: `wamid.hold${waId}${Date.now()}`,
        timestamp: String(Math.floor(Date.now() / 1000)),
        type: 'system',
        system: { type: 'user_changed_number', body: `User ${waId} changed to a new number`, wa_id: '972529999999' },
      },
    ],
  });
}

export async function runScript(script: Script, log: (s: string) => void = () => undefined): Promise<RunResult> {
  const t0 = Date.now();
  const violations: string[] = [];
  const w = await world({
    scenario: scenario({
      tier: 'TIER_250',
      mps: 30,
      delivery: { sent_delay_ms: [10, 60], delivered_delay_ms: [10, 80], read_delay_ms: [50, 200], failed_delay_ms: [10, 60] },
    }),
  });
  let restarts = 0;
  let crashes = 0;
  let tierRaisedAt: number | null = null;
  try {
    watchEffects(w);
    seedContacts(w.core, script.contacts, { consent: 'marketing' });
    const marketing = await ok(
      w.core.call(
        'campaigns:create',
        utilityDraft({
          name: 'Model marketing',
          template: { name: 'spring_sale', language: 'en_US' },
          params: { first_name: 'first_name|"friend"', discount: '"20%"', end_date: '"April 30"' },
          header_media: { link: 'https://example.test/tent.jpg' },
          options: { rate: 40, margin: MARGIN, watchdog: { failure_rate: 0.9, window: 500 } },
        }),
      ),
    );
    const utility = await ok(
      w.core.call(
        'campaigns:create',
        utilityDraft({ name: 'Model utility', options: { rate: 40, margin: MARGIN, watchdog: { failure_rate: 0.9, window: 500 } } }),
      ),
    );
    const ids = [marketing.id, utility.id];
    for (const id of ids) await ok(w.core.call('campaigns:start', { id }));
    w.campaigns.startEngine(ENGINE);

    for (const { afterMs, action } of script.steps) {
      await sleep(afterMs);
      log(`  ${JSON.stringify(action)}`);
      const phone = 'who' in action ? phoneOf(action.who % script.contacts) : '';
      switch (action.kind) {
        case 'opt_out':
          if (action.channel === 'keyword') w.sandbox.sendInbound({ from: phone, kind: 'stop_text' });
          else if (action.channel === 'button') w.sandbox.sendInbound({ from: phone, kind: 'stop_button' });
          else if (action.channel === 'preference') w.sandbox.setUserPreference(phone.replace(/\D/g, ''), 'stop');
          else {
            const id = contactIdOf(w, phone);
            if (id !== null) await ok(w.core.call('contacts:opt-out', { contact: { id }, category: 'all', reason: 'asked by phone' }));
          }
          break;
        case 'erase': {
          const id = contactIdOf(w, phone);
          if (id !== null) await ok(w.core.call('contacts:delete', { id }));
          break;
        }
        case 'hold':
          holdWebhook(w, phone);
          break;
        case 'faults':
          w.sandbox.setFaults(FAULTS[action.fault]);
          break;
        case 'stop':
          await w.campaigns.stopEngine();
          restarts++;
          w.campaigns.startEngine(ENGINE);
          break;
        case 'crash':
          w.campaigns.abandonEngine();
          crashes++;
          w.campaigns.startEngine(ENGINE);
          break;
        case 'token_expired':
          w.sandbox.setTokenState('expired');
          break;
        case 'template_paused':
          w.sandbox.setTemplateStatus('spring_sale', 'en_US', 'PAUSED', 'FIRST_PAUSE');
          break;
        case 'tier_raised':
          tierRaisedAt ??= Date.now();
          w.sandbox.setMessagingLimit('TIER_2K');
          // Pacer learns the tier by webhook; the drain below must not end before it knows.
          if (!(await until(() => w.campaigns.ports.account.messagingLimit() === 'TIER_2K', 5_000)))
            violations.push('the raised tier never reached the account');
          break;
      }
    }

    // Repair everything, then let the campaigns finish.
    w.sandbox.setFaults(FAULTS.none);
    w.sandbox.setTemplateStatus('spring_sale', 'en_US', 'APPROVED');
    const blocked = () => w.campaigns.ports.account.sendBlocker();
    if (blocked()) {
      // Resume is refused with the reason while the account cannot send.
      const paused = ids.map((id) => w.campaigns.get(id)).filter((c) => c.state === 'paused' && c.pause_reason === 'account_halted');
      for (const c of paused) {
        const r = await w.core.call('campaigns:resume', { id: c.id });
        if (r.ok) violations.push(`resume of ${c.id} was accepted while the account could not send (${blocked()})`);
      }
    }
    w.sandbox.setTokenState('valid');
    await w.core.call('account:refresh', {});
    if (blocked()) violations.push(`the account still cannot send after the token was repaired: ${blocked()}`);
    // Drained: every webhook the Sandbox sent is processed, and the campaigns are finished or wait
    // only for the 24-hour budget — steadily, not for one look.
    const unprocessed = w.core.db.prepare(`SELECT count(*) AS n FROM webhook_inbox WHERE state = 'pending'`);
    let steadySince: number | null = null;
    const drained = await until(async () => {
      for (const id of ids) {
        const c = w.campaigns.get(id);
        if (c.state === 'paused' && c.pause_reason !== 'template_paused') await w.core.call('campaigns:resume', { id });
      }
      await w.sandbox.webhooksIdle();
      const states = ids.map((id) => w.campaigns.get(id));
      const done =
        !states.some((c) => c.state === 'paused' || c.state === 'scheduled') &&
        (states.every((c) => c.state === 'completed') || w.campaigns.isIdle()) &&
        (unprocessed.get() as { n: number }).n === 0;
      if (!done) {
        steadySince = null;
        return false;
      }
      steadySince ??= Date.now();
      // Longer than the sender's 1-s look at a budget that may have grown.
      return Date.now() - steadySince >= 1500;
    }, 30_000);
    if (!drained) violations.push(`campaigns did not finish: ${JSON.stringify(ids.map((id) => summaryOf(w.campaigns.get(id))))}`);
    await w.campaigns.stopEngine();
    await sleep(150);
    await w.sandbox.webhooksIdle();
    await sleep(150);

    const figures = check(w, ids, tierRaisedAt, violations);
    return { violations, figures: { ...figures, restarts, crashes, ms: Date.now() - t0 } };
  } finally {
    await w.close();
  }
}

const summaryOf = (c: CampaignSummary) => ({ id: c.id, state: c.state, pause_reason: c.pause_reason, counts: c.counts });

function check(
  w: World,
  campaignIds: string[],
  tierRaisedAt: number | null,
  violations: string[],
): Omit<RunResult['figures'], 'restarts' | 'crashes' | 'ms'> {
  const db = w.core.db;
  const hash = phoneHasher(db);
  const stats = w.sandbox.stats();
  const messages = w.sandbox.messages();

  // 1. Never twice.
  if (stats.duplicates.same_callback_data) violations.push(`${stats.duplicates.same_callback_data} duplicate callback data at the Sandbox`);
  if (stats.duplicates.same_template_24h)
    violations.push(`${stats.duplicates.same_template_24h} same template to one person within 24 h at the Sandbox`);

  // 2. Never after an opt-out, erasure or hold took effect.
  const effects = db.prepare('SELECT * FROM temp.effects').all() as Effect[];
  if (process.env.PACER_MODEL_DEBUG) {
    console.log(
      JSON.stringify({
        effects,
        skipped: db.prepare(`SELECT campaign_id, contact_id, skip_reason FROM campaign_recipients WHERE state = 'skipped'`).all(),
      }),
    );
  }
  const logRows = db.prepare('SELECT id, phone_hash, category FROM messaging_log').all() as {
    id: number;
    phone_hash: string;
    category: string | null;
  }[];
  const applies = (e: Effect, category: string | null) => e.category === null || consentCategoryOf(category) === e.category;
  for (const e of effects) {
    const h = hash(e.phone);
    const after = logRows.filter((l) => l.phone_hash === h && l.id > e.log_max && applies(e, l.category));
    if (after.length) violations.push(`${after.length} send(s) decided after ${e.kind} (${e.category ?? 'all'}) of ${e.phone} took effect`);
    const before = logRows.filter((l) => l.phone_hash === h && l.id <= e.log_max && applies(e, l.category)).length;
    const received = messages.filter((m) => `+${m.wa_id}` === e.phone && applies(e, m.template?.category ?? null)).length;
    if (received > before)
      violations.push(
        `the Sandbox received ${received} message(s) for ${e.phone} after ${e.kind}, but only ${before} were claimed before it`,
      );
  }

  // 3. Never over the limit.
  if (stats.limits.portfolio_violations) violations.push(`${stats.limits.portfolio_violations} portfolio limit violations at the Sandbox`);
  const lowPhase = messages.filter((m) => tierRaisedAt === null || m.accepted_at < tierRaisedAt);
  const uniqueLow = new Set(lowPhase.map((m) => m.wa_id)).size;
  if (uniqueLow > LOW_BUDGET) violations.push(`${uniqueLow} unique recipients accepted on TIER_250 (usable budget ${LOW_BUDGET})`);
  const uniqueAll = new Set(messages.map((m) => m.wa_id)).size;
  if (uniqueAll > HIGH_BUDGET) violations.push(`${uniqueAll} unique recipients accepted (usable budget ${HIGH_BUDGET})`);

  // 4. Every recipient accounted for; the ledger agrees with the Sandbox both ways.
  const rows = db
    .prepare(`SELECT id, campaign_id, state, skip_reason, error_detail, wamid FROM campaign_recipients WHERE campaign_id IN (?, ?)`)
    .all(...campaignIds) as {
    id: number;
    campaign_id: string;
    state: string;
    skip_reason: string | null;
    error_detail: string | null;
    wamid: string | null;
  }[];
  const budgetWait = w.campaigns.isIdle();
  let pendingBudget = 0;
  for (const r of rows) {
    if (r.state === 'sending') violations.push(`row ${r.id} left 'sending'`);
    if (r.state === 'skipped' && !r.skip_reason) violations.push(`row ${r.id} skipped without a reason`);
    if (r.state === 'uncertain' && !r.error_detail) violations.push(`row ${r.id} uncertain without a reason`);
    if (r.state === 'pending') {
      pendingBudget++;
      if (!budgetWait) violations.push(`row ${r.id} still pending while the sender is not waiting for the budget`);
    }
    // An erased person's message id is replaced by its erased form (privacy/store/erase-wamids.ts):
    // that row is matched to the Sandbox by the ledger id it sent as callback data instead.
    const atSandbox = r.wamid?.startsWith('erased.')
      ? messages.some((m) => m.biz_opaque_callback_data === `pacer:${r.id}`)
      : !!r.wamid && w.sandbox.messageStatus(r.wamid) !== undefined;
    if (['accepted', 'sent', 'delivered', 'read'].includes(r.state) && !atSandbox) {
      violations.push(`row ${r.id} is ${r.state} but the Sandbox has no message ${r.wamid}`);
    }
  }
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const m of messages) {
    const id = Number(/^pacer:(\d+)$/.exec(m.biz_opaque_callback_data ?? '')?.[1]);
    const r = byId.get(id);
    if (!r) {
      violations.push(`the Sandbox accepted ${m.wamid} for no ledger row (${m.biz_opaque_callback_data})`);
      continue;
    }
    if (r.state === 'pending' || r.state === 'skipped')
      violations.push(`row ${r.id} is ${r.state} but the Sandbox accepted ${m.wamid} for it`);
    if (r.state === 'failed' && m.outcome.kind !== 'failed') violations.push(`row ${r.id} is failed but the Sandbox delivered ${m.wamid}`);
  }
  return {
    sandboxAccepted: messages.length,
    uncertain: rows.filter((r) => r.state === 'uncertain').length,
    skipped: rows.filter((r) => r.state === 'skipped').length,
    pendingBudget,
    effects: effects.length,
  };
}
