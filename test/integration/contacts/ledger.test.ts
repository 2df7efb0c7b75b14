/**
 * Consent ledger, suppression, atomicity, cancel, erasure, segments, bulk actions and exports.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/index';
import { systemClock } from '../../../electron/core/clock';
import { closedAfterEach, contactsOf, importFile, ok, tempFile } from './helpers';

const core = closedAfterEach();

const PEOPLE = 'name,phone,tags\nDana Levi,050-234-5678,vip\nYossi Cohen,052-987-6543,vip\nNoa Peretz,054-987-6543,\n';
const count = (c: Core, table: string) => (c.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('consent on import', () => {
  it('records opt-ins with evidence, and never turns an opted-out contact back to opted-in', async () => {
    const c = core();
    const service = c.services.contacts;
    const file = tempFile('people.csv', PEOPLE);
    await importFile(c, file, { consent: 'marketing', consentSource: 'signup form 2025' });
    const dana = await ok(c.call('contacts:get', { phone: '+972502345678' }));
    expect(dana.contact.consent).toEqual({ marketing: 'opted_in', utility: 'unknown' });
    expect(dana.consentHistory).toEqual([
      expect.objectContaining({
        category: 'marketing',
        state: 'opted_in',
        source: 'import',
        sourceDetail: 'import people.csv:2',
        actor: 'cli',
        evidence: expect.stringMatching(/^signup form 2025 — file people.csv, imported 2026-01-05T09:00:00.000Z by cli$/),
        // The same evidence as data, which screens translate (the row from the file, the time as a number).
        evidenceData: {
          code: 'import_file',
          params: { file: 'people.csv', row: 2, at: Date.parse('2026-01-05T09:00:00.000Z'), by: 'cli', note: 'signup form 2025' },
        },
      }),
    ]);

    // Dana texts STOP.
    service.recordConsentByPhone({
      phone: '+972502345678',
      category: 'all',
      state: 'opted_out',
      source: 'keyword',
      sourceDetail: 'keyword STOP',
      evidence: { code: 'stop_keyword', params: { keyword: 'STOP', message: 'wamid.X' } },
    });
    // The same list is imported again with consent, updating duplicates, and with a consent column saying yes.
    const again = tempFile('people.csv', 'name,phone,consent\nDana L.,050-234-5678,yes\n');
    const job = await importFile(c, again, { consent: 'marketing', onDuplicate: 'update' });
    expect(job.report).toMatchObject({ rows: 1, updated: 1 });
    const after = await ok(c.call('contacts:get', { phone: '+972502345678' }));
    expect(after.contact.name).toBe('Dana L.');
    expect(after.contact.consent).toEqual({ marketing: 'opted_out', utility: 'opted_out' });
    expect(after.consentHistory.map((e) => [e.category, e.state, e.source])).toEqual([
      ['utility', 'opted_out', 'keyword'],
      ['marketing', 'opted_out', 'keyword'],
      ['marketing', 'opted_in', 'import'],
    ]);
  });

  it('a consent column: yes → opt-in, "opted out" → opt-out, empty → nothing', async () => {
    const c = core();
    await importFile(c, tempFile('c.csv', 'name,phone,marketing consent\nA,050-234-5678,yes\nB,052-987-6543,opted out\nC,054-987-6543,\n'));
    const rows = (await ok(c.call('contacts:query', { sort: 'phone', order: 'asc' }))).rows;
    expect(rows.map((r) => [r.phone, r.consent.marketing])).toEqual([
      ['+972502345678', 'opted_in'],
      ['+972529876543', 'opted_out'],
      ['+972549876543', 'unknown'],
    ]);
  });

  it('a manual re-opt-in after an opt-out needs a reason; history is append-only', async () => {
    const c = core();
    await importFile(c, tempFile('p.csv', PEOPLE), { consent: 'marketing' });
    await ok(c.call('contacts:opt-out', { contact: { phone: '0502345678' }, category: 'marketing', reason: 'asked in store' }));
    const refused = await c.call('contacts:opt-in', { contact: { phone: '0502345678' }, category: 'marketing', source: 'paper form' });
    expect(refused).toMatchObject({ ok: false, code: 'bad_input', message: expect.stringMatching(/needs a reason/) });
    const back = await ok(
      c.call('contacts:opt-in', {
        contact: { phone: '0502345678' },
        category: 'marketing',
        source: 'paper form',
        reason: 'signed a new form on 5 Jan',
      }),
    );
    expect(back.consent.marketing).toBe('opted_in');
    const h = (await ok(c.call('contacts:get', { phone: '0502345678' }))).consentHistory;
    expect(h[0]).toMatchObject({
      state: 'opted_in',
      source: 'manual',
      evidence: 'paper form — re-opt-in reason: signed a new form on 5 Jan',
      evidenceData: { code: 'manual', params: { note: 'paper form' }, reason: 'signed a new form on 5 Jan' },
    });
    expect(() => c.db.prepare("UPDATE consent_events SET state = 'opted_in'").run()).toThrow(/append-only/);
  });
});

describe('consent evidence', () => {
  it('an event recorded before evidence had codes reads back as its English text, with no value (legacy)', async () => {
    const c = core();
    await importFile(c, tempFile('people.csv', PEOPLE));
    const id = c.db.prepare('SELECT id FROM contacts WHERE phone = ?').pluck().get('+972502345678') as number;
    c.db
      .prepare(
        "INSERT INTO consent_events (contact_id, category, state, source, source_detail, actor, evidence, at) VALUES (?, 'utility', 'opted_in', 'manual', 'manual', 'user', 'paper form', 1)",
      )
      .run(id);
    const h = (await ok(c.call('contacts:get', { id }))).consentHistory;
    expect(h.find((e) => e.category === 'utility')).toMatchObject({ evidence: 'paper form', evidenceData: null });
  });
});

describe('suppression: audiences never include opted-out contacts', () => {
  it('all, tags, segments and combinations exclude opted-out contacts', async () => {
    const c = core();
    const service = c.services.contacts;
    await importFile(c, tempFile('p.csv', PEOPLE), { consent: 'marketing' });
    await ok(c.call('segments:save', { name: 'VIPs', rule: { match: 'all', conditions: [{ field: 'tag', op: 'has', value: 'vip' }] } }));
    const phones = (expr: string, category?: 'marketing' | 'utility') =>
      [...service.iterateAudience(expr, category ? { category } : {})].flat().map((r) => r.phone);
    expect(phones('all')).toEqual(['+972502345678', '+972529876543', '+972549876543']);

    await ok(c.call('contacts:opt-out', { contact: { phone: '+972529876543' }, category: 'marketing' }));
    // An opt-out from a number not yet in contacts (e.g. a STOP reply) is remembered too.
    service.recordConsentByPhone({
      phone: '+972507654321',
      category: 'all',
      state: 'opted_out',
      source: 'error_131050',
      sourceDetail: 'error 131050',
    });
    await importFile(c, tempFile('late.csv', 'name,phone,tags\nLate,050-765-4321,vip\n'), { consent: 'marketing', onDuplicate: 'update' });

    expect(phones('all')).toEqual(['+972502345678', '+972549876543']);
    expect(phones('tag:vip')).toEqual(['+972502345678']);
    expect(phones('segment:VIPs')).toEqual(['+972502345678']);
    expect(phones('all and not tag:vip')).toEqual(['+972549876543']);
    expect(phones('(tag:vip or segment:VIPs) and not tag:"no such"')).toEqual(['+972502345678']);
    // Opted out of marketing only: still reachable for utility messages.
    expect(phones('tag:vip', 'utility')).toEqual(['+972502345678', '+972529876543']);
    expect(service.countAudience('tag:vip')).toEqual({ matched: 3, optedOut: 2, eligible: 1 });
    for (const rows of service.iterateAudience('all')) for (const r of rows) expect(r.consent.marketing).not.toBe('opted_out');
    expect(() => service.audience('tag:vip and')).toThrow(/ends too early/);
    expect(() => service.audience('segment:Nope')).toThrow(/no segment named "Nope"/);
  });
});

describe('atomicity and cancel', () => {
  it('a failure in the middle of the merge leaves the store unchanged', async () => {
    const c = core();
    await importFile(c, tempFile('first.csv', 'name,phone\nKept,050-234-5678\n'), { consent: 'marketing' });
    const before = ['contacts', 'tags', 'contact_tags', 'consent_events', 'consent_state', 'imports'].map((t) => count(c, t));
    // Fail on the tag of the 2nd contact, after contacts were already inserted in the transaction.
    c.db.exec(
      "CREATE TRIGGER boom BEFORE INSERT ON contact_tags WHEN NEW.tag_id = (SELECT id FROM tags WHERE name = 'boom') BEGIN SELECT RAISE(ABORT, 'disk on fire'); END",
    );
    const job = await importFile(c, tempFile('second.csv', 'name,phone,tags\nA,052-987-6543,ok\nB,054-987-6543,boom\n'), {
      consent: 'marketing',
    });
    expect(job.state).toBe('failed');
    expect(job.error?.message).toMatch(/disk on fire/);
    expect(['contacts', 'tags', 'contact_tags', 'consent_events', 'consent_state', 'imports'].map((t) => count(c, t))).toEqual(before);
    expect(contactsOf(c).map((x) => x.name)).toEqual(['Kept']);
  });

  it('cancel stops a running import and keeps nothing; progress is reported while it runs', async () => {
    const c = core({ clock: systemClock });
    const lines = ['name,phone'];
    for (let i = 0; i < 60_000; i++) lines.push(`P${i},+97250${String(1_000_000 + i).padStart(7, '0')}`);
    const file = tempFile('big.csv', lines.join('\n'));
    const staged = c.ctx.files.stagePath(file);
    const progress: number[] = [];
    const { imports } = c.services;
    const { jobId } = await ok(c.call('import:start', { fileId: staged.fileId, mapping: [{ column: 'phone', field: 'phone' }] }));
    await new Promise<void>((resolve) => {
      const off = c.on('import:progress', (p) => {
        progress.push(p.rowsRead);
        if (p.rowsRead > 0 && p.phase === 'reading') {
          off();
          void c.call('import:cancel', { jobId }).then(() => resolve());
        }
      });
    });
    const job = await imports.wait(jobId);
    expect(job.state).toBe('cancelled');
    expect(job.error?.message).toMatch(/cancelled; nothing was changed/);
    expect(progress.at(-1)).toBeGreaterThan(0);
    expect(progress.at(-1)).toBeLessThan(60_000);
    expect(count(c, 'contacts')).toBe(0);
    expect((await ok(c.call('import:status', { jobId }))).state).toBe('cancelled');
  });

  it('a bulk load is saved batch by batch inside one transaction: a late failure leaves nothing, indexes intact, progress counts the rows saved', async () => {
    // The system's clock: progress is sent at most every 200 ms of it.
    const c = core({ clock: systemClock });
    const saving: { phase: string; rowsRead: number; saved: number }[] = [];
    c.on('import:progress', (p) => saving.push({ phase: p.phase, rowsRead: p.rowsRead, saved: p.counts.imported }));
    const indexes = () =>
      c.db
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('contacts', 'contact_tags') ORDER BY name",
        )
        .pluck()
        .all();
    const before = indexes();
    expect(before).toEqual([
      'contact_tags_contact',
      'contacts_country',
      'contacts_name',
      'contacts_parent_user_id',
      'contacts_updated',
      'contacts_user_id',
    ]);
    const lines = ['name,phone,tags'];
    for (let i = 0; i < 60_000; i++) lines.push(`P${i},+97250${String(2_000_000 + i).padStart(7, '0')},${i % 2 ? 'odd' : 'even'}`);
    c.db.exec("CREATE TRIGGER boom BEFORE INSERT ON imports BEGIN SELECT RAISE(ABORT, 'late failure'); END");
    const failed = await importFile(c, tempFile('big.csv', lines.join('\n')));
    expect(failed.error?.message).toMatch(/late failure/);
    expect(indexes()).toEqual(before);
    expect(count(c, 'contacts')).toBe(0);
    // The search words written in the same transaction went with it.
    expect(c.db.prepare('SELECT count(*) FROM contacts_fts').pluck().get()).toBe(0);
    expect(c.db.prepare("SELECT value FROM app_meta WHERE key = 'contacts.fts_upto'").pluck().get()).toBe('0');
    c.db.exec('DROP TRIGGER boom');
    saving.length = 0;
    const job = await importFile(c, tempFile('big.csv', lines.join('\n')));
    expect(job.error).toBeNull();
    expect(job.report).toMatchObject({ imported: 60_000 });
    const last = saving.at(-1)!;
    expect(last).toEqual({ phase: 'done', rowsRead: 60_000, saved: 60_000 });
    // Rows were saved while the file was still being read, and the counts only grew.
    const reading = saving.filter((p) => p.phase === 'reading');
    expect(reading.some((p) => p.saved > 0 && p.rowsRead < 60_000)).toBe(true);
    for (let i = 1; i < saving.length; i++) expect(saving[i]!.saved).toBeGreaterThanOrEqual(saving[i - 1]!.saved);
    expect(indexes()).toEqual(before);
    expect(c.db.prepare('PRAGMA integrity_check').pluck().get()).toBe('ok');
    expect((await ok(c.call('contacts:query', { tag: 'odd' }))).total).toBe(30_000);
    expect((await ok(c.call('contacts:query', { sort: 'name', order: 'asc', limit: 2 }))).rows.map((r) => r.name)).toEqual(['P0', 'P1']);
    // Searchable at the commit: every new contact is in the word index, nothing left for the background indexer.
    const maxId = c.db.prepare('SELECT max(id) FROM contacts').pluck().get() as number;
    expect(c.db.prepare("SELECT value FROM app_meta WHERE key = 'contacts.fts_upto'").pluck().get()).toBe(String(maxId));
    expect(c.db.prepare('SELECT count(*) FROM contacts_fts').pluck().get()).toBe(60_000);
    const hit = await ok(c.call('contacts:query', { search: '2059999' }));
    expect(hit.rows.map((r) => r.name)).toEqual(['P59999']);
  });

  it('an import made while the search index is still behind leaves its rows to the background indexer (never indexed twice)', async () => {
    const c = core();
    await importFile(c, tempFile('a.csv', 'name,phone\nAda,050-234-5678\nBen,052-987-6543\n'));
    // As if an earlier large import had not been indexed yet: the watermark is behind the contacts.
    c.db.prepare("UPDATE app_meta SET value = '1' WHERE key = 'contacts.fts_upto'").run();
    c.db.prepare('DELETE FROM contacts_fts WHERE rowid = 2').run();
    const job = await importFile(c, tempFile('b.csv', 'name,phone\nCarmel,053-123-4567\n'));
    expect(job.report).toMatchObject({ imported: 1 });
    // Search is complete anyway (rows above the watermark are scanned), and the indexer then indexes each once.
    expect((await ok(c.call('contacts:query', { search: 'Carmel' }))).total).toBe(1);
    expect((await ok(c.call('contacts:query', { search: 'Ben' }))).total).toBe(1);
    c.services.contacts.indexer.catchUpNow();
    expect(c.db.prepare("SELECT value FROM app_meta WHERE key = 'contacts.fts_upto'").pluck().get()).toBe('3');
    expect(c.db.prepare('SELECT count(*) FROM contacts_fts').pluck().get()).toBe(3);
    expect((await ok(c.call('contacts:query', { search: 'Carmel' }))).total).toBe(1);
  });

  it('a dry run reports the same counts and writes nothing; one import at a time', async () => {
    const c = core();
    await importFile(c, tempFile('a.csv', 'name,phone\nA,050-234-5678\n'));
    const file = tempFile('b.csv', 'name,phone\nA again,050-234-5678\nB,052-987-6543\nB twice,052-987-6543\nC,12\n');
    const dry = await importFile(c, file, { dryRun: true, onDuplicate: 'update' });
    expect(dry.report).toMatchObject({ dryRun: true, rows: 4, imported: 1, updated: 1, duplicates: 1, invalid: 1, skipped: 0 });
    expect(dry.report!.errors.map((e) => [e.row, e.code])).toEqual([
      [4, 'duplicate_in_file'],
      [5, 'invalid_phone'],
    ]);
    expect(contactsOf(c).map((x) => x.name)).toEqual(['A']);
    const real = await importFile(c, file, { onDuplicate: 'skip' });
    expect(real.report).toMatchObject({ rows: 4, imported: 1, updated: 0, duplicates: 1, invalid: 1, skipped: 1 });
    expect(contactsOf(c).map((x) => x.name)).toEqual(['A', 'B']);
  });
});

describe('erasure and data-subject export', () => {
  it('removes the contact and every trace of its personal data; the ledger hook gets a phone hash', async () => {
    const c = core();
    const service = c.services.contacts;
    await importFile(
      c,
      tempFile('p.csv', 'name,phone,email,tags,attr.city\nDana Levi,050-234-5678,dana@example.com,vip,Haifa\nYossi,052-987-6543,,vip,\n'),
      { consent: 'marketing' },
    );
    const dana = service.getByPhone('+972502345678')!;
    service.recordMessage({ contactId: dana.id, campaignId: 'c1', campaignName: 'Spring', template: 'promo', status: 'delivered' });
    service.indexer.catchUpNow();
    const subject = await ok(c.call('contacts:subject-export', { phone: '+972502345678' }));
    expect(subject).toMatchObject({
      contact: { phone: '+972502345678', email: 'dana@example.com', attributes: { city: 'Haifa' } },
      consent_history: [expect.objectContaining({ state: 'opted_in' })],
      messages: [expect.objectContaining({ campaignName: 'Spring' })],
    });

    const erased: { contactId: number; phoneHash: string }[] = [];
    service.onErase((info) => erased.push(info));
    expect(await ok(c.call('contacts:delete', { phone: '050-234-5678' }))).toEqual({ deleted: true, backups_removed: 0 });
    expect(erased).toEqual([{ contactId: dana.id, phoneHash: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    for (const t of ['contact_tags', 'contact_attributes', 'consent_events', 'consent_state', 'contact_messages']) {
      expect(c.db.prepare(`SELECT count(*) AS n FROM ${t} WHERE contact_id = ?`).get(dana.id)).toEqual({ n: 0 });
    }
    expect((await ok(c.call('contacts:query', { search: 'dana' }))).total).toBe(0);
    expect((await ok(c.call('contacts:query', { search: '0502345678' }))).total).toBe(0);
    const audit = c.db.prepare("SELECT detail FROM audit_log WHERE action = 'contact.erased'").pluck().all() as string[];
    expect(audit).toHaveLength(1);
    expect(audit[0]).not.toMatch(/972|Dana|dana/);
    expect(await ok(c.call('contacts:delete', { phone: '050-234-5678' }))).toEqual({ deleted: false, backups_removed: 0 });
    expect(contactsOf(c).map((x) => x.name)).toEqual(['Yossi']);
  });
});

describe('exports neutralise spreadsheet formulas', () => {
  const EVIL = 'name,phone,attr.note\n=1+1,050-234-5678,@SUM(A1)\n"-2+3",052-987-6543,x\n';

  it('csv and xlsx prefix = + - @ tab CR with an apostrophe; json keeps the data verbatim', async () => {
    const c = core();
    await importFile(c, tempFile('evil.csv', EVIL));
    // Imports trim cells; a tab or CR at the start can still come from an edit.
    const second = (await ok(c.call('contacts:query', { search: '0529876543' }))).rows[0]!;
    await ok(c.call('contacts:update', { id: second.id, attributes: { note: '\tcmd' } }));
    const csv = await ok(c.call('contacts:export', { format: 'csv' }));
    expect(csv.rows).toBe(2);
    const lines = csv.content
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'phone,name,first_name,last_name,email,country,tags,consent_marketing,consent_utility,created_at,whatsapp_user_id,whatsapp_username,attr.note',
    );
    // A plain E.164 number stays usable (shared/spreadsheet-cell.ts); formula-like text gets the quote.
    expect(lines[1]).toMatch(/^\+972502345678,'=1\+1,.*,'@SUM\(A1\)$/);
    expect(lines[2]).toMatch(/^\+972529876543,'-2\+3,.*,'\tcmd$/);

    const xlsx = await ok(c.call('contacts:export', { format: 'xlsx' }));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(xlsx.content, 'base64') as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(2).getCell(2).value).toBe("'=1+1");
    expect(ws.getRow(2).getCell(13).value).toBe("'@SUM(A1)");
    expect(ws.getRow(3).getCell(2).value).toBe("'-2+3");

    const json = JSON.parse((await ok(c.call('contacts:export', { format: 'json' }))).content);
    expect(json.map((r: { name: string }) => r.name)).toEqual(['=1+1', '-2+3']);

    // The export imported again: the guard apostrophe is not part of the value.
    const other = core();
    await importFile(other, tempFile('export.csv', csv.content));
    expect(other.db.prepare('SELECT name FROM contacts ORDER BY id').pluck().all()).toEqual(['=1+1', '-2+3']);
  });
});

describe('segments, bulk actions, query', () => {
  it('saves segments, filters by them, and bulk-tags / opts out / deletes with a confirmation count', async () => {
    const c = core();
    await importFile(
      c,
      tempFile('p.csv', 'name,phone,tags,attr.age\nDana,050-234-5678,vip,34\nYossi,052-987-6543,,41\nLead,+44 7400 123456,vip,19\n'),
    );
    const seg = await ok(
      c.call('segments:save', {
        name: 'Adults in IL',
        rule: {
          match: 'all',
          conditions: [
            { field: 'country', op: 'in', values: ['IL'] },
            { field: 'attr', name: 'age', op: 'gt', value: 30 },
          ],
        },
      }),
    );
    expect(seg.count).toBe(2);
    expect(await c.call('segments:save', { name: 'adults in il', rule: { conditions: [] } })).toMatchObject({
      ok: false,
      code: 'conflict',
    });
    expect((await ok(c.call('contacts:query', { segment: seg.id }))).rows.map((r) => r.name).sort()).toEqual(['Dana', 'Yossi']);
    expect(
      await ok(
        c.call('segments:count', {
          rule: {
            match: 'any',
            conditions: [
              { field: 'tag', op: 'has', value: 'vip' },
              { field: 'last_messaged', op: 'never' },
            ],
          },
        }),
      ),
    ).toEqual({ count: 3 });

    const preview = await ok(c.call('contacts:bulk', { action: 'tag', tag: 'q3', filter: { country: 'IL' } }));
    expect(preview).toEqual({ matched: 2, affected: 0 });
    expect((await ok(c.call('contacts:tags', {}))).map((t) => t.name)).toEqual(['vip']);
    expect(await ok(c.call('contacts:bulk', { action: 'tag', tag: 'q3', filter: { country: 'IL' }, confirm: true }))).toEqual({
      matched: 2,
      affected: 2,
    });
    expect(await ok(c.call('contacts:bulk', { action: 'opt-out', category: 'marketing', filter: { tag: 'vip' }, confirm: true }))).toEqual({
      matched: 2,
      affected: 2,
    });
    expect((await ok(c.call('contacts:query', { consent: 'opted_out' }))).total).toBe(2);
    expect((await ok(c.call('contacts:stats', {}))).consent.marketing).toEqual({ opted_in: 0, opted_out: 2, unknown: 1 });
    const yossi = (await ok(c.call('contacts:query', { search: 'Yossi' }))).rows[0]!;
    expect(await ok(c.call('contacts:bulk', { action: 'delete', ids: [yossi.id], confirm: true }))).toEqual({ matched: 1, affected: 1 });
    expect((await ok(c.call('contacts:query', {}))).total).toBe(2);
  });

  it('pages through the whole table in order, including deep offsets, and searches any phone format', async () => {
    const c = core();
    const lines = ['name,phone'];
    for (let i = 0; i < 450; i++) lines.push(`Person ${i},+97250${String(2_000_000 + i).padStart(7, '0')}`);
    await importFile(c, tempFile('many.csv', lines.join('\n')));
    const seen: string[] = [];
    for (let offset = 0; offset < 450; offset += 100)
      seen.push(...(await ok(c.call('contacts:query', { offset, limit: 100 }))).rows.map((r) => r.name));
    expect(seen).toEqual(Array.from({ length: 450 }, (_v, i) => `Person ${449 - i}`));
    // With a gap in the ids (a deleted contact) the pages are still exact.
    await ok(c.call('contacts:delete', { phone: '+972502000100' }));
    const page = await ok(c.call('contacts:query', { offset: 340, limit: 20 }));
    expect(page.total).toBe(449);
    const all = Array.from({ length: 450 }, (_v, i) => `Person ${449 - i}`).filter((n) => n !== 'Person 100');
    expect(page.rows.map((r) => r.name)).toEqual(all.slice(340, 360));
    // Search before and after the word index catches up gives the same answers.
    const forms = ['050-200-0123', '+972 50 200 0123', '0123', 'Person 123'];
    const before = await Promise.all(forms.map(async (q) => (await ok(c.call('contacts:query', { search: q }))).rows.map((r) => r.name)));
    c.services.contacts.indexer.catchUpNow();
    const after = await Promise.all(forms.map(async (q) => (await ok(c.call('contacts:query', { search: q }))).rows.map((r) => r.name)));
    expect(after).toEqual(before);
    expect(after[0]).toEqual(['Person 123']);
    expect(after[1]).toEqual(['Person 123']);
    expect(after[2]).toEqual(['Person 123']);
    expect(after[3]).toEqual(['Person 123']);
  });
});
