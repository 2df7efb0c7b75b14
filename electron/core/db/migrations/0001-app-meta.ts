import type { Migration } from './types';

/** The core's own bookkeeping: a key/value table and a small audit log of notable events. */
export const migration0001: Migration = {
  version: 1,
  name: 'app-meta',
  up: `
    CREATE TABLE app_meta (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;

    CREATE TABLE audit_log (
      id       INTEGER PRIMARY KEY,
      at       INTEGER NOT NULL,
      actor    TEXT NOT NULL,
      action   TEXT NOT NULL,
      detail   TEXT NOT NULL DEFAULT '{}'
    ) STRICT;
    CREATE INDEX audit_log_at ON audit_log(at);
  `,
};
