/**
 * Steps 2 and 3 of an import (engine.ts): the staged rows are compared with the store (a dry run's
 * answer), then merged into it in one transaction. Pure SQL over a connection to the store with the
 * staging file attached as `st`: it runs on a thread of its own with a connection of its own
 * (save-thread.ts), so the core's thread answers calls while a million rows are saved, or on the
 * core's connection where that thread cannot start.
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
import { PacerError } from '../../errors';
import { erasureMatcher, erasureSnapshot, type ErasureSnapshot } from '../../privacy/store/erasures';
import { importEvidence } from '../consent-evidence';
import { indexedUpto } from '../search';
import { insertRejections } from '../store/import-history';
import { CONSENT_IN, CONSENT_NONE, CONSENT_OUT, CONSENT_UNRECOGNISED, utcDay, type UserOnlyRow } from './stage-rows';
import { mergeUserOnlyRows } from './user-only-rows';
import { identityKey } from '../identity-key';
import { storeImportedUserIds } from './user-ids-store';

/** Rejected rows kept for the report; beyond this only the count grows. */
export const MAX_KEPT_ERRORS = 100_000;
/** The store's page cache (KiB) during the merge. */
const MERGE_CACHE_KB = 16 * 1024;

/** The import's options the save needs (plain data: it crosses to the saving thread). */
export interface SaveOptions {
  jobId: string;
  fileName: string;
  tags: string[];
  consentSource?: string | undefined;
  onDuplicate: 'skip' | 'update';
  dryRun: boolean;
  actor: string;
}

/** Everything steps 2 and 3 need (structured-cloneable). */
export interface SaveInput {
  opts: SaveOptions;
  stagingFile: string;
  /** The staging file's own key (hex) when the store is encrypted. */
  stagingKeyHex: string | null;
  file: { format: ImportFormat; encoding: ImportEncoding };
  attrTypes: [string, AttributeType][];
  fileTags: string[];
  startedAt: number;
  counts: ImportCounts;
  consent: ImportConsentCounts;
  userOnly: UserOnlyRow[];
  userIdRows: number;
  errors: ImportRowError[];
  errorsTotal: number;
  /** The erasure records the rows were read against (null: none then). */
  erasures: ErasureSnapshot | null;
}

export interface SaveOutput {
  counts: ImportCounts;
  consent: ImportConsentCounts;
  errors: ImportRowError[];
  errorsTotal: number;
  existingRows: ImportExistingRow[];
}

export interface SaveHooks {
  /** Told after every merge statement: rows written so far, of how many. */
  tick(done: number, total: number): void;
  /** Told after every range of the count (progress while comparing with the store). */
  counting(): void;
  /** True once the user cancelled: checked before the merge and after each of its statements (a rollback). */
  cancelled(): boolean;
}

/**
 * Counts the staged rows against the store and, unless it is a dry run, merges them in one
 * transaction. Throws PacerError('conflict') when the store changed under the import in a way
 * that would make it wrong (contacts added meanwhile, a person erased meanwhile whose row is in
 * the file); the store is then unchanged.
 */
