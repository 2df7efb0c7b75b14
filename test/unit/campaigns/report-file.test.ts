import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { migrate } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';
import { exportReport, paramKeys } from '../../../electron/core/campaigns/report-file';
import { recordReply } from '../../../electron/core/contacts/replies-store';

const T0 = Date.UTC(2026, 10, 20, 9, 0, 0);

/** A finished campaign of three: names, the variables each was sent, one reply (real SQLite, every migration). */
function seeded() {
  const d = new Database(':memory:');
  d.pragma('foreign_keys = ON');
  migrate(d, migrations);
  d.prepare(
    `INSERT INTO campaigns (id, name, state, template_name, template_language, template_category, audience, created_at, updated_at, started_at)
    VALUES ('c1', 'Spring sale', 'completed', 'spring_sale', 'en_US', 'MARKETING', 'all', ?, ?, ?)`,
  ).run(T0, T0, T0);
  const contact = d.prepare('INSERT INTO contacts (phone, name, created_at, updated_at) VALUES (?, ?, 1, 1)');
  const row =
    d.prepare(`INSERT INTO campaign_recipients (campaign_id, contact_id, phone, phone_hash, country, params, state, wamid, accepted_at, sent_at, delivered_at, read_at, updated_at)
    VALUES ('c1', ?, ?, ?, 'IL', ?, ?, ?, ?, ?, ?, ?, ?)`);
  const people = [
    ['+972502345678', 'דנה כהן', { first_name: 'דנה', discount: '20%' }, 'read'],
    ['+972502345679', '=cmd()', { first_name: '=cmd()', discount: '20%' }, 'delivered'],
    ['+972502345670', '王小明', { first_name: '小明', discount: '15%' }, 'sent'],
  ] as const;
  people.forEach(([phone, name, params, state], i) => {
    const id = Number(contact.run(phone, name).lastInsertRowid);
    row.run(
      id,
      phone,
      `h${i}`,
      JSON.stringify(params),
      state,
      `w${i}`,
      T0,
      T0 + 1000,
      state === 'sent' ? null : T0 + 2000,
      state === 'read' ? T0 + 3000 : null,
      T0,
    );
  });
  recordReply(d, {
    messageId: 'in1',
    waId: '972502345678',
    at: T0 + 60_000,
    kind: 'button',
    text: 'Yes please',
    payload: 'yes',
    contextId: 'w0',
  });
  return d;
}

describe('campaign report file: names, the variables sent, replies, a summary sheet', () => {
  it('parameter columns in template order: positional first, by number', () => {
    expect(paramKeys([{ params: '{"2":"b","10":"c","1":"a"}' }, { params: '{"name":"x"}' }, { params: null }, { params: 'nope' }])).toEqual(
      ['1', '2', '10', 'name'],
    );
  });

  it('CSV: one row per recipient with the name, each variable and the reply; formulas defused', async () => {
    const f = await exportReport(seeded(), { id: 'c1', format: 'csv' }, T0 + 3_600_000);
    expect(f.fileName).toBe('Spring-sale-report.csv');
    const lines = f.content.replace(/\n$/, '').split('\n');
    expect(lines[0]).toMatch(/^\uFEFFphone,name,param:discount,param:first_name,id,/);
    expect(lines[0]).toMatch(/,reply,reply_payload,reply_at$/);
    expect(lines[1]).toMatch(/^\+972502345678,דנה כהן,20%,דנה,/);
    expect(lines[1]).toContain(',Yes please,yes,2026-11-20T09:01:00.000Z');
    expect(lines[2]).toContain(`'=cmd()`);
    expect(lines[2]).not.toMatch(/,=cmd/);
    expect(f.rows).toBe(3);
  });

  it('XLSX: a Summary sheet first (counts, rates, replies) and the Recipients sheet', async () => {
    const f = await exportReport(seeded(), { id: 'c1', format: 'xlsx' }, T0 + 3_600_000);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(f.content, 'base64') as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Summary', 'Recipients']);
    const summary = Object.fromEntries(
      wb
        .getWorksheet('Summary')!
        .getSheetValues()
        .slice(2)
        .map((r) => [(r as unknown[])[1], (r as unknown[])[2]]),
    );
    expect(summary).toMatchObject({
      Campaign: 'Spring sale',
      Template: 'spring_sale (en_US)',
      Recipients: 3,
      'Recipients read': 1,
      'Recipients delivered': 1,
      'Recipients sent': 1,
    });
    expect(summary['Read rate']).toBe(50);
    const ws = wb.getWorksheet('Recipients')!;
    expect(ws.rowCount).toBe(4);
    expect(ws.getRow(1).getCell(2).value).toBe('name');
    expect(ws.getRow(4).getCell(2).value).toBe('王小明');
    expect(ws.getRow(3).getCell(2).value).toBe(`'=cmd()`);
  });
});
