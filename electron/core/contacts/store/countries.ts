/** SQL: which countries the contacts' numbers are from (the phone search's calling codes, search-phone.ts). */
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { Db } from '../../db/connection';

/**
 * The distinct non-NULL countries by a loose index scan on contacts_country(country, id): one
 * index seek per country (~0.01 ms for a million contacts), where `SELECT DISTINCT country` reads
 * the whole index (~40 ms per million, more on an encrypted store) — and it runs on every
 * keystroke of a phone search.
 */
const DISTINCT_COUNTRIES = `
  WITH RECURSIVE cs(country) AS (
    SELECT min(country) FROM contacts
    UNION ALL
    SELECT (SELECT min(country) FROM contacts WHERE country > cs.country) FROM cs WHERE cs.country IS NOT NULL
  )
  SELECT country FROM cs WHERE country IS NOT NULL`;

const statements = new WeakMap<Db, Statement>();

/** The countries present among the contacts, sorted. */
export function presentCountries(db: Db): string[] {
  let statement = statements.get(db);
  if (!statement) {
    statement = db.prepare(DISTINCT_COUNTRIES).pluck();
    statements.set(db, statement);
  }
  return statement.all() as string[];
}