export function saveStaged(db: Db, input: SaveInput, hooks: SaveHooks): SaveOutput {
  const { tick, counting, cancelled } = hooks;
  const stopIfCancelled = () => {
    if (cancelled()) throw new PacerError('cancelled', 'The import was cancelled; nothing was changed.');
  };
  const { opts } = input;
  const counts = { ...input.counts };
  const consent = { ...input.consent };
  const errors = [...input.errors];
  let errorsTotal = input.errorsTotal;
  const note = (row: number, code: string, reason: string, params?: ImportRowParams) => {
    errorsTotal++;
    if (errors.length < MAX_KEPT_ERRORS) errors.push(params ? { row, code, reason, params } : { row, code, reason });
  };
  let existingRows: ImportExistingRow[] = [];
  if (input.stagingKeyHex) db.prepare('ATTACH DATABASE ? AS st KEY ?').run(input.stagingFile, `x'${input.stagingKeyHex}'`);
  else db.prepare('ATTACH DATABASE ? AS st').run(input.stagingFile);
  try {
    const staged = counts.rows - counts.invalid - counts.duplicates - input.userOnly.length;
    const { existing } = countAgainstStore(db, staged, opts, consent, note, counting);
    // Which rows those are ("Already in Pacer" says which), read before the merge adds the new ones.
    existingRows = existing > 0 ? listExisting(db, MAX_KEPT_ERRORS) : [];
    counts.imported = staged - existing;
    if (opts.onDuplicate === 'update') counts.updated = existing;
    else counts.skipped = existing;
    const userOnlyMerge = (indexNow: boolean) =>
      mergeUserOnlyRows(db, input.userOnly, counts, {
        onDuplicate: opts.onDuplicate,
        tags: opts.tags,
        consent,
        consentEvent: consentEvidence(opts, consent, input.startedAt),
        now: input.startedAt,
        note,
        dryRun: opts.dryRun,
        indexNow,
      });
    // A dry run counts them here; an import merges them after the rest, in its transaction.
    if (opts.dryRun) userOnlyMerge(false);
    else {
      stopIfCancelled();
      const cache = db.pragma('cache_size', { simple: true }) as number;
      const tempStore = db.pragma('temp_store', { simple: true }) as number;
      db.pragma(`cache_size = -${MERGE_CACHE_KB}`);
      // Temporary sorts of a million keys spill to disk, not RAM.
      // (Switching temp_store drops temporary objects; no domain keeps any between calls.)
      db.pragma('temp_store = FILE');
      // A big save fills the WAL; the automatic checkpoint would run inside the commit (a second
      // or more with no progress). It is taken after the import has reported its end instead.
      const autoCheckpoint = db.pragma('wal_autocheckpoint', { simple: true }) as number;
      db.pragma('wal_autocheckpoint = 0');
      try {
        db.transaction(() => {
          // With the write lock held no erasure can commit any more: one that did since the file
          // was read must not be undone by this import.
          refuseIfErasedMeanwhile(db, input.erasures, input.userOnly);
          merge(
            db,
            opts,
            input.file,
            new Map(input.attrTypes),
            new Set(input.fileTags),
            input.startedAt,
            counts,
            consent,
            existing,
            input.userIdRows > 0,
            userOnlyMerge,
            (done, total) => {
              stopIfCancelled();
              tick(done, total);
            },
          );
          // The rejected rows stay with the import's history (after Done, after a restart).
          insertRejections(
            db,
            opts.jobId,
            errorsTotal,
            [...errors].sort((a, b) => a.row - b.row),
          );
        })();
      } finally {
        db.pragma(`cache_size = ${cache}`);
        db.pragma(`temp_store = ${tempStore}`);
        db.pragma(`wal_autocheckpoint = ${autoCheckpoint}`);
      }
    }
  } finally {
    db.prepare('DETACH DATABASE st').run();
  }
  return { counts, consent, errors, errorsTotal, existingRows };
}

/**
 * The rows were checked against the erasure records when the file was read (stage-rows.ts). A
 * person erased while the import read or waited is caught here, inside the merge's transaction:
 * if one of the staged numbers is theirs, the import stops with nothing saved (run again, it
 * reports that row as erased). Numbers are hashed only when there is a new record (rare).
 */
function refuseIfErasedMeanwhile(db: Db, before: ErasureSnapshot | null, userOnly: readonly UserOnlyRow[]): void {
  const now = erasureSnapshot(db);
  if (!now) return;
  const known = new Set((before?.records ?? []).map(([hash]) => hash));
  const fresh = now.records.filter(([hash]) => !known.has(hash));
  if (!fresh.length) return;
  const erased = erasureMatcher({ keyHex: now.keyHex, records: fresh });
  const refuse = () => {
    throw new PacerError('conflict', 'A person in this file was erased while it was being imported; import the file again.');
  };
  for (const r of db.prepare('SELECT phone, user_id FROM st.s').raw().iterate() as Iterable<[string, string | null]>) {
    if (erased(r[0]) !== null || (r[1] !== null && erased(identityKey(null, r[1])) !== null)) refuse();
  }
  for (const r of userOnly) if (erased(identityKey(null, r.userId)) !== null) refuse();
}

// SQL over a staged row `s`, its stored contact `c` (NULL when new) and that contact's consent `cs`
// in the import's category, with @box (1 when the box is ticked) and @update (onDuplicate 'update').
/** The file says yes, or says nothing and the box is ticked. */
const SAYS_IN = `(s.consent = ${CONSENT_IN} OR (s.consent = ${CONSENT_NONE} AND @box))`;
/** The row's values are written: a new contact, or an existing one under 'update'. */
const WRITES = '(c.id IS NULL OR @update)';

