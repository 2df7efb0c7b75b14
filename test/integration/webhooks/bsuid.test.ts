/**
 * Business-scoped user ids (issue 13 §2), through the real webhook receiver with payloads the
 * Sandbox signs: a user who adopted a username writes STOP and the webhook carries NO phone — the
 * right contact is opted out, by the BSUID an earlier webhook (a status of a campaign send) linked
 * to the contact's phone. A BSUID nobody has yet keeps its opt-out pending until it is linked.
 * `user_changed_user_id` moves the contact to the new BSUID.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SANDBOX_PHONE_NUMBER_ID } from '../../../electron/core/sandbox/index';
import { ok, phoneOf, runUntilDone, seedContacts, utilityDraft, world, type World } from '../campaigns/helpers';

let w: World | null = null;
afterEach(async () => {
  await w?.close();
  w = null;
});

async function admin(path: string, body?: unknown): Promise<Record<string, unknown>> {
  const r = await fetch(
    `${w!.sandbox.baseUrl}/__admin/${path}`,
    body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
  );
  const j = (await r.json()) as Record<string, unknown>;
  if (!r.ok) throw new Error(`${path}: ${JSON.stringify(j)}`);
  return j;
}

const contact = (phone: string) =>
  w!.core.db.prepare('SELECT id, user_id, username FROM contacts WHERE phone = ?').get(phone) as {
    id: number;
    user_id: string | null;
    username: string | null;
  };
const consent = (id: number) =>
  (w!.core.db.prepare("SELECT state FROM consent_state WHERE contact_id = ? AND category = 'marketing'").pluck().get(id) as
    string | undefined) ?? 'unknown';

async function until(what: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('business-scoped user ids through the signed webhook path', () => {
  it('a STOP from a user whose webhooks carry no phone opts out the right contact', async () => {
    w = await world();
    await admin('users/bsuids', { enabled: true });
    seedContacts(w.core, 3, { consent: 'marketing' });
    // A campaign send: its statuses carry recipient_id AND recipient_user_id, which links the BSUID.
    const c = await ok(
      w.core.call(
        'campaigns:create',
        utilityDraft({
          template: { name: 'spring_sale', language: 'en_US' },
          params: { first_name: 'first_name', discount: '"20%"', end_date: '"April 30"' },
          header_media: { link: 'https://example.test/tent.jpg' },
        }),
      ),
    );
    await ok(w.core.call('campaigns:start', { id: c.id }));
    expect((await runUntilDone(w, c.id)).state).toBe('completed');
    const ids = (await admin('users/user-ids')) as Record<string, { user_id: string }>;
    const target = phoneOf(1);
    const bsuid = (await admin('users/username', { phone: target, username: 'dana.cohen' })).user_id as string;
    await until(() => contact(target).user_id === bsuid);
    expect(ids).toBeDefined();
    // The user (username, no recent interaction) writes STOP: Meta withholds the phone.
    await admin('inbound', { from: target, kind: 'stop_text', language: 'en', phone_number_id: SANDBOX_PHONE_NUMBER_ID });
    await until(() => consent(contact(target).id) === 'opted_out');
    const log = w.sandbox.webhookLog({ field: 'messages' }).map((e) => e.body);
    const stopBody = log.find((b) => b.includes('"STOP"'))!;
    expect(stopBody).toContain(bsuid);
    expect(stopBody).not.toContain(target.slice(1));
    // Only that contact; the others keep their consent.
    expect(consent(contact(phoneOf(0)).id)).toBe('opted_in');
    expect(consent(contact(phoneOf(2)).id)).toBe('opted_in');
    expect(contact(target).username).toBe('dana.cohen');
    const ev = w.core.db
      .prepare("SELECT source, evidence FROM consent_events WHERE contact_id = ? AND state = 'opted_out'")
      .get(contact(target).id) as { source: string; evidence: string };
    expect(ev.source).toBe('keyword');
  }, 60_000);

  it('a preference stop from a BSUID no contact has yet makes a contact without a phone; it merges into the phone contact when a webhook links them', async () => {
    w = await world();
    const phone = '+972541239999';
    const bsuid = (await admin('users/username', { phone, username: 'newcomer' })).user_id as string;
    await admin('user-preferences', { wa_id: phone, value: 'stop' });
    const bareId = () =>
      w!.core.db.prepare('SELECT id FROM contacts WHERE user_id = ? AND phone IS NULL').pluck().get(bsuid) as number | undefined;
    await until(() => bareId() !== undefined && consent(bareId()!) === 'opted_out');
    expect(w.core.db.prepare('SELECT count(*) FROM user_id_consent_pending').pluck().get()).toBe(0);
    // Later the person is imported by phone, and a send's status links phone and BSUID.
    seedContacts(w.core, 1, { consent: 'marketing', phone: () => phone });
    expect(consent(contact(phone).id)).toBe('opted_in');
    const c = await ok(w.core.call('campaigns:create', utilityDraft({ params: { 1: '"x"', 2: '"y"', 3: '"z"' } })));
    // utility template: the contact has no utility opt-out, so the send goes and its statuses arrive.
    await ok(w.core.call('campaigns:start', { id: c.id }));
    await runUntilDone(w, c.id);
    await until(() => contact(phone).user_id === bsuid);
    await until(() => consent(contact(phone).id) === 'opted_out');
    expect(bareId()).toBeUndefined();
    expect(w.core.db.prepare('SELECT count(*) FROM contacts').pluck().get()).toBe(1);
  }, 60_000);

  it('user_changed_user_id moves the contact to its new BSUID; a later phone-less STOP still finds it', async () => {
    w = await world();
    const phone = phoneOf(5);
    await admin('users/bsuids', { enabled: true });
    seedContacts(w.core, 1, { consent: 'marketing', phone: () => phone });
    await admin('inbound', { from: phone, kind: 'text', text: 'hello' });
    const first = (await admin('users/user-id', { phone })).user_id as string;
    await until(() => contact(phone).user_id === first);
    const change = await admin('users/user-id-change', { phone });
    expect(change.previous_user_id).toBe(first);
    await until(() => contact(phone).user_id === change.user_id);
    await admin('users/username', { phone, username: 'renamed_user' });
    await admin('inbound', { from: phone, kind: 'stop_text', language: 'he' });
    await until(() => consent(contact(phone).id) === 'opted_out');
  }, 60_000);
});
