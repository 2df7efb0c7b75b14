import { describe, expect, it } from 'vitest';
import { metaPricing, PRICING_CHANGE_2026_10_01 } from '../../../electron/core/sandbox/pricing';
import { parseEvents } from '../../../electron/core/webhooks/payload';
import { createOptOutMatcher } from '../../../electron/core/webhooks/stop-keywords';

const before = PRICING_CHANGE_2026_10_01 - 1;
const after = PRICING_CHANGE_2026_10_01;
const msg = (o: Partial<Parameters<typeof metaPricing>[0]>) =>
  metaPricing({ at: after, templateCategory: 'MARKETING', inServiceWindow: false, inFreeEntryPoint: false, ...o });

describe('Sandbox pricing objects (the 2026-10-01 rules)', () => {
  it('marketing is always charged; marketing_lite through the MM API; free entry point is free', () => {
    expect(msg({})).toEqual({ billable: true, pricing_model: 'PMP', type: 'regular', category: 'marketing' });
    expect(msg({ inServiceWindow: true, at: before })).toMatchObject({ type: 'regular' });
    expect(msg({ viaMarketingMessages: true })).toMatchObject({ category: 'marketing_lite', type: 'regular' });
    expect(msg({ inFreeEntryPoint: true })).toEqual({
      billable: false,
      pricing_model: 'PMP',
      type: 'free_entry_point',
      category: 'marketing',
    });
  });

  it('utility inside the service window: free until 2026-09-30, charged from 2026-10-01', () => {
    expect(msg({ templateCategory: 'UTILITY', inServiceWindow: true, at: before })).toMatchObject({
      type: 'free_customer_service',
      billable: false,
    });
    expect(msg({ templateCategory: 'UTILITY', inServiceWindow: true, at: after })).toMatchObject({ type: 'regular', billable: true });
    expect(msg({ templateCategory: 'UTILITY', at: before })).toMatchObject({ type: 'regular' });
  });

  it('service messages: free before, charged from 2026-10-01', () => {
    expect(msg({ templateCategory: null, inServiceWindow: true, at: before })).toMatchObject({
      category: 'service',
      type: 'free_customer_service',
    });
    expect(msg({ templateCategory: null, inServiceWindow: true, at: after })).toMatchObject({
      category: 'service',
      type: 'regular',
      billable: true,
    });
    expect(msg({ templateCategory: 'AUTHENTICATION', authenticationInternational: true })).toMatchObject({
      category: 'authentication_international',
    });
  });
});

describe('click events (user_actions) in the webhook parser', () => {
  const envelope = (action: Record<string, unknown>) =>
    JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: 'WABA',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550001', phone_number_id: 'PN' },
                user_actions: [action],
              },
            },
          ],
        },
      ],
    });
  const optOut = createOptOutMatcher();

  it("Meta's documented shape: a click of the account, keyed by its click id", () => {
    const [ev] = parseEvents(
      envelope({
        action_type: 'marketing_messages_link_click',
        timestamp: '1764000000',
        marketing_messages_link_click_data: { click_component: 'cta', click_id: 'c1', tracking_token: 't', product_id: 'sku' },
      }),
      { optOut },
    );
    expect(ev).toMatchObject({
      type: 'click',
      actionType: 'marketing_messages_link_click',
      timestamp: 1764000000_000,
      component: 'cta',
      clickId: 'c1',
      productId: 'sku',
      wamid: null,
      recipientId: null,
      phoneNumberId: 'PN',
      wabaId: 'WABA',
      key: 'click:PN:c1',
    });
  });

  it('a message id and user when the event carries them; nothing from an action without a time', () => {
    const [ev] = parseEvents(
      envelope({
        action_type: 'marketing_messages_link_click',
        timestamp: '1764000000',
        context: { id: 'wamid.X' },
        from: '972501234567',
        marketing_messages_link_click_data: {},
      }),
      { optOut },
    );
    expect(ev).toMatchObject({ wamid: 'wamid.X', recipientId: '972501234567', clickId: null });
    expect(parseEvents(envelope({ action_type: 'marketing_messages_link_click' }), { optOut })).toEqual([]);
  });
});
