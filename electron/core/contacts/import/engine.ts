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
 *    before its commit, the store is unchanged; the staging file is always deleted.
 * Steps 2 and 3 are save-staged.ts, run on a thread with a connection of its own (save-thread.ts):
 * the core answers other calls while a big file is saved.
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
  MappingEntry,
} from '../../../../shared/contract/contacts';
import type { Clock } from '../../clock';
import { applyKey, STORE_KEY_BYTES } from '../../db/cipher';
import { checkpointOnThread } from '../../db/checkpoint-thread';
import { storeKeyOf, type Db } from '../../db/connection';
import { badInput, PacerError } from '../../errors';
import { erasureSnapshot } from '../../privacy/store/erasures';
import { openStagedReader } from './read-thread';
import { MAX_KEPT_ERRORS } from './save-staged';
import { saveStagedRows } from './save-thread';
import { STAGED, STAGED_COUNT, type UserOnlyRow } from './stage-rows';

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
/**
 * How often progress is checked for while nothing else reports it. It is sent at most every
 * progressEveryMs (200): checked every 40 ms, two events are at most ~240 ms apart while the
 * core's thread is free.
 */
const HEARTBEAT_MS = 40;
/** The staging file's page cache (KiB) while an import runs. */
const STAGING_CACHE_KB = 2 * 1024; // appends only: no index to keep in memory

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
 * PacerError('cancelled') when the signal fires before the merge's commit (nothing is saved then).
 */
export async function runImport(deps: ImportDeps, opts: ImportRunOptions, hooks: ImportHooks = {}): Promise<ImportReport> {
  const { db, clock } = deps;
  const startedAt = clock.now();
  // Numbers erased at the person's request (suppression records, privacy/store/erasures.ts); the
  // save checks again for any erased while the file was read (save-staged.ts).
  const erasures = erasureSnapshot(db);
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
    erasures,
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
  const checkCancel = () => {
    if (hooks.signal?.aborted) throw new PacerError('cancelled', 'The import was cancelled; nothing was changed.');
  };

  // The file is read and saved on threads of their own: the core's thread is free, so progress
  // keeps its pace while a thread starts, reads its first rows or commits (the counts then stay
  // where they were; the bar shows the import is alive).
  const heartbeat = setInterval(() => progress(), HEARTBEAT_MS);
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
    const saved = await saveStagedRows(
      db,
      {
        opts: {
          jobId: opts.jobId,
          fileName: opts.fileName,
          tags: opts.tags,
          consentSource: opts.consentSource,
          onDuplicate: opts.onDuplicate,
          dryRun: opts.dryRun,
          actor: opts.actor,
        },
        stagingFile,
        stagingKeyHex: stagingKey ? stagingKey.toString('hex') : null,
        file: { format: source.format, encoding: source.encoding },
        attrTypes: [...source.attrTypes()],
        fileTags: [...fileTags],
        startedAt,
        counts,
        consent,
        userOnly,
        userIdRows,
        errors,
        errorsTotal,
        erasures,
      },
      {
        tick: (done, total) => {
          written = { done, total };
          progress();
        },
        counting: () => progress(),
        signal: hooks.signal,
      },
    );
    Object.assign(counts, saved.counts);
    Object.assign(consent, saved.consent);
    errors.splice(0, errors.length, ...saved.errors);
    errorsTotal = saved.errorsTotal;
    existingRows = saved.existingRows;
    checkpointLater = !opts.dryRun;
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
    clearInterval(heartbeat);
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
