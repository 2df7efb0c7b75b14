/**
 * SQL for contact rows and what hangs off them: the listing queries (with their index-aware
 * shortcuts), tags, attributes, message history, the rows an erasure deletes, the audit entries,
 * and the counts of the overview. Typed functions over the Db; no behaviour.
 */
import type {
  AttributeDefinition,
  AttributeType,
  AttributeValue,
  ConsentCategory,
  ConsentState,
  ContactFilter,
  ContactRow,
  ContactsStats,
} from '../../../../shared/contract/contacts';
import type { Db } from '../../db/connection';
import type { SqlCond } from '../rules';

export interface BaseRow {
  id: number;
  /** NULL: a contact known only by its WhatsApp user id (migration 0017). */
  phone: string | null;
  name: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  country: string | null;
  created_at: number;
  updated_at: number;
  last_messaged_at: number | null;
  user_id: string | null;
  username: string | null;
}

export interface MessageRow {
  campaign_id: string | null;
  campaign_name: string | null;
  template: string | null;
  status: string;
  error: string | null;
  at: number;
}

export interface NewMessage {
  contactId: number;
  campaignId?: string | null;
  campaignName?: string | null;
  template?: string | null;
  status: string;
  error?: string | null;
}

export interface PageRequest {
  f: ContactFilter;
  sort: string;
  order: 'asc' | 'desc';
  offset: number;
  limit: number;
}

const BASE_COLUMNS =
  'c.id, c.phone, c.name, c.first_name, c.last_name, c.email, c.country, c.created_at, c.updated_at, c.last_messaged_at, c.user_id, c.username';
const SORTS: Record<string, string> = {
  created: 'c.id',
  updated: 'c.updated_at',
  name: 'c.name COLLATE NOCASE',
  phone: 'c.phone',
};

export function contactExists(db: Db, id: number): boolean {
  return !!db.prepare('SELECT 1 FROM contacts WHERE id = ?').get(id);
}

export function contactIdByPhone(db: Db, e164: string): number | undefined {
  return db.prepare('SELECT id FROM contacts WHERE phone = ?').pluck().get(e164) as number | undefined;
}

/** A contact's addresses (phone and/or WhatsApp user id), or undefined when there is no such contact. */
export function contactAddress(db: Db, id: number): { phone: string | null; user_id: string | null } | undefined {
  return db.prepare('SELECT phone, user_id FROM contacts WHERE id = ?').get(id) as
    { phone: string | null; user_id: string | null } | undefined;
}

/** undefined: no such contact; null: a contact known only by its WhatsApp user id. */
export function contactPhone(db: Db, id: number): string | null | undefined {
  return db.prepare('SELECT phone FROM contacts WHERE id = ?').pluck().get(id) as string | null | undefined;
}

export function contactByPhone(db: Db, e164: string): ContactRow | null {
  const row = db.prepare(`SELECT ${BASE_COLUMNS} FROM contacts c WHERE c.phone = ?`).get(e164) as BaseRow | undefined;
  return row ? hydrate(db, [row])[0]! : null;
}

export function contactById(db: Db, id: number): ContactRow | null {
  const row = db.prepare(`SELECT ${BASE_COLUMNS} FROM contacts c WHERE c.id = ?`).get(id) as BaseRow | undefined;
  return row ? hydrate(db, [row])[0]! : null;
}

