/**
 * Guesses from the data itself, after the headers had their say (guess.ts):
 * - the phone column when no header names one ("Kolumne 3", "A", a header in a language we do not
 *   know): the column whose sample values are mostly valid mobile numbers;
 * - custom columns: a column whose header is a plain word ("Branch", "עיר", "Stadt") and that no
 *   built-in field took becomes a custom attribute of that name, typed from its values — a file's
 *   extra columns are kept unless the user says "Don't import";
 * - the default country, from the numbers that carry one ("+972…" / "00972…"): when most of them
 *   share a country, that country is proposed for the numbers written without a code.
 * Each guess answers why (counts), so the wizard can say so and the user can overrule it.
 */
import { ATTRIBUTE_NAME_RE, type ImportGuesses, type MappingEntry } from '../../../../shared/contract/contacts';
import { normalizePhone } from '../phone';
import { guessType } from './guess';

/** A column is "mostly numbers" from this share of its non-empty sample values. */
export const PHONE_SHARE = 0.6;
/** A country is proposed when it holds at least this share of the numbers that carry a country code. */
export const COUNTRY_SHARE = 0.5;

const nonEmpty = (rows: readonly string[][], i: number) => rows.map((r) => (r[i] ?? '').trim()).filter(Boolean);

/**
 * A header that reads as a plain word or two ("City", "Lieblingsfarbe", "עיר מגורים"): letters of
 * any script, one space or `_` between words. Export formats' numbered columns ("Phone 2 - Type",
 * "Organization 1 - Name") are not plain words and stay "Don't import".
 */
const PLAIN = /^\p{L}[\p{L}\p{M}]*(?:[ _]\p{L}[\p{L}\p{M}]*)?$/u;

/**
 * The column whose sample values are mostly valid mobile numbers (best share, then leftmost), among
 * the columns no header mapped; null when none reaches PHONE_SHARE.
 */
export function phoneColumnFromData(
  headers: readonly string[],
  rows: readonly string[][],
  mapped: ReadonlySet<string>,
  defaultCountry: string,
): { column: string; valid: number; of: number } | null {
  let best: { column: string; valid: number; of: number; share: number } | null = null;
  headers.forEach((h, i) => {
    if (mapped.has(h)) return;
    const vs = nonEmpty(rows, i);
    // Digits must dominate the cell: a free-text column that happens to contain a number is not a phone column.
    const candidates = vs.filter((v) => (v.match(/\d/g)?.length ?? 0) >= 6);
    if (!vs.length) return;
    const valid = candidates.filter((v) => normalizePhone(v, defaultCountry).ok).length;
    const share = valid / vs.length;
    if (valid > 0 && share >= PHONE_SHARE && (!best || share > best.share)) best = { column: h, valid, of: vs.length, share };
  });
  const b = best as { column: string; valid: number; of: number } | null;
  return b ? { column: b.column, valid: b.valid, of: b.of } : null;
}

/** The country most numbers with a country code belong to, if it holds COUNTRY_SHARE of them. */
export function countryFromNumbers(
  values: readonly string[],
  defaultCountry: string,
): { country: string; numbers: number; of: number } | null {
  const counts = new Map<string, number>();
  let withCode = 0;
  for (const v of values) {
    const s = v.trim();
    if (!/^(\+|00)/.test(s)) continue;
    const n = normalizePhone(s, defaultCountry);
    if (!n.ok || !n.country) continue;
    withCode++;
    counts.set(n.country, (counts.get(n.country) ?? 0) + 1);
  }
  let top: [string, number] | null = null;
  for (const e of counts) if (!top || e[1] > top[1]) top = e;
  return top && top[1] / withCode >= COUNTRY_SHARE ? { country: top[0], numbers: top[1], of: withCode } : null;
}

/** Attribute name for a plain-word header (spaces → `_`), or null when it is not one. */
export function plainAttributeName(header: string): string | null {
  const h = header.trim();
  if (!PLAIN.test(h) || [...h].length < 2) return null;
  const name = h.replace(/\s+/g, '_').slice(0, 64);
  return ATTRIBUTE_NAME_RE.test(name) ? name : null;
}

/**
 * The header guess completed from the data: a phone column when the headers named none, custom
 * attributes for plain-word columns with values, and the proposed default country.
 */
export function guessFromData(
  headers: readonly string[],
  rows: readonly string[][],
  mapping: readonly MappingEntry[],
  defaultCountry: string,
): { mapping: MappingEntry[]; guesses: ImportGuesses } {
  const out = [...mapping];
  const mapped = new Set(out.map((m) => m.column));
  const guesses: ImportGuesses = { phoneFromData: null, country: null, customColumns: [] };
  if (!out.some((m) => m.field === 'phone')) {
    const p = phoneColumnFromData(headers, rows, mapped, defaultCountry);
    if (p) {
      out.unshift({ column: p.column, field: 'phone' });
      mapped.add(p.column);
      guesses.phoneFromData = p;
    }
  }
  const taken = new Set(out.map((m) => m.field.toLowerCase()));
  headers.forEach((h, i) => {
    if (mapped.has(h)) return;
    const name = plainAttributeName(h);
    const vs = nonEmpty(rows, i);
    if (!name || !vs.length || taken.has(`attr.${name}`.toLowerCase())) return;
    taken.add(`attr.${name}`.toLowerCase());
    out.push({ column: h, field: `attr.${name}`, type: guessType(vs) });
    guesses.customColumns.push(h);
  });
  const phoneCol = out.find((m) => m.field === 'phone')?.column;
  const idx = phoneCol === undefined ? -1 : headers.indexOf(phoneCol);
  if (idx >= 0) guesses.country = countryFromNumbers(nonEmpty(rows, idx), defaultCountry);
  return { mapping: out, guesses };
}
