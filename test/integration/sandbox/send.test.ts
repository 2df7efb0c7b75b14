import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../electron/core/clock';
import {
  SANDBOX_PHONE_NUMBER_ID,
  SANDBOX_PHONE_NUMBER_IDS,
  startSandbox,
  type SandboxHandle,
  type SandboxOptions,
} from '../../../electron/core/sandbox';
import { graph, orderUpdate, send, templateSend } from './helpers';

let sb: SandboxHandle | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});
const start = async (o: SandboxOptions = {}) => (sb = await startSandbox({ clock: new FakeClock(), ...o }));

const saleHe = (to: string, extra: Record<string, unknown> = {}) =>
  templateSend(
    to,
    'spring_sale',
    'he',
    [
      { type: 'header', parameters: [{ type: 'image', image: { link: 'https://example.com/sale.jpg' } }] },
      {
        type: 'body',
        parameters: [
          { type: 'text', parameter_name: 'first_name', text: 'דנה' },
          { type: 'text', parameter_name: 'discount', text: '20%' },
          { type: 'text', parameter_name: 'end_date', text: '30/4' },
        ],
      },
    ],
    extra,
  );

/** Asserts Meta's error envelope and returns error.code. */
function errorCode(r: { status: number; body: { error?: Record<string, unknown> } }): number {
  const e = r.body.error!;
  expect(e).toBeDefined();
  expect(typeof e.message).toBe('string');
  expect(e.type).toBe('OAuthException');
  expect(typeof e.fbtrace_id).toBe('string');
  if (e.code !== 190) expect(e.error_data).toMatchObject({ messaging_product: 'whatsapp', details: expect.any(String) });
  return e.code as number;
}

