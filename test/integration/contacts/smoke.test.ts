import { describe, expect, it } from 'vitest';
import { closedAfterEach, contactsOf, importFile, ok, preview, tempFile } from './helpers';

const core = closedAfterEach();

describe('import wizard calls', () => {
  it('imports a simple CSV and searches it', async () => {
    const c = core();
    const f = tempFile(
      'a.csv',
      'Name,Phone,Email,Tags\nDana Levi,050-234-5678,dana@example.com,vip;friends\nBad,123,,\nDup,+972502345678,,\n',
    );
    const job = await importFile(c, f);
    expect(job.error).toBeNull();
    expect(job.report).toMatchObject({ rows: 3, imported: 1, invalid: 1, duplicates: 1 });
    expect(contactsOf(c)).toEqual([
      { phone: '+972502345678', name: 'Dana Levi', first_name: null, last_name: null, email: 'dana@example.com', country: 'IL' },
    ]);
    const q = await ok(c.call('contacts:query', { search: 'dana' }));
    expect(q.total).toBe(1);
    expect(q.rows[0]!.tags).toEqual(['friends', 'vip']);
  });

  it('finds in-file duplicates wherever they are (same write batch or an earlier one)', async () => {
    const c = core();
    const phone = (i: number) => `+97250${String(2_000_000 + i).padStart(7, '0')}`;
    const lines = ['name,phone'];
    for (let i = 0; i < 250; i++)
      lines.push(`P${i},${i === 150 ? phone(20) : i === 230 ? phone(229) : i === 231 ? phone(231 - 200) : phone(i)}`);
    const job = await importFile(c, tempFile('dups.csv', lines.join('\n')));
    expect(job.report).toMatchObject({ rows: 250, imported: 247, duplicates: 3 });
    // Spreadsheet rows: header is row 1, so P<i> is row i + 2.
    expect(job.report!.errors.map((e) => e.reason)).toEqual([
      `duplicate of row 22 (${phone(20)})`,
      `duplicate of row 231 (${phone(229)})`,
      `duplicate of row 33 (${phone(31)})`,
    ]);
  });

  it('saves a mapping with an import and offers it for a file with the same columns', async () => {
    const c = core();
    const mapping = [
      { column: 'Nummer', field: 'phone' as const },
      { column: 'Who', field: 'name' as const },
    ];
    const first = tempFile('a.csv', 'Who,Nummer\nDana,050-234-5678\n');
    const p1 = await preview(c, first);
    // No header names the phone column: the data does ("Nummer" holds valid numbers), and the preview says so.
    expect(p1.warnings).not.toContain('no_phone_column');
    expect(p1.guesses?.phoneFromData).toEqual({ column: 'Nummer', valid: 1, of: 1 });
    expect(p1.mapping[0]).toEqual({ column: 'Nummer', field: 'phone' });
    expect((await preview(c, tempFile('n.csv', 'Who,Note\nDana,hello\n'))).warnings).toContain('no_phone_column');
    await importFile(c, first, { mapping, saveMappingAs: 'Store export' });
    const p2 = await preview(c, tempFile('b.csv', 'Who,Nummer,Extra\nYossi,052-987-6543,x\n'));
    expect(p2.savedMappings).toEqual([expect.objectContaining({ name: 'Store export', mapping, matches: true })]);
    const p3 = await preview(c, tempFile('c.csv', 'Name,Phone\nA,050-765-4321\n'));
    expect(p3.savedMappings[0]!.matches).toBe(false);
    const saved = await ok(c.call('import:mappings', {}));
    await ok(c.call('import:mapping-delete', { id: saved[0]!.id }));
    expect(await ok(c.call('import:mappings', {}))).toEqual([]);
  });

  it('pages the rejected rows of a report and refuses a second import while one runs', async () => {
    const c = core();
    const lines = ['name,phone'];
    for (let i = 0; i < 250; i++) lines.push(`Bad ${i},12${i}`);
    const file = tempFile('bad-rows.csv', lines.join('\n'));
    const staged = c.ctx.files.stagePath(file);
    const { jobId } = await ok(c.call('import:start', { fileId: staged.fileId, mapping: [{ column: 'phone', field: 'phone' }] }));
    expect(await c.call('import:start', { fileId: staged.fileId, mapping: [{ column: 'phone', field: 'phone' }] })).toMatchObject({
      ok: false,
      code: 'conflict',
    });
    const finished = await new Promise<{ state: string }>((resolve) => c.on('import:finished', resolve));
    expect(finished.state).toBe('done');
    const page = await ok(c.call('import:report', { jobId, offset: 200, limit: 100 }));
    expect(page).toMatchObject({ rows: 250, invalid: 250, errorsTotal: 250 });
    expect(page.errors.map((e) => e.row)).toEqual(Array.from({ length: 50 }, (_v, i) => 202 + i));
    expect((await ok(c.call('import:status', { jobId }))).report!.errors).toHaveLength(100);
  });
});
