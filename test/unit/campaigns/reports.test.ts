import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import ExcelJS from 'exceljs';
import { migrate } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';
import { migration0004 } from '../../../electron/core/db/migrations/0004-webhooks';
import { migration0005 } from '../../../electron/core/db/migrations/0005-campaigns';
import {
  bucketWidth,
  buttonTallies,
  campaignsOverview,
  campaignTimeline,
  csvField,
  exportRecipients,
  REPLY_WINDOW_MS,
} from '../../../electron/core/campaigns/reports';

const H = 3600_000;
const T0 = Date.UTC(2026, 10, 20, 9, 0, 0);

function db() {
  const d = new Database(':memory:');
  d.pragma('foreign_keys = ON');
  const have = migrations.length;
  migrate(d, migrations.slice(0, Math.min(have, 5)));
  if (have < 4) d.exec(migration0004.up as string);
  if (have < 5) d.exec(migration0005.up as string);
  return d;
}

function seed(d: Database.Database) {
  const camp =
    d.prepare(`INSERT INTO campaigns (id, name, state, template_name, template_language, template_category, audience, created_at, updated_at, started_at)
    VALUES (?, ?, 'completed', ?, 'en_US', 'MARKETING', 'all', ?, ?, ?)`);
  camp.run('c1', 'Spring = sale', 'promo', T0, T0, T0);
  camp.run('c2', 'Follow-up', 'promo', T0 + 10 * H, T0 + 10 * H, T0 + 10 * H);
  const contact = d.prepare(`INSERT INTO contacts (phone, name, created_at, updated_at) VALUES (?, ?, 1, 1)`);
  const ids = ['+15550000001', '+15550000002', '+15550000003', '+15550000004', '+15550000005'].map((p, i) =>
    Number(contact.run(p, `P${i}`).lastInsertRowid),
  );
  const row =
    d.prepare(`INSERT INTO campaign_recipients (campaign_id, contact_id, phone, phone_hash, country, state, wamid, error_code, error_class,
      claimed_at, accepted_at, sent_at, delivered_at, read_at, failed_at, updated_at) VALUES (?, ?, ?, ?, 'US', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  // c1: read (no delivered timestamp: read arrived first), delivered, sent, failed after accept, pending.
  row.run('c1', ids[0], '+15550000001', 'h1', 'read', 'w1', null, null, T0, T0, T0 + 60_000, null, T0 + 3 * 60_000, null, T0);
  row.run('c1', ids[1], '+15550000002', 'h2', 'delivered', 'w2', null, null, T0, T0, T0 + 60_000, T0 + 2 * 60_000, null, null, T0);
  row.run('c1', ids[2], '+15550000003', 'h3', 'sent', 'w3', null, null, T0, T0, T0 + 60_000, null, null, null, T0);
  row.run(
    'c1',
    ids[3],
    '=HYPERLINK("x")',
    'h4',
    'failed',
    'w4',
    131026,
    'terminal_recipient',
    T0,
    T0,
    null,
    null,
    null,
    T0 + 4 * 60_000,
    T0,
  );
  row.run('c1', ids[4], '+15550000005', 'h5', 'pending', null, null, null, null, null, null, null, null, null, T0);
  // c2 messages contact 2 ten hours later.
  row.run(
    'c2',
    ids[1],
    '+15550000002',
    'h2',
    'delivered',
    'w6',
    null,
    null,
    T0 + 10 * H,
    T0 + 10 * H,
    T0 + 10 * H,
    T0 + 10 * H + 1000,
    null,
    null,
    T0,
  );
  const log = d.prepare(`INSERT INTO messaging_log (phone_hash, at, campaign_id) VALUES (?, ?, ?)`);
  for (const h of ['h1', 'h2', 'h3', 'h4']) log.run(h, T0, 'c1');
  log.run('h2', T0 + 10 * H, 'c2');
  return ids;
}

describe('campaign reports', () => {
  it('picks round bucket widths covering the span', () => {
    expect(bucketWidth(30 * 60_000, 60)).toBe(30_000);
    expect(bucketWidth(3 * 86_400_000, 60)).toBe(7_200_000);
    expect(bucketWidth(400 * 86_400_000, 60)).toBe(7 * 86_400_000);
  });

  it('timeline: cumulative funnel where later stages imply earlier ones; replies and opt-outs within 72 h go to the campaign that last messaged them', () => {
    const d = db();
    const ids = seed(d);
    const win = d.prepare(
      `INSERT INTO webhook_contact_window (wa_id, last_inbound_at, last_message_id, window_expires_at) VALUES (?, ?, ?, ?)`,
    );
    win.run('15550000001', T0 + 2 * H, 'in1', T0 + 26 * H); // replied to c1
    win.run('15550000002', T0 + 11 * H, 'in2', T0 + 35 * H); // c2 messaged them in between: a reply to c2, not c1
    win.run('15550000003', T0 + REPLY_WINDOW_MS + H, 'in3', T0 + 99 * H); // too late
    const ce = d.prepare(
      `INSERT INTO consent_events (contact_id, category, state, source, source_detail, actor, at) VALUES (?, 'marketing', 'opted_out', ?, '', 'webhook', ?)`,
    );
    ce.run(ids[2], 'keyword', T0 + 5 * H); // c1 caused it
    ce.run(ids[0], 'manual', T0 + 5 * H); // manual: not caused by a campaign

    const t = campaignTimeline(d, 'c1', 60, T0 + 5 * 60_000);
    const last = t.points.at(-1)!;
    expect(last).toMatchObject({ accepted: 4, sent: 3, delivered: 2, read: 1, failed: 1, replied: 1 });
    expect(t.replied).toBe(1);
    expect(t.opt_outs).toBe(1);
    // The span runs to the reply (2 h): 5-minute buckets; the first holds every send, the reply comes later.
    expect(t.bucket_ms).toBe(300_000);
    expect(t.points[0]).toMatchObject({ accepted: 4, sent: 3, delivered: 2, read: 1, failed: 1, replied: 0 });
    for (let i = 1; i < t.points.length; i++) expect(t.points[i]!.sent).toBeGreaterThanOrEqual(t.points[i - 1]!.sent);
    expect(campaignTimeline(d, 'c2', 60, T0 + 12 * H).replied).toBe(1);
    // A finished campaign's chart ends with its last event; an active one runs on to now (a pause shows flat).
    const later = campaignTimeline(d, 'c1', 60, T0 + 100 * H);
    expect(later.points.at(-1)!.at).toBeLessThanOrEqual(t.to! + later.bucket_ms);
    d.prepare("UPDATE campaigns SET state = 'paused' WHERE id = 'c1'").run();
    expect(campaignTimeline(d, 'c1', 60, T0 + 100 * H).points.at(-1)!.at).toBeGreaterThanOrEqual(T0 + 100 * H);
    expect(() => campaignTimeline(d, 'nope', 60, T0)).toThrow(/No campaign/);
  });

  it('overview: rates per template and day, cost from pricing categories with the rate card, opt-outs per campaign', () => {
    const d = db();
    const ids = seed(d);
    d.prepare(
      `INSERT INTO rate_card (category, country, price, currency, updated_at) VALUES ('MARKETING', 'US', 0.025, 'USD', 1), ('UTILITY', '*', 0.004, 'USD', 1)`,
    ).run();
    // Meta priced w2 as utility; the rest fall back on the template's category.
    d.prepare(
      `INSERT INTO webhook_message_status (wamid, status, pricing_category, billable, updated_at) VALUES ('w2', 'delivered', 'utility', 1, 1)`,
    ).run();
    d.prepare(
      `INSERT INTO consent_events (contact_id, category, state, source, source_detail, actor, at) VALUES (?, 'marketing', 'opted_out', 'button', '', 'webhook', ?)`,
    ).run(ids[1], T0 + 11 * H);

    const o = campaignsOverview(d, 30, T0 + 12 * H);
    const c1 = o.campaigns.find((c) => c.id === 'c1')!;
    const c2 = o.campaigns.find((c) => c.id === 'c2')!;
    expect(c1).toMatchObject({ total: 5, delivered: 2, read: 1, opt_outs: 0 });
    expect(c1.delivery_rate).toBeCloseTo(2 / 4);
    expect(c1.read_rate).toBeCloseTo(1 / 2);
    expect(c1.cost).toEqual({ currency: 'USD', amount: 0.029, billable: 2, unpriced: 0 });
    expect(c2).toMatchObject({ opt_outs: 1, delivered: 1 });
    expect(o.templates).toEqual([
      expect.objectContaining({ name: 'promo', language: 'en_US', campaigns: 2, reached: 5, delivered: 3, read: 1, failed: 1 }),
    ]);
    expect(o.cost).toEqual({ currency: 'USD', amount: 0.054, billable: 3, unpriced: 0 });
    expect(o.opt_outs).toBe(1);
    expect(o.days.map((x) => x.day)).toEqual(['2026-11-20']);
    expect(o.days[0]).toMatchObject({ reached: 5, delivered: 3, read: 1 });
  });

  it('cost: messages with no rate are counted as unpriced, not guessed', () => {
    const d = db();
    seed(d);
    const o = campaignsOverview(d, 30, T0 + 12 * H);
    expect(o.cost).toEqual({ currency: null, amount: null, billable: 3, unpriced: 3 });
  });

  it('export: CSV with a BOM, formula-looking text defused, state filter; JSON; XLSX that opens', async () => {
    const d = db();
    seed(d);
    const csv = await exportRecipients(d, { id: 'c1', format: 'csv' });
    expect(csv.rows).toBe(5);
    expect(csv.fileName).toBe('Spring-sale-recipients.csv');
    const lines = csv.content.replace(/\n$/, '').split('\n');
    expect(lines[0]).toMatch(/^\uFEFFid,contact_id,phone,/);
    expect(lines.find((l) => l.includes('HYPERLINK'))).toContain(`"'=HYPERLINK(""x"")"`);
    expect(csvField('+15550000001')).toBe('+15550000001');

    const failed = await exportRecipients(d, { id: 'c1', format: 'json', state: ['failed', 'read'] });
    const parsed = JSON.parse(failed.content) as { state: string; error_code: number | null }[];
    expect(parsed.map((r) => r.state).sort()).toEqual(['failed', 'read']);
    expect(parsed.find((r) => r.state === 'failed')!.error_code).toBe(131026);

    const x = await exportRecipients(d, { id: 'c1', format: 'xlsx', search: '555000000' });
    expect(x.encoding).toBe('base64');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(x.content, 'base64') as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Recipients')!;
    expect(ws.rowCount).toBe(1 + 4);
    expect(ws.getRow(2).getCell(3).value).toBe('+15550000001');
    await expect(exportRecipients(d, { id: 'zz', format: 'csv' })).rejects.toThrow(/No campaign/);
  });

  it('button tallies: quick-reply taps answering this campaign, repeated webhooks counted once', () => {
    const d = db();
    seed(d);
    const inbox = d.prepare(`INSERT INTO webhook_inbox (received_at, source, body, state) VALUES (1, 'direct', ?, 'processed')`);
    const msg = (id: string, from: string, context: string, tap: Record<string, unknown>) => ({
      id,
      from,
      timestamp: '1',
      context: { from: '15550100', id: context },
      ...tap,
    });
    const env = (...messages: unknown[]) =>
      Buffer.from(
        JSON.stringify({
          object: 'whatsapp_business_account',
          entry: [{ id: 'w', changes: [{ field: 'messages', value: { messages } }] }],
        }),
      );
    const yes = { type: 'button', button: { text: 'Yes please', payload: 'YES' } };
    inbox.run(env(msg('m1', '15550000001', 'w1', yes), msg('m2', '15550000002', 'w2', yes)));
    inbox.run(env(msg('m1', '15550000001', 'w1', yes))); // Meta's retry of the same message
    inbox.run(
      env(
        msg('m3', '15550000003', 'w3', {
          type: 'interactive',
          interactive: { type: 'button_reply', button_reply: { id: 'NO', title: 'No thanks' } },
        }),
      ),
    );
    inbox.run(env(msg('m4', '15550000002', 'w6', yes))); // answers c2's message
    inbox.run(env(msg('m5', '15550000001', 'w1', { type: 'text', text: { body: 'button' } })));
    expect(buttonTallies(d, 'c1')).toEqual([
      { text: 'Yes please', payload: 'YES', count: 2, recipients: 2 },
      { text: 'No thanks', payload: 'NO', count: 1, recipients: 1 },
    ]);
    expect(buttonTallies(d, 'c2')).toEqual([{ text: 'Yes please', payload: 'YES', count: 1, recipients: 1 }]);
    expect(() => buttonTallies(d, 'zz')).toThrow(/No campaign/);
  });
});