/** Adds tags, attributes and consent to base rows (one query each for the whole page). */
export function hydrate(db: Db, rows: BaseRow[]): ContactRow[] {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const marks = ids.map(() => '?').join(',');
  const tags = new Map<number, string[]>();
  for (const t of db
    .prepare(
      `SELECT ct.contact_id AS id, t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id IN (${marks}) ORDER BY t.name`,
    )
    .all(...ids) as { id: number; name: string }[]) {
    (tags.get(t.id) ?? tags.set(t.id, []).get(t.id)!).push(t.name);
  }
  const attrs = new Map<number, Record<string, AttributeValue>>();
  for (const a of db
    .prepare(
      `SELECT a.contact_id AS id, d.name, d.type, a.value FROM contact_attributes a JOIN attribute_defs d ON d.id = a.attr_id WHERE a.contact_id IN (${marks})`,
    )
    .all(...ids) as { id: number; name: string; type: AttributeType; value: string | number }[]) {
    const rec = attrs.get(a.id) ?? attrs.set(a.id, {}).get(a.id)!;
    rec[a.name] = a.type === 'boolean' ? a.value === 1 : a.value;
  }
  const consent = new Map<number, Record<ConsentCategory, ConsentState>>();
  for (const c of db.prepare(`SELECT contact_id AS id, category, state FROM consent_state WHERE contact_id IN (${marks})`).all(...ids) as {
    id: number;
    category: ConsentCategory;
    state: ConsentState;
  }[]) {
    const rec = consent.get(c.id) ?? consent.set(c.id, { marketing: 'unknown', utility: 'unknown' }).get(c.id)!;
    rec[c.category] = c.state;
  }
  return rows.map((r) => ({
    ...r,
    tags: tags.get(r.id) ?? [],
    attributes: attrs.get(r.id) ?? {},
    consent: consent.get(r.id) ?? { marketing: 'unknown', utility: 'unknown' },
  }));
}

/**
 * One page of the contacts table and the total, for a parsed filter. `where` builds the filter's
 * condition (called only when the shortcuts below do not answer: no filter, a tag alone).
 */
export function contactPage(
  db: Db,
  input: PageRequest,
  where: () => SqlCond & { ftsOnly?: string },
): { total: number; rows: ContactRow[] } {
  const { f, sort, order, offset, limit } = input;
  const onlyTag = f.tag && !f.search && !f.consent && !f.country && !f.segment;
  const unfiltered = !f.tag && !f.search && !f.consent && !f.country && !f.segment;
  const dir = order === 'asc' ? 'ASC' : 'DESC';
  const by = SORTS[sort] ?? 'c.id';
  const tail = `ORDER BY ${by} ${dir}${by === 'c.id' ? '' : `, c.id ${dir}`} LIMIT ? OFFSET ?`;
  if (unfiltered) {
    // Separate statements: min() and max() alone are single index seeks; count(*) scans the smallest index.
    const n = db.prepare('SELECT count(*) FROM contacts').pluck().get() as number;
    const lo = db.prepare('SELECT min(id) FROM contacts').pluck().get() as number | null;
    const hi = db.prepare('SELECT max(id) FROM contacts').pluck().get() as number | null;
    // Deep pages of the whole table (the virtualised list scrolled far): when ids have no gaps,
    // the row at an offset is known, so seek to it instead of stepping over `offset` rows.
    if (by === 'c.id' && lo !== null && hi !== null && hi - lo + 1 === n) {
      const start = dir === 'DESC' ? hi - offset : lo + offset;
      const rows = db
        .prepare(`SELECT ${BASE_COLUMNS} FROM contacts c WHERE c.id ${dir === 'DESC' ? '<=' : '>='} ? ORDER BY c.id ${dir} LIMIT ?`)
        .all(start, limit) as BaseRow[];
      return { total: n, rows: hydrate(db, rows) };
    }
    // Step over the offset on an index (ids, or the name/phone index) and read only the page.
    const ids = db.prepare(`SELECT c.id FROM contacts c ${tail}`).pluck().all(limit, offset) as number[];
    return { total: n, rows: hydrate(db, rowsInOrder(db, ids)) };
  }
  if (onlyTag && by === 'c.id') {
    // Tag only: the (tag_id, contact_id) key gives both the count and the page in id order.
    const tagId = db.prepare('SELECT id FROM tags WHERE name = ?').pluck().get(f.tag) as number | undefined;
    if (tagId === undefined) return { total: 0, rows: [] };
    const total = db.prepare('SELECT count(*) FROM contact_tags WHERE tag_id = ?').pluck().get(tagId) as number;
    // The offset is stepped over on the key alone; only the page's rows are read from contacts.
    const rows = db
      .prepare(
        `SELECT ${BASE_COLUMNS} FROM contacts c WHERE c.id IN (SELECT contact_id FROM contact_tags WHERE tag_id = ? ORDER BY contact_id ${dir} LIMIT ? OFFSET ?) ORDER BY c.id ${dir}`,
      )
      .all(tagId, limit, offset) as BaseRow[];
    return { total, rows: hydrate(db, rows) };
  }
  const w = where();
  const searchOnly = !!w.ftsOnly && !f.tag && !f.consent && !f.country && !f.segment;
  if (searchOnly && by === 'c.id') {
    // A search alone, newest or oldest first: the word index holds the matches in id order, so
    // it gives the page too, and only the page's rows are read from contacts (rather than every
    // match, to sort them).
    const total = db.prepare('SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH ?').pluck().get(w.ftsOnly) as number;
    const ids = db
      .prepare(`SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ? ORDER BY rowid ${dir} LIMIT ? OFFSET ?`)
      .pluck()
      .all(w.ftsOnly, limit, offset) as number[];
    return { total, rows: hydrate(db, rowsInOrder(db, ids)) };
  }
  // A search alone that the word index answers by itself: count in the index (every indexed rowid
  // is a contact — erasure removes its row from the index) instead of looking each one up.
  const total = (
    searchOnly
      ? db.prepare('SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH ?').pluck().get(w.ftsOnly)
      : db
          .prepare(`SELECT count(*) FROM contacts c WHERE ${w.sql}`)
          .pluck()
          .get(...w.params)
  ) as number;
  // Few matches (a specific search): fetch them and sort (cost ~ total), instead of walking the
  // table in order looking for them (cost ~ (offset + limit) × table size / total). "+" keeps
  // SQLite from using the index for ORDER BY.
  const size = (db.prepare('SELECT max(id) FROM contacts').pluck().get() as number | null) ?? 0;
  const sparse = total * total < (offset + limit) * size ? '+' : '';
  const sparseTail = `ORDER BY ${sparse}${by} ${dir}${by === 'c.id' ? '' : `, ${sparse}c.id ${dir}`} LIMIT ? OFFSET ?`;
  const rows = db
    .prepare(`SELECT ${BASE_COLUMNS} FROM contacts c WHERE ${w.sql} ${sparseTail}`)
    .all(...w.params, limit, offset) as BaseRow[];
  return { total, rows: hydrate(db, rows) };
}

