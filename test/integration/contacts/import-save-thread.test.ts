/**
 * A big import is saved as it is read, on a thread of its own with a connection of its own
 * (contacts/import/save-thread.ts). What a user sees: the app keeps answering while a file is
 * saved, never shows half an import, a change they make meanwhile is not lost, Cancel still works,
 * and a person erased while the file was read is not brought back by it.
 *
 * Each test also runs with PACER_IMPORT_SAVE_THREAD=off where that fallback must behave the same
 * (and the first test shows it does not answer meanwhile: the reason for the thread).
 */
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/index';
import { systemClock } from '../../../electron/core/clock';
import type { ImportProgress } from '../../../shared/contract/contacts';
import { closedAfterEach, importFile, ok, tempFile } from './helpers';

afterEach(() => {
  delete process.env.PACER_IMPORT_SAVE_THREAD;
});
const newCore = closedAfterEach();
const core = () => newCore({ clock: systemClock });
const count = (c: Core, table: string) => c.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

const ROWS = 60_000;
/** Allocated Israeli mobile ranges (050-2…, 052-9…): libphonenumber rejects unallocated ones. */
function bigFile(rows = ROWS, extra: string[] = []): string {
  const lines = ['name,phone,consent', ...extra];
  for (let i = 0; i < rows; i++) lines.push(`P${i},+97250${String(3_000_000 + i).padStart(7, '0')},yes`);
  return tempFile('big.csv', lines.join('\n'));
}
const MAPPING = [
  { column: 'name', field: 'name' as const },
  { column: 'phone', field: 'phone' as const },
  { column: 'consent', field: 'consent' as const },
];

/** Starts an import and resolves once its save is under way (rows saved while the file is still read). */
async function startAndWaitForMerge(c: Core, file: string) {
  const staged = c.ctx.files.stagePath(file);
  const { jobId } = await ok(
    c.call('import:start', { fileId: staged.fileId, defaultCountry: 'IL', mapping: MAPPING, consent: 'marketing' }),
  );
  let latest: ImportProgress | null = null;
  const merging = new Promise<void>((resolve) => {
    c.on('import:progress', (p) => {
      latest = p;
      if (p.phase === 'reading' && p.counts.imported + p.counts.updated + p.counts.skipped > 0) resolve();
    });
  });
  return { jobId, merging, latest: () => latest as ImportProgress | null };
}

