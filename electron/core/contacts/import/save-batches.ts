/**
 * An import saved as it is read: each batch of validated rows (stage-rows.ts) is compared with the
 * store (a dry run's answer) and, unless it is a dry run, merged into it — all batches in ONE
 * transaction, begun before the first batch and committed after the last, so the store never holds
 * half a file. Pure SQL over a connection to the store; a batch waits in a small in-memory database
 * attached as `st` (never on disk: the rows are people's numbers and names).
 *
 * It runs on the import's saving thread with a connection of its own (save-worker.ts), fed directly
 * by the reading thread, so reading (second core) and saving (this thread) overlap and the core's
 * thread stays free; or, where no thread can start, on the core's connection after the whole file
 * was read (engine.ts) — then synchronously, so no other call of the core's can run inside the
 * import's transaction.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import type {
  AttributeType,
  ImportConsentCounts,
  ImportCounts,
  ImportEncoding,
  ImportExistingRow,
  ImportFormat,
  ImportRowError,
  ImportRowParams,
} from '../../../../shared/contract/contacts';
import type { Db } from '../../db/connection';
import { badInput, PacerError } from '../../errors';
import { erasureMatcher, erasureSnapshot, type ErasureSnapshot } from '../../privacy/store/erasures';
import { importEvidence } from '../consent-evidence';
import { identityKey } from '../identity-key';
import { indexedUpto } from '../search';
import { tagIdOf } from '../store/contacts';
import { insertRejections } from '../store/import-history';
import {
  CONSENT_IN,
  CONSENT_NONE,
  CONSENT_OUT,
  CONSENT_UNRECOGNISED,
  STAGED,
  STAGED_COUNT,
  utcDay,
  type StagedBatch,
  type UserOnlyRow,
} from './stage-rows';
import { mergeUserOnlyRows } from './user-only-rows';
import { storeImportedUserIds } from './user-ids-store';

/** Rejected rows kept for the report; beyond this only the count grows. */
export const MAX_KEPT_ERRORS = 100_000;
/** The store's page cache (KiB) while an import holds its transaction. */
const MERGE_CACHE_KB = 16 * 1024;
/** From a file this big the word index is loaded with FTS5's automerge off (see BatchSave.begin). */
const BULK_INDEX_BYTES = 1024 * 1024;
/** FTS5's default `automerge` (used when the index's config table holds none). */
const FTS5_DEFAULT_AUTOMERGE = 4;
/** Staged rows per INSERT statement into the batch table (14 values each; SQLite allows 32,766). */
const MULTI = 100;

/** The import's options the save needs (plain data: it crosses to the saving thread). */
export interface SaveOptions {
  jobId: string;
  fileName: string;
  tags: string[];
  consentSource?: string | undefined;
  onDuplicate: 'skip' | 'update';
  dryRun: boolean;
  actor: string;
  /** The file has a WhatsApp user id or username column (such rows may move or merge contacts). */
  userIds: boolean;
}

/** Everything the save needs before the first batch (structured-cloneable). */
export interface SaveInit {
  opts: SaveOptions;
  file: { format: ImportFormat; encoding: ImportEncoding };
  startedAt: number;
  /** The import's consent settings (category, the file's column, the box); the counts start at 0. */
  consent: ImportConsentCounts;
  /** The erasure records the rows are read against (null: none then). */
  erasures: ErasureSnapshot | null;
  /** The file's size in bytes. */
  bytesTotal: number;
}

export interface SaveOutput {
  counts: ImportCounts;
  consent: ImportConsentCounts;
  errors: ImportRowError[];
  errorsTotal: number;
  existingRows: ImportExistingRow[];
}

// SQL over a staged row `s`, its stored contact `c` (NULL when new) and that contact's consent `cs`
// in the import's category, with @box (1 when the box is ticked) and @update (onDuplicate 'update').
/** The file says yes, or says nothing and the box is ticked. */
const SAYS_IN = `(s.consent = ${CONSENT_IN} OR (s.consent = ${CONSENT_NONE} AND @box))`;
/** The row's values are written: a new contact, or an existing one under 'update'. */
const WRITES = '(c.id IS NULL OR @update)';

/**
 * One import's save. begin() → setAttrTypes() → add(batch)… → finish(), or abort() at any point
 * (also after a throw): the transaction is rolled back and the store is unchanged.
 * Throws PacerError('conflict') when the store changed under the import in a way that would make it
 * wrong (a person erased since the file was read whose row is in it); 'cancelled' once `cancelled()`.
 */