/** The contacts of a page's ids, in the ids' order (ids that no longer exist are left out). */
function rowsInOrder(db: Db, ids: readonly number[]): BaseRow[] {
  const byId = new Map(
    (
      db
        .prepare(`SELECT ${BASE_COLUMNS} FROM contacts c WHERE c.id IN (SELECT value FROM json_each(?))`)
        .all(JSON.stringify(ids)) as BaseRow[]
    ).map((r) => [r.id, r]),
  );
  return ids.map((id) => byId.get(id)).filter((r): r is BaseRow => r !== undefined);
}

/** The given ids that exist (in chunks under SQLite's parameter limit). */
export function existingIds(db: Db, ids: number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < ids.length; i += 900) {
    const chunk = ids.slice(i, i + 900);
    out.push(
      ...(db
        .prepare(`SELECT id FROM contacts WHERE id IN (${chunk.map(() => '?').join(',')})`)
        .pluck()
        .all(...chunk) as number[]),
    );
  }
  return out;
}

export function idsWhere(db: Db, where: SqlCond): number[] {
  return db
    .prepare(`SELECT c.id FROM contacts c WHERE ${where.sql}`)
    .pluck()
    .all(...where.params) as number[];
}

export function countWhere(db: Db, where: SqlCond): number {
  return db
    .prepare(`SELECT count(*) FROM contacts c WHERE ${where.sql}`)
    .pluck()
    .get(...where.params) as number;
}

