/**
 * SQL of the cost and click figures of a campaign (costs.ts, clicks.ts): the estimate taken at
 * start, Meta's pricing object per ledger row, click events and their ledger rows.
 */
import type { Db } from '../../db/connection';

/** Each pending row's rate for the category in its market ('*' = any other) at this moment. */
/** A ledger row's estimate and actual pricing (campaigns/costs.ts reconciles them). */
export interface CostRow {
  state: string;
  est_category: string | null;
  est_rate: number | null;
  est_currency: string | null;
  pricing_billable: number | null;
  pricing_category: string | null;
  pricing_type: string | null;
  cost_rate: number | null;
  cost_currency: string | null;
}

export function writeEstimate(db: Db, campaignId: string, category: string, card: string): void {
  db.prepare(
    `UPDATE campaign_recipients SET est_category = ?,
      est_rate = (SELECT k.price FROM rate_card k WHERE k.category = ? AND k.country IN (coalesce(campaign_recipients.country, '*'), '*') ORDER BY k.country = '*' LIMIT 1),
      est_currency = (SELECT k.currency FROM rate_card k WHERE k.category = ? AND k.country IN (coalesce(campaign_recipients.country, '*'), '*') ORDER BY k.country = '*' LIMIT 1)
    WHERE campaign_id = ? AND state = 'pending'`,
  ).run(category, category, category, campaignId);
  db.prepare('UPDATE campaigns SET cost_card = ? WHERE id = ?').run(card, campaignId);
}

export function pricingOfRow(
  db: Db,
  rowId: number,
): { country: string | null; pricing_type: string | null; pricing_billable: number | null; pricing_category: string | null } | null {
  return (
    (db.prepare('SELECT country, pricing_type, pricing_billable, pricing_category FROM campaign_recipients WHERE id = ?').get(rowId) as
      | { country: string | null; pricing_type: string | null; pricing_billable: number | null; pricing_category: string | null }
      | undefined) ?? null
  );
}

export function writePricing(
  db: Db,
  rowId: number,
  p: {
    billable: number | null;
    model: string | null;
    category: string | null;
    type: string | null;
    at: number;
    rate: number | null;
    currency: string | null;
  },
): void {
  db.prepare(
    `UPDATE campaign_recipients SET pricing_billable = ?, pricing_model = ?, pricing_category = ?, pricing_type = ?, priced_at = ?, cost_rate = ?, cost_currency = ? WHERE id = ?`,
  ).run(p.billable, p.model, p.category, p.type, p.at, p.rate, p.currency, rowId);
}

/** The card the start-time estimate used (JSON), or undefined when there is no such campaign. */
export function costCardOf(db: Db, id: string): { cost_card: string | null } | undefined {
  return db.prepare('SELECT cost_card FROM campaigns WHERE id = ?').get(id) as { cost_card: string | null } | undefined;
}

export function costRows(db: Db, id: string): CostRow[] {
  return db
    .prepare(
      `SELECT state, est_category, est_rate, est_currency, pricing_billable, pricing_category, pricing_type, cost_rate, cost_currency
    FROM campaign_recipients WHERE campaign_id = ?`,
    )
    .all(id) as CostRow[];
}

// ---- clicks ----------------------------------------------------------------------------------

export interface ClickRecord {
  key: string;
  wabaId: string;
  phoneNumberId: string | null;
  at: number;
  actionType: string;
  component: string | null;
  clickId: string | null;
  productId: string | null;
  wamid: string | null;
}

/** Stores a click event once; true when it was new. */
export function insertClickEvent(db: Db, c: ClickRecord, now: number): boolean {
  return (
    db
      .prepare(
        `INSERT OR IGNORE INTO click_events (event_key, waba_id, phone_number_id, at, action_type, component, click_id, product_id, wamid, row_id, received_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)`,
      )
      .run(c.key, c.wabaId, c.phoneNumberId, c.at, c.actionType, c.component, c.clickId, c.productId, c.wamid, now).changes > 0
  );
}

/** Counts the click on the ledger row of its message (first time kept) and links the event to it. */
export function tieClick(db: Db, key: string, wamid: string, at: number): void {
  const row = db
    .prepare(
      `UPDATE campaign_recipients SET clicks = clicks + 1,
      clicked_at = CASE WHEN clicked_at IS NULL OR clicked_at > ? THEN ? ELSE clicked_at END
    WHERE wamid = ? RETURNING id`,
    )
    .get(at, at, wamid) as { id: number } | undefined;
  if (row) db.prepare('UPDATE click_events SET row_id = ? WHERE event_key = ?').run(row.id, key);
}

export const hasClickEvents = (db: Db): boolean => !!db.prepare('SELECT 1 FROM click_events LIMIT 1').get();
export const untiedClickEvents = (db: Db): number =>
  Number(db.prepare('SELECT count(*) FROM click_events WHERE row_id IS NULL').pluck().get());

export function templateCategoryOf(db: Db, id: string): { template_category: string | null } | undefined {
  return db.prepare('SELECT template_category FROM campaigns WHERE id = ?').get(id) as { template_category: string | null } | undefined;
}

export function campaignClickCounts(db: Db, id: string): { delivered: number | null; clicked: number; clicks: number | null } {
  return db
    .prepare(
      `SELECT sum(state IN ('delivered', 'read')) AS delivered, count(clicked_at) AS clicked, sum(clicks) AS clicks
    FROM campaign_recipients WHERE campaign_id = ?`,
    )
    .get(id) as { delivered: number | null; clicked: number; clicks: number | null };
}

export function allClickCounts(db: Db): { id: string; cat: string | null; delivered: number | null; clicked: number }[] {
  return db
    .prepare(
      `SELECT c.id, c.template_category AS cat, sum(r.state IN ('delivered', 'read')) AS delivered, count(r.clicked_at) AS clicked
    FROM campaigns c LEFT JOIN campaign_recipients r ON r.campaign_id = c.id GROUP BY c.id`,
    )
    .all() as { id: string; cat: string | null; delivered: number | null; clicked: number }[];
}
