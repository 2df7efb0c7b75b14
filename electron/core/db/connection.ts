// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- an ambient module declaration is referenced, not imported (it is not a module)
/// <reference path="./better-sqlite3-multiple-ciphers.d.ts" />
import Database from 'better-sqlite3-multiple-ciphers';
import { applyKey, storeKeyWrong, type StoreKey, type StoreKeyParams } from './cipher';

export type Db = Database.Database;

/** The key each open store was opened with, for the connections that must open it too (inbox thread, import staging). */
const keys = new WeakMap<Db, StoreKey>();
export const storeKeyOf = (db: Db): StoreKey | null => keys.get(db) ?? null;

/**
 * Opens the store with the pragmas a desktop app wants: WAL (readers never block the writer),
 * NORMAL sync (safe from corruption under WAL; callers that must survive power loss for one commit
 * — the send ledger — switch to FULL around it), foreign keys on, a busy timeout for the rare
 * second connection (backups, benchmarks). With `key` the file is encrypted (db/cipher.ts).
 */
export function openDatabase(file: string, opts: { readonly?: boolean; key?: StoreKey; keyParams?: StoreKeyParams } = {}): Db {
  const db = new Database(file, { readonly: opts.readonly ?? false });
  if (opts.key) {
    // The key must be given before the first read; a wrong one fails on the first page (NOTADB).
    try {
      applyKey(db, opts.key);
      db.prepare('SELECT count(*) FROM sqlite_schema').get();
    } catch (e) {
      db.close();
      if ((e as { code?: string }).code === 'SQLITE_NOTADB')
        throw storeKeyWrong(opts.keyParams ?? { file, keyLocation: { kind: 'memory' } });
      throw e;
    }
    keys.set(db, opts.key);
  }
  if (!opts.readonly) db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('temp_store = MEMORY');
  // 32 MB of page cache (grown only as pages are read): on an encrypted store every page read from
  // the file is decrypted and its HMAC checked, so a search over a million contacts that keeps
  // missing SQLite's default 2 MB cache pays that again on every query.
  db.pragma('cache_size = -32768');
  db.pragma('secure_delete = ON'); // deleted rows are zeroed, not left in freed pages (erasure, docs/security.md)
  if (!opts.readonly) immediateByDefault(db);
  return db;
}

/**
 * Makes `db.transaction(fn)()` start with BEGIN IMMEDIATE instead of a deferred BEGIN.
 *
 * Why: the webhook inbox commits from its own connection (webhooks/writer-thread.ts) while this
 * one works. A deferred transaction that reads before it writes holds a WAL snapshot; if the inbox
 * commits in between, the first write cannot upgrade that snapshot and SQLite answers
 * SQLITE_BUSY_SNAPSHOT ("database is locked") at once — the busy timeout does not apply. An
 * erasure or an opt-out failed that way while status webhooks streamed in. BEGIN IMMEDIATE takes
 * the write lock first (waiting up to busy_timeout) and always sees the latest commit. The
 * `.deferred` / `.immediate` / `.exclusive` variants stay available; nesting still uses savepoints.
 */
function immediateByDefault(db: Db): void {
  const original = db.transaction.bind(db);
  // Each variant better-sqlite3 returns already carries .default/.deferred/.immediate/.exclusive.
  db.transaction = ((fn: (...args: never[]) => unknown) => original(fn).immediate) as Db['transaction'];
}

/** Runs fn in a transaction; better-sqlite3 rolls back when fn throws. */
export function inTransaction<T>(db: Db, fn: () => T): T {
  return db.transaction(fn)();
}