/** Contacts in id order, a page at a time (exports, audiences). */
export function* contactBatches(db: Db, where: SqlCond, batch = 2000): Generator<ContactRow[]> {
  let after = 0;
  // The BSUID columns too: exports write them (contacts/export.ts).
  const stmt = db.prepare(`SELECT ${BASE_COLUMNS} FROM contacts c WHERE c.id > ? AND ${where.sql} ORDER BY c.id LIMIT ?`);
  for (;;) {
    const rows = stmt.all(after, ...where.params, batch) as BaseRow[];
    if (!rows.length) return;
    after = rows[rows.length - 1]!.id;
    yield hydrate(db, rows);
    if (rows.length < batch) return;
  }
}

/** The condition naming a list of ids (one parameter, however many ids). */
export function idListCondition(ids: number[]): SqlCond {
  return { sql: `c.id IN (SELECT value FROM json_each(?))`, params: [JSON.stringify(ids)] };
}

// ---- editing -----------------------------------------------------------------------------------

export function updateContactFields(
  db: Db,
  id: number,
  c: { first: string | null; last: string | null; name: string; email: string | null },
  now: number,
): void {
  db.prepare('UPDATE contacts SET first_name = ?, last_name = ?, name = ?, email = ?, updated_at = ? WHERE id = ?').run(
    c.first,
    c.last,
    c.name,
    c.email,
    now,
    id,
  );
}