describe('sandbox: template send', () => {
  it("accepts a valid template send with Meta's response shape", async () => {
    await start();
    const r = await send(sb!, orderUpdate('+972 54-123-4567', { biz_opaque_callback_data: 'c1:r1' }));
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      messaging_product: 'whatsapp',
      contacts: [{ input: '+972 54-123-4567', wa_id: '972541234567' }],
      messages: [{ id: expect.stringMatching(/^wamid\.[A-Za-z0-9+/=]+$/), message_status: 'accepted' }],
    });
    expect(sb!.stats().sends.accepted).toBe(1);
    expect(sb!.messages()[0]).toMatchObject({
      wa_id: '972541234567',
      biz_opaque_callback_data: 'c1:r1',
      template: { name: 'order_update', language: 'en_US' },
    });
  });

  it('accepts named parameters in Hebrew with an image header, and any vNN.N version prefix', async () => {
    await start();
    for (const v of ['v21.0', 'v24.0', 'v25.0', 'v99.9']) {
      const r = await send(sb!, saleHe(`+97254000000${v.slice(1, 3)}`), SANDBOX_PHONE_NUMBER_IDS.il, v);
      expect(r.status, v).toBe(200);
    }
  });

  it('answers a different wa_id when Meta rewrites the number', async () => {
    await start();
    const r = await send(sb!, orderUpdate('+5511987654321'));
    expect(r.body.contacts[0]).toEqual({ input: '+5511987654321', wa_id: '551187654321' });
  });

  it('rejects bad, expired and revoked tokens with 190', async () => {
    await start();
    const bad = await graph(sb!, 'POST', `/v24.0/${SANDBOX_PHONE_NUMBER_ID}/messages`, orderUpdate('+972541234567'), 'nope');
    expect(bad.status).toBe(401);
    expect(errorCode(bad)).toBe(190);
    const none = await graph(sb!, 'POST', `/v24.0/${SANDBOX_PHONE_NUMBER_ID}/messages`, orderUpdate('+972541234567'), null);
    expect(errorCode(none)).toBe(190);
    sb!.setTokenState('expired');
    const expired = await send(sb!, orderUpdate('+972541234567'));
    expect(errorCode(expired)).toBe(190);
    expect(expired.body.error.error_subcode).toBe(463);
    expect(expired.body.error.message).toMatch(/Session has expired/);
    sb!.setTokenState('revoked');
    expect((await send(sb!, orderUpdate('+972541234567'))).body.error.error_subcode).toBe(460);
  });

  it('132001: unknown name, unknown language, PENDING and REJECTED templates (404)', async () => {
    await start();
    const cases = [
      templateSend('+972541234567', 'no_such_template', 'en_US'),
      templateSend('+972541234567', 'order_update', 'fr'),
      templateSend('+972541234567', 'loyalty_points', 'en_US', [
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'a' },
            { type: 'text', text: 'b' },
          ],
        },
      ]),
      templateSend('+972541234567', 'account_bonus', 'en_US', [
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'a' },
            { type: 'text', text: 'b' },
          ],
        },
      ]),
    ];
    for (const c of cases) {
      const r = await send(sb!, c);
      expect(r.status).toBe(404);
      expect(errorCode(r)).toBe(132001);
    }
  });

  it('132015 for the PAUSED template and 132016 for the DISABLED one', async () => {
    await start();
    const paused = await send(
      sb!,
      templateSend('+972541234567', 'winter_clearance', 'en_US', [{ type: 'body', parameters: [{ type: 'text', text: '50%' }] }]),
    );
    expect(errorCode(paused)).toBe(132015);
    const disabled = await send(
      sb!,
      templateSend('+972541234567', 'black_friday_2025', 'en_US', [{ type: 'body', parameters: [{ type: 'text', text: '40%' }] }]),
    );
    expect(errorCode(disabled)).toBe(132016);
  });

  it("maps payload mistakes to Meta's codes over HTTP", async () => {
    await start();
    const expectCode = async (body: unknown, code: number) =>
      expect(errorCode(await send(sb!, body)), JSON.stringify(body).slice(0, 120)).toBe(code);
    await expectCode(orderUpdate('+972541234567', {}, ['a', 'b']), 132000);
    await expectCode(orderUpdate('+972541234567', {}, ['a\nb', 'b', 'c']), 132007);
    await expectCode(orderUpdate('+972541234567', {}, ['a'.repeat(1100), 'b', 'c']), 132005);
    await expectCode(templateSend('+972541234567', 'spring_sale', 'he', [{ type: 'body', parameters: [] }]), 132012);
    await expectCode({ ...orderUpdate('+972541234567'), to: undefined }, 131008);
    await expectCode({ ...orderUpdate('+972541234567'), messaging_product: undefined }, 131008);
    await expectCode({ ...orderUpdate('+972541234567'), messaging_product: 'sms' }, 100);
    await expectCode({ ...orderUpdate('+972541234567'), to: 'call me' }, 100);
    await expectCode({ ...orderUpdate('+972541234567'), biz_opaque_callback_data: 'x'.repeat(513) }, 100);
    await expectCode(templateSend('+972541234567', '', 'en_US'), 131008);
    await expectCode(
      {
        ...templateSend('+972541234567', 'order_update', 'en_US'),
        template: { name: 'order_update', language: { code: 'en_US', policy: 'fallback' } },
      },
      131009,
    );
    await expectCode({ messaging_product: 'whatsapp', to: '+972541234567', type: 'image', image: { link: 'https://x.com/a.jpg' } }, 131051);
    await expectCode(orderUpdate('+15550100100'), 131021);
    const s = sb!.stats();
    expect(s.sends.accepted).toBe(0);
    expect(s.errors_by_code.sync['132000']).toBe(1);
    expect(s.errors_by_code.sync['131008']).toBe(3);
  });

  it('a non-JSON body is error 100', async () => {
    await start();
    const res = await fetch(`${sb!.baseUrl}/v24.0/${SANDBOX_PHONE_NUMBER_ID}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sb!.credentials.accessToken}`, 'content-type': 'application/json' },
      body: '{oops',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: number } }).error.code).toBe(100);
  });

  it('131047: free text outside a customer-service window; allowed after the user writes', async () => {
    await start();
    const text = { messaging_product: 'whatsapp', to: '+972541234567', type: 'text', text: { body: 'Hello' } };
    expect(errorCode(await send(sb!, text))).toBe(131047);
    sb!.sendInbound({ from: '+972541234567', phone_number_id: SANDBOX_PHONE_NUMBER_ID, kind: 'text', text: 'hi' });
    const ok = await send(sb!, text);
    expect(ok.status).toBe(200);
    expect(ok.body.messages[0].message_status).toBeUndefined(); // only template sends carry it
  });

  it('sender state: 133010 unregistered number, 368 restricted, 131031 locked account', async () => {
    await start();
    sb!.setPhoneNumber(SANDBOX_PHONE_NUMBER_ID, { status: 'DISCONNECTED' });
    expect(errorCode(await send(sb!, orderUpdate('+972541234567')))).toBe(133010);
    sb!.setPhoneNumber(SANDBOX_PHONE_NUMBER_ID, { status: 'RESTRICTED' });
    expect(errorCode(await send(sb!, orderUpdate('+972541234567')))).toBe(368);
    sb!.setPhoneNumber(SANDBOX_PHONE_NUMBER_ID, { status: 'CONNECTED' });
    await sb!.close();
    sb = await startSandbox({
      clock: new FakeClock(),
      scenario: {
        wabas: [
          {
            id: '1',
            name: 'w',
            health: 'LOCKED',
            phone_numbers: [{ id: '2', display_phone_number: '+1 555 000 0002', verified_name: 'x' }],
            templates: [],
          },
        ],
      },
    });
    expect(errorCode(await send(sb, orderUpdate('+972541234567'), '2'))).toBe(131031);
  });

  it('131048 for a spam-rate-limited number; 130497 for a restricted country', async () => {
    await start();
    sb!.setPhoneNumber(SANDBOX_PHONE_NUMBER_ID, { status: 'RATE_LIMITED' });
    expect(errorCode(await send(sb!, orderUpdate('+972541234567')))).toBe(131048);
    await sb!.close();
    const { DEFAULT_SCENARIO } = await import('../../../electron/core/sandbox');
    sb = await startSandbox({ clock: new FakeClock(), scenario: { ...DEFAULT_SCENARIO, limits: { restricted_calling_codes: ['886'] } } });
    const r = await send(sb, orderUpdate('+886912345678'));
    expect(r.status).toBe(403);
    expect(errorCode(r)).toBe(130497);
    expect((await send(sb, orderUpdate('+972541234567'))).status).toBe(200);
  });

  it('an unknown phone number id is error 100 subcode 33', async () => {
    await start();
    const r = await send(sb!, orderUpdate('+972541234567'), '999');
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 100, error_subcode: 33 });
  });

  it('uploads media (multipart) and sends it by id', async () => {
    await start();
    const form = new FormData();
    form.set('messaging_product', 'whatsapp');
    form.set('type', 'image/jpeg');
    form.set('file', new Blob([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])], { type: 'image/jpeg' }), 'sale.jpg');
    const res = await fetch(`${sb!.baseUrl}/v24.0/${SANDBOX_PHONE_NUMBER_IDS.il}/media`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sb!.credentials.accessToken}` },
      body: form,
    });
    expect(res.status).toBe(200);
    const { id } = (await res.json()) as { id: string };
    expect(id).toMatch(/^\d+$/);
    const info = await graph(sb!, 'GET', `/v24.0/${id}`);
    expect(info.body).toMatchObject({ id, mime_type: 'image/jpeg', file_size: 7, messaging_product: 'whatsapp' });
    const body = saleHe('+972541234567');
    (body.template.components as { parameters: unknown[] }[])[0]!.parameters = [{ type: 'image', image: { id } }];
    expect((await send(sb!, body, SANDBOX_PHONE_NUMBER_IDS.il)).status).toBe(200);

    const bad = new FormData();
    bad.set('messaging_product', 'whatsapp');
    bad.set('file', new Blob([Buffer.from('MZ')], { type: 'application/x-msdownload' }), 'a.exe');
    const r2 = await fetch(`${sb!.baseUrl}/v24.0/${SANDBOX_PHONE_NUMBER_IDS.il}/media`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sb!.credentials.accessToken}` },
      body: bad,
    });
    expect(((await r2.json()) as { error: { code: number } }).error.code).toBe(131053);
    const noProduct = new FormData();
    noProduct.set('file', new Blob([Buffer.from([1])], { type: 'image/png' }), 'a.png');
    const r3 = await fetch(`${sb!.baseUrl}/v24.0/${SANDBOX_PHONE_NUMBER_IDS.il}/media`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sb!.credentials.accessToken}` },
      body: noProduct,
    });
    expect(((await r3.json()) as { error: { code: number } }).error.code).toBe(131008);
  });

  it('the same seed gives the same wamids', async () => {
    const ids: string[][] = [];
    for (let i = 0; i < 2; i++) {
      const h = await startSandbox({ clock: new FakeClock(), seed: 7 });
      const r1 = await send(h, orderUpdate('+972541234567'));
      const r2 = await send(h, orderUpdate('+972541234568'));
      ids.push([r1.body.messages[0].id, r2.body.messages[0].id]);
      await h.close();
    }
    expect(ids[0]).toEqual(ids[1]);
  });
});
