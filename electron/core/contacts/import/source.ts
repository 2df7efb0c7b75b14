/**
 * Opens a contact file as a table: format detected by content (not by extension), encoding detected
 * or given, header row, then data rows in batches. Delimited text is parsed with papaparse's core
 * parser fed chunk by chunk (a row cut at a chunk end is carried over), xlsx with exceljs, vCard
 * with our reader.
 *
 * Row numbers are what the user sees in a spreadsheet: the header is row 1, the first data row is
 * row 2 (xlsx: the worksheet's own row numbers; vCard: the card's number).
 */
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { checkXlsxLimits } from './xlsx-limits';
import Papa from 'papaparse';
import type { ImportEncoding, ImportFormat } from '../../../../shared/contract/contacts';
import { badInput } from '../../errors';
import { bomOf, createDecoder, detectEncoding, looksBinary, REPLACEMENT } from './encoding';
import { VCARD_HEADERS, VcardReader } from './vcard';

export interface TableRow {
  row: number;
  cells: string[];
}

export interface TableSource {
  format: ImportFormat;
  encoding: ImportEncoding;
  encodingDetected: boolean;
  encodingConfident: boolean;
  delimiter: string | null;
  sheets: string[];
  sheet: string | null;
  headers: string[];
  bytesTotal: number;
  bytesRead(): number;
  /** Data rows in batches; throws PacerError('bad_input') on malformed content. */
  batches(): AsyncGenerator<TableRow[]>;
  close(): void;
}

export interface OpenOptions {
  encoding?: ImportEncoding | undefined;
  sheet?: string | undefined;
}

const SAMPLE_BYTES = 64 * 1024;
const CHUNK_BYTES = 256 * 1024; // smaller batches die young (scavenged) instead of filling the old generation: −60 MB peak RSS at 1M rows
/** A single row (or vCard line) longer than this is not a contact: usually an unbalanced quote. */
export const MAX_ROW_CHARS = 1024 * 1024;
const MAX_XLSX_BYTES = 40 * 1024 * 1024;
const DELIMITERS = [',', '\t', ';', '|'] as const;