/**
 * Step 2: how many staged rows are already stored and, when the import records consent, what it
 * records for each row (counted into `consent`; rows kept opted out are noted). Runs in ranges of
 * staged rows with progress between them (a million lookups take a second or two).
 */
function countAgainstStore(
  db: Db,
  staged: number,
  opts: SaveOptions,
  consent: ImportConsentCounts,
  note: (row: number, code: string, reason: string, params?: ImportRowParams) => void,
  progress: () => void,
): { existing: number } {
  const RANGE = MERGE_CHUNK * 4;
  let existing = 0;
  if (consent.column === null && !consent.box) {
    const countRange = db
      .prepare('SELECT count(*) FROM st.s JOIN main.contacts c ON c.phone = st.s.phone WHERE st.s.seq BETWEEN ? AND ?')
      .pluck();
    for (let from = 1; from <= staged; from += RANGE) {
      existing += countRange.get(from, from + RANGE - 1) as number;
      progress();
    }
    consent.notRecorded = staged;
    return { existing };
  }
  const tally = db.prepare(`
    SELECT count(c.id) AS existing,
      coalesce(sum(s.consent = ${CONSENT_UNRECOGNISED}), 0) AS unrecognised,
      coalesce(sum(s.consent = ${CONSENT_OUT}), 0) AS optedOutByFile,
      coalesce(sum(${SAYS_IN} AND ${WRITES} AND cs.state IS 'opted_out'), 0) AS keptOptedOut,
      coalesce(sum(s.consent = ${CONSENT_IN} AND ${WRITES} AND cs.state IS NOT 'opted_out'), 0) AS optedInByFile,
      coalesce(sum(s.consent = ${CONSENT_NONE} AND @box AND ${WRITES} AND cs.state IS NOT 'opted_out'), 0) AS optedInByBox
    FROM st.s s LEFT JOIN main.contacts c ON c.phone = s.phone
    LEFT JOIN main.consent_state cs ON cs.contact_id = c.id AND cs.category = @category
    WHERE s.seq BETWEEN @from AND @to
  `);
  // The opt-out that keeps a row from being opted in: when and how (e.g. "keyword STOP").
  const kept = db.prepare(`
    SELECT s.row AS row, cs.updated_at AS since, e.source_detail AS detail
    FROM st.s s JOIN main.contacts c ON c.phone = s.phone
    JOIN main.consent_state cs ON cs.contact_id = c.id AND cs.category = @category AND cs.state = 'opted_out'
    LEFT JOIN main.consent_events e ON e.id = cs.event_id
    WHERE s.seq BETWEEN @from AND @to AND ${SAYS_IN} AND @update
  `);
  const params = { category: consent.category, box: consent.box ? 1 : 0, update: opts.onDuplicate === 'update' ? 1 : 0 };
  for (let from = 1; from <= staged; from += RANGE) {
    const range = { ...params, from, to: from + RANGE - 1 };
    const t = tally.get(range) as Record<
      'existing' | 'unrecognised' | 'optedOutByFile' | 'keptOptedOut' | 'optedInByFile' | 'optedInByBox',
      number
    >;
    existing += t.existing;
    consent.unrecognised += t.unrecognised;
    consent.optedOutByFile += t.optedOutByFile;
    consent.keptOptedOut += t.keptOptedOut;
    consent.optedInByFile += t.optedInByFile;
    consent.optedInByBox += t.optedInByBox;
    if (t.keptOptedOut > 0) {
      for (const k of kept.iterate(range) as Iterable<{ row: number; since: number; detail: string | null }>) {
        note(k.row, 'opted_out_kept', keptReason(k.since, k.detail), { date: utcDay(k.since) });
      }
    }
    progress();
  }
  consent.notRecorded =
    staged - consent.unrecognised - consent.optedOutByFile - consent.keptOptedOut - consent.optedInByFile - consent.optedInByBox;
  return { existing };
}

/** The staged rows whose number is already a contact, in row order (seq follows the file; at most `limit`). */
function listExisting(db: Db, limit: number): ImportExistingRow[] {
  return db
    .prepare('SELECT s.row AS row, s.phone AS phone FROM st.s s JOIN main.contacts c ON c.phone = s.phone ORDER BY s.seq LIMIT ?')
    .all(limit) as ImportExistingRow[];
}

