/**
 * The rate card's SQL: `rate_card` (category × country → price, currency, edited) and
 * `rate_card_info` (which card it is). The card shipped with Pacer is loaded the first time the
 * card is read on a database that has none (a database whose user typed rates before Pacer
 * shipped a card keeps them, as the user's own card). A database still on an older shipped card
 * that nobody edited gets the card this Pacer ships: an untouched shipped card is Pacer's, not the
 * user's, and the older one may have had no figures at all.
 */
import type { Db } from '../db/connection';
import type { RateCardInfo, RateCardOrigin, RateRow } from '../../../shared/contract/pricing';
import { SHIPPED_RATE_CARD, type ShippedRateCard } from '../../../shared/pricing/shipped-card';

export const SHIPPED_CARD: ShippedRateCard = SHIPPED_RATE_CARD;

const shippedSource = (c: ShippedRateCard) => c.source.map((s) => `${s.title} (${s.read}) — ${s.url}`).join('; ');

interface InfoRow {
  card_id: string;
  effective_from: string | null;
  source: string;
  origin: RateCardOrigin;
  updated_at: number;
}

const staleShipped = (db: Db) =>
  !!db
    .prepare(
      `SELECT 1 FROM rate_card_info WHERE id = 1 AND origin = 'shipped' AND card_id != ?
       AND NOT EXISTS (SELECT 1 FROM rate_card WHERE edited = 1)`,
    )
    .get(SHIPPED_CARD.id);

/** Loads the shipped card into an empty database (no info row yet), or over an older untouched shipped card; idempotent. */
export function ensureCard(db: Db, now: number): void {
  const info = db.prepare('SELECT 1 FROM rate_card_info WHERE id = 1').get();
  if (info && !staleShipped(db)) return;
  db.transaction(() => {
    if (staleShipped(db)) return loadShipped(db, now);
    if (db.prepare('SELECT 1 FROM rate_card_info WHERE id = 1').get()) return;
    const existing = Number(db.prepare('SELECT count(*) FROM rate_card').pluck().get());
    if (existing > 0) {
      db.prepare(
        `INSERT INTO rate_card_info (id, card_id, effective_from, source, origin, updated_at) VALUES (1, 'user', NULL, 'user', 'user', ?)`,
      ).run(now);
      return;
    }
    loadShipped(db, now);
  })();
}

function loadShipped(db: Db, now: number): void {
  const c = SHIPPED_CARD;
  db.prepare('DELETE FROM rate_card').run();
  const ins = db.prepare('INSERT INTO rate_card (category, country, price, currency, updated_at, edited) VALUES (?, ?, ?, ?, ?, 0)');
  for (const r of c.rates) ins.run(r.category, r.country, r.price, c.currency, now);
  db.prepare(
    `INSERT INTO rate_card_info (id, card_id, effective_from, source, origin, updated_at) VALUES (1, ?, ?, ?, 'shipped', ?)
    ON CONFLICT (id) DO UPDATE SET card_id = excluded.card_id, effective_from = excluded.effective_from, source = excluded.source, origin = 'shipped', updated_at = excluded.updated_at`,
  ).run(c.id, c.effective_from, shippedSource(c), now);
}

export function resetToShipped(db: Db, now: number): void {
  db.transaction(() => loadShipped(db, now))();
}

export function cardInfo(db: Db, now: number): RateCardInfo {
  ensureCard(db, now);
  const i = db.prepare('SELECT card_id, effective_from, source, origin, updated_at FROM rate_card_info WHERE id = 1').get() as InfoRow;
  const agg = db.prepare('SELECT count(*) AS n, sum(edited) AS edited, min(currency) AS cur FROM rate_card').get() as {
    n: number;
    edited: number | null;
    cur: string | null;
  };
  return {
    card_id: i.card_id,
    effective_from: i.effective_from,
    source: i.source,
    origin: i.origin,
    edited: agg.edited ?? 0,
    rates: agg.n,
    currency: agg.cur,
    updated_at: i.updated_at,
  };
}

