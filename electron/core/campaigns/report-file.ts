/**
 * The campaign report as a file people open in a spreadsheet: one row per recipient with the
 * contact's name, each variable the message was sent with (one column per template parameter, from
 * the ledger's `params` snapshot), the reply if any, and — in XLSX — a Summary sheet first (the
 * campaign, its template, counts, delivery/read/reply rates, cost so far). JSON keeps the raw rows.
 *
 * Replaces reports.ts's plain ledger dump for `campaigns:export`; the CSV escaping (formula guard)
 * and the column list of the ledger part are reports.ts's own.
 */
import type { Db } from '../db/connection';
import { notFound } from '../errors';
import type { CampaignExportFile } from '../../../shared/contract/campaign-reports';
import type { RecipientRow, RecipientState } from '../../../shared/contract/campaigns';
import { campaignsOverview, csvField, EXPORT_COLUMNS, exportRecipients } from './reports';

const TIME_COLUMNS = new Set(['claimed_at', 'accepted_at', 'sent_at', 'delivered_at', 'read_at', 'failed_at', 'reply_at']);

interface Row extends RecipientRow {
  name: string | null;
  params: string | null;
  reply: string | null;
  reply_payload: string | null;
  reply_at: number | null;
}

/** Parameter keys across the rows, in template order (1, 2, … then named ones alphabetically). */
export function paramKeys(rows: readonly { params: string | null }[]): string[] {
  const keys = new Set<string>();
  for (const r of rows) {
    if (!r.params) continue;
    try {
      for (const k of Object.keys(JSON.parse(r.params) as Record<string, unknown>)) keys.add(k);
    } catch {
      /* not JSON: no variables */
    }
  }
  return [...keys].sort((a, b) =>
    /^\d+$/.test(a) && /^\d+$/.test(b) ? Number(a) - Number(b) : /^\d+$/.test(a) ? -1 : /^\d+$/.test(b) ? 1 : a.localeCompare(b),
  );
}

