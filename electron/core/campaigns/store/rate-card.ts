/** SQL for the rate card (the user's prices per category and country, for cost estimates). */
import type { Db } from '../../db/connection';
import type { RateCardEntry } from '../../../../shared/contract/campaigns';

export function rateCardEntries(db: Db): RateCardEntry[] {
  return db.prepare('SELECT category, country, price, currency FROM rate_card ORDER BY category, country').all() as RateCardEntry[];
}

/** Replaces the whole card in one transaction. */
export function replaceRateCard(db: Db, entries: RateCardEntry[], now: number): void {
  db.transaction(() => {
    db.prepare('DELETE FROM rate_card').run();
    const ins = db.prepare(
      'INSERT INTO rate_card (category, country, price, currency, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (category, country) DO UPDATE SET price = excluded.price, currency = excluded.currency',
    );
    for (const e of entries) ins.run(e.category, e.country, e.price, e.currency, now);
  })();
}
