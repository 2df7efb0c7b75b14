/**
 * Read-only reports over the send ledger for the UI (contract: shared/contract/campaign-reports.ts).
 *
 * Sources, all optional except the ledger (a table that is not there yet counts as empty):
 * - campaign_recipients: each row's timestamps give the funnel over time. A later stage implies
 *   the earlier ones (read ⇒ delivered ⇒ sent ⇒ accepted), so a missing earlier timestamp — a
 *   "read" that arrived before its "delivered" — takes the later one's time.
 * - inbound_replies: every message a person wrote, linked when it arrived to the campaign row it
 *   answers (WhatsApp's context, or within 72 h of this campaign's message with no other message to
 *   them in between). A row replied when one of its stored replies is linked to it (its first one's
 *   time): the same rule as the "Replied" list and retargeting, whatever they wrote afterwards.
 *   Only a database without that table falls back to the contact's last inbound message
 *   (webhook_contact_window), which loses a reply as soon as they write again after another message.
 * - consent_events: marketing opt-outs by keyword, button, WhatsApp preference or 131050, counted
 *   against the campaign by the same rule.
 * - webhook_message_status: Meta's pricing category and billable flag per wamid (cost so far).
 */
import type { Db } from '../db/connection';
import { notFound } from '../errors';
import { foldQuartersIntoDays, QUARTER_MS } from './day-buckets';
import type {
  ButtonTally,
  CampaignCost,
  CampaignExportFile,
  CampaignOverviewRow,
  CampaignsOverview,
  CampaignTimeline,
  DayOverview,
  TemplateOverview,
  TimelinePoint,
} from '../../../shared/contract/campaign-reports';
import type { RecipientRow, RecipientState } from '../../../shared/contract/campaigns';
import { neutraliseCell } from '../../../shared/spreadsheet-cell';

/** An XLSX cell: text through the shared formula-injection rule, numbers as numbers. */
export const xlsxCell = (v: string | number): string | number => (typeof v === 'string' ? neutraliseCell(v) : v);

export const REPLY_WINDOW_MS = 72 * 3600_000;
const OPT_OUT_SOURCES = ['keyword', 'button', 'meta_preference', 'error_131050'];

const tableCache = new WeakMap<Db, Map<string, boolean>>();
function hasTable(db: Db, name: string): boolean {
  let m = tableCache.get(db);
  if (!m) tableCache.set(db, (m = new Map()));
  // Only a positive answer is cached: a migration may add the table later in this process.
  if (m.get(name)) return true;
  const found = !!db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name);
  if (found) m.set(name, true);
  return found;
}

/** When the row's message left us: the time every later event of the row is measured from. */
const BASE = 'coalesce(r.accepted_at, r.sent_at, r.claimed_at)';

/** SQL: when the row was first replied to (its first stored reply), or NULL. */
function replyExpr(db: Db): string {
  if (hasTable(db, 'inbound_replies')) return '(SELECT min(i.at) FROM inbound_replies i WHERE i.recipient_id = r.id)';
  if (!hasTable(db, 'webhook_contact_window') || !hasTable(db, 'messaging_log')) return 'NULL';
  return `(SELECT w.last_inbound_at FROM webhook_contact_window w
    WHERE r.phone IS NOT NULL AND w.wa_id = substr(r.phone, 2) AND ${BASE} IS NOT NULL
      AND w.last_inbound_at > ${BASE} AND w.last_inbound_at <= ${BASE} + ${REPLY_WINDOW_MS}
      AND NOT EXISTS (SELECT 1 FROM messaging_log m WHERE m.phone_hash = r.phone_hash AND m.at > ${BASE}
        AND m.at < w.last_inbound_at AND (m.campaign_id IS NULL OR m.campaign_id <> r.campaign_id)))`;
}

/** SQL: the row's first opt-out time attributable to this campaign, or NULL. */
function optOutExpr(db: Db): string {
  if (!hasTable(db, 'consent_events')) return 'NULL';
  const guard = hasTable(db, 'messaging_log')
    ? `AND NOT EXISTS (SELECT 1 FROM messaging_log m WHERE m.phone_hash = r.phone_hash AND m.at > ${BASE}
        AND m.at < e.at AND (m.campaign_id IS NULL OR m.campaign_id <> r.campaign_id))`
    : '';
  return `(SELECT min(e.at) FROM consent_events e
    WHERE r.contact_id IS NOT NULL AND e.contact_id = r.contact_id AND e.category = 'marketing' AND e.state = 'opted_out'
      AND e.source IN (${OPT_OUT_SOURCES.map((s) => `'${s}'`).join(',')}) AND ${BASE} IS NOT NULL
      AND e.at >= ${BASE} AND e.at <= ${BASE} + ${REPLY_WINDOW_MS} ${guard})`;
}

