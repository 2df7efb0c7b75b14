/**
 * Replies from people whose webhooks carry no phone (issue 13 §2, migration 0020), end to end on
 * real SQLite, the real webhook receiver and the Sandbox over HTTP: a user with a username (Meta
 * withholds their number: `from` left out, only `from_user_id`) is sent a campaign by `recipient`,
 * writes back — a text in the reply window and a button tap in context — and what they wrote is
 * stored, linked to the campaign message, and shows wherever replies show: the campaign's Replied
 * list and counts, the recipient rows, retargeting, the report file, the contact's conversation,
 * the data-subject export. Later Meta links the id to a number that is already a contact: the
 * contacts merge and the replies follow; erasing the contact deletes them. Erasing a phone-less
 * contact deletes theirs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_PHONE_NUMBER_ID } from '../../../electron/core/sandbox/index';
import { ok, phoneOf, runUntilDone, scenario, seedContacts, utilityDraft, world, type World } from './helpers';

describe('replies from people known only by their WhatsApp user id', () => {
  let w: World;
  let id = '';
  let userId = '';
  let contactId = 0;
  const phone = phoneOf(70);
  const settle = async () => {
    await w.sandbox.webhooksIdle();
    await w.core.services.webhooks.processor.drain();
  };
  const admin = async (path: string, body: unknown) => {
    const r = await fetch(`${w.sandbox.baseUrl}/__admin/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const j = (await r.json()) as Record<string, unknown>;
    if (!r.ok) throw new Error(`${path}: ${JSON.stringify(j)}`);
    return j;
  };
  const write = async (from: string, input: Record<string, unknown>) => {
    await admin('inbound', { from, phone_number_id: SANDBOX_PHONE_NUMBER_ID, ...input });
    await settle();
  };
  const stored = (uid: string) =>
    w.core.db
      .prepare('SELECT wa_id, user_id, text, link, campaign_id, recipient_id FROM inbound_replies WHERE user_id = ? ORDER BY id')
      .all(uid) as {
      wa_id: string | null;
      user_id: string;
      text: string;
      link: string | null;
      campaign_id: string | null;
      recipient_id: number | null;
    }[];

  beforeAll(async () => {
    w = await world({ scenario: scenario() });
    seedContacts(w.core, 2, { consent: 'utility' });
    // She has a username: her webhooks carry her user id and no number. She writes first.
    userId = (await admin('users/username', { phone, username: 'noa.k' })).user_id as string;
    await write(phone, { kind: 'text', text: 'hello' });
    contactId = w.core.db.prepare('SELECT id FROM contacts WHERE user_id = ? AND phone IS NULL').pluck().get(userId) as number;
    expect(contactId).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1_100)); // webhook times are whole seconds: the send comes after 'hello'
    id = (await ok(w.core.call('campaigns:create', utilityDraft()))).id;
    await ok(w.core.call('campaigns:start', { id }));
    expect((await runUntilDone(w, id)).state).toBe('completed');
    await settle();
  }, 60_000);
  afterAll(() => w.close());

  it('her first message (before any send) is stored by user id, unlinked; the webhook had no number', () => {
    const body = w.sandbox
      .webhookLog({ field: 'messages' })
      .map((e) => e.body)
      .find((b) => b.includes('"hello"'))!;
    expect(body).toContain(userId);
    expect(body).not.toContain(phone.slice(1));
    expect(stored(userId)).toEqual([{ wa_id: null, user_id: userId, text: 'hello', link: null, campaign_id: null, recipient_id: null }]);
  });

  it('a text in the window and a button tap in context: stored, linked to her row sent by `recipient`, listed and counted', async () => {
    const row = w.core.db
      .prepare('SELECT id, wamid, user_id, phone FROM campaign_recipients WHERE campaign_id = ? AND contact_id = ?')
      .get(id, contactId) as {
      id: number;
      wamid: string;
      user_id: string;
      phone: string | null;
    };
    expect(row).toMatchObject({ user_id: userId, phone: null });
    await new Promise((r) => setTimeout(r, 1_100)); // webhook times are whole seconds: after the send
    await write(phone, { kind: 'text', text: 'מתי זה נגמר?' });
    await write(phone, { kind: 'interactive', text: 'Yes, keep it', payload: 'confirm', context_wamid: row.wamid });
    expect(stored(userId).slice(1)).toEqual([
      { wa_id: null, user_id: userId, text: 'מתי זה נגמר?', link: 'window', campaign_id: id, recipient_id: row.id },
      { wa_id: null, user_id: userId, text: 'Yes, keep it', link: 'context', campaign_id: id, recipient_id: row.id },
    ]);

    const list = await ok(w.core.call('campaigns:replies', { id }));
    expect(list).toMatchObject({ total: 2, people: 1 });
    expect(list.replies.map((r) => [r.text, r.phone, r.contact_id, r.recipient_id])).toEqual([
      ['Yes, keep it', userId, contactId, row.id],
      ['מתי זה נגמר?', userId, contactId, row.id],
    ]);
    const perRow = await ok(w.core.call('campaigns:recipient-replies', { id, recipient_ids: [row.id] }));
    expect(perRow.map((r) => r.text)).toEqual(['מתי זה נגמר?', 'Yes, keep it']);
    const overview = (await ok(w.core.call('campaigns:overview', {}))).campaigns.find((c) => c.id === id)!;
    const timeline = await ok(w.core.call('campaigns:timeline', { id }));
    const stages = await ok(w.core.call('campaigns:retarget-stages', { id }));
    expect([overview.replied, timeline.replied, stages.find((s) => s.stage === 'replied')!.contacts]).toEqual([1, 1, 1]);
    // Retargeting the repliers tags her.
    await ok(w.core.call('campaigns:retarget', { id, stage: 'replied', tag: 'answered' }));
    const tagged = await ok(w.core.call('contacts:query', { tag: 'answered', limit: 10 }));
    expect(tagged.rows.map((r) => r.id)).toEqual([contactId]);
    // The report file carries her reply.
    const file = await ok(w.core.call('campaigns:export', { id, format: 'csv' }));
    expect(file.content).toContain('Yes, keep it');
  });

  it('her conversation and her data-subject export show what she wrote', async () => {
    const conv = await ok(w.core.call('contacts:conversation', { id: contactId }));
    expect(conv.map((x) => [x.direction, x.text])).toEqual([
      ['in', 'Yes, keep it'],
      ['in', 'מתי זה נגמר?'],
      ['out', null],
      ['in', 'hello'],
    ]);
    const dsar = (await ok(w.core.call('contacts:subject-export', { id: contactId }))) as {
      replies: { text: string | null; type: string }[];
    };
    // (The export names a text's body or a template button's label; the tap's title is in its message object.)
    expect(dsar.replies.map((r) => [r.type, r.text])).toEqual([
      ['text', 'hello'],
      ['text', 'מתי זה נגמר?'],
      ['interactive', null],
    ]);
    expect(JSON.stringify(dsar.replies[2])).toContain('Yes, keep it');
  });

  it('Meta links her id to a number that is a contact: the contacts merge and her replies follow; erasure deletes them', async () => {
    seedContacts(w.core, 1, { consent: 'utility', phone: () => phone });
    const phoneContact = w.core.db.prepare('SELECT id FROM contacts WHERE phone = ?').pluck().get(phone) as number;
    // Her username goes: her next message carries both her number and her user id.
    await admin('users/username', { phone, username: null });
    await new Promise((r) => setTimeout(r, 1_100));
    await write(phone, { kind: 'text', text: 'my number now' });
    expect(w.core.db.prepare('SELECT count(*) FROM contacts WHERE id = ?').pluck().get(contactId)).toBe(0);
    expect(w.core.db.prepare('SELECT user_id FROM contacts WHERE id = ?').pluck().get(phoneContact)).toBe(userId);
    // Nothing she wrote was lost; what she wrote without a number is now known to be from it.
    expect(stored(userId).map((r) => [r.text, r.wa_id])).toEqual([
      ['hello', phone.slice(1)],
      ['מתי זה נגמר?', phone.slice(1)],
      ['Yes, keep it', phone.slice(1)],
      ['my number now', phone.slice(1)],
    ]);
    const conv = await ok(w.core.call('contacts:conversation', { id: phoneContact }));
    expect(conv.filter((x) => x.direction === 'in').map((x) => x.text)).toEqual(['my number now', 'Yes, keep it', 'מתי זה נגמר?', 'hello']);
    expect(conv.filter((x) => x.direction === 'out')).toHaveLength(1);
    // Her message from the number answers the campaign message she got by user id (the window rule, one person).
    const list = await ok(w.core.call('campaigns:replies', { id }));
    expect(list.replies.map((r) => [r.text, r.contact_id, r.link])).toEqual([
      ['my number now', phoneContact, 'window'],
      ['Yes, keep it', phoneContact, 'context'],
      ['מתי זה נגמר?', phoneContact, 'window'],
    ]);
    expect(list.people).toBe(1);

    expect((await ok(w.core.call('contacts:delete', { id: phoneContact }))).deleted).toBe(true);
    expect(
      w.core.db.prepare('SELECT count(*) FROM inbound_replies WHERE user_id = ? OR wa_id = ?').pluck().get(userId, phone.slice(1)),
    ).toBe(0);
    expect((await ok(w.core.call('campaigns:replies', { id }))).total).toBe(0);
  }, 30_000);

  it('a contact known only by user id keeps what they wrote when the id changes; erasing it deletes that, and nobody else’s', async () => {
    const other = phoneOf(71);
    const otherId = (await admin('users/username', { phone: other, username: 'eli.b' })).user_id as string;
    await write(other, { kind: 'text', text: 'who is this?' });
    const eli = w.core.db.prepare('SELECT id FROM contacts WHERE user_id = ?').pluck().get(otherId) as number;
    expect(stored(otherId)).toHaveLength(1);
    // Meta gives him a new user id (user_changed_user_id): what he wrote stays his.
    const newId = (await admin('users/user-id-change', { phone: other })).user_id as string;
    await settle();
    expect(w.core.db.prepare('SELECT user_id FROM contacts WHERE id = ?').pluck().get(eli)).toBe(newId);
    expect(stored(newId).map((r) => r.text)).toEqual(['who is this?']);
    expect((await ok(w.core.call('contacts:conversation', { id: eli }))).map((x) => x.text)).toEqual(['who is this?']);
    await write(phoneOf(0), { kind: 'text', text: 'thanks' });
    expect((await ok(w.core.call('contacts:delete', { userId: newId }))).deleted).toBe(true);
    expect(w.core.db.prepare('SELECT count(*) FROM contacts WHERE id = ?').pluck().get(eli)).toBe(0);
    expect(stored(otherId)).toHaveLength(0);
    expect(stored(newId)).toHaveLength(0);
    expect(w.core.db.prepare("SELECT count(*) FROM inbound_replies WHERE text = 'thanks'").pluck().get()).toBe(1);
  }, 30_000);
});
