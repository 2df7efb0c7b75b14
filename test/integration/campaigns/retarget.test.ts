import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAGE_SQL } from '../../../electron/core/campaigns/retarget';
import { RETARGET_STAGES } from '../../../shared/contract/retarget';
import { ok, phoneOf, runUntilDone, scenario, seedContacts, utilityDraft, world, type World } from './helpers';

/*
 * Retarget from results: a campaign really sent through the Sandbox; its rows are then put at known
 * funnel stages (the Sandbox decides delivery and read at random, and a failure's class is the
 * classifier's, tested elsewhere) and one person replies through a real webhook. Each stage's
 * contacts are tagged, a new campaign's plan over that tag still applies the exclusions.
 */
describe('retarget: the people at a funnel stage, tagged for a new campaign or a segment', () => {
  let w: World;
  let id = '';
  const contactOf = (i: number) => w.core.db.prepare('SELECT id FROM contacts WHERE phone = ?').pluck().get(phoneOf(i)) as number;

  beforeAll(async () => {
    w = await world({ scenario: scenario() });
    seedContacts(w.core, 7, { consent: 'marketing' });
    id = (await ok(w.core.call('campaigns:create', utilityDraft()))).id;
    await ok(w.core.call('campaigns:start', { id }));
    expect((await runUntilDone(w, id)).state).toBe('completed');
    await w.sandbox.webhooksIdle();
    await w.core.services.webhooks.processor.drain();
    const set = w.core.db.prepare(
      'UPDATE campaign_recipients SET state = ?, error_class = ?, error_code = ? WHERE campaign_id = ? AND phone = ?',
    );
    set.run('delivered', null, null, id, phoneOf(0));
    set.run('sent', null, null, id, phoneOf(1));
    set.run('read', null, null, id, phoneOf(2));
    set.run('read', null, null, id, phoneOf(3));
    set.run('failed', 'retry_after_24h', 131049, id, phoneOf(4));
    set.run('failed', 'terminal_recipient', 131026, id, phoneOf(5));
    set.run('failed', 'suppress_contact', 131050, id, phoneOf(6));
    w.sandbox.sendInbound({ from: phoneOf(3), kind: 'text', text: 'Can I move it to Thursday?' });
    await w.sandbox.webhooksIdle();
    await w.core.services.webhooks.processor.drain();
  });
  afterAll(() => w.close());

  it('every stage has its rule, and counts the contacts at it', async () => {
    expect(Object.keys(STAGE_SQL).sort()).toEqual([...RETARGET_STAGES].sort());
    const counts = await ok(w.core.call('campaigns:retarget-stages', { id }));
    expect(Object.fromEntries(counts.map((c) => [c.stage, c.contacts]))).toEqual({
      not_read: 2,
      read_no_reply: 1,
      replied: 1,
      failed_retryable: 1,
    });
  });

  it("tags the stage's contacts; a new campaign over the tag is planned with the usual exclusions", async () => {
    const r = await ok(w.core.call('campaigns:retarget', { id, stage: 'not_read', tag: 'Reminders — not read' }));
    expect(r).toEqual({ tag: 'Reminders — not read', audience: 'tag:"Reminders — not read"', contacts: 2 });
    const tagged = w.core.db
      .prepare('SELECT ct.contact_id FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE t.name = ? ORDER BY 1')
      .pluck()
      .all(r.tag);
    expect(tagged).toEqual([contactOf(0), contactOf(1)].sort((a, b) => a - b));
    // Tagging twice adds nobody twice.
    expect((await ok(w.core.call('campaigns:retarget', { id, stage: 'not_read', tag: 'reminders — NOT read' }))).contacts).toBe(2);
    // One of them opts out of marketing: the follow-up's plan (a marketing template) leaves them out and says why.
    await ok(w.core.call('contacts:opt-out', { contact: { id: contactOf(1) }, category: 'marketing', reason: 'asked' }));
    const plan = await ok(
      w.core.call('campaigns:plan', {
        draft: {
          name: 'Follow-up',
          template: { name: 'spring_sale', language: 'en_US' },
          audience: r.audience,
          params: { first_name: 'first_name', discount: '"20%"', end_date: '"April 30"' },
          header_media: { link: 'https://example.com/a.jpg' },
        },
      }),
    );
    expect(plan.audience).toBeLessThanOrEqual(2);
    expect(plan.eligible).toBe(1);
  });

  it('replied and failed-for-a-retryable-reason reach the right people; erased people are not counted', async () => {
    expect((await ok(w.core.call('campaigns:retarget', { id, stage: 'replied', tag: 'answered' }))).contacts).toBe(1);
    expect(
      w.core.db
        .prepare("SELECT ct.contact_id FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE t.name = 'answered'")
        .pluck()
        .all(),
    ).toEqual([contactOf(3)]);
    expect((await ok(w.core.call('campaigns:retarget', { id, stage: 'failed_retryable', tag: 'retry' }))).contacts).toBe(1);
    await ok(w.core.call('contacts:delete', { id: contactOf(4) }));
    const counts = await ok(w.core.call('campaigns:retarget-stages', { id }));
    expect(counts.find((c) => c.stage === 'failed_retryable')!.contacts).toBe(0);
    expect(await w.core.call('campaigns:retarget', { id, stage: 'replied', tag: 'say "hi"' })).toMatchObject({
      ok: false,
      code: 'bad_input',
    });
    expect(await w.core.call('campaigns:retarget-stages', { id: 'nope' })).toMatchObject({ ok: false, code: 'not_found' });
  });
});