function readSample(path: string, size: number): Buffer {
  const fd = fs.openSync(path, 'r');
  try {
    const buf = Buffer.alloc(Math.min(size, SAMPLE_BYTES));
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/** Picks the delimiter that splits the first lines into the same number (>1) of fields most often. */
export function sniffDelimiter(text: string): string {
  const lines: string[] = [];
  let cur = '';
  let inQuote = false;
  for (let i = 0; i < text.length && lines.length < 30; i++) {
    const ch = text[i];
    if (ch === '"') inQuote = !inQuote;
    if ((ch === '\n' || ch === '\r') && !inQuote) {
      if (cur.trim()) lines.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() && lines.length < 30) lines.push(cur);
  let best: string = ',';
  let bestScore = -1;
  for (const d of DELIMITERS) {
    const counts = lines.map((l) => {
      let n = 0;
      let q = false;
      for (const ch of l) {
        if (ch === '"') q = !q;
        else if (ch === d && !q) n++;
      }
      return n;
    });
    const first = counts[0] ?? 0;
    if (first === 0) continue;
    const consistent = counts.filter((c) => c === first).length;
    // Consistency first, then the number of fields; ties keep the earlier (more common) delimiter.
    const score = consistent * 1000 + first;
    if (score > bestScore) {
      bestScore = score;
      best = d;
    }
  }
  return best;
}

function uniqueHeaders(raw: string[]): string[] {
  const seen = new Map<string, number>();
  return raw.map((h, i) => {
    let name = h.replace(/^\ufeff/, '').trim() || `Column ${i + 1}`;
    const n = seen.get(name.toLowerCase()) ?? 0;
    seen.set(name.toLowerCase(), n + 1);
    if (n > 0) name = `${name} (${n + 1})`;
    return name;
  });
}

const isBlank = (cells: string[]) => cells.every((c) => !c || !c.trim());

/** Opens the file, detects what it is and reads its header. */
export async function openTable(path: string, opts: OpenOptions = {}): Promise<TableSource> {
  const stat = fs.statSync(path);
  const size = stat.size;
  if (size === 0) throw badInput('The file is empty.', { reason: 'file_empty' });
  const sample = readSample(path, size);
  if (sample[0] === 0x50 && sample[1] === 0x4b && sample[2] === 0x03 && sample[3] === 0x04) return openXlsx(path, size, opts);
  if (sample[0] === 0xd0 && sample[1] === 0xcf && sample[2] === 0x11 && sample[3] === 0xe0) {
    throw badInput('This is an old Excel 97–2003 (.xls) file. Save it as .xlsx or CSV and import that.', { reason: 'file_xls' });
  }
  let encoding: ImportEncoding;
  let confident = true;
  const bom = bomOf(sample);
  if (opts.encoding) {
    encoding = opts.encoding;
  } else {
    const detected = detectEncoding(sample, sample.length === size);
    if (!detected)
      throw badInput(
        'This does not look like a contacts file: it contains binary data. Import a CSV, TSV, Excel (.xlsx) or vCard (.vcf) file.',
        { reason: 'file_binary' },
      );
    encoding = detected.encoding;
    confident = detected.confident;
  }
  const skip = bom && bom.encoding === encoding ? bom.length : 0;
  if (!encoding.startsWith('utf-16') && looksBinary(sample.subarray(skip))) {
    throw badInput(
      'This does not look like a contacts file: it contains binary data. Import a CSV, TSV, Excel (.xlsx) or vCard (.vcf) file.',
      { reason: 'file_binary' },
    );
  }
  const sampleText = createDecoder(encoding)
    .write(sample.subarray(skip))
    .replace(/^\ufeff/, '');
  if (!sampleText.trim()) throw badInput('The file is empty.', { reason: 'file_empty' });
  const isVcard = /^\s*BEGIN:VCARD/i.test(sampleText);
  const base = { encoding, encodingDetected: !opts.encoding, encodingConfident: confident, bytesTotal: size, sheets: [], sheet: null };
  if (isVcard) return openVcard(path, skip, base);
  return openDelimited(path, skip, sniffDelimiter(sampleText), base);
}

type Base = Pick<TableSource, 'encoding' | 'encodingDetected' | 'encodingConfident' | 'bytesTotal' | 'sheets' | 'sheet'>;

/** Reads decoded text chunks from `offset`; checks that the encoding reads the bytes cleanly. */
async function* textChunks(
  path: string,
  offset: number,
  encoding: ImportEncoding,
  counter: { bytes: number },
): AsyncGenerator<{ text: string; last: boolean }> {
  const decoder = createDecoder(encoding);
  const stream = fs.createReadStream(path, { start: offset, highWaterMark: CHUNK_BYTES });
  let first = true;
  let badChars = 0;
  let chars = 0;
  try {
    for await (const chunk of stream) {
      const buf = chunk as Buffer;
      counter.bytes += buf.length;
      let text = decoder.write(buf);
      if (first) {
        text = text.replace(/^\ufeff/, '');
        first = false;
      }
      chars += text.length;
      for (let i = text.indexOf(REPLACEMENT); i >= 0; i = text.indexOf(REPLACEMENT, i + 1)) badChars++;
      if (badChars > 20 && badChars > chars / 1000) {
        throw badInput(`The file cannot be read as ${encoding}: many characters are not valid in that encoding. Pick the right encoding.`, {
          reason: 'file_encoding',
          encoding,
        });
      }
      yield { text, last: false };
    }
    yield { text: decoder.end(), last: true };
  } finally {
    stream.destroy();
  }
}

function openDelimited(path: string, offset: number, delimiter: string, base: Base): Promise<TableSource> {
  const counter = { bytes: offset };
  let headers: string[] = [];
  let format: ImportFormat = delimiter === '\t' ? 'tsv' : 'csv';

  // Rows come from one generator; the header is read first, the rest are handed out in batches.
  async function* rows(): AsyncGenerator<TableRow[]> {
    let partial = '';
    let rowNo = 0;
    const parserConfig = { delimiter, quoteChar: '"', escapeChar: '"', newline: '' as const };
    for await (const { text, last } of textChunks(path, offset, base.encoding, counter)) {
      const input = partial + text;
      const parser = new (Papa as unknown as { Parser: new (c: object) => PapaCoreParser }).Parser(parserConfig);
      const result = parser.parse(input, 0, !last);
      const missing = result.errors.find((e) => e.code === 'MissingQuotes');
      if (missing) {
        const row = rowNo + (missing.row ?? 0) + 1;
        throw badInput(`Unbalanced quote: a quoted field in row ${row} never closes. Check the file's quotes.`, {
          reason: 'file_quote',
          row,
        });
      }
      partial = last ? '' : input.slice(result.meta.cursor);
      if (partial.length > MAX_ROW_CHARS) {
        const row = rowNo + result.data.length + 1;
        throw badInput(`Row ${row} is longer than 1 MB: this is not a contacts list, or a quote is not closed.`, {
          reason: 'file_long_row',
          row,
        });
      }
      const batch: TableRow[] = [];
      for (const cells of result.data) {
        rowNo++;
        if (isBlank(cells)) continue;
        batch.push({ row: rowNo, cells });
      }
      if (batch.length) yield batch;
    }
  }

  const it = rows();
  return (async () => {
    let pending: TableRow[] = [];
    for (;;) {
      const next = await it.next();
      if (next.done) break;
      pending = next.value;
      if (pending.length) break;
    }
    const headerRow = pending.shift();
    if (!headerRow) throw badInput('The file is empty.', { reason: 'file_empty' });
    headers = uniqueHeaders(headerRow.cells);
    format = detectExportFormat(headers) ?? format;
    const source: TableSource = {
      ...base,
      format,
      delimiter,
      headers,
      bytesRead: () => counter.bytes,
      async *batches() {
        const width = headers.length;
        const fit = (r: TableRow) => {
          if (r.cells.length < width) while (r.cells.length < width) r.cells.push('');
          return r;
        };
        if (pending.length) yield pending.map(fit);
        for (;;) {
          const next = await it.next();
          if (next.done) return;
          yield next.value.map(fit);
        }
      },
      close: () => void it.return(undefined),
    };
    return source;
  })();
}

interface PapaCoreParser {
  parse(
    input: string,
    baseIndex: number,
    ignoreLastRow: boolean,
  ): { data: string[][]; errors: { code: string; row?: number }[]; meta: { cursor: number } };
}

/** Google Contacts and Outlook CSV exports, recognised by their headers. */
export function detectExportFormat(headers: string[]): ImportFormat | null {
  const set = new Set(headers.map((h) => h.toLowerCase()));
  if ((set.has('given name') && set.has('group membership')) || set.has('phone 1 - value')) return 'google';
  if (set.has('first name') && set.has('mobile phone') && (set.has('e-mail address') || set.has('business phone'))) return 'outlook';
  return null;
}

function openVcard(path: string, offset: number, base: Base): Promise<TableSource> {
  const counter = { bytes: offset };
  const source: TableSource = {
    ...base,
    format: 'vcard',
    delimiter: null,
    headers: [...VCARD_HEADERS],
    bytesRead: () => counter.bytes,
    async *batches() {
      const reader = new VcardReader(MAX_ROW_CHARS);
      for await (const { text, last } of textChunks(path, offset, base.encoding, counter)) {
        let cards;
        try {
          cards = reader.push(text, last);
        } catch (e) {
          if (e instanceof RangeError)
            throw badInput('A line of the vCard file is longer than 1 MB: the file is damaged.', { reason: 'vcard_long_line' });
          throw e;
        }
        if (cards.length) yield cards.map((c) => ({ row: c.index, cells: c.cells }));
      }
    },
    close: () => undefined,
  };
  return Promise.resolve(source);
}

/** Text of an exceljs cell value: formula results, rich text, hyperlinks, dates, numbers. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) return value.richText.map((r) => r.text).join('');
    if ('formula' in value || 'sharedFormula' in value) return cellText((value as { result?: ExcelJS.CellValue }).result ?? null);
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('text' in value && typeof value.text === 'object') return cellText(value.text as ExcelJS.CellValue);
    if ('error' in value) return '';
  }
  return String(value);
}

async function openXlsx(path: string, size: number, opts: OpenOptions): Promise<TableSource> {
  if (size > MAX_XLSX_BYTES) {
    throw badInput(
      `This Excel file is larger than ${MAX_XLSX_BYTES / 1024 / 1024} MB. Save it as CSV (UTF-8) in Excel and import the CSV.`,
      { reason: 'xlsx_file_too_large', limit_mb: MAX_XLSX_BYTES / 1024 / 1024 },
    );
  }
  await checkXlsxLimits(path); // before exceljs reads it whole: size, cells, zip bombs (xlsx-limits.ts)
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.readFile(path);
  } catch {
    throw badInput('This file is a ZIP archive but not a readable Excel (.xlsx) workbook.', { reason: 'xlsx_unreadable' });
  }
  const sheets = wb.worksheets.map((w) => w.name);
  if (!sheets.length) throw badInput('The workbook has no worksheets.', { reason: 'xlsx_no_sheets' });
  const ws = opts.sheet ? wb.getWorksheet(opts.sheet) : wb.worksheets[0];
  if (!ws)
    throw badInput(`The workbook has no sheet named "${opts.sheet}". Sheets: ${sheets.join(', ')}.`, {
      reason: 'xlsx_no_sheet',
      sheet: opts.sheet,
    });
  const all: TableRow[] = [];
  let width = 0;
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values = row.values as ExcelJS.CellValue[]; // 1-based
    const cells: string[] = [];
    for (let c = 1; c < values.length; c++) cells.push(cellText(values[c] ?? null).trim());
    if (isBlank(cells)) return;
    width = Math.max(width, cells.length);
    all.push({ row: rowNumber, cells });
  });
  const headerRow = all.shift();
  if (!headerRow) throw badInput(`The sheet "${ws.name}" is empty.`, { reason: 'xlsx_sheet_empty', sheet: ws.name });
  const headers = uniqueHeaders(headerRow.cells.concat(Array(Math.max(0, width - headerRow.cells.length)).fill('')));
  for (const r of all) while (r.cells.length < headers.length) r.cells.push('');
  let read = 0;
  return {
    format: 'xlsx',
    encoding: 'utf-8',
    encodingDetected: true,
    encodingConfident: true,
    delimiter: null,
    sheets,
    sheet: ws.name,
    headers,
    bytesTotal: size,
    bytesRead: () => (all.length ? Math.round((read / all.length) * size) : size),
    async *batches() {
      for (let i = 0; i < all.length; i += 5000) {
        const batch = all.slice(i, i + 5000);
        read = i + batch.length;
        yield batch;
      }
    },
    close: () => undefined,
  };
}
