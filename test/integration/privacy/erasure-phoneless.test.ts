/**
 * Issue #14 item 2 for a person known only by their WhatsApp business-scoped user id (BSUID,
 * migration 0017): they write in without a phone (a username: Meta withholds the number), are
 * opted in by user id, sent a campaign by `recipient`, get statuses (one kept pending: its send was
 * never recorded), stop marketing by a preference, reply, and are erased. Then no file of the data
 * folder (pacer.db, -wal, -shm, logs, backups; the store also decrypted page by page, freed pages
 * included) holds their user id, parent user id, username, profile name, message texts or message
 * ids. A late message and status from that user id are recorded as seen, applied to nothing, and
 * neither recreate a contact nor leave their text. Real core, real Sandbox on 127.0.0.1 (its BSUID
 * emulation), real webhook receiver, real log file at debug level.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ok, seedContacts, utilityDraft, world, type World } from '../campaigns/helpers';
import { storeKeyOf } from '../../../electron/core/db/connection';
import { tempDataDir } from '../../support/harness';
import { createLogger } from '../../../electron/core/log';
import { SANDBOX_PHONE_NUMBER_ID, SANDBOX_WABA_ID } from '../../../electron/core/sandbox/index';
import { signedPost, statusEnvelope } from '../../unit/webhooks/helpers';
import { erasureHash } from '../../../electron/core/privacy/store/erasures';
import { base64Fragments, hits, holds, until } from './data-folder-grep';
import type { WebhookActivity } from '../../../shared/contract/webhooks';

const ORLI = '+972503456789'; // never given to Pacer: her webhooks withhold it
const PROFILE = 'Orlitzka Bamberg';
const USERNAME = 'orli.bam77';
const PARENT = 'US.ENT.7766554433221100';
const HELLO = 'Quince jam question from Orlitzka';
const REPLY = 'Persimmon crate to Dizengoff 99 please';
const LATE = 'Tamarind late note after erasure';

describe('erasure of a person known only by their WhatsApp user id leaves nothing', () => {
  let w: World | null = null;
  afterEach(async () => {
    await w?.close();
    w = null;
  });

  async function admin(route: string, body?: unknown): Promise<Record<string, unknown>> {
    const r = await fetch(
      `${w!.sandbox.baseUrl}/__admin/${route}`,
      body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    );
    const j = (await r.json()) as Record<string, unknown>;
    if (!r.ok) throw new Error(`${route}: ${JSON.stringify(j)}`);
    return j;
  }

  it('user id, parent id, username, profile name, texts and message ids: in no file after the erasure; a late webhook stays unknown', async () => {
    const dataDir = tempDataDir('pacer-erasure-bsuid-');
    const log = createLogger({ file: path.join(dataDir, 'logs', 'pacer.log'), level: 'debug', secrets: () => [] });
    w = await world({ dataDir, log });
    const db = w.core.db;
    const pending = () => db.prepare("SELECT count(*) FROM webhook_inbox WHERE state = 'pending'").pluck().get() as number;

    // Orli: a profile name, a username (her webhooks carry no phone) and a parent id (linked portfolio).
    await admin('users', { phone: ORLI, name: PROFILE });
    const userId = (await admin('users/username', { phone: ORLI, username: USERNAME })).user_id as string;
    await admin('users/parent-user-id', { phone: ORLI, parent_user_id: PARENT });
    seedContacts(w.core, 2, { consent: 'marketing' });

    // She writes in: a contact without a phone, named by her profile name.
    const hello = (await admin('inbound', { from: ORLI, kind: 'text', text: HELLO, phone_number_id: SANDBOX_PHONE_NUMBER_ID }))
      .wamid as string;
    await until('her contact', () => db.prepare('SELECT 1 FROM contacts WHERE user_id = ?').get(userId) !== undefined);
    expect(db.prepare('SELECT phone, name, username, parent_user_id FROM contacts WHERE user_id = ?').get(userId)).toEqual({
      phone: null,
      name: PROFILE,
      username: USERNAME,
      parent_user_id: PARENT,
    });
    await ok(w.core.call('contacts:opt-in', { contact: { userId }, category: 'marketing', source: 'asked in chat' }));

    // A campaign to everyone: she is sent by `recipient: <user id>`.
    const c = await ok(
      w.core.call(
        'campaigns:create',
        utilityDraft({
          name: 'Spring',
          template: { name: 'spring_sale', language: 'en_US' },
          params: { first_name: 'first_name|"friend"', discount: '"20%"', end_date: '"April 30"' },
          header_media: { link: 'https://example.test/tent.jpg' },
        }),
      ),
    );
    await ok(w.core.call('campaigns:start', { id: c.id }));
    w.campaigns.startEngine({});
    await until('completion', () => w!.campaigns.get(c.id).state === 'completed');
    const herRow = () =>
      db.prepare('SELECT id, state, wamid, user_id FROM campaign_recipients WHERE campaign_id = ? AND user_id = ?').get(c.id, userId) as
        { id: number; state: string; wamid: string; user_id: string } | undefined;
    await until('her delivery', () => ['delivered', 'read'].includes(herRow()?.state ?? ''));
    const campaignWamid = herRow()!.wamid;

    // She replies to it (the Sandbox quotes the campaign message), then stops marketing by a preference.
    const reply = (await admin('inbound', { from: ORLI, kind: 'text', text: REPLY, phone_number_id: SANDBOX_PHONE_NUMBER_ID }))
      .wamid as string;
    await new Promise((r) => setTimeout(r, 1100)); // a later second than the opt-in (webhook times have whole seconds)
    await admin('user-preferences', { wa_id: ORLI, value: 'stop', phone_number_id: SANDBOX_PHONE_NUMBER_ID });
    await until(
      'her preference',
      () =>
        db
          .prepare('SELECT 1 FROM webhook_event_keys WHERE key >= ? AND key < ?')
          .get(`user_preferences:${userId}:`, `user_preferences:${userId};`) !== undefined,
    );
    // A status for a send Pacer never recorded (kept pending: it may still match one): it names her.
    const strayWamid = `wamid.${Buffer.from(`\x1c\x18\x0cstray-${userId}`).toString('base64')}`;
    const stray = statusEnvelope(
      [
        {
          id: strayWamid,
          status: 'delivered',
          timestamp: String(Math.floor(Date.now() / 1000)),
          recipient_user_id: userId,
          recipient_parent_user_id: PARENT,
        },
      ],
      { phoneNumberId: SANDBOX_PHONE_NUMBER_ID },
    );
    stray.entry[0]!.id = SANDBOX_WABA_ID;
    (stray.entry[0]!.changes[0]!.value as Record<string, unknown>).contacts = [
      { user_id: userId, profile: { name: PROFILE, username: USERNAME } },
    ];
    expect((await signedPost(w.receiver.url, stray, w.sandbox.credentials.appSecret)).status).toBe(200);
    await until(
      'the stray status kept pending',
      () => db.prepare('SELECT 1 FROM webhook_pending_status WHERE wamid = ?').get(strayWamid) !== undefined,
    );
    await w.sandbox.webhooksIdle();
    await until('inbox processed', () => pending() === 0);
    await w.core.services.webhooks.processor.drain();

    const needles = [
      userId,
      userId.split('.')[1]!, // the digits alone
      PARENT,
      PARENT.split('.').pop()!,
      USERNAME,
      PROFILE,
      'Orlitzka',
      'orlitzka', // as the word index stores it
      'Bamberg',
      'bamberg',
      'Quince jam',
      'Persimmon crate',
      ...[campaignWamid, hello, reply, strayWamid].map((x) => x.slice('wamid.'.length)),
      // Her number was never given to Pacer, but the Sandbox's wamids encode it (as Meta's do).
      ORLI.slice(1),
      ...base64Fragments(ORLI.slice(1)),
    ];
    const key = storeKeyOf(db)!;
    // Before: she is there (so each part of the grep can fail), in pacer.db and in a backup.
    fs.mkdirSync(path.join(w.dataDir, 'backups'), { recursive: true });
    db.exec(`VACUUM INTO '${path.join(w.dataDir, 'backups', `pacer-v19-${Date.now()}.db`).replace(/'/g, "''")}'`);
    db.pragma('wal_checkpoint(TRUNCATE)');
    expect(hits(w.dataDir, needles)).toEqual([]); // encrypted at rest
    const before = holds(w.dataDir, key, needles);
    for (const n of [userId, PARENT, USERNAME, PROFILE, 'Persimmon crate', 'Quince jam', strayWamid.slice(6)])
      expect(before.some((h) => h.startsWith('pacer.db') && h.includes(`: ${n} (`))).toBe(true);
    expect(before.some((h) => h.startsWith('pacer-v19-'))).toBe(true);
    const counts = w.campaigns.get(c.id).counts;
    const herState = herRow()!.state;

    expect(await ok(w.core.call('contacts:delete', { userId }))).toEqual({ deleted: true, backups_removed: 1 });
    // The suppression record is the keyed hash of `bsuid:<id>`.
    expect(
      db
        .prepare('SELECT count(*) FROM contact_erasures WHERE hash = ?')
        .pluck()
        .get(erasureHash(db, `bsuid:${userId}`)),
    ).toBe(1);

    const settled = async (n: string[]): Promise<string[]> => {
      const end = Date.now() + 10_000;
      for (;;) {
        await w!.sandbox.webhooksIdle();
        await until('inbox processed', () => pending() === 0);
        await w!.core.services.webhooks.processor.drain();
        const found = holds(w!.dataDir, key, n);
        if (!found.length || Date.now() > end) return found;
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    expect(await settled(needles)).toEqual([]);
    expect(w.campaigns.get(c.id).counts).toEqual(counts);
    // Her pending status stays (it may still apply to its row), without her and not keyed by an empty recipient.
    const kept = db.prepare('SELECT wamid, event FROM webhook_pending_status').all() as { wamid: string; event: string }[];
    expect(kept).toHaveLength(1);
    const ev = JSON.parse(kept[0]!.event) as Record<string, unknown>;
    expect(ev).toMatchObject({
      recipientId: null,
      recipientUserId: null,
      recipientParentUserId: null,
      username: null,
      status: 'delivered',
    });
    expect(kept[0]!.wamid).toMatch(/^erased\./);

    // Late webhooks from that user id: a message (through the Sandbox, phone withheld) and a read
    // of her campaign message (signed, as Meta would send it a day later).
    const activity: WebhookActivity[] = [];
    const off = w.core.on('webhooks:activity', (a) => activity.push(a));
    const contactsBefore = db.prepare('SELECT count(*) FROM contacts').pluck().get() as number;
    const late = (await admin('inbound', { from: ORLI, kind: 'text', text: LATE, phone_number_id: SANDBOX_PHONE_NUMBER_ID }))
      .wamid as string;
    const read = statusEnvelope(
      [{ id: campaignWamid, status: 'read', timestamp: String(Math.floor(Date.now() / 1000) + 60), recipient_user_id: userId }],
      { phoneNumberId: SANDBOX_PHONE_NUMBER_ID },
    );
    read.entry[0]!.id = SANDBOX_WABA_ID;
    expect((await signedPost(w.receiver.url, read, w.sandbox.credentials.appSecret)).status).toBe(200);
    await w.sandbox.webhooksIdle();
    await until('late webhooks processed', () => pending() === 0);
    await w.core.services.webhooks.processor.drain();
    await until('activity', () => activity.reduce((n, a) => n + a.unknown, 0) >= 2);
    off();
    // Recorded as seen (under keys that no longer name her), applied to nothing: no contact again.
    expect(db.prepare('SELECT count(*) FROM contacts').pluck().get()).toBe(contactsBefore);
    expect(db.prepare('SELECT count(*) FROM contacts WHERE user_id = ? OR username = ?').pluck().get(userId, USERNAME)).toBe(0);
    expect(db.prepare("SELECT count(*) FROM webhook_event_keys WHERE key LIKE 'message:erased.%'").pluck().get()).toBeGreaterThanOrEqual(3);
    // Her ledger row did not move (its read was not applied).
    expect(db.prepare('SELECT state FROM campaign_recipients WHERE campaign_id = ? AND contact_id IS NULL').pluck().all(c.id)).toEqual([
      herState,
    ]);
    expect(w.campaigns.get(c.id).counts).toEqual(counts);
    const lateNeedles = [...needles, 'Tamarind late', late.slice('wamid.'.length)];
    expect(await settled(lateNeedles)).toEqual([]);
    const dir = w.dataDir;
    await w.close();
    w = null;
    expect(holds(dir, key, lateNeedles)).toEqual([]);
    expect(fs.statSync(path.join(dir, 'logs', 'pacer.log')).size).toBeGreaterThan(0);
  }, 90_000);
});
