import type { Db } from '../../electron/core/db/connection';

/** Every value of every table (blobs as UTF-8), for a grep of the whole store (the word index aside: it holds no text). */
export function dumpStore(db: Db): string {
  const tables = db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'contacts_fts%'")
    .pluck()
    .all() as string[];
  return tables
    .map((t) =>
      (db.prepare(`SELECT * FROM "${t}"`).all() as Record<string, unknown>[])
        .map((r) =>
          Object.values(r)
            .map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v)))
            .join('|'),
        )
        .join('\n'),
    )
    .join('\n');
}