const NICE_BUCKETS = [
  1_000, 5_000, 10_000, 30_000, 60_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000,
];

/** Bucket width: the smallest "round" width that covers the span in at most `buckets` buckets. */
export function bucketWidth(span: number, buckets: number): number {
  const need = Math.max(1, Math.ceil(span / buckets));
  return NICE_BUCKETS.find((b) => b >= need) ?? Math.ceil(need / 86_400_000) * 86_400_000;
}

export function campaignTimeline(db: Db, id: string, buckets: number, now: number): CampaignTimeline {
  const c = db.prepare('SELECT state FROM campaigns WHERE id = ?').get(id) as { state: string } | undefined;
  if (!c) throw notFound(`No campaign ${id}`);
  const rows = db
    .prepare(
      `SELECT
      coalesce(r.accepted_at, r.sent_at, r.delivered_at, r.read_at) AS a,
      coalesce(r.sent_at, r.delivered_at, r.read_at) AS s,
      CASE WHEN r.state IN ('delivered', 'read') THEN coalesce(r.delivered_at, r.read_at, r.sent_at) END AS d,
      CASE WHEN r.state = 'read' THEN coalesce(r.read_at, r.delivered_at) END AS rd,
      CASE WHEN r.state = 'failed' THEN coalesce(r.failed_at, r.updated_at) END AS f,
      ${replyExpr(db)} AS rp,
      ${optOutExpr(db)} AS oo
    FROM campaign_recipients r WHERE r.campaign_id = ?`,
    )
    .raw()
    .all(id) as (number | null)[][];
  let from = Infinity;
  let to = -Infinity;
  for (const row of rows)
    for (let i = 0; i < 6; i++) {
      const v = row[i];
      if (v !== null && v !== undefined) {
        if (v < from) from = v;
        if (v > to) to = v;
      }
    }
  const replied = rows.filter((r) => r[5] !== null).length;
  const optOuts = rows.filter((r) => r[6] !== null).length;
  if (from === Infinity) return { bucket_ms: 60_000, from: null, to: null, points: [], replied, opt_outs: optOuts };
  // An active campaign's chart runs to now, so a pause shows as a flat stretch; a finished one ends with its last event.
  const active = c.state === 'running' || c.state === 'paused' || c.state === 'scheduled';
  const end = active ? Math.max(to, Math.min(now, to + 7 * 86_400_000)) : to;
  const width = bucketWidth(end - from + 1, buckets);
  const start = Math.floor(from / width) * width;
  const n = Math.max(1, Math.ceil((end + 1 - start) / width));
  const keys = ['accepted', 'sent', 'delivered', 'read', 'failed', 'replied'] as const;
  const cols = [0, 1, 2, 3, 4, 5];
  const hist = keys.map(() => new Array<number>(n).fill(0));
  for (const row of rows) {
    cols.forEach((c, k) => {
      const v = row[c];
      if (v !== null && v !== undefined) hist[k]![Math.min(n - 1, Math.floor((v - start) / width))]!++;
    });
  }
  const points: TimelinePoint[] = [];
  const run = keys.map(() => 0);
  for (let i = 0; i < n; i++) {
    keys.forEach((_, k) => (run[k]! += hist[k]![i]!));
    points.push({
      at: start + (i + 1) * width,
      accepted: run[0]!,
      sent: run[1]!,
      delivered: run[2]!,
      read: run[3]!,
      failed: run[4]!,
      replied: run[5]!,
    });
  }
  return { bucket_ms: width, from, to, points, replied, opt_outs: optOuts };
}

interface PriceKey {
  category: string;
  country: string;
}

