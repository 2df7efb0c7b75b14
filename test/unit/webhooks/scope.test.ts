/**
 * Whose events these are (scope.ts) and value-level errors (payload.ts), at unit level: the rule
 * table, the cache of the connection's ids, and the parse of `value.errors`.
 */
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../electron/core/clock';
import type { WebhookEvent } from '../../../electron/core/webhooks/events';
import { parseEvents } from '../../../electron/core/webhooks/payload';
import { outOfScope, ScopeCache, type AccountScope } from '../../../electron/core/webhooks/scope';
import { createOptOutMatcher } from '../../../electron/core/webhooks/stop-keywords';

const OURS: AccountScope = { wabaId: 'WABA1', defaultNumberId: 'PN1', numbers: new Set(['PN1', 'PN2']) };
const optOut = createOptOutMatcher();

const ev = (type: WebhookEvent['type'], wabaId: string, phoneNumberId: string | null) =>
  ({ type, key: 'k', wabaId, phoneNumberId, displayPhoneNumber: null }) as unknown as WebhookEvent;

describe('outOfScope: only the connected WABA and its numbers apply', () => {
  it('connected: our WABA (any of its numbers, known or not) is ours; another WABA is foreign', () => {
    for (const type of ['status', 'message', 'user_preferences', 'business_capability', 'template_status', 'value_error'] as const) {
      expect(outOfScope(ev(type, 'WABA1', 'PN1'), OURS)).toBeNull();
      expect(outOfScope(ev(type, 'WABA1', 'PN2'), OURS)).toBeNull();
      // Meta names the number's owning WABA in entry.id: a number added since our last refresh is still ours.
      expect(outOfScope(ev(type, 'WABA1', 'PN-NEW'), OURS)).toBeNull();
      expect(outOfScope(ev(type, 'WABA9', 'PN1'), OURS)).toEqual({ reason: 'foreign_waba', id: 'WABA9' });
      expect(outOfScope(ev(type, 'WABA9', null), OURS)).toEqual({ reason: 'foreign_waba', id: 'WABA9' });
    }
  });

  it('an entry without an id is judged by its phone number', () => {
    expect(outOfScope(ev('message', '', 'PN2'), OURS)).toBeNull();
    expect(outOfScope(ev('message', '', 'PN9'), OURS)).toEqual({ reason: 'foreign_number', id: 'PN9' });
    expect(outOfScope(ev('business_capability', '', null), OURS)).toEqual({ reason: 'foreign_waba', id: '' });
  });

  it('no account connected: account/template events are ignored, message-level events still apply', () => {
    for (const type of [
      'business_capability',
      'account_update',
      'phone_quality',
      'template_status',
      'template_category',
      'other',
    ] as const) {
      expect(outOfScope(ev(type, 'WABA9', null), null)).toEqual({ reason: 'no_account', id: 'WABA9' });
    }
    for (const type of ['status', 'message', 'user_preferences', 'value_error'] as const)
      expect(outOfScope(ev(type, 'WABA9', 'PN9'), null)).toBeNull();
  });
});

describe('ScopeCache', () => {
  it('reads the connection once per time-to-live, again after invalidate', async () => {
    const clock = new FakeClock();
    let loads = 0;
    let scope: AccountScope | null = OURS;
    const cache = new ScopeCache(
      () => {
        loads++;
        return scope;
      },
      clock,
      5_000,
    );
    for (let i = 0; i < 1000; i++) cache.check()(ev('status', 'WABA1', 'PN1'));
    expect(loads).toBe(1);
    scope = null;
    expect(cache.current()).toBe(OURS); // cached
    cache.invalidate();
    expect(cache.current()).toBeNull();
    expect(loads).toBe(2);
    scope = OURS;
    await clock.advance(5_000);
    expect(cache.current()).toBe(OURS);
    expect(loads).toBe(3);
  });
});

describe('value-level errors', () => {
  const body = (time = 1767600000) =>
    JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: 'WABA1',
          time,
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550001111', phone_number_id: 'PN1' },
                errors: [
                  {
                    code: 131000,
                    title: 'Something went wrong',
                    message: 'Something went wrong',
                    error_data: { details: 'Message failed to send because of an unknown error.' },
                    href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
                  },
                ],
                statuses: [{ id: 'wamid.V1', status: 'sent', timestamp: '1767600000', recipient_id: '15550000001' }],
              },
            },
          ],
        },
      ],
    });

  it("become a value_error event beside the value's statuses, keyed so a repeat is the same event", () => {
    const events = parseEvents(body(), { optOut });
    expect(events.map((e) => e.type).sort()).toEqual(['status', 'value_error']);
    const v = events.find((e) => e.type === 'value_error')!;
    expect(v).toMatchObject({
      type: 'value_error',
      field: 'messages',
      wabaId: 'WABA1',
      phoneNumberId: 'PN1',
      time: 1767600000_000,
      errors: [{ code: 131000, title: 'Something went wrong', details: 'Message failed to send because of an unknown error.' }],
    });
    expect(parseEvents(body(), { optOut }).find((e) => e.type === 'value_error')!.key).toBe(v.key);
    expect(parseEvents(body(1767600060), { optOut }).find((e) => e.type === 'value_error')!.key).not.toBe(v.key);
  });

  it('a value without errors gives no value_error event', () => {
    const plain = body().replace(/"errors":\[[^\]]*\],/, '');
    expect(parseEvents(plain, { optOut }).map((e) => e.type)).toEqual(['status']);
  });
});
