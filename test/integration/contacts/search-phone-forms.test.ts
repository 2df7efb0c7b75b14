/**
 * Phone search with two indexed forms (E.164 digits, reversed digits) and the national forms asked
 * at query time (contacts/search-phone.ts) finds exactly what the old four-form index found (digits,
 * reversed, national number, '0' + national number) — on real stores, for random valid IL / TW / GB /
 * US / CA / CI mobiles and fragments of their E.164, national and trunk forms and of their ends
 * (fast-check, fixed seed). A store indexed with the old four forms (no migration, no reindex) is
 * searched correctly by the new query too.
 */
import fc from 'fast-check';
import { getCountryCallingCode, type CountryCode } from 'libphonenumber-js/max';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../electron/core/db/connection';
import type { Core } from '../../../electron/core/index';
import { normalizePhone } from '../../../electron/core/contacts/phone';
import { searchClause } from '../../../electron/core/contacts/search';
import { nationalPrefixes, storeCallingCodes } from '../../../electron/core/contacts/search-phone';
import { insertBareContact } from '../../../electron/core/contacts/store/contacts';
import { ok, testCore } from './helpers';

/** The forms the index held before (search.ts phoneForms until 2026-12): the old stores' words. */
function oldPhoneForms(e164: string, country: string | null): string[] {
  const digits = e164.replace(/\D/g, '');
  const forms = [digits, 'r' + [...digits].reverse().join('')];
  const cc = country ? getCountryCallingCode(country as CountryCode) : '';
  if (cc && digits.startsWith(cc)) forms.push(digits.slice(cc.length), '0' + digits.slice(cc.length));
  return forms;
}

/** What the old index + query ("D"* OR "r<reversed D>"*) matched, as a plain predicate. */
function oldSemantics(e164: string, country: string, d: string): boolean {
  const digits = e164.slice(1);
  const nsn = digits.slice(getCountryCallingCode(country as CountryCode).length);
  return digits.startsWith(d) || nsn.startsWith(d) || ('0' + nsn).startsWith(d) || digits.endsWith(d);
}

const digitsOf = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''));
// Allocated mobile ranges (libphonenumber's full metadata rejects unallocated ones).
const candidate = fc.oneof(
  fc.tuple(fc.constantFrom('50', '52', '53', '54', '58'), digitsOf(7)).map(([p, r]) => `+972${p}${r}`),
  fc.tuple(fc.integer({ min: 0, max: 8 }), digitsOf(7)).map(([p, r]) => `+8869${p}${r}`),
  fc.tuple(fc.constantFrom('7700', '7711', '7800', '7900', '7400', '7500'), digitsOf(6)).map(([p, r]) => `+44${p}${r}`),
  fc
    .tuple(fc.constantFrom('201', '212', '415', '646', '917'), fc.integer({ min: 200, max: 999 }), digitsOf(4))
    .map(([a, x, r]) => `+1${a}${x}${r}`),
  // Côte d'Ivoire: national numbers that start with 0 themselves (a typed "07…" may be one, or a trunk form).
  fc.tuple(fc.constantFrom('01', '05', '07'), digitsOf(8)).map(([p, r]) => `+225${p}${r}`),
  // Canada shares +1 with the US: its code is asked once.
  fc.tuple(fc.constantFrom('416', '604', '514'), fc.integer({ min: 200, max: 999 }), digitsOf(4)).map(([a, x, r]) => `+1${a}${x}${r}`),
);

interface Person {
  id: number;
  e164: string;
  country: string;
}

function people(): Person[] {
  const seen = new Set<string>();
  const out: Person[] = [];
  for (const raw of fc.sample(candidate, { seed: 20261205, numRuns: 400 })) {
    const r = normalizePhone(raw, 'IL');
    if (!r.ok || !r.country || seen.has(r.e164)) continue;
    seen.add(r.e164);
    out.push({ id: 0, e164: r.e164, country: r.country });
  }
  return out;
}

const PEOPLE = people();
let fresh: Core; // indexed by today's indexer (two forms)
let legacy: Core; // indexed with the old four forms, written straight into contacts_fts

function addAll(db: Db): number[] {
  return PEOPLE.map((p) => insertBareContact(db, p.e164, p.country, 1));
}

beforeAll(() => {
  fresh = testCore();
  legacy = testCore();
  const ids = addAll(fresh.db);
  expect(addAll(legacy.db)).toEqual(ids);
  PEOPLE.forEach((p, i) => (p.id = ids[i]!));
  fresh.services.contacts.indexer.catchUpNow();
  const insert = legacy.db.prepare('INSERT INTO contacts_fts (rowid, text) VALUES (?, ?)');
  legacy.db.transaction(() => {
    for (const p of PEOPLE) insert.run(p.id, oldPhoneForms(p.e164, p.country).join(' '));
    legacy.db.prepare("UPDATE app_meta SET value = ? WHERE key = 'contacts.fts_upto'").run(String(Math.max(...ids)));
  })();
});
afterAll(() => {
  fresh.close();
  legacy.close();
});

/** Ids a phone-like search finds through searchClause (no exact-number shortcut, index only). */
function found(db: Db, q: string): number[] {
  const s = searchClause(db, q, null)!;
  // Fully indexed: the word index alone answers (no scan fallback hiding a miss).
  expect(s.ftsOnly).toBeDefined();
  return (
    db
      .prepare(`SELECT c.id FROM contacts c WHERE ${s.sql} ORDER BY c.id`)
      .pluck()
      .all(...s.params) as number[]
  ).sort((a, b) => a - b);
}

