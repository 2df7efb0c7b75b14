/**
 * ContactsService: the contacts store for every domain (handlers, CLI, campaigns, webhooks) — a
 * thin facade over the modules that hold the behaviour, sharing one ContactsScope (scope.ts), with
 * their SQL in store/ (ContactRepository, SegmentRepository):
 *   reads.ts            one contact, table pages (filters, search, sort), detail, id-ordered batches
 *   editing.ts          a contact's fields, tags, attributes; bulk actions; message history
 *   consent-changes.ts  opt-in/out by the marketer or from webhooks; confirming a held number
 *   erasure.ts          erasure (suppression record, listeners), lifting it, subject export
 *   audiences.ts        audience expressions for campaigns (suppression included)
 *   segments.ts, mappings.ts           saved segments, saved import mappings (tag/attribute lists and
 *                                      counts come straight from the store)
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
import type {
  AttributeDefinition,
  ConsentCategory,
  ConsentSource,
  ConsentState,
  ContactDetail,
  ContactFilter,
  ContactRow,
  ContactsStats,
  MappingEntry,
  SavedMapping,
  Segment,
  SegmentRule,
} from '../../../shared/contract/contacts';
import type { CoreContext } from '../context';
import type { Db } from '../db/connection';
import type { ConsentEvidence } from '../../../shared/contract/consent-evidence';
import { consentOf } from './consent';
import type { SqlCond } from './rules';
import { SearchIndexer } from './search';
import * as audiences from './audiences';
import * as consentChanges from './consent-changes';
import * as editing from './editing';
import * as erasure from './erasure';
import * as mappingsOf from './mappings';
import * as reads from './reads';
import * as segmentsOf from './segments';
import type { ContactsScope } from './scope';
import { sqliteContactRepository, sqliteSegmentRepository, type BaseRow } from './store';
import { hydrate } from './store/contacts';

export type { ContactRef } from './reads';
export type { AudienceOptions } from './audiences';
export type { EraseInfo } from './erasure';
export { phoneHash } from './erasure';

type ContactRef = reads.ContactRef;

const indexers = new WeakMap<Db, SearchIndexer>();

export class ContactsService {
  readonly db: Db;
  readonly indexer: SearchIndexer;
  private readonly c: ContactsScope;

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
    this.c = {
      ctx,
      db: ctx.db,
      store: sqliteContactRepository(ctx.db),
      segments: sqliteSegmentRepository(ctx.db),
      now: () => ctx.clock.now(),
      defaultCountry: () => ctx.settings.get().defaultCountry,
    };
  }

  defaultCountry(): string {
    return this.c.defaultCountry();
  }

  // --- reading (reads.ts) -------------------------------------------------------------------------

  /** E.164 of a phone typed in any format (default country from Settings); bad_input otherwise. */
  normalize(phone: string): string {
    return reads.normalize(this.c, phone);
  }
  idOf(ref: ContactRef): number {
    return reads.idOf(this.c, ref);
  }
  getByPhone(phone: string): ContactRow | null {
    return reads.getByPhone(this.c, phone);
  }
  getById(id: number): ContactRow | null {
    return reads.getById(this.c, id);
  }
  /** Adds tags, attributes and consent to base rows (one query each for the whole page). */
  hydrate(rows: BaseRow[]): ContactRow[] {
    return hydrate(this.db, rows);
  }
  /** SQL condition for the contacts table's filters (search, tag, consent, country, segment). */
  filterSql(filter: ContactFilter = {}): SqlCond & { ftsOnly?: string } {
    return reads.filterSql(this.c, filter);
  }
  query(input: ContactFilter & { sort?: string; order?: 'asc' | 'desc'; offset?: number; limit?: number }): {
    total: number;
    rows: ContactRow[];
  } {
    return reads.query(this.c, input);
  }
  detail(ref: ContactRef): ContactDetail {
    return reads.detail(this.c, ref);
  }
  /** Contacts in id order, a page at a time (exports, audiences). */
  iterate(where: SqlCond, batch = 2000): Generator<ContactRow[]> {
    return reads.iterate(this.c, where, batch);
  }
  exportWhere(filter: ContactFilter | undefined, ids: number[] | undefined): SqlCond {
    return reads.exportWhere(this.c, filter, ids);
  }

  // --- changing (editing.ts, consent-changes.ts) --------------------------------------------------

  confirmNumber(ref: ContactRef, actor: string): { released: boolean; contact: ContactRow } {
    return consentChanges.confirmNumber(this.c, ref, actor);
  }
  update(input: Parameters<typeof editing.update>[1]): ContactRow {
    return editing.update(this.c, input);
  }
  bulk(input: Parameters<typeof editing.bulk>[1], actor: string): { matched: number; affected: number } {
    return editing.bulk(this.c, input, actor);
  }
  optIn(
    input: { contact: ContactRef; category: ConsentCategory; source: string; reference?: string | undefined; reason?: string | undefined },
    actor: string,
  ): ContactRow {
    return consentChanges.optIn(this.c, input, actor);
  }
  optOut(input: { contact: ContactRef; category: ConsentCategory | 'all'; reason?: string | undefined }, actor: string): ContactRow {
    return consentChanges.optOut(this.c, input, actor);
  }
  recordConsentByPhone(input: {
    phone: string;
    category: ConsentCategory | 'all';
    state: 'opted_in' | 'opted_out';
    source: Exclude<ConsentSource, 'import' | 'manual'>;
    sourceDetail: string;
    actor?: string;
    evidence?: ConsentEvidence | null;
    at?: number;
  }): number | null {
    return consentChanges.recordConsentByPhone(this.c, input);
  }
  recordMessage(m: Parameters<typeof editing.recordMessage>[1]): void {
    editing.recordMessage(this.c, m);
  }

  // --- erasure (erasure.ts) -----------------------------------------------------------------------

  onErase(listener: (info: erasure.EraseInfo) => void): () => void {
    return erasure.onErase(this.c, listener);
  }
  liftErasure(
    input: { phone: string; reason: string } | { userId: string; reason: string },
    actor: string,
  ): { lifted: boolean; erased_at: number | null } {
    return erasure.liftErasure(this.c, input, actor);
  }
  erase(ref: ContactRef): { deleted: boolean; backups_removed: number } {
    return erasure.erase(this.c, ref);
  }
  subjectExport(ref: ContactRef): Record<string, unknown> {
    return erasure.subjectExport(this.c, ref);
  }

  // --- audiences (audiences.ts) -------------------------------------------------------------------

  audience(expr: string, opts: audiences.AudienceOptions = {}): SqlCond {
    return audiences.audience(this.c, expr, opts);
  }
  countAudience(expr: string, opts: audiences.AudienceOptions = {}): { matched: number; optedOut: number; eligible: number } {
    return audiences.countAudience(this.c, expr, opts);
  }
  iterateAudience(expr: string, opts: audiences.AudienceOptions & { batch?: number } = {}): Generator<ContactRow[]> {
    return audiences.iterateAudience(this.c, expr, opts);
  }

  // --- lists and stats (store), segments, mappings ------------------------------------------------

  tags(): { name: string; count: number }[] {
    return this.c.store.tagCounts();
  }
  attributes(): AttributeDefinition[] {
    return this.c.store.attributeDefinitions();
  }
  stats(): ContactsStats {
    return this.c.store.stats();
  }
  countRule(rule: SegmentRule): number {
    return segmentsOf.countRule(this.c, rule);
  }
  segments(): Segment[] {
    return segmentsOf.segments(this.c);
  }
  saveSegment(input: { id?: number | undefined; name: string; rule: SegmentRule }): Segment {
    return segmentsOf.saveSegment(this.c, input);
  }
  deleteSegment(id: number): void {
    segmentsOf.deleteSegment(this.c, id);
  }
  mappings(headers?: string[]): SavedMapping[] {
    return mappingsOf.mappings(this.c, headers);
  }
  saveMapping(name: string, mapping: MappingEntry[], headers: string[]): SavedMapping {
    return mappingsOf.saveMapping(this.c, name, mapping, headers);
  }
  deleteMapping(id: number): void {
    mappingsOf.deleteMapping(this.c, id);
  }

  consentOf(id: number): Record<ConsentCategory, ConsentState> {
    return consentOf(this.db, id);
  }
}
