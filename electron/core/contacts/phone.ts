/**
 * Phone numbers → E.164, mobile only.
 *
 * Semantics on top of libphonenumber-js (max metadata):
 * - "00" before a country code means "+" whatever the default country's own exit code is.
 * - International numbers written without "+" ("972541234567", or an Excel cell that lost its
 *   "+", even in scientific notation "9.72541234567E+11") are tried after the national reading.
 * - "+49 (0)160 …" works (libphonenumber strips the national prefix after the country code).
 * - Several numbers in one cell (" ::: ", ";", ",", "/", newline) are candidates; the first MOBILE
 *   one wins.
 *
 * Speed: libphonenumber-js compiles its regular expressions on every call (~10 µs a number); a
 * million-row import cannot afford that. `fastMobile` replicates, with precompiled patterns, exactly
 * the steps libphonenumber takes for the common simple shapes (a "+CC…" number, or a national number
 * of a country whose national prefix is a plain digit string) and answers only when the result is a
 * valid MOBILE (or FIXED_LINE_OR_MOBILE) number; everything else (and every rejection, so its reason
 * is libphonenumber's) goes through libphonenumber itself. A property test checks both agree.
 */
import { Metadata, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

export type PhoneResult =
  { ok: true; e164: string; country: string | null } | { ok: false; code: 'no_phone' | 'invalid_phone' | 'not_mobile'; reason: string };

const MOBILE_TYPES = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE']);
const OTHER_TYPES = ['PREMIUM_RATE', 'TOLL_FREE', 'SHARED_COST', 'VOIP', 'PERSONAL_NUMBER', 'PAGER', 'UAN', 'VOICEMAIL'] as const;

// The parts of libphonenumber-js's Metadata we read (its public typings declare only a few).
interface TypeDef {
  pattern(): string;
  possibleLengths(): number[] | undefined;
}
interface NumberingPlan {
  callingCode(): string;
  leadingDigits(): string | undefined;
  nationalNumberPattern(): string;
  nationalPrefix(): string | undefined;
  _nationalPrefixForParsing(): string | undefined;
  nationalPrefixForParsing(): string | undefined;
  nationalPrefixTransformRule(): string | undefined;
  IDDPrefix(): string | undefined;
  type(name: string): TypeDef | undefined;
  hasTypes(): boolean;
}
interface MetadataLike {
  selectNumberingPlan(countryOrCallingCode: string): void;
  numberingPlan: NumberingPlan;
  getCountryCodesForCallingCode(cc: string): string[] | undefined;
  hasCallingCode(cc: string): boolean;
}

interface CompiledType {
  re: RegExp;
  lengths: Set<number> | null;
}
interface CompiledPlan {
  country: string;
  cc: string;
  leadingDigits: RegExp | null;
  nnp: RegExp;
  fixed: CompiledType | null;
  /** null when the mobile pattern was removed as a duplicate of fixed-line (→ FIXED_LINE_OR_MOBILE). */
  mobile: CompiledType | null;
  mobileSameAsFixed: boolean;
  others: CompiledType[];
  /** Regex for a national prefix that parsing would strip (anchored at start), if any. */
  npfp: RegExp | null;
  idd: RegExp | null;
  /** National prefix when it is a plain digit string with no transform rule; else null (slow path). */
  simplePrefix: string | null;
  simple: boolean;
}

const metadata = new Metadata() as unknown as MetadataLike;
const plans = new Map<string, CompiledPlan | null>();

const entire = (p: string) => new RegExp(`^(?:${p})$`);
function compileType(def: TypeDef | undefined): CompiledType | null {
  if (!def || !def.pattern()) return null;
  const lengths = def.possibleLengths();
  return { re: entire(def.pattern()), lengths: lengths ? new Set(lengths) : null };
}

function plan(country: string): CompiledPlan | null {
  let p = plans.get(country);
  if (p !== undefined) return p;
  try {
    metadata.selectNumberingPlan(country);
  } catch {
    plans.set(country, null);
    return null;
  }
  const np = metadata.numberingPlan;
  const nationalPrefix = np.nationalPrefix();
  const npfpRaw = np.nationalPrefixForParsing();
  const explicitNpfp = np._nationalPrefixForParsing();
  const transform = np.nationalPrefixTransformRule();
  const simple = !transform && (!explicitNpfp || explicitNpfp === nationalPrefix) && (!nationalPrefix || /^\d+$/.test(nationalPrefix));
  const mobileDef = np.type('MOBILE');
  p = {
    country,
    cc: np.callingCode(),
    leadingDigits: np.leadingDigits() ? new RegExp(`^(?:${np.leadingDigits()})`) : null,
    nnp: entire(np.nationalNumberPattern()),
    fixed: compileType(np.type('FIXED_LINE')),
    mobile: compileType(mobileDef),
    mobileSameAsFixed: !mobileDef || mobileDef.pattern() === '',
    others: OTHER_TYPES.map((t) => compileType(np.type(t))).filter((t): t is CompiledType => t !== null),
    npfp: npfpRaw ? new RegExp(`^(?:${npfpRaw})`) : null,
    idd: np.IDDPrefix() ? new RegExp(`^(?:${np.IDDPrefix()})`) : null,
    simplePrefix: simple ? (nationalPrefix ?? '') : null,
    simple,
  };
  plans.set(country, p);
  return p;
}

const typeMatches = (n: string, t: CompiledType | null) => !!t && (!t.lengths || t.lengths.has(n.length)) && t.re.test(n);

/** libphonenumber's getNumberType with precompiled patterns. */
function numberType(n: string, p: CompiledPlan): string | undefined {
  if (!p.nnp.test(n)) return undefined;
  if (typeMatches(n, p.fixed)) {
    if (p.mobileSameAsFixed || typeMatches(n, p.mobile)) return 'FIXED_LINE_OR_MOBILE';
    return 'FIXED_LINE';
  }
  if (typeMatches(n, p.mobile)) return 'MOBILE';
  for (const t of p.others) if (typeMatches(n, t)) return 'OTHER';
  return undefined;
}

const countriesByCc = new Map<string, string[] | null>();
function countriesFor(cc: string): string[] | null {
  let c = countriesByCc.get(cc);
  if (c === undefined) {
    c = metadata.getCountryCodesForCallingCode(cc) ?? null;
    countriesByCc.set(cc, c);
  }
  return c;
}

/** libphonenumber's getCountryByCallingCode / getCountryByNationalNumber. */
function countryFor(cc: string, n: string): CompiledPlan | null {
  const list = countriesFor(cc);
  if (!list) return null;
  if (list.length === 1) return plan(list[0]!);
  for (const country of list) {
    const p = plan(country);
    if (!p) continue;
    if (p.leadingDigits) {
      if (p.leadingDigits.test(n)) return p;
    } else if (numberType(n, p)) return p;
  }
  return null;
}

export type FastAnswer = { kind: 'mobile'; e164: string; country: string } | { kind: 'invalid' } | null;

/**
 * The fast, exact path: 'mobile' (with E.164) when libphonenumber would find a valid mobile
 * number, 'invalid' when it would find no valid number at all, null when the shape is not one it
 * handles or the number is valid but not mobile (the caller then asks libphonenumber, which also
 * words the rejection).
 */
export function fastClassify(cleaned: string, defaultCountry: string): FastAnswer {
  let cc: string;
  let n: string;
  let unstripped: string | null = null;
  if (cleaned.charCodeAt(0) === 43 /* + */) {
    const s = cleaned.slice(1);
    if (s.charCodeAt(0) === 48 /* 0 */) return null;
    let found = '';
    for (let i = 1; i <= 3 && i <= s.length; i++) {
      if (countriesFor(s.slice(0, i))) {
        found = s.slice(0, i);
        break;
      }
    }
    if (!found) return null;
    cc = found;
    n = s.slice(found.length);
    const main = plan(countriesFor(cc)![0]!);
    if (!main) return null;
    // Parsing would try to strip a national prefix here: leave that to libphonenumber.
    if (main.npfp && main.npfp.test(n)) return null;
  } else {
    const d = plan(defaultCountry);
    if (!d || !d.simple) return null;
    if (d.idd && d.idd.test(cleaned)) return null;
    if (cleaned.startsWith(d.cc)) return null;
    cc = d.cc;
    n = cleaned;
    if (d.simplePrefix && cleaned.startsWith(d.simplePrefix)) {
      n = cleaned.slice(d.simplePrefix.length);
      unstripped = cleaned;
    }
  }
  const p = countryFor(cc, n);
  if (!p) return null;
  const t = numberType(n, p);
  if (t === 'MOBILE' || t === 'FIXED_LINE_OR_MOBILE') return { kind: 'mobile', e164: `+${cc}${n}`, country: p.country };
  if (t !== undefined) return null;
  // Invalid for sure only when the country is certain and no reading (with or without the national prefix) is valid.
  if ((countriesFor(cc)?.length ?? 0) !== 1) return null;
  if (unstripped !== null && numberType(unstripped, p) !== undefined) return null;
  return { kind: 'invalid' };
}

/** fastClassify's mobile answer only. */
export function fastMobile(cleaned: string, defaultCountry: string): { e164: string; country: string } | null {
  const f = fastClassify(cleaned, defaultCountry);
  return f?.kind === 'mobile' ? { e164: f.e164, country: f.country } : null;
}

/** The slow, general path through libphonenumber. */
function slowParse(text: string, defaultCountry: string): PhoneResult {
  const parsed = parsePhoneNumberFromString(text, defaultCountry as CountryCode);
  if (!parsed || !parsed.isValid()) {
    return { ok: false, code: 'invalid_phone', reason: `not a valid number for ${parsed?.country ?? defaultCountry}: ${text}` };
  }
  const type = parsed.getType();
  if (!type || !MOBILE_TYPES.has(type)) {
    return {
      ok: false,
      code: 'not_mobile',
      reason: `not a mobile number (${(type ?? 'unknown').toLowerCase().replace(/_/g, ' ')}): ${parsed.number}`,
    };
  }
  return { ok: true, e164: parsed.number, country: parsed.country ?? null };
}

/** "+49 (0)160…": the (0) written after a country code is the national prefix, not a digit. */
const PUNCT_INTL_ZERO = /^(\+\d{1,3})[\s\-.]*\(0\)/;
const PUNCT = /[\s\-.()/\u00a0\u200e\u200f\u202a-\u202e]/g;
const EXCEL_SCI = /^(\d)(?:\.(\d+))?e\+?(\d{1,2})$/i;

/** Digits of an Excel number shown in scientific notation, when no digit was lost. */
function expandScientific(s: string): string | null {
  const m = EXCEL_SCI.exec(s);
  if (!m) return null;
  const frac = m[2] ?? '';
  const exp = Number(m[3]);
  if (frac.length > exp) return null;
  return m[1]! + frac + '0'.repeat(exp - frac.length);
}

/**
 * Normalizes one number. `raw` may carry letters or an extension; those go to libphonenumber.
 */
export function normalizePhone(raw: string, defaultCountry: string): PhoneResult {
  let text = raw.trim();
  if (!text) return { ok: false, code: 'no_phone', reason: 'no phone number' };
  if (text.startsWith('tel:')) text = text.slice(4).split(';')[0]!;
  // Full-width digits and plus (common in CJK input) → ASCII.
  if (/[\uff0b\uff10-\uff19]/.test(text)) text = text.normalize('NFKC');
  let cleaned = expandScientific(text) ?? text.replace(PUNCT_INTL_ZERO, '$1').replace(PUNCT, '');
  if (cleaned.startsWith('00')) cleaned = '+' + cleaned.slice(2);
  else if (cleaned.startsWith('+00')) cleaned = '+' + cleaned.slice(3);
  const plain = /^\+?\d+$/.test(cleaned);
  if (plain) {
    if (cleaned.length < 4 || cleaned.length > 18)
      return { ok: false, code: 'invalid_phone', reason: `not a valid number for ${defaultCountry}: ${raw.trim()}` };
    const fast = fastClassify(cleaned, defaultCountry);
    if (fast?.kind === 'mobile') return { ok: true, e164: fast.e164, country: fast.country };
    // International without "+": when the national reading is certainly invalid, or the number
    // starts with the default country's own calling code.
    if (
      !cleaned.startsWith('+') &&
      cleaned.length >= 10 &&
      (fast?.kind === 'invalid' || cleaned.startsWith(callingCodeOf(defaultCountry)))
    ) {
      const intl = fastMobile('+' + cleaned, defaultCountry);
      if (intl) return { ok: true, ...intl };
    }
  }
  const first = slowParse(plain ? cleaned : text, defaultCountry);
  if (first.ok || !plain || cleaned.startsWith('+') || cleaned.length < 8) return first;
  // An international number that lost its "+" (Excel), e.g. 447700900123 with default IL.
  const second = slowParse('+' + cleaned, defaultCountry);
  return second.ok ? second : first;
}

const callingCodeOf = (country: string): string => plan(country)?.cc ?? '\u0000';

const MULTI_SPLIT = /\s*(?::::|;|,|\n|\r)\s*/;

/**
 * Picks the number to keep from several candidates (columns and multi-value cells, in order):
 * the first mobile; if none, the most specific rejection (not_mobile beats invalid).
 */
export function pickMobile(cells: readonly string[], defaultCountry: string): PhoneResult {
  let best: PhoneResult | null = null;
  for (const cell of cells) {
    if (!cell) continue;
    const parts = MULTI_SPLIT.test(cell) ? cell.split(MULTI_SPLIT) : [cell];
    for (const part of parts) {
      if (!part.trim()) continue;
      const r = normalizePhone(part, defaultCountry);
      if (r.ok) return r;
      if (!best || (best.code !== 'not_mobile' && r.code === 'not_mobile') || best.code === 'no_phone') best = r;
    }
  }
  return best ?? { ok: false, code: 'no_phone', reason: 'no phone number' };
}

/** Digits the user typed as a search, in the forms a stored E.164 number can be matched with. */
export function phoneSearchForms(q: string, defaultCountry: string): { e164: string | null; digits: string } {
  const digits = q.replace(/\D/g, '');
  const r = digits.length >= 6 ? normalizePhone(q, defaultCountry) : null;
  return { e164: r && r.ok ? r.e164 : null, digits };
}
