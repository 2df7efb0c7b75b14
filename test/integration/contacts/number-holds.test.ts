import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/index';
import { compileMapping } from '../../../electron/core/campaigns/params';
import { planAudience } from '../../../electron/core/campaigns/plan';
import { contactsFromService } from '../../../electron/core/campaigns/ports-live';
import { ok, testCore } from './helpers';

const T0 = 1767600000; // unix seconds
const DANA = '972502345678';
const OMER = '972502345679';

function messages(from: string, list: Record<string, unknown>[]) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'WABA1',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550001111', phone_number_id: 'PN1' },
              contacts: [{ profile: { name: 'Dana' }, wa_id: from }],
              messages: list.map((m) => ({ from, ...m })),
            },
          },
        ],
      },
    ],
  };
}

function status(wamid: string, recipient: string, seconds: number, keyHash: string | null, st = 'delivered') {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'WABA1',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550001111', phone_number_id: 'PN1' },
              statuses: [
                {
                  id: wamid,
                  status: st,
                  timestamp: String(seconds),
                  recipient_id: recipient,
                  ...(keyHash ? { recipient_identity_key_hash: keyHash } : {}),
                },
              ],
            },
          },
        ],
      },
    ],
  };
}

const compiled = compileMapping(
  { name: 'promo', language: 'en_US', category: 'MARKETING', components: [{ type: 'BODY', text: 'Hi {{1}}' }] },
  { 1: '"friend"' },
);

describe('number changed hands: hold until the marketer confirms', () => {
  let core: Core | null = null;
  afterEach(async () => {
    await core?.close();
    core = null;
  });

  async function setup() {
    const c = testCore();
    core = c;
    for (const phone of [DANA, OMER]) {
      c.db.prepare("INSERT INTO contacts (phone, name, country, created_at, updated_at) VALUES (?, 'x', 'IL', 1, 1)").run(`+${phone}`);
      await ok(c.call('contacts:opt-in', { contact: { phone: `+${phone}` }, category: 'marketing', source: 'paper form' }));
    }
    return c;
  }

  async function ingest(c: Core, doc: unknown) {
    const svc = c.services.webhooks;
    svc.inbox.appendNow([{ body: Buffer.from(JSON.stringify(doc)), source: 'direct' }]);
    await svc.processor.drain();
  }

  const plan = (c: Core) =>
    planAudience({
      contacts: contactsFromService(c.ctx, c.services.contacts).resolveAudience('all', 'marketing') as never,
      category: 'MARKETING',
      compiled,
      now: c.ctx.clock.now(),
    });
  const idOf = (c: Core, phone: string) => c.db.prepare('SELECT id FROM contacts WHERE phone = ?').pluck().get(`+${phone}`) as number;

  it('a user_changed_number system message holds the contact; the plan and the sender gate exclude it; confirm releases it', async () => {
    const c = await setup();
    expect(plan(c).eligible).toHaveLength(2);
    await ingest(
      c,
      messages(DANA, [
        {
          id: 'wamid.SYS1',
          timestamp: String(T0),
          type: 'system',
          system: { body: 'User A changed from 972502345678 to 972549999999', wa_id: '972549999999', type: 'user_changed_number' },
        },
      ]),
    );

    const detail = await ok(c.call('contacts:get', { phone: `+${DANA}` }));
    expect(detail.hold).toMatchObject({ reason: 'user_changed_number', heldAt: T0 * 1000 });
    expect(detail.hold!.detail).toMatch(/972549999999/);
    const p = plan(c);
    expect(p.excluded.held_number_changed).toBe(1);
    expect(p.exclusions).toEqual([expect.objectContaining({ contactId: idOf(c, DANA), reason: 'held_number_changed' })]);
    expect(p.eligible.map((e) => e.phone)).toEqual([`+${OMER}`]);
    expect([...contactsFromService(c.ctx, c.services.contacts).heldOf!([idOf(c, DANA), idOf(c, OMER)])]).toEqual([idOf(c, DANA)]);

    const r = await ok(c.call('contacts:confirm-number', { phone: `+${DANA}` }));
    expect(r.released).toBe(true);
    const after = await ok(c.call('contacts:get', { phone: `+${DANA}` }));
    expect(after.hold).toBeNull();
    expect(after.holdHistory.map((h) => [h.kind, h.actor])).toEqual([
      ['confirmed', 'cli'],
      ['held', 'webhook'],
    ]);
    expect(plan(c).eligible).toHaveLength(2);

    // The same event replayed after the confirmation does not hold again.
    await ingest(
      c,
      messages(DANA, [{ id: 'wamid.SYS2', timestamp: String(T0), type: 'system', system: { body: 'again', type: 'user_changed_number' } }]),
    );
    expect((await ok(c.call('contacts:get', { phone: `+${DANA}` }))).hold).toBeNull();
    expect((await ok(c.call('contacts:confirm-number', { id: idOf(c, OMER) }))).released).toBe(false);
  });

  it('the first identity hash is stored, the same hash does not hold, a changed one does', async () => {
    const c = await setup();
    await ingest(c, status('wamid.A', OMER, T0, 'hashA', 'sent'));
    await ingest(c, status('wamid.A', OMER, T0 + 5, 'hashA'));
    await ingest(c, status('wamid.B', OMER, T0 + 60, 'hashA'));
    await ingest(c, status('wamid.C', OMER, T0 + 61, null));
    expect((await ok(c.call('contacts:get', { phone: `+${OMER}` }))).hold).toBeNull();
    expect(plan(c).excluded.held_number_changed).toBe(0);

    await ingest(c, status('wamid.D', OMER, T0 + 120, 'hashB'));
    const held = await ok(c.call('contacts:get', { phone: `+${OMER}` }));
    expect(held.hold).toMatchObject({ reason: 'identity_changed' });
    expect(held.hold!.detail).toMatch(/hashA to hashB/);
    expect(plan(c).exclusions).toEqual([expect.objectContaining({ contactId: idOf(c, OMER), reason: 'held_number_changed' })]);

    await ok(c.call('contacts:confirm-number', { phone: `+${OMER}` }));
    // After confirming, the new hash is the known one: more statuses with it do not hold again.
    await ingest(c, status('wamid.E', OMER, T0 + 3600, 'hashB'));
    expect((await ok(c.call('contacts:get', { phone: `+${OMER}` }))).hold).toBeNull();
    // Statuses for numbers not in contacts are ignored.
    await ingest(c, status('wamid.F', '972500000000', T0, 'hashZ'));
    expect(c.db.prepare('SELECT count(*) FROM contact_identity').pluck().get()).toBe(1);
  });
});
