/**
 * "Already in Pacer" says which rows (row number and number), and an import's rejected rows stay
 * with its history after the job is gone — across a restart of the core on the same data dir.
 * Real files, real SQLite, through the contract.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/index';
import { tempDataDir } from '../../support/harness';
import { importFile, ok, tempFile, testCore } from './helpers';

let cores: Core[] = [];
afterEach(async () => {
  await Promise.all(cores.map((c) => c.close()));
  cores = [];
});

describe('import history and the rows already in Pacer', () => {
  it('lists the rows already stored, keeps the rejected rows after a restart, and pages both', async () => {
    const dataDir = tempDataDir();
    const c = testCore({ dataDir });
    cores.push(c);
    const first = await importFile(c, tempFile('first.csv', 'name,phone\nDana,0502345601\nOri,0502345602\nNoa,0502345603\n'));
    expect(first.report!.errors).toEqual([]);
    expect(first.report).toMatchObject({ imported: 3, existingTotal: 0, existing: [] });

    // File lines (the header is line 1): 2 and 5 are stored already; 3 is not a number; 6 repeats 4.
    const second = 'name,phone\nDana,0502345601\nBad,12\nNew,0502345609\nNoa,0502345603\nNew again,0502345609\n';
    const dry = await importFile(c, tempFile('second.csv', second), { dryRun: true });
    expect(dry.report).toMatchObject({ skipped: 2, existingTotal: 2, invalid: 1, duplicates: 1 });
    expect(dry.report!.existing).toEqual([
      { row: 2, phone: '+972502345601' },
      { row: 5, phone: '+972502345603' },
    ]);
    const job = await importFile(c, tempFile('second.csv', second));
    expect(job.report!.existing.map((e) => e.row)).toEqual([2, 5]);
    const page = await ok(c.call('import:report', { jobId: job.jobId, offset: 1, limit: 1 }));
    expect(page.existing).toEqual([{ row: 5, phone: '+972502345603' }]);

    const history = await ok(c.call('import:history', {}));
    expect(history.map((h) => [h.fileName, h.errorsTotal, h.counts.imported])).toEqual([
      ['second.csv', 2, 1],
      ['first.csv', 0, 3],
    ]);
    await c.close();
    cores = [];

    // A new process: the job is gone, the history and its rejected rows are not.
    const again = testCore({ dataDir });
    cores.push(again);
    const [latest] = await ok(again.call('import:history', {}));
    const rejected = await ok(again.call('import:rejected', { importId: latest!.id }));
    expect(rejected.total).toBe(2);
    expect(rejected.rows.map((r) => [r.row, r.code])).toEqual([
      [3, 'invalid_phone'],
      [6, 'duplicate_in_file'],
    ]);
    const tail = await ok(again.call('import:rejected', { importId: latest!.id, offset: 1, limit: 10 }));
    expect(tail.rows.map((r) => r.row)).toEqual([6]);
    const missing = await again.call('import:rejected', { importId: 'nope' });
    expect(missing.ok).toBe(false);

    // The kept reason quotes the repeated number; erasing that person rewrites it there too.
    expect(rejected.rows[1]!.reason).toContain('+972502345609');
    await ok(again.call('contacts:delete', { phone: '+972502345609' }));
    const after = await ok(again.call('import:rejected', { importId: latest!.id }));
    expect(after.rows.map((r) => [r.row, r.code])).toEqual([
      [3, 'invalid_phone'],
      [6, 'duplicate_in_file'],
    ]);
    expect(JSON.stringify(after.rows)).not.toContain('502345609');
  });
});