/** A contact with only a number (an opt-out for a number not in contacts); returns its id. */
export function insertBareContact(db: Db, e164: string, country: string | null, now: number): number {
  return Number(
    db
      .prepare('INSERT INTO contacts (phone, name, country, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
      .run(e164, '', country, now, now).lastInsertRowid,
  );
}

export function clearTags(db: Db, id: number): void {
  db.prepare('DELETE FROM contact_tags WHERE contact_id = ?').run(id);
}

/** A tag's id, the tag made when none of that name (in any case: names are NOCASE-unique) exists yet. */
export function tagIdOf(db: Db, name: string, now: number): number {
  db.prepare('INSERT OR IGNORE INTO tags (name, created_at) VALUES (?, ?)').run(name, now);
  return db.prepare('SELECT id FROM tags WHERE name = ?').pluck().get(name) as number;
}

/** Tags the contacts (creating the tag); returns how many were not tagged yet. */
export function addTag(db: Db, ids: number[], tag: string, now: number): number {
  const tagId = tagIdOf(db, tag, now);
  const ins = db.prepare('INSERT OR IGNORE INTO contact_tags (tag_id, contact_id) VALUES (?, ?)');
  let n = 0;
  for (const id of ids) n += ins.run(tagId, id).changes;
  return n;
}

/** Removes a tag from the contacts; returns how many had it. */
export function removeTag(db: Db, ids: number[], tag: string): number {
  const tagId = db.prepare('SELECT id FROM tags WHERE name = ?').pluck().get(tag) as number | undefined;
  if (tagId === undefined) return 0;
  const del = db.prepare('DELETE FROM contact_tags WHERE tag_id = ? AND contact_id = ?');
  let n = 0;
  for (const id of ids) n += del.run(tagId, id).changes;
  return n;
}

export function attributeDef(db: Db, name: string): { id: number; type: AttributeType } | undefined {
  return db.prepare('SELECT id, type FROM attribute_defs WHERE name = ?').get(name) as { id: number; type: AttributeType } | undefined;
}

export function insertAttributeDef(db: Db, name: string, type: AttributeType, now: number): number {
  return Number(db.prepare('INSERT INTO attribute_defs (name, type, created_at) VALUES (?, ?, ?)').run(name, type, now).lastInsertRowid);
}

export function setAttributeValue(db: Db, id: number, attrId: number, stored: string | number): void {
  db.prepare('INSERT OR REPLACE INTO contact_attributes (contact_id, attr_id, value) VALUES (?, ?, ?)').run(id, attrId, stored);
}

export function deleteAttributeValue(db: Db, id: number, attrId: number): void {
  db.prepare('DELETE FROM contact_attributes WHERE contact_id = ? AND attr_id = ?').run(id, attrId);
}

// ---- message history ---------------------------------------------------------------------------

export function messageHistory(db: Db, id: number): MessageRow[] {
  return (
    db
      // The status follows the campaign's ledger (delivered, read, a later failure), not the moment of sending.
      .prepare(
        `SELECT m.campaign_id, m.campaign_name, m.template, coalesce(r.state, m.status) AS status, coalesce(r.error_detail, m.error) AS error, m.at
      FROM contact_messages m LEFT JOIN campaign_recipients r ON r.campaign_id = m.campaign_id AND r.contact_id = m.contact_id
      WHERE m.contact_id = ? ORDER BY m.at DESC, m.id DESC LIMIT 500`,
      )
      .all(id) as MessageRow[]
  );
}

/** A message to a contact: its history row and last_messaged_at (for segments), atomically. */
export function recordMessage(db: Db, m: NewMessage, at: number): void {
  db.transaction(() => {
    db.prepare(
      'INSERT INTO contact_messages (contact_id, campaign_id, campaign_name, template, status, error, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(m.contactId, m.campaignId ?? null, m.campaignName ?? null, m.template ?? null, m.status, m.error ?? null, at);
    db.prepare('UPDATE contacts SET last_messaged_at = max(coalesce(last_messaged_at, 0), ?) WHERE id = ?').run(at, m.contactId);
  })();
}

// ---- erasure -----------------------------------------------------------------------------------

/** Deletes a contact, its search-index rows, and (by cascade) tags, attributes, consent, messages. */
export function deleteContact(db: Db, id: number): void {
  db.prepare('DELETE FROM contacts_fts WHERE rowid = ?').run(id);
  db.prepare('DELETE FROM contacts_fts_pending WHERE contact_id = ?').run(id);
  db.prepare('DELETE FROM contacts WHERE id = ?').run(id); // cascades: tags, attributes, consent, messages
}

export function insertAudit(db: Db, at: number, actor: string, action: string, detail: Record<string, unknown>): void {
  db.prepare('INSERT INTO audit_log (at, actor, action, detail) VALUES (?, ?, ?, ?)').run(at, actor, action, JSON.stringify(detail));
}

// ---- overview ----------------------------------------------------------------------------------

export function tagCounts(db: Db): { name: string; count: number }[] {
  return db
    .prepare(
      'SELECT t.name, (SELECT count(*) FROM contact_tags ct WHERE ct.tag_id = t.id) AS count FROM tags t ORDER BY t.name COLLATE NOCASE',
    )
    .all() as { name: string; count: number }[];
}

export function attributeDefinitions(db: Db): AttributeDefinition[] {
  return db
    .prepare(
      'SELECT d.name, d.type, (SELECT count(*) FROM contact_attributes a WHERE a.attr_id = d.id) AS count FROM attribute_defs d ORDER BY d.name COLLATE NOCASE',
    )
    .all() as AttributeDefinition[];
}

export function stats(db: Db): ContactsStats {
  const total = db.prepare('SELECT count(*) FROM contacts').pluck().get() as number;
  const consent: ContactsStats['consent'] = {
    marketing: { opted_in: 0, opted_out: 0, unknown: 0 },
    utility: { opted_in: 0, opted_out: 0, unknown: 0 },
  };
  for (const r of db.prepare('SELECT category, state, count(*) AS n FROM consent_state GROUP BY category, state').all() as {
    category: ConsentCategory;
    state: ConsentState;
    n: number;
  }[]) {
    consent[r.category][r.state] = r.n;
  }
  for (const cat of ['marketing', 'utility'] as const) consent[cat].unknown = total - consent[cat].opted_in - consent[cat].opted_out;
  return {
    total,
    consent,
    countries: db
      .prepare("SELECT coalesce(country, '') AS country, count(*) AS count FROM contacts GROUP BY country ORDER BY count DESC LIMIT 10")
      .all() as { country: string; count: number }[],
    tags: db.prepare('SELECT count(*) FROM tags').pluck().get() as number,
    segments: db.prepare('SELECT count(*) FROM segments').pluck().get() as number,
    lastImportAt: (db.prepare('SELECT max(finished_at) FROM imports').pluck().get() as number | null) ?? null,
  };
}
