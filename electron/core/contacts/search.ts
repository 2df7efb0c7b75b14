/**
 * Contact search: a contentless FTS5 word index (names, email, text attributes, phone numbers as
 * their E.164 digits and reversed digits, so both prefixes and suffixes of a number match; the
 * national forms are matched at query time, search-phone.ts).
 *
 * Large imports commit first and are indexed afterwards in small chunks (the event loop stays
 * free, and the import is not slowed by index building): contacts above the watermark
 * app_meta 'contacts.fts_upto', and those in contacts_fts_pending (edited), are searched by a scan
 * instead until the indexer reaches them, so search is always complete.
 */
import type { Db } from '../db/connection';
import type { Logger } from '../log';
import { nationalPrefixes, storeCallingCodes } from './search-phone';

const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]/;
const CJK_G = /([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af])/g;
const CJK_RUN_G = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]{2,}/g;
/** Letters and digits runs, as unicode61 splits them (CJK characters one by one). */
const splitWords = (s: string): string[] =>
  s
    .replace(CJK_G, ' $1 ')
    .split(/[^\p{L}\p{N}\p{M}]+/u)
    .filter(Boolean);

/**
 * The words a phone number is indexed under: its E.164 digits and 'r' + its reversed digits. The
 * national number and '0' + national number were indexed too until the index's cost at import
 * time counted (each unique form ~1.3–2 s per million contacts); searchClause now finds them as
 * prefixes of the digits (search-phone.ts). Stores indexed before keep those two extra words for
 * their older contacts: no reindex is needed, as the query still asks every word it asked before.
 */
export function phoneForms(e164: string): string[] {
  const digits = e164.replace(/\D/g, '');
  // Reversed digits (marked with 'r' so word searches never hit them) let a number's end match as a prefix.
  return [digits, 'r' + [...digits].reverse().join('')];
}

export interface IndexableContact {
  id: number;
  /** NULL for a contact known only by its WhatsApp user id (migration 0017). */
  phone: string | null;
  /** Not indexed since national forms are matched at query time; kept so callers need not change. */
  country: string | null;
  name: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  attrs: string | null;
}

/**
 * CJK runs: each character (one-character searches), each adjacent pair and each three in a row.
 * Chinese names are mostly two or three characters: a search for one is then a single exact word
 * (no check of the name itself, which on a million contacts read ~10,000 encrypted rows for a
 * common given name — 180 ms); longer runs are their three-character words plus that check.
 * (Three-character words since migration 0021, which rebuilt the index.)
 */
function cjkTokens(text: string): string {
  const out: string[] = [];
  for (const run of text.match(CJK_RUN_G) ?? []) {
    const chars = [...run];
    for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
    for (let i = 0; i + 2 < chars.length; i++) out.push(chars[i]! + chars[i + 1]! + chars[i + 2]!);
  }
  return out.join(' ');
}

export function searchText(c: Omit<IndexableContact, 'id'>): string {
  // The display name usually is "first last": index first/last only when they add something.
  const extra = [c.first_name, c.last_name].filter((w): w is string => !!w && !c.name.includes(w));
  const words = [c.name, ...extra, c.email ?? '', c.attrs ?? ''].join(' ');
  return `${words.replace(CJK_G, ' $1 ')} ${cjkTokens(words)} ${c.phone ? phoneForms(c.phone).join(' ') : ''}`;
}

const SELECT_INDEXABLE = `
  SELECT c.id, c.phone, c.country, c.name, c.first_name, c.last_name, c.email,
         (SELECT group_concat(a.value, ' ') FROM contact_attributes a JOIN attribute_defs d ON d.id = a.attr_id
           WHERE a.contact_id = c.id AND d.type = 'text') AS attrs
  FROM contacts c`;
const SELECT_INDEXABLE_NO_ATTRS = `
  SELECT c.id, c.phone, c.country, c.name, c.first_name, c.last_name, c.email, NULL AS attrs FROM contacts c`;
