/**
 * Limits checked BEFORE an .xlsx is handed to exceljs (issue #14, item 5). exceljs reads a whole
 * workbook into memory (about 650 MB peak RSS for 1,000,000 cells, measured: docs/security.md),
 * in the process that also sends campaigns, and a small zip can unpack to gigabytes. So:
 *
 * 1. The zip's central directory (read from the end of the file, a few KB): more than
 *    MAX_ENTRIES entries, a declared uncompressed total above MAX_UNCOMPRESSED_BYTES, or a ZIP64
 *    archive (sizes beyond 4 GB) → refused.
 * 2. Each worksheet's XML is inflated as a stream (constant memory) and its `<row` / `<c` tags are
 *    counted; the real inflated bytes are counted too, because a directory can lie about sizes.
 *    Past MAX_CELLS cells or MAX_UNCOMPRESSED_BYTES bytes the stream is destroyed and the file
 *    refused.
 *
 * Refusals are `bad_input` with `details.reason = 'xlsx_too_large'` and params the UI translates.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import { PacerError } from '../../errors';

export const XLSX_LIMITS = {
  /** Cells in all worksheets together: ~650 MB peak RSS in exceljs at this size. */
  maxCells: 1_000_000,
  maxUncompressedBytes: 200 * 1024 * 1024,
  maxEntries: 10_000,
};
export type XlsxLimits = typeof XLSX_LIMITS;

interface Entry {
  name: string;
  method: number;
  compressed: number;
  uncompressed: number;
  localOffset: number;
}

export function tooLarge(what: 'cells' | 'bytes' | 'entries', limit: number): PacerError {
  const text =
    what === 'cells'
      ? `more than ${limit.toLocaleString('en-US')} cells`
      : what === 'bytes'
        ? `more than ${Math.round(limit / 1024 / 1024)} MB once unpacked`
        : `more than ${limit} parts`;
  return new PacerError(
    'bad_input',
    `This Excel file is too large to read safely (${text}). Save it as CSV (UTF-8) in Excel and import the CSV.`,
    {
      reason: 'xlsx_too_large',
      what,
      limit,
    },
  );
}

function readAt(fd: number, pos: number, len: number): Buffer {
  const b = Buffer.alloc(len);
  const n = fs.readSync(fd, b, 0, len, pos);
  return b.subarray(0, n);
}

/** The central directory's entries (throws when the archive is too large or not a zip). */
export function centralDirectory(file: string, limits: XlsxLimits = XLSX_LIMITS): Entry[] {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const tailLen = Math.min(size, 22 + 65_535);
    const tail = readAt(fd, size - tailLen, tailLen);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--)
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    if (eocd < 0)
      throw new PacerError('bad_input', 'This file is a ZIP archive but not a readable Excel (.xlsx) workbook.', {
        reason: 'xlsx_unreadable',
      });
    const count = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) throw tooLarge('bytes', limits.maxUncompressedBytes); // ZIP64
    if (count > limits.maxEntries) throw tooLarge('entries', limits.maxEntries);
    const cd = readAt(fd, cdOffset, cdSize);
    const entries: Entry[] = [];
    let total = 0;
    for (let p = 0; p + 46 <= cd.length && entries.length < count;) {
      if (cd.readUInt32LE(p) !== 0x02014b50) break;
      const nameLen = cd.readUInt16LE(p + 28);
      const e: Entry = {
        method: cd.readUInt16LE(p + 10),
        compressed: cd.readUInt32LE(p + 20),
        uncompressed: cd.readUInt32LE(p + 24),
        name: cd.subarray(p + 46, p + 46 + nameLen).toString('utf8'),
        localOffset: cd.readUInt32LE(p + 42),
      };
      if (e.compressed === 0xffffffff || e.uncompressed === 0xffffffff) throw tooLarge('bytes', limits.maxUncompressedBytes);
      total += e.uncompressed;
      if (total > limits.maxUncompressedBytes) throw tooLarge('bytes', limits.maxUncompressedBytes);
      entries.push(e);
      p += 46 + nameLen + cd.readUInt16LE(p + 30) + cd.readUInt16LE(p + 32);
    }
    return entries;
  } finally {
    fs.closeSync(fd);
  }
}

/** Counts `<row` and `<c` tags of one worksheet as it inflates; stops past the limits. */
async function countSheet(file: string, e: Entry, budget: { cells: number; bytes: number }, limits: XlsxLimits): Promise<void> {
  const fd = fs.openSync(file, 'r');
  let start: number;
  try {
    const local = readAt(fd, e.localOffset, 30);
    if (local.length < 30 || local.readUInt32LE(0) !== 0x04034b50)
      throw new PacerError('bad_input', 'This file is a ZIP archive but not a readable Excel (.xlsx) workbook.', {
        reason: 'xlsx_unreadable',
      });
    start = e.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  } finally {
    fs.closeSync(fd);
  }
  if (e.compressed === 0) return;
  const raw = fs.createReadStream(file, { start, end: start + e.compressed - 1 });
  const stream = e.method === 8 ? raw.pipe(zlib.createInflateRaw()) : raw;
  let carry = '';
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      budget.bytes += chunk.length;
      if (budget.bytes > limits.maxUncompressedBytes) throw tooLarge('bytes', limits.maxUncompressedBytes);
      // latin1 keeps one char per byte: tags are ASCII, so counting is exact and cheap.
      const text = carry + chunk.toString('latin1');
      budget.cells += text.match(/<c[\s>/]/g)?.length ?? 0;
      if (budget.cells > limits.maxCells) throw tooLarge('cells', limits.maxCells);
      // A tag cut at the chunk end is completed by the next chunk: keep the last 2 chars only
      // when they could start one ("<" or "<c"), so no tag is counted twice.
      const tail = text.slice(-2);
      carry = tail.endsWith('<') ? '<' : tail === '<c' ? '<c' : '';
    }
  } catch (err) {
    raw.destroy();
    (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
    if (err instanceof PacerError) throw err;
    throw new PacerError('bad_input', 'This file is a ZIP archive but not a readable Excel (.xlsx) workbook.', {
      reason: 'xlsx_unreadable',
    });
  }
}

/** Throws `xlsx_too_large` (bad_input) when the workbook would not be safe to read whole. */
export async function checkXlsxLimits(file: string, limits: XlsxLimits = XLSX_LIMITS): Promise<{ cells: number; bytes: number }> {
  const entries = centralDirectory(file, limits);
  const budget = { cells: 0, bytes: 0 };
  for (const e of entries) {
    if (/^xl\/worksheets\/[^/]+\.xml$/i.test(e.name)) await countSheet(file, e, budget, limits);
  }
  return budget;
}
