import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../electron/core/clock';
import {
  SANDBOX_APP_SECRET,
  SANDBOX_PHONE_NUMBER_ID,
  SANDBOX_PHONE_NUMBER_IDS,
  SANDBOX_RECIPIENTS,
  SANDBOX_WABA_ID,
  startSandbox,
  type SandboxHandle,
  type SandboxOptions,
} from '../../../electron/core/sandbox';
import { graph, orderUpdate, send, templateSend } from './helpers';
import { startReceiver, validSignature } from './receiver';

let sb: SandboxHandle | undefined;
let rx: Awaited<ReturnType<typeof startReceiver>> | undefined;
let clock: FakeClock;
afterEach(async () => {
  await sb?.close();
  await rx?.close();
  sb = undefined;
  rx = undefined;
});
const HOUR = 3600_000;

async function start(o: SandboxOptions & { statuses?: number[] } = {}) {
  rx = await startReceiver({ statuses: o.statuses, verifyToken: 'vt' });
  clock = new FakeClock();
  sb = await startSandbox({ clock, webhookUrl: rx.url, ...o });
  return sb;
}
/** Advances the fake clock and waits for the resulting POSTs to land. */
async function advance(ms: number) {
  await clock.advance(ms);
  await sb!.webhooksIdle();
}

const saleZh = (to: string) =>
  templateSend(to, 'spring_sale', 'zh_TW', [
    { type: 'header', parameters: [{ type: 'image', image: { link: 'https://example.com/sale.jpg' } }] },
    {
      type: 'body',
      parameters: [
        { type: 'text', parameter_name: 'first_name', text: '小明' },
        { type: 'text', parameter_name: 'discount', text: '八折' },
        { type: 'text', parameter_name: 'end_date', text: '4月30日' },
      ],
    },
    { type: 'button', sub_type: 'quick_reply', index: '1', parameters: [{ type: 'payload', payload: 'STOP_PROMO' }] },
  ]);

