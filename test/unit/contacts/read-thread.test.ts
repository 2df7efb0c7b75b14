import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PacerError } from '../../../electron/core/errors';
import { openStagedReader, type ReadOptions } from '../../../electron/core/contacts/import/read-thread';
import type { StagedBatch } from '../../../electron/core/contacts/import/stage-rows';

/**
 * An import's rows are read and validated on a thread of their own (read-worker.ts), or, where
 * that thread's code is missing, on the core's thread: both must stage exactly the same values,
 * reject the same rows and fail the same way.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pacer-read-thread-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
}

async function readAll(o: ReadOptions) {
  const r = await openStagedReader(o);
  const batches: StagedBatch[] = [];
  try {
    for await (const b of r.batches()) batches.push(b);
  } finally {
    r.close();
  }
  return { headers: r.headers, format: r.format, consentColumn: r.consentColumn, attrTypes: [...r.attrTypes()], batches };
}

const base = (filePath: string): ReadOptions => ({
  filePath,
  encoding: undefined,
  sheet: undefined,
  mapping: [
    { column: 'phone', field: 'phone' },
    { column: 'name', field: 'name' },
    { column: 'tags', field: 'tags' },
    { column: 'consent', field: 'consent' },
    { column: 'city', field: 'attr.city' },
  ],
  defaultCountry: 'IL',
  existingDefs: new Map(),
  erasures: null,
  searchWords: true,
});

describe("an import's reading thread", () => {
  it('stages the same rows, rejections, tags and search words as the core thread would, across batches', async () => {
    const lines = ['phone,name,tags,consent,city'];
    for (let i = 0; i < 4500; i++) {
      const phone = i % 97 === 0 ? '12' : i % 101 === 0 ? '050-234-0001' : `050-${String(2_000_000 + i).padStart(7, '0')}`;
      lines.push(`${phone},דוד ${i},"vip;t${i % 7}",${i % 3 === 0 ? 'yes' : i % 3 === 1 ? 'לא' : 'maybe'},תל אביב`);
    }
    const f = file('rows.csv', lines.join('\n'));
    const onThread = await readAll(base(f));
    const here = await readAll({ ...base(f), onThread: false });
    expect(onThread).toEqual(here);
    expect(onThread.consentColumn).toBe('consent');
    const rows = onThread.batches.reduce((n, b) => n + b.rows, 0);
    const staged = onThread.batches.reduce((n, b) => n + b.staged, 0);
    expect(rows).toBe(4500);
    expect(onThread.batches.length).toBeGreaterThan(2);
    expect(staged).toBeLessThan(rows);
    const codes = new Set(onThread.batches.flatMap((b) => b.errors.map((e) => e.code)));
    expect(codes).toEqual(new Set(['invalid_phone', 'duplicate_in_file', 'consent_unrecognised']));
  });

  it('fails with the same coded error on both (a mapped column the file does not have)', async () => {
    const f = file('cols.csv', 'phone,name\n050-234-5678,A\n');
    const fail = async (o: ReadOptions) => {
      try {
        await readAll(o);
      } catch (e) {
        return e;
      }
      return null;
    };
    const a = await fail(base(f));
    const b = await fail({ ...base(f), onThread: false });
    expect(a).toBeInstanceOf(PacerError);
    expect((a as PacerError).code).toBe('bad_input');
    expect((a as PacerError).message).toBe((b as PacerError).message);
    expect((a as PacerError).message).toMatch(/no column "tags"/);
  });

  it('stops the thread when the writer stops reading (cancel): no batch arrives after close', async () => {
    const lines = ['phone,name,tags,consent,city'];
    for (let i = 0; i < 60_000; i++) lines.push(`050-${String(3_000_000 + i).padStart(7, '0')},P${i},,,`);
    const r = await openStagedReader(base(file('big.csv', lines.join('\n'))));
    let seen = 0;
    for await (const b of r.batches()) {
      seen += b.rows;
      if (seen >= 4000) break;
    }
    r.close();
    expect(seen).toBeLessThan(60_000);
  });
});
