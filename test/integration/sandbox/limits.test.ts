import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../electron/core/clock';
import { SANDBOX_PHONE_NUMBER_ID, SANDBOX_RECIPIENTS, startSandbox, type SandboxHandle } from '../../../electron/core/sandbox';
import { orderUpdate, send, templateSend } from './helpers';

let sb: SandboxHandle | undefined;
let clock: FakeClock;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});
const start = async (
  scenario?: Parameters<typeof startSandbox>[0] extends infer O ? (O extends { scenario?: infer S } ? S : never) : never,
) => {
  clock = new FakeClock();
  sb = await startSandbox({ clock, ...(scenario ? { scenario } : {}) });
  return sb;
};
const HOUR = 3600_000;

const saleEn = (to: string, extra: Record<string, unknown> = {}) =>
  templateSend(
    to,
    'spring_sale',
    'en_US',
    [
      { type: 'header', parameters: [{ type: 'image', image: { link: 'https://example.com/sale.jpg' } }] },
      {
        type: 'body',
        parameters: [
          { type: 'text', parameter_name: 'first_name', text: 'Dana' },
          { type: 'text', parameter_name: 'discount', text: '20%' },
          { type: 'text', parameter_name: 'end_date', text: 'May 1' },
        ],
      },
    ],
    extra,
  );

async function sendOk(body: unknown): Promise<string> {
  const r = await send(sb!, body);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.messages[0].id as string;
}

