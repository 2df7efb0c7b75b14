import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordReply } from '../../../electron/core/contacts/replies-store';
import { ok, phoneOf, runUntilDone, scenario, seedContacts, utilityDraft, world, type World } from './helpers';

/*
 * Replies you can read: a campaign goes out through the Sandbox, recipients write back (a text, a
 * button tap in reply to the template), the webhooks arrive over real HTTP, and what they wrote is
 * readable per campaign, per recipient row and in the contact's conversation — linked to the
 * campaign message by WhatsApp's context, or by the reply window. Erasure takes the replies along.
 */
describe('replies: stored from the webhooks, linked to the campaign message they answer', () => {
  let w: World;
  let id = '';
  const settle = async () => {
    await w.sandbox.webhooksIdle();
    await w.core.services.webhooks.processor.drain();
  };

  beforeAll(async () => {
    w = await world({ scenario: scenario() });
    seedContacts(w.core, 3, { consent: 'utility' });
    id = (await ok(w.core.call('campaigns:create', utilityDraft()))).id;
    await ok(w.core.call('campaigns:start', { id }));
    expect((await runUntilDone(w, id)).state).toBe('completed');
    await settle();
  });
  afterAll(() => w.close());

  it('a text within the window and a button tap in context are readable per campaign and per row; a stranger is not linked', async () => {
    const rows = (await ok(w.core.call('campaigns:recipients', { id, limit: 10 }))).rows;
    const byPhone = Object.fromEntries(rows.map((r) => [r.phone, r]));
    w.sandbox.sendInbound({ from: phoneOf(0), kind: 'text', text: 'מתי המבצע נגמר?' });
    w.sandbox.sendInbound({
      from: phoneOf(1),
      kind: 'interactive',
      text: 'Yes, keep it',
      payload: 'confirm',
      context_wamid: byPhone[phoneOf(1)]!.wamid!,
    });
    w.sandbox.sendInbound({ from: '+972509999999', kind: 'text', text: 'who is this?' });
    await settle();

    const r = await ok(w.core.call('campaigns:replies', { id }));
    expect(r.total).toBe(2);
    const mine = Object.fromEntries(r.replies.map((x) => [x.phone, x]));
    expect(mine[phoneOf(0)]).toMatchObject({
      text: 'מתי המבצע נגמר?',
      payload: null,
      kind: 'text',
      link: 'window',
      name: 'Name0',
      recipient_id: byPhone[phoneOf(0)]!.id,
    });
    expect(mine[phoneOf(1)]).toMatchObject({
      text: 'Yes, keep it',
      payload: 'confirm',
      kind: 'interactive',
      link: 'context',
      recipient_id: byPhone[phoneOf(1)]!.id,
    });
    const perRow = await ok(w.core.call('campaigns:recipient-replies', { id, recipient_ids: rows.map((x) => x.id) }));
    expect(perRow.map((x) => x.recipient_id).sort()).toEqual([byPhone[phoneOf(0)]!.id, byPhone[phoneOf(1)]!.id].sort());
    expect(w.core.db.prepare("SELECT campaign_id, link FROM inbound_replies WHERE wa_id = '972509999999'").get()).toEqual({
      campaign_id: null,
      link: null,
    });
  });

  it("the contact's conversation shows the message Pacer sent and the reply, newest first", async () => {
    const contactId = w.core.db.prepare('SELECT id FROM contacts WHERE phone = ?').pluck().get(phoneOf(0)) as number;
    const conv = await ok(w.core.call('contacts:conversation', { id: contactId }));
    expect(conv.map((x) => x.direction)).toEqual(['in', 'out']);
    expect(conv[0]).toMatchObject({ text: 'מתי המבצע נגמר?', campaign_id: id, campaign_name: 'Reminders' });
    expect(conv[1]).toMatchObject({ campaign_id: id, template: 'appointment_reminder' });
    expect(['delivered', 'read']).toContain(conv[1]!.state);
  });

  it('a redelivered webhook stores nothing twice; a reply after another message to them is not credited to the campaign', () => {
    const db = w.core.db;
    const msg = {
      messageId: 'wamid.dup',
      waId: phoneOf(2).slice(1),
      at: w.core.ctx.clock.now(),
      kind: 'text',
      text: 'hi',
      payload: null,
      contextId: null,
    };
    expect(recordReply(db, msg)).toBe(true);
    expect(recordReply(db, msg)).toBe(false);
    expect(db.prepare("SELECT count(*) FROM inbound_replies WHERE message_id = 'wamid.dup'").pluck().get()).toBe(1);
    // A test send (campaign_id NULL in messaging_log) went to them after the campaign: the next reply answers that.
    const hash = db.prepare('SELECT phone_hash FROM campaign_recipients WHERE phone = ?').pluck().get(phoneOf(2)) as string;
    const now = w.core.ctx.clock.now();
    db.prepare(
      'INSERT INTO messaging_log (phone_hash, at, category, phone_number_id, campaign_id, recipient_id) VALUES (?, ?, ?, NULL, NULL, NULL)',
    ).run(hash, now + 1, 'UTILITY');
    expect(recordReply(db, { ...msg, messageId: 'wamid.after-test', at: now + 2 })).toBe(true);
    expect(db.prepare("SELECT link FROM inbound_replies WHERE message_id = 'wamid.after-test'").pluck().get()).toBeNull();
  });

  it('the reply count is the stored replies everywhere: overview, funnel, the Replied list and retargeting agree, and writing again after another message loses nothing', async () => {
    const db = w.core.db;
    const counts = async () => {
      const overview = (await ok(w.core.call('campaigns:overview', {}))).campaigns.find((c) => c.id === id)!;
      const timeline = await ok(w.core.call('campaigns:timeline', { id }));
      const list = await ok(w.core.call('campaigns:replies', { id }));
      const stages = await ok(w.core.call('campaigns:retarget-stages', { id }));
      return {
        overview: overview.replied,
        funnel: timeline.replied,
        chart: timeline.points.at(-1)?.replied ?? 0,
        people: list.people,
        retarget: stages.find((x) => x.stage === 'replied')!.contacts,
      };
    };
    // Three people replied (one by text in the window, one by a tap in context, one before a test send reached them).
    const linked = db.prepare('SELECT count(DISTINCT recipient_id) FROM inbound_replies WHERE campaign_id = ?').pluck().get(id) as number;
    expect(linked).toBe(3);
    expect(await counts()).toEqual({ overview: 3, funnel: 3, chart: 3, people: 3, retarget: 3 });

    // Another message reaches phoneOf(0) (a test send), then they write again: their last message is
    // no longer a reply to this campaign, but the reply they wrote before still is.
    const hash = db.prepare('SELECT phone_hash FROM campaign_recipients WHERE phone = ?').pluck().get(phoneOf(0)) as string;
    db.prepare(
      'INSERT INTO messaging_log (phone_hash, at, category, phone_number_id, campaign_id, recipient_id) VALUES (?, ?, ?, NULL, NULL, NULL)',
    ).run(hash, Date.now(), 'UTILITY');
    await new Promise((r) => setTimeout(r, 1_100)); // webhook timestamps are whole seconds
    w.sandbox.sendInbound({ from: phoneOf(0), kind: 'text', text: 'and one more thing' });
    await settle();
    const window = db.prepare('SELECT last_inbound_at FROM webhook_contact_window WHERE wa_id = ?').pluck().get(phoneOf(0).slice(1));
    expect(window).toBeGreaterThan(0);
    expect(db.prepare("SELECT link FROM inbound_replies WHERE text = 'and one more thing'").pluck().get()).toBeNull();
    expect(await counts()).toEqual({ overview: 3, funnel: 3, chart: 3, people: 3, retarget: 3 });
    // The list counts messages (phoneOf(2) wrote twice, once linked) and names the people beside them.
    const list = await ok(w.core.call('campaigns:replies', { id }));
    expect(list).toMatchObject({ total: 3, people: 3 });
  });

  it('erasing a contact erases what they wrote', async () => {
    const contactId = w.core.db.prepare('SELECT id FROM contacts WHERE phone = ?').pluck().get(phoneOf(0)) as number;
    expect(await ok(w.core.call('contacts:delete', { id: contactId }))).toEqual({ deleted: true, backups_removed: 0 });
    expect(w.core.db.prepare('SELECT count(*) FROM inbound_replies WHERE wa_id = ?').pluck().get(phoneOf(0).slice(1))).toBe(0);
    const left = await ok(w.core.call('campaigns:replies', { id }));
    expect(left.replies.map((x) => x.phone).sort()).toEqual([phoneOf(1), phoneOf(2)]);
  });
});
