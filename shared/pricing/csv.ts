/**
 * Reads Meta's published rate card CSV (one file per currency, from the pricing page) into rate
 * card entries. Pure: the core and tests call it; nothing here reads files.
 *
 * Accepted layout (docs/whatsapp.md "Rate card"):
 * - any lines before the header row are a preamble (title, "Effective 2026-10-01", "Currency: USD");
 *   a YYYY-MM-DD date and a 3-letter currency code found there are taken as the card's;
 * - the header row has a market column ("Market", "Country", "Market name", "Country/Region") and
 *   one or more category columns: Marketing, Utility, Authentication, Authentication-International
 *   (also "Authentication International", "authentication_international"), Service; optional
 *   "Currency" and "Effective date" columns; other columns are ignored;
 * - a market is an ISO 3166 alpha-2 code or an English country name; "Other" / "Rest of World" is
 *   the rate for every other country ('*'). Meta's regional rows ("North America", "Rest of Africa",
 *   …) price each country of the region (meta-regions.ts) that has no row of its own in the file —
 *   a country's own row wins wherever it stands; a "Rest of …" row Pacer has no member list for is
 *   reported and skipped;
 * - a price is a decimal number ("0.0250", "$0.025", "0,025"); an empty cell, "n/a", "-" means the
 *   category has no rate in that market.
 */
import { PRICING_CATEGORIES, type PricingCategory } from './categories';
import { META_REGIONS } from './meta-regions';
import { getCountries } from 'libphonenumber-js/min';

const PHONE_COUNTRIES: ReadonlySet<string> = new Set(getCountries());

export interface CsvRate {
  category: PricingCategory;
  country: string;
  price: number;
}
export type CsvSkipCode = 'unknown_market' | 'region_market' | 'bad_price' | 'mixed_currency';
export interface CsvSkip {
  line: number;
  code: CsvSkipCode;
  params: Record<string, string>;
}
export interface CsvRateCard {
  rates: CsvRate[];
  currency: string | null;
  effective_from: string | null;
  skipped: CsvSkip[];
  /** Markets read (distinct countries incl. '*'). */
  markets: number;
}

export class RateCardCsvError extends Error {
  constructor(
    readonly code: 'no_header' | 'no_rates',
    message: string,
  ) {
    super(message);
  }
}

/** RFC 4180 rows (quoted fields, doubled quotes, CRLF); the delimiter is ',' or ';' (whichever the header uses). */
export function csvRows(text: string): string[][] {
  const src = text.replace(/^\uFEFF/, '');
  const firstLine = src.split(/\r?\n/, 1)[0] ?? '';
  const delim = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delim) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const norm = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

const CATEGORY_HEADERS: Record<string, PricingCategory> = {
  marketing: 'MARKETING',
  utility: 'UTILITY',
  authentication: 'AUTHENTICATION',
  'authentication international': 'AUTHENTICATION_INTERNATIONAL',
  'auth international': 'AUTHENTICATION_INTERNATIONAL',
  'authentication intl': 'AUTHENTICATION_INTERNATIONAL',
  service: 'SERVICE',
};
const MARKET_HEADERS = new Set(['market', 'country', 'market name', 'country region', 'country name', 'countries']);
const OTHER_MARKETS = new Set(['other', 'others', 'rest of world', 'rest of the world', 'all other countries', 'other countries']);
const ALIASES: Record<string, string> = {
  turkey: 'TR',
  russia: 'RU',
  vietnam: 'VN',
  'south korea': 'KR',
  korea: 'KR',
  uae: 'AE',
  'united states of america': 'US',
  usa: 'US',
  'czech republic': 'CZ',
  'ivory coast': 'CI',
  'cote d ivoire': 'CI',
  'north macedonia': 'MK',
  'hong kong': 'HK',
  macau: 'MO',
  macao: 'MO',
  taiwan: 'TW',
  'korea south': 'KR',
  'korea republic of': 'KR',
  'united kingdom': 'GB',
  uk: 'GB',
  laos: 'LA',
  'dr congo': 'CD',
  'democratic republic of the congo': 'CD',
  'republic of the congo': 'CG',
  palestine: 'PS',
  syria: 'SY',
  iran: 'IR',
  'cape verde': 'CV',
  eswatini: 'SZ',
  swaziland: 'SZ',
  myanmar: 'MM',
  burma: 'MM',
};

let names: Map<string, string> | null = null;
function countryNames(): Map<string, string> {
  if (names) return names;
  names = new Map();
  const dn = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
  const A = 'A'.charCodeAt(0);
  for (let i = 0; i < 26; i++)
    for (let j = 0; j < 26; j++) {
      const code = String.fromCharCode(A + i, A + j);
      const name = dn.of(code);
      // ICU names unassigned codes "Unknown Region": those are not markets. ICU also names withdrawn
      // codes like the country that replaced them (FX "France", SU "Russia", YU "Serbia", HV "Burkina
      // Faso"): the code a phone number can have wins, so "France" is FR.
      if (!name || name === code || norm(name) === 'unknown region') continue;
      const had = names.get(norm(name));
      if (had && PHONE_COUNTRIES.has(had) && !PHONE_COUNTRIES.has(code)) continue;
      names.set(norm(name), code);
    }
  for (const [k, v] of Object.entries(ALIASES)) names.set(k, v);
  return names;
}

let codeSet: Set<string> | null = null;
const codes = () => (codeSet ??= new Set(countryNames().values()));

