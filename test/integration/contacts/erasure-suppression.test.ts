/**
 * Erasure keeps a suppression record (migration 0007, privacy/store/erasures.ts): a keyed hash of the
 * number, when and why — nothing readable. A later import of the same number is rejected with a
 * specific reason, so no campaign can reach the person again.
 */
import crypto from 'node:crypto';
import { openDataDirStore } from '../../support/store';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/core/cli/index';
import type { CliIo } from '../../../electron/core/cli/io';
import { tempDataDir } from '../../support/harness';
import { ok as okCampaign, runUntilDone, utilityDraft, world, type World } from '../campaigns/helpers';
import { contactsOf, importFile, ok, tempFile, testCore } from './helpers';

async function pacer(dataDir: string, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), env: {}, untilSignal: () => new Promise(() => {}) };
  const code = await runCli(['--data-dir', dataDir, ...args], io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const PEOPLE = 'name,phone\nDana Levi,050-234-5678\nYossi Cohen,052-987-6543\n';
const DANA = '+972502345678';

/** Every text value in every table of the database file (to prove a number is nowhere). */
function everyText(dataDir: string): string {
  const db = openDataDirStore(dataDir, { readonly: true });
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'contacts_fts%'")
      .pluck()
      .all() as string[];
    return tables.map((t) => JSON.stringify(db.prepare(`SELECT * FROM "${t}"`).all())).join('\n');
  } finally {
    db.close();
  }
}

describe('erasure suppression (CLI)', () => {
  it('pacer contacts lift-erasure: the person asked to come back; the record goes (audited, no number) and the import takes them again', async () => {
    const dir = tempDataDir();
    expect((await pacer(dir, 'import', tempFile('people.csv', PEOPLE), '--default-country', 'IL', '--consent', 'marketing')).code).toBe(0);
    expect((await pacer(dir, 'contacts', 'delete', DANA)).code).toBe(0);
    // A reason is required; a number without a record is a clear failure.
    expect((await pacer(dir, 'contacts', 'lift-erasure', DANA)).code).not.toBe(0);
    const none = await pacer(dir, 'contacts', 'lift-erasure', '+972529876543', '--reason', 'x');
    expect(none.code).not.toBe(0);
    expect(none.err).toContain('+972529876543 has no erasure record.');
    const again = await pacer(dir, 'import', tempFile('people.csv', PEOPLE), '--default-country', 'IL', '--consent', 'marketing', '--json');
    expect(JSON.parse(again.out).errors).toEqual([expect.objectContaining({ row: 2, reason: expect.stringContaining('erased') })]); // still refused before the lift

    const lift = await pacer(dir, 'contacts', 'lift-erasure', '050-234-5678', '--reason', 'signed up again at the store', '--json');
    expect(lift.code).toBe(0);
    expect(JSON.parse(lift.out)).toMatchObject({ lifted: true, erased_at: expect.any(Number) });
    const db = openDataDirStore(dir, { readonly: true });
    expect(db.prepare('SELECT count(*) FROM contact_erasures').pluck().get()).toBe(0);
    const audit = db.prepare("SELECT detail FROM audit_log WHERE action = 'contact.erasure_lifted'").pluck().all() as string[];
    db.close();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!)).toMatchObject({
      reason: 'signed up again at the store',
      erasure_record: expect.stringMatching(/^[\w-]{43}$/),
    });
    expect(audit[0]).not.toContain('2345678');

    const back = await pacer(dir, 'import', tempFile('people.csv', PEOPLE), '--default-country', 'IL', '--consent', 'marketing', '--json');
    expect(JSON.parse(back.out)).toMatchObject({ imported: 1, errors: [] });
    expect((await pacer(dir, 'contacts', 'list', '--json')).out).toContain(DANA);
  });

  it('pacer contacts delete keeps a keyed hash only; a re-import is rejected with the reason, in the dry run and for real', async () => {
    const dir = tempDataDir();
    expect((await pacer(dir, 'import', tempFile('people.csv', PEOPLE), '--default-country', 'IL', '--consent', 'marketing')).code).toBe(0);
    const del = await pacer(dir, 'contacts', 'delete', '050-234-5678');
    expect(del.code).toBe(0);
    expect(del.out).toMatch(/^Erased 050-234-5678\. .*importing it again is refused/);

    // The record: one row, a 43-character keyed hash — not the number, not its plain SHA-256.
    const db = openDataDirStore(dir, { readonly: true });
    const records = db.prepare('SELECT hash, erased_at, reason FROM contact_erasures').all() as {
      hash: string;
      erased_at: number;
      reason: string;
    }[];
    const key = db.prepare("SELECT value FROM app_meta WHERE key = 'contacts.erasure_key'").pluck().get() as string;
    const campaignKey = db.prepare("SELECT value FROM app_meta WHERE key = 'campaigns.phone_hash_key'").pluck().get() as string | undefined;
    db.close();
    expect(records).toHaveLength(1);
    expect(records[0]!.reason).toBe('erasure request');
    expect(records[0]!.hash).toBe(crypto.createHmac('sha256', Buffer.from(key, 'hex')).update(DANA).digest('base64url'));
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(key).not.toBe(campaignKey);
    const plainSha = crypto.createHash('sha256').update(DANA).digest('hex');
    const all = everyText(dir);
    for (const trace of ['972502345678', '502345678', 'Dana', plainSha]) expect(all).not.toContain(trace);

    // A later list with Dana (written differently) and someone new.
    const again = tempFile('again.csv', 'name,phone\nDana L.,+972 50 234 5678\nNoa Peretz,054-987-6543\n');
    const dry = await pacer(dir, 'import', again, '--default-country', 'IL', '--dry-run', '--json');
    expect(dry.code).toBe(0);
    const day = new Date(records[0]!.erased_at).toISOString().slice(0, 10);
    const erasedRow = { row: 2, reason: `erased at the person's request on ${day} — not re-imported` };
    expect(JSON.parse(dry.out)).toMatchObject({ rows: 2, imported: 1, invalid: 1, errors: [erasedRow] });
    const real = await pacer(dir, 'import', again, '--default-country', 'IL', '--json');
    expect(JSON.parse(real.out)).toMatchObject({ rows: 2, imported: 1, invalid: 1, errors: [erasedRow] });
    const phones = JSON.parse((await pacer(dir, 'contacts', 'list', '--json')).out)
      .map((x: { phone: string }) => x.phone)
      .sort();
    expect(phones).toEqual(['+972529876543', '+972549876543']);
  });
});

