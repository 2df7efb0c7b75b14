/**
 * xlsx imports stop before memory runs out (issue #14 item 5): the central directory's declared
 * sizes, then the real inflated bytes and cells of each worksheet, streamed. Crafted zips stand in
 * for a zip bomb (a few hundred KB that unpack to hundreds of MB) and for a directory that lies.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkXlsxLimits, XLSX_LIMITS } from '../../../electron/core/contacts/import/xlsx-limits';
import { openTable } from '../../../electron/core/contacts/import/source';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'pacer-xlsx-limits-'));

async function workbook(rows: (string | number)[][]): Promise<string> {
  const file = path.join(tmp(), 'w.xlsx');
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('S');
  for (const r of rows) ws.addRow(r);
  await wb.xlsx.writeFile(file);
  return file;
}

/** A minimal zip: each entry deflated (streamed, so the test never holds the unpacked bytes). */
async function zip(file: string, entries: { name: string; chunks: () => Iterable<Buffer>; declared?: number }[]): Promise<void> {
  const datas = [];
  for (const e of entries) datas.push(await deflateStream(e.chunks()));
  const fd = fs.openSync(file, 'w');
  let pos = 0;
  const write = (b: Buffer) => {
    fs.writeSync(fd, b);
    pos += b.length;
  };
  const central: Buffer[] = [];
  for (const [i, e] of entries.entries()) {
    const data = datas[i]!;
    const name = Buffer.from(e.name);
    const size = e.declared ?? data.real;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(data.buf.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const offset = pos;
    write(local);
    write(name);
    write(data.buf);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(8, 10);
    cd.writeUInt32LE(data.buf.length, 20);
    cd.writeUInt32LE(size, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    central.push(cd, name);
  }
  const cdStart = pos;
  for (const c of central) write(c);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(pos - cdStart, 12);
  eocd.writeUInt32LE(cdStart, 16);
  write(eocd);
  fs.closeSync(fd);
}

async function deflateStream(chunks: Iterable<Buffer>): Promise<{ buf: Buffer; real: number }> {
  const out = path.join(tmp(), 'part.bin');
  let real = 0;
  const counted = (function* () {
    for (const c of chunks) {
      real += c.length;
      yield c;
    }
  })();
  await pipeline(Readable.from(counted), zlib.createDeflateRaw({ level: 9 }), fs.createWriteStream(out));
  return { buf: fs.readFileSync(out), real };
}

const MB = 1024 * 1024;
function* cellsXml(n: number): Iterable<Buffer> {
  yield Buffer.from('<worksheet><sheetData><row r="1">');
  const block = Buffer.from('<c r="A1" t="inlineStr"><is><t>x</t></is></c>'.repeat(10_000));
  for (let i = 0; i < n / 10_000; i++) yield block;
  yield Buffer.from('</row></sheetData></worksheet>');
}
function* zeros(bytes: number): Iterable<Buffer> {
  const block = Buffer.alloc(MB, 0x20);
  for (let i = 0; i < bytes / MB; i++) yield block;
}

describe('xlsx limits', () => {
  it('property: counts exactly the cells exceljs wrote (seeded)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), fc.integer()), { minLength: 1, maxLength: 6 }), {
          minLength: 1,
          maxLength: 40,
        }),
        async (rows) => {
          const file = await workbook(rows);
          const expected = rows.reduce((s, r) => s + r.length, 0);
          expect((await checkXlsxLimits(file)).cells).toBe(expected);
          await expect(checkXlsxLimits(file, { ...XLSX_LIMITS, maxCells: expected - 1 })).rejects.toMatchObject({
            code: 'bad_input',
            details: { reason: 'xlsx_too_large', what: 'cells' },
          });
        },
      ),
      { seed: 1414, numRuns: 15 },
    );
  }, 60_000);

  it('a zip bomb (300 MB of one sheet in a few hundred KB) is refused from its declared size, before inflating', async () => {
    const file = path.join(tmp(), 'bomb.xlsx');
    await zip(file, [{ name: 'xl/worksheets/sheet1.xml', chunks: () => zeros(300 * MB) }]);
    expect(fs.statSync(file).size).toBeLessThan(2 * MB);
    await expect(checkXlsxLimits(file)).rejects.toMatchObject({ details: { reason: 'xlsx_too_large', what: 'bytes' } });
  });

  it('a directory that lies about the size is caught by counting the real bytes, in constant memory', async () => {
    const file = path.join(tmp(), 'liar.xlsx');
    await zip(file, [{ name: 'xl/worksheets/sheet1.xml', chunks: () => zeros(260 * MB), declared: 1000 }]);
    const before = process.memoryUsage().rss;
    await expect(checkXlsxLimits(file)).rejects.toMatchObject({ details: { reason: 'xlsx_too_large', what: 'bytes' } });
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * MB);
  });

  it('too many cells (small file, 1.2 M cells) is refused by openTable with the translated reason, before exceljs', async () => {
    const file = path.join(tmp(), 'cells.xlsx');
    await zip(file, [{ name: 'xl/worksheets/sheet1.xml', chunks: () => cellsXml(1_200_000) }]);
    const t = Date.now();
    await expect(openTable(file)).rejects.toMatchObject({
      code: 'bad_input',
      details: { reason: 'xlsx_too_large', what: 'cells', limit: 1_000_000 },
    });
    expect(Date.now() - t).toBeLessThan(10_000);
  });
});
