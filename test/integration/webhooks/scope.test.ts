/**
 * Another account's webhooks: Meta delivers the events of every WABA and number the app is
 * subscribed to. Signed bodies over real HTTP into the receiver of a core connected to the
 * in-process Sandbox: only the connected WABA's events move the limit, templates, consent and the
 * send ledger; the others stay in the inbox, noted, counted and shown in webhooks:info. Value-level
 * `errors` arrays are recorded the same way.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/index';
import type { Logger } from '../../../electron/core/log';
import { SANDBOX_PHONE_NUMBER_ID, SANDBOX_WABA_ID, startSandbox, type SandboxHandle } from '../../../electron/core/sandbox/index';
import type { WebhookRunning, WebhookService } from '../../../electron/core/webhooks/service';
import { testCore } from '../../support/core';
import { signedPost } from '../../unit/webhooks/helpers';
import { ok, runUntilDone, seedContacts, utilityDraft, world, type World } from '../campaigns/helpers';

/** Meta's docs use these ids in their examples: an app subscribed to other accounts gets them. */
const FOREIGN_WABA = '102290129340398';
const FOREIGN_NUMBER = '106540352242922';
const DANA = '972502345678';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

interface Setup {
  core: Core;
  svc: WebhookService;
  sb: SandboxHandle;
  rx: WebhookRunning;
  warns: { msg: string; fields: Record<string, unknown> | undefined }[];
  /** Posts a signed body and processes the inbox; answers the new inbox row's id. */
  post(doc: unknown): Promise<number>;
  nowSeconds(): number;
}

async function connected(): Promise<Setup> {
  const warns: Setup['warns'] = [];
  const log: Logger = {
    debug() {},
    info() {},
    warn: (msg, fields) => {
      warns.push({ msg, fields });
    },
    error() {},
  };
  const core = testCore({ log });
  cleanup.push(() => core.close());
  const sb = await startSandbox({ clock: core.clock });
  cleanup.push(() => sb.close());
  await ok(
    core.call('account:connect', {
      graphUrl: sb.baseUrl,
      wabaId: SANDBOX_WABA_ID,
      phoneNumberId: SANDBOX_PHONE_NUMBER_ID,
      accessToken: sb.credentials.accessToken,
      appSecret: sb.credentials.appSecret,
    }),
  );
  const svc = core.services.webhooks;
  const rx = await svc.start({ port: 0, relay: false });
  cleanup.push(() => rx.close());
  return {
    core,
    svc,
    sb,
    rx,
    warns,
    async post(doc) {
      const r = await signedPost(rx.url, doc, sb.credentials.appSecret);
      expect(r.status).toBe(200);
      await svc.processor.drain();
      return core.db.prepare('SELECT max(id) FROM webhook_inbox').pluck().get() as number;
    },
    nowSeconds: () => Math.floor(core.clock.now() / 1000),
  };
}

const envelope = (wabaId: string | null, time: number, field: string, value: Record<string, unknown>) => ({
  object: 'whatsapp_business_account',
  entry: [{ ...(wabaId === null ? {} : { id: wabaId }), time, changes: [{ field, value }] }],
});

/** Meta's docs example of business_capability_update (the portfolio may message without limit). */
const capability = (wabaId: string, time: number) =>
  envelope(wabaId, time, 'business_capability_update', {
    max_daily_conversations_per_business: 'TIER_UNLIMITED',
    max_phone_numbers_per_business: 20,
  });

const messages = (wabaId: string | null, numberId: string, value: Record<string, unknown>) =>
  envelope(wabaId, 0, 'messages', {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: '15550783881', phone_number_id: numberId },
    ...value,
  });

const stopFrom = (wabaId: string | null, numberId: string, id: string, seconds: number) =>
  messages(wabaId, numberId, {
    contacts: [{ profile: { name: 'Dana' }, wa_id: DANA }],
    messages: [{ from: DANA, id, timestamp: String(seconds), type: 'text', text: { body: 'STOP' } }],
  });

const limit = async (c: Core) => (await ok(c.call('account:status', {}))).portfolio.messagingLimit;
const marketing = async (c: Core) => (await ok(c.call('contacts:get', { phone: `+${DANA}` }))).contact.consent.marketing;

