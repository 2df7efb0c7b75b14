import type { Db } from '../connection';

export interface Migration {
  /** 1, 2, 3… with no gaps; equals PRAGMA user_version after it runs. */
  version: number;
  name: string;
  /** True when the migration rewrites existing rows: a backup is taken before it runs. */
  rewritesData?: boolean;
  /**
   * True for a migration that rebuilds a table others reference (SQLite's 12-step ALTER,
   * https://www.sqlite.org/lang_altertable.html#otheralter): the runner turns foreign_keys OFF
   * before its transaction (the pragma is a no-op inside one), so dropping the old table neither
   * cascades nor fails; it runs PRAGMA foreign_key_check before committing (any violation rolls
   * the migration back) and turns foreign_keys back ON afterwards, whatever happened.
   */
  foreignKeysOff?: boolean;
  /** SQL text, or a function for migrations that need code (then `hashSource` is required). */
  up: string | ((db: Db) => void);
  /**
   * For a function migration: the text the applied-migration check hashes — its SQL. A function's
   * own text is not stable: each build (esbuild's bundle, the test runner's transform) prints it
   * differently, so a store made by one was refused by the other as "edited".
   */
  hashSource?: string;
}