const hasTextAttributes = (db: Db) => !!db.prepare("SELECT 1 FROM attribute_defs WHERE type = 'text' LIMIT 1").get();

export interface SearchClause {
  sql: string;
  params: unknown[];
  /** Set when the word index alone answers the search (fully indexed, no post-filter): its MATCH text. */
  ftsOnly?: string;
}

/**
 * SQL condition (on alias c) for a free-text search: every word must match (prefix match on
 * indexed words; digits also as the end of a number). Falls back to scanning for unindexed rows.
 */
export function searchClause(db: Db, q: string, exactPhone: string | null): SearchClause | null {
  const terms = q.trim().split(/\s+/).filter(Boolean).slice(0, 8);
  if (!terms.length) return null;
  const ftsParts: string[] = [];
  const scanParts: string[] = [];
  const scanParams: unknown[] = [];
  const postParts: string[] = [];
  const postParams: unknown[] = [];
  const phoneLike = /^[+\d\-().]+$/.test(q.replace(/\s+/g, '')) && q.replace(/\D/g, '').length >= 3;
  if (phoneLike) {
    const digits = q.replace(/\D/g, '');
    const rev = [...digits].reverse().join('');
    // As a prefix of the E.164 digits, as the end of a number (reversed), and as the start of a
    // national form in any country present: cc + D, and cc + D without its trunk '0'. Contacts
    // indexed before with nsn and '0' + nsn words are found too: "D"* still asks those words.
    const words = [...new Set([digits, ...nationalPrefixes(digits, storeCallingCodes(db))])].map((w) => `"${w}"*`);
    ftsParts.push(`(${[...words, `"r${rev}"*`].join(' OR ')})`);
    scanParts.push('instr(c.phone, ?) > 0');
    scanParams.push(digits.replace(/^0+/, ''));
  } else {
    for (const term of terms) {
      const lower = term.toLowerCase();
      // CJK runs: a run of up to three characters is one indexed word (exact); a longer one is
      // its three-character words, which do not prove they are adjacent in the name (checked below).
      const cjkRuns = lower.match(CJK_RUN_G) ?? [];
      const runWords = cjkRuns.flatMap((run) => {
        const chars = [...run];
        if (chars.length <= 3) return [run];
        return chars.slice(0, -2).map((ch, i) => ch + chars[i + 1] + chars[i + 2]);
      });
      const rest = splitWords(lower.replace(CJK_RUN_G, ' '));
      const words = [...runWords.map((p) => `"${p}"`), ...rest.map((w) => (CJK.test(w) ? `"${w}"` : `"${w}"*`))];
      if (!words.length) continue;
      const group = words.join(' AND ');
      ftsParts.push(`(${group})`);
      // The words matched independently: keep only names with the term as typed, unless the term
      // is one word of the index (a CJK run of up to three characters, or a single character).
      const chars = [...lower];
      const oneWord = words.length === 1 && chars.length <= 3 && chars.every((ch) => CJK.test(ch));
      if (CJK.test(term) && !oneWord) {
        postParts.push('instr(c.name, ?) > 0');
        postParams.push(term);
      }
      scanParts.push(
        `(instr(lower(c.name), ?) > 0 OR instr(lower(coalesce(c.email, '')), ?) > 0 OR EXISTS (SELECT 1 FROM contact_attributes a WHERE a.contact_id = c.id AND instr(lower(a.value), ?) > 0))`,
      );
      const t = term.toLowerCase();
      scanParams.push(t, t, t);
    }
  }
  if (!ftsParts.length) return null;
  const fts = ftsParts.join(' AND ');
  const parts: string[] = [];
  const params: unknown[] = [];
  parts.push(
    `(c.id IN (SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?)${postParts.length ? ' AND ' + postParts.join(' AND ') : ''})`,
  );
  params.push(fts, ...postParams);
  const upto = indexedUpto(db);
  const maxId = (db.prepare('SELECT coalesce(max(id), 0) FROM contacts').pluck().get() as number) ?? 0;
  const pending = db.prepare('SELECT EXISTS (SELECT 1 FROM contacts_fts_pending)').pluck().get() as number;
  if (maxId > upto || pending) {
    parts.push(`((c.id > ? OR c.id IN (SELECT contact_id FROM contacts_fts_pending)) AND ${scanParts.join(' AND ')})`);
    params.push(upto, ...scanParams);
  }
  if (exactPhone) {
    parts.push('c.phone = ?');
    params.push(exactPhone);
  }
  // A business-scoped user id (IL.1502…, US.ENT.…) or a username (@dana): exact match on the
  // contact's BSUID columns (migration 0011), only asked when some contact has one.
  const one = q.trim();
  if (
    /^@?[A-Za-z0-9._]{3,140}$/.test(one) &&
    db.prepare('SELECT EXISTS (SELECT 1 FROM contacts WHERE user_id IS NOT NULL)').pluck().get()
  ) {
    parts.push('(c.user_id = ? OR c.parent_user_id = ? OR lower(c.username) = ?)');
    params.push(one, one, one.replace(/^@/, '').toLowerCase());
  }
  const clause: SearchClause = { sql: `(${parts.join(' OR ')})`, params };
  if (parts.length === 1 && !postParts.length) clause.ftsOnly = fts;
  return clause;
}

