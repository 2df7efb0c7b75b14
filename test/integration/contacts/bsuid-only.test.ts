/**
 * People known only by their business-scoped user id (issue 13 §2, migration 0017), end to end on
 * real SQLite, the real webhook receiver and the Sandbox over HTTP: a user with a username writes
 * and Meta withholds their phone → they become a contact without a phone; they are opted in by
 * user id; a campaign reaches them by `recipient: <user id>` (the request body is checked as it
 * went over the wire) and the delivered status comes back to the ledger. A STOP by user id while
 * their send waits stops it. A later webhook with both ids links the phone — or merges the contact
 * into the phone's contact, history kept, never two contacts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SANDBOX_PHONE_NUMBER_ID } from '../../../electron/core/sandbox/index';
import Database from 'better-sqlite3';
import { applyWaitingUserIdConsent, hasPhonelessContacts, linkUserId } from '../../../electron/core/contacts/user-ids-store';
import { migrate } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';
import type { Db } from '../../../electron/core/db/connection';
import { createCore } from '../../../electron/core/index';
import { silentLogger } from '../../../electron/core/log';
import { runCli } from '../../../electron/core/cli/index';
import type { CliIo } from '../../../electron/core/cli/io';
import { tempDataDir } from '../../support/harness';
import { ok, phoneOf, scenario, seedContacts, utilityDraft, until, world, type World } from '../campaigns/helpers';

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

type Row = { id: number; phone: string | null; name: string; username: string | null; user_id: string | null };
const byUserId = (userId: string) =>
  w!.core.db.prepare('SELECT id, phone, name, username, user_id FROM contacts WHERE user_id = ?').get(userId) as Row | undefined;

const marketingDraft = (name: string) =>
  utilityDraft({
    name,
    template: { name: 'spring_sale', language: 'en_US' },
    params: { first_name: 'first_name|"friend"', discount: '"20%"', end_date: '"April 30"' },
    header_media: { link: 'https://example.test/tent.jpg' },
  });

/** A Sandbox user with a username (their webhooks carry no phone) who writes "hello". */
async function phonelessWriter(phone: string, username: string): Promise<{ userId: string; contact: Row }> {
  const userId = (await admin('users/username', { phone, username })).user_id as string;
  await admin('inbound', { from: phone, kind: 'text', text: 'hello', phone_number_id: SANDBOX_PHONE_NUMBER_ID });
  const contact = await until(
    () => byUserId(userId),
    (c) => c !== undefined,
    'the contact',
  )!;
  return { userId, contact: contact! };
}