/** Prices billable messages grouped by category × country with the rate card ('*' = any other country). */
export function priceMessages(db: Db, groups: (PriceKey & { n: number })[]): CampaignCost {
  const card = new Map<string, { price: number; currency: string }>();
  for (const e of db.prepare('SELECT category, country, price, currency FROM rate_card').all() as {
    category: string;
    country: string;
    price: number;
    currency: string;
  }[]) {
    card.set(`${e.category}|${e.country}`, { price: e.price, currency: e.currency });
  }
  const byCurrency = new Map<string, number>();
  let billable = 0;
  let unpriced = 0;
  for (const g of groups) {
    billable += g.n;
    const cat = g.category.toUpperCase();
    const rate = card.get(`${cat}|${g.country}`) ?? card.get(`${cat}|*`);
    if (!rate) {
      unpriced += g.n;
      continue;
    }
    byCurrency.set(rate.currency, (byCurrency.get(rate.currency) ?? 0) + rate.price * g.n);
  }
  // One currency per category is the rate card's rule; if categories differ, report the largest and count the rest as unpriced.
  const [main] = [...byCurrency.entries()].sort((a, b) => b[1] - a[1]);
  if (main && byCurrency.size > 1) {
    for (const g of groups) {
      const cat = g.category.toUpperCase();
      const rate = card.get(`${cat}|${g.country}`) ?? card.get(`${cat}|*`);
      if (rate && rate.currency !== main[0]) unpriced += g.n;
    }
  }
  return { currency: main?.[0] ?? null, amount: main ? Math.round(main[1] * 10_000) / 10_000 : null, billable, unpriced };
}

const rate = (num: number, den: number): number | null => (den > 0 ? num / den : null);

/** `tz`: the zone whose calendar days the per-day figures follow (the marketer's; UTC when none is given). */
export function campaignsOverview(db: Db, days: number, now: number, tz = 'UTC'): CampaignsOverview {
  const replied = replyExpr(db);
  const optOut = optOutExpr(db);
  const campaigns = db
    .prepare(
      `SELECT c.id, c.name, c.state, c.template_name, c.template_language, c.started_at,
      count(r.id) AS total,
      sum(r.state IN ('accepted', 'sent', 'delivered', 'read', 'failed')) AS reached,
      sum(r.state IN ('delivered', 'read')) AS delivered,
      sum(r.state = 'read') AS read,
      sum(r.state = 'failed') AS failed,
      sum(${replied} IS NOT NULL) AS replied,
      sum(${optOut} IS NOT NULL) AS opt_outs
    FROM campaigns c LEFT JOIN campaign_recipients r ON r.campaign_id = c.id
    GROUP BY c.id ORDER BY coalesce(c.started_at, c.created_at) DESC`,
    )
    .all() as {
    id: string;
    name: string;
    state: string;
    template_name: string;
    template_language: string;
    started_at: number | null;
    total: number;
    reached: number | null;
    delivered: number | null;
    read: number | null;
    failed: number | null;
    replied: number | null;
    opt_outs: number | null;
  }[];

  // Billable = delivered (Meta bills delivered messages), unless Meta's pricing said otherwise.
  const hasStatus = hasTable(db, 'webhook_message_status');
  const priced = db
    .prepare(
      `SELECT r.campaign_id AS cid, upper(coalesce(${hasStatus ? 'w.pricing_category, ' : ''}c.template_category, 'MARKETING')) AS category,
      coalesce(r.country, '*') AS country, count(*) AS n
    FROM campaign_recipients r JOIN campaigns c ON c.id = r.campaign_id
    ${hasStatus ? 'LEFT JOIN webhook_message_status w ON w.wamid = r.wamid' : ''}
    WHERE coalesce(r.billable, ${hasStatus ? 'w.billable, ' : ''}r.state IN ('delivered', 'read')) = 1
    GROUP BY cid, category, country`,
    )
    .all() as { cid: string; category: string; country: string; n: number }[];
  const pricedBy = new Map<string, (PriceKey & { n: number })[]>();
  for (const p of priced) {
    const list = pricedBy.get(p.cid) ?? [];
    list.push(p);
    pricedBy.set(p.cid, list);
  }

  const out: CampaignOverviewRow[] = campaigns.map((c) => {
    const delivered = c.delivered ?? 0;
    const read = c.read ?? 0;
    return {
      id: c.id,
      name: c.name,
      state: c.state,
      template: `${c.template_name} (${c.template_language})`,
      total: c.total,
      delivered,
      read,
      replied: c.replied ?? 0,
      opt_outs: c.opt_outs ?? 0,
      started_at: c.started_at,
      delivery_rate: rate(delivered, c.reached ?? 0),
      read_rate: rate(read, delivered),
      cost: priceMessages(db, pricedBy.get(c.id) ?? []),
    };
  });

  const templates = new Map<string, TemplateOverview>();
  for (const c of campaigns) {
    const key = `${c.template_name}|${c.template_language}`;
    const t = templates.get(key) ?? {
      name: c.template_name,
      language: c.template_language,
      campaigns: 0,
      reached: 0,
      delivered: 0,
      read: 0,
      failed: 0,
      delivery_rate: null,
      read_rate: null,
    };
    t.campaigns++;
    t.reached += c.reached ?? 0;
    t.delivered += c.delivered ?? 0;
    t.read += c.read ?? 0;
    t.failed += c.failed ?? 0;
    templates.set(key, t);
  }

  const since = now - days * 86_400_000;
  // By quarter hour here, into the marketer's days in day-buckets.ts (SQLite knows only UTC).
  const quarterRows = db
    .prepare(
      `SELECT ${BASE} / ${QUARTER_MS} AS q,
      sum(r.state IN ('accepted', 'sent', 'delivered', 'read', 'failed')) AS reached,
      sum(r.state IN ('delivered', 'read')) AS delivered, sum(r.state = 'read') AS read
    FROM campaign_recipients r WHERE ${BASE} >= ? GROUP BY q ORDER BY q`,
    )
    .all(since) as { q: number; reached: number; delivered: number; read: number }[];
  const dayRows = foldQuartersIntoDays(quarterRows, ['reached', 'delivered', 'read'], tz);

  const all = priceMessages(db, priced);
  return {
    campaigns: out,
    templates: [...templates.values()].map((t) => ({
      ...t,
      delivery_rate: rate(t.delivered, t.reached),
      read_rate: rate(t.read, t.delivered),
    })),
    days: dayRows.map((d): DayOverview => ({ ...d, delivery_rate: rate(d.delivered, d.reached), read_rate: rate(d.read, d.delivered) })),
    cost: all,
    opt_outs: out.reduce((s, c) => s + c.opt_outs, 0),
  };
}

