/**
 * Business-scoped user ids (BSUID) and usernames in imports and exports (issue #13): the export
 * writes `whatsapp_user_id` / `whatsapp_username`, the import recognises those headers and stores
 * the values on the contact (real SQLite, through the contract), search finds them, and an export
 * imported into another store gives back the same ids.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/index';
import { recordConsentByUserId } from '../../../electron/core/contacts/user-ids-store';
import { closedAfterEach, importFile, ok, preview, tempFile } from './helpers';

const core = closedAfterEach();

const idsOf = (c: Core) =>
  c.db.prepare('SELECT phone, user_id AS userId, username FROM contacts ORDER BY id').all() as {
    phone: string;
    userId: string | null;
    username: string | null;
  }[];

const CSV = [
  'phone,name,whatsapp_user_id,whatsapp_username',
  '+972502345678,Dana,IL.1502576394655843,dana_l',
  '+972529876543,Yossi,,',
  // Not a BSUID (a CRM's own id): ignored, never stored as an id a webhook could match.
  '+972533456789,Rina,12345,@rina',
].join('\n');

describe('BSUID columns in imports', () => {
  it('guesses the columns and stores valid BSUIDs and usernames on the contacts', async () => {
    const c = core();
    const file = tempFile('bsuid.csv', CSV);
    const p = await preview(c, file);
    expect(p.mapping).toEqual([
      { column: 'phone', field: 'phone' },
      { column: 'name', field: 'name' },
      { column: 'whatsapp_user_id', field: 'user_id' },
      { column: 'whatsapp_username', field: 'username' },
    ]);
    const job = await importFile(c, file);
    expect(job.report).toMatchObject({ rows: 3, imported: 3, invalid: 0 });
    expect(idsOf(c)).toEqual([
      { phone: '+972502345678', userId: 'IL.1502576394655843', username: 'dana_l' },
      { phone: '+972529876543', userId: null, username: null },
      { phone: '+972533456789', userId: null, username: 'rina' },
    ]);
    // Search finds the contact by its BSUID and by its username.
    const byId = await ok(c.call('contacts:query', { search: 'IL.1502576394655843' }));
    expect(byId.rows.map((r) => r.phone)).toEqual(['+972502345678']);
    const byName = await ok(c.call('contacts:query', { search: '@dana_l' }));
    expect(byName.rows.map((r) => r.phone)).toEqual(['+972502345678']);
  });

  it('moves a BSUID from the contact that had it, and merges the contact known only by a BSUID (with its opt-out) into the imported one', async () => {
    const c = core();
    await importFile(c, tempFile('a.csv', 'phone,whatsapp_user_id\n+972502345678,IL.1502576394655843\n'));
    // A STOP from a phone-less webhook for a BSUID no contact has yet: a contact without a phone (migration 0017).
    const bare = recordConsentByUserId(c.db, {
      userId: 'IL.999000111222',
      parentUserId: null,
      username: null,
      profileName: null,
      category: 'all',
      state: 'opted_out',
      source: 'keyword',
      sourceDetail: 'keyword STOP',
      evidence: null,
      at: 1_000,
      eventKey: 'k1',
    });
    expect(c.db.prepare('SELECT phone, user_id FROM contacts WHERE id = ?').get(bare)).toEqual({ phone: null, user_id: 'IL.999000111222' });
    // The person changed number: the new file has the old BSUID on the new number, and the pending one.
    const file = tempFile('b.csv', 'phone,whatsapp_user_id\n+972529876543,IL.1502576394655843\n+972533456789,IL.999000111222\n');
    const job = await importFile(c, file);
    expect(job.state).toBe('done');
    expect(idsOf(c)).toEqual([
      { phone: '+972502345678', userId: null, username: null },
      { phone: '+972529876543', userId: 'IL.1502576394655843', username: null },
      { phone: '+972533456789', userId: 'IL.999000111222', username: null },
    ]);
    const state = c.db
      .prepare(
        "SELECT cs.state FROM consent_state cs JOIN contacts k ON k.id = cs.contact_id WHERE k.phone = ? AND cs.category = 'marketing'",
      )
      .pluck()
      .get('+972533456789');
    expect(state).toBe('opted_out');
    // One contact for that person: the phone-less one was merged into the imported one.
    expect(c.db.prepare('SELECT count(*) FROM contacts WHERE id = ?').pluck().get(bare)).toBe(0);
    expect(c.db.prepare('SELECT count(*) FROM contacts').pluck().get()).toBe(3);
  });
});

describe('BSUID columns in exports', () => {
  it('CSV and XLSX carry whatsapp_user_id and whatsapp_username, and the CSV imports back the same ids', async () => {
    const c = core();
    await importFile(c, tempFile('bsuid.csv', CSV));
    const csv = await ok(c.call('contacts:export', { format: 'csv' }));
    const lines = csv.content
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    const header = lines[0]!.split(',');
    const ui = header.indexOf('whatsapp_user_id');
    const un = header.indexOf('whatsapp_username');
    expect(ui).toBeGreaterThan(0);
    expect(un).toBe(ui + 1);
    expect(lines.slice(1).map((l) => l.split(',').slice(ui, un + 1))).toEqual([
      ['IL.1502576394655843', 'dana_l'],
      ['', ''],
      ['', 'rina'],
    ]);

    const xlsx = await ok(c.call('contacts:export', { format: 'xlsx' }));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(xlsx.content, 'base64') as never);
    const ws = wb.worksheets[0]!;
    const row = (n: number) => (ws.getRow(n).values as unknown[]).slice(1).map((v) => (v == null ? '' : String(v)));
    expect(row(1)[ui]).toBe('whatsapp_user_id');
    expect(row(2).slice(ui, un + 1)).toEqual(['IL.1502576394655843', 'dana_l']);

    // Round trip into another store.
    const other = core();
    const job = await importFile(other, tempFile('export.csv', csv.content));
    expect(job.report).toMatchObject({ imported: 3, invalid: 0 });
    expect(idsOf(other)).toEqual(idsOf(c));
  });
});

describe('contacts known only by a user id, in imports', () => {
  const PHONELESS = [
    'phone,name,whatsapp_user_id,whatsapp_username,consent,tags',
    ',Noa,IL.777000111222,noa_k,yes,vip',
    ',,IL.777000333444,tal_b,no,',
    // The same person twice in the file: one contact, the second row a duplicate.
    ',Noa again,IL.777000111222,,yes,',
    // No phone and no user id: still a rejected row.
    ',Nobody,,,yes,',
    '+972502345678,Dana,,,yes,',
  ].join('\n');

  it('a row with no phone but a user id becomes a contact with consent, tags and search, counted like the rest; a dry run counts the same', async () => {
    const c = core();
    const file = tempFile('phoneless.csv', PHONELESS);
    const p = await preview(c, file);
    const mapping = p.mapping;
    expect(mapping.find((m) => m.column === 'consent')?.field).toBe('consent');
    const dry = await importFile(c, file, { mapping, dryRun: true, consent: 'marketing' });
    const job = await importFile(c, file, { mapping, consent: 'marketing' });
    const counts = (r: NonNullable<typeof job.report>) => ({
      rows: r.rows,
      imported: r.imported,
      duplicates: r.duplicates,
      invalid: r.invalid,
      optedInByFile: r.consent.optedInByFile,
      optedOutByFile: r.consent.optedOutByFile,
    });
    expect(counts(job.report!)).toEqual({ rows: 5, imported: 3, duplicates: 1, invalid: 1, optedInByFile: 2, optedOutByFile: 1 });
    expect(counts(dry.report!)).toEqual(counts(job.report!));
    expect(job.report!.errors.map((e) => [e.row, e.code])).toEqual([
      [4, 'duplicate_in_file'],
      [5, 'no_phone'],
    ]);
    const people = c.db
      .prepare(
        `SELECT k.phone, k.name, k.user_id AS userId, k.username, cs.state,
                (SELECT group_concat(t.name) FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = k.id) AS tags
         FROM contacts k LEFT JOIN consent_state cs ON cs.contact_id = k.id AND cs.category = 'marketing' ORDER BY k.id`,
      )
      .all();
    expect(people).toEqual([
      { phone: '+972502345678', name: 'Dana', userId: null, username: null, state: 'opted_in', tags: null },
      { phone: null, name: 'Noa', userId: 'IL.777000111222', username: 'noa_k', state: 'opted_in', tags: 'vip' },
      { phone: null, name: '', userId: 'IL.777000333444', username: 'tal_b', state: 'opted_out', tags: null },
    ]);
    // Their consent evidence is data like any imported row's: the file's column, the row.
    const noa = c.db.prepare("SELECT id FROM contacts WHERE user_id = 'IL.777000111222'").pluck().get() as number;
    expect((await ok(c.call('contacts:get', { id: noa }))).consentHistory[0]!.evidenceData).toMatchObject({
      code: 'import_column',
      params: { file: 'phoneless.csv', column: 'consent', row: 2 },
    });
    // Searchable at once, by name and by id.
    expect((await ok(c.call('contacts:query', { search: 'Noa' }))).total).toBe(1);
    expect((await ok(c.call('contacts:query', { search: 'IL.777000333444' }))).total).toBe(1);
    // Again, skipping what is there: nothing new, the file's no stays an opt-out, nobody is opted back in.
    const again = await importFile(c, file, { mapping, consent: 'marketing', onDuplicate: 'skip' });
    expect(again.report).toMatchObject({ imported: 0, skipped: 3 });
    expect(c.db.prepare('SELECT count(*) FROM contacts').pluck().get()).toBe(3);
  });

  it('an export of phone-less contacts imports back into another store as the same people', async () => {
    const c = core();
    await importFile(c, tempFile('phoneless.csv', PHONELESS), { consent: 'marketing' });
    const csv = await ok(c.call('contacts:export', { format: 'csv' }));
    const other = core();
    const job = await importFile(other, tempFile('export.csv', csv.content));
    expect(job.report).toMatchObject({ imported: 3, invalid: 0 });
    const who = (x: Core) => x.db.prepare('SELECT phone, name, user_id, username FROM contacts ORDER BY user_id, phone').all();
    expect(who(other)).toEqual(who(c));
  });
});
