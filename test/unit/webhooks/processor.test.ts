import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../electron/core/clock';
import type { ConsentChange } from '../../../electron/core/webhooks/builtin';
import type { StatusEvent } from '../../../electron/core/webhooks/events';
import type { WebhookService } from '../../../electron/core/webhooks/service';
import { messageEnvelope, statusEnvelope, testCtx, webhookService, type TestCtx } from './helpers';

const T0 = 1767600000; // unix seconds

/** A realistic set of statuses for 30 messages: sent→delivered→read, some failed, pricing on one. */
function statusSet(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < 30; i++) {
    const id = `wamid.M${i}`;
    const base = { id, recipient_id: `97254000${String(i).padStart(4, '0')}`, biz_opaque_callback_data: `send-${i}` };
    out.push({ ...base, status: 'sent', timestamp: String(T0 + i) });
    if (i % 5 === 4) {
      out.push({
        ...base,
        status: 'failed',
        timestamp: String(T0 + i + 3),
        errors: [{ code: 131049, title: 'This message was not delivered to maintain healthy ecosystem engagement.' }],
      });
      continue;
    }
    const pricing = { billable: true, pricing_model: 'PMP', type: 'regular', category: 'marketing' };
    if (i % 3 !== 0) out.push({ ...base, status: 'delivered', timestamp: String(T0 + i + 5), pricing });
    if (i % 2 === 0) out.push({ ...base, status: 'read', timestamp: String(T0 + i + 60), ...(i % 3 === 0 ? { pricing } : {}) });
  }
  return out;
}

