import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from './connection';
import type { Migration } from './migrations/types';
import { PacerError } from '../errors';

export const migrationHash = (m: Migration): string => {
  if (typeof m.up !== 'string' && m.hashSource === undefined)
    throw new Error(`migration ${m.version} runs code: it needs hashSource (types.ts)`);
  return crypto
    .createHash('sha256')
    .update(`${m.version}:${m.name}:${typeof m.up === 'string' ? m.up : `code:${m.hashSource}`}`)
    .digest('hex');
};

export interface MigrateResult {
  from: number;
  to: number;
  applied: number[];
  backups: string[];
}

/**
 * Brings the database to the newest schema. Each migration runs in its own transaction with
 * user_version bumped inside it, so a failure leaves the previous version intact. Refuses a
 * database written by a newer Pacer, and one whose applied migrations were edited since.
 */
export function migrate(
  db: Db,
  list: readonly Migration[],
  opts: { backupDir?: string; dbFile?: string; now?: () => number } = {},
): MigrateResult {
  list.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration registry out of order at ${m.name}: expected version ${i + 1}`);
  });
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, hash TEXT NOT NULL, applied_at INTEGER NOT NULL
  ) STRICT`);
  const from = db.pragma('user_version', { simple: true }) as number;
  const latest = list.length;
  if (from > latest) {
    throw new PacerError(
      'conflict',
      `This data was written by a newer version of Pacer (schema ${from}; this version knows up to ${latest}). Update Pacer to open it.`,
    );
  }
  const stored = db.prepare('SELECT version, name, hash FROM schema_migrations ORDER BY version').all() as {
    version: number;
    name: string;
    hash: string;
  }[];
  for (const row of stored) {
    const m = list[row.version - 1];
    if (m && migrationHash(m) !== row.hash) {
      throw new PacerError(
        'conflict',
        `Migration ${row.version} (${row.name}) was edited after it was applied to this database. Migrations are forward-only: add a new one instead.`,
      );
    }
  }
  const applied: number[] = [];
  const backups: string[] = [];
  const now = opts.now ?? Date.now;
  for (const m of list.slice(from)) {
    if (m.rewritesData && from > 0 && opts.backupDir && opts.dbFile) {
      fs.mkdirSync(opts.backupDir, { recursive: true });
      const target = path.join(opts.backupDir, `pacer-v${m.version - 1}-${now()}.db`);
      db.exec(`VACUUM INTO '${target.replace(/'/g, "''")}'`);
      backups.push(target);
    }
    // A table rebuild needs foreign_keys OFF, which SQLite ignores inside a transaction: set it here.
    const fkWasOn = m.foreignKeysOff === true && db.pragma('foreign_keys', { simple: true }) === 1;
    if (fkWasOn) db.pragma('foreign_keys = OFF');
    try {
      runOne(db, m, now);
    } finally {
      if (fkWasOn) db.pragma('foreign_keys = ON');
    }
    applied.push(m.version);
  }
  if (applied.length) db.pragma('optimize');
  return { from, to: latest, applied, backups };
}

function runOne(db: Db, m: Migration, now: () => number): void {
  db.transaction(() => {
    if (typeof m.up === 'string') db.exec(m.up);
    else m.up(db);
    if (m.foreignKeysOff) {
      // What the rebuild left must satisfy every foreign key, or nothing of it is committed.
      const bad = db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
      if (bad.length) {
        const first = bad[0]!;
        throw new Error(
          `migration ${m.version} (${m.name}) broke ${bad.length} foreign key(s), first ${first.table} row ${first.rowid} → ${first.parent}`,
        );
      }
    }
    db.prepare('INSERT INTO schema_migrations (version, name, hash, applied_at) VALUES (?, ?, ?, ?)').run(
      m.version,
      m.name,
      migrationHash(m),
      now(),
    );
    db.pragma(`user_version = ${m.version}`);
  })();
}
