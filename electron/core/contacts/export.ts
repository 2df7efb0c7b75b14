/**
 * Contact exports: CSV (UTF-8 with BOM, so Excel shows Hebrew and Chinese), XLSX and JSON.
 * Spreadsheet formats neutralise formula injection with the one shared rule
 * (shared/spreadsheet-cell.ts): a formula-like cell gets an apostrophe; a plain E.164 number stays
 * as written so the export can be imported again.
 */
import fs from 'node:fs';
import { PassThrough, type Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { AttributeValue, ContactRow } from '../../../shared/contract/contacts';
import { neutraliseCell } from '../../../shared/spreadsheet-cell';

/** The shared formula-injection rule (shared/spreadsheet-cell.ts). */
export const neutralize = neutraliseCell;

const csvCell = (v: string) => {
  const s = neutralize(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export interface ExportColumns {
  attributes: string[];
}

export function exportHeader(cols: ExportColumns): string[] {
  return [
    'phone',
    'name',
    'first_name',
    'last_name',
    'email',
    'country',
    'tags',
    'consent_marketing',
    'consent_utility',
    'created_at',
    // WhatsApp business-scoped user id and username (issue #13); the import reads them back.
    'whatsapp_user_id',
    'whatsapp_username',
    ...cols.attributes.map((a) => `attr.${a}`),
  ];
}

const attrText = (v: AttributeValue | undefined) => (v === undefined ? '' : typeof v === 'boolean' ? (v ? 'true' : 'false') : String(v));

export function exportCells(c: ContactRow, cols: ExportColumns): string[] {
  return [
    c.phone ?? '', // a contact known only by its user id: the whatsapp_user_id column identifies it
    c.name,
    c.first_name ?? '',
    c.last_name ?? '',
    c.email ?? '',
    c.country ?? '',
    c.tags.join(', '),
    c.consent.marketing,
    c.consent.utility,
    new Date(c.created_at).toISOString(),
    c.user_id ?? '',
    c.username ?? '',
    ...cols.attributes.map((a) => attrText(c.attributes[a])),
  ];
}

export interface ExportWriter {
  write(rows: ContactRow[]): Promise<void>;
  end(): Promise<void>;
}

async function writeOut(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await new Promise<void>((r) => out.once('drain', () => r()));
}

export function csvWriter(out: Writable, cols: ExportColumns): ExportWriter {
  let started = false;
  return {
    async write(rows) {
      let text = started ? '' : '\ufeff' + exportHeader(cols).map(csvCell).join(',') + '\r\n';
      started = true;
      for (const c of rows) text += exportCells(c, cols).map(csvCell).join(',') + '\r\n';
      await writeOut(out, text);
    },
    async end() {
      if (!started) await writeOut(out, '\ufeff' + exportHeader(cols).map(csvCell).join(',') + '\r\n');
      await new Promise<void>((r) => out.end(() => r()));
    },
  };
}

/** JSON: one array, the same keys as `pacer contacts list --json`. Data, not a spreadsheet: kept verbatim. */
export function jsonWriter(out: Writable): ExportWriter {
  let first = true;
  return {
    async write(rows) {
      let text = first ? '[' : '';
      for (const c of rows) {
        text += (first ? '' : ',') + '\n' + JSON.stringify(c);
        first = false;
      }
      if (text) await writeOut(out, text);
    },
    async end() {
      await writeOut(out, first ? '[]\n' : '\n]\n');
      await new Promise<void>((r) => out.end(() => r()));
    },
  };
}

export function xlsxWriter(target: { filename: string } | { stream: Writable }, cols: ExportColumns): ExportWriter {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ ...target, useStyles: false, useSharedStrings: false });
  const ws = wb.addWorksheet('Contacts');
  ws.addRow(exportHeader(cols).map(neutralize)).commit();
  return {
    async write(rows) {
      for (const c of rows) ws.addRow(exportCells(c, cols).map(neutralize)).commit();
    },
    async end() {
      ws.commit();
      await wb.commit();
    },
  };
}

/** Collects a writer's output in memory (the UI's export answers the file's content). */
export function memorySink(): { stream: PassThrough; done: Promise<Buffer> } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
  return { stream, done };
}

export function fileSink(file: string): Writable {
  return fs.createWriteStream(file, { mode: 0o600 });
}