describe('sandbox: Meta limits', () => {
  it('130429 when a number exceeds its throughput (80 mps), and max msg/s is counted', async () => {
    await start();
    const results = await Promise.all(
      Array.from({ length: 80 }, (_, i) => send(sb!, orderUpdate(`+97254100${String(i).padStart(4, '0')}`))),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    const over = await send(sb!, orderUpdate('+972549999999'));
    expect(over.status).toBe(429);
    expect(over.body.error.code).toBe(130429);
    await clock.advance(1000);
    expect((await send(sb!, orderUpdate('+972549999999'))).status).toBe(200);
    const s = sb!.stats();
    expect(s.max_mps[SANDBOX_PHONE_NUMBER_ID]).toBe(80);
    expect(s.limits.throughput_rejections).toBe(1);
    expect(s.errors_by_code.sync['130429']).toBe(1);
  });

  it('coexistence numbers are held at 20 mps, upgraded numbers at 1000', async () => {
    await start({
      wabas: [
        {
          id: '1',
          name: 'w',
          phone_numbers: [{ id: '2', display_phone_number: '+1 555 000 0002', verified_name: 'x', coexistence: true }],
          templates: [{ name: 't', language: 'en', category: 'UTILITY', components: [{ type: 'BODY', text: 'hi' }] }],
        },
      ],
    });
    const codes = [];
    for (let i = 0; i < 21; i++)
      codes.push((await send(sb!, templateSend(`+9725410${String(i).padStart(5, '0')}`, 't', 'en'), '2')).status);
    expect(codes.filter((c) => c === 200)).toHaveLength(20);
    expect(codes[20]).toBe(429);
  });

  it('131056 pair rate: one message per 6 s to the same user from one number', async () => {
    await start();
    await sendOk(orderUpdate('+972541234567'));
    await clock.advance(5000);
    const r = await send(sb!, orderUpdate('+972541234567'));
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 131056, error_subcode: 2494071 });
    expect((await send(sb!, orderUpdate('+972541234568'))).status).toBe(200); // other users are not affected
    await clock.advance(1000);
    await sendOk(orderUpdate('+972541234567'));
    expect(sb!.stats().limits.pair_rate_rejections).toBe(1);
  });

  it('the moving-24h unique-recipient limit: no error from Meta, every violation counted', async () => {
    await start();
    sb!.setMessagingLimit('TIER_250');
    for (let i = 0; i < 252; i++) {
      await sendOk(orderUpdate(`+9725420${String(i).padStart(5, '0')}`));
      await clock.advance(20);
    }
    // repeats inside the window are the same unique recipient: not a new violation
    await clock.advance(6000);
    await sendOk(orderUpdate('+972542000000'));
    let s = sb!.stats();
    expect(s.limits.portfolio_violations).toBe(2);
    expect(s.limits.portfolio_violation_items.map((v) => v.unique_recipients_24h)).toEqual([251, 252]);
    expect(s.limits.portfolio_violation_items[0]).toMatchObject({
      wa_id: '972542000250',
      limit: 250,
      phone_number_id: SANDBOX_PHONE_NUMBER_ID,
    });
    expect(s.portfolio).toMatchObject({ messaging_limit: 'TIER_250', limit: 250, unique_recipients_24h: 252, remaining_24h: 0 });
    // 24 h after the first sends, the window has moved on.
    await clock.advance(24 * HOUR);
    await sendOk(orderUpdate('+972543000001'));
    s = sb!.stats();
    expect(s.portfolio.unique_recipients_24h).toBe(1);
    expect(s.limits.portfolio_violations).toBe(2);
  });

  it('users inside a customer-service window do not count toward the limit', async () => {
    await start();
    sb!.sendInbound({ from: '+972541111111', phone_number_id: SANDBOX_PHONE_NUMBER_ID, kind: 'text', text: 'hello' });
    await sendOk(orderUpdate('+972541111111'));
    expect(sb!.stats().portfolio.unique_recipients_24h).toBe(0);
    await sendOk(orderUpdate('+972541111112'));
    expect(sb!.stats().portfolio.unique_recipients_24h).toBe(1);
  });

  it('automatic scaling: half the limit used → one level up (business_capability_update)', async () => {
    await start();
    for (let i = 0; i < 1000; i++) {
      await sendOk(orderUpdate(`+9725440${String(i).padStart(5, '0')}`));
      if (i % 50 === 49) await clock.advance(1000);
    }
    expect(sb!.stats().portfolio.messaging_limit).toBe('TIER_2K');
    await clock.advance(2 * HOUR);
    expect(sb!.stats().portfolio.messaging_limit).toBe('TIER_10K');
    const cap = sb!.webhookLog({ field: 'business_capability_update' });
    expect(cap).toHaveLength(1);
    expect(JSON.parse(cap[0]!.body).entry[0].changes[0].value.max_daily_conversations_per_business).toBe(10000);
  });

  it('async failures after a 200: 131026 undeliverable, 131050 stopped, 130472 holdout, 131049 capped', async () => {
    await start();
    const cases: [string, unknown, number][] = [
      [SANDBOX_RECIPIENTS.undeliverable, orderUpdate(SANDBOX_RECIPIENTS.undeliverable), 131026],
      [SANDBOX_RECIPIENTS.marketingStopped, saleEn(SANDBOX_RECIPIENTS.marketingStopped), 131050],
      [SANDBOX_RECIPIENTS.experimentHoldout, saleEn(SANDBOX_RECIPIENTS.experimentHoldout), 130472],
      [SANDBOX_RECIPIENTS.marketingCapReached, saleEn(SANDBOX_RECIPIENTS.marketingCapReached), 131049],
    ];
    const wamids: string[] = [];
    for (const [, body] of cases) wamids.push(await sendOk(body));
    await clock.advance(10_000);
    const s = sb!.stats();
    cases.forEach(([to, , code], i) => {
      expect(sb!.messageStatus(wamids[i]!), to).toBe('failed');
      expect(s.errors_by_code.async[String(code)], String(code)).toBe(1);
    });
    // utility to a marketing-stopped user still goes through
    const w = await sendOk(orderUpdate(SANDBOX_RECIPIENTS.marketingStopped));
    await clock.advance(10_000);
    expect(['delivered', 'read']).toContain(sb!.messageStatus(w));
    // async failures are not charged and do not count toward the portfolio limit
    expect(sb!.stats().portfolio.unique_recipients_24h).toBe(1);
  });

  it('US +1 numbers are blocked for marketing (async 131049) but not for utility; Canada is not US', async () => {
    await start();
    const us = await sendOk(saleEn('+12125550123'));
    const usUtility = await sendOk(orderUpdate('+12125550124'));
    const ca = await sendOk(saleEn('+14165550123'));
    await clock.advance(10_000);
    expect(sb!.messageStatus(us)).toBe('failed');
    expect(sb!.messages().find((m) => m.wamid === us)!.outcome).toMatchObject({ kind: 'failed', code: 131049 });
    expect(sb!.messageStatus(usUtility)).not.toBe('failed');
    expect(sb!.messageStatus(ca)).not.toBe('failed');
  });

  it('per-user marketing cap: the 3rd marketing template in 24 h fails with 131049; EEA/UK users are exempt', async () => {
    await start();
    const il = [];
    const uk = [];
    for (let i = 0; i < 3; i++) {
      il.push(await sendOk(saleEn('+972545555555')));
      uk.push(await sendOk(saleEn('+447700900555')));
      await clock.advance(7000);
    }
    await clock.advance(10_000);
    expect(il.map((w) => sb!.messageStatus(w) === 'failed')).toEqual([false, false, true]);
    expect(uk.every((w) => sb!.messageStatus(w) !== 'failed')).toBe(true);
    expect(sb!.stats().limits.marketing_cap_failures).toBe(1);
    await clock.advance(24 * HOUR);
    const later = await sendOk(saleEn('+972545555555'));
    await clock.advance(10_000);
    expect(sb!.messageStatus(later)).not.toBe('failed');
  });

  it('counts duplicates: same recipient + biz_opaque_callback_data, and same template within 24 h', async () => {
    await start();
    await sendOk(orderUpdate('+972546666666', { biz_opaque_callback_data: 'camp-1:row-1' }));
    await clock.advance(7000);
    await sendOk(orderUpdate('+972546666666', { biz_opaque_callback_data: 'camp-1:row-1' }));
    await clock.advance(7000);
    await sendOk(orderUpdate('+972546666666', { biz_opaque_callback_data: 'camp-2:row-1' }));
    await sendOk(orderUpdate('+972546666667', { biz_opaque_callback_data: 'camp-1:row-1' })); // other recipient: fine
    const s = sb!.stats();
    expect(s.duplicates.same_callback_data).toBe(1);
    expect(s.duplicates.same_template_24h).toBe(2);
    expect(s.duplicates.items).toContainEqual({ wa_id: '972546666666', kind: 'same_callback_data', key: 'camp-1:row-1', count: 2 });
    expect(s.per_recipient['972546666666']).toMatchObject({ accepted: 3, templates: { 'order_update/en_US': 3 } });
  });

  it('paced templates answer held_for_quality_assessment and are released later', async () => {
    await start();
    sb!.addTemplate({
      name: 'new_promo',
      language: 'en_US',
      category: 'UTILITY',
      paced: true,
      components: [{ type: 'BODY', text: 'Hello there' }],
    });
    const r = await send(sb!, templateSend('+972547777777', 'new_promo', 'en_US'));
    expect(r.body.messages[0].message_status).toBe('held_for_quality_assessment');
    await clock.advance(30_000);
    expect(sb!.messageStatus(r.body.messages[0].id)).toBe('held');
    await clock.advance(10 * 60_000);
    expect(['sent', 'delivered', 'read']).toContain(sb!.messageStatus(r.body.messages[0].id));
    expect(sb!.stats().sends.held_for_quality_assessment).toBe(1);
  });
});