let regions: Map<string, string[]> | null = null;
/** Meta's regional markets by normalised name → the ISO codes of their countries. */
function regionMap(): Map<string, string[]> {
  if (regions) return regions;
  regions = new Map();
  for (const [name, members] of Object.entries(META_REGIONS)) {
    const iso = members.map((m) => countryNames().get(norm(m)));
    // A member name the country mapping cannot read is a defect of meta-regions.ts (its test says which).
    regions.set(
      norm(name),
      iso.filter((c): c is string => !!c),
    );
  }
  return regions;
}

/** ISO code for a market cell, '*' for "Other", 'region' for one of Meta's regional groups, null if unknown. */
export function marketCode(cell: string): string | 'region' | null {
  const raw = cell.trim();
  if (/^[A-Za-z]{2}$/.test(raw)) {
    const up = raw.toUpperCase();
    return codes().has(up) ? up : null;
  }
  const n = norm(raw);
  if (!n) return null;
  if (OTHER_MARKETS.has(n)) return '*';
  if (n.startsWith('rest of ') || regionMap().has(n)) return 'region';
  return countryNames().get(n) ?? null;
}

/** The ISO codes of the countries a regional market cell covers; null when Pacer has no member list for it. */
export function regionCountries(cell: string): readonly string[] | null {
  return regionMap().get(norm(cell)) ?? null;
}

function price(cell: string): number | null | 'bad' {
  const s = cell
    .trim()
    .replace(/^[A-Z]{3}\s*/, '')
    .replace(/^[$€£₹]/, '')
    .trim();
  if (s === '' || /^(n\/?a|-|–|—|none)$/i.test(s)) return null;
  const v = Number(s.replace(/,/g, '.').replace(/\s/g, ''));
  return Number.isFinite(v) && v >= 0 && v < 1000 ? v : 'bad';
}

export function parseRateCardCsv(text: string): CsvRateCard {
  const rows = csvRows(text);
  let headerAt = -1;
  let marketCol = -1;
  for (let i = 0; i < rows.length && headerAt < 0; i++) {
    const cells = rows[i]!.map(norm);
    const m = cells.findIndex((c) => MARKET_HEADERS.has(c));
    if (m >= 0 && cells.some((c) => c in CATEGORY_HEADERS)) {
      headerAt = i;
      marketCol = m;
    }
  }
  if (headerAt < 0)
    throw new RateCardCsvError(
      'no_header',
      'no header row with a Market column and a category column (Marketing, Utility, Authentication, Authentication-International, Service)',
    );
  const header = rows[headerAt]!.map(norm);
  const catCols = header.flatMap((h, i) => (h in CATEGORY_HEADERS ? [{ i, cat: CATEGORY_HEADERS[h]! }] : []));
  const currencyCol = header.findIndex((h) => h === 'currency');
  const dateCol = header.findIndex((h) => h.startsWith('effective'));
  let currency: string | null = null;
  let effective: string | null = null;
  for (const pre of rows.slice(0, headerAt)) {
    const line = pre.join(' ');
    effective ??= /\b(20\d\d-[01]\d-[0-3]\d)\b/.exec(line)?.[1] ?? null;
    currency ??= /\bcurrency\b\W*([A-Z]{3})\b/i.exec(line)?.[1]?.toUpperCase() ?? null;
  }
  const rates: CsvRate[] = [];
  const skipped: CsvSkip[] = [];
  const markets = new Set<string>();
  const seen = new Map<string, number>();
  /** Regional rows, applied after the file's own country rows (which win). */
  const regional: { cat: PricingCategory; countries: readonly string[]; price: number }[] = [];
  for (let i = headerAt + 1; i < rows.length; i++) {
    const r = rows[i]!;
    const line = i + 1;
    const cell = (r[marketCol] ?? '').trim();
    if (!cell || r.every((c) => !c.trim())) continue;
    const code = marketCode(cell);
    const members = code === 'region' ? regionCountries(cell) : null;
    if (code === 'region' && !members) {
      skipped.push({ line, code: 'region_market', params: { market: cell } });
      continue;
    }
    if (!code) {
      skipped.push({ line, code: 'unknown_market', params: { market: cell } });
      continue;
    }
    if (currencyCol >= 0 && r[currencyCol]?.trim()) {
      const c = r[currencyCol]!.trim().toUpperCase();
      if (currency && c !== currency) {
        skipped.push({ line, code: 'mixed_currency', params: { market: cell, currency: c, card: currency } });
        continue;
      }
      currency = c;
    }
    if (dateCol >= 0) effective ??= /(20\d\d-[01]\d-[0-3]\d)/.exec(r[dateCol] ?? '')?.[1] ?? null;
    for (const { i: col, cat } of catCols) {
      const p = price(r[col] ?? '');
      if (p === null) continue;
      if (p === 'bad') {
        skipped.push({ line, code: 'bad_price', params: { market: cell, category: cat, value: (r[col] ?? '').trim() } });
        continue;
      }
      if (members) {
        regional.push({ cat, countries: members, price: p });
        continue;
      }
      const key = `${cat}|${code}`;
      const at = seen.get(key);
      if (at !== undefined) rates[at] = { category: cat, country: code, price: p };
      else {
        seen.set(key, rates.length);
        rates.push({ category: cat, country: code, price: p });
      }
      markets.add(code);
    }
  }
  for (const { cat, countries, price: p } of regional)
    for (const country of countries) {
      const key = `${cat}|${country}`;
      if (seen.has(key)) continue;
      seen.set(key, rates.length);
      rates.push({ category: cat, country, price: p });
      markets.add(country);
    }
  if (!rates.length) throw new RateCardCsvError('no_rates', 'the file has a header but no rate could be read');
  return { rates, currency, effective_from: effective, skipped, markets: markets.size };
}

export { PRICING_CATEGORIES };
