import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';
import { campaignClicks, recordClick } from '../../../electron/core/campaigns/clicks';
import type { ClickEvent } from '../../../electron/core/webhooks/events';

describe('migration 0012 click events', () => {
  const setup = () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations.slice(0, 11));
    db.prepare(
      `INSERT INTO campaigns (id, name, state, template_name, template_language, template_category, audience, created_at, updated_at) VALUES ('c', 'c', 'completed', 't', 'en_US', 'MARKETING', 'all', 1, 1)`,
    ).run();
    db.prepare(
      `INSERT INTO campaign_recipients (campaign_id, phone, phone_hash, state, wamid, updated_at) VALUES ('c', '+972501234567', 'h', 'read', 'wamid.A', 1)`,
    ).run();
    migrate(db, migrations.slice(0, 12));
    return db;
  };
  const click = (key: string, at: number, wamid: string | null): ClickEvent => ({
    type: 'click',
    key,
    actionType: 'marketing_messages_link_click',
    timestamp: at,
    component: 'cta',
    clickId: key,
    productId: null,
    trackingToken: null,
    wamid,
    recipientId: null,
    wabaId: 'W',
    phoneNumberId: 'P',
    displayPhoneNumber: null,
  });

  it('applies; no click data is "no data", not 0 %', () => {
    const db = setup();
    expect(db.pragma('user_version', { simple: true })).toBe(12);
    expect(campaignClicks(db, 'c')).toMatchObject({ availability: 'no_data', clicked: 0, click_rate: null });
  });

  it('a click is counted once (Meta retries), the first time is kept, an untied click counts for the account', () => {
    const db = setup();
    recordClick(db, click('k1', 5000, 'wamid.A'), 9);
    recordClick(db, click('k1', 5000, 'wamid.A'), 9);
    recordClick(db, click('k2', 3000, 'wamid.A'), 9);
    recordClick(db, click('k3', 3000, null), 9);
    expect(db.prepare('SELECT clicked_at, clicks FROM campaign_recipients').get()).toEqual({ clicked_at: 3000, clicks: 2 });
    expect(campaignClicks(db, 'c')).toMatchObject({
      availability: 'available',
      clicked: 1,
      clicks: 2,
      delivered: 1,
      click_rate: 1,
      untied_account_clicks: 1,
    });
    db.prepare(`UPDATE campaigns SET template_category = 'UTILITY'`).run();
    expect(campaignClicks(db, 'c').availability).toBe('not_marketing');
  });
});