function keptReason(since: number, detail: string | null): string {
  const day = utcDay(since);
  return `opted out on ${day}${detail ? ` (${detail})` : ''}: kept opted out — only the person can opt back in`;
}

/** Staged rows per statement in the merge: a chunk takes well under the 250 ms between progress updates. */
const MERGE_CHUNK = 5_000;

/**
 * Step 3, inside one transaction on the store. Every statement runs over ranges of MERGE_CHUNK
 * staged rows (`seq`), and `tick` is told after each one, so progress keeps flowing while the
 * transaction runs (the hosts write events to their channel at once).
 */
function merge(
  db: Db,
  opts: SaveOptions,
  file: { format: ImportFormat; encoding: ImportEncoding },
  attrTypes: Map<string, AttributeType>,
  fileTags: ReadonlySet<string>,
  now: number,
  counts: ImportCounts,
  consent: ImportConsentCounts,
  existing: number,
  withUserIds: boolean,
  mergeUserOnly: (indexNow: boolean) => void,
  tick: (done: number, total: number) => void,
): void {
  const maxId = (db.prepare('SELECT coalesce(max(id), 0) FROM contacts').pluck().get() as number) ?? 0;
  const maxEvent = (db.prepare('SELECT coalesce(max(id), 0) FROM consent_events').pluck().get() as number) ?? 0;
  const staged = (db.prepare('SELECT coalesce(max(seq), 0) FROM st.s').pluck().get() as number) ?? 0;
  const touchAll = opts.onDuplicate === 'update' ? 1 : 0;
  const fresh = existing === 0;
  const steps: { label: string; run: (from: number, to: number) => number }[] = [];
  const ranged = (label: string, stmt: Database.Statement, extra: (from: number, to: number) => unknown[] | Record<string, unknown>) =>
    steps.push({
      label,
      run: (from, to) => {
        const x = extra(from, to);
        return (Array.isArray(x) ? stmt.run(...x) : stmt.run(x)).changes;
      },
    });

  if (touchAll && !fresh) {
    // Existing contacts: imported values replace stored ones only where the file has a value.
    ranged(
      'update',
      db.prepare(`
      UPDATE contacts SET
        first_name = coalesce(s.first_name, contacts.first_name),
        last_name = coalesce(s.last_name, contacts.last_name),
        name = CASE WHEN s.name <> '' THEN s.name ELSE contacts.name END,
        email = coalesce(s.email, contacts.email),
        updated_at = ?
      FROM st.s AS s WHERE contacts.phone = s.phone AND s.seq BETWEEN ? AND ?
    `),
      (a, b) => [now, a, b],
    );
    ranged(
      'search',
      db.prepare(
        'INSERT OR IGNORE INTO contacts_fts_pending (contact_id) SELECT c.id FROM st.s s JOIN contacts c ON c.phone = s.phone WHERE s.seq BETWEEN ? AND ?',
      ),
      (a, b) => [a, b],
    );
  }

  // Into a store without any of these numbers, staged row k becomes contact maxId + k (ids are
  // rowids: the next is max + 1), so nothing needs looking up. Otherwise new ones skip stored numbers.
  ranged(
    'insert',
    db.prepare(`
    INSERT INTO contacts (phone, first_name, last_name, name, email, country, created_at, updated_at)
    SELECT s.phone, s.first_name, s.last_name, s.name, s.email, s.country, ?, ? FROM st.s s
    WHERE s.seq BETWEEN ? AND ? ${fresh ? '' : 'AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.phone = s.phone)'} ORDER BY s.seq
  `),
    (a, b) => [now, now, a, b],
  );

  // Which staged rows this import writes to (new contacts, and existing ones under 'update') and their ids.
  let target: string;
  if (fresh) {
    target = `(SELECT s.seq AS seq, s.row AS row, ${maxId} + s.seq AS contact_id FROM st.s s)`;
  } else {
    db.exec('CREATE TEMP TABLE IF NOT EXISTS import_target (seq INTEGER PRIMARY KEY, row INTEGER NOT NULL, contact_id INTEGER NOT NULL)');
    db.exec('DELETE FROM temp.import_target');
    ranged(
      'target',
      db.prepare(`
      INSERT INTO temp.import_target (seq, row, contact_id)
      SELECT s.seq, s.row, c.id FROM st.s s JOIN contacts c ON c.phone = s.phone WHERE s.seq BETWEEN ? AND ? AND (c.id > ? OR ?)
    `),
      (a, b) => [a, b, maxId, touchAll],
    );
    target = 'temp.import_target';
  }

  // The search index. When it was complete before this import (nothing left for the background
  // indexer), the new contacts' words (made while reading) go in now, range by range, and the
  // watermark moves past them at the end: every contact is searchable at the commit. Otherwise
  // the background indexer, which is behind anyway, indexes them after the others.
  const indexComplete = indexedUpto(db) >= maxId;
  if (indexComplete) {
    ranged(
      'search index',
      db.prepare(
        fresh
          ? `INSERT INTO contacts_fts (rowid, text) SELECT ${maxId} + s.seq, s.fts FROM st.s s WHERE s.seq BETWEEN ? AND ?`
          : `INSERT INTO contacts_fts (rowid, text) SELECT x.contact_id, s.fts FROM temp.import_target x JOIN st.s s ON s.seq = x.seq
             WHERE x.seq BETWEEN ? AND ? AND x.contact_id > ${maxId}`,
      ),
      (a, b) => [a, b],
    );
  }

  // Tags from the file and the import's own tags.
  const addTag = db.prepare('INSERT OR IGNORE INTO tags (name, created_at) VALUES (?, ?)');
  for (const t of fileTags) addTag.run(t, now);
  for (const t of opts.tags) addTag.run(t, now);
  ranged(
    'file tags',
    db.prepare(`
    INSERT OR IGNORE INTO contact_tags (tag_id, contact_id)
    SELECT t.id, x.contact_id FROM ${target} x JOIN st.s s ON s.seq = x.seq, json_each(s.tags) j JOIN tags t ON t.name = j.value
    WHERE x.seq BETWEEN ? AND ? AND s.tags IS NOT NULL
  `),
    (a, b) => [a, b],
  );
  const tagId = db.prepare('SELECT id FROM tags WHERE name = ?').pluck();
  const importTagIds = opts.tags.map((t) => tagId.get(t) as number);
  if (importTagIds.length) {
    const tagAll = db.prepare(
      `INSERT OR IGNORE INTO contact_tags (tag_id, contact_id) SELECT j.value, x.contact_id FROM ${target} x, json_each(?) j WHERE x.seq BETWEEN ? AND ?`,
    );
    ranged('import tags', tagAll, (a, b) => [JSON.stringify(importTagIds), a, b]);
  }

  // Typed attributes.
  const addDef = db.prepare('INSERT OR IGNORE INTO attribute_defs (name, type, created_at) VALUES (?, ?, ?)');
  for (const [name, type] of attrTypes) addDef.run(name, type, now);
  if (attrTypes.size) {
    ranged(
      'attributes',
      db.prepare(`
      INSERT OR REPLACE INTO contact_attributes (contact_id, attr_id, value)
      SELECT x.contact_id, d.id, j.value ->> 1 FROM ${target} x JOIN st.s s ON s.seq = x.seq, json_each(s.attrs) j
      JOIN attribute_defs d ON d.name = j.value ->> 0 WHERE x.seq BETWEEN ? AND ? AND s.attrs IS NOT NULL
    `),
      (a, b) => [a, b],
    );
  }

  if (consent.column !== null || consent.box) consentSteps(db, opts, consent, { maxId, maxEvent, fresh, now }, ranged);

  const total = steps.length * staged;
  let done = 0;
  // New contacts, counted as the insert statements report them (a count(*) over the new ids would
  // read every page they were written to again: a second and a half for a million on an encrypted store).
  let inserted = 0;
  // A big load into the word index: FTS5's automatic merging of its segments, done a little at every
  // insert, is switched off while it runs (measured: the index's inserts take ~45 % less time) and
  // back on at the end, in the same transaction; later inserts then merge those segments bit by bit.
  // (PACER_IMPORT_FTS_AUTOMERGE=keep: the benchmark's side-by-side comparison.)
  const bulkIndex =
    indexComplete && staged >= BULK_INDEX_ROWS && process.env.PACER_IMPORT_FTS_AUTOMERGE !== 'keep' ? suspendAutomerge(db) : null;
  for (const step of steps) {
    for (let from = 1; from <= staged; from += MERGE_CHUNK) {
      const to = Math.min(staged, from + MERGE_CHUNK - 1);
      const changed = step.run(from, to);
      if (step.label === 'insert') inserted += changed;
      done += to - from + 1;
      tick(done, total);
    }
  }
  bulkIndex?.resume();
  if (inserted !== counts.imported) throw new PacerError('conflict', 'Contacts changed while importing; try again.');
  if (indexComplete) db.prepare("UPDATE app_meta SET value = ? WHERE key = 'contacts.fts_upto'").run(String(maxId + inserted));
  // BSUIDs (import/user-ids-store.ts): few rows carry one, and one may move between contacts, so row by row.
  if (withUserIds) storeImportedUserIds(db, target, now);
  // People known only by a user id, after the rest (the ids above were counted on from maxId).
  mergeUserOnly(indexComplete);

  db.prepare(
    'INSERT INTO imports (id, file_name, format, encoding, actor, counts, started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(opts.jobId, opts.fileName, file.format, file.encoding, opts.actor, JSON.stringify({ ...counts, consent }), now, now);
  if (!fresh) db.exec('DELETE FROM temp.import_target');
}

/** From this many new contacts the word index is loaded with FTS5's automerge off (see merge). */
const BULK_INDEX_ROWS = 50_000;
/** FTS5's default `automerge` (used when the index's config table holds none). */
const FTS5_DEFAULT_AUTOMERGE = 4;

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

/**
 * The merge's consent statements (rules in ImportConsentCounts; the count step counted the same):
 * a file's no → opt-out for every staged row not opted out yet, skipped duplicates included; a yes,
 * or the box where the file says nothing → opt-in for written rows whose state is unknown. Then the
 * state follows the new events.
 */
function consentSteps(
  db: Db,
  opts: SaveOptions,
  consent: ImportConsentCounts,
  at: { maxId: number; maxEvent: number; fresh: boolean; now: number },
  ranged: (label: string, stmt: Database.Statement, extra: (from: number, to: number) => unknown[] | Record<string, unknown>) => void,
): void {
  const { maxId, maxEvent, fresh, now } = at;
  const { boxEvidence, fileEvidence } = consentEvidence(opts, consent, now);
  // Into a store without any of these numbers, staged row k is contact maxId + k (see merge).
  const rows = fresh
    ? { from: 'st.s s', id: `(${maxId} + s.seq)`, writes: '1' }
    : { from: 'st.s s JOIN contacts c ON c.phone = s.phone', id: 'c.id', writes: `(c.id > ${maxId} OR @update)` };
  ranged(
    'consent',
    db.prepare(`
    INSERT INTO consent_events (contact_id, category, state, source, source_detail, actor, evidence, evidence_data, at)
    SELECT ${rows.id}, @category, CASE s.consent WHEN ${CONSENT_OUT} THEN 'opted_out' ELSE 'opted_in' END, 'import',
           'import ' || @file || ':' || s.row, @actor,
           CASE s.consent WHEN ${CONSENT_NONE} THEN @boxEvidence ELSE @fileEvidence END,
           json_set(CASE s.consent WHEN ${CONSENT_NONE} THEN @boxData ELSE @fileData END, '$.params.row', s.row), @now
    FROM ${rows.from}
    LEFT JOIN consent_state cs ON cs.contact_id = ${rows.id} AND cs.category = @category
    WHERE s.seq BETWEEN @from AND @to AND (
      (s.consent = ${CONSENT_OUT} AND cs.state IS NOT 'opted_out')
      OR (${SAYS_IN} AND ${rows.writes} AND cs.state IS NULL))
    ORDER BY s.seq
  `),
    (from, to) => ({
      category: consent.category,
      box: consent.box ? 1 : 0,
      update: opts.onDuplicate === 'update' ? 1 : 0,
      file: opts.fileName,
      actor: opts.actor,
      boxEvidence: boxEvidence.text,
      fileEvidence: fileEvidence.text,
      boxData: boxEvidence.data,
      fileData: fileEvidence.data,
      now,
      from,
      to,
    }),
  );
  // This import's events are numbered maxEvent + 1… (at most one per staged row): the state follows
  // them in ranges of ids.
  ranged(
    'consent state',
    db.prepare(`
    INSERT INTO consent_state (contact_id, category, state, updated_at, event_id)
    SELECT contact_id, category, state, at, id FROM consent_events WHERE id BETWEEN ? AND ?
    ON CONFLICT (contact_id, category) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at, event_id = excluded.event_id
  `),
    (a, b) => [maxEvent + a, maxEvent + b],
  );
}
