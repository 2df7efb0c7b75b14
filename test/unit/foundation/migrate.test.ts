import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { migrate } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';
import type { Migration } from '../../../electron/core/db/migrations/types';
import { tempDataDir } from '../../support/harness';

const m1: Migration = { version: 1, name: 'one', up: 'CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT) STRICT;' };
const m2: Migration = { version: 2, name: 'two', rewritesData: true, up: 'UPDATE t SET v = upper(v);' };

describe('migrate', () => {
  it('applies every registered migration in order from an empty database', () => {
    const db = new Database(':memory:');
    const r = migrate(db, migrations);
    expect(r.applied).toEqual(migrations.map((m) => m.version));
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(migrate(db, migrations).applied).toEqual([]);
  });

  it('refuses a database written by a newer version', () => {
    const db = new Database(':memory:');
    migrate(db, [m1, m2]);
    expect(() => migrate(db, [m1])).toThrow(/newer version of Pacer/);
  });

  it('refuses a migration edited after it was applied', () => {
    const db = new Database(':memory:');
    migrate(db, [m1]);
    const edited = { ...m1, up: m1.up + ' CREATE TABLE extra (x INTEGER) STRICT;' };
    expect(() => migrate(db, [edited])).toThrow(/was edited after it was applied/);
  });

  it('a migration that runs code is checked by its SQL (hashSource), not by its function text, which each build prints differently', () => {
    const db = new Database(':memory:');
    const sql = 'CREATE TABLE t (x INTEGER)';
    const asBuilt = (up: (d: typeof db) => void): Migration => ({ version: 1, name: 'code', up, hashSource: sql });
    migrate(db, [asBuilt((d) => d.exec(sql))]);
    // The same migration as another build prints it: accepted.
    expect(() =>
      migrate(db, [
        asBuilt(function up(d) {
          d.exec(sql);
        }),
      ]),
    ).not.toThrow();
    // Its SQL edited: refused.
    expect(() => migrate(db, [{ ...asBuilt((d) => d.exec(sql)), hashSource: 'CREATE TABLE t (x TEXT)' }])).toThrow(
      /edited after it was applied/,
    );
    // Code with nothing to hash is a mistake in the migration.
    expect(() => migrate(new Database(':memory:'), [{ version: 1, name: 'code', up: () => undefined }])).toThrow(/needs hashSource/);
  });

  it('rolls back a failing migration and keeps the previous version', () => {
    const db = new Database(':memory:');
    migrate(db, [m1]);
    const bad: Migration = { version: 2, name: 'bad', up: 'CREATE TABLE ok2 (x INTEGER) STRICT; INSERT INTO missing VALUES (1);' };
    expect(() => migrate(db, [m1, bad])).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT count(*) n FROM sqlite_master WHERE name = 'ok2'").get()).toEqual({ n: 0 });
  });

  it('backs up the database before a migration that rewrites data', () => {
    const dir = tempDataDir();
    const file = path.join(dir, 'pacer.db');
    const db = new Database(file);
    migrate(db, [m1]);
    db.prepare("INSERT INTO t (v) VALUES ('hello')").run();
    const r = migrate(db, [m1, m2], { dbFile: file, backupDir: path.join(dir, 'backups') });
    expect(r.backups).toHaveLength(1);
    const backup = new Database(r.backups[0]!, { readonly: true });
    expect(backup.prepare('SELECT v FROM t').get()).toEqual({ v: 'hello' });
    expect(db.prepare('SELECT v FROM t').get()).toEqual({ v: 'HELLO' });
    expect(fs.existsSync(r.backups[0]!)).toBe(true);
  });
});
