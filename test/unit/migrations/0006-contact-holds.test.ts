import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { migrate } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';

describe('migration 0006 contact holds', () => {
  const fresh = () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations.slice(0, 6));
    return db;
  };

  it('one hold per contact with a known reason; erasure removes holds, identity and audit', () => {
    const db = fresh();
    expect(db.pragma('user_version', { simple: true })).toBe(6);
    const id = Number(
      db.prepare("INSERT INTO contacts (phone, name, created_at, updated_at) VALUES ('+972541234567', 'Dana', 1, 1)").run().lastInsertRowid,
    );
    const hold = db.prepare('INSERT INTO contact_holds (contact_id, reason, detail, held_at) VALUES (?, ?, ?, 5)');
    hold.run(id, 'user_changed_number', 'system message');
    expect(() => hold.run(id, 'identity_changed', 'x')).toThrow(/UNIQUE|PRIMARY/);
    expect(() => hold.run(id + 1, 'user_changed_number', 'x')).toThrow(/FOREIGN KEY/);
    db.prepare('DELETE FROM contact_holds').run();
    expect(() => hold.run(id, 'whatever', 'x')).toThrow(/CHECK/);
    hold.run(id, 'identity_changed', 'a → b');
    db.prepare("INSERT INTO contact_identity (contact_id, key_hash, seen_at) VALUES (?, 'h1', 5)").run(id);
    db.prepare(
      "INSERT INTO contact_hold_events (contact_id, kind, reason, detail, actor, at) VALUES (?, 'held', 'identity_changed', 'a → b', 'webhook', 5)",
    ).run(id);
    expect(() => db.prepare("INSERT INTO contact_hold_events (contact_id, kind, actor, at) VALUES (?, 'maybe', 'x', 5)").run(id)).toThrow(
      /CHECK/,
    );
    expect(() => db.prepare('INSERT INTO contact_identity (contact_id, key_hash, seen_at) VALUES (?, 1, 5)').run(id)).toThrow();

    db.prepare('DELETE FROM contacts WHERE id = ?').run(id);
    for (const t of ['contact_holds', 'contact_identity', 'contact_hold_events']) {
      expect(db.prepare(`SELECT count(*) AS n FROM ${t}`).get()).toEqual({ n: 0 });
    }
  });
});