/** Deterministic shuffle (mulberry32) so a failure can be replayed. */
function shuffle<T>(list: T[], seed: number): T[] {
  let a = seed >>> 0;
  const rnd = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

interface Outcome {
  summary: unknown[];
  keys: string[];
  handled: Record<string, number>;
  inbox: { pending: number; failed: number };
}

async function ingest(bodies: Record<string, unknown>[][], drainEvery: number): Promise<Outcome> {
  const ctx = testCtx({ clock: new FakeClock() });
  const svc = webhookService(ctx);
  const handled: Record<string, number> = {};
  svc.router.on('status', (ev) => {
    handled[ev.key] = (handled[ev.key] ?? 0) + 1;
  });
  try {
    let n = 0;
    for (const statuses of bodies) {
      svc.inbox.appendNow([{ body: Buffer.from(JSON.stringify(statusEnvelope(statuses))), source: 'direct' }]);
      if (++n % drainEvery === 0) await svc.processor.drain();
    }
    await svc.processor.drain();
    const counts = svc.inbox.counts();
    return {
      summary: ctx.db.prepare('SELECT * FROM webhook_message_status ORDER BY wamid').all(),
      keys: (ctx.db.prepare('SELECT key FROM webhook_event_keys ORDER BY key').all() as { key: string }[]).map((r) => r.key),
      handled,
      inbox: { pending: counts.pending, failed: counts.failed },
    };
  } finally {
    await ctx.close();
  }
}

describe('inbox processing', () => {
  let ctx: TestCtx | null = null;
  afterEach(async () => {
    await ctx?.close();
    ctx = null;
  });

  it('duplicates and out-of-order statuses give the same final result as in-order delivery', async () => {
    const all = statusSet();
    const inOrder = await ingest(
      all.map((s) => [s]),
      1,
    );
    expect(inOrder.keys.length).toBe(all.length);
    expect(Object.values(inOrder.handled).every((n) => n === 1)).toBe(true);

    for (const seed of [1, 2, 3, 42]) {
      // Every status twice (Meta retries), shuffled, batched 1–4 per POST, processed in chunks.
      const messy = shuffle([...all, ...all, ...all.slice(0, 10)], seed);
      const bodies: Record<string, unknown>[][] = [];
      for (let i = 0; i < messy.length;) {
        const size = 1 + ((i * 7 + seed) % 4);
        bodies.push(messy.slice(i, i + size));
        i += size;
      }
      const out = await ingest(bodies, 3 + (seed % 5));
      expect(out.summary, `seed ${seed}`).toEqual(inOrder.summary);
      expect(out.keys, `seed ${seed}`).toEqual(inOrder.keys);
      expect(out.handled, `seed ${seed}: every event handed to handlers exactly once`).toEqual(inOrder.handled);
      expect(out.inbox).toEqual({ pending: 0, failed: 0 });
    }
  });

  it('merges statuses monotonically: read implies delivered, failed after sent keeps its error, pricing kept', async () => {
    const { summary } = await ingest([statusSet()], 1);
    const byId = new Map((summary as { wamid: string }[]).map((r) => [r.wamid, r as Record<string, unknown>]));
    expect(byId.get('wamid.M2')).toMatchObject({
      status: 'read',
      pricing_category: 'marketing',
      delivered_at: (T0 + 7) * 1000,
      read_at: (T0 + 62) * 1000,
    });
    expect(byId.get('wamid.M0')).toMatchObject({ status: 'read', delivered_at: null, pricing_category: 'marketing' });
    expect(byId.get('wamid.M4')).toMatchObject({ status: 'failed', error_code: 131049, biz_opaque_callback_data: 'send-4' });
    expect(byId.get('wamid.M1')).toMatchObject({ status: 'delivered', recipient_id: '972540000001' });
  });

  it('keeps statuses no handler matched and offers them again when a campaign learns the wamid', async () => {
    ctx = testCtx({ clock: new FakeClock() });
    const svc = webhookService(ctx);
    const known = new Set<string>();
    const applied: string[] = [];
    svc.router.on(
      'status',
      (ev: StatusEvent) => {
        if (!known.has(ev.wamid)) return 'unmatched';
        applied.push(`${ev.wamid}:${ev.status}`);
        return 'matched';
      },
      { name: 'campaigns' },
    );
    svc.inbox.appendNow([
      {
        body: Buffer.from(
          JSON.stringify(
            statusEnvelope([
              { id: 'wamid.LATE', status: 'delivered', timestamp: String(T0 + 2), biz_opaque_callback_data: 'row-7' },
              { id: 'wamid.LATE', status: 'sent', timestamp: String(T0 + 1), biz_opaque_callback_data: 'row-7' },
            ]),
          ),
        ),
        source: 'direct',
      },
    ]);
    await svc.processor.drain();
    expect(svc.info().pending_match).toBe(2);
    expect(svc.inbox.counts()).toMatchObject({ pending: 0, processed: 1 });

    expect(await svc.reofferPending({ wamids: ['wamid.LATE'] })).toEqual({ offered: 2, matched: 0 });
    known.add('wamid.LATE');
    expect(await svc.reofferPending({ bizOpaque: ['row-7'] })).toEqual({ offered: 2, matched: 2 });
    expect(applied.sort()).toEqual(['wamid.LATE:delivered', 'wamid.LATE:sent']);
    expect(svc.info().pending_match).toBe(0);
  });

  it('retries a failing handler with backoff and marks the row processed only when all handlers succeed', async () => {
    const clock = new FakeClock();
    ctx = testCtx({ clock });
    const svc: WebhookService = webhookService(ctx);
    let failuresLeft = 2;
    const seen: string[] = [];
    svc.router.on(
      'status',
      (ev) => {
        if (failuresLeft > 0) {
          failuresLeft--;
          throw new Error('ledger busy');
        }
        seen.push(ev.key);
      },
      { name: 'flaky' },
    );
    svc.inbox.appendNow([
      { body: Buffer.from(JSON.stringify(statusEnvelope([{ id: 'wamid.R', status: 'sent', timestamp: String(T0) }]))), source: 'direct' },
    ]);
    await svc.processor.drain();
    expect(svc.inbox.counts()).toMatchObject({ pending: 1, processed: 0 });
    expect(svc.info().last_error).toContain('flaky: ledger busy');
    await svc.processor.drain(); // not due yet: nothing happens
    expect(seen).toEqual([]);
    await clock.advance(1000);
    await svc.processor.drain();
    expect(svc.inbox.counts().pending).toBe(1);
    await clock.advance(2000);
    await svc.processor.drain();
    expect(seen).toEqual([`status:wamid.R:sent:${T0}`]);
    expect(svc.inbox.counts()).toMatchObject({ pending: 0, processed: 1, failed: 0 });
  });

  it('turns STOP replies, opt-out buttons and user_preferences into consent changes with evidence', async () => {
    ctx = testCtx({ clock: new FakeClock() });
    const svc = webhookService(ctx);
    const changes: ConsentChange[] = [];
    const body = (doc: unknown) => ({ body: Buffer.from(JSON.stringify(doc)), source: 'direct' as const });
    svc.inbox.appendNow([
      body(messageEnvelope([{ id: 'wamid.in1', timestamp: String(T0), type: 'text', text: { body: 'STOP' } }], '972541111111')),
      body(messageEnvelope([{ id: 'wamid.in2', timestamp: String(T0), type: 'text', text: { body: '退訂' } }], '886912345678')),
      body(messageEnvelope([{ id: 'wamid.in3', timestamp: String(T0), type: 'text', text: { body: 'הסר' } }], '972542222222')),
      body(
        messageEnvelope(
          [
            {
              id: 'wamid.in4',
              timestamp: String(T0),
              type: 'button',
              button: { payload: 'Stop promotions', text: 'Stop promotions' },
              context: { from: '15550001111', id: 'wamid.tmpl' },
            },
          ],
          '972543333333',
        ),
      ),
      body(
        messageEnvelope(
          [{ id: 'wamid.in5', timestamp: String(T0), type: 'text', text: { body: 'When does the sale end?' } }],
          '972544444444',
        ),
      ),
      body({
        object: 'whatsapp_business_account',
        entry: [
          {
            id: 'WABA1',
            changes: [
              {
                field: 'user_preferences',
                value: {
                  messaging_product: 'whatsapp',
                  metadata: { phone_number_id: 'PN1' },
                  user_preferences: [
                    {
                      wa_id: '972545555555',
                      detail: 'User requested to stop marketing messages',
                      category: 'marketing_messages',
                      value: 'stop',
                      timestamp: T0 + 9,
                    },
                  ],
                },
              },
            ],
          },
        ],
      }),
    ]);
    // No contacts service yet: the opt-outs wait (the rows stay pending) rather than being lost.
    await svc.processor.drain();
    expect(svc.inbox.counts().pending).toBe(5);
    expect(changes).toEqual([]);

    svc.setConsentSink({
      record: (c) => {
        changes.push(c);
      },
    });
    await (ctx.clock as FakeClock).advance(60_000);
    await svc.processor.drain();
    expect(svc.inbox.counts()).toMatchObject({ pending: 0, processed: 6 });
    const byPhone = Object.fromEntries(changes.map((c) => [c.phone, c]));
    expect(Object.keys(byPhone).sort()).toEqual(['+886912345678', '+972541111111', '+972542222222', '+972543333333', '+972545555555']);
    expect(byPhone['+972541111111']).toMatchObject({ status: 'opted_out', source: 'keyword', category: 'marketing', at: T0 * 1000 });
    expect(byPhone['+972541111111']!.evidence).toMatchObject({ code: 'stop_keyword', params: { keyword: 'STOP' } });
    expect(byPhone['+972543333333']).toMatchObject({ source: 'button' });
    expect(byPhone['+972543333333']!.evidence).toMatchObject({ code: 'button', params: { replyTo: 'wamid.tmpl' } });
    expect(byPhone['+972545555555']).toMatchObject({ source: 'meta_preference', status: 'opted_out', at: (T0 + 9) * 1000 });

    // Every inbound message opened a 24-hour customer-service window.
    const w = svc.serviceWindow('+972544444444');
    expect(w).toMatchObject({ lastMessageId: 'wamid.in5', expiresAt: T0 * 1000 + 24 * 3600 * 1000 });
  });

  it('routes management webhooks by field (and quality updates sent under the status field by shape)', async () => {
    ctx = testCtx({ clock: new FakeClock() });
    const svc = webhookService(ctx);
    const got: string[] = [];
    for (const t of [
      'template_status',
      'template_quality',
      'phone_quality',
      'account_update',
      'business_capability',
      'template_category',
    ] as const) {
      svc.router.on(t, (ev) => {
        got.push(`${ev.type}:${ev.event ?? ''}`);
      });
    }
    const change = (field: string, value: Record<string, unknown>) => ({
      object: 'whatsapp_business_account',
      entry: [{ id: 'WABA1', time: T0, changes: [{ field, value }] }],
    });
    const docs = [
      change('message_template_status_update', {
        event: 'PAUSED',
        message_template_id: 1,
        message_template_name: 'promo',
        message_template_language: 'en-US',
        reason: 'LOW_QUALITY',
      }),
      change('message_template_status_update', { previous_quality_score: 'GREEN', new_quality_score: 'YELLOW', message_template_id: 1 }),
      change('message_template_quality_update', { previous_quality_score: 'YELLOW', new_quality_score: 'RED', message_template_id: 1 }),
      change('phone_number_quality_update', { display_phone_number: '15550001111', event: 'THROUGHPUT_UPGRADE' }),
      change('account_update', { event: 'DISABLED_UPDATE', ban_info: { waba_ban_state: 'DISABLE' } }),
      change('business_capability_update', { max_daily_conversations_per_business: 'TIER_2K' }),
      change('template_category_update', { message_template_id: 1, new_category: 'MARKETING', previous_category: 'UTILITY' }),
    ];
    svc.inbox.appendNow([...docs, docs[0]!].map((d) => ({ body: Buffer.from(JSON.stringify(d)), source: 'direct' as const })));
    await svc.processor.drain();
    expect(got).toEqual([
      'template_status:PAUSED',
      'template_quality:',
      'template_quality:',
      'phone_quality:THROUGHPUT_UPGRADE',
      'account_update:DISABLED_UPDATE',
      'business_capability:',
      'template_category:',
    ]);
  });

  it('pushes webhooks:activity batched, not once per event', async () => {
    const clock = new FakeClock();
    ctx = testCtx({ clock });
    const svc = webhookService(ctx);
    svc.inbox.appendNow(
      Array.from({ length: 50 }, (_, i) => ({
        body: Buffer.from(JSON.stringify(statusEnvelope([{ id: `wamid.B${i}`, status: 'sent', timestamp: String(T0) }]))),
        source: 'direct' as const,
      })),
    );
    await svc.processor.drain();
    await clock.advance(150);
    const activity = ctx.emitted.filter((e) => e.event === 'webhooks:activity');
    expect(activity.length).toBe(1);
    expect(activity[0]!.payload).toMatchObject({ processed: 50, by_type: { status: 50 }, pending: 0 });
  });
});