export class BatchSave {
  private readonly counts: ImportCounts = { rows: 0, imported: 0, updated: 0, duplicates: 0, invalid: 0, skipped: 0 };
  private readonly consent: ImportConsentCounts;
  private readonly errors: ImportRowError[] = [];
  private errorsTotal = 0;
  private readonly existingRows: ImportExistingRow[] = [];
  private readonly userOnly: UserOnlyRow[] = [];
  private readonly attrTypes = new Map<string, AttributeType>();
  /** The file's tag names met so far (exact spelling) → their tag's id (names are NOCASE-unique). */
  private readonly tagIds = new Map<string, number>();
  private staged = 0;
  private inTransaction = false;
  private attached = false;
  private restore: (() => void) | null = null;
  /** Contacts' and consent events' highest ids before the import. */
  private maxId = 0;
  /** The word index was complete before the import: new contacts' words go in now. */
  private indexComplete = false;
  private bulkIndex: { resume(): void } | null = null;
  /** Erasures made since the file was read (null: none): a row of theirs stops the import. */
  private erasedMeanwhile: ((key: string) => number | null) | null = null;
  private importTagIds: number[] = [];
  private defsMade = false;
  private readonly stmts = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Db,
    private readonly init: SaveInit,
    private readonly cancelled: () => boolean,
  ) {
    this.consent = { ...init.consent };
  }

  private get dryRun(): boolean {
    return this.init.opts.dryRun;
  }

  private stmt(sql: string): Database.Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  private stopIfCancelled(): void {
    if (this.cancelled()) throw new PacerError('cancelled', 'The import was cancelled; nothing was changed.');
  }

  private note(row: number, code: string, reason: string, params?: ImportRowParams): void {
    this.errorsTotal++;
    if (this.errors.length < MAX_KEPT_ERRORS) this.errors.push(params ? { row, code, reason, params } : { row, code, reason });
  }

  /** Attaches the batch table and, for an import, takes the store's write lock for the whole file. */
  begin(): void {
    const { db } = this;
    db.exec("ATTACH DATABASE ':memory:' AS st");
    this.attached = true;
    db.exec(`
      CREATE TABLE st.s (
        seq INTEGER PRIMARY KEY,  -- 1, 2, 3… in file order: one per distinct valid number
        row INTEGER NOT NULL, phone TEXT NOT NULL, first_name TEXT, last_name TEXT, name TEXT NOT NULL,
        email TEXT, country TEXT,
        consent INTEGER NOT NULL, -- the file's consent cell: CONSENT_NONE, _IN, _OUT, _UNRECOGNISED
        tags TEXT,   -- JSON array, or NULL
        attrs TEXT,  -- JSON array of [name, value], or NULL
        user_id TEXT, username TEXT, -- WhatsApp business-scoped user id and username (BSUID), or NULL
        fts TEXT NOT NULL -- the contact's search words (search.ts searchText), made while reading
      );
      CREATE TABLE st.import_target (seq INTEGER PRIMARY KEY, row INTEGER NOT NULL, contact_id INTEGER NOT NULL);
    `);
    if (this.dryRun) return;
    const cache = db.pragma('cache_size', { simple: true }) as number;
    // A big save fills the WAL; the automatic checkpoint would run inside the commit (a second or
    // more with no progress). It is taken after the import has reported its end instead (engine.ts).
    const autoCheckpoint = db.pragma('wal_autocheckpoint', { simple: true }) as number;
    // Foreign keys are not checked while a file without user ids is saved: every row it writes
    // points at a contact it just made or found and a tag it just made or found, under the write
    // lock, and it deletes nothing (only user ids move or merge contacts, user-ids-store.ts), so no
    // check could fail and no cascade is owed. The checks were a seek into contacts and one into
    // tags for each of ~2.2 M tag rows of a million-row file (~1.5 s; docs/benchmarks.md, session 9).
    // SQLite reads this setting only outside a transaction: here, before BEGIN.
    const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
    if (!this.init.opts.userIds) db.pragma('foreign_keys = OFF');
    db.pragma(`cache_size = -${MERGE_CACHE_KB}`);
    db.pragma('wal_autocheckpoint = 0');
    this.restore = () => {
      db.pragma(`cache_size = ${cache}`);
      db.pragma(`wal_autocheckpoint = ${autoCheckpoint}`);
      db.pragma(`foreign_keys = ${foreignKeys}`);
    };
    // The write lock, held from the first batch to the commit: the core's own writes meanwhile (a
    // send recorded, a STOP) wait for the commit instead of joining the import's transaction.
    db.exec('BEGIN IMMEDIATE');
    this.inTransaction = true;
    // With the lock held no erasure can commit any more: one made since the file's erasure records
    // were read must not be undone by this import (checked row by row in add/finish).
    this.erasedMeanwhile = erasedSince(db, this.init.erasures);
    this.maxId = this.maxContactId();
    this.indexComplete = indexedUpto(db) >= this.maxId;
    // A big load into the word index: FTS5's automatic merging of its segments, done a little at every
    // insert, is switched off while it runs (measured: the index's inserts take ~45 % less time) and
    // back on at the end, in the same transaction; later inserts then merge those segments bit by bit.
    // (PACER_IMPORT_FTS_AUTOMERGE=keep: the benchmark's side-by-side comparison.)
    if (this.indexComplete && this.init.bytesTotal >= BULK_INDEX_BYTES && process.env.PACER_IMPORT_FTS_AUTOMERGE !== 'keep')
      this.bulkIndex = suspendAutomerge(db);
    const now = this.init.startedAt;
    this.importTagIds = this.init.opts.tags.map((t) => tagIdOf(db, t, now));
  }

  /** The attribute columns' types, known once the first rows were read (before the first batch). */
  setAttrTypes(types: Iterable<[string, AttributeType]>): void {
    for (const [name, type] of types) this.attrTypes.set(name, type);
  }

  /** What the save has done so far (the progress bar's counts). */
  progress(): ImportCounts {
    return { ...this.counts };
  }

  /** The highest contact id now (the next new contact is this + 1: ids are rowids). */
  private maxContactId(): number {
    return this.stmt('SELECT coalesce(max(id), 0) FROM contacts').pluck().get() as number;
  }

  /** Compares one batch with the store and, for an import, merges it. */
  add(b: StagedBatch): void {
    this.stopIfCancelled();
    const { db, counts } = this;
    counts.rows += b.rows;
    counts.invalid += b.invalid;
    counts.duplicates += b.duplicates;
    for (const e of b.errors) this.note(e.row, e.code, e.reason, e.params);
    for (const r of b.userOnly) this.userOnly.push(r);
    if (!this.dryRun) {
      this.makeDefs();
      for (const [t] of b.tagged) if (!this.tagIds.has(t)) this.tagIds.set(t, tagIdOf(db, t, this.init.startedAt));
    }
    if (!b.staged) return;
    const insertRow = this.stmt(`INSERT INTO st.s (${STAGED}) VALUES ${marks(1)}`);
    const insertMany = this.stmt(`INSERT INTO st.s (${STAGED}) VALUES ${marks(MULTI)}`);
    const rowValues = STAGED_COUNT * MULTI;
    let k = 0;
    for (; k + rowValues <= b.values.length; k += rowValues) insertMany.run(b.values.slice(k, k + rowValues));
    for (; k < b.values.length; k += STAGED_COUNT) insertRow.run(b.values.slice(k, k + STAGED_COUNT));
    try {
      if (this.erasedMeanwhile) this.refuseErasedRows();
      const existing = this.countBatch();
      if (existing > 0 && this.existingRows.length < MAX_KEPT_ERRORS)
        this.existingRows.push(
          ...(this.stmt(
            'SELECT s.row AS row, s.phone AS phone FROM st.s s JOIN main.contacts c ON c.phone = s.phone ORDER BY s.seq LIMIT ?',
          ).all(MAX_KEPT_ERRORS - this.existingRows.length) as ImportExistingRow[]),
        );
      const newRows = b.staged - existing;
      counts.imported += newRows;
      if (this.init.opts.onDuplicate === 'update') counts.updated += existing;
      else counts.skipped += existing;
      this.staged += b.staged;
      // Staged rows are numbered in file order; a batch's are consecutive, from its first value on.
      if (!this.dryRun) this.merge(b, existing === 0, newRows);
    } finally {
      db.exec('DELETE FROM st.s');
      db.exec('DELETE FROM st.import_target');
    }
  }

  /** The people known only by a user id, the search index's watermark, the import's record, COMMIT. */
  finish(): SaveOutput {
    this.stopIfCancelled();
    if (this.counts.rows === 0) throw badInput('The file has a header row but no contacts.');
    const { db } = this;
    const { opts } = this.init;
    const consent = this.consent;
    const userOnlyMerge = (indexNow: boolean) =>
      mergeUserOnlyRows(db, this.userOnly, this.counts, {
        onDuplicate: opts.onDuplicate,
        tags: opts.tags,
        consent,
        consentEvent: consentEvidence(opts, consent, this.init.startedAt),
        now: this.init.startedAt,
        note: (row, code, reason, params) => this.note(row, code, reason, params),
        dryRun: opts.dryRun,
        indexNow,
      });
    if (this.consent.column === null && !this.consent.box) consent.notRecorded = this.staged;
    else
      consent.notRecorded =
        this.staged - consent.unrecognised - consent.optedOutByFile - consent.keptOptedOut - consent.optedInByFile - consent.optedInByBox;
    if (this.dryRun) {
      userOnlyMerge(false);
      this.detach();
      return this.output();
    }
    this.bulkIndex?.resume();
    this.bulkIndex = null;
    if (this.indexComplete) {
      db.prepare("UPDATE app_meta SET value = ? WHERE key = 'contacts.fts_upto'").run(String(this.maxContactId()));
    }
    if (this.erasedMeanwhile) for (const r of this.userOnly) if (this.erasedMeanwhile(identityKey(null, r.userId)) !== null) refuseErased();
    // People known only by a user id, after the rest.
    userOnlyMerge(this.indexComplete);
    db.prepare(
      'INSERT INTO imports (id, file_name, format, encoding, actor, counts, started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(
      opts.jobId,
      opts.fileName,
      this.init.file.format,
      this.init.file.encoding,
      opts.actor,
      JSON.stringify({ ...this.counts, consent }),
      this.init.startedAt,
      this.init.startedAt,
    );
    // The rejected rows stay with the import's history (after Done, after a restart).
    insertRejections(
      db,
      opts.jobId,
      this.errorsTotal,
      [...this.errors].sort((a, b) => a.row - b.row),
    );
    this.stopIfCancelled();
    db.exec('COMMIT');
    this.inTransaction = false;
    this.detach();
    return this.output();
  }

  /** Rolls back whatever was merged (no-op after finish). Never throws. */
  abort(): void {
    if (this.inTransaction) {
      try {
        this.db.exec('ROLLBACK');
      } catch {
        /* a failed statement may have rolled back already */
      }
      this.inTransaction = false;
    }
    this.detach();
  }

  private detach(): void {
    this.stmts.clear();
    if (this.restore) {
      this.restore();
      this.restore = null;
    }
    if (this.attached) {
      this.attached = false;
      try {
        this.db.exec('DETACH DATABASE st');
      } catch {
        /* closing the connection drops it anyway */
      }
    }
  }

  private output(): SaveOutput {
    return {
      counts: { ...this.counts },
      consent: { ...this.consent },
      errors: [...this.errors].sort((a, b) => a.row - b.row),
      errorsTotal: this.errorsTotal,
      existingRows: this.existingRows,
    };
  }

  private makeDefs(): void {
    if (this.defsMade) return;
    this.defsMade = true;
    const addDef = this.stmt('INSERT OR IGNORE INTO attribute_defs (name, type, created_at) VALUES (?, ?, ?)');
    for (const [name, type] of this.attrTypes) addDef.run(name, type, this.init.startedAt);
  }

  /** A staged row of a person erased since the file was read stops the import (run again, the row is refused as erased). */
  private refuseErasedRows(): void {
    const erased = this.erasedMeanwhile!;
    for (const r of this.stmt('SELECT phone, user_id FROM st.s').raw().iterate() as Iterable<[string, string | null]>) {
      if (erased(r[0]) !== null || (r[1] !== null && erased(identityKey(null, r[1])) !== null)) refuseErased();
    }
  }

  /**
   * How many of the batch's rows are already stored and, when the import records consent, what it
   * records for each (counted into `consent`; rows kept opted out are noted).
   */
  private countBatch(): number {
    const { consent } = this;
    if (consent.column === null && !consent.box)
      return this.stmt('SELECT count(*) FROM st.s JOIN main.contacts c ON c.phone = st.s.phone').pluck().get() as number;
    const params = { category: consent.category, box: consent.box ? 1 : 0, update: this.init.opts.onDuplicate === 'update' ? 1 : 0 };
    const t = this.stmt(
      `
      SELECT count(c.id) AS existing,
        coalesce(sum(s.consent = ${CONSENT_UNRECOGNISED}), 0) AS unrecognised,
        coalesce(sum(s.consent = ${CONSENT_OUT}), 0) AS optedOutByFile,
        coalesce(sum(${SAYS_IN} AND ${WRITES} AND cs.state IS 'opted_out'), 0) AS keptOptedOut,
        coalesce(sum(s.consent = ${CONSENT_IN} AND ${WRITES} AND cs.state IS NOT 'opted_out'), 0) AS optedInByFile,
        coalesce(sum(s.consent = ${CONSENT_NONE} AND @box AND ${WRITES} AND cs.state IS NOT 'opted_out'), 0) AS optedInByBox
      FROM st.s s LEFT JOIN main.contacts c ON c.phone = s.phone
      LEFT JOIN main.consent_state cs ON cs.contact_id = c.id AND cs.category = @category
    `,
    ).get(params) as Record<'existing' | 'unrecognised' | 'optedOutByFile' | 'keptOptedOut' | 'optedInByFile' | 'optedInByBox', number>;
    consent.unrecognised += t.unrecognised;
    consent.optedOutByFile += t.optedOutByFile;
    consent.keptOptedOut += t.keptOptedOut;
    consent.optedInByFile += t.optedInByFile;
    consent.optedInByBox += t.optedInByBox;
    if (t.keptOptedOut > 0) {
      // The opt-out that keeps a row from being opted in: when and how (e.g. "keyword STOP").
      const kept = this.stmt(`
        SELECT s.row AS row, cs.updated_at AS since, e.source_detail AS detail
        FROM st.s s JOIN main.contacts c ON c.phone = s.phone
        JOIN main.consent_state cs ON cs.contact_id = c.id AND cs.category = @category AND cs.state = 'opted_out'
        LEFT JOIN main.consent_events e ON e.id = cs.event_id
        WHERE ${SAYS_IN} AND @update ORDER BY s.seq
      `);
      for (const k of kept.iterate(params) as Iterable<{ row: number; since: number; detail: string | null }>)
        this.note(k.row, 'opted_out_kept', keptReason(k.since, k.detail), { date: utcDay(k.since) });
    }
    return t.existing;
  }

  /**
   * One batch into the store, inside the import's transaction: new contacts, updates, the search
   * index, tags, attributes, consent. `fresh`: none of the batch's numbers is stored yet, so staged
   * row `seq` (from `firstSeq` on) becomes contact `base + seq` (ids are rowids: the next is max + 1) and nothing needs
   * looking up.
   */
  private merge(b: StagedBatch, fresh: boolean, expected: number): void {
    const { db } = this;
    const firstSeq = b.values[0] as number;
    const { opts, startedAt: now } = this.init;
    const update = opts.onDuplicate === 'update' ? 1 : 0;
    this.stopIfCancelled();
    const before = this.maxContactId();
    const base = before - (firstSeq - 1);
    if (update && !fresh) {
      // Existing contacts: imported values replace stored ones only where the file has a value.
      this.stmt(
        `
        UPDATE contacts SET
          first_name = coalesce(s.first_name, contacts.first_name),
          last_name = coalesce(s.last_name, contacts.last_name),
          name = CASE WHEN s.name <> '' THEN s.name ELSE contacts.name END,
          email = coalesce(s.email, contacts.email),
          updated_at = ?
        FROM st.s AS s WHERE contacts.phone = s.phone
      `,
      ).run(now);
      this.stmt(
        'INSERT OR IGNORE INTO contacts_fts_pending (contact_id) SELECT c.id FROM st.s s JOIN contacts c ON c.phone = s.phone',
      ).run();
    }
    const inserted = this.stmt(
      `
      INSERT INTO contacts (phone, first_name, last_name, name, email, country, created_at, updated_at)
      SELECT s.phone, s.first_name, s.last_name, s.name, s.email, s.country, ?, ? FROM st.s s
      ${fresh ? '' : 'WHERE NOT EXISTS (SELECT 1 FROM contacts c WHERE c.phone = s.phone)'} ORDER BY s.seq
    `,
    ).run(now, now).changes;
    if (inserted !== expected) throw new PacerError('conflict', 'Contacts changed while importing; try again.');
    this.stopIfCancelled();

    // Which staged rows this import writes to (new contacts, and existing ones under 'update') and their ids.
    let target: string;
    if (fresh) target = '(SELECT s.seq AS seq, s.row AS row, @base + s.seq AS contact_id FROM st.s s)';
    else {
      this.stmt(
        `
        INSERT INTO st.import_target (seq, row, contact_id)
        SELECT s.seq, s.row, c.id FROM st.s s JOIN contacts c ON c.phone = s.phone WHERE c.id > @before OR @update
      `,
      ).run({ before, update });
      target = 'st.import_target';
    }
    const at = { base };
    // The search index. When it was complete before this import (nothing left for the background
    // indexer), the new contacts' words (made while reading) go in now and the watermark moves past
    // them at the commit: every contact is searchable then. Otherwise the background indexer, which
    // is behind anyway, indexes them after the others.
    if (this.indexComplete)
      this.stmt(
        fresh
          ? 'INSERT INTO contacts_fts (rowid, text) SELECT @base + s.seq, s.fts FROM st.s s'
          : 'INSERT INTO contacts_fts (rowid, text) SELECT x.contact_id, s.fts FROM st.import_target x JOIN st.s s ON s.seq = x.seq WHERE x.contact_id > @before',
      ).run(fresh ? at : { before });
    this.stopIfCancelled();
    // The target's SQL names @base only when fresh.
    const targetArgs = fresh ? [at] : [];
    // Tags from the file and the import's own tags.
    if (fresh) this.writeTags(b, (seq) => base + seq);
    else {
      const targets = this.targetIds();
      this.writeTags(b, (seq) => targets.get(seq));
    }
    // Typed attributes.
    if (this.attrTypes.size)
      this.stmt(
        `
        INSERT OR REPLACE INTO contact_attributes (contact_id, attr_id, value)
        SELECT x.contact_id, d.id, j.value ->> 1 FROM ${target} x JOIN st.s s ON s.seq = x.seq, json_each(s.attrs) j
        JOIN attribute_defs d ON d.name = j.value ->> 0 WHERE s.attrs IS NOT NULL
      `,
      ).run(...targetArgs);
    if (this.consent.column !== null || this.consent.box) this.consentSteps(fresh, base, before, update);
    // BSUIDs (import/user-ids-store.ts): few rows carry one, and one may move between contacts, so row by row.
    if (b.userIdRows > 0) storeImportedUserIds(db, target, now, targetArgs);
  }

  /** The contacts this (not fresh) batch writes to: staged seq → contact id. */
  private targetIds(): Map<number, number> {
    return new Map(this.stmt('SELECT seq, contact_id FROM st.import_target').raw().all() as [number, number][]);
  }

  /**
   * The batch's tags on the contacts it writes to (`idOf`: a staged seq's contact id, or undefined
   * when the row is not written — a skipped duplicate): the file's tags of each row and the
   * import's own tags of every row. One statement per tag, its contacts as a JSON array of ids in
   * ascending order (each tag's rows land next to each other in contact_tags' key).
   */
  private writeTags(b: StagedBatch, idOf: (seq: number) => number | undefined): void {
    const byTag = new Map<number, number[]>();
    const add = (tagId: number, contactId: number | undefined) => {
      if (contactId === undefined) return;
      const ids = byTag.get(tagId);
      if (ids) ids.push(contactId);
      else byTag.set(tagId, [contactId]);
    };
    for (const [name, seqs] of b.tagged) {
      const tagId = this.tagIds.get(name)!;
      for (const seq of seqs) add(tagId, idOf(seq));
    }
    if (this.importTagIds.length) {
      const firstSeq = b.values[0] as number;
      for (let seq = firstSeq; seq < firstSeq + b.staged; seq++) {
        const contactId = idOf(seq);
        for (const tagId of this.importTagIds) add(tagId, contactId);
      }
    }
    const insert = this.stmt('INSERT OR IGNORE INTO contact_tags (tag_id, contact_id) SELECT ?, value FROM json_each(?)');
    for (const [tagId, ids] of byTag) insert.run(tagId, JSON.stringify(ids.sort((x, y) => x - y)));
  }

  /**
   * The merge's consent statements (rules in ImportConsentCounts; the count counted the same): a
   * file's no → opt-out for every staged row not opted out yet, skipped duplicates included; a yes,
   * or the box where the file says nothing → opt-in for written rows whose state is unknown. Then
   * the state follows the batch's new events.
   */
  private consentSteps(fresh: boolean, base: number, before: number, update: number): void {
    const { consent } = this;
    const { opts, startedAt: now } = this.init;
    const { boxEvidence, fileEvidence } = consentEvidence(opts, consent, now);
    const rows = fresh
      ? { from: 'st.s s', id: '(@base + s.seq)', writes: '1' }
      : { from: 'st.s s JOIN contacts c ON c.phone = s.phone', id: 'c.id', writes: '(c.id > @before OR @update)' };
    const eventsBefore = this.stmt('SELECT coalesce(max(id), 0) FROM consent_events').pluck().get() as number;
    this.stmt(
      `
      INSERT INTO consent_events (contact_id, category, state, source, source_detail, actor, evidence, evidence_data, at)
      SELECT ${rows.id}, @category, CASE s.consent WHEN ${CONSENT_OUT} THEN 'opted_out' ELSE 'opted_in' END, 'import',
             'import ' || @file || ':' || s.row, @actor,
             CASE s.consent WHEN ${CONSENT_NONE} THEN @boxEvidence ELSE @fileEvidence END,
             json_set(CASE s.consent WHEN ${CONSENT_NONE} THEN @boxData ELSE @fileData END, '$.params.row', s.row), @now
      FROM ${rows.from}
      LEFT JOIN consent_state cs ON cs.contact_id = ${rows.id} AND cs.category = @category
      WHERE (s.consent = ${CONSENT_OUT} AND cs.state IS NOT 'opted_out')
         OR (${SAYS_IN} AND ${rows.writes} AND cs.state IS NULL)
      ORDER BY s.seq
    `,
    ).run({
      category: consent.category,
      box: consent.box ? 1 : 0,
      file: opts.fileName,
      actor: opts.actor,
      boxEvidence: boxEvidence.text,
      fileEvidence: fileEvidence.text,
      boxData: boxEvidence.data,
      fileData: fileEvidence.data,
      now,
      ...(fresh ? { base } : { before, update }),
    });
    this.stmt(
      `
      INSERT INTO consent_state (contact_id, category, state, updated_at, event_id)
      SELECT contact_id, category, state, at, id FROM consent_events WHERE id > ?
      ON CONFLICT (contact_id, category) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at, event_id = excluded.event_id
    `,
    ).run(eventsBefore);
  }
}