const paramsOf = (r: Row): Record<string, unknown> => {
  try {
    return r.params ? (JSON.parse(r.params) as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};
const cell = (k: string, v: unknown): string | number =>
  v === null || v === undefined
    ? ''
    : TIME_COLUMNS.has(k)
      ? new Date(v as number).toISOString()
      : typeof v === 'object'
        ? JSON.stringify(v)
        : (v as string | number);

export async function exportReport(
  db: Db,
  input: { id: string; format: 'csv' | 'json' | 'xlsx'; state?: RecipientState[]; search?: string },
  now: number,
): Promise<CampaignExportFile> {
  if (input.format === 'json') return exportRecipients(db, input);
  const c = db
    .prepare('SELECT name, template_name, template_language, state, started_at, finished_at FROM campaigns WHERE id = ?')
    .get(input.id) as
    | {
        name: string;
        template_name: string;
        template_language: string;
        state: string;
        started_at: number | null;
        finished_at: number | null;
      }
    | undefined;
  if (!c) throw notFound(`No campaign ${input.id}`);
  const hasReplies = !!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'inbound_replies'").get();
  const where = ['r.campaign_id = ?'];
  const args: unknown[] = [input.id];
  if (input.state?.length) {
    where.push(`r.state IN (${input.state.map(() => '?').join(',')})`);
    args.push(...input.state);
  }
  if (input.search) {
    where.push(`coalesce(r.phone, r.user_id) LIKE ? ESCAPE '\\'`);
    args.push(`%${input.search.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
  }
  const last = (col: string) =>
    hasReplies ? `(SELECT i.${col} FROM inbound_replies i WHERE i.recipient_id = r.id ORDER BY i.at DESC, i.id DESC LIMIT 1)` : 'NULL';
  const rows = db
    .prepare(
      // The address column: the number, or the WhatsApp user id of a contact known only by it (0017).
      `SELECT ${EXPORT_COLUMNS.map((k) => (k === 'phone' ? 'coalesce(r.phone, r.user_id) AS phone' : `r.${k}`)).join(', ')}, ct.name AS name, r.params AS params,
      ${last('text')} AS reply, ${last('payload')} AS reply_payload, ${last('at')} AS reply_at
    FROM campaign_recipients r LEFT JOIN contacts ct ON ct.id = r.contact_id WHERE ${where.join(' AND ')} ORDER BY r.id`,
    )
    .all(...args) as Row[];
  const keys = paramKeys(rows);
  const header = [
    'phone',
    'name',
    ...keys.map((k) => `param:${k}`),
    ...EXPORT_COLUMNS.filter((k) => k !== 'phone'),
    'reply',
    'reply_payload',
    'reply_at',
  ];
  const line = (r: Row) => {
    const p = paramsOf(r);
    return [
      cell('phone', r.phone),
      cell('name', r.name),
      ...keys.map((k) => cell(k, p[k])),
      ...EXPORT_COLUMNS.filter((k) => k !== 'phone').map((k) => cell(k, r[k])),
      cell('reply', r.reply),
      cell('reply_payload', r.reply_payload),
      cell('reply_at', r.reply_at),
    ];
  };
  const base = `${
    c.name
      .replace(/[^\p{L}\p{N}_-]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'campaign'
  }-report`;
  if (input.format === 'csv') {
    const lines = [`\uFEFF${header.map(csvField).join(',')}`, ...rows.map((r) => line(r).map(csvField).join(','))];
    return { fileName: `${base}.csv`, mime: 'text/csv', encoding: 'utf8', content: `${lines.join('\n')}\n`, rows: rows.length };
  }
  const ExcelJS = (await import('exceljs')).default;
  const wb = new ExcelJS.Workbook();
  const summary = wb.addWorksheet('Summary');
  const o = campaignsOverview(db, 366, now).campaigns.find((x) => x.id === input.id);
  const counts = db.prepare('SELECT state, count(*) AS n FROM campaign_recipients WHERE campaign_id = ? GROUP BY state').all(input.id) as {
    state: string;
    n: number;
  }[];
  summary.columns = [
    { header: 'Field', key: 'k', width: 26 },
    { header: 'Value', key: 'v', width: 48 },
  ];
  const add = (k: string, v: string | number | null) => summary.addRow({ k, v: v ?? '' });
  add('Campaign', c.name);
  add('Template', `${c.template_name} (${c.template_language})`);
  add('State', c.state);
  add('Started', c.started_at ? new Date(c.started_at).toISOString() : null);
  add('Finished', c.finished_at ? new Date(c.finished_at).toISOString() : null);
  add('Recipients', rows.length);
  for (const x of counts) add(`Recipients ${x.state}`, x.n);
  if (o) {
    add('Delivery rate', o.delivery_rate === null ? null : Math.round(o.delivery_rate * 1000) / 10);
    add('Read rate', o.read_rate === null ? null : Math.round(o.read_rate * 1000) / 10);
    add('Replied', o.replied);
    add('Opt-outs', o.opt_outs);
    add('Cost so far', o.cost.amount === null ? null : `${o.cost.amount} ${o.cost.currency ?? ''}`.trim());
    add('Billable messages', o.cost.billable);
  }
  summary.getRow(1).font = { bold: true };
  const ws = wb.addWorksheet('Recipients');
  ws.addRow(header);
  ws.getRow(1).font = { bold: true };
  // A cell starting with = or @ would run as a formula in Excel: stored as text with a leading quote, as in the CSV.
  for (const r of rows) ws.addRow(line(r).map((v) => (typeof v === 'string' && /^[=@+-]/.test(v) && !/^\+\d/.test(v) ? `'${v}` : v)));
  const buf = Buffer.from(await wb.xlsx.writeBuffer());
  return {
    fileName: `${base}.xlsx`,
    mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    encoding: 'base64',
    content: buf.toString('base64'),
    rows: rows.length,
  };
}
