import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';

describe('migration 0015 inbound replies', () => {
  const fresh = () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations.slice(0, 15));
    return db;
  };

  it('one row per inbound message id, a known link, and deleting the contact deletes what its number wrote', () => {
    const db = fresh();
    expect(db.pragma('user_version', { simple: true })).toBe(15);
    const add = db.prepare('INSERT INTO inbound_replies (message_id, wa_id, at, kind, text, link) VALUES (?, ?, ?, ?, ?, ?)');
    add.run('wamid.1', '972502345678', 1, 'text', 'hello', null);
    expect(() => add.run('wamid.1', '972502345678', 2, 'text', 'again', null)).toThrow(/UNIQUE/);
    expect(() => add.run('wamid.2', '972502345678', 2, 'text', 'x', 'guess')).toThrow(/CHECK/);
    expect(() => add.run('wamid.3', '972502345678', '2026-01-01', 'text', 'x', null)).toThrow();
    add.run('wamid.4', '972509999999', 3, 'text', 'someone else', null);
    db.prepare("INSERT INTO contacts (phone, name, created_at, updated_at) VALUES ('+972502345678', 'Dana', 1, 1)").run();
    db.prepare('DELETE FROM contacts').run();
    expect(db.prepare('SELECT message_id FROM inbound_replies').pluck().all()).toEqual(['wamid.4']);
  });
});