describe('contacts known only by their WhatsApp user id', () => {
  it('writes without a phone → a contact; opted in by user id; sent a campaign by `recipient`; delivered', async () => {
    const bodies: { url: string; body: Record<string, unknown> }[] = [];
    w = await world({
      fetch: async (input, init) => {
        const url = String(input instanceof Request ? input.url : input);
        if (/\/(messages|marketing_messages)$/.test(url) && typeof init?.body === 'string')
          bodies.push({ url, body: JSON.parse(init.body) as Record<string, unknown> });
        return fetch(input, init);
      },
    });
    await admin('users/bsuids', { enabled: true });
    seedContacts(w.core, 2, { consent: 'marketing' });
    const phone = phoneOf(7);
    const { userId, contact } = await phonelessWriter(phone, 'noa.k');
    // The webhook carried no phone, and the contact has none.
    const body = w.sandbox
      .webhookLog({ field: 'messages' })
      .map((e) => e.body)
      .find((b) => b.includes('"hello"'))!;
    expect(body).toContain(userId);
    expect(body).not.toContain(phone.slice(1));
    expect(contact).toMatchObject({ phone: null, username: 'noa.k', user_id: userId });
    expect(contact.name).toMatch(/\S/); // their WhatsApp profile name

    // Listed and found like any contact.
    const list = await ok(w.core.call('contacts:query', { limit: 50 }));
    expect(list.rows.find((r) => r.id === contact.id)).toMatchObject({ phone: null, user_id: userId, username: 'noa.k' });
    const found = await ok(w.core.call('contacts:query', { search: userId, limit: 50 }));
    expect(found.rows.map((r) => r.id)).toEqual([contact.id]);

    // Consent by user id (the CLI's `pacer contacts opt-in IL.… ` sends the same call).
    const opted = await ok(w.core.call('contacts:opt-in', { contact: { userId }, category: 'marketing', source: 'asked in chat' }));
    expect(opted.consent.marketing).toBe('opted_in');

    // A marketing campaign to everyone: 3 recipients, one of them by user id.
    const c = await ok(w.core.call('campaigns:create', marketingDraft('Spring')));
    const plan = await ok(w.core.call('campaigns:plan', { id: c.id }));
    expect(plan).toMatchObject({ audience: 3, eligible: 3 });
    await ok(w.core.call('campaigns:start', { id: c.id }));
    w.campaigns.startEngine({});
    await until(
      () => w!.campaigns.get(c.id).state,
      (s) => s === 'completed',
      'completion',
    );

    const toHer = bodies.filter((b) => b.body.recipient === userId);
    expect(toHer).toHaveLength(1);
    expect(toHer[0]!.url).toMatch(/\/marketing_messages$/);
    expect(toHer[0]!.body).not.toHaveProperty('to');
    expect(toHer[0]!.body).toMatchObject({ messaging_product: 'whatsapp', recipient_type: 'individual', type: 'template' });
    expect(bodies.filter((b) => typeof b.body.to === 'string')).toHaveLength(2);
    // What the Sandbox accepted: addressed by the user id, delivered to that user.
    const theirs = w.sandbox.messages({ waId: phone.slice(1) });
    expect(theirs.map((m) => m.input)).toEqual([userId]);

    // Statuses carry recipient_user_id (no phone: it is withheld) and match the ledger row.
    const row = () =>
      w!.core.db
        .prepare('SELECT phone, user_id, state, wamid FROM campaign_recipients WHERE campaign_id = ? AND contact_id = ?')
        .get(c.id, contact.id) as { phone: string | null; user_id: string; state: string; wamid: string };
    await until(row, (r) => r.state === 'delivered' || r.state === 'read', 'delivered');
    expect(row()).toMatchObject({ phone: null, user_id: userId, wamid: theirs[0]!.wamid });
    const statusBody = w.sandbox
      .webhookLog({ field: 'messages' })
      .map((e) => e.body)
      .find((b) => b.includes(theirs[0]!.wamid) && b.includes('"delivered"'))!;
    expect(statusBody).toContain(`"recipient_user_id":"${userId}"`);
    expect(statusBody).not.toContain(phone.slice(1));
    // Still one contact, still without a phone.
    expect(w.core.db.prepare('SELECT count(*) FROM contacts').pluck().get()).toBe(3);
    // The recipients page shows the user id as the address.
    const page = await ok(w.core.call('campaigns:recipients', { id: c.id, limit: 10 }));
    expect(page.rows.find((r) => r.contact_id === contact.id)?.phone).toBe(userId);
    // So do the report exports.
    for (const format of ['csv', 'json'] as const) {
      const file = await ok(w.core.call('campaigns:export', { id: c.id, format }));
      expect(file.content, format).toContain(userId);
    }
  }, 60_000);

  it('a STOP by user id while the send waits for the 24-hour budget: never sent', async () => {
    w = await world({ scenario: scenario({ tier: 'TIER_250', mps: 1000 }) });
    await admin('users/bsuids', { enabled: true });
    // 40 contacts before her; about 25 fit the budget, the rest (her included) wait.
    seedContacts(w.core, 40, { consent: 'marketing' });
    const { userId, contact } = await phonelessWriter(phoneOf(500), 'eli_b');
    await ok(w.core.call('contacts:opt-in', { contact: { userId }, category: 'marketing', source: 'form' }));
    const c = await ok(w.core.call('campaigns:create', { ...marketingDraft('Waiting'), options: { rate: 1000, margin: 0.9 } }));
    await ok(w.core.call('campaigns:start', { id: c.id }));
    w.campaigns.startEngine({});
    await until(
      () => w!.campaigns.engine!.sender.waitReason,
      (r) => r === 'budget',
      'a budget wait',
    );
    const state = () =>
      w!.core.db
        .prepare('SELECT state, skip_reason FROM campaign_recipients WHERE campaign_id = ? AND contact_id = ?')
        .get(c.id, contact.id) as { state: string; skip_reason: string | null };
    expect(state().state).toBe('pending');
    // She writes STOP; the webhook carries only her user id. (Webhook times have whole seconds: a
    // STOP in the same second as the opt-in above would be older than it, and lose, by the ledger's rule.)
    await new Promise((r) => setTimeout(r, 1100));
    await admin('inbound', { from: phoneOf(500), kind: 'stop_text', language: 'en', phone_number_id: SANDBOX_PHONE_NUMBER_ID });
    await until(state, (s) => s.state === 'skipped', 'the skip', 5_000);
    expect(state()).toEqual({ state: 'skipped', skip_reason: 'opted_out' });
    w.sandbox.setMessagingLimit('TIER_2K');
    await until(
      () => w!.campaigns.get(c.id).state,
      (s) => s === 'completed',
      'completion',
    );
    expect(w.sandbox.messages({ waId: phoneOf(500).slice(1) })).toHaveLength(0);
    expect(w.sandbox.stats().duplicates.same_callback_data).toBe(0);
  }, 60_000);

  it('a later webhook with both ids: the phone is learnt, or the contact merges into the phone contact with its history', async () => {
    w = await world({ webhooks: false });
    const db = w.core.db;
    const t0 = Date.now();
    // Learnt: nobody has the phone yet.
    db.prepare(
      "INSERT INTO contacts (phone, user_id, username, name, created_at, updated_at) VALUES (NULL, 'IL.1000000001', 'avi', 'Avi', 1, 1)",
    ).run();
    const avi = linkUserId(db, { phone: '972541234561', userId: 'IL.1000000001', parentUserId: null, username: null, at: t0 });
    expect(db.prepare('SELECT phone, country, user_id, name FROM contacts WHERE id = ?').get(avi)).toEqual({
      phone: '+972541234561',
      country: 'IL',
      user_id: 'IL.1000000001',
      name: 'Avi',
    });
    expect(db.prepare('SELECT count(*) FROM contacts').pluck().get()).toBe(1);

    // Merged: the phone is already a contact (with its own consent and tag).
    seedContacts(w.core, 1, { consent: 'marketing', tag: 'vip', phone: () => '+972541234562' });
    const phoneContact = db.prepare("SELECT id FROM contacts WHERE phone = '+972541234562'").pluck().get() as number;
    await ok(w.core.call('contacts:opt-out', { contact: { id: phoneContact }, category: 'utility', reason: 'asked' }));
    db.prepare(
      "INSERT INTO contacts (phone, user_id, username, name, created_at, updated_at) VALUES (NULL, 'IL.1000000002', 'dana', 'Dana', 1, 1)",
    ).run();
    const bare = db.prepare("SELECT id FROM contacts WHERE user_id = 'IL.1000000002'").pluck().get() as number;
    // The person known by user id stopped marketing later than the phone contact's opt-in.
    await ok(w.core.call('contacts:opt-out', { contact: { userId: 'IL.1000000002' }, category: 'marketing', reason: 'STOP in chat' }));
    const history = (id: number) =>
      db.prepare('SELECT category, state, source FROM consent_events WHERE contact_id = ? ORDER BY at, id').all(id) as object[];
    const bareHistory = history(bare);
    expect(bareHistory).toHaveLength(1);

    const merged = linkUserId(db, { phone: '972541234562', userId: 'IL.1000000002', parentUserId: null, username: null, at: Date.now() });
    expect(merged).toBe(phoneContact);
    expect(db.prepare('SELECT count(*) FROM contacts WHERE id = ?').pluck().get(bare)).toBe(0);
    expect(db.prepare("SELECT count(*) FROM contacts WHERE phone = '+972541234562' OR user_id = 'IL.1000000002'").pluck().get()).toBe(1);
    expect(db.prepare('SELECT user_id, username, name FROM contacts WHERE id = ?').get(phoneContact)).toEqual({
      user_id: 'IL.1000000002',
      username: 'dana',
      name: 'Name0',
    });
    // Consent history: both contacts' events, the latest decision wins (the opt-out).
    const after = history(phoneContact);
    expect(after).toHaveLength(3);
    expect(after).toEqual(expect.arrayContaining([...bareHistory]));
    const detail = await ok(w.core.call('contacts:get', { id: phoneContact }));
    expect(detail.contact.consent).toEqual({ marketing: 'opted_out', utility: 'opted_out' });
    // The copied event keeps its evidence as data (the reason as typed), marked as merged from the other contact.
    expect(detail.consentHistory.find((e) => e.category === 'marketing' && e.state === 'opted_out')!.evidenceData).toEqual({
      code: 'manual',
      params: { note: 'STOP in chat' },
      mergedFrom: bare,
    });
    expect(detail.contact.tags).toEqual(['vip']);
    expect(db.pragma('foreign_key_check')).toEqual([]);
  }, 60_000);

  it('the CLI records consent by WhatsApp user id, and prints the id where the phone would be', async () => {
    const dir = tempDataDir();
    const setup = createCore({ dataDir: dir, host: 'cli', log: silentLogger });
    setup.db
      .prepare(
        "INSERT INTO contacts (phone, user_id, username, name, created_at, updated_at) VALUES (NULL, 'IL.1502576394655843', 'noa.k', 'Noa', 1, 1)",
      )
      .run();
    await setup.close();
    const pacer = async (...args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), env: {}, untilSignal: () => new Promise(() => {}) };
      const code = await runCli(['--data-dir', dir, ...args], io);
      return { code, out: out.join('\n'), err: err.join('\n') };
    };
    const inOk = await pacer('contacts', 'opt-in', 'IL.1502576394655843', '--category', 'marketing', '--source', 'asked in chat');
    expect(inOk.err).toBe('');
    expect(inOk.code).toBe(0);
    expect(inOk.out).toContain('IL.1502576394655843 @noa.k');
    expect(inOk.out).toContain('marketing: opted_in');
    const out = await pacer('contacts', 'opt-out', 'IL.1502576394655843', '--category', 'marketing', '--json');
    expect(out.code).toBe(0);
    expect(JSON.parse(out.out)).toMatchObject({ phone: null, name: 'Noa', consent: { marketing: 'opted_out' } });
    const unknown = await pacer('contacts', 'opt-out', 'IL.999999999', '--category', 'marketing');
    expect(unknown.code).not.toBe(0);
  }, 60_000);

  it('consent that waited by BSUID before 0017 lands on the contacts 0017 made, in time order; nothing is lost', () => {
    const db = new Database(':memory:') as unknown as Db;
    db.pragma('foreign_keys = ON');
    migrate(db, migrations.slice(0, 16));
    expect(hasPhonelessContacts(db)).toBe(false);
    db.exec(`
      INSERT INTO user_id_consent_pending (user_id, username, profile_name, category, state, source, source_detail, at, event_key) VALUES
        ('IL.2000000001', 'noa_k', 'Noa', 'all', 'opted_out', 'keyword', 'keyword STOP', 10, 'a'),
        ('IL.2000000001', 'noa_k', 'Noa', 'marketing', 'opted_in', 'button', 'button START', 20, 'b'),
        ('IL.2000000002', NULL, 'Eli', 'marketing', 'opted_out', 'meta_preference', 'preference stop', 30, 'c');
    `);
    migrate(db, migrations);
    expect(hasPhonelessContacts(db)).toBe(true);
    expect(applyWaitingUserIdConsent(db)).toBe(3);
    const state = (userId: string) =>
      Object.fromEntries(
        (
          db
            .prepare('SELECT s.category, s.state FROM consent_state s JOIN contacts c ON c.id = s.contact_id WHERE c.user_id = ?')
            .all(userId) as { category: string; state: string }[]
        ).map((r) => [r.category, r.state]),
      );
    expect(state('IL.2000000001')).toEqual({ marketing: 'opted_in', utility: 'opted_out' });
    expect(state('IL.2000000002')).toEqual({ marketing: 'opted_out' });
    expect(db.prepare('SELECT count(*) FROM user_id_consent_pending').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM consent_events').pluck().get()).toBe(4);
    expect(applyWaitingUserIdConsent(db)).toBe(0); // once
  });
});
