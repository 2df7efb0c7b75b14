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
import {
  allClickCounts,
  campaignClickCounts,
  hasClickEvents,
  insertClickEvent,
  templateCategoryOf,
  tieClick,
  untiedClickEvents,
} from './store/pricing';
import type { WebhookRouter } from '../webhooks/router';

export function recordClick(db: Db, ev: ClickEvent, now: number): void {
  if (ev.actionType !== 'marketing_messages_link_click') return;
  db.transaction(() => {
    const fresh = insertClickEvent(
      db,
      {
        key: ev.key,
        wabaId: ev.wabaId,
        phoneNumberId: ev.phoneNumberId,
        at: ev.timestamp,
        actionType: ev.actionType,
        component: ev.component,
        clickId: ev.clickId,
        productId: ev.productId,
        wamid: ev.wamid,
      },
      now,
    );
    if (fresh && ev.wamid) tieClick(db, ev.key, ev.wamid, ev.timestamp);
  })();
}

/** Subscribes the click handler to the webhook router; returns the unsubscribe. */
export function subscribeClicks(ctx: CoreContext, router: WebhookRouter): () => void {
  return router.on(
    'click',
    (ev) => {
      recordClick(ctx.db, ev, ctx.clock.now());
    },
    { name: 'campaign-clicks' },
  );
}

export const hasClickData = (db: Db): boolean => hasClickEvents(db);

export function campaignClicks(db: Db, id: string): CampaignClicks {
  const c = templateCategoryOf(db, id);
  if (!c) throw notFound(`No campaign ${id}`);
  const agg = campaignClickCounts(db, id);
  const untied = untiedClickEvents(db);
  const delivered = agg.delivered ?? 0;
  const availability =
    (c.template_category ?? '').toUpperCase() !== 'MARKETING' ? 'not_marketing' : hasClickData(db) ? 'available' : 'no_data';
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
  const rows = allClickCounts(db);
  const out: Record<string, Omit<CampaignClicks, 'untied_account_clicks' | 'clicks'>> = {};
  for (const r of rows) {
    const availability = (r.cat ?? '').toUpperCase() !== 'MARKETING' ? 'not_marketing' : any ? 'available' : 'no_data';
    const delivered = r.delivered ?? 0;
    out[r.id] = {
      availability,
      clicked: r.clicked,
      delivered,
      click_rate: availability === 'available' && delivered > 0 ? r.clicked / delivered : null,
    };
  }
  return out;
}
