/**
 * Phone searches match a number's national forms at query time (search.ts indexes only its E.164
 * digits and reversed digits).
 *
 * Why: every indexed form is a unique FTS5 term, and a big import writes the index in its own
 * transaction — each extra form per number cost ~1.3–2 s per million contacts. The national
 * number (nsn) and its trunk form ('0' + nsn) were two such forms. They are prefixes of the E.164
 * digits once the calling code is put in front: "nsn starts with D" is "digits start with cc + D",
 * and "'0' + nsn starts with D" (D = '0' + rest) is "digits start with cc + rest". So the query
 * asks those prefixes for each calling code of the countries present among the contacts.
 */
import { getCountryCallingCode, type CountryCode } from 'libphonenumber-js/max';
import type { Db } from '../db/connection';
import { presentCountries } from './store/countries';

interface Cached {
  /** The country list the codes were made from (read again on each search, cheaply: contacts come and go). */
  countries: string;
  codes: string[];
}
const perStore = new WeakMap<Db, Cached>();

/** The calling codes of the countries present among the contacts, each once (US and CA share 1). */
export function storeCallingCodes(db: Db): string[] {
  const countries = presentCountries(db).join(',');
  const cached = perStore.get(db);
  if (cached?.countries === countries) return cached.codes;
  const codes = new Set<string>();
  for (const country of countries ? countries.split(',') : []) {
    try {
      codes.add(getCountryCallingCode(country as CountryCode));
    } catch {
      // Not a country libphonenumber knows: its contacts never had national forms indexed either.
    }
  }
  const fresh = { countries, codes: [...codes].sort() };
  perStore.set(db, fresh);
  return fresh.codes;
}

const E164_MAX_DIGITS = 15;

/**
 * The E.164-digit prefixes that stand for the national forms of a typed number D: cc + D (D is a
 * national number's start) and, when D starts with '0', cc + D without it (D is the trunk form,
 * '0' + nsn). Both when D starts with '0': some countries' national numbers do too (Côte d'Ivoire's 07…).
 */
export function nationalPrefixes(digits: string, codes: readonly string[]): string[] {
  const out = new Set<string>();
  for (const cc of codes) {
    out.add(cc + digits);
    if (digits.startsWith('0')) out.add(cc + digits.slice(1));
  }
  // E.164 numbers have at most 15 digits: a longer prefix matches nothing (a full number typed).
  return [...out].filter((p) => p.length <= E164_MAX_DIGITS);
}