describe('webhooks apply only to the connected account', () => {
  it('a business_capability_update of another WABA leaves our limit alone and is counted; ours applies', async () => {
    const s = await connected();
    const before = await limit(s.core);
    expect(before).toBe('TIER_2K');

    const row = await s.post(capability(FOREIGN_WABA, s.nowSeconds() + 60));
    expect(await limit(s.core)).toBe(before);
    expect(s.svc.info().ignored).toMatchObject({
      foreign: 1,
      no_account: 0,
      by_reason: { foreign_waba: 1, foreign_number: 0, no_account: 0 },
      last: { reason: 'foreign_waba', id: FOREIGN_WABA },
    });
    // Kept in the inbox (processed, with the reason), not failed or retried.
    expect(s.svc.inbox.counts()).toMatchObject({ pending: 0, failed: 0 });
    expect(s.svc.inbox.note(row)).toBe(`ignored: foreign_waba ${FOREIGN_WABA} (business_capability)`);
    expect(s.svc.info().last_error).toBeNull();

    // Meta's retry of the same body is a duplicate, not a second ignored event; another event of
    // the same foreign WABA is counted, but logged only the first time.
    await s.post(capability(FOREIGN_WABA, s.nowSeconds() + 60));
    await s.post(
      envelope(FOREIGN_WABA, s.nowSeconds() + 61, 'account_update', { event: 'DISABLED_UPDATE', ban_info: { waba_ban_state: 'DISABLE' } }),
    );
    expect(s.svc.info().ignored.foreign).toBe(2);
    expect(s.warns.filter((w) => w.msg.includes('another account'))).toEqual([
      {
        msg: expect.any(String),
        fields: expect.objectContaining({ reason: 'foreign_waba', id: FOREIGN_WABA, connectedWaba: SANDBOX_WABA_ID }),
      },
    ]);
    expect((await ok(s.core.call('account:status', {}))).canSend).toBe(true);

    await s.post(capability(SANDBOX_WABA_ID, s.nowSeconds() + 120));
    expect(await limit(s.core)).toBe('TIER_UNLIMITED');
    expect(s.svc.info().ignored.foreign).toBe(2);
  });

  it('template updates of another WABA do not touch our templates', async () => {
    const s = await connected();
    const { templates } = s.core.services;
    const t = templates.getTemplate('spring_sale', 'en_US')!;
    expect(t.status).toBe('APPROVED');
    const update = (wabaId: string) =>
      envelope(wabaId, s.nowSeconds() + 60, 'message_template_status_update', {
        event: 'PAUSED',
        message_template_id: Number(t.id),
        message_template_name: 'spring_sale',
        message_template_language: 'en_US',
        reason: null,
      });
    await s.post(update(FOREIGN_WABA));
    await s.post(
      envelope(FOREIGN_WABA, s.nowSeconds() + 61, 'message_template_quality_update', {
        previous_quality_score: 'GREEN',
        new_quality_score: 'RED',
        message_template_id: Number(t.id),
        message_template_name: 'spring_sale',
        message_template_language: 'en_US',
      }),
    );
    expect(templates.getTemplate('spring_sale', 'en_US')).toMatchObject({ status: 'APPROVED', quality: t.quality });
    expect(s.svc.info().ignored.by_reason.foreign_waba).toBe(2);
    await s.post(update(SANDBOX_WABA_ID));
    expect(templates.getTemplate('spring_sale', 'en_US')!.status).toBe('PAUSED');
  });

  it("a STOP (or a preference) from a foreign number's customer does not opt out our contact with the same phone", async () => {
    const s = await connected();
    s.core.db.prepare("INSERT INTO contacts (phone, name, country, created_at, updated_at) VALUES (?, 'Dana', 'IL', 1, 1)").run(`+${DANA}`);
    await ok(s.core.call('contacts:opt-in', { contact: { phone: `+${DANA}` }, category: 'marketing', source: 'paper form' }));
    const later = s.nowSeconds() + 60;

    await s.post(stopFrom(FOREIGN_WABA, FOREIGN_NUMBER, 'wamid.F1', later));
    // An entry without its WABA id is judged by the number: not one of ours.
    const row = await s.post(stopFrom(null, FOREIGN_NUMBER, 'wamid.F2', later));
    await s.post(
      envelope(FOREIGN_WABA, later, 'user_preferences', {
        messaging_product: 'whatsapp',
        metadata: { display_phone_number: '15550783881', phone_number_id: FOREIGN_NUMBER },
        contacts: [{ wa_id: DANA }],
        user_preferences: [
          {
            wa_id: DANA,
            detail: 'User requested to stop marketing messages',
            category: 'marketing_messages',
            value: 'stop',
            timestamp: later,
          },
        ],
      }),
    );
    expect(await marketing(s.core)).toBe('opted_in');
    expect(s.svc.inbox.note(row)).toBe(`ignored: foreign_number ${FOREIGN_NUMBER} (message)`);
    expect(s.svc.info().ignored.by_reason).toEqual({ foreign_waba: 2, foreign_number: 1, no_account: 0 });
    // Not even a 24-hour window was opened by the foreign customer's message.
    expect(s.svc.serviceWindow(`+${DANA}`)).toBeNull();

    // The same STOP to our number (an entry without an id but with our number is ours too).
    await s.post(stopFrom(null, SANDBOX_PHONE_NUMBER_ID, 'wamid.O1', later));
    expect(await marketing(s.core)).toBe('opted_out');
  });

  it('with no account connected, account events are kept but not applied; connecting again applies new ones', async () => {
    const s = await connected();
    await ok(s.core.call('account:disconnect', {}));
    await s.post(capability(SANDBOX_WABA_ID, s.nowSeconds() + 60));
    expect(s.svc.info().ignored).toMatchObject({ foreign: 0, no_account: 1, last: { reason: 'no_account', id: SANDBOX_WABA_ID } });

    // The webhook service existed before this connect: the account tells it whose events are ours now.
    await ok(
      s.core.call('account:connect', {
        graphUrl: s.sb.baseUrl,
        wabaId: SANDBOX_WABA_ID,
        phoneNumberId: SANDBOX_PHONE_NUMBER_ID,
        accessToken: s.sb.credentials.accessToken,
      }),
    );
    expect(await limit(s.core)).toBe('TIER_2K');
    await s.post(capability(SANDBOX_WABA_ID, s.nowSeconds() + 120));
    expect(await limit(s.core)).toBe('TIER_UNLIMITED');
  });
});

