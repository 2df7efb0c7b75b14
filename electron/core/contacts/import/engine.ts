/**
 * The import engine: file → validated rows in a private staging database → one transaction into
 * the store.
 *
 * 1. Read: rows are parsed in batches; after each batch the event loop gets a turn (progress,
 *    cancel, other calls go on). Every row is validated here (phone → E.164 mobile, typed
 *    attributes, tags, consent cell) and written to a staging SQLite file of its own (no journal, no
 *    fsync) whose UNIQUE phone column finds duplicates within the file ("duplicate of row N").
 * 2. Count: the staging rows are compared with the store (new / existing) — this is a dry run's
 *    answer, and nothing else happens in a dry run.
 * 3. Merge: one transaction on the store inserts new contacts, updates existing ones (policy
 *    'update'), tags, attributes and consent events. If anything fails, or the import was cancelled
 *    before this step, the store is unchanged; the staging file is always deleted.
 *
 * Consent: the file's own consent column wins over the options' blanket box. A cell that says no
 * records an opt-out (also over an opt-in, and for skipped duplicates: a no is never ignored); a
 * yes, or the box where the cell says nothing, records an opt-in only where the state is unknown —
 * an import never turns an opted-out contact back to opted-in. A value not understood records
 * nothing and is noted. The report counts each outcome and its source (ImportConsentCounts).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import type {
  AttributeType,
  ConsentCategory,
  ImportConsentCounts,
  ImportCounts,
  ImportEncoding,
  ImportFormat,
  ImportPhase,
  ImportProgress,
  ImportReport,
  ImportExistingRow,
  ImportRowError,
  ImportRowParams,
  MappingEntry,
} from '../../../../shared/contract/contacts';
import type { Clock } from '../../clock';
import { applyKey, STORE_KEY_BYTES } from '../../db/cipher';
import { checkpointOnThread } from '../../db/checkpoint-thread';
import { storeKeyOf, type Db } from '../../db/connection';
import { badInput, PacerError } from '../../errors';
import { erasureSnapshot } from '../../privacy/store/erasures';
import { indexedUpto } from '../search';
import { insertRejections } from '../store/import-history';
import { openStagedReader } from './read-thread';
import { CONSENT_IN, CONSENT_NONE, CONSENT_OUT, CONSENT_UNRECOGNISED, STAGED, STAGED_COUNT, utcDay, type UserOnlyRow } from './stage-rows';
import { mergeUserOnlyRows } from './user-only-rows';
import { storeImportedUserIds } from './user-ids-store';
import { importEvidence } from '../consent-evidence';

export interface ImportRunOptions {
  jobId: string;
  fileName: string;
  filePath: string;
  mapping: MappingEntry[];
  defaultCountry: string;
  tags: string[];
  consent: ConsentCategory | null;
  consentSource?: string | undefined;
  onDuplicate: 'skip' | 'update';
  encoding?: ImportEncoding | undefined;
  sheet?: string | undefined;
  dryRun: boolean;
  /** Who runs it: 'user' (UI), 'cli'. Kept as consent evidence. */
  actor: string;
}

export interface ImportDeps {
  db: Db;
  clock: Clock;
  /** Where the staging file goes (DATA_DIR/tmp). */
  tmpDir: string;
}

/** The contract's progress without what the job adds (its id, dry-run flag). */
export type ProgressInfo = Omit<ImportProgress, 'jobId' | 'dryRun'>;

export interface ImportHooks {
  signal?: AbortSignal;
  onProgress?(p: ProgressInfo): void;
  /** How often onProgress may fire (ms). */
  progressEveryMs?: number;
}

/** Rejected rows kept for the report; beyond this only the count grows. */
export const MAX_KEPT_ERRORS = 100_000;
/** A WAL at least this big after a save is checkpointed on a thread of its own. */
const CHECKPOINT_ON_THREAD_BYTES = 32 * 1024 * 1024;

function walBytes(db: Db): number {
  try {
    return fs.statSync(`${db.name}-wal`).size;
  } catch {
    return 0;
  }
}

/** Staged rows per INSERT statement (14 values each; SQLite allows 32,766). */
const MULTI = 100;
const STAGED_MARKS = Array(STAGED_COUNT).fill('?').join(', ');
/** Page caches (KiB) while an import runs: the staging file's, and the store's during the merge. */
const STAGING_CACHE_KB = 2 * 1024; // appends only: no index to keep in memory
const MERGE_CACHE_KB = 16 * 1024;