describe('an import saved on a thread of its own', () => {
  it('the app answers while a big file is saved, and shows the store as it was until the commit', async () => {
    const c = core();
    await ok(c.call('contacts:add', { phone: '+972529876543', first_name: 'Yossi', last_name: 'Cohen' }));
    const { jobId, merging, latest } = await startAndWaitForMerge(c, bigFile());
    await merging;
    // Calls made from here run while the threads read and save (not inside a statement, as a
    // synchronous listener would): each one is a turn of the core's event loop.
    const seen: { saved: number; contacts: number; listed: number }[] = [];
    for (;;) {
      const p = latest();
      if (!p || p.phase !== 'reading') break;
      const listed = await ok(c.call('contacts:query', { limit: 5 }));
      seen.push({ saved: p.counts.imported, contacts: count(c, 'contacts'), listed: listed.total });
      await new Promise((r) => setTimeout(r, 20));
    }
    const job = await c.services.imports.wait(jobId);
    expect(job.state).toBe('done');
    // Several answers while rows were being saved, each showing the store whole: the one contact of
    // before, or (the thread runs ahead of the progress it reports) everyone after the commit.
    // Never half an import.
    expect(seen.filter((s) => s.contacts === 1 && s.listed === 1).length).toBeGreaterThanOrEqual(2);
    for (const s of seen) expect([1, ROWS + 1]).toContain(s.contacts);
    for (const s of seen) expect(s.listed).toBe(s.contacts <= 1 ? 1 : s.listed);
    expect(count(c, 'contacts')).toBe(ROWS + 1);
    expect((await ok(c.call('contacts:query', { search: 'P59999' }))).total).toBe(1);
  });

  it('a big file into a fresh store is searchable at the commit; the word index loaded with automerge off has it back on', async () => {
    const c = core();
    const job = await importFile(c, bigFile(), { mapping: MAPPING, consent: 'marketing' });
    expect(job.report).toMatchObject({ imported: ROWS });
    expect(c.db.prepare("SELECT value FROM app_meta WHERE key = 'contacts.fts_upto'").pluck().get()).toBe(String(ROWS));
    expect((await ok(c.call('contacts:query', { search: 'P59999' }))).total).toBe(1);
    expect((await ok(c.call('contacts:query', { search: '0503059999' }))).total).toBe(1);
    expect(c.db.prepare("SELECT v FROM contacts_fts_config WHERE k = 'automerge'").pluck().get()).toBe(4);
  });

  it('an opt-out the user records while the file is saved waits for the save and wins over the file’s yes', async () => {
    const c = core();
    // Dana is in the file (consent yes) and already in Pacer with no consent yet.
    const dana = '+972502345678';
    await ok(c.call('contacts:add', { phone: dana, first_name: 'Dana', last_name: 'Levi' }));
    const { jobId, merging } = await startAndWaitForMerge(c, bigFile(ROWS, ['Dana Levi,050-234-5678,yes']));
    await merging;
    const answer = await c.call('contacts:opt-out', { contact: { phone: dana }, category: 'marketing', reason: 'asked on the phone' });
    // Not "database is locked": the core's write waited for the import's commit.
    expect(answer.ok).toBe(true);
    const job = await c.services.imports.wait(jobId);
    expect(job.state).toBe('done');
    const detail = await ok(c.call('contacts:get', { phone: dana }));
    expect(detail.contact.consent.marketing).toBe('opted_out');
  });

  it('Cancel while rows are being saved rolls the whole import back', async () => {
    const c = core();
    const { jobId, merging } = await startAndWaitForMerge(c, bigFile());
    await merging;
    await ok(c.call('import:cancel', { jobId }));
    const job = await c.services.imports.wait(jobId);
    expect(job.state).toBe('cancelled');
    expect(job.error?.message).toMatch(/nothing was changed/);
    expect(['contacts', 'consent_events', 'consent_state', 'imports', 'contacts_fts'].map((t) => count(c, t))).toEqual([0, 0, 0, 0, 0]);
    // The word index's settings went back with the rest.
    expect(c.db.prepare("SELECT v FROM contacts_fts_config WHERE k = 'automerge'").pluck().get()).toBeUndefined();
  });

  it('logs how much CPU its two threads used, and nothing of the file', async () => {
    const lines: { msg: string; fields?: Record<string, unknown> }[] = [];
    const record = (msg: string, fields?: Record<string, unknown>) => lines.push({ msg, fields });
    const c = newCore({ clock: systemClock, log: { debug: record, info: record, warn: record, error: record } });
    const job = await importFile(c, bigFile(5000), { mapping: MAPPING, consent: 'marketing' });
    expect(job.report).toMatchObject({ imported: 5000 });
    const saved = lines.filter((l) => l.msg === 'import saved');
    expect(saved).toEqual([
      {
        msg: 'import saved',
        fields: expect.objectContaining({
          jobId: job.jobId,
          rows: 5000,
          readingCpuMs: expect.any(Number),
          savingCpuMs: expect.any(Number),
        }),
      },
    ]);
    // A number of the file (or its name) never reaches the log.
    expect(JSON.stringify(lines)).not.toMatch(/97250300|big\.csv/);
  });

  it('a file found unreadable near its end leaves nothing, though its earlier rows were already saved', async () => {
    const c = core();
    const saved: number[] = [];
    c.on('import:progress', (p) => saved.push(p.counts.imported));
    // The last line opens a quote it never closes: the reader finds it after every other row was saved.
    const broken = tempFile('broken.csv', `${fs.readFileSync(bigFile(), 'utf8')}\nBroken,"+972502999999,yes`);
    const job = await importFile(c, broken, { mapping: MAPPING, consent: 'marketing' });
    expect(job.state).toBe('failed');
    expect(job.error?.code).toBe('bad_input');
    expect(Math.max(...saved)).toBeGreaterThan(0);
    expect(['contacts', 'consent_events', 'consent_state', 'imports', 'contacts_fts', 'tags'].map((t) => count(c, t))).toEqual([
      0, 0, 0, 0, 0, 0,
    ]);
    // The store takes the next import (no lock or batch table left behind).
    const next = await importFile(c, bigFile(3000), { mapping: MAPPING, consent: 'marketing' });
    expect(next.report).toMatchObject({ imported: 3000 });
  });

  for (const thread of ['on', 'off'] as const) {
    it(`a person erased while the file is read is not imported again (save thread ${thread})`, async () => {
      if (thread === 'off') process.env.PACER_IMPORT_SAVE_THREAD = 'off';
      const c = core();
      const dana = '+972502345678';
      await ok(c.call('contacts:add', { phone: dana, first_name: 'Dana', last_name: 'Levi' }));
      // Dana is the file's last row: she is read after the erasure below.
      const file = bigFile(ROWS);
      const withDana = tempFile('big-dana.csv', `${fs.readFileSync(file, 'utf8')}\nDana Levi,050-234-5678,yes`);
      const staged = c.ctx.files.stagePath(withDana);
      const { jobId } = await ok(
        c.call('import:start', { fileId: staged.fileId, defaultCountry: 'IL', mapping: MAPPING, consent: 'marketing' }),
      );
      await new Promise<void>((resolve) => {
        const off = c.on('import:progress', (p) => {
          if (p.phase === 'reading' && p.rowsRead > 0) {
            off();
            resolve();
          }
        });
      });
      expect((await ok(c.call('contacts:delete', { phone: dana }))).deleted).toBe(true);
      const job = await c.services.imports.wait(jobId);
      if (thread === 'on') {
        // The save holds the store's write lock from its first batch: the erasure waited for the
        // commit and then erased her (she was already a contact; the import skipped her row).
        expect(job.state).toBe('done');
        expect(job.report).toMatchObject({ imported: ROWS, skipped: 1 });
        expect(count(c, 'contacts')).toBe(ROWS);
      } else {
        // Read first, then saved: the rows were read against the erasures of the import's start;
        // the save, holding the write lock, found the one made since and stopped with nothing saved.
        expect(job.state).toBe('failed');
        expect(job.error).toMatchObject({ code: 'conflict', message: expect.stringMatching(/erased while it was being imported/) });
        expect(count(c, 'contacts')).toBe(0);
      }
      expect(c.db.prepare('SELECT count(*) FROM contacts WHERE phone = ?').pluck().get(dana)).toBe(0);
      // Imported again, her row is refused with its reason and everyone else is in.
      const again = await importFile(c, withDana, { mapping: MAPPING, consent: 'marketing' });
      expect(again.report?.errors).toEqual([expect.objectContaining({ code: 'erased' })]);
      expect(c.db.prepare('SELECT count(*) FROM contacts WHERE phone = ?').pluck().get(dana)).toBe(0);
    });
  }
});
