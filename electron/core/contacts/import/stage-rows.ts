/**
 * An import's row work: each file row validated (phone → E.164 mobile, typed attributes, tags,
 * consent cell), duplicates within the file found, and the staged values made — with the row's
 * search words, so the merge writes the index in the same transaction as the contacts.
 *
 * Pure of the store: everything it needs from it (attribute types, erasure records) comes in as
 * values, so it runs as well on the reading thread (read-thread.ts) as on the core's own thread.
 */
import type { AttributeType, ImportRowError, ImportRowParams, MappingEntry } from '../../../../shared/contract/contacts';
import { badInput } from '../../errors';
import { erasedReason } from '../../privacy/store/erasures';
import { displayName } from '../names';
import { pickMobile } from '../phone';
import { searchText } from '../search';
import { parseBoolean, parseConsentCell, parseDate, parseNumber, guessType } from './guess';
import { PhoneSeen } from './phone-seen';
import type { TableRow } from './source';
import { identityKey } from '../identity-key';
import { userIdOf, usernameOf } from './user-ids-store';

/** The staging table's columns, in the order a row's values are pushed. */
export const STAGED = 'seq, row, phone, first_name, last_name, name, email, country, consent, attrs, user_id, username, fts';
export const STAGED_COUNT = STAGED.split(',').length;

/** What a row's consent cell says, as staged (`s.consent`); the box is applied in SQL. */
export const CONSENT_NONE = 0;
export const CONSENT_IN = 1;
export const CONSENT_OUT = 2;
export const CONSENT_UNRECOGNISED = 3;
const CONSENT_CODE = { none: CONSENT_NONE, in: CONSENT_IN, out: CONSENT_OUT, unrecognised: CONSENT_UNRECOGNISED } as const;

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const TAG_SPLIT = /\s*(?::::|[,;|])\s*/;
const ATTR_FIELD = /^attr\.(.+)$/;
const FORMULA_GUARD = /^'(?=[=+\-@\t\r])/;

export interface ResolvedMapping {
  phone: number[];
  first_name: number | null;
  last_name: number | null;
  name: number | null;
  email: number | null;
  tags: number[];
  consent: number | null;
  country: number | null;
  user_id: number | null;
  username: number | null;
  attrs: { name: string; index: number; type: AttributeType | null }[];
}

export function resolveMapping(mapping: MappingEntry[], headers: string[]): ResolvedMapping {
  const index = (column: string) => {
    let i = headers.indexOf(column);
    if (i < 0) i = headers.findIndex((h) => h.toLowerCase() === column.trim().toLowerCase());
    if (i < 0 && /^#?\d+$/.test(column.trim())) {
      const n = Number(column.trim().replace('#', ''));
      if (n >= 1 && n <= headers.length) i = n - 1;
    }
    if (i < 0) throw badInput(`The file has no column "${column}". Its columns: ${headers.join(', ')}.`);
    return i;
  };
  const r: ResolvedMapping = {
    phone: [],
    first_name: null,
    last_name: null,
    name: null,
    email: null,
    tags: [],
    consent: null,
    country: null,
    user_id: null,
    username: null,
    attrs: [],
  };
  for (const m of mapping) {
    const i = index(m.column);
    const attr = ATTR_FIELD.exec(m.field);
    if (attr) r.attrs.push({ name: attr[1]!, index: i, type: m.type ?? null });
    else if (m.field === 'phone') r.phone.push(i);
    else if (m.field === 'tags') r.tags.push(i);
    else r[m.field as 'first_name' | 'last_name' | 'name' | 'email' | 'consent' | 'country' | 'user_id' | 'username'] = i;
  }
  if (!r.phone.length) throw badInput('No column is mapped to phone. Map the column that holds the phone numbers.');
  return r;
}

/**
 * Attribute types: as mapped, else as already defined in the store, else guessed from the first
 * rows. A mapped type that contradicts the store's is refused.
 */
export function attributeTypes(
  map: ResolvedMapping,
  existingDefs: ReadonlyMap<string, AttributeType>,
  firstRows: TableRow[],
): Map<string, AttributeType> {
  const types = new Map<string, AttributeType>();
  for (const a of map.attrs) {
    const existing = existingDefs.get(a.name.toLowerCase());
    const type = a.type ?? existing ?? guessType(firstRows.slice(0, 50).map((r) => r.cells[a.index] ?? ''));
    if (existing && existing !== type) {
      throw badInput(`The attribute "${a.name}" already exists as ${existing}; map the column as ${existing}.`);
    }
    types.set(a.name, type);
  }
  return types;
}

/** One batch's outcome: the staged values (STAGED_COUNT per row, `staged` rows) and what was rejected or noted. */
export interface StagedBatch {
  values: unknown[];
  staged: number;
  rows: number;
  invalid: number;
  duplicates: number;
  /** Rejected rows and notes (a row imported with something to know), in row order. */
  errors: ImportRowError[];
  /**
   * The batch's staged rows by tag: each tag name of the file with the staged seqs that carry it
   * (ascending). Kept beside the values, not in them: the save writes a tag's rows with one
   * statement, where a column of JSON per row cost ~5 s per million rows to unpack in SQL.
   */
  tagged: [name: string, seqs: number[]][];
  /** Staged rows that carry a BSUID or username. */
  userIdRows: number;
  /** Rows with no phone but a WhatsApp user id: contacts known only by it (merged row by row, user-only-rows.ts). */
  userOnly: UserOnlyRow[];
}