const marks = (rows: number) =>
  Array(rows)
    .fill(`(${Array(STAGED_COUNT).fill('?').join(', ')})`)
    .join(', ');

function refuseErased(): never {
  throw new PacerError('conflict', 'A person in this file was erased while it was being imported; import the file again.');
}

/** The erasures recorded since `before` was taken, as a matcher (null when none: the usual case). */
function erasedSince(db: Db, before: ErasureSnapshot | null): ((key: string) => number | null) | null {
  const now = erasureSnapshot(db);
  if (!now) return null;
  const known = new Set((before?.records ?? []).map(([hash]) => hash));
  const fresh = now.records.filter(([hash]) => !known.has(hash));
  return fresh.length ? erasureMatcher({ keyHex: now.keyHex, records: fresh }) : null;
}

function keptReason(since: number, detail: string | null): string {
  const day = utcDay(since);
  return `opted out on ${day}${detail ? ` (${detail})` : ''}: kept opted out — only the person can opt back in`;
}

function suspendAutomerge(db: Db): { resume(): void } {
  const kept = db.prepare("SELECT v FROM contacts_fts_config WHERE k = 'automerge'").pluck().get() as number | undefined;
  db.prepare("INSERT INTO contacts_fts (contacts_fts, rank) VALUES ('automerge', 0)").run();
  // A literal, not a bound value: FTS5 refuses a bound one here ("SQL logic error").
  const value = Number.isInteger(kept) ? (kept as number) : FTS5_DEFAULT_AUTOMERGE;
  return { resume: () => db.exec(`INSERT INTO contacts_fts (contacts_fts, rank) VALUES ('automerge', ${value})`) };
}

/** The evidence an import's consent events carry: the box's (with the user's source) and the file's column's. */
function consentEvidence(opts: SaveOptions, consent: ImportConsentCounts, now: number) {
  // As codes with params, and their English text (contacts/consent-evidence.ts).
  return { file: opts.fileName, actor: opts.actor, ...importEvidence(opts.fileName, opts.actor, now, opts.consentSource, consent.column) };
}