export const EXPORT_COLUMNS: (keyof RecipientRow)[] = [
  'id',
  'contact_id',
  'phone',
  'country',
  'state',
  'skip_reason',
  'wamid',
  'error_code',
  'error_class',
  'error_detail',
  'attempts',
  'claimed_at',
  'accepted_at',
  'sent_at',
  'delivered_at',
  'read_at',
  'failed_at',
  'pricing_category',
  'pricing_type',
  'cost_rate',
  'clicked_at',
];
const TIME_COLUMNS = new Set<keyof RecipientRow>([
  'claimed_at',
  'accepted_at',
  'sent_at',
  'delivered_at',
  'read_at',
  'failed_at',
  'clicked_at',
]);
const exportCell = (k: keyof RecipientRow, v: unknown): string | number =>
  v === null || v === undefined ? '' : TIME_COLUMNS.has(k) ? new Date(v as number).toISOString() : (v as string | number);

/** CSV field: quoted when needed; formula-like text is neutralised (shared/spreadsheet-cell.ts). */
export function csvField(v: string | number): string {
  const s = typeof v === 'number' ? String(v) : neutraliseCell(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One row per recipient of a campaign (optionally only some states / a phone fragment), as a file for the UI. */
export async function exportRecipients(
  db: Db,
  input: { id: string; format: 'csv' | 'json' | 'xlsx'; state?: RecipientState[]; search?: string },
): Promise<CampaignExportFile> {
  const c = db.prepare('SELECT name FROM campaigns WHERE id = ?').get(input.id) as { name: string } | undefined;
  if (!c) throw notFound(`No campaign ${input.id}`);
  const where = ['campaign_id = ?'];
  const params: unknown[] = [input.id];
  if (input.state?.length) {
    where.push(`state IN (${input.state.map(() => '?').join(',')})`);
    params.push(...input.state);
  }
  if (input.search) {
    where.push(`phone LIKE ? ESCAPE '\\'`);
    params.push(`%${input.search.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
  }
  // Columns a later migration added (pricing, clicks) read as empty on a database without them.
  const have = new Set(db.prepare(`SELECT name FROM pragma_table_info('campaign_recipients')`).pluck().all() as string[]);
  const stmt = db.prepare(
    // `phone`: the address — the number, or the WhatsApp user id of a contact known only by it (0017).
    `SELECT ${EXPORT_COLUMNS.map((c) =>
      c === 'phone' && have.has('user_id') ? 'coalesce(phone, user_id) AS phone' : have.has(c) ? c : `NULL AS ${c}`,
    ).join(', ')} FROM campaign_recipients WHERE ${where.join(' AND ')} ORDER BY id`,
  );
  const base = `${
    c.name
      .replace(/[^\p{L}\p{N}_-]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'campaign'
  }-recipients`;
  let rows = 0;
  if (input.format === 'json') {
    const parts: string[] = [];
    for (const r of stmt.iterate(...params)) {
      parts.push(JSON.stringify(r));
      rows++;
    }
    return {
      fileName: `${base}.json`,
      mime: 'application/json',
      encoding: 'utf8',
      content: `[${parts.length ? '\n' : ''}${parts.join(',\n')}\n]\n`,
      rows,
    };
  }
  if (input.format === 'csv') {
    const lines = [`\uFEFF${EXPORT_COLUMNS.join(',')}`];
    for (const r of stmt.iterate(...params) as Iterable<RecipientRow>) {
      lines.push(EXPORT_COLUMNS.map((k) => csvField(exportCell(k, r[k]))).join(','));
      rows++;
    }
    return { fileName: `${base}.csv`, mime: 'text/csv', encoding: 'utf8', content: `${lines.join('\n')}\n`, rows };
  }
  const ExcelJS = (await import('exceljs')).default;
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Recipients');
  ws.addRow(EXPORT_COLUMNS);
  ws.getRow(1).font = { bold: true };
  for (const r of stmt.iterate(...params) as Iterable<RecipientRow>) {
    ws.addRow(EXPORT_COLUMNS.map((k) => xlsxCell(exportCell(k, r[k]))));
    rows++;
  }
  const buf = Buffer.from(await wb.xlsx.writeBuffer());
  return {
    fileName: `${base}.xlsx`,
    mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    encoding: 'base64',
    content: buf.toString('base64'),
    rows,
  };
}

interface InboundButton {
  id?: string;
  from?: string;
  type?: string;
  context?: { id?: string };
  button?: { text?: string; payload?: string };
  interactive?: { type?: string; button_reply?: { id?: string; title?: string } };
}

/**
 * Quick-reply taps answering this campaign's messages. The webhook inbox keeps every raw event;
 * only bodies that can hold a tap are read, and a tap counts for the campaign whose message it
 * replies to (`context.id` = our wamid). Duplicate deliveries of the same message count once.
 */
export function buttonTallies(db: Db, id: string): ButtonTally[] {
  if (!db.prepare('SELECT 1 FROM campaigns WHERE id = ?').get(id)) throw notFound(`No campaign ${id}`);
  if (!hasTable(db, 'webhook_inbox')) return [];
  const ours = db.prepare('SELECT 1 FROM campaign_recipients WHERE wamid = ? AND campaign_id = ?');
  const seen = new Set<string>();
  const tallies = new Map<string, ButtonTally & { who: Set<string> }>();
  const rows = db.prepare(
    `SELECT body FROM webhook_inbox WHERE CAST(body AS TEXT) LIKE '%"context"%' AND (CAST(body AS TEXT) LIKE '%"button"%' OR CAST(body AS TEXT) LIKE '%"button_reply"%')`,
  );
  for (const r of rows.iterate() as Iterable<{ body: Buffer | string }>) {
    let env: { entry?: { changes?: { value?: { messages?: InboundButton[] } }[] }[] };
    try {
      env = JSON.parse(typeof r.body === 'string' ? r.body : r.body.toString('utf8')) as typeof env;
    } catch {
      continue;
    }
    for (const e of env.entry ?? [])
      for (const c of e.changes ?? [])
        for (const m of c.value?.messages ?? []) {
          const wamid = m.context?.id;
          if (!wamid || !m.id || seen.has(m.id)) continue;
          const tap =
            m.type === 'button'
              ? { text: m.button?.text, payload: m.button?.payload }
              : m.type === 'interactive' && m.interactive?.type === 'button_reply'
                ? { text: m.interactive.button_reply?.title, payload: m.interactive.button_reply?.id }
                : null;
          if (!tap?.text || !ours.get(wamid, id)) continue;
          seen.add(m.id);
          const key = `${tap.text}\u0000${tap.payload ?? ''}`;
          const t = tallies.get(key) ?? { text: tap.text, payload: tap.payload ?? null, count: 0, recipients: 0, who: new Set<string>() };
          t.count++;
          t.who.add(m.from ?? m.id);
          tallies.set(key, t);
        }
  }
  return [...tallies.values()]
    .map(({ who, ...t }) => ({ ...t, recipients: who.size }))
    .sort((a, b) => b.count - a.count || a.text.localeCompare(b.text));
}
