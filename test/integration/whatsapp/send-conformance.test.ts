import { afterEach, describe, expect, it } from 'vitest';
import { SANDBOX_ACCESS_TOKEN, SANDBOX_PHONE_NUMBER_ID, SANDBOX_WABA_ID, startSandbox } from '../../../electron/core/sandbox/index';
import { GraphApiError, type TemplateSend } from '../../../electron/core/whatsapp/client';
import { loadSpecValidator } from '../../support/openapi';
import { testCore } from '../../support/core';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

/** A core whose fetch keeps every /messages request body and response body. */
async function connected() {
  const wire: { request: unknown; response: unknown; status: number }[] = [];
  const fetch = (async (input: string, init?: RequestInit) => {
    const res = await globalThis.fetch(input, init);
    if (new URL(String(input)).pathname.endsWith('/messages')) {
      const text = await res.clone().text();
      wire.push({ request: JSON.parse(String(init?.body)), response: JSON.parse(text), status: res.status });
    }
    return res;
  }) as typeof globalThis.fetch;
  const c = testCore({ fetch });
  cleanup.push(() => c.close());
  const sb = await startSandbox({ clock: c.clock });
  cleanup.push(() => sb.close());
  const r = await c.call('account:connect', {
    graphUrl: sb.baseUrl,
    wabaId: SANDBOX_WABA_ID,
    phoneNumberId: SANDBOX_PHONE_NUMBER_ID,
    accessToken: SANDBOX_ACCESS_TOKEN,
  });
  if (!r.ok) throw new Error(r.message);
  return { c, sb, wire, client: c.services.account.client() };
}

const SENDS: Record<string, TemplateSend> = {
  'positional: text header, body, URL button': {
    to: '+972541234567',
    name: 'order_update',
    language: 'en_US',
    bizOpaqueCallbackData: 'campaign-1:row-1',
    components: [
      { type: 'header', parameters: [{ type: 'text', text: 'A-1001' }] },
      {
        type: 'body',
        parameters: [
          { type: 'text', text: 'Dana' },
          { type: 'text', text: 'A-1001' },
          { type: 'text', text: 'Friday' },
        ],
      },
      { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'A-1001' }] },
    ],
  },
  'named (Hebrew): image header and named body parameters': {
    to: '+972541234568',
    name: 'spring_sale',
    language: 'he',
    components: [
      { type: 'header', parameters: [{ type: 'image', image: { link: 'https://example.com/spring.jpg' } }] },
      {
        type: 'body',
        parameters: [
          { type: 'text', parameter_name: 'first_name', text: 'דנה' },
          { type: 'text', parameter_name: 'discount', text: '20%' },
          { type: 'text', parameter_name: 'end_date', text: '30 באפריל' },
        ],
      },
    ],
  },
};

describe("sends through the emulator conform to Meta's OpenAPI spec both ways", () => {
  const spec = loadSpecValidator();

  it.each(Object.entries(SENDS))('%s', async (_n, send) => {
    const { client, wire, sb } = await connected();
    const res = await client.sendTemplate(SANDBOX_PHONE_NUMBER_ID, send);
    expect(res.wamid).toMatch(/^wamid\./);
    expect(wire).toHaveLength(1);
    expect(spec.validate('TemplateMessage', wire[0]!.request)).toEqual([]);
    expect(spec.validate('MessageResponsePayload', wire[0]!.response)).toEqual([]);
    expect(sb.messageStatus(res.wamid)).toBeDefined(); // the emulator accepted it
  });

  it('a paused template is refused with 132015 → halt_campaign; a wrong parameter count with 132000 → fix_payload', async () => {
    const { client } = await connected();
    const paused = await client
      .sendTemplate(SANDBOX_PHONE_NUMBER_ID, { to: '+972541234569', name: 'winter_clearance', language: 'en_US' })
      .catch((e: unknown) => e);
    expect(paused).toBeInstanceOf(GraphApiError);
    expect(paused).toMatchObject({ code: 132015, errorClass: 'halt_campaign', ambiguous: false });
    const short = await client
      .sendTemplate(SANDBOX_PHONE_NUMBER_ID, {
        to: '+972541234569',
        name: 'order_update',
        language: 'en_US',
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'only one' }] }],
      })
      .catch((e: unknown) => e);
    expect(short).toMatchObject({ errorClass: 'fix_payload' });
    expect([132000, 131008]).toContain((short as GraphApiError).code);
  });
});
