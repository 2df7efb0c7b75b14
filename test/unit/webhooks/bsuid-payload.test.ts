import { describe, expect, it } from 'vitest';
import { parseEvents } from '../../../electron/core/webhooks/payload';
import { createOptOutMatcher } from '../../../electron/core/webhooks/stop-keywords';
import type { MessageEvent, StatusEvent, UserPreferenceEvent } from '../../../electron/core/webhooks/events';
import { isStrictRefusal, routeFor } from '../../../electron/core/whatsapp/marketing-messages';

const opts = { optOut: createOptOutMatcher() };
const envelope = (field: string, value: object) =>
  JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '3000000000000001',
        changes: [{ field, value: { messaging_product: 'whatsapp', metadata: { phone_number_id: '4000000000000001' }, ...value } }],
      },
    ],
  });

describe('business-scoped user ids in webhook payloads (Meta 2026 shapes)', () => {
  it('a STOP without a phone is kept, identified by from_user_id / contacts[].user_id, with the username', () => {
    const [ev] = parseEvents(
      envelope('messages', {
        contacts: [
          { profile: { name: 'Noa', username: 'noa.levi' }, user_id: 'IL.1502576394655843', parent_user_id: 'US.ENT.11815799212886844830' },
        ],
        messages: [{ from_user_id: 'IL.1502576394655843', id: 'wamid.A', timestamp: '1767225600', type: 'text', text: { body: 'STOP' } }],
      }),
      opts,
    ) as MessageEvent[];
    expect(ev).toMatchObject({
      type: 'message',
      from: null,
      userId: 'IL.1502576394655843',
      parentUserId: 'US.ENT.11815799212886844830',
      username: 'noa.levi',
      profileName: 'Noa',
      optOut: { source: 'keyword' },
    });
  });

  it('a message with neither a phone nor a user id is skipped; one with a phone keeps working as before', () => {
    expect(
      parseEvents(
        envelope('messages', { messages: [{ id: 'wamid.B', timestamp: '1767225600', type: 'text', text: { body: 'hi' } }] }),
        opts,
      ),
    ).toEqual([]);
    const [ev] = parseEvents(
      envelope('messages', {
        contacts: [{ profile: { name: 'Dana' }, wa_id: '972541234567' }],
        messages: [{ from: '972541234567', id: 'wamid.C', timestamp: '1767225600', type: 'text', text: { body: 'hi' } }],
      }),
      opts,
    ) as MessageEvent[];
    expect(ev).toMatchObject({ from: '972541234567', userId: null, profileName: 'Dana' });
  });

  it('statuses carry recipient_user_id; preferences may come without wa_id; user_changed_user_id names the new id', () => {
    const [st] = parseEvents(
      envelope('messages', {
        statuses: [
          {
            id: 'wamid.D',
            status: 'delivered',
            timestamp: '1767225600',
            recipient_id: '972541234567',
            recipient_user_id: 'IL.1',
            recipient_parent_user_id: 'US.ENT.2',
          },
        ],
      }),
      opts,
    ) as StatusEvent[];
    expect(st).toMatchObject({ recipientId: '972541234567', recipientUserId: 'IL.1', recipientParentUserId: 'US.ENT.2' });
    const [p] = parseEvents(
      envelope('user_preferences', {
        contacts: [{ profile: { name: 'Noa', username: 'noa' }, user_id: 'IL.9' }],
        user_preferences: [{ user_id: 'IL.9', category: 'marketing_messages', value: 'stop', timestamp: 1767225600 }],
      }),
      opts,
    ) as UserPreferenceEvent[];
    expect(p).toMatchObject({
      waId: null,
      userId: 'IL.9',
      username: 'noa',
      key: 'user_preferences:IL.9:marketing_messages:stop:1767225600',
    });
    const [sys] = parseEvents(
      envelope('messages', {
        messages: [
          {
            from_user_id: 'IL.OLD',
            id: 'wamid.E',
            timestamp: '1767225600',
            type: 'system',
            system: { body: 'changed', type: 'user_changed_user_id', user_id: 'IL.NEW' },
          },
        ],
      }),
      opts,
    ) as MessageEvent[];
    expect(sys).toMatchObject({ from: null, userId: 'IL.OLD', system: { type: 'user_changed_user_id', newUserId: 'IL.NEW' } });
  });
});

describe('Marketing Messages API routing and strict refusals', () => {
  it('routes by category; only MARKETING sends are strict', () => {
    expect(routeFor('MARKETING', false)).toEqual({ endpoint: 'marketing_messages', strict: false });
    expect(routeFor('MARKETING', true)).toEqual({ endpoint: 'marketing_messages', strict: true });
    expect(routeFor('UTILITY', true)).toEqual({ endpoint: 'messages', strict: false });
    expect(routeFor('AUTHENTICATION', true)).toEqual({ endpoint: 'messages', strict: false });
    expect(routeFor(null, true)).toEqual({ endpoint: 'messages', strict: false });
  });

  it('a strict refusal is an explicit error outside the table, from a STRICT /marketing_messages send', () => {
    const strict = { endpoint: 'marketing_messages', strict: true } as const;
    const err = (code: number | null, extra: { httpStatus?: number; ambiguous?: boolean } = {}) => ({
      code,
      httpStatus: extra.httpStatus ?? 400,
      ambiguous: extra.ambiguous ?? false,
    });
    expect(isStrictRefusal(err(134100), strict)).toBe(true);
    expect(isStrictRefusal(err(63062), strict)).toBe(true);
    // Codes the table knows keep their meaning.
    for (const code of [131049, 131050, 132015, 130429, 100, 190]) expect(isStrictRefusal(err(code), strict)).toBe(false);
    expect(isStrictRefusal(err(134100), { endpoint: 'marketing_messages', strict: false })).toBe(false);
    expect(isStrictRefusal(err(134100), { endpoint: 'messages', strict: false })).toBe(false);
    expect(isStrictRefusal(err(null, { httpStatus: 0 }), strict)).toBe(false);
    expect(isStrictRefusal(err(134100, { ambiguous: true }), strict)).toBe(false);
    expect(isStrictRefusal(err(134100, { httpStatus: 503 }), strict)).toBe(false);
  });
});
