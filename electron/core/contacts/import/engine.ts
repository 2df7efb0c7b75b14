/**
 * The import engine: file → validated rows → one transaction into the store, saved as it is read.
 *
 * 1. Read: the file is parsed in batches on a thread of its own (read-worker.ts); every row is
 *    validated there (phone → E.164 mobile, typed attributes, tags, consent cell), duplicates
 *    within the file are found ("duplicate of row N"), and its search words are made.
 * 2. Save: each batch goes straight to the saving thread (save-worker.ts, save-batches.ts), which
 *    compares it with the store (new / existing — a dry run's answer, and nothing else happens in
 *    a dry run) and merges it: new contacts, updates (policy 'update'), tags, attributes, consent
 *    events, the search index. All batches go into one transaction, committed after the last; if
 *    anything fails, or the import is cancelled before its commit, the store is unchanged.
 * The two threads overlap on two cores, and the core's thread only relays progress (save-thread.ts).
 *
 * Consent: the file's own consent column wins over the options' blanket box. A cell that says no
 * records an opt-out (also over an opt-in, and for skipped duplicates: a no is never ignored); a
 * yes, or the box where the cell says nothing, records an opt-in only where the state is unknown —
 * an import never turns an opted-out contact back to opted-in. A value not understood records
 * nothing and is noted. The report counts each outcome and its source (ImportConsentCounts).
 */
import fs from 'node:fs';
import type {
  AttributeType,
  ConsentCategory,
  ImportCounts,
  ImportEncoding,
  ImportFormat,
  ImportPhase,
  ImportProgress,
  ImportReport,
  MappingEntry,
} from '../../../../shared/contract/contacts';
import type { Clock } from '../../clock';
import { checkpointOnThread } from '../../db/checkpoint-thread';
import type { Db } from '../../db/connection';
import type { Logger } from '../../log';
import { erasureSnapshot } from '../../privacy/store/erasures';
import { readAndSave } from './save-thread';

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
  /** Where the import's timings go (counts and times only: no file name, no row). */
  log?: Logger;
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

/**
 * How often progress is checked for while nothing else reports it. It is sent at most every
 * progressEveryMs (150): checked every 30 ms, two events are at most ~180 ms apart while the
 * core's thread is free, which leaves ~70 ms for a call of the core's that is slow meanwhile
 * (a read at the moment a big import commits took up to 150 ms) within the 250 ms the bar needs.
 */
const HEARTBEAT_MS = 30;

/**
 * Runs one import (or dry run). Throws PacerError('bad_input') for unreadable input,
 * PacerError('cancelled') when the signal fires before the merge's commit (nothing is saved then).
 */
export async function runImport(deps: ImportDeps, opts: ImportRunOptions, hooks: ImportHooks = {}): Promise<ImportReport> {
  const { db, clock } = deps;
  const startedAt = clock.now();
  // Numbers erased at the person's request (suppression records, privacy/store/erasures.ts); the
  // save checks again for any erased while the file was read (save-batches.ts).
  const erasures = erasureSnapshot(db);
  let counts: ImportCounts = { rows: 0, imported: 0, updated: 0, duplicates: 0, invalid: 0, skipped: 0 };
  let bytesRead = 0;
  let bytesTotal = 0;
  let phase: ImportPhase = 'reading';
  let lastProgress = -Infinity;
  let checkpointLater = false;
  const every = hooks.progressEveryMs ?? 150;
  const progress = (force = false) => {
    const now = clock.now();
    if (!force && now - lastProgress < every) return;
    lastProgress = now;
    hooks.onProgress?.({ phase, rowsRead: counts.rows, bytesRead, bytesTotal, counts: { ...counts } });
  };

  // The file is read and saved on threads of their own: the core's thread is free, so progress
  // keeps its pace while a thread starts, reads its first rows or commits (the counts then stay
  // where they were; the bar shows the import is alive).
  const heartbeat = setInterval(() => progress(), HEARTBEAT_MS);
  try {
    const { opened, output, cpu } = await readAndSave(
      db,
      {
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
      },
      {
        opts: {
          jobId: opts.jobId,
          fileName: opts.fileName,
          tags: opts.tags,
          consentSource: opts.consentSource,
          onDuplicate: opts.onDuplicate,
          dryRun: opts.dryRun,
          actor: opts.actor,
          userIds: opts.mapping.some((m) => m.field === 'user_id' || m.field === 'username'),
        },
        startedAt,
        consent: {
          category: opts.consent ?? 'marketing',
          column: null,
          box: opts.consent !== null,
          optedInByFile: 0,
          optedInByBox: 0,
          optedOutByFile: 0,
          keptOptedOut: 0,
          notRecorded: 0,
          unrecognised: 0,
        },
        erasures,
      },
      {
        opened: (info) => {
          bytesTotal = info.bytesTotal;
        },
        progress: (c, bytes) => {
          counts = c;
          bytesRead = bytes;
          progress();
        },
        finishing: () => {
          bytesRead = bytesTotal;
          phase = 'writing';
          progress(true);
        },
        signal: hooks.signal,
      },
    );
    counts = output.counts;
    checkpointLater = !opts.dryRun;
    // Which thread bounds an import's speed on this machine: its threads' CPU beside its wall time.
    deps.log?.info('import saved', {
      jobId: opts.jobId,
      dryRun: opts.dryRun,
      rows: counts.rows,
      ms: clock.now() - startedAt,
      readingCpuMs: cpu?.readingMs ?? null,
      savingCpuMs: cpu?.savingMs ?? null,
    });
    phase = 'done';
    progress(true);
    return {
      jobId: opts.jobId,
      dryRun: opts.dryRun,
      format: opened.format as ImportFormat,
      encoding: opened.encoding,
      fileName: opts.fileName,
      startedAt,
      finishedAt: clock.now(),
      errorsTotal: output.errorsTotal,
      errors: output.errors,
      existingTotal: counts.updated + counts.skipped,
      existing: output.existingRows,
      ...counts,
      consent: output.consent,
    };
  } finally {
    clearInterval(heartbeat);
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