/** A row whose person has no phone in the file but a business-scoped user id (they can be sent to by `recipient`). */
export interface UserOnlyRow {
  row: number;
  userId: string;
  username: string | null;
  first_name: string | null;
  last_name: string | null;
  name: string;
  email: string | null;
  consent: number;
  tags: string[] | null;
  attrs: [string, string | number][];
}

export interface StageOptions {
  map: ResolvedMapping;
  defaultCountry: string;
  attrTypes: ReadonlyMap<string, AttributeType>;
  /** Numbers erased at the person's request: when, or null (privacy/store/erasures.ts). Null when none ever was. */
  erased: ((e164: string) => number | null) | null;
  /** False for a dry run: nothing will be written, so no search words are made. */
  searchWords: boolean;
}

/** Makes the row stager of one import (it remembers the numbers seen, for "duplicate of row N"). */
export function rowStager(o: StageOptions): (rows: TableRow[]) => StagedBatch {
  const { map } = o;
  const seen = new PhoneSeen();
  /** User ids of the phone-less rows seen so far, and their first row. */
  const userIdsSeen = new Map<string, number>();
  // A leading apostrophe before = + - @ is how an export keeps a spreadsheet from reading the cell as
  // a formula (Pacer's own exports do it, docs/security.md): it is not part of the value.
  const cell = (cells: string[], i: number | null) => (i === null ? '' : (cells[i] ?? '').trim().replace(FORMULA_GUARD, ''));
  /** The row's typed attribute values, or why one is not of its type. */
  const attributesOf = (cells: string[]): [string, string | number][] | string => {
    const attrs: [string, string | number][] = [];
    for (const a of map.attrs) {
      const raw = (cells[a.index] ?? '').trim();
      if (!raw) continue;
      const type = o.attrTypes.get(a.name)!;
      const v = attrValue(raw, type);
      if (v === null) return `attr.${a.name}: "${raw.slice(0, 40)}" is not a ${type === 'date' ? 'date (YYYY-MM-DD or D/M/YYYY)' : type}`;
      attrs.push([a.name, v]);
    }
    return attrs;
  };
  /** The row's tags from every tag column, or null. */
  const tagsOf = (cells: string[]): string[] | null => {
    let tags: string[] | null = null;
    for (const i of map.tags) {
      const t = splitTags(cells[i] ?? '');
      if (t.length) tags = tags ? [...tags, ...t] : t;
    }
    return tags;
  };
  return (rows) => {
    const b: StagedBatch = {
      values: [],
      staged: 0,
      rows: 0,
      invalid: 0,
      duplicates: 0,
      errors: [],
      tagged: [],
      userIdRows: 0,
      userOnly: [],
    };
    const seqsByTag = new Map<string, number[]>();
    const reject = (row: number, code: string, reason: string, params?: ImportRowParams) =>
      b.errors.push(params ? { row, code, reason, params } : { row, code, reason });
    /** The row of a person known only by user id: its values, or the earlier row with the same id, or 'bad' (rejected). */
    const userOnlyRow = (row: number, cells: string[], userId: string): UserOnlyRow | number | 'bad' => {
      const earlier = userIdsSeen.get(userId);
      if (earlier !== undefined) return earlier;
      const attrs = attributesOf(cells);
      if (typeof attrs === 'string') {
        reject(row, 'invalid_attribute', attrs);
        return 'bad';
      }
      userIdsSeen.set(userId, row);
      const first = cell(cells, map.first_name) || null;
      const last = cell(cells, map.last_name) || null;
      const username = map.username === null ? null : usernameOf(cell(cells, map.username));
      const emailRaw = cell(cells, map.email);
      const consentRaw = cell(cells, map.consent);
      const consentCell = map.consent === null ? null : parseConsentCell(consentRaw);
      if (consentCell === 'unrecognised')
        reject(row, 'consent_unrecognised', unrecognisedReason(consentRaw), { value: consentRaw.slice(0, 40) });
      const tags = tagsOf(cells);
      return {
        row,
        userId,
        username,
        first_name: first,
        last_name: last,
        name: (cell(cells, map.name) || displayName(first, last)).slice(0, 300),
        email: EMAIL_RE.test(emailRaw) ? emailRaw.slice(0, 320) : null,
        consent: CONSENT_CODE[consentCell ?? 'none'],
        tags,
        attrs,
      };
    };
    for (const { row, cells } of rows) {
      b.rows++;
      const rowCountry = cell(cells, map.country).toUpperCase();
      const country = /^[A-Z]{2}$/.test(rowCountry) ? rowCountry : o.defaultCountry;
      const phone = pickMobile(
        map.phone.map((i) => cells[i] ?? ''),
        country,
      );
      const userIdCell = map.user_id === null ? null : userIdOf(cell(cells, map.user_id));
      // A person erased while known only by their user id has a record keyed by it: the row is
      // theirs whatever number it carries.
      const userErasedOn = userIdCell === null ? null : (o.erased?.(identityKey(null, userIdCell)) ?? null);
      if (userErasedOn !== null) {
        b.invalid++;
        reject(row, 'erased', erasedReason(userErasedOn), { date: utcDay(userErasedOn) });
        continue;
      }
      if (!phone.ok && phone.code === 'no_phone' && userIdCell !== null) {
        // No number at all, but WhatsApp's user id: a contact known only by it (migration 0017).
        const r = userOnlyRow(row, cells, userIdCell);
        if (r === 'bad') b.invalid++;
        else if (typeof r === 'number') {
          b.duplicates++;
          reject(row, 'duplicate_in_file', `duplicate of row ${r} (${userIdCell})`);
        } else {
          b.userOnly.push(r);
        }
        continue;
      }
      if (!phone.ok) {
        b.invalid++;
        reject(row, phone.code, phone.reason);
        continue;
      }
      const erasedOn = o.erased?.(phone.e164) ?? null;
      if (erasedOn !== null) {
        b.invalid++;
        reject(row, 'erased', erasedReason(erasedOn), { date: utcDay(erasedOn) });
        continue;
      }
      const attrs = attributesOf(cells);
      if (typeof attrs === 'string') {
        b.invalid++;
        reject(row, 'invalid_attribute', attrs);
        continue;
      }
      const first = cell(cells, map.first_name) || null;
      const last = cell(cells, map.last_name) || null;
      const full = (cell(cells, map.name) || displayName(first, last)).slice(0, 300);
      const emailRaw = cell(cells, map.email);
      const email = EMAIL_RE.test(emailRaw) ? emailRaw.slice(0, 320) : null;
      const consentRaw = cell(cells, map.consent);
      const consentCell = map.consent === null ? null : parseConsentCell(consentRaw);
      const tags = tagsOf(cells);
      const firstRow = seen.firstRow(phone.e164, row);
      if (firstRow !== null) {
        b.duplicates++;
        reject(row, 'duplicate_in_file', `duplicate of row ${firstRow} (${phone.e164})`);
        continue;
      }
      if (tags)
        for (const name of tags) {
          const seqs = seqsByTag.get(name);
          if (seqs) seqs.push(seen.size);
          else seqsByTag.set(name, [seen.size]);
        }
      if (consentCell === 'unrecognised')
        reject(row, 'consent_unrecognised', unrecognisedReason(consentRaw), { value: consentRaw.slice(0, 40) });
      const userId = userIdCell;
      const username = map.username === null ? null : usernameOf(cell(cells, map.username));
      if (userId !== null || username !== null) b.userIdRows++;
      b.staged++;
      b.values.push(
        seen.size,
        row,
        phone.e164,
        first,
        last,
        full,
        email,
        phone.country,
        CONSENT_CODE[consentCell ?? 'none'],
        attrs.length ? JSON.stringify(attrs) : null,
        userId,
        username,
        // The search words are made here, while reading, so the merge writes the index rows in the
        // same transaction as the contacts (no second pass over the new rows afterwards).
        o.searchWords
          ? searchText({
              phone: phone.e164,
              country: phone.country,
              name: full,
              first_name: first,
              last_name: last,
              email,
              attrs: textAttrs(attrs, o.attrTypes),
            })
          : '',
      );
    }
    b.tagged = [...seqsByTag];
    return b;
  };
}