describe('erasure suppression (core)', () => {
  const cores: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(cores.splice(0).map((c) => c.close()));
  });

  it('the import report carries code "erased"; a STOP from the erased number does not bring it back; a bulk delete keeps no record', async () => {
    const c = testCore();
    cores.push(c);
    const service = c.services.contacts;
    await importFile(c, tempFile('p.csv', PEOPLE));
    expect(await ok(c.call('contacts:delete', { phone: DANA }))).toEqual({ deleted: true, backups_removed: 0 });
    const audit = c.db.prepare("SELECT detail FROM audit_log WHERE action = 'contact.erased'").pluck().get() as string;
    const record = c.db.prepare('SELECT hash FROM contact_erasures').pluck().get() as string;
    expect(JSON.parse(audit)).toEqual({ erasure_record: record });

    // Erasing again (nothing left) keeps the one record.
    expect(await ok(c.call('contacts:delete', { phone: DANA }))).toEqual({ deleted: false, backups_removed: 0 });
    expect(c.db.prepare('SELECT count(*) FROM contact_erasures').pluck().get()).toBe(1);

    const job = await importFile(c, tempFile('again.csv', 'name,phone\nDana,0502345678\n'), { dryRun: true });
    expect(job.report).toMatchObject({ rows: 1, imported: 0, invalid: 1 });
    expect(job.report!.errors).toEqual([
      {
        row: 2,
        code: 'erased',
        reason: expect.stringMatching(/^erased at the person's request on 2026-01-05 — not re-imported$/),
        params: { date: '2026-01-05' },
      },
    ]);

    // Dana texts STOP after the erasure: the opt-out is not kept as a new bare contact.
    expect(
      service.recordConsentByPhone({
        phone: DANA,
        category: 'all',
        state: 'opted_out',
        source: 'keyword',
        sourceDetail: 'keyword STOP',
        evidence: { code: 'stop_keyword', params: { keyword: 'STOP', message: 'wamid.X' } },
      }),
    ).toBeNull();
    expect(service.getByPhone(DANA)).toBeNull();

    // A bulk delete is list housekeeping, not a person's request: no record, the number can come back.
    const yossi = service.getByPhone('+972529876543')!;
    expect(await ok(c.call('contacts:bulk', { action: 'delete', category: 'all', ids: [yossi.id], confirm: true }))).toEqual({
      matched: 1,
      affected: 1,
    });
    expect(c.db.prepare('SELECT count(*) FROM contact_erasures').pluck().get()).toBe(1);
    const back = await importFile(c, tempFile('yossi.csv', 'name,phone\nYossi,052-987-6543\n'));
    expect(back.report).toMatchObject({ imported: 1, invalid: 0 });
    expect(contactsOf(c).map((x) => x.phone)).toEqual(['+972529876543']);
  });
});

describe('erasure suppression (campaigns)', () => {
  let w: World | null = null;
  afterEach(async () => {
    await w?.close();
    w = null;
  });

  it('an erased number re-imported in a list is excluded from the plan and never sent to', async () => {
    w = await world();
    const list = 'name,phone\nDana Levi,050-234-5678\nYossi Cohen,052-987-6543\nNoa Peretz,054-987-6543\n';
    await importFile(w.core, tempFile('list.csv', list), { consent: 'utility' });
    expect(await ok(w.core.call('contacts:delete', { phone: DANA }))).toEqual({ deleted: true, backups_removed: 0 });
    // The same list comes back from the CRM export, consent column and all.
    const again = await importFile(w.core, tempFile('list.csv', list), { consent: 'utility', onDuplicate: 'update' });
    expect(again.report).toMatchObject({ rows: 3, imported: 0, updated: 2, invalid: 1 });

    const c = await okCampaign(w.core.call('campaigns:create', utilityDraft({ options: { rate: 50 } })));
    const plan = await okCampaign(w.core.call('campaigns:plan', { id: c.id }));
    expect(plan).toMatchObject({ audience: 2, eligible: 2 });
    await okCampaign(w.core.call('campaigns:start', { id: c.id }));
    const done = await runUntilDone(w, c.id);
    expect(done.state).toBe('completed');
    const sentTo = w.sandbox
      .messages()
      .map((m) => `+${m.wa_id}`)
      .sort();
    expect(sentTo).toEqual(['+972529876543', '+972549876543']);
    expect(w.core.db.prepare('SELECT count(*) FROM campaign_recipients WHERE phone = ?').pluck().get(DANA)).toBe(0);
  });
});
