import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../electron/core/clock';
import { GraphClient, type TemplateSend } from '../../../electron/core/whatsapp/client';
import { loadSpecValidator, SPEC_PATCHES } from '../../support/openapi';

/** Captures what the client really puts on the wire, and answers like Meta. */
function capturingClient() {
  const bodies: unknown[] = [];
  const fetch = (async (_url: string, init: RequestInit) => {
    bodies.push(JSON.parse(String(init.body)));
    return new Response(
      JSON.stringify({
        messaging_product: 'whatsapp',
        contacts: [{ input: '+16505551234', wa_id: '16505551234' }],
        messages: [{ id: 'wamid.TEST', message_status: 'accepted' }],
      }),
      { status: 200, headers: { 'content-type': 'application/json' } },
    );
  }) as typeof globalThis.fetch;
  const client = new GraphClient({ baseUrl: 'http://graph.test', token: () => 'TOKEN-1234', fetch, clock: new FakeClock() });
  return { client, bodies };
}

/** Sends Pacer makes: every component and parameter kind campaigns use. */
const SENDS: Record<string, TemplateSend> = {
  'no parameters': { to: '+16505551234', name: 'hello_world', language: 'en_US' },
  'positional body text': {
    to: '16505551234',
    name: 'order_confirmation',
    language: 'en-US',
    components: [
      {
        type: 'body',
        parameters: [
          { type: 'text', text: 'Jessica' },
          { type: 'text', text: 'SKBUP2-4CPIG9' },
        ],
      },
    ],
  },
  'named body parameters': {
    to: '+972541234567',
    name: 'spring_sale_he',
    language: 'he',
    components: [
      {
        type: 'body',
        parameters: [
          { type: 'text', parameter_name: 'first_name', text: 'דנה' },
          { type: 'text', parameter_name: 'discount', text: '20%' },
        ],
      },
    ],
  },
  'image header by link, body, quick reply and url buttons': {
    to: '+886912345678',
    name: 'new_collection',
    language: 'zh_TW',
    bizOpaqueCallbackData: 'campaign-42:row-9001',
    components: [
      { type: 'header', parameters: [{ type: 'image', image: { link: 'https://example.com/a.jpg' } }] },
      { type: 'body', parameters: [{ type: 'text', text: '小明' }] },
      { type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload', payload: 'STOP_PROMO' }] },
      { type: 'button', sub_type: 'url', index: '1', parameters: [{ type: 'text', text: 'order/12345' }] },
    ],
  },
  'document header by uploaded media id': {
    to: '+447700900123',
    name: 'invoice',
    language: 'en_GB',
    components: [{ type: 'header', parameters: [{ type: 'document', document: { id: '1234567890' } }] }],
  },
  'video header, currency and date_time': {
    to: '+16505551234',
    name: 'payment_due',
    language: 'en_US',
    components: [
      { type: 'header', parameters: [{ type: 'video', video: { link: 'https://example.com/v.mp4' } }] },
      {
        type: 'body',
        parameters: [
          { type: 'currency', currency: { fallback_value: '$100.99', code: 'USD', amount_1000: 100990 } },
          { type: 'date_time', date_time: { fallback_value: 'February 25, 1977' } },
        ],
      },
    ],
  },
};

describe("template sends conform to Meta's official OpenAPI spec", () => {
  const spec = loadSpecValidator();

  it('loads the spec and applies only the documented defect patches', () => {
    expect(String(spec.spec.openapi)).toMatch(/^3\.1/);
    expect(SPEC_PATCHES).toHaveLength(1);
  });

  it.each(Object.entries(SENDS))('%s', async (_name, send) => {
    const { client, bodies } = capturingClient();
    const result = await client.sendTemplate('106540352242922', send);
    expect(result.wamid).toBe('wamid.TEST');
    expect(bodies).toHaveLength(1);
    expect(spec.validate('TemplateMessage', bodies[0])).toEqual([]);
    // The whole `Message` oneOf must accept it as exactly one kind.
    expect(spec.validate('Message', bodies[0])).toEqual([]);
    expect((bodies[0] as { to: string }).to.startsWith('+')).toBe(true);
  });

  it('the validator is not a rubber stamp: it rejects bodies the spec forbids', () => {
    const { validate } = spec;
    const good = {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '+1',
      type: 'template',
      template: { name: 'x', language: { code: 'en', policy: 'deterministic' } },
    };
    expect(validate('TemplateMessage', good)).toEqual([]);
    expect(validate('TemplateMessage', { ...good, template: { name: 'x' } })).not.toEqual([]); // no language
    expect(validate('TemplateMessage', { ...good, recipient_type: 'everyone' })).not.toEqual([]);
    const badParam = { ...good, template: { ...good.template, components: [{ type: 'body', parameters: [{ type: 'text' }] }] } }; // text missing
    expect(validate('TemplateMessage', badParam)).not.toEqual([]);
    const badButton = {
      ...good,
      template: {
        ...good.template,
        components: [{ type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload' }] }],
      },
    };
    expect(validate('TemplateMessage', badButton)).not.toEqual([]);
    const badMedia = {
      ...good,
      template: {
        ...good.template,
        components: [{ type: 'header', parameters: [{ type: 'image', image: { link: 'https://a', id: '1' } }] }],
      },
    };
    expect(validate('TemplateMessage', badMedia)).not.toEqual([]);
  });

  it("success answers match the spec's MessageResponsePayload", async () => {
    const schemaNames = Object.keys((spec.spec.components as { schemas: object }).schemas);
    expect(schemaNames).toContain('MessageResponsePayload');
    const answer = {
      messaging_product: 'whatsapp',
      contacts: [{ input: '+16505551234', wa_id: '16505551234' }],
      messages: [{ id: 'wamid.HBgL', message_status: 'accepted' }],
    };
    expect(spec.validate('MessageResponsePayload', answer)).toEqual([]);
  });
});
