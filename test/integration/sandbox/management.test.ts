import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../electron/core/clock';
import {
  SANDBOX_ACCESS_TOKEN,
  SANDBOX_APP_SECRET,
  SANDBOX_BUSINESS_ID,
  SANDBOX_PHONE_NUMBER_ID,
  SANDBOX_PHONE_NUMBER_IDS,
  SANDBOX_WABA_ID,
  startSandbox,
  type SandboxHandle,
} from '../../../electron/core/sandbox';
import { graph } from './helpers';

let sb: SandboxHandle | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});
const start = async () => (sb = await startSandbox({ clock: new FakeClock() }));

describe('sandbox: management endpoints', () => {
  it('lists templates with Graph cursor paging: walk next to the end, then back with before', async () => {
    await start();
    const seen: string[] = [];
    let path: string | undefined = `/v24.0/${SANDBOX_WABA_ID}/message_templates?limit=5&fields=name,language,status`;
    const pages = [];
    while (path) {
      const r = await graph(sb!, 'GET', path);
      expect(r.status).toBe(200);
      pages.push(r.body);
      seen.push(...r.body.data.map((t: { id: string }) => t.id));
      expect(r.body.paging.cursors).toEqual({ before: expect.any(String), after: expect.any(String) });
      path = r.body.paging.next ? r.body.paging.next.slice(sb!.baseUrl.length) : undefined;
    }
    expect(pages).toHaveLength(3); // 12 templates / 5 per page
    expect(new Set(seen).size).toBe(12);
    expect(pages[0].paging.previous).toBeUndefined();
    expect(pages[2].paging.next).toBeUndefined();
    const back = await graph(sb!, 'GET', pages[2].paging.previous.slice(sb!.baseUrl.length));
    expect(back.body.data.map((t: { id: string }) => t.id)).toEqual(pages[1].data.map((t: { id: string }) => t.id));
    const bad = await graph(sb!, 'GET', `/v24.0/${SANDBOX_WABA_ID}/message_templates?after=bm9wZQ`);
    expect(bad.body.error.code).toBe(100);
  });

  it('template fields: defaults, quality_score, rejected_reason, unknown field error', async () => {
    await start();
    const r = await graph(sb!, 'GET', `/v24.0/${SANDBOX_WABA_ID}/message_templates?limit=100`);
    const first = r.body.data[0];
    expect(Object.keys(first).sort()).toEqual(['category', 'components', 'id', 'language', 'name', 'parameter_format', 'status']);
    const full = await graph(
      sb!,
      'GET',
      `/v24.0/${SANDBOX_WABA_ID}/message_templates?fields=name,status,rejected_reason,quality_score{score},parameter_format&status=REJECTED`,
    );
    expect(full.body.data).toEqual([
      {
        name: 'account_bonus',
        status: 'REJECTED',
        rejected_reason: 'INCORRECT_CATEGORY',
        quality_score: { score: 'UNKNOWN', date: expect.any(Number) },
        parameter_format: 'POSITIONAL',
        id: '5000000000000009',
      },
    ]);
    const err = await graph(sb!, 'GET', `/v24.0/${SANDBOX_WABA_ID}/message_templates?fields=name,colour`);
    expect(err.status).toBe(400);
    expect(err.body.error).toMatchObject({ code: 100, message: expect.stringContaining('nonexisting field (colour)') });
  });

  it('template filters: status, name, language, category, quality_score, content; summary total_count', async () => {
    await start();
    const names = async (q: string) =>
      (await graph(sb!, 'GET', `/v24.0/${SANDBOX_WABA_ID}/message_templates?fields=name,language&limit=100&${q}`)).body.data.map(
        (t: { name: string; language: string }) => `${t.name}/${t.language}`,
      );
    expect(await names('status=PAUSED')).toEqual(['winter_clearance/en_US']);
    expect(await names('status=PAUSED,DISABLED')).toEqual(['winter_clearance/en_US', 'black_friday_2025/en_US']);
    expect(await names('name=spring_sale')).toEqual(['spring_sale/en_US', 'spring_sale/he', 'spring_sale/zh_TW']);
    expect(await names('language=he')).toEqual(['spring_sale/he', 'appointment_reminder/he']);
    expect(await names('category=UTILITY&status=APPROVED&language=zh_TW')).toEqual(['appointment_reminder/zh_TW']);
    expect(await names('quality_score=RED')).toEqual(['winter_clearance/en_US', 'black_friday_2025/en_US']);
    expect(await names('content=catalog')).toEqual(['catalog_pdf/en_US']);
    const sum = await graph(sb!, 'GET', `/v24.0/${SANDBOX_WABA_ID}/message_templates?status=APPROVED&summary=total_count&limit=1`);
    expect(sum.body.summary).toEqual({ total_count: 8 });
    expect(sum.body.data).toHaveLength(1);
  });

  it('phone numbers: list and single node with limit, throughput, status and name fields', async () => {
    await start();
    const list = await graph(sb!, 'GET', `/v24.0/${SANDBOX_WABA_ID}/phone_numbers`);
    expect(list.body.data.map((p: { id: string }) => p.id)).toEqual(Object.values(SANDBOX_PHONE_NUMBER_IDS));
    expect(list.body.data[0]).toMatchObject({
      verified_name: 'Acme Outdoor',
      display_phone_number: '+1 555-010-0100',
      quality_rating: 'GREEN',
      code_verification_status: 'VERIFIED',
      platform_type: 'CLOUD_API',
      throughput: { level: 'STANDARD' },
    });
    const fields =
      'display_phone_number,verified_name,quality_rating,messaging_limit_tier,whatsapp_business_manager_messaging_limit,throughput,status,name_status,account_mode,health_status';
    const one = await graph(sb!, 'GET', `/v24.0/${SANDBOX_PHONE_NUMBER_IDS.tw}?fields=${fields}`);
    expect(one.body).toMatchObject({
      id: SANDBOX_PHONE_NUMBER_IDS.tw,
      display_phone_number: '+886 2 5555 0100',
      verified_name: 'Acme 戶外用品',
      quality_rating: 'UNKNOWN',
      messaging_limit_tier: 'TIER_2K',
      whatsapp_business_manager_messaging_limit: 'TIER_2K',
      throughput: { level: 'STANDARD' },
      status: 'CONNECTED',
      name_status: 'PENDING_REVIEW',
      account_mode: 'LIVE',
      health_status: { can_send_message: 'AVAILABLE' },
    });
    const err = await graph(sb!, 'GET', `/v24.0/${SANDBOX_PHONE_NUMBER_ID}?fields=display_phone_number,bogus`);
    expect(err.body.error.code).toBe(100);
  });

  it('the WABA and the business portfolio expose the messaging limit', async () => {
    await start();
    const waba = await graph(
      sb!,
      'GET',
      `/v24.0/${SANDBOX_WABA_ID}?fields=name,currency,timezone_id,whatsapp_business_manager_messaging_limit,owner_business_info`,
    );
    expect(waba.body).toMatchObject({
      id: SANDBOX_WABA_ID,
      name: 'Acme Outdoor',
      currency: 'USD',
      whatsapp_business_manager_messaging_limit: 'TIER_2K',
      owner_business_info: { id: SANDBOX_BUSINESS_ID },
    });
    const biz = await graph(
      sb!,
      'GET',
      `/v24.0/${SANDBOX_BUSINESS_ID}?fields=name,verification_status,whatsapp_business_manager_messaging_limit`,
    );
    expect(biz.body).toEqual({
      id: SANDBOX_BUSINESS_ID,
      name: 'Acme Outdoor Ltd.',
      verification_status: 'verified',
      whatsapp_business_manager_messaging_limit: 'TIER_2K',
    });
    const owned = await graph(sb!, 'GET', `/v24.0/${SANDBOX_BUSINESS_ID}/owned_whatsapp_business_accounts`);
    expect(owned.body.data.map((w: { id: string }) => w.id)).toEqual([SANDBOX_WABA_ID]);
  });

  it('business profile: read, update, and validation errors', async () => {
    await start();
    const path = `/v24.0/${SANDBOX_PHONE_NUMBER_IDS.il}/whatsapp_business_profile`;
    const r = await graph(sb!, 'GET', `${path}?fields=about,address,email,vertical`);
    expect(r.body).toEqual({
      data: [
        {
          about: 'ציוד לכל שביל.',
          address: 'רחוב הרצל 1, תל אביב',
          email: 'il@acme-outdoor.example',
          vertical: 'RETAIL',
          messaging_product: 'whatsapp',
        },
      ],
    });
    const upd = await graph(sb!, 'POST', path, {
      messaging_product: 'whatsapp',
      about: 'חדש!',
      websites: ['https://acme.example/he'],
      vertical: 'RETAIL',
    });
    expect(upd.body).toEqual({ success: true });
    expect((await graph(sb!, 'GET', `${path}?fields=about,websites`)).body.data[0]).toMatchObject({
      about: 'חדש!',
      websites: ['https://acme.example/he'],
    });
    for (const bad of [
      { about: 'x'.repeat(140) },
      { email: 'not-an-email' },
      { websites: ['a', 'b', 'c'] },
      { vertical: 'SPACESHIPS' },
      { description: 'd'.repeat(257) },
    ]) {
      const e = await graph(sb!, 'POST', path, { messaging_product: 'whatsapp', ...bad });
      expect(e.body.error.code, JSON.stringify(bad)).toBe(100);
    }
    expect((await graph(sb!, 'POST', path, { about: 'x' })).body.error.code).toBe(131008);
  });

  it('subscribed_apps: GET lists the app, POST subscribes', async () => {
    await start();
    const r = await graph(sb!, 'GET', `/v24.0/${SANDBOX_WABA_ID}/subscribed_apps`);
    expect(r.body).toEqual({
      data: [
        {
          whatsapp_business_api_data: {
            id: sb!.credentials.appId,
            name: 'Pacer Sandbox App',
            link: expect.stringContaining(sb!.credentials.appId),
          },
        },
      ],
    });
    expect((await graph(sb!, 'POST', `/v24.0/${SANDBOX_WABA_ID}/subscribed_apps`)).body).toEqual({ success: true });
  });

  it('unknown ids and edges, and the management rate limit (80007)', async () => {
    await start();
    const unknown = await graph(sb!, 'GET', '/v24.0/123456');
    expect(unknown.body.error).toMatchObject({ code: 100, error_subcode: 33 });
    const edge = await graph(sb!, 'GET', `/v24.0/${SANDBOX_WABA_ID}/nope`);
    expect(edge.body.error.code).toBe(2500);
    await sb!.close();
    sb = await startSandbox({
      clock: new FakeClock(),
      scenario: { limits: { management_calls_per_hour: 3 }, wabas: [{ id: '11', name: 'w' }] },
    });
    const usage = async () => {
      const res = await fetch(`${sb!.baseUrl}/v24.0/11/message_templates`, {
        headers: { authorization: `Bearer ${SANDBOX_ACCESS_TOKEN}` },
      });
      const header = JSON.parse(res.headers.get('x-business-use-case-usage') ?? 'null') as Record<
        string,
        { type: string; call_count: number; estimated_time_to_regain_access: number }[]
      >;
      return { status: res.status, body: (await res.json()) as { error?: { code: number } }, usage: header['11']![0]! };
    };
    const calls = [await usage(), await usage(), await usage()];
    expect(calls.map((c) => c.status)).toEqual([200, 200, 200]);
    expect(calls.map((c) => c.usage.call_count)).toEqual([33, 67, 100]);
    expect(calls[0]!.usage.type).toBe('whatsapp_business_management');
    const limited = await usage();
    expect(limited.status).toBe(429);
    expect(limited.body.error!.code).toBe(80007);
    expect(limited.usage.estimated_time_to_regain_access).toBe(60);
    expect(sb.stats().limits.management_rate_rejections).toBe(1);
  });

  it('appsecret_proof is checked when given (code 100 on a mismatch)', async () => {
    await start();
    const proof = (secret: string) => crypto.createHmac('sha256', secret).update(SANDBOX_ACCESS_TOKEN).digest('hex');
    const ok = await graph(sb!, 'GET', `/v24.0/${SANDBOX_WABA_ID}?fields=id&appsecret_proof=${proof(SANDBOX_APP_SECRET)}`);
    expect(ok.body).toEqual({ id: SANDBOX_WABA_ID });
    const bad = await graph(sb!, 'GET', `/v24.0/${SANDBOX_WABA_ID}?fields=id&appsecret_proof=${proof('another-secret')}`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({
      code: 100,
      type: 'GraphMethodException',
      message: 'Invalid appsecret_proof provided in the API argument',
    });
  });

  it('GET /app and the Resumable Upload API give a handle for the profile picture', async () => {
    await start();
    const app = await graph(sb!, 'GET', '/v24.0/app?fields=id,name');
    expect(app.body).toEqual({ id: sb!.credentials.appId, name: 'Pacer Sandbox App' });
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4]);
    const session = await graph(
      sb!,
      'POST',
      `/v24.0/${app.body.id}/uploads?file_name=logo.png&file_length=${bytes.length}&file_type=image/png`,
    );
    expect(session.body.id).toMatch(/^upload:[^?]+\?sig=/);
    const [sessionPath] = session.body.id.split('?');
    const res = await fetch(`${sb!.baseUrl}/v24.0/${sessionPath}`, {
      method: 'POST',
      headers: { authorization: `OAuth ${SANDBOX_ACCESS_TOKEN}`, file_offset: '0', 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    const { h } = (await res.json()) as { h: string };
    expect(h).toMatch(/^4:/);
    const path = `/v24.0/${SANDBOX_PHONE_NUMBER_ID}/whatsapp_business_profile`;
    expect((await graph(sb!, 'POST', path, { messaging_product: 'whatsapp', profile_picture_handle: h })).body).toEqual({ success: true });
    expect((await graph(sb!, 'GET', `${path}?fields=profile_picture_url`)).body.data[0].profile_picture_url).toMatch(/^https:\/\//);
    expect((await graph(sb!, 'POST', path, { messaging_product: 'whatsapp', profile_picture_handle: '4:made-up' })).body.error.code).toBe(
      100,
    );
    const badType = await graph(
      sb!,
      'POST',
      `/v24.0/${app.body.id}/uploads?file_name=a.exe&file_length=3&file_type=application/x-msdownload`,
    );
    expect(badType.body.error.code).toBe(100);
  });
});