describe('value-level errors', () => {
  it('are recorded (audit log, inbox note, webhooks:info), once per event', async () => {
    const s = await connected();
    const errors = [
      {
        code: 131000,
        title: 'Something went wrong',
        message: 'Something went wrong',
        error_data: { details: 'Unknown error' },
        href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
      },
    ];
    const body = {
      ...messages(SANDBOX_WABA_ID, SANDBOX_PHONE_NUMBER_ID, { errors }),
      entry: [{ ...messages(SANDBOX_WABA_ID, SANDBOX_PHONE_NUMBER_ID, { errors }).entry[0], time: s.nowSeconds() }],
    };
    const row = await s.post(body);
    expect(s.svc.inbox.note(row)).toBe('value errors: #131000 Something went wrong');
    expect(s.svc.info().value_errors).toEqual({
      count: 1,
      last: { code: 131000, title: 'Something went wrong', message: 'Something went wrong', field: 'messages', at: s.nowSeconds() * 1000 },
    });
    const audit = s.core.db.prepare("SELECT actor, detail FROM audit_log WHERE action = 'webhook.value_error'").all() as {
      actor: string;
      detail: string;
    }[];
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({
      code: 131000,
      details: 'Unknown error',
      waba_id: SANDBOX_WABA_ID,
      phone_number_id: SANDBOX_PHONE_NUMBER_ID,
    });
    expect(s.warns.some((w) => w.msg === 'webhook value error')).toBe(true);

    await s.post(body); // Meta's retry
    await s.post(
      envelope(SANDBOX_WABA_ID, s.nowSeconds() + 5, 'account_alerts', {
        errors: [{ code: 131042, title: 'Business eligibility payment issue' }],
      }),
    );
    expect(s.svc.info().value_errors).toMatchObject({
      count: 2,
      last: { code: 131042, title: 'Business eligibility payment issue', field: 'account_alerts' },
    });
    // Another WABA's errors are not ours: ignored like its other events.
    await s.post(messages(FOREIGN_WABA, FOREIGN_NUMBER, { errors }));
    expect(s.svc.info().value_errors.count).toBe(2);
    expect(s.svc.info().ignored.foreign).toBe(1);
  });
});

describe('the send ledger', () => {
  let w: World | null = null;
  afterEach(async () => {
    await w?.close();
    w = null;
  });

  it('a status for a foreign phone number does not move our ledger; ours does', async () => {
    w = await world({ webhooks: false });
    seedContacts(w.core, 1, { consent: 'utility' });
    const c = await ok(w.core.call('campaigns:create', utilityDraft()));
    await ok(w.core.call('campaigns:start', { id: c.id }));
    await runUntilDone(w, c.id);
    const row = async () => (await ok(w!.core.call('campaigns:recipients', { id: c.id, limit: 1 }))).rows[0]!;
    const sent = await row();
    expect(sent.wamid).toMatch(/^wamid\./);
    expect(sent.delivered_at).toBeNull();
    const rx = await w.core.services.webhooks.start({ port: 0, relay: false });
    const svc = w.core.services.webhooks;
    const status = (wabaId: string, numberId: string, st: string, seconds: number) =>
      messages(wabaId, numberId, {
        statuses: [{ id: sent.wamid, status: st, timestamp: String(seconds), recipient_id: sent.phone!.slice(1) }],
      });
    const post = async (doc: unknown) => {
      expect((await signedPost(rx.url, doc, w!.sandbox.credentials.appSecret)).status).toBe(200);
      await svc.processor.drain();
    };
    const t = Math.floor(Date.now() / 1000);
    await post(status(FOREIGN_WABA, FOREIGN_NUMBER, 'failed', t));
    await post(status(FOREIGN_WABA, FOREIGN_NUMBER, 'read', t + 1));
    const after = await row();
    expect(after).toMatchObject({ state: sent.state, delivered_at: null, read_at: null, failed_at: null, error_code: null });
    expect(svc.messageStatus(sent.wamid!)).toBeNull();
    expect(svc.info()).toMatchObject({ pending_match: 0, ignored: { foreign: 2 } });

    await post(status(SANDBOX_WABA_ID, SANDBOX_PHONE_NUMBER_ID, 'delivered', t + 2));
    expect((await row()).delivered_at).toBe((t + 2) * 1000);
    await rx.close();
  }, 60_000);
});
