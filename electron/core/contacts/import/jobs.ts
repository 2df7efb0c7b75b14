/**
 * Import jobs: one at a time, started by `import:start`, observed through events
 * (`import:progress` at most every 200 ms, `import:finished` once) or `import:status`.
 */
import crypto from 'node:crypto';
import type {
  ImportEncoding,
  ImportHistoryEntry,
  ImportJob,
  ImportPreview,
  ImportProgress,
  ImportReport,
  ImportRowError,
} from '../../../../shared/contract/contacts';
import { importHistory, importRejections } from '../store/import-history';
import type { CoreContext } from '../../context';
import { PacerError } from '../../errors';
import type { ContactsService } from '../service';
import { runImport, type ImportRunOptions } from './engine';
import { guessMapping } from './guess';
import { guessFromData } from './guess-data';
import { openTable } from './source';

const PREVIEW_ROWS = 20;
const KEEP_JOBS = 20;

interface JobEntry {
  job: ImportJob;
  controller: AbortController;
  done: Promise<ImportJob>;
}

export type StartOptions = Omit<ImportRunOptions, 'jobId' | 'fileName' | 'filePath'> & {
  fileId: string;
  saveMappingAs?: string | undefined;
};

export class ImportJobs {
  private jobs = new Map<string, JobEntry>();
  private running: string | null = null;

  constructor(
    private readonly ctx: CoreContext,
    private readonly contacts: ContactsService,
  ) {
    ctx.onClose(async () => {
      for (const e of this.jobs.values()) e.controller.abort();
      await Promise.allSettled([...this.jobs.values()].map((e) => e.done));
    });
  }

  async preview(fileId: string, encoding?: ImportEncoding, sheet?: string): Promise<ImportPreview> {
    const file = this.ctx.files.get(fileId);
    const source = await openTable(file.path, { encoding, sheet });
    const rows: string[][] = [];
    try {
      for await (const batch of source.batches()) {
        for (const r of batch) {
          if (rows.length >= PREVIEW_ROWS) break;
          rows.push(r.cells);
        }
        if (rows.length >= PREVIEW_ROWS) break;
      }
    } finally {
      source.close();
    }
    const { mapping, guesses } = guessFromData(
      source.headers,
      rows,
      guessMapping(source.headers, rows),
      this.ctx.settings.get().defaultCountry,
    );
    const warnings: string[] = [];
    if (source.encodingDetected && !source.encodingConfident) warnings.push('encoding_uncertain');
    if (!mapping.some((m) => m.field === 'phone')) warnings.push('no_phone_column');
    if (!rows.length) warnings.push('no_rows');
    return {
      fileId,
      fileName: file.name,
      size: file.size,
      format: source.format,
      encoding: source.encoding,
      encodingDetected: source.encodingDetected,
      delimiter: source.delimiter,
      sheets: source.sheets,
      sheet: source.sheet,
      headers: source.headers,
      rows,
      mapping,
      savedMappings: this.contacts.mappings(source.headers),
      warnings,
      guesses,
    };
  }

  /** Starts a job; answers its id at once. */
  start(opts: StartOptions): string {
    if (this.running) throw new PacerError('conflict', 'An import is already running. Wait for it to finish or cancel it.');
    const file = this.ctx.files.get(opts.fileId);
    const jobId = crypto.randomUUID();
    const controller = new AbortController();
    const progress: ImportProgress = {
      jobId,
      phase: 'reading',
      dryRun: opts.dryRun,
      rowsRead: 0,
      bytesRead: 0,
      bytesTotal: file.size,
      counts: { rows: 0, imported: 0, updated: 0, duplicates: 0, invalid: 0, skipped: 0 },
    };
    const job: ImportJob = { jobId, state: 'running', progress, report: null, error: null };
    this.running = jobId;
    const done = (async (): Promise<ImportJob> => {
      try {
        const report = await runImport(
          { db: this.ctx.db, clock: this.ctx.clock, log: this.ctx.log },
          { ...opts, jobId, fileName: file.name, filePath: file.path },
          {
            signal: controller.signal,
            onProgress: (p) => {
              job.progress = { jobId, dryRun: opts.dryRun, ...p };
              this.ctx.emit('import:progress', job.progress);
            },
          },
        );
        job.state = 'done';
        job.report = report;
        if (!opts.dryRun) {
          if (opts.saveMappingAs)
            this.contacts.saveMapping(
              opts.saveMappingAs,
              opts.mapping,
              opts.mapping.map((m) => m.column),
            );
          this.ctx.emit('contacts:changed', { reason: 'import' });
          void this.contacts.indexer.kick();
        }
      } catch (e) {
        const cancelled = e instanceof PacerError && e.code === 'cancelled';
        job.state = cancelled ? 'cancelled' : 'failed';
        job.error = {
          code: e instanceof PacerError ? e.code : 'internal',
          message: e instanceof Error ? e.message : String(e),
          // The reason and its params, which the UI translates (a file refused mid-way: a quote that never closes).
          ...(e instanceof PacerError && e.details !== undefined ? { details: e.details } : {}),
        };
        if (!(e instanceof PacerError))
          this.ctx.log.error('import failed', { jobId, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      } finally {
        this.running = null;
      }
      this.ctx.emit('import:finished', this.publicJob(job, 100));
      return job;
    })();
    this.jobs.set(jobId, { job, controller, done });
    this.trim();
    return jobId;
  }

  private trim(): void {
    const ids = [...this.jobs.keys()];
    for (const id of ids.slice(0, Math.max(0, ids.length - KEEP_JOBS))) if (id !== this.running) this.jobs.delete(id);
  }

  private entry(jobId: string): JobEntry {
    const e = this.jobs.get(jobId);
    if (!e) throw new PacerError('not_found', 'No such import (it may be from before a restart).');
    return e;
  }

  /** The job with at most `errors` rejected rows in its report. */
  private publicJob(job: ImportJob, errors: number): ImportJob {
    return job.report
      ? { ...job, report: { ...job.report, errors: job.report.errors.slice(0, errors), existing: job.report.existing.slice(0, errors) } }
      : { ...job };
  }

  status(jobId: string): ImportJob {
    return this.publicJob(this.entry(jobId).job, 100);
  }

  report(jobId: string, offset: number, limit: number): ImportReport {
    const { job } = this.entry(jobId);
    if (!job.report)
      throw new PacerError(
        job.state === 'running' ? 'conflict' : 'not_found',
        job.state === 'running' ? 'The import is still running.' : (job.error?.message ?? 'No report.'),
      );
    return {
      ...job.report,
      errors: job.report.errors.slice(offset, offset + limit),
      existing: job.report.existing.slice(offset, offset + limit),
    };
  }

  cancel(jobId: string): void {
    const e = this.jobs.get(jobId);
    if (e && e.job.state === 'running') e.controller.abort();
  }

  /** Saved imports, newest first. */
  history(limit: number): ImportHistoryEntry[] {
    return importHistory(this.ctx.db, limit);
  }

  /** A saved import's rejected rows (from the store: they outlive the job and the process). */
  rejected(importId: string, offset: number, limit: number): { rows: ImportRowError[]; total: number } {
    const page = importRejections(this.ctx.db, importId, offset, limit);
    if (!page) throw new PacerError('not_found', 'No such import.');
    return page;
  }

  /** Resolves when the job ends (CLI, tests). */
  wait(jobId: string): Promise<ImportJob> {
    return this.entry(jobId).done;
  }

  /** The full report including every kept error (CLI). */
  fullJob(jobId: string): ImportJob {
    return this.entry(jobId).job;
  }
}