export function indexedUpto(db: Db): number {
  const v = db.prepare("SELECT value FROM app_meta WHERE key = 'contacts.fts_upto'").pluck().get() as string | undefined;
  return Number(v ?? 0);
}

/** Indexes one contact now (after an edit); removes it when it no longer exists. */
export function reindexContact(db: Db, id: number): void {
  db.prepare('DELETE FROM contacts_fts WHERE rowid = ?').run(id);
  const c = db.prepare(`${SELECT_INDEXABLE} WHERE c.id = ?`).get(id) as IndexableContact | undefined;
  if (c && c.id <= indexedUpto(db)) db.prepare('INSERT INTO contacts_fts (rowid, text) VALUES (?, ?)').run(c.id, searchText(c));
  db.prepare('DELETE FROM contacts_fts_pending WHERE contact_id = ?').run(id);
}

/** Background indexer: catches the word index up with the contacts table, a chunk at a time. */
export class SearchIndexer {
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly chunk = 10_000,
  ) {}

  /** Starts catching up (no-op when already running). Resolves when the index is complete. */
  kick(): Promise<void> {
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Catches up synchronously (tests, benchmarks, CLI). */
  catchUpNow(): void {
    while (this.step()) {
      /* keep going */
    }
  }

  stop(): Promise<void> {
    this.stopped = true;
    return this.running ?? Promise.resolve();
  }

  private async run(): Promise<void> {
    try {
      while (!this.stopped && this.step()) await new Promise<void>((r) => setImmediate(r));
    } catch (e) {
      this.log.error('search indexing failed', { error: e instanceof Error ? e.message : String(e) });
    }
  }

  /** One chunk; true when there may be more. */
  step(): boolean {
    const db = this.db;
    return db.transaction(() => {
      const upto = indexedUpto(db);
      const select = hasTextAttributes(db) ? SELECT_INDEXABLE : SELECT_INDEXABLE_NO_ATTRS;
      const rows = db.prepare(`${select} WHERE c.id > ? ORDER BY c.id LIMIT ?`).all(upto, this.chunk) as IndexableContact[];
      const insert = db.prepare('INSERT INTO contacts_fts (rowid, text) VALUES (?, ?)');
      for (const c of rows) insert.run(c.id, searchText(c));
      if (rows.length) db.prepare("UPDATE app_meta SET value = ? WHERE key = 'contacts.fts_upto'").run(String(rows[rows.length - 1]!.id));
      const pending = db.prepare('SELECT contact_id FROM contacts_fts_pending LIMIT ?').pluck().all(this.chunk) as number[];
      for (const id of pending) reindexContact(db, id);
      return rows.length === this.chunk || pending.length === this.chunk;
    })();
  }
}
