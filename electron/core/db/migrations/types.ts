import type { Db } from '../connection';

export interface Migration {
  /** 1, 2, 3… with no gaps; equals PRAGMA user_version after it runs. */
  version: number;
  name: string;
  /** True when the migration rewrites existing rows: a backup is taken before it runs. */
  rewritesData?: boolean;
  /** SQL text, or a function for migrations that need code. The hash covers the text of either. */
  up: string | ((db: Db) => void);
}
