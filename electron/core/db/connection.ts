import Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * Opens the store with the pragmas a desktop app wants: WAL (readers never block the writer),
 * NORMAL sync (safe from corruption under WAL; callers that must survive power loss for one commit
 * — the send ledger — switch to FULL around it), foreign keys on, a busy timeout for the rare
 * second connection (backups, benchmarks).
 */
export function openDatabase(file: string, opts: { readonly?: boolean } = {}): Db {
  const db = new Database(file, { readonly: opts.readonly ?? false });
  if (!opts.readonly) db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('temp_store = MEMORY');
  return db;
}

/** Runs fn in a transaction; better-sqlite3 rolls back when fn throws. */
export function inTransaction<T>(db: Db, fn: () => T): T {
  return db.transaction(fn)();
}
