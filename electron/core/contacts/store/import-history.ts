/**
 * SQL for an import's history: the `imports` rows the engine writes when an import is saved, and
 * the rows it rejected or noted (import_rejections, migration 0016), so the list and its CSV stay
 * available after the wizard is closed or the app restarted.
 */
import type { Db } from '../../db/connection';
import type { ImportCounts, ImportHistoryEntry, ImportRowError, ImportRowParams } from '../../../../shared/contract/contacts';

/** Stores the rejected/noted rows of a saved import (inside the import's own transaction). */
export function insertRejections(db: Db, importId: string, errorsTotal: number, errors: readonly ImportRowError[]): void {
  db.prepare('UPDATE imports SET errors_total = ? WHERE id = ?').run(errorsTotal, importId);
  const add = db.prepare('INSERT INTO import_rejections (import_id, seq, row, code, reason, params) VALUES (?, ?, ?, ?, ?, ?)');
  errors.forEach((e, i) => add.run(importId, i + 1, e.row, e.code, e.reason, e.params ? JSON.stringify(e.params) : null));
}

/** The most recent saved imports, newest first. */
export function importHistory(db: Db, limit: number): ImportHistoryEntry[] {
  const rows = db
    .prepare(
      'SELECT id, file_name, format, counts, started_at, finished_at, errors_total FROM imports ORDER BY finished_at DESC, rowid DESC LIMIT ?',
    )
    .all(limit) as {
    id: string;
    file_name: string;
    format: string;
    counts: string;
    started_at: number;
    finished_at: number;
    errors_total: number;
  }[];
  return rows.map((r) => {
    const c = JSON.parse(r.counts) as Partial<ImportCounts>;
    return {
      id: r.id,
      fileName: r.file_name,
      format: r.format,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      counts: {
        rows: c.rows ?? 0,
        imported: c.imported ?? 0,
        updated: c.updated ?? 0,
        duplicates: c.duplicates ?? 0,
        invalid: c.invalid ?? 0,
        skipped: c.skipped ?? 0,
      },
      errorsTotal: r.errors_total,
    };
  });
}

/** One page of a saved import's rejected rows, in report order; null when there is no such import. */
export function importRejections(
  db: Db,
  importId: string,
  offset: number,
  limit: number,
): { rows: ImportRowError[]; total: number } | null {
  const total = db.prepare('SELECT errors_total FROM imports WHERE id = ?').pluck().get(importId) as number | undefined;
  if (total === undefined) return null;
  const rows = db
    .prepare('SELECT row, code, reason, params FROM import_rejections WHERE import_id = ? AND seq > ? ORDER BY seq LIMIT ?')
    .all(importId, offset, limit) as { row: number; code: string; reason: string; params: string | null }[];
  return {
    total,
    rows: rows.map((r) =>
      r.params
        ? { row: r.row, code: r.code, reason: r.reason, params: JSON.parse(r.params) as ImportRowParams }
        : { row: r.row, code: r.code, reason: r.reason },
    ),
  };
}
