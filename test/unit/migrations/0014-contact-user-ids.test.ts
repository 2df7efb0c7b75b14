import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';

describe('migration 0014 contact user ids (BSUID)', () => {
  it('keeps existing contacts, adds user_id / parent_user_id / username, one contact per BSUID, found by index', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations.slice(0, 13));
    db.prepare("INSERT INTO contacts (phone, name, created_at, updated_at) VALUES ('+972541234567', 'Dana', 1, 1)").run();
    migrate(db, migrations.slice(0, 14));
    expect(db.pragma('user_version', { simple: true })).toBe(14);
    expect(db.prepare('SELECT phone, user_id, parent_user_id, username FROM contacts').get()).toEqual({
      phone: '+972541234567',
      user_id: null,
      parent_user_id: null,
      username: null,
    });
    const set = db.prepare('UPDATE contacts SET user_id = ?, parent_user_id = ?, username = ? WHERE phone = ?');
    set.run('IL.1502576394655843', 'US.ENT.11815799212886844830', 'dana', '+972541234567');
    db.prepare("INSERT INTO contacts (phone, name, created_at, updated_at) VALUES ('+972541234568', 'Eli', 1, 1)").run();
    // Many contacts without a BSUID; never two with the same one.
    db.prepare("INSERT INTO contacts (phone, name, created_at, updated_at) VALUES ('+972541234569', 'Gal', 1, 1)").run();
    expect(() => set.run('IL.1502576394655843', null, null, '+972541234568')).toThrow(/UNIQUE/);
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT id FROM contacts WHERE user_id = 'IL.1502576394655843'").all() as {
      detail: string;
    }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/contacts_user_id/);
  });
});