describe('sandbox: webhooks', () => {
  it('signs every POST with X-Hub-Signature-256 over the raw body (checked independently)', async () => {
    await start();
    await send(sb!, orderUpdate('+972541234567'));
    await advance(15 * 60_000);
    expect(rx!.received.length).toBeGreaterThan(0);
    for (const r of rx!.received) {
      expect(r.headers['content-type']).toMatch(/application\/json/);
      expect(validSignature(r.raw, r.headers['x-hub-signature-256'], SANDBOX_APP_SECRET)).toBe(true);
      expect(validSignature(r.raw, r.headers['x-hub-signature-256'], 'wrong-secret')).toBe(false);
    }
  });

  it('status envelope: sent → delivered (with pricing) → read, biz_opaque_callback_data echoed', async () => {
    await start();
    sb!.upsertUser({ phone: '+972541234567', reads: true });
    const r = await send(sb!, orderUpdate('+972541234567', { biz_opaque_callback_data: 'camp-7:row-3' }));
    const wamid = r.body.messages[0].id;
    await advance(1000 * 60 * 15);
    const env = rx!.received[0]!.json;
    expect(env.object).toBe('whatsapp_business_account');
    expect(env.entry[0].id).toBe(SANDBOX_WABA_ID);
    expect(env.entry[0].changes[0].field).toBe('messages');
    expect(env.entry[0].changes[0].value.messaging_product).toBe('whatsapp');
    expect(env.entry[0].changes[0].value.metadata).toEqual({
      display_phone_number: '15550100100',
      phone_number_id: SANDBOX_PHONE_NUMBER_ID,
    });
    // POSTs are concurrent (as Meta's), so arrival order is not guaranteed: order by event rank.
    const rank = ['sent', 'delivered', 'read'];
    const statuses = rx!.statuses().sort((a: { status: string }, b: { status: string }) => rank.indexOf(a.status) - rank.indexOf(b.status));
    expect(statuses.map((s: { status: string }) => s.status)).toEqual(['sent', 'delivered', 'read']);
    const sentOrder = sb!
      .webhookLog({ field: 'messages' })
      .sort((a, b) => a.first_sent_at! - b.first_sent_at!)
      .map((e) => e.summary.split(' ')[0]);
    expect(sentOrder).toEqual(['statuses:sent', 'statuses:delivered', 'statuses:read']);
    for (const s of statuses) {
      expect(s).toMatchObject({
        id: wamid,
        recipient_id: '972541234567',
        biz_opaque_callback_data: 'camp-7:row-3',
        timestamp: expect.stringMatching(/^\d+$/),
      });
    }
    expect(statuses[1].pricing).toEqual({ billable: true, pricing_model: 'PMP', type: 'regular', category: 'utility' });
    expect(statuses[0].pricing).toBeUndefined();
    expect(statuses[0].conversation).toBeUndefined(); // v24+: no conversation object
    expect(Number(statuses[0].timestamp)).toBeLessThanOrEqual(Number(statuses[1].timestamp));
    expect(sb!.stats().statuses).toMatchObject({ sent: 1, delivered: 1, read: 1 });
  });

  it('v23 and older sends carry the conversation object', async () => {
    await start();
    await send(sb!, orderUpdate('+972541234567'), SANDBOX_PHONE_NUMBER_ID, 'v23.0');
    await advance(10_000);
    const sent = rx!.statuses().find((s: { status: string }) => s.status === 'sent');
    expect(sent.conversation).toMatchObject({
      id: expect.any(String),
      expiration_timestamp: expect.stringMatching(/^\d+$/),
      origin: { type: 'utility' },
    });
  });

  it("failed statuses carry Meta's error object", async () => {
    await start();
    await send(sb!, orderUpdate(SANDBOX_RECIPIENTS.undeliverable));
    await advance(10_000);
    const [failed] = rx!.statuses();
    expect(failed).toMatchObject({ status: 'failed', recipient_id: SANDBOX_RECIPIENTS.undeliverable.slice(1) });
    expect(failed.errors).toEqual([
      {
        code: 131026,
        title: 'Message undeliverable',
        message: 'Message undeliverable',
        error_data: { details: expect.any(String) },
        href: expect.stringContaining('error-codes'),
      },
    ]);
    expect(failed.pricing).toBeUndefined();
  });

  it('retries non-200 answers with backoff until a 200', async () => {
    await start({ statuses: [500, 503, 404] });
    const inbound = () => rx!.received.filter((r) => r.json.entry[0].changes[0].field === 'messages');
    sb!.sendInbound({ from: '+972541234567', kind: 'text', text: 'hi' });
    await advance(0);
    expect(inbound()).toHaveLength(1);
    await advance(4_999);
    expect(inbound()).toHaveLength(1); // first retry after 5 s
    await advance(1);
    expect(inbound()).toHaveLength(2);
    await advance(15_000);
    expect(inbound()).toHaveLength(3);
    await advance(60_000);
    expect(inbound()).toHaveLength(4); // answered 200
    await advance(24 * HOUR);
    expect(inbound()).toHaveLength(4);
    expect(inbound().every((r) => r.raw.equals(inbound()[0]!.raw))).toBe(true);
    const log = sb!.webhookLog({ field: 'messages' });
    expect(log[0]).toMatchObject({ state: 'delivered', attempts: 4, last_status: 200 });
    expect(sb!.stats().webhooks).toMatchObject({ attempts: 5, failed_attempts: 3, retries: 3 }); // + the scheduled unpause webhook
  });

  it('gives up after the retry age (7 days by default)', async () => {
    await start({ statuses: Array(100).fill(500) });
    sb!.sendInbound({ from: '+972541234567', kind: 'text' });
    // Real HTTP happens between fake-clock steps, so walk time in steps the retries can follow.
    for (let i = 0; i < 24; i++) await advance(6 * HOUR);
    expect(sb!.webhookLog({ field: 'messages' })[0]!.state).toBe('pending');
    for (let i = 0; i < 16; i++) await advance(6 * HOUR);
    const entry = sb!.webhookLog({ field: 'messages' })[0]!;
    expect(entry.state).toBe('gave_up');
    expect(entry.attempts).toBeGreaterThan(8);
    expect(entry.last_status).toBe(500);
  });

  it('duplicates and out-of-order delivery when the scenario asks for them', async () => {
    rx = await startReceiver();
    clock = new FakeClock();
    sb = await startSandbox({
      clock,
      webhookUrl: rx.url,
      scenario: {
        ...(await import('../../../electron/core/sandbox')).DEFAULT_SCENARIO,
        webhooks: { duplicate_rate: 1, out_of_order_rate: 1 },
        delivery: { read_rate: 1 },
      },
    });
    const r = await send(sb, orderUpdate('+972541234567'));
    await advance(20 * 60_000);
    expect(rx.statuses()).toHaveLength(6); // sent, delivered, read — each twice
    const order = sb
      .webhookLog({ field: 'messages' })
      .sort((a, b) => a.first_sent_at! - b.first_sent_at! || a.seq - b.seq)
      .map((e) => e.summary.split(' ')[0]!.replace('statuses:', ''));
    expect(order).toHaveLength(6);
    expect(new Set(order)).toEqual(new Set(['sent', 'delivered', 'read']));
    const firstSeen = [...new Set(order)];
    expect(firstSeen).not.toEqual(['sent', 'delivered', 'read']); // one adjacent pair swapped
    expect(sb.stats().webhooks.duplicates).toBe(3);
    // the sandbox's own state follows event order, not delivery order
    expect(sb.messageStatus(r.body.messages[0].id)).toBe('read');
  });

  it('template quality RED pauses 3 h, then 6 h, then disables (status + quality webhooks)', async () => {
    await start();
    const orderStatus = () =>
      rx!
        .changes('message_template_status_update')
        .filter((v: { message_template_name: string }) => v.message_template_name === 'order_update');
    sb!.setTemplateQuality('order_update', 'en_US', 'RED');
    await advance(0);
    expect(rx!.changes('message_template_quality_update')[0]).toEqual({
      previous_quality_score: 'GREEN',
      new_quality_score: 'RED',
      message_template_id: 5000000000000001,
      message_template_name: 'order_update',
      message_template_language: 'en-US',
    });
    let status = orderStatus();
    expect(status[0]).toMatchObject({
      event: 'PAUSED',
      message_template_name: 'order_update',
      reason: 'NONE',
      message_template_category: 'UTILITY',
      other_info: { title: 'FIRST_PAUSE' },
    });
    expect((await send(sb!, orderUpdate('+972541234567'))).body.error.code).toBe(132015);
    await advance(3 * HOUR - 1);
    expect((await send(sb!, orderUpdate('+972541234567'))).body.error.code).toBe(132015);
    await advance(1);
    status = orderStatus();
    expect(status[1]).toMatchObject({ event: 'APPROVED', other_info: { title: 'UNPAUSE' } });
    expect((await send(sb!, orderUpdate('+972541234567'))).status).toBe(200);
    sb!.setTemplateQuality('order_update', 'en_US', 'RED');
    await advance(0);
    expect(orderStatus()[2]).toMatchObject({ event: 'PAUSED', other_info: { title: 'SECOND_PAUSE' } });
    await advance(6 * HOUR);
    expect(orderStatus()[3]).toMatchObject({ event: 'APPROVED' });
    sb!.setTemplateQuality('order_update', 'en_US', 'RED');
    await advance(0);
    expect(orderStatus()[4]).toMatchObject({ event: 'DISABLED', disable_info: { disable_date: expect.any(Number) } });
    await advance(24 * HOUR);
    expect((await send(sb!, orderUpdate('+972541234568'))).body.error.code).toBe(132016);
  });

  it("the scenario's PAUSED template unpauses by itself after 3 h", async () => {
    await start();
    await advance(3 * HOUR);
    expect(rx!.changes('message_template_status_update')).toContainEqual(
      expect.objectContaining({ event: 'APPROVED', message_template_name: 'winter_clearance' }),
    );
    const r = await send(
      sb!,
      templateSend('+972541234567', 'winter_clearance', 'en_US', [{ type: 'body', parameters: [{ type: 'text', text: '50%' }] }]),
    );
    expect(r.status).toBe(200);
  });

  it('template status changes (REJECTED with reason, APPROVED) reach the webhook and the API', async () => {
    await start();
    sb!.setTemplateStatus('loyalty_points', 'en_US', 'REJECTED', 'PROMOTIONAL');
    await advance(0);
    expect(rx!.changes('message_template_status_update')[0]).toMatchObject({
      event: 'REJECTED',
      reason: 'PROMOTIONAL',
      message_template_id: 5000000000000010,
    });
    const t = await graph(sb!, 'GET', '/v24.0/5000000000000010?fields=status,rejected_reason');
    expect(t.body).toEqual({ status: 'REJECTED', rejected_reason: 'PROMOTIONAL', id: '5000000000000010' });
  });

  it('limit changes: business_capability_update and phone_number_quality_update per number', async () => {
    await start();
    sb!.setMessagingLimit('TIER_10K');
    await advance(0);
    expect(rx!.changes('business_capability_update')[0]).toMatchObject({ max_daily_conversations_per_business: 10000 });
    const pq = rx!.changes('phone_number_quality_update');
    expect(pq).toHaveLength(3);
    expect(pq[0]).toMatchObject({ display_phone_number: '15550100100', event: 'UPGRADE', current_limit: 'TIER_10K', old_limit: 'TIER_2K' });
    const phone = await graph(sb!, 'GET', `/v24.0/${SANDBOX_PHONE_NUMBER_ID}?fields=whatsapp_business_manager_messaging_limit`);
    expect(phone.body.whatsapp_business_manager_messaging_limit).toBe('TIER_10K');
    sb!.setPhoneNumber(SANDBOX_PHONE_NUMBER_ID, { throughput_level: 'HIGH' });
    sb!.setPhoneNumber(SANDBOX_PHONE_NUMBER_ID, { quality_rating: 'RED' });
    await advance(0);
    expect(
      rx!
        .changes('phone_number_quality_update')
        .slice(3)
        .map((v: { event: string }) => v.event),
    ).toEqual(['THROUGHPUT_UPGRADE', 'FLAGGED']);
  });

  it("inbound text, button and interactive replies have Meta's message shape", async () => {
    await start();
    const sent = await send(sb!, saleZh('+886912345678'), SANDBOX_PHONE_NUMBER_IDS.tw);
    const wamid = sent.body.messages[0].id;
    sb!.sendInbound({ from: '+886912345678', kind: 'text', text: '多少錢？' });
    sb!.sendInbound({ from: '+886912345678', kind: 'button', text: '立即選購' });
    sb!.sendInbound({ from: '+886912345678', kind: 'interactive', payload: 'yes_1', text: 'Yes' });
    await advance(0);
    const values = rx!.changes('messages').filter((v: { messages?: unknown }) => v.messages);
    expect(values).toHaveLength(3);
    const byType = (t: string) => values.find((v: { messages: { type: string }[] }) => v.messages[0]!.type === t);
    expect(byType('text').contacts).toEqual([{ profile: { name: expect.any(String) }, wa_id: '886912345678' }]);
    expect(byType('text').metadata.phone_number_id).toBe(SANDBOX_PHONE_NUMBER_IDS.tw);
    expect(byType('text').messages[0]).toMatchObject({
      from: '886912345678',
      id: expect.stringMatching(/^wamid\./),
      timestamp: expect.stringMatching(/^\d+$/),
      type: 'text',
      text: { body: '多少錢？' },
    });
    expect(byType('button').messages[0]).toMatchObject({
      type: 'button',
      button: { text: '立即選購', payload: '立即選購' },
      context: { id: wamid },
    });
    expect(byType('interactive').messages[0]).toMatchObject({
      type: 'interactive',
      interactive: { type: 'button_reply', button_reply: { id: 'yes_1', title: 'Yes' } },
    });
  });

  it('STOP: quick-reply button echoes the payload set at send; texts in he/zh/en', async () => {
    await start();
    const sent = await send(sb!, saleZh('+886912345678'), SANDBOX_PHONE_NUMBER_IDS.tw);
    sb!.sendInbound({ from: '+886912345678', kind: 'stop_button' });
    sb!.sendInbound({ from: '+972541234567', kind: 'stop_text', language: 'he' });
    sb!.sendInbound({ from: '+886912345679', kind: 'stop_text', language: 'zh' });
    sb!.sendInbound({ from: '+447700900123', kind: 'stop_text', language: 'en' });
    await advance(0);
    const msgs = rx!.changes('messages').flatMap((v: { messages?: { type: string; text: { body: string } }[] }) => v.messages ?? []);
    expect(msgs.find((m) => m.type === 'button')).toMatchObject({
      button: { payload: 'STOP_PROMO', text: '停止推廣' },
      context: { id: sent.body.messages[0].id },
    });
    expect(
      msgs
        .filter((m) => m.type === 'text')
        .map((m) => m.text.body)
        .sort(),
    ).toEqual(['STOP', 'הסר', '停止'].sort());
  });

  it('scripted recipients reply after delivery: Hebrew STOP text, Chinese STOP button, preference stop → 131050', async () => {
    await start();
    await send(
      sb!,
      templateSend(SANDBOX_RECIPIENTS.stopTextHe, 'appointment_reminder', 'he', [
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'נועה' },
            { type: 'text', text: 'תל אביב' },
            { type: 'text', text: '12/05' },
          ],
        },
      ]),
      SANDBOX_PHONE_NUMBER_IDS.il,
    );
    await send(sb!, saleZh(SANDBOX_RECIPIENTS.stopButtonZh), SANDBOX_PHONE_NUMBER_IDS.tw);
    await send(
      sb!,
      templateSend(SANDBOX_RECIPIENTS.preferenceStop, 'appointment_reminder', 'he', [
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'יעל' },
            { type: 'text', text: 'חיפה' },
            { type: 'text', text: '1/1' },
          ],
        },
      ]),
      SANDBOX_PHONE_NUMBER_IDS.il,
    );
    await advance(10 * 60_000);
    const msgs = rx!.changes('messages').flatMap((v: { messages?: unknown[] }) => v.messages ?? []);
    expect(msgs).toContainEqual(
      expect.objectContaining({ from: SANDBOX_RECIPIENTS.stopTextHe.slice(1), type: 'text', text: { body: 'הסר' } }),
    );
    expect(msgs).toContainEqual(
      expect.objectContaining({
        from: SANDBOX_RECIPIENTS.stopButtonZh.slice(1),
        type: 'button',
        button: { payload: 'STOP_PROMO', text: '停止推廣' },
      }),
    );
    const prefs = rx!.changes('user_preferences');
    expect(prefs).toHaveLength(1);
    expect(prefs[0].user_preferences[0]).toMatchObject({
      wa_id: SANDBOX_RECIPIENTS.preferenceStop.slice(1),
      category: 'marketing_messages',
      value: 'stop',
      timestamp: expect.any(Number),
    });
    // after the stop, marketing to that user fails with 131050 (async)
    const body = templateSend(SANDBOX_RECIPIENTS.preferenceStop, 'spring_sale', 'he', [
      { type: 'header', parameters: [{ type: 'image', image: { link: 'https://example.com/s.jpg' } }] },
      {
        type: 'body',
        parameters: [
          { type: 'text', parameter_name: 'first_name', text: 'יעל' },
          { type: 'text', parameter_name: 'discount', text: '20%' },
          { type: 'text', parameter_name: 'end_date', text: '1/5' },
        ],
      },
    ]);
    const r = await send(sb!, body, SANDBOX_PHONE_NUMBER_IDS.il);
    await advance(10_000);
    expect(sb!.messageStatus(r.body.messages[0].id)).toBe('failed');
    expect(sb!.stats().errors_by_code.async['131050']).toBe(1);
    sb!.setUserPreference(SANDBOX_RECIPIENTS.preferenceStop, 'resume');
    await advance(0);
    expect(rx!.changes('user_preferences')[1].user_preferences[0].value).toBe('resume');
  });

  it('no webhooks when the WABA has no subscribed app; override_callback_uri is verified then used', async () => {
    await start();
    const del = await graph(sb!, 'DELETE', `/v24.0/${SANDBOX_WABA_ID}/subscribed_apps`);
    expect(del.body).toEqual({ success: true });
    expect((await graph(sb!, 'GET', `/v24.0/${SANDBOX_WABA_ID}/subscribed_apps`)).body).toEqual({ data: [] });
    sb!.sendInbound({ from: '+972541234567', kind: 'text' });
    await advance(0);
    expect(rx!.received).toHaveLength(0);
    expect(sb!.webhookLog()[0]!.state).toBe('no_url');

    const other = await startReceiver({ verifyToken: 'right' });
    try {
      const bad = await graph(sb!, 'POST', `/v24.0/${SANDBOX_WABA_ID}/subscribed_apps`, {
        override_callback_uri: other.url,
        verify_token: 'wrong',
      });
      expect(bad.body.error.code).toBe(100);
      const ok = await graph(sb!, 'POST', `/v24.0/${SANDBOX_WABA_ID}/subscribed_apps`, {
        override_callback_uri: other.url,
        verify_token: 'right',
      });
      expect(ok.body).toMatchObject({
        success: true,
        data: [{ override_callback_uri: other.url, whatsapp_business_api_data: { id: expect.any(String) } }],
      });
      sb!.sendInbound({ from: '+972541234567', kind: 'text' });
      await advance(0);
      expect(other.received).toHaveLength(1);
      expect(rx!.received).toHaveLength(0);
    } finally {
      await other.close();
    }
  });

  it('batches updates for one WABA into one POST (entry[] of many), up to batch_max', async () => {
    const { DEFAULT_SCENARIO } = await import('../../../electron/core/sandbox');
    rx = await startReceiver();
    clock = new FakeClock();
    sb = await startSandbox({
      clock,
      webhookUrl: rx.url,
      scenario: { ...DEFAULT_SCENARIO, webhooks: { batch_window_ms: 60_000, batch_max: 4 }, delivery: { read_rate: 0 } },
    });
    for (let i = 0; i < 10; i++) await send(sb, orderUpdate(`+97254123450${i}`));
    await advance(60_000);
    await advance(60_000);
    const entries = rx.received.map((r) => r.json.entry.length);
    expect(entries.reduce((a, b) => a + b, 0)).toBe(20); // 10 sent + 10 delivered
    expect(Math.max(...entries)).toBe(4);
    expect(rx.received.length).toBeLessThan(20);
    for (const r of rx.received) expect(validSignature(r.raw, r.headers['x-hub-signature-256'], SANDBOX_APP_SECRET)).toBe(true);
    expect(sb.webhookLog({ field: 'messages' }).every((e) => e.state === 'delivered' && e.batch_size >= 1)).toBe(true);
    expect(sb.stats().webhooks).toMatchObject({ generated: 20, delivered: 20, attempts: rx.received.length });
  });

  it('skip_delivered_rate: read without delivered, and pricing then rides on read', async () => {
    const { DEFAULT_SCENARIO } = await import('../../../electron/core/sandbox');
    rx = await startReceiver();
    clock = new FakeClock();
    sb = await startSandbox({
      clock,
      webhookUrl: rx.url,
      scenario: { ...DEFAULT_SCENARIO, delivery: { read_rate: 1, skip_delivered_rate: 1 } },
    });
    const r = await send(sb, orderUpdate('+972541234567'));
    await advance(20 * 60_000);
    const statuses = rx.statuses();
    expect(statuses.map((x: { status: string }) => x.status).sort()).toEqual(['read', 'sent']);
    expect(statuses.find((x: { status: string }) => x.status === 'read').pricing).toMatchObject({
      pricing_model: 'PMP',
      category: 'utility',
    });
    expect(sb.messageStatus(r.body.messages[0].id)).toBe('read');
  });

  it('template_category_update and arbitrary fields (account_update) reach the webhook', async () => {
    await start();
    sb!.setTemplateCategory('account_bonus', 'en_US', 'MARKETING');
    sb!.sendWebhook('account_update', { event: 'ACCOUNT_VIOLATION', violation_info: { violation_type: 'SCAM' } });
    await advance(0);
    expect(rx!.changes('template_category_update')[0]).toEqual({
      message_template_id: 5000000000000009,
      message_template_name: 'account_bonus',
      message_template_language: 'en-US',
      previous_category: 'UTILITY',
      new_category: 'MARKETING',
    });
    expect(rx!.changes('account_update')[0]).toEqual({ event: 'ACCOUNT_VIOLATION', violation_info: { violation_type: 'SCAM' } });
    const t = await graph(sb!, 'GET', '/v24.0/5000000000000009?fields=category,previous_category');
    expect(t.body).toMatchObject({ category: 'MARKETING', previous_category: 'UTILITY' });
  });
});

describe('sandbox: pause timers', () => {
  it("an earlier pause's timer never ends a later pause early", async () => {
    const clock = new FakeClock();
    const h = await startSandbox({ clock });
    try {
      h.setTemplateQuality('order_update', 'en_US', 'RED'); // 1st pause: 3 h
      await clock.advance(3600_000);
      h.setTemplateStatus('order_update', 'en_US', 'APPROVED'); // manual unpause after 1 h
      h.setTemplateQuality('order_update', 'en_US', 'RED'); // 2nd pause: 6 h from now
      await clock.advance(2 * 3600_000 + 1); // the 1st pause's 3 h mark passes
      const state = (await (await fetch(`${h.baseUrl}/__admin/state`)).json()) as {
        templates: { name: string; language: string; status: string }[];
      };
      expect(state.templates.find((t) => t.name === 'order_update' && t.language === 'en_US')!.status).toBe('PAUSED');
      await clock.advance(4 * 3600_000);
      const after = (await (await fetch(`${h.baseUrl}/__admin/state`)).json()) as typeof state;
      expect(after.templates.find((t) => t.name === 'order_update' && t.language === 'en_US')!.status).toBe('APPROVED');
    } finally {
      await h.close();
    }
  });
});
