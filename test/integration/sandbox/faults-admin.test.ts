import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../electron/core/clock';
import { SANDBOX_PHONE_NUMBER_ID, startSandbox, type SandboxHandle } from '../../../electron/core/sandbox';
import { orderUpdate, send } from './helpers';
import { startReceiver } from './receiver';

let sb: SandboxHandle | undefined;
let clock: FakeClock;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});
const start = async () => {
  clock = new FakeClock();
  return (sb = await startSandbox({ clock }));
};

async function admin(method: string, path: string, body?: unknown) {
  const res = await fetch(`${sb!.baseUrl}/__admin/${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: { message: string } } };
}

describe('sandbox: fault injection', () => {
  it('5xx faults answer Meta-shaped server errors and are counted; the send is not processed', async () => {
    await start();
    sb!.setFaults({ error_5xx_rate: 1 });
    for (let i = 0; i < 5; i++) {
      const r = await send(sb!, orderUpdate(`+97254123456${i}`));
      expect(r.status).toBeGreaterThanOrEqual(500);
      expect([131000, 2, 131016]).toContain(r.body.error.code);
    }
    expect(sb!.stats().faults.error_5xx).toBe(5);
    expect(sb!.stats().sends.accepted).toBe(0);
  });

  it('dropped connections fail the request; with processed_on_lost_response_rate 1 the message was still sent', async () => {
    await start();
    sb!.setFaults({ drop_rate: 1, processed_on_lost_response_rate: 1 });
    await expect(send(sb!, orderUpdate('+972541234567', { biz_opaque_callback_data: 'c:1' }))).rejects.toThrow();
    expect(sb!.stats().faults.drops).toBe(1);
    expect(sb!.messages()).toHaveLength(1);
    expect(sb!.messages()[0]!.biz_opaque_callback_data).toBe('c:1'); // correlatable by webhook
    sb!.setFaults({ drop_rate: 1, processed_on_lost_response_rate: 0 });
    await expect(send(sb!, orderUpdate('+972541234568'))).rejects.toThrow();
    expect(sb!.messages()).toHaveLength(1);
  });

  it('timeouts hold the response until the client gives up', async () => {
    await start();
    sb!.setFaults({ timeout_rate: 1, processed_on_lost_response_rate: 0 });
    const res = fetch(`${sb!.baseUrl}/v24.0/${SANDBOX_PHONE_NUMBER_ID}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sb!.credentials.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(orderUpdate('+972541234567')),
      signal: AbortSignal.timeout(300),
    });
    await expect(res).rejects.toThrow(/abort|timeout/i);
    expect(sb!.stats().faults.timeouts).toBe(1);
  });

  it('slow responses still answer correctly', async () => {
    await start();
    sb!.setFaults({ slow_rate: 1, slow_ms: 50 });
    const r = await send(sb!, orderUpdate('+972541234567'));
    expect(r.status).toBe(200);
    expect(sb!.stats().faults.slow).toBe(1);
  });

  it('with a seed, the same fault pattern repeats', async () => {
    const pattern = async () => {
      const h = await startSandbox({
        clock: new FakeClock(),
        seed: 99,
        scenario: { ...(await import('../../../electron/core/sandbox')).DEFAULT_SCENARIO, faults: { error_5xx_rate: 0.5 } },
      });
      const out = [];
      for (let i = 0; i < 12; i++) out.push((await send(h, orderUpdate(`+9725412345${String(i).padStart(2, '0')}`))).status);
      await h.close();
      return out;
    };
    const a = await pattern();
    expect(await pattern()).toEqual(a);
    expect(a.some((s) => s === 200) && a.some((s) => s >= 500)).toBe(true);
  });
});

