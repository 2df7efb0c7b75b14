/**
 * Issue #14 item 2, "done when": after a campaign to a person, their reply, a backup and their
 * erasure, no file of the data folder (pacer.db, -wal, -shm, logs, backups) holds their number —
 * plain, as digits, or base64 inside a WhatsApp message id (a wamid encodes the recipient's number)
 * — their name or reply text, byte for byte, freed pages included, while the campaign's counts
 * stay what they were. Then a late status for one of their wamids changes nothing and leaves
 * nothing. Real core, real Sandbox on 127.0.0.1, real webhook receiver, real log file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ok as okCampaign, runUntilDone, utilityDraft, world, type World } from '../campaigns/helpers';
import { importFile, ok, tempFile } from '../contacts/helpers';
import { storeKeyOf } from '../../../electron/core/db/connection';
import { decryptedCopy } from '../../support/store';
import { tempDataDir } from '../../support/harness';
import { createLogger } from '../../../electron/core/log';
import { SANDBOX_PHONE_NUMBER_ID, SANDBOX_WABA_ID } from '../../../electron/core/sandbox/index';
import { erasedWamid, wamidEncodes } from '../../../electron/core/privacy/store/erase-wamids';
import { signedPost, statusEnvelope } from '../../unit/webhooks/helpers';
import type { WebhookActivity } from '../../../shared/contract/webhooks';
import { base64Fragments, hits, until } from './data-folder-grep';

const DANA = '+972502345678';
const REPLY = 'Kumquat delivery to Herzl 17 please';
const LIST =
  'first_name,last_name,phone,loyalty_code\nDanaqwe,Levinski,050-234-5678,LOYAL-DANA-991\nYossi,Cohen,052-987-6543,LOYAL-YOSSI-1\n' +
  // A second row of hers: the import keeps it as rejected/noted (migration 0016), quoting her.
  'Danaqwe,Levinski,+972 50 234 5678,LOYAL-DANA-991\n';

describe('erasure leaves nothing (campaign + reply + erasure, real files)', () => {
  let w: World | null = null;
  afterEach(async () => {
    await w?.close();
    w = null;
  });

  it('greps every file of the data folder: no number, name, attribute or reply text of the erased person; counts unchanged', async () => {
    const dataDir = tempDataDir('pacer-erasure-');
    // A real log file, at debug level: the erased person must not be in it either.
    const log = createLogger({ file: path.join(dataDir, 'logs', 'pacer.log'), level: 'debug', secrets: () => [] });
    w = await world({ dataDir, log });
    await importFile(w.core, tempFile('list.csv', LIST), {
      consent: 'utility',
      mapping: [
        { column: 'first_name', field: 'first_name' },
        { column: 'last_name', field: 'last_name' },
        { column: 'phone', field: 'phone' },
        { column: 'loyalty_code', field: 'attr.loyalty_code', type: 'text' },
      ],
    });
    const c = await okCampaign(w.core.call('campaigns:create', utilityDraft({ options: { rate: 50 } })));
    await okCampaign(w.core.call('campaigns:start', { id: c.id }));
    await runUntilDone(w, c.id);
    const db = w.core.db;
    // Wait for the delivery statuses, then Dana replies.
    await until(
      'statuses',
      () => (db.prepare("SELECT count(*) FROM webhook_message_status WHERE recipient_id = '972502345678'").pluck().get() as number) > 0,
    );
    w.sandbox.sendInbound({ from: DANA, kind: 'text', text: REPLY });
    await until('reply applied', () => db.prepare("SELECT 1 FROM webhook_contact_window WHERE wa_id = '972502345678'").get() !== undefined);
    await until(
      'inbox processed',
      () => (db.prepare("SELECT count(*) FROM webhook_inbox WHERE state = 'pending'").pluck().get() as number) === 0,
    );

    // Before: the person is there, in several tables (the test would be vacuous otherwise).
    const dsar = (await ok(w.core.call('contacts:subject-export', { phone: DANA }))) as Record<string, unknown>;
    expect(JSON.stringify(dsar)).toContain(REPLY);
    // Her second row is in the import's history (so the grep covers migration 0016's table).
    expect(db.prepare('SELECT count(*) FROM import_rejections').pluck().get()).toBeGreaterThan(0);
    expect(JSON.stringify(dsar)).toContain('LOYAL-DANA-991');
    expect((dsar.replies as { text: string }[]).map((r) => r.text)).toContain(REPLY);
    expect((dsar.campaign_sends as unknown[]).length).toBe(1);
    expect((dsar.raw_webhook_bodies as unknown[]).length).toBeGreaterThan(0);
    const profile = (
      dsar.raw_webhook_bodies as { body: { entry: { changes: { value: { contacts?: { profile?: { name?: string } }[] } }[] }[] } }[]
    )
      .flatMap((b) => b.body.entry.flatMap((e) => e.changes.flatMap((ch) => ch.value.contacts ?? [])))
      .map((x) => x.profile?.name)
      .find(Boolean);
    // Her message ids: the campaign's, the statuses', her reply's. Each encodes her number.
    const wamids = [
      ...(dsar.campaign_sends as { wamid: string | null }[]).map((r) => r.wamid),
      ...(dsar.message_statuses as { wamid: string }[]).map((r) => r.wamid),
      ...(dsar.replies as { wamid: string }[]).map((r) => r.wamid),
    ].filter((x): x is string => !!x);
    const campaignWamid = (dsar.campaign_sends as { wamid: string }[])[0]!.wamid;
    expect(new Set(wamids).size).toBeGreaterThanOrEqual(2);
    for (const x of wamids) expect(wamidEncodes(x, '972502345678')).toBe(true);
    const b64 = base64Fragments('972502345678');
    // A backup, as db/migrate.ts makes them before a migration that rewrites data (VACUUM INTO).
    fs.mkdirSync(path.join(w.dataDir, 'backups'), { recursive: true });
    db.exec(`VACUUM INTO '${path.join(w.dataDir, 'backups', `pacer-v15-${Date.now()}.db`).replace(/'/g, "''")}'`);
    db.pragma('wal_checkpoint(TRUNCATE)');
    // The store is encrypted at rest (docs/security.md): the raw files never show a name. What it
    // holds, freed pages included, is checked on a copy decrypted page by page with the store's key.
    const key = storeKeyOf(db)!;
    expect(key).not.toBeNull();
    const holds = (dir: string, needles: string[]) => [...hits(dir, needles), ...hits(decryptedCopy(dir, key), needles)];
    // The store once it has settled. The Sandbox may still send a status it had scheduled for her
    // (late on a loaded machine); its body is in the inbox until the processor cuts her out and
    // scrubs (webhooks/service.ts). So: nothing in flight, nothing pending, then grep — again for a
    // few seconds if a body arrived meanwhile. A real leak does not go away by itself, so it still fails.
    const settle = async () => {
      await w!.sandbox.webhooksIdle();
      await until(
        'inbox processed',
        () => (db.prepare("SELECT count(*) FROM webhook_inbox WHERE state = 'pending'").pluck().get() as number) === 0,
      );
      await w!.core.services.webhooks.processor.drain();
    };
    const settledHolds = async (needles: string[]): Promise<string[]> => {
      const end = Date.now() + 10_000;
      for (;;) {
        await settle();
        const found = holds(w!.dataDir, needles);
        if (!found.length || Date.now() > end) return found;
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    const needles = [
      '972502345678',
      '502345678',
      'Danaqwe',
      'Levinski',
      'danaqwe', // as the word index stores it (lower case)
      'levinski',
      'LOYAL-DANA-991',
      'Kumquat delivery',
      ...(profile && profile.length > 3 ? [profile] : []),
      ...wamids.map((x) => x.slice('wamid.'.length)),
      ...b64,
    ];
    expect(hits(w.dataDir, needles)).toEqual([]); // encrypted
    expect(holds(w.dataDir, needles).length).toBeGreaterThan(0); // but there, in the decrypted copy
    // …the base64 form too (in pacer.db and in the backup), so the wamid part of the grep can fail.
    const b64Before = hits(decryptedCopy(w.dataDir, key), b64);
    expect(b64Before.some((h) => h.startsWith('pacer.db'))).toBe(true);
    expect(b64Before.some((h) => h.startsWith('pacer-v15-'))).toBe(true);

    // The counts once every status the Sandbox scheduled has arrived (a late "read" moved them
    // between this snapshot and the check below on a loaded CI machine).
    await settle();
    const before = w.campaigns.get(c.id).counts;
    expect(await ok(w.core.call('contacts:delete', { phone: DANA }))).toEqual({ deleted: true, backups_removed: 1 });
    expect(fs.readdirSync(path.join(w.dataDir, 'backups'))).toEqual([]);

    // While the core still runs (WAL and -shm present), then again after it closed.
    expect(await settledHolds(needles)).toEqual([]);
    expect(w.campaigns.get(c.id).counts).toEqual(before);
    // Yossi is untouched.
    const yossi = (await ok(w.core.call('contacts:subject-export', { phone: '+972529876543' }))) as Record<string, unknown>;
    expect(JSON.stringify(yossi)).toContain('LOYAL-YOSSI-1');
    // Her ledger row and its merged status still join (the same erased id in both), so reports agree.
    const erasedRow = db
      .prepare(
        'SELECT r.state, s.status FROM campaign_recipients r JOIN webhook_message_status s ON s.wamid = r.wamid WHERE r.contact_id IS NULL',
      )
      .get() as { state: string; status: string } | undefined;
    expect(erasedRow).toBeDefined();

    // A late status for her campaign message, in one body with a status for Yossi: hers is
    // recorded as seen and applied to nothing (no status row, no pending status, no number, counted
    // as unknown); his is applied as usual; the body keeps nothing of her.
    const yossiWamid = (yossi.campaign_sends as { wamid: string }[])[0]!.wamid;
    const activity: WebhookActivity[] = [];
    const off = w.core.on('webhooks:activity', (a) => activity.push(a));
    const lateAt = Math.floor(Date.now() / 1000) + 60;
    const lateKey = `status:${erasedWamid(db, campaignWamid)}:read:${lateAt}`;
    expect(db.prepare("SELECT count(*) FROM webhook_event_keys WHERE key LIKE 'status:erased.%'").pluck().get()).toBeGreaterThan(0);
    const inboxBefore = db.prepare('SELECT max(id) FROM webhook_inbox').pluck().get() as number;
    const late = statusEnvelope(
      [
        { id: campaignWamid, status: 'read', timestamp: String(lateAt), recipient_id: '972502345678' },
        { id: yossiWamid, status: 'read', timestamp: String(lateAt), recipient_id: '972529876543' },
      ],
      { phoneNumberId: SANDBOX_PHONE_NUMBER_ID },
    );
    late.entry[0]!.id = SANDBOX_WABA_ID;
    expect((await signedPost(w.receiver.url, late, w.sandbox.credentials.appSecret)).status).toBe(200);
    // Stored (the 200 means committed); processed now: draining does not wait for a timer the
    // processor may hold for a row in backoff (the Sandbox's own late statuses), and rethrows.
    await until('late status stored', () => db.prepare('SELECT 1 FROM webhook_inbox WHERE id > ?').get(inboxBefore) !== undefined);
    await w.core.services.webhooks.processor.drain();
    await until(
      'late status processed',
      () => db.prepare("SELECT 1 FROM webhook_inbox WHERE id > ? AND state = 'processed'").get(inboxBefore) !== undefined,
      20_000,
      () => JSON.stringify(db.prepare('SELECT id, state, attempts, last_error FROM webhook_inbox WHERE id > ?').all(inboxBefore)),
    );
    await until('activity', () => activity.some((a) => a.unknown > 0));
    off();
    // (≥ 1: the Sandbox's own read status for her may also come after the erasure.)
    expect(activity.reduce((n, a) => n + a.unknown, 0)).toBeGreaterThanOrEqual(1);
    expect(
      db
        .prepare('SELECT count(*) FROM webhook_message_status WHERE wamid = ? OR recipient_id IN (?, ?)')
        .pluck()
        .get(campaignWamid, '972502345678', DANA),
    ).toBe(0);
    expect(db.prepare('SELECT count(*) FROM webhook_pending_status').pluck().get()).toBe(0);
    expect(db.prepare('SELECT 1 FROM webhook_event_keys WHERE key = ?').get(lateKey)).toBeDefined(); // seen, under her erased id
    expect(db.prepare('SELECT status FROM webhook_message_status WHERE wamid = ?').pluck().get(yossiWamid)).toBe('read');
    // Her row did not move (Yossi's did: his read status was applied).
    expect(
      db
        .prepare(
          'SELECT r.state, s.status FROM campaign_recipients r JOIN webhook_message_status s ON s.wamid = r.wamid WHERE r.contact_id IS NULL',
        )
        .get(),
    ).toEqual(erasedRow);
    expect(await settledHolds(needles)).toEqual([]);
    const dir = w.dataDir;
    await w.close();
    w = null;
    expect(holds(dir, needles)).toEqual([]);
    expect(fs.statSync(path.join(dir, 'logs', 'pacer.log')).size).toBeGreaterThan(0); // the log was grepped
  }, 60_000);
});
