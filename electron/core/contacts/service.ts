/**
 * ContactsService: the contacts store for every domain (handlers, CLI, campaigns, webhooks).
 *
 * For campaigns: `audience(expr, category)` / `countAudience` / `iterateAudience` resolve an
 * audience expression (all, tag:NAME, segment:NAME, and/or/not, parentheses) to contacts WITH their
 * consent per category; contacts opted out of the category are never returned (suppression).
 * `recordMessage` fills the contact's message history (drawer) and last_messaged_at (segments).
 * For webhooks: `recordConsentByPhone` (STOP keyword, button, Meta preference, error 131050).
 * Erasure: `erase` removes the contact and its personal data; listeners registered with `onErase`
 * (the campaigns ledger) get the contact id and a SHA-256 of the phone so they can null out
 * personal fields while keeping anonymous counts. It also keeps a suppression record (a keyed hash
 * of the number, erasures.ts) so the number is not imported again; a bulk delete does not.
 */
import crypto from 'node:crypto';
import type {
  AttributeDefinition,
  AttributeType,
  AttributeValue,
  ConsentCategory,
  ConsentSource,
  ConsentState,
  ContactDetail,
  ContactFilter,
  ContactRow,
  ContactsStats,
  MappingEntry,
  MessageHistoryRow,
  SavedMapping,
  Segment,
  SegmentRule,
} from '../../../shared/contract/contacts';
import { contactFilterSchema, segmentRuleSchema } from '../../../shared/contract/contacts';
import type { CoreContext } from '../context';
import type { Db } from '../db/connection';
import { badInput, notFound, PacerError } from '../errors';
import { consentHistory, consentOf, recordConsent } from './consent';
import { erasedAt, liftErasure, recordErasure } from './erasures';
import { confirmNumber, holdHistory, holdOf } from './holds';
import { displayName } from './names';
import { normalizePhone } from './phone';
import { audienceSql, notOptedOutSql, ruleSql, segmentSqlById, type SqlCond } from './rules';
import { reindexContact, searchClause, SearchIndexer } from './search';

export type ContactRef = { id: number } | { phone: string };

interface BaseRow {
  id: number;
  phone: string;
  name: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  country: string | null;
  created_at: number;
  updated_at: number;
  last_messaged_at: number | null;
}

const BASE_COLUMNS = 'c.id, c.phone, c.name, c.first_name, c.last_name, c.email, c.country, c.created_at, c.updated_at, c.last_messaged_at';
const SORTS: Record<string, string> = {
  created: 'c.id',
  updated: 'c.updated_at',
  name: 'c.name COLLATE NOCASE',
  phone: 'c.phone',
};

export interface AudienceOptions {
  /** Consent category the campaign needs (template category); opted-out contacts are excluded. */
  category?: ConsentCategory;
}

export interface EraseInfo {
  contactId: number;
  /** SHA-256 (hex) of the E.164 phone: lets a ledger keep anonymous rows countable. */
  phoneHash: string;
}

const indexers = new WeakMap<Db, SearchIndexer>();
const eraseListeners = new WeakMap<Db, Set<(info: EraseInfo) => void>>();

export const phoneHash = (e164: string) => crypto.createHash('sha256').update(e164).digest('hex');

export class ContactsService {
  readonly db: Db;
  readonly indexer: SearchIndexer;

  constructor(private readonly ctx: CoreContext) {
    this.db = ctx.db;
    let indexer = indexers.get(ctx.db);
    if (!indexer) {
      indexer = new SearchIndexer(ctx.db, ctx.log);
      indexers.set(ctx.db, indexer);
      const i = indexer;
      ctx.onClose(() => i.stop());
    }
    this.indexer = indexer;
  }

  private now(): number {
    return this.ctx.clock.now();
  }

  defaultCountry(): string {
    return this.ctx.settings.get().defaultCountry;
  }

  /** E.164 of a phone typed in any format (default country from Settings); bad_input otherwise. */
  normalize(phone: string): string {
    const r = normalizePhone(phone, this.defaultCountry());
    if (!r.ok) throw badInput(`${phone}: ${r.reason}`);
    return r.e164;
  }

  idOf(ref: ContactRef): number {
    if ('id' in ref) {
      if (!this.db.prepare('SELECT 1 FROM contacts WHERE id = ?').get(ref.id)) throw notFound(`No contact with id ${ref.id}.`);
      return ref.id;
    }
    const e164 = this.normalize(ref.phone);
    const id = this.db.prepare('SELECT id FROM contacts WHERE phone = ?').pluck().get(e164) as number | undefined;
    if (id === undefined) throw notFound(`No contact with phone ${e164}.`);
    return id;
  }

