import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';
import { SHIPPED_CARD, cardInfo, ensureCard, lookupRate, setRate } from '../../../electron/core/pricing/store';

describe('migration 0011 rate card and actual cost', () => {
  const setup = (typedRates: boolean) => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations.slice(0, 10));
    if (typedRates)
      db.prepare(`INSERT INTO rate_card (category, country, price, currency, updated_at) VALUES ('MARKETING', 'IL', 0.03, 'USD', 1)`).run();
    db.prepare(
      `INSERT INTO campaigns (id, name, state, template_name, template_language, template_category, audience, created_at, updated_at) VALUES ('c', 'c', 'running', 't', 'en_US', 'MARKETING', 'all', 1, 1)`,
    ).run();
    db.prepare(
      `INSERT INTO campaign_recipients (campaign_id, phone, phone_hash, state, updated_at) VALUES ('c', '+972501234567', 'h', 'delivered', 1)`,
    ).run();
    migrate(db, migrations.slice(0, 11));
    return db;
  };

  it('applies; old rows keep their data with the new columns empty', () => {
    const db = setup(false);
    expect(db.pragma('user_version', { simple: true })).toBe(11);
    expect(db.prepare('SELECT state, est_rate, pricing_type, cost_rate FROM campaign_recipients').get()).toEqual({
      state: 'delivered',
      est_rate: null,
      pricing_type: null,
      cost_rate: null,
    });
    expect(db.prepare('SELECT cost_card FROM campaigns').pluck().get()).toBeNull();
  });

  it('an empty database gets the shipped card; rates a user typed before stay theirs', () => {
    const fresh = setup(false);
    ensureCard(fresh, 5);
    expect(cardInfo(fresh, 5)).toMatchObject({
      card_id: SHIPPED_CARD.id,
      origin: 'shipped',
      effective_from: SHIPPED_CARD.effective_from,
      rates: SHIPPED_CARD.rates.length,
      currency: 'USD',
      edited: 0,
    });
    expect(lookupRate(fresh, 'MARKETING', 'IL')).toEqual({ price: 0.0353, currency: 'USD' });
    const typed = setup(true);
    expect(cardInfo(typed, 5)).toMatchObject({ origin: 'user', rates: 1 });
    setRate(typed, { category: 'MARKETING', country: '*', price: 0.02, currency: 'USD' }, 6);
    expect(cardInfo(typed, 6).edited).toBe(1);
    expect(lookupRate(typed, 'MARKETING', 'IL')).toEqual({ price: 0.03, currency: 'USD' });
    expect(lookupRate(typed, 'MARKETING', 'BR')).toEqual({ price: 0.02, currency: 'USD' });
    expect(lookupRate(typed, 'UTILITY', 'BR')).toBeNull();
    expect(() =>
      typed.prepare(`INSERT INTO rate_card_info (id, card_id, source, origin, updated_at) VALUES (2, 'x', 'x', 'user', 1)`).run(),
    ).toThrow();
  });
});
