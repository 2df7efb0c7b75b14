import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';

describe('migration 0016 import rejections', () => {
  it('keeps rejected rows per import in order, with a total on the import, and drops them with it', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations.slice(0, 15));
    db.prepare(
      "INSERT INTO imports (id, file_name, format, encoding, actor, counts, started_at, finished_at) VALUES ('old', 'a.csv', 'csv', 'utf-8', 'ui', '{}', 1, 1)",
    ).run();
    migrate(db, migrations.slice(0, 16));
    expect(db.pragma('user_version', { simple: true })).toBe(16);
    // An import saved before the migration: no rejected rows known.
    expect(db.prepare("SELECT errors_total FROM imports WHERE id = 'old'").pluck().get()).toBe(0);
    const add = db.prepare('INSERT INTO import_rejections (import_id, seq, row, code, reason, params) VALUES (?, ?, ?, ?, ?, ?)');
    add.run('old', 1, 3, 'invalid_phone', 'not a valid number for IL: 12', null);
    expect(() => add.run('old', 1, 4, 'no_phone', 'x', null)).toThrow(/UNIQUE|PRIMARY/);
    expect(() => add.run('nope', 1, 4, 'no_phone', 'x', null)).toThrow(/FOREIGN KEY/);
    expect(() => add.run('old', 2, 'four', 'no_phone', 'x', null)).toThrow();
    db.prepare("DELETE FROM imports WHERE id = 'old'").run();
    expect(db.prepare('SELECT count(*) FROM import_rejections').pluck().get()).toBe(0);
  });
});