  getByPhone(phone: string): ContactRow | null {
    const r = normalizePhone(phone, this.defaultCountry());
    if (!r.ok) return null;
    const row = this.db.prepare(`SELECT ${BASE_COLUMNS} FROM contacts c WHERE c.phone = ?`).get(r.e164) as BaseRow | undefined;
    return row ? this.hydrate([row])[0]! : null;
  }

  getById(id: number): ContactRow | null {
    const row = this.db.prepare(`SELECT ${BASE_COLUMNS} FROM contacts c WHERE c.id = ?`).get(id) as BaseRow | undefined;
    return row ? this.hydrate([row])[0]! : null;
  }

  /** Adds tags, attributes and consent to base rows (one query each for the whole page). */
  hydrate(rows: BaseRow[]): ContactRow[] {
    if (!rows.length) return [];
    const ids = rows.map((r) => r.id);
    const marks = ids.map(() => '?').join(',');
    const tags = new Map<number, string[]>();
    for (const t of this.db.prepare(`SELECT ct.contact_id AS id, t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id IN (${marks}) ORDER BY t.name`).all(...ids) as { id: number; name: string }[]) {
      (tags.get(t.id) ?? tags.set(t.id, []).get(t.id)!).push(t.name);
    }
    const attrs = new Map<number, Record<string, AttributeValue>>();
    for (const a of this.db
      .prepare(`SELECT a.contact_id AS id, d.name, d.type, a.value FROM contact_attributes a JOIN attribute_defs d ON d.id = a.attr_id WHERE a.contact_id IN (${marks})`)
      .all(...ids) as { id: number; name: string; type: AttributeType; value: string | number }[]) {
      const rec = attrs.get(a.id) ?? attrs.set(a.id, {}).get(a.id)!;
      rec[a.name] = a.type === 'boolean' ? a.value === 1 : a.value;
    }
    const consent = new Map<number, Record<ConsentCategory, ConsentState>>();
    for (const c of this.db.prepare(`SELECT contact_id AS id, category, state FROM consent_state WHERE contact_id IN (${marks})`).all(...ids) as {
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

  /** SQL condition for the contacts table's filters (search, tag, consent, country, segment). */
  filterSql(filter: ContactFilter = {}): SqlCond & { ftsOnly?: string } {
    const f = contactFilterSchema.parse(filter);
    let ftsOnly: string | undefined;
    const parts: string[] = [];
    const params: unknown[] = [];
    const add = (c: SqlCond) => {
      parts.push(c.sql);
      params.push(...c.params);
    };
    if (f.search) {
      const digits = f.search.replace(/\D/g, '');
      let exact: string | null = null;
      if (digits.length >= 7) {
        const r = normalizePhone(f.search, this.defaultCountry());
        if (r.ok) exact = r.e164;
      }
      const s = searchClause(this.db, f.search, exact);
      if (s) {
        add(s);
        ftsOnly = s.ftsOnly;
      }
    }
    if (f.tag) add({ sql: 'c.id IN (SELECT ct.contact_id FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE t.name = ?)', params: [f.tag] });
    if (f.consent) {
      add(
        f.consent === 'unknown'
          ? { sql: 'NOT EXISTS (SELECT 1 FROM consent_state cs WHERE cs.contact_id = c.id AND cs.category = ?)', params: [f.consentCategory] }
          : { sql: 'c.id IN (SELECT cs.contact_id FROM consent_state cs WHERE cs.category = ? AND cs.state = ?)', params: [f.consentCategory, f.consent] },
      );
    }
    if (f.country) add({ sql: 'c.country = ?', params: [f.country] });
    if (f.segment) add(segmentSqlById(this.db, f.segment, this.now()));
    return { sql: parts.length ? parts.join(' AND ') : '1', params, ...(ftsOnly ? { ftsOnly } : {}) };
  }

  query(input: ContactFilter & { sort?: string; order?: 'asc' | 'desc'; offset?: number; limit?: number }): { total: number; rows: ContactRow[] } {
    const { sort = 'created', order = 'desc', offset = 0, limit = 100, ...filter } = input;
    const f = contactFilterSchema.parse(filter);
    const onlyTag = f.tag && !f.search && !f.consent && !f.country && !f.segment;
    const unfiltered = !f.tag && !f.search && !f.consent && !f.country && !f.segment;
    const dir = order === 'asc' ? 'ASC' : 'DESC';
    const by = SORTS[sort] ?? 'c.id';
    const tail = `ORDER BY ${by} ${dir}${by === 'c.id' ? '' : `, c.id ${dir}`} LIMIT ? OFFSET ?`;
    if (unfiltered) {
      // Separate statements: min() and max() alone are single index seeks; count(*) scans the smallest index.
      const n = this.db.prepare('SELECT count(*) FROM contacts').pluck().get() as number;
      const lo = this.db.prepare('SELECT min(id) FROM contacts').pluck().get() as number | null;
      const hi = this.db.prepare('SELECT max(id) FROM contacts').pluck().get() as number | null;
      // Deep pages of the whole table (the virtualised list scrolled far): when ids have no gaps,
      // the row at an offset is known, so seek to it instead of stepping over `offset` rows.
      if (by === 'c.id' && lo !== null && hi !== null && hi - lo + 1 === n) {
        const start = dir === 'DESC' ? hi - offset : lo + offset;
        const rows = this.db
          .prepare(`SELECT ${BASE_COLUMNS} FROM contacts c WHERE c.id ${dir === 'DESC' ? '<=' : '>='} ? ORDER BY c.id ${dir} LIMIT ?`)
          .all(start, limit) as BaseRow[];
        return { total: n, rows: this.hydrate(rows) };
      }
      // Step over the offset on an index (ids, or the name/phone index) and read only the page.
      const ids = this.db.prepare(`SELECT c.id FROM contacts c ${tail}`).pluck().all(limit, offset) as number[];
      const byId = new Map(
        (this.db.prepare(`SELECT ${BASE_COLUMNS} FROM contacts c WHERE c.id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)) as BaseRow[]).map((r) => [r.id, r]),
      );
      return { total: n, rows: this.hydrate(ids.map((id) => byId.get(id)!).filter(Boolean)) };
    }
    if (onlyTag && by === 'c.id') {
      // Tag only: the (tag_id, contact_id) key gives both the count and the page in id order.
      const tagId = this.db.prepare('SELECT id FROM tags WHERE name = ?').pluck().get(f.tag) as number | undefined;
      if (tagId === undefined) return { total: 0, rows: [] };
      const total = this.db.prepare('SELECT count(*) FROM contact_tags WHERE tag_id = ?').pluck().get(tagId) as number;
      // The offset is stepped over on the key alone; only the page's rows are read from contacts.
      const rows = this.db
        .prepare(
          `SELECT ${BASE_COLUMNS} FROM contacts c WHERE c.id IN (SELECT contact_id FROM contact_tags WHERE tag_id = ? ORDER BY contact_id ${dir} LIMIT ? OFFSET ?) ORDER BY c.id ${dir}`,
        )
        .all(tagId, limit, offset) as BaseRow[];
      return { total, rows: this.hydrate(rows) };
    }
    const where = this.filterSql(f);
    // A search alone that the word index answers by itself: count in the index (every indexed rowid
    // is a contact — erasure removes its row from the index) instead of looking each one up.
    const total = (
      where.ftsOnly && !f.tag && !f.consent && !f.country && !f.segment
        ? this.db.prepare('SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH ?').pluck().get(where.ftsOnly)
        : this.db.prepare(`SELECT count(*) FROM contacts c WHERE ${where.sql}`).pluck().get(...where.params)
    ) as number;
    // Few matches (a specific search): fetch them and sort (cost ~ total), instead of walking the
    // table in order looking for them (cost ~ (offset + limit) × table size / total). "+" keeps
    // SQLite from using the index for ORDER BY.
    const size = (this.db.prepare('SELECT max(id) FROM contacts').pluck().get() as number | null) ?? 0;
    const sparse = total * total < (offset + limit) * size ? '+' : '';
    const sparseTail = `ORDER BY ${sparse}${by} ${dir}${by === 'c.id' ? '' : `, ${sparse}c.id ${dir}`} LIMIT ? OFFSET ?`;
    const rows = this.db.prepare(`SELECT ${BASE_COLUMNS} FROM contacts c WHERE ${where.sql} ${sparseTail}`).all(...where.params, limit, offset) as BaseRow[];
    return { total, rows: this.hydrate(rows) };
  }

  /** Ids matching a filter, or the given ids that exist. */
  private targetIds(ids: number[] | undefined, filter: ContactFilter | undefined): number[] {
    if (ids) {
      if (!ids.length) return [];
      const out: number[] = [];
      for (let i = 0; i < ids.length; i += 900) {
        const chunk = ids.slice(i, i + 900);
        out.push(...(this.db.prepare(`SELECT id FROM contacts WHERE id IN (${chunk.map(() => '?').join(',')})`).pluck().all(...chunk) as number[]));
      }
      return out;
    }
    if (!filter) throw badInput('Give the contacts: ids or a filter.');
    const where = this.filterSql(filter);
    return this.db.prepare(`SELECT c.id FROM contacts c WHERE ${where.sql}`).pluck().all(...where.params) as number[];
  }

  detail(ref: ContactRef): ContactDetail {
    const id = this.idOf(ref);
    const messages = (
      this.db
        // The status follows the campaign's ledger (delivered, read, a later failure), not the moment of sending.
        .prepare(`SELECT m.campaign_id, m.campaign_name, m.template, coalesce(r.state, m.status) AS status, coalesce(r.error_detail, m.error) AS error, m.at
          FROM contact_messages m LEFT JOIN campaign_recipients r ON r.campaign_id = m.campaign_id AND r.contact_id = m.contact_id
          WHERE m.contact_id = ? ORDER BY m.at DESC, m.id DESC LIMIT 500`)
        .all(id) as { campaign_id: string | null; campaign_name: string | null; template: string | null; status: string; error: string | null; at: number }[]
    ).map((m): MessageHistoryRow => ({ campaignId: m.campaign_id, campaignName: m.campaign_name, template: m.template, status: m.status, at: m.at, error: m.error }));
    return { contact: this.getById(id)!, consentHistory: consentHistory(this.db, id), messages, hold: holdOf(this.db, id), holdHistory: holdHistory(this.db, id) };
  }

  /** The marketer confirms a contact whose number changed hands: releases the hold (audited). */
  confirmNumber(ref: ContactRef, actor: string): { released: boolean; contact: ContactRow } {
    const id = this.idOf(ref);
    const released = confirmNumber(this.db, id, actor, this.now());
    this.ctx.emit('contacts:changed', { reason: 'consent' });
    return { released, contact: this.getById(id)! };
  }

  update(input: {
    id: number;
    first_name?: string | null | undefined;
    last_name?: string | null | undefined;
    email?: string | null | undefined;
    tags?: string[] | undefined;
    attributes?: Record<string, string | number | boolean | null> | undefined;
  }): ContactRow {
    const id = this.idOf({ id: input.id });
    const now = this.now();
    this.db.transaction(() => {
      const cur = this.getById(id)!;
      const first = input.first_name !== undefined ? input.first_name?.trim() || null : cur.first_name;
      const last = input.last_name !== undefined ? input.last_name?.trim() || null : cur.last_name;
      let email = input.email !== undefined ? input.email?.trim() || null : cur.email;
      if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw badInput(`"${email}" is not an email address.`);
      const nameChanged = input.first_name !== undefined || input.last_name !== undefined;
      const name = nameChanged ? displayName(first, last) || cur.name : cur.name;
      email = email ?? null;
      this.db.prepare('UPDATE contacts SET first_name = ?, last_name = ?, name = ?, email = ?, updated_at = ? WHERE id = ?').run(first, last, name, email, now, id);
      if (input.tags) {
        this.db.prepare('DELETE FROM contact_tags WHERE contact_id = ?').run(id);
        for (const t of input.tags) this.addTag([id], t, now);
      }
      if (input.attributes) {
        for (const [name, value] of Object.entries(input.attributes)) this.setAttribute(id, name, value, now);
      }
      reindexContact(this.db, id);
    })();
    this.ctx.emit('contacts:changed', { reason: 'update' });
    return this.getById(id)!;
  }

  private setAttribute(id: number, name: string, value: string | number | boolean | null, now: number): void {
    let def = this.db.prepare('SELECT id, type FROM attribute_defs WHERE name = ?').get(name) as { id: number; type: AttributeType } | undefined;
    if (value === null) {
      if (def) this.db.prepare('DELETE FROM contact_attributes WHERE contact_id = ? AND attr_id = ?').run(id, def.id);
      return;
    }
    if (!def) {
      const type: AttributeType = typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'text';
      const r = this.db.prepare('INSERT INTO attribute_defs (name, type, created_at) VALUES (?, ?, ?)').run(name, type, now);
      def = { id: Number(r.lastInsertRowid), type };
    }
    let stored: string | number;
    if (def.type === 'number') {
      if (typeof value !== 'number' && !(typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))) throw badInput(`${name} must be a number.`);
      stored = Number(value);
    } else if (def.type === 'boolean') {
      if (typeof value !== 'boolean') throw badInput(`${name} must be true or false.`);
      stored = value ? 1 : 0;
    } else if (def.type === 'date') {
      if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw badInput(`${name} must be a date (YYYY-MM-DD).`);
      stored = value;
    } else stored = String(value);
    this.db.prepare('INSERT OR REPLACE INTO contact_attributes (contact_id, attr_id, value) VALUES (?, ?, ?)').run(id, def.id, stored);
  }

  private addTag(ids: number[], tag: string, now: number): number {
    this.db.prepare('INSERT OR IGNORE INTO tags (name, created_at) VALUES (?, ?)').run(tag, now);
    const tagId = this.db.prepare('SELECT id FROM tags WHERE name = ?').pluck().get(tag) as number;
    const ins = this.db.prepare('INSERT OR IGNORE INTO contact_tags (tag_id, contact_id) VALUES (?, ?)');
    let n = 0;
    for (const id of ids) n += ins.run(tagId, id).changes;
    return n;
  }

  bulk(
    input: { action: 'tag' | 'untag' | 'opt-out' | 'delete'; tag?: string | undefined; category: ConsentCategory | 'all'; reason?: string | undefined; ids?: number[] | undefined; filter?: ContactFilter | undefined; confirm: boolean },
    actor: string,
  ): { matched: number; affected: number } {
    if ((input.action === 'tag' || input.action === 'untag') && !input.tag) throw badInput('Give the tag to add or remove.');
    const ids = this.targetIds(input.ids, input.filter);
    if (!input.confirm) return { matched: ids.length, affected: 0 };
    const now = this.now();
    let affected = 0;
    this.db.transaction(() => {
      switch (input.action) {
        case 'tag':
          affected = this.addTag(ids, input.tag!, now);
          break;
        case 'untag': {
          const tagId = this.db.prepare('SELECT id FROM tags WHERE name = ?').pluck().get(input.tag) as number | undefined;
          if (tagId === undefined) break;
          const del = this.db.prepare('DELETE FROM contact_tags WHERE tag_id = ? AND contact_id = ?');
          for (const id of ids) affected += del.run(tagId, id).changes;
          break;
        }
        case 'opt-out':
          for (const id of ids) {
            const changed = recordConsent(this.db, { contactId: id, category: input.category, state: 'opted_out', source: 'manual', sourceDetail: 'manual (bulk)', actor, evidence: input.reason ?? null, at: now });
            if (changed.length) affected++;
          }
          break;
        case 'delete':
          for (const id of ids) affected += this.eraseById(id, false) ? 1 : 0;
          break;
      }
    })();
    this.ctx.emit('contacts:changed', { reason: input.action === 'delete' ? 'delete' : input.action === 'opt-out' ? 'consent' : 'bulk' });
    return { matched: ids.length, affected };
  }

  optIn(input: { contact: ContactRef; category: ConsentCategory; source: string; reason?: string | undefined }, actor: string): ContactRow {
    const id = this.idOf(input.contact);
    recordConsent(this.db, { contactId: id, category: input.category, state: 'opted_in', source: 'manual', sourceDetail: 'manual', actor, evidence: input.source, reason: input.reason ?? null, at: this.now() });
    this.ctx.emit('contacts:changed', { reason: 'consent' });
    return this.getById(id)!;
  }

  optOut(input: { contact: ContactRef; category: ConsentCategory | 'all'; reason?: string | undefined }, actor: string): ContactRow {
    const id = this.idOf(input.contact);
    recordConsent(this.db, { contactId: id, category: input.category, state: 'opted_out', source: 'manual', sourceDetail: 'manual', actor, evidence: input.reason ?? null, at: this.now() });
    this.ctx.emit('contacts:changed', { reason: 'consent' });
    return this.getById(id)!;
  }

  /**
   * A consent change from outside the app (webhooks: keyword, button, Meta preference, error
   * 131050). An opt-out for a number not in contacts creates the contact, so it stays suppressed
   * if it is imported later. Answers the contact id, or null (opt-in for an unknown number).
   */
  recordConsentByPhone(input: {
    phone: string;
    category: ConsentCategory | 'all';
    state: 'opted_in' | 'opted_out';
    source: Exclude<ConsentSource, 'import' | 'manual'>;
    sourceDetail: string;
    actor?: string;
    evidence?: string | null;
    /** When the person acted (the webhook's timestamp, ms); default now. Consent follows the latest. */
    at?: number;
  }): number | null {
    const r = normalizePhone(input.phone, this.defaultCountry());
    const e164 = r.ok ? r.e164 : input.phone.startsWith('+') ? input.phone : `+${input.phone.replace(/\D/g, '')}`;
    const now = this.now();
    let id = this.db.prepare('SELECT id FROM contacts WHERE phone = ?').pluck().get(e164) as number | undefined;
    if (id === undefined) {
      if (input.state === 'opted_in') return null;
      // An erased person: their suppression record already keeps the number out; keeping the
      // number again as a bare contact would undo the erasure.
      if (erasedAt(this.db, e164) !== null) return null;
      id = Number(
        this.db.prepare('INSERT INTO contacts (phone, name, country, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(e164, '', r.ok ? r.country : null, now, now).lastInsertRowid,
      );
    }
    recordConsent(this.db, { contactId: id, category: input.category, state: input.state, source: input.source, sourceDetail: input.sourceDetail, actor: input.actor ?? 'webhook', evidence: input.evidence ?? null, at: input.at ?? now });
    this.ctx.emit('contacts:changed', { reason: 'consent' });
    return id;
  }

  /** For campaigns: a message to this contact (history in the drawer; last_messaged_at for segments). */
  recordMessage(m: { contactId: number; campaignId?: string | null; campaignName?: string | null; template?: string | null; status: string; error?: string | null; at?: number }): void {
    const at = m.at ?? this.now();
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO contact_messages (contact_id, campaign_id, campaign_name, template, status, error, at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(m.contactId, m.campaignId ?? null, m.campaignName ?? null, m.template ?? null, m.status, m.error ?? null, at);
      this.db.prepare('UPDATE contacts SET last_messaged_at = max(coalesce(last_messaged_at, 0), ?) WHERE id = ?').run(at, m.contactId);
    })();
  }

  /** Registers a listener called (inside the erasure transaction) for every erased contact. */
  onErase(listener: (info: EraseInfo) => void): () => void {
    let set = eraseListeners.get(this.db);
    if (!set) eraseListeners.set(this.db, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  /**
   * Deletes a contact and its personal data. `suppress`: the person asked to be erased — keep a
   * suppression record (keyed hash, time, reason) so the number is not imported again. The audit
   * entry holds that keyed hash (an erasure) or nothing about the number (a bulk delete): a plain
   * SHA-256 of a phone number can be reversed by trying every number.
   */
  private eraseById(id: number, suppress: boolean): boolean {
    const phone = this.db.prepare('SELECT phone FROM contacts WHERE id = ?').pluck().get(id) as string | undefined;
    if (phone === undefined) return false;
    const info = { contactId: id, phoneHash: phoneHash(phone) };
    for (const l of eraseListeners.get(this.db) ?? []) l(info);
    this.db.prepare('DELETE FROM contacts_fts WHERE rowid = ?').run(id);
    this.db.prepare('DELETE FROM contacts_fts_pending WHERE contact_id = ?').run(id);
    this.db.prepare('DELETE FROM contacts WHERE id = ?').run(id); // cascades: tags, attributes, consent, messages
    const now = this.now();
    const detail = suppress ? { erasure_record: recordErasure(this.db, phone, now) } : { bulk_delete: true };
    this.db.prepare("INSERT INTO audit_log (at, actor, action, detail) VALUES (?, 'user', 'contact.erased', ?)").run(now, JSON.stringify(detail));
    return true;
  }

  /** The person asked to be added again: their suppression record goes (audited with its hash and the reason). */
  liftErasure(input: { phone: string; reason: string }, actor: string): { lifted: boolean; erased_at: number | null } {
    const e164 = this.normalize(input.phone);
    return this.db.transaction(() => {
      const lifted = liftErasure(this.db, e164);
      if (!lifted) return { lifted: false, erased_at: null };
      this.db.prepare("INSERT INTO audit_log (at, actor, action, detail) VALUES (?, ?, 'contact.erasure_lifted', ?)")
        .run(this.now(), actor, JSON.stringify({ erasure_record: lifted.hash, erased_at: lifted.erasedAt, reason: input.reason }));
      return { lifted: true, erased_at: lifted.erasedAt };
    })();
  }

  /**
   * Erasure (data-subject request): the contact and all personal data held about them, and a
   * suppression record so a later import of the same number rejects it (erasures.ts).
   */
  erase(ref: ContactRef): { deleted: boolean } {
    let id: number;
    try {
      id = this.idOf(ref);
    } catch (e) {
      if (e instanceof PacerError && e.code === 'not_found') return { deleted: false };
      throw e;
    }
    const deleted = this.db.transaction(() => this.eraseById(id, true))();
    this.ctx.emit('contacts:changed', { reason: 'delete' });
    return { deleted };
  }

  /** Everything held about one contact (data-subject access request). */
  subjectExport(ref: ContactRef): Record<string, unknown> {
    const d = this.detail(ref);
    return {
      exported_at: new Date(this.now()).toISOString(),
      contact: d.contact,
      consent_history: d.consentHistory,
      messages: d.messages,
    };
  }

  /** Contacts in id order, a page at a time (exports, audiences). */
  *iterate(where: SqlCond, batch = 2000): Generator<ContactRow[]> {
    let after = 0;
    const stmt = this.db.prepare(`SELECT ${BASE_COLUMNS} FROM contacts c WHERE c.id > ? AND ${where.sql} ORDER BY c.id LIMIT ?`);
    for (;;) {
      const rows = stmt.all(after, ...where.params, batch) as BaseRow[];
      if (!rows.length) return;
      after = rows[rows.length - 1]!.id;
      yield this.hydrate(rows);
      if (rows.length < batch) return;
    }
  }

  exportWhere(filter: ContactFilter | undefined, ids: number[] | undefined): SqlCond {
    if (ids) {
      if (!ids.length) return { sql: '0', params: [] };
      return { sql: `c.id IN (SELECT value FROM json_each(?))`, params: [JSON.stringify(ids)] };
    }
    return this.filterSql(filter ?? {});
  }

  // --- audiences (campaigns) --------------------------------------------------------------------

  /** SQL condition on `contacts c` for an audience expression, suppression included. */
  audience(expr: string, opts: AudienceOptions = {}): SqlCond {
    const a = audienceSql(this.db, expr, this.now());
    const s = notOptedOutSql(opts.category ?? 'marketing');
    return { sql: `${a.sql} AND ${s.sql}`, params: [...a.params, ...s.params] };
  }

  /** How many contacts the expression names, how many of them opted out, and how many remain. */
  countAudience(expr: string, opts: AudienceOptions = {}): { matched: number; optedOut: number; eligible: number } {
    const a = audienceSql(this.db, expr, this.now());
    const matched = this.db.prepare(`SELECT count(*) FROM contacts c WHERE ${a.sql}`).pluck().get(...a.params) as number;
    const w = this.audience(expr, opts);
    const eligible = this.db.prepare(`SELECT count(*) FROM contacts c WHERE ${w.sql}`).pluck().get(...w.params) as number;
    return { matched, optedOut: matched - eligible, eligible };
  }

  /** The audience's contacts (never an opted-out one), with consent per category, in id order. */
  iterateAudience(expr: string, opts: AudienceOptions & { batch?: number } = {}): Generator<ContactRow[]> {
    return this.iterate(this.audience(expr, opts), opts.batch);
  }

  // --- lists and stats --------------------------------------------------------------------------

  tags(): { name: string; count: number }[] {
    return this.db
      .prepare('SELECT t.name, (SELECT count(*) FROM contact_tags ct WHERE ct.tag_id = t.id) AS count FROM tags t ORDER BY t.name COLLATE NOCASE')
      .all() as { name: string; count: number }[];
  }

  attributes(): AttributeDefinition[] {
    return this.db
      .prepare('SELECT d.name, d.type, (SELECT count(*) FROM contact_attributes a WHERE a.attr_id = d.id) AS count FROM attribute_defs d ORDER BY d.name COLLATE NOCASE')
      .all() as AttributeDefinition[];
  }

  stats(): ContactsStats {
    const total = this.db.prepare('SELECT count(*) FROM contacts').pluck().get() as number;
    const consent: ContactsStats['consent'] = {
      marketing: { opted_in: 0, opted_out: 0, unknown: 0 },
      utility: { opted_in: 0, opted_out: 0, unknown: 0 },
    };
    for (const r of this.db.prepare('SELECT category, state, count(*) AS n FROM consent_state GROUP BY category, state').all() as { category: ConsentCategory; state: ConsentState; n: number }[]) {
      consent[r.category][r.state] = r.n;
    }
    for (const cat of ['marketing', 'utility'] as const) consent[cat].unknown = total - consent[cat].opted_in - consent[cat].opted_out;
    return {
      total,
      consent,
      countries: this.db.prepare("SELECT coalesce(country, '') AS country, count(*) AS count FROM contacts GROUP BY country ORDER BY count DESC LIMIT 10").all() as { country: string; count: number }[],
      tags: this.db.prepare('SELECT count(*) FROM tags').pluck().get() as number,
      segments: this.db.prepare('SELECT count(*) FROM segments').pluck().get() as number,
      lastImportAt: (this.db.prepare('SELECT max(finished_at) FROM imports').pluck().get() as number | null) ?? null,
    };
  }

  // --- segments ---------------------------------------------------------------------------------

  private segmentOf(r: { id: number; name: string; rule: string; created_at: number; updated_at: number }): Segment {
    const rule = segmentRuleSchema.parse(JSON.parse(r.rule));
    return { id: r.id, name: r.name, rule, count: this.countRule(rule), createdAt: r.created_at, updatedAt: r.updated_at };
  }

  countRule(rule: SegmentRule): number {
    const w = ruleSql(this.db, rule, this.now());
    return this.db.prepare(`SELECT count(*) FROM contacts c WHERE ${w.sql}`).pluck().get(...w.params) as number;
  }

  segments(): Segment[] {
    return (this.db.prepare('SELECT id, name, rule, created_at, updated_at FROM segments ORDER BY name COLLATE NOCASE').all() as { id: number; name: string; rule: string; created_at: number; updated_at: number }[]).map((r) =>
      this.segmentOf(r),
    );
  }

  saveSegment(input: { id?: number | undefined; name: string; rule: SegmentRule }): Segment {
    const rule = segmentRuleSchema.parse(input.rule);
    const now = this.now();
    const clash = this.db.prepare('SELECT id FROM segments WHERE name = ?').pluck().get(input.name) as number | undefined;
    if (clash !== undefined && clash !== input.id) throw new PacerError('conflict', `A segment named "${input.name}" already exists.`);
    let id = input.id;
    if (id !== undefined) {
      const r = this.db.prepare('UPDATE segments SET name = ?, rule = ?, updated_at = ? WHERE id = ?').run(input.name, JSON.stringify(rule), now, id);
      if (!r.changes) throw notFound(`No segment with id ${id}.`);
    } else {
      id = Number(this.db.prepare('INSERT INTO segments (name, rule, created_at, updated_at) VALUES (?, ?, ?, ?)').run(input.name, JSON.stringify(rule), now, now).lastInsertRowid);
    }
    return this.segmentOf(this.db.prepare('SELECT id, name, rule, created_at, updated_at FROM segments WHERE id = ?').get(id) as never);
  }

  deleteSegment(id: number): void {
    this.db.prepare('DELETE FROM segments WHERE id = ?').run(id);
  }

  // --- saved import mappings ----------------------------------------------------------------------

  mappings(headers?: string[]): SavedMapping[] {
    const lower = headers ? new Set(headers.map((h) => h.toLowerCase())) : null;
    return (this.db.prepare('SELECT id, name, mapping, headers, created_at FROM import_mappings ORDER BY name COLLATE NOCASE').all() as { id: number; name: string; mapping: string; headers: string; created_at: number }[]).map((r) => {
      const mapping = JSON.parse(r.mapping) as MappingEntry[];
      const m: SavedMapping = { id: r.id, name: r.name, mapping, headers: JSON.parse(r.headers) as string[], createdAt: r.created_at };
      if (lower) m.matches = mapping.every((e) => lower.has(e.column.toLowerCase()));
      return m;
    });
  }

  saveMapping(name: string, mapping: MappingEntry[], headers: string[]): SavedMapping {
    this.db
      .prepare('INSERT INTO import_mappings (name, mapping, headers, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET mapping = excluded.mapping, headers = excluded.headers')
      .run(name, JSON.stringify(mapping), JSON.stringify(headers), this.now());
    return this.mappings().find((m) => m.name.toLowerCase() === name.toLowerCase())!;
  }

  deleteMapping(id: number): void {
    this.db.prepare('DELETE FROM import_mappings WHERE id = ?').run(id);
  }

  consentOf(id: number): Record<ConsentCategory, ConsentState> {
    return consentOf(this.db, id);
  }
}