describe('sandbox: admin endpoints', () => {
  it('help, state, stats and stats reset', async () => {
    await start();
    expect(((await admin('GET', 'help')).body.endpoints as string[]).length).toBeGreaterThan(10);
    await send(sb!, orderUpdate('+972541234567'));
    const stats = await admin('GET', 'stats');
    expect(stats.body).toMatchObject({ sends: { accepted: 1 }, per_recipient: { '972541234567': { accepted: 1 } } });
    const state = await admin('GET', 'state');
    expect(state.body).toMatchObject({ business: { messaging_limit: 'TIER_2K' }, token_state: 'valid' });
    expect((state.body.templates as unknown[]).length).toBe(12);
    expect((await admin('POST', 'stats/reset')).body).toEqual({ ok: true });
    expect(((await admin('GET', 'stats')).body.sends as { accepted: number }).accepted).toBe(0);
  });

  it('drives templates, limits, phones, faults, token, users and inbound over HTTP', async () => {
    await start();
    const rx = await startReceiver();
    try {
      expect((await admin('POST', 'webhook', { url: rx.url })).body).toEqual({ webhook_url: rx.url });
      expect((await admin('POST', 'templates/quality', { name: 'order_update', language: 'en_US', quality: 'RED' })).body).toMatchObject({
        status: 'PAUSED',
        quality_score: 'RED',
      });
      expect(
        (await admin('POST', 'templates/status', { name: 'loyalty_points', language: 'en_US', status: 'APPROVED' })).body,
      ).toMatchObject({ status: 'APPROVED' });
      expect((await admin('POST', 'messaging-limit', { limit: 'TIER_10K' })).body).toEqual({ messaging_limit: 'TIER_10K' });
      expect((await admin('POST', `phone-numbers/${SANDBOX_PHONE_NUMBER_ID}`, { quality_rating: 'YELLOW' })).body).toMatchObject({
        quality_rating: 'YELLOW',
      });
      expect((await admin('POST', 'faults', { slow_rate: 0.1 })).body).toMatchObject({ slow_rate: 0.1, error_5xx_rate: 0 });
      expect((await admin('POST', 'users', { phone: '+972541234567', undeliverable: true })).body).toEqual({ ok: true });
      const inbound = await admin('POST', 'inbound', { from: '+972541234568', kind: 'stop_text', language: 'he' });
      expect(inbound.body.wamid).toMatch(/^wamid\./);
      expect((await admin('POST', 'user-preferences', { wa_id: '972541234569', value: 'stop' })).body).toEqual({ ok: true });
      expect(
        (await admin('POST', 'templates/category', { name: 'order_update', language: 'en_US', category: 'MARKETING' })).body,
      ).toMatchObject({ category: 'MARKETING', previous_category: 'UTILITY' });
      expect(
        (
          await admin('POST', 'webhooks/send', {
            field: 'account_alerts',
            value: { alert_type: 'INCREASED_CAPABILITIES_ELIGIBILITY_DEFERRED' },
          })
        ).body,
      ).toEqual({ ok: true });
      expect(
        (
          await admin('POST', 'templates', {
            template: { name: 'fresh', language: 'en', category: 'UTILITY', status: 'PENDING', components: [{ type: 'BODY', text: 'x' }] },
          })
        ).body.id,
      ).toMatch(/^\d+$/);
      await clock.advance(0);
      await sb!.webhooksIdle();
      const log = (await admin('GET', 'webhooks?state=delivered')).body.data as { field: string; payload: { object: string } }[];
      expect(new Set(log.map((l) => l.field))).toEqual(
        new Set([
          'message_template_quality_update',
          'message_template_status_update',
          'business_capability_update',
          'phone_number_quality_update',
          'messages',
          'user_preferences',
          'template_category_update',
          'account_alerts',
        ]),
      );
      expect(log.every((l) => l.payload.object === 'whatsapp_business_account')).toBe(true);
      expect((await admin('POST', 'token', { state: 'expired' })).body).toEqual({ token_state: 'expired' });
      expect((await send(sb!, orderUpdate('+972541234567'))).body.error.code).toBe(190);
      expect((await admin('POST', 'clock/advance', { ms: 1000 })).body).toEqual({ now: clock.now() });
    } finally {
      await rx.close();
    }
  });

  it('bad admin input is a 400 with the reason; unknown endpoints 404', async () => {
    await start();
    const bad = await admin('POST', 'messaging-limit', { limit: 'TIER_1M' });
    expect(bad.status).toBe(400);
    expect(bad.body.error!.message).toMatch(/limit/);
    expect((await admin('POST', 'templates/status', { name: 'nope', language: 'en', status: 'APPROVED' })).status).toBe(404);
    expect((await admin('GET', 'nope')).status).toBe(404);
  });

  it('refuses other Host headers (DNS rebinding) and non-JSON writes (CSRF from a web page)', async () => {
    await start();
    const raw = (headers: Record<string, string>, body: string) =>
      new Promise<number>((resolve, reject) => {
        const u = new URL(`${sb!.baseUrl}/__admin/token`);
        const req = http.request({ host: '127.0.0.1', port: u.port, path: u.pathname, method: 'POST', headers }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end(body);
      });
    const body = JSON.stringify({ state: 'expired' });
    expect(await raw({ host: 'evil.example:80', 'content-type': 'application/json' }, body)).toBe(403);
    expect(await raw({ 'content-type': 'text/plain' }, body)).toBe(415);
    expect((await send(sb!, orderUpdate('+972541234567'))).status).toBe(200); // token untouched
    expect(await raw({ 'content-type': 'application/json' }, body)).toBe(200);
  });
});
