import type { Migration } from './types';

/**
 * The rows an import rejected (or noted), kept with the import's history. Until now the list lived
 * only in the running process's job (the wizard's report): after Done, or after a restart, the
 * rejected rows were gone and the user could not fix and re-import them. One row per rejected or
 * noted file row, in the order the report lists them (`seq`), with the same code, English reason
 * and params the report carries (`params` JSON, or NULL). `errors_total` on the import says how
 * many there were (at most the engine's kept maximum are stored).
 *
 * Personal data: a reason can quote a number ("duplicate of row 7 (+972…)"); erasure rewrites
 * mentions here like in every other free-text column (privacy/store/erase-traces.ts), and the rows
 * go with their import.
 */
export const migration0016: Migration = {
  version: 16,
  name: 'import-rejections',
  up: `
    ALTER TABLE imports ADD COLUMN errors_total INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE import_rejections (
      import_id TEXT NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
      seq       INTEGER NOT NULL,
      row       INTEGER NOT NULL,
      code      TEXT NOT NULL,
      reason    TEXT NOT NULL,
      params    TEXT,
      PRIMARY KEY (import_id, seq)
    ) STRICT, WITHOUT ROWID;
  `,
};