/** The old index answering the old query. */
function foundOld(q: string): number[] {
  const d = q.replace(/\D/g, '');
  const rev = [...d].reverse().join('');
  return (
    legacy.db
      .prepare('SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ? ORDER BY rowid')
      .pluck()
      .all(`("${d}"* OR "r${rev}"*)`) as number[]
  ).sort((a, b) => a - b);
}

describe('phone search with two indexed forms', () => {
  it('covers several countries, with the +1 code once', () => {
    // Jersey shares +44 with Great Britain, Canada +1 with the US.
    expect(new Set(PEOPLE.map((p) => p.country))).toEqual(new Set(['IL', 'TW', 'GB', 'JE', 'US', 'CA', 'CI']));
    expect(PEOPLE.length).toBeGreaterThan(300);
    expect(storeCallingCodes(fresh.db)).toEqual(['1', '225', '44', '886', '972']);
    // Each number is indexed under two words only (the old store: four).
    const phoneWords = (db: Db) => {
      db.exec('CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_words USING fts5vocab(main, contacts_fts, row)');
      return db.prepare("SELECT count(*) FROM temp.fts_words WHERE term GLOB '[0-9r]*'").pluck().get();
    };
    expect(phoneWords(fresh.db)).toBe(2 * PEOPLE.length);
    expect(phoneWords(legacy.db)).toBe(4 * PEOPLE.length);
  });

  it('finds what the four-form index found, for fragments of every form of a number', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: PEOPLE.length - 1 }),
        fc.constantFrom('e164', 'national', 'trunk', 'end', 'random'),
        fc.integer({ min: 3, max: 15 }),
        fc.boolean(),
        digitsOf(6),
        (i, kind, len, spaced, random) => {
          const p = PEOPLE[i]!;
          const digits = p.e164.slice(1);
          const nsn = digits.slice(getCountryCallingCode(p.country as CountryCode).length);
          const d =
            kind === 'e164'
              ? digits.slice(0, len)
              : kind === 'national'
                ? nsn.slice(0, len)
                : kind === 'trunk'
                  ? ('0' + nsn).slice(0, len)
                  : kind === 'end'
                    ? digits.slice(-Math.min(len, 7))
                    : random.slice(0, Math.min(len, 6));
          if (d.length < 3) return;
          // Typed with a space or a dash now and then: the search reads the digits.
          const q = spaced ? `${d.slice(0, 2)} ${d.slice(2, 4)}-${d.slice(4)}` : d;
          const oracle = PEOPLE.filter((o) => oldSemantics(o.e164, o.country, d)).map((o) => o.id);
          const old = foundOld(q);
          expect(old).toEqual(oracle);
          expect(found(fresh.db, q)).toEqual(old);
          // The old store, asked the new query: the same contacts (no migration, no reindex).
          expect(found(legacy.db, q)).toEqual(old);
          if (kind !== 'random') expect(old).toContain(p.id);
        },
      ),
      { seed: 20261205, numRuns: 400 },
    );
  });

  it('finds a contact indexed with the old four forms by its national and trunk forms', async () => {
    const il = PEOPLE.find((p) => p.country === 'IL')!;
    const nsn = il.e164.slice(4);
    const words = legacy.db.prepare('SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?').pluck();
    expect(words.all(`"${nsn}"`)).toContain(il.id); // the old store really holds the national word
    expect(found(legacy.db, '0' + nsn)).toContain(il.id);
    expect(found(legacy.db, nsn.slice(0, 6))).toContain(il.id);
    // Through the contract as well (the exact-number shortcut aside, the 6-digit start is the index's).
    const page = await ok(legacy.call('contacts:query', { search: '0' + nsn.slice(0, 5), limit: 500 }));
    expect(page.rows.map((r) => r.id)).toContain(il.id);
  });

  it('asks a bounded, deduplicated set of words', () => {
    expect(nationalPrefixes('050123', ['1', '972'])).toEqual(['1050123', '150123', '972050123', '97250123']);
    expect(nationalPrefixes('50123', ['1', '972'])).toEqual(['150123', '97250123']);
    // A whole number typed: prefixes longer than E.164's 15 digits could match nothing.
    expect(nationalPrefixes('97250123456', ['1', '225', '972'])).toEqual(['197250123456', '22597250123456', '97297250123456']);
    expect(nationalPrefixes('9725012345678', ['1', '225', '972'])).toEqual(['19725012345678']);
    const s = searchClause(fresh.db, '052-98', null)!;
    expect(s.ftsOnly).toBe(
      '("05298"* OR "105298"* OR "15298"* OR "22505298"* OR "2255298"* OR "4405298"* OR "445298"* OR "88605298"* OR "8865298"* OR "97205298"* OR "9725298"* OR "r89250"*)',
    );
  });

  it('asks the calling code of a country that appears later, without a restart', () => {
    const db = fresh.db;
    const de = normalizePhone('+49 1512 3456789', 'IL');
    if (!de.ok) throw new Error(de.reason);
    const id = insertBareContact(db, de.e164, de.country, 2);
    fresh.services.contacts.indexer.catchUpNow();
    expect(storeCallingCodes(db)).toEqual(['1', '225', '44', '49', '886', '972']);
    expect(found(db, '01512 345')).toEqual([id]);
    db.prepare('DELETE FROM contacts WHERE id = ?').run(id);
    expect(storeCallingCodes(db)).toEqual(['1', '225', '44', '886', '972']);
  });
});