function stagingSchema(db: Database.Database): void {
  // A scratch file: no journal, no fsync; rows are appended in file order (no index: duplicates
  // within the file are found in memory, see PhoneSeen).
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma(`cache_size = -${STAGING_CACHE_KB}`);
  db.exec(`
    CREATE TABLE s (
      seq INTEGER PRIMARY KEY,  -- 1, 2, 3… in file order: one per distinct valid number
      row INTEGER NOT NULL, phone TEXT NOT NULL, first_name TEXT, last_name TEXT, name TEXT NOT NULL,
      email TEXT, country TEXT,
      consent INTEGER NOT NULL, -- the file's consent cell: CONSENT_NONE, _IN, _OUT, _UNRECOGNISED
      tags TEXT,   -- JSON array, or NULL
      attrs TEXT,  -- JSON array of [name, value], or NULL
      user_id TEXT, username TEXT, -- WhatsApp business-scoped user id and username (BSUID), or NULL
      fts TEXT NOT NULL -- the contact's search words (search.ts searchText), made while reading
    );
  `);
}

/**
 * Runs one import (or dry run). Throws PacerError('bad_input') for unreadable input,
 * PacerError('cancelled') when the signal fires before the merge.
 */
export async function runImport(deps: ImportDeps, opts: ImportRunOptions, hooks: ImportHooks = {}): Promise<ImportReport> {
  const { db, clock } = deps;
  const startedAt = clock.now();
  // The file is read and its rows validated on a thread of their own (read-thread.ts): this thread
  // only writes the staged batches it is given.
  const source = await openStagedReader({
    filePath: opts.filePath,
    encoding: opts.encoding,
    sheet: opts.sheet,
    mapping: opts.mapping,
    defaultCountry: opts.defaultCountry,
    existingDefs: new Map(
      (db.prepare('SELECT name, type FROM attribute_defs').all() as { name: string; type: AttributeType }[]).map((d) => [
        d.name.toLowerCase(),
        d.type,
      ]),
    ),
    // Numbers erased at the person's request (suppression records, privacy/store/erasures.ts).
    erasures: erasureSnapshot(db),
    searchWords: !opts.dryRun,
  });
  fs.mkdirSync(deps.tmpDir, { recursive: true, mode: 0o700 });
  const stagingFile = path.join(
    deps.tmpDir,
    `import-${opts.jobId.replace(/[^a-zA-Z0-9-]/g, '')}-${crypto.randomBytes(4).toString('hex')}.db`,
  );
  const staging = new Database(stagingFile);
  // The staged rows are people's numbers and names: when the store is encrypted, so is the staging
  // file, with a key of its own that lives only in this process for this import.
  const stagingKey = storeKeyOf(db) ? crypto.randomBytes(STORE_KEY_BYTES) : null;
  if (stagingKey) applyKey(staging, stagingKey);
  const counts: ImportCounts = { rows: 0, imported: 0, updated: 0, duplicates: 0, invalid: 0, skipped: 0 };
  const consent: ImportConsentCounts = {
    category: opts.consent ?? 'marketing',
    column: null,
    box: opts.consent !== null,
    optedInByFile: 0,
    optedInByBox: 0,
    optedOutByFile: 0,
    keptOptedOut: 0,
    notRecorded: 0,
    unrecognised: 0,
  };
  const errors: ImportRowError[] = [];
  let errorsTotal = 0;
  let existingRows: ImportExistingRow[] = [];
  let phase: ImportPhase = 'reading';
  let lastProgress = -Infinity;
  let written: { done: number; total: number } | null = null;
  let checkpointLater = false;
  /** Every tag name the file's rows carry (created in the store by the merge). */
  const fileTags = new Set<string>();
  const every = hooks.progressEveryMs ?? 200;
  const progress = (force = false) => {
    const now = clock.now();
    if (!force && now - lastProgress < every) return;
    lastProgress = now;
    hooks.onProgress?.({
      phase,
      rowsRead: counts.rows,
      bytesRead: source.bytesRead(),
      bytesTotal: source.bytesTotal,
      counts: { ...counts },
      ...(written ? { written: written.done, toWrite: written.total } : {}),
    });
  };
  /** A row imported all the same, with something the user should know (kept with the rejections). */
  const note = (row: number, code: string, reason: string, params?: ImportRowParams) => {
    errorsTotal++;
    if (errors.length < MAX_KEPT_ERRORS) errors.push(params ? { row, code, reason, params } : { row, code, reason });
  };
  const checkCancel = () => {
    if (hooks.signal?.aborted) throw new PacerError('cancelled', 'The import was cancelled; nothing was changed.');
  };

  try {
    stagingSchema(staging);
    consent.column = source.consentColumn;
    const insertRow = staging.prepare(`INSERT INTO s (${STAGED}) VALUES (${STAGED_MARKS})`);
    // Rows are written MULTI at a time (one statement call instead of a hundred).
    const insertMany = staging.prepare(`INSERT INTO s (${STAGED}) VALUES ${Array(MULTI).fill(`(${STAGED_MARKS})`).join(', ')}`);
    const rowValues = STAGED_COUNT * MULTI;
    /** Staged rows that carry a BSUID or username (the merge stores those row by row). */
    let userIdRows = 0;
    /** Rows of people known only by a WhatsApp user id (no phone): merged row by row (user-only-rows.ts). */
    const userOnly: UserOnlyRow[] = [];

    // The staging file is private to this import: one transaction for the whole read, so its
    // pages are written out once when the cache fills, not rewritten at every batch's commit.
    staging.exec('BEGIN');
    for await (const b of source.batches()) {
      checkCancel();
      let k = 0;
      for (; k + rowValues <= b.values.length; k += rowValues) insertMany.run(b.values.slice(k, k + rowValues));
      for (; k < b.values.length; k += STAGED_COUNT) insertRow.run(b.values.slice(k, k + STAGED_COUNT));
      counts.rows += b.rows;
      counts.invalid += b.invalid;
      counts.duplicates += b.duplicates;
      for (const e of b.errors) {
        errorsTotal++;
        if (errors.length < MAX_KEPT_ERRORS) errors.push(e);
      }
      for (const t of b.tags) fileTags.add(t);
      userIdRows += b.userIdRows;
      for (const r of b.userOnly) userOnly.push(r);
      progress();
    }
    checkCancel();
    staging.exec('COMMIT');
    if (counts.rows === 0) throw badInput('The file has a header row but no contacts.');

    // 2. Compare with the store.
    phase = 'writing';
    progress(true);
    if (stagingKey) db.prepare('ATTACH DATABASE ? AS st KEY ?').run(stagingFile, `x'${stagingKey.toString('hex')}'`);
    else db.prepare('ATTACH DATABASE ? AS st').run(stagingFile);
    try {
      const staged = counts.rows - counts.invalid - counts.duplicates - userOnly.length;
      const { existing } = countAgainstStore(db, staged, opts, consent, note, progress);
      // Which rows those are ("Already in Pacer" says which), read before the merge adds the new ones.
      existingRows = existing > 0 ? listExisting(db, MAX_KEPT_ERRORS) : [];
      counts.imported = staged - existing;
      if (opts.onDuplicate === 'update') counts.updated = existing;
      else counts.skipped = existing;
      const userOnlyMerge = (indexNow: boolean) =>
        mergeUserOnlyRows(db, userOnly, counts, {
          onDuplicate: opts.onDuplicate,
          tags: opts.tags,
          consent,
          consentEvent: consentEvidence(opts, consent, startedAt),
          now: startedAt,
          note,
          dryRun: opts.dryRun,
          indexNow,
        });
      // A dry run counts them here; an import merges them after the rest, in its transaction.
      if (opts.dryRun) userOnlyMerge(false);
      checkCancel();
      if (!opts.dryRun) {
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
            merge(
              db,
              opts,
              { format: source.format, encoding: source.encoding },
              source.attrTypes(),
              fileTags,
              startedAt,
              counts,
              consent,
              existing,
              userIdRows > 0,
              userOnlyMerge,
              (done, total) => {
                written = { done, total };
                progress();
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
          checkpointLater = true;
        }
      }
    } finally {
      db.prepare('DETACH DATABASE st').run();
    }
    phase = 'done';
    progress(true);
    return {
      jobId: opts.jobId,
      dryRun: opts.dryRun,
      format: source.format as ImportFormat,
      encoding: source.encoding,
      fileName: opts.fileName,
      startedAt,
      finishedAt: clock.now(),
      errorsTotal,
      errors: errors.sort((a, b) => a.row - b.row),
      existingTotal: counts.updated + counts.skipped,
      existing: existingRows,
      ...counts,
      consent,
    };
  } finally {
    source.close();
    staging.close();
    fs.rmSync(stagingFile, { force: true });
    // The save's WAL goes back into the file on a thread of its own (db/checkpoint-thread.ts): the
    // core answers calls meanwhile. Should it fail, the next automatic checkpoint does the work.
    if (checkpointLater && db.name !== ':memory:') {
      // A small WAL is copied back at once (milliseconds); only a big one goes to the thread.
      if (walBytes(db) < CHECKPOINT_ON_THREAD_BYTES) {
        try {
          db.pragma('wal_checkpoint(PASSIVE)');
        } catch {
          /* the next commit's own checkpoint will do */
        }
      } else void checkpointOnThread(db);
    }
  }
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
  opts: ImportRunOptions,
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
  opts: ImportRunOptions,
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
  for (const step of steps) {
    for (let from = 1; from <= staged; from += MERGE_CHUNK) {
      const to = Math.min(staged, from + MERGE_CHUNK - 1);
      const changed = step.run(from, to);
      if (step.label === 'insert') inserted += changed;
      done += to - from + 1;
      tick(done, total);
    }
  }
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

/** The evidence an import's consent events carry: the box's (with the user's source) and the file's column's. */
function consentEvidence(opts: ImportRunOptions, consent: ImportConsentCounts, now: number) {
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
  opts: ImportRunOptions,
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
