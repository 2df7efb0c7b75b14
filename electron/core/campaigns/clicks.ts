/**
 * Meta's click events for marketing messages (issue #13 §4): stored once per event
 * (`click_events`), tied to the ledger row of the message they name, and counted per campaign.
 *
 * "No click data" is not "0 % clicked": Meta's click tracking is in limited availability, only for
 * marketing messages sent through the Marketing Messages API in the last 7 days, and needs the
 * webhook subscription. Until the account has sent at least one click event, a campaign's clicks are
 * `no_data` and the app says so instead of a rate.
 */
import type { CoreContext } from '../context';
import type { Db } from '../db/connection';
import type { ClickEvent } from '../webhooks/events';
import type { CampaignClicks } from '../../../shared/contract/pricing';
import { notFound } from '../errors';
import { webhooksFor } from '../webhooks/service';

export function recordClick(db: Db, ev: ClickEvent, now: number): void {
  if (ev.actionType !== 'marketing_messages_link_click') return;
  db.transaction(() => {
    const ins = db.prepare(`INSERT OR IGNORE INTO click_events (event_key, waba_id, phone_number_id, at, action_type, component, click_id, product_id, wamid, row_id, received_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)`).run(ev.key, ev.wabaId, ev.phoneNumberId, ev.timestamp, ev.actionType, ev.component, ev.clickId, ev.productId, ev.wamid, now);
    if (ins.changes === 0 || !ev.wamid) return;
    const row = db.prepare(`UPDATE campaign_recipients SET clicks = clicks + 1,
        clicked_at = CASE WHEN clicked_at IS NULL OR clicked_at > ? THEN ? ELSE clicked_at END
      WHERE wamid = ? RETURNING id`).get(ev.timestamp, ev.timestamp, ev.wamid) as { id: number } | undefined;
    if (row) db.prepare('UPDATE click_events SET row_id = ? WHERE event_key = ?').run(row.id, ev.key);
  })();
}

/** Subscribes the click handler to the webhook router; returns the unsubscribe. */
export function subscribeClicks(ctx: CoreContext): () => void {
  return webhooksFor(ctx).router.on('click', (ev) => { recordClick(ctx.db, ev, ctx.clock.now()); }, { name: 'campaign-clicks' });
}

export function hasClickData(db: Db): boolean {
  return !!db.prepare('SELECT 1 FROM click_events LIMIT 1').get();
}

export function campaignClicks(db: Db, id: string): CampaignClicks {
  const c = db.prepare('SELECT template_category FROM campaigns WHERE id = ?').get(id) as { template_category: string | null } | undefined;
  if (!c) throw notFound(`No campaign ${id}`);
  const agg = db.prepare(`SELECT sum(state IN ('delivered', 'read')) AS delivered, count(clicked_at) AS clicked, sum(clicks) AS clicks
    FROM campaign_recipients WHERE campaign_id = ?`).get(id) as { delivered: number | null; clicked: number; clicks: number | null };
  const untied = Number(db.prepare('SELECT count(*) FROM click_events WHERE row_id IS NULL').pluck().get());
  const delivered = agg.delivered ?? 0;
  const availability = (c.template_category ?? '').toUpperCase() !== 'MARKETING' ? 'not_marketing' : hasClickData(db) ? 'available' : 'no_data';
  return {
    availability,
    clicked: agg.clicked,
    clicks: agg.clicks ?? 0,
    delivered,
    click_rate: availability === 'available' && delivered > 0 ? agg.clicked / delivered : null,
    untied_account_clicks: untied,
  };
}

/** Every campaign's clicks in one query (the campaign list's column). */
export function clickRates(db: Db): Record<string, Omit<CampaignClicks, 'untied_account_clicks' | 'clicks'>> {
  const any = hasClickData(db);
  const rows = db.prepare(`SELECT c.id, c.template_category AS cat, sum(r.state IN ('delivered', 'read')) AS delivered, count(r.clicked_at) AS clicked
    FROM campaigns c LEFT JOIN campaign_recipients r ON r.campaign_id = c.id GROUP BY c.id`).all() as { id: string; cat: string | null; delivered: number | null; clicked: number }[];
  const out: Record<string, Omit<CampaignClicks, 'untied_account_clicks' | 'clicks'>> = {};
  for (const r of rows) {
    const availability = (r.cat ?? '').toUpperCase() !== 'MARKETING' ? 'not_marketing' : any ? 'available' : 'no_data';
    const delivered = r.delivered ?? 0;
    out[r.id] = { availability, clicked: r.clicked, delivered, click_rate: availability === 'available' && delivered > 0 ? r.clicked / delivered : null };
  }
  return out;
}