/** The text attributes' values, as the search index joins them for a stored contact. */
function textAttrs(attrs: [string, string | number][], types: ReadonlyMap<string, AttributeType>): string | null {
  let out: string | null = null;
  for (const [name, v] of attrs) if (types.get(name) === 'text') out = out === null ? String(v) : `${out} ${v}`;
  return out;
}

function splitTags(cell: string): string[] {
  if (!cell.trim()) return [];
  const out: string[] = [];
  for (const raw of cell.split(TAG_SPLIT)) {
    const t = raw.trim();
    // Google's system groups ("* myContacts", "* starred") are not the user's tags.
    if (!t || t.startsWith('* ') || t.length > 100) continue;
    if (!out.some((o) => o.toLowerCase() === t.toLowerCase())) out.push(t);
  }
  return out;
}

function attrValue(raw: string, type: AttributeType): string | number | null {
  switch (type) {
    case 'text':
      return raw.slice(0, 2000);
    case 'number':
      return parseNumber(raw);
    case 'date':
      return parseDate(raw);
    case 'boolean': {
      const b = parseBoolean(raw);
      return b === null ? null : b ? 1 : 0;
    }
  }
}

export const utcDay = (at: number) => new Date(at).toISOString().slice(0, 10);

/** A consent cell the importer does not understand (the value JSON-quoted); the UI gets it as params.value. */
function unrecognisedReason(raw: string): string {
  return `consent value ${JSON.stringify(raw.slice(0, 40))} is not understood: nothing recorded (left as it was)`;
}
