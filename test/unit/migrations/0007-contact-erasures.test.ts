import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { migrate } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';

describe('migration 0007 contact erasures', () => {
  const fresh = () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations.slice(0, 7));
    return db;
  };

  it('one record per hashed number, a known reason, and no column that could hold a number or a contact', () => {
    const db = fresh();
    expect(db.pragma('user_version', { simple: true })).toBe(7);
    const cols = (db.prepare("SELECT name FROM pragma_table_info('contact_erasures')").pluck().all() as string[]).sort();
    expect(cols).toEqual(['erased_at', 'hash', 'reason']);
    const add = db.prepare('INSERT INTO contact_erasures (hash, erased_at, reason) VALUES (?, ?, ?)');
    const h = 'A'.repeat(43);
    add.run(h, 5, 'erasure request');
    expect(() => add.run(h, 6, 'erasure request')).toThrow(/UNIQUE|PRIMARY/);
    expect(() => add.run('B'.repeat(43), 6, 'tidy up')).toThrow(/CHECK/);
    // Not a hash: a number written where the hash goes is refused by its length.
    expect(() => add.run('+972541234567', 6, 'erasure request')).toThrow(/CHECK/);
    expect(() => add.run('C'.repeat(43), '2026-01-01', 'erasure request')).toThrow();
    // Independent of contacts: deleting every contact keeps the records.
    db.prepare("INSERT INTO contacts (phone, name, created_at, updated_at) VALUES ('+972541234567', 'Dana', 1, 1)").run();
    db.prepare('DELETE FROM contacts').run();
    expect(db.prepare('SELECT count(*) AS n FROM contact_erasures').get()).toEqual({ n: 1 });
  });
});