export function rateRows(db: Db, now: number): RateRow[] {
  ensureCard(db, now);
  return (
    db.prepare('SELECT category, country, price, currency, edited FROM rate_card ORDER BY country, category').all() as (Omit<
      RateRow,
      'edited'
    > & { edited: number })[]
  ).map((r) => ({ ...r, edited: r.edited === 1 }));
}

/** Replaces every rate with an imported card (one currency). */
export function replaceCard(
  db: Db,
  card: {
    card_id: string;
    effective_from: string | null;
    source: string;
    currency: string;
    rates: { category: string; country: string; price: number }[];
  },
  now: number,
): void {
  db.transaction(() => {
    db.prepare('DELETE FROM rate_card').run();
    const ins = db.prepare('INSERT INTO rate_card (category, country, price, currency, updated_at, edited) VALUES (?, ?, ?, ?, ?, 0)');
    for (const r of card.rates) ins.run(r.category, r.country, r.price, card.currency, now);
    db.prepare(
      `INSERT INTO rate_card_info (id, card_id, effective_from, source, origin, updated_at) VALUES (1, ?, ?, ?, 'imported', ?)
      ON CONFLICT (id) DO UPDATE SET card_id = excluded.card_id, effective_from = excluded.effective_from, source = excluded.source, origin = 'imported', updated_at = excluded.updated_at`,
    ).run(card.card_id, card.effective_from, card.source, now);
  })();
}

/** Sets or removes one rate; an edit of the loaded card is marked. */
export function setRate(db: Db, r: { category: string; country: string; price: number | null; currency: string }, now: number): void {
  ensureCard(db, now);
  db.transaction(() => {
    if (r.price === null) db.prepare('DELETE FROM rate_card WHERE category = ? AND country = ?').run(r.category, r.country);
    else
      db.prepare(
        `INSERT INTO rate_card (category, country, price, currency, updated_at, edited) VALUES (?, ?, ?, ?, ?, 1)
      ON CONFLICT (category, country) DO UPDATE SET price = excluded.price, currency = excluded.currency, updated_at = excluded.updated_at, edited = 1`,
      ).run(r.category, r.country, r.price, r.currency, now);
    db.prepare('UPDATE rate_card_info SET updated_at = ? WHERE id = 1').run(now);
  })();
}

/** The card's currency for a category, if it has rates in it (a card has one currency per category). */
export function categoryCurrency(db: Db, category: string): string | null {
  return (db.prepare('SELECT currency FROM rate_card WHERE category = ? LIMIT 1').pluck().get(category) as string | undefined) ?? null;
}

/** The rate for a category in a country: its own, else the '*' (any other country) rate. */
export function lookupRate(db: Db, category: string, country: string | null): { price: number; currency: string } | null {
  return (
    (db
      .prepare(`SELECT price, currency FROM rate_card WHERE category = ? AND country IN (?, '*') ORDER BY country = '*' LIMIT 1`)
      .get(category, country ?? '*') as { price: number; currency: string } | undefined) ?? null
  );
}

/** The whole card was replaced by the user's own list (the older `rate-card:set`): it is theirs now. */
export function markUserCard(db: Db, now: number): void {
  db.prepare(
    `INSERT INTO rate_card_info (id, card_id, effective_from, source, origin, updated_at) VALUES (1, 'user', NULL, 'user', 'user', ?)
    ON CONFLICT (id) DO UPDATE SET card_id = 'user', effective_from = NULL, source = 'user', origin = 'user', updated_at = excluded.updated_at`,
  ).run(now);
}

/** Rates of a category in other markets than `country` (an edit in another currency must not mix currencies). */
export function otherRatesInCategory(db: Db, category: string, country: string): number {
  return Number(db.prepare('SELECT count(*) FROM rate_card WHERE category = ? AND country != ?').pluck().get(category, country));
}
