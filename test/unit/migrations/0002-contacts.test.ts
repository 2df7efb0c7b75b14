import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { migrate } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';

describe('migration 0002 contacts', () => {
  const fresh = () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations.slice(0, 2));
    return db;
  };

  it('keeps phones unique, tables STRICT, and consent history append-only', () => {
    const db = fresh();
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    const add = db.prepare('INSERT INTO contacts (phone, name, created_at, updated_at) VALUES (?, ?, 1, 1)');
    const id = Number(add.run('+972541234567', 'Dana').lastInsertRowid);
    expect(() => add.run('+972541234567', 'Other')).toThrow(/UNIQUE/);
    expect(() => db.prepare("INSERT INTO contacts (phone, created_at, updated_at) VALUES ('+1', 'now', 1)").run()).toThrow(
      /cannot store TEXT/,
    );

    const ev = db
      .prepare(
        "INSERT INTO consent_events (contact_id, category, state, source, source_detail, actor, at) VALUES (?, 'marketing', 'opted_out', 'keyword', 'STOP', 'webhook', 5)",
      )
      .run(id);
    expect(() => db.prepare("UPDATE consent_events SET state = 'opted_in' WHERE id = ?").run(ev.lastInsertRowid)).toThrow(/append-only/);
    expect(() =>
      db
        .prepare("INSERT INTO consent_state (contact_id, category, state, updated_at, event_id) VALUES (?, 'sms', 'opted_in', 1, 1)")
        .run(id),
    ).toThrow(/CHECK/);

    // Erasure: deleting the contact takes its tags, attributes, consent and messages with it.
    db.prepare("INSERT INTO tags (name, created_at) VALUES ('VIP', 1)").run();
    db.prepare('INSERT INTO contact_tags (tag_id, contact_id) VALUES (1, ?)').run(id);
    db.prepare("INSERT INTO attribute_defs (name, type, created_at) VALUES ('city', 'text', 1)").run();
    db.prepare("INSERT INTO contact_attributes (contact_id, attr_id, value) VALUES (?, 1, 'Haifa')").run(id);
    db.prepare("INSERT INTO contact_messages (contact_id, status, at) VALUES (?, 'sent', 1)").run(id);
    db.prepare('DELETE FROM contacts WHERE id = ?').run(id);
    for (const t of ['contact_tags', 'contact_attributes', 'consent_events', 'contact_messages']) {
      expect(db.prepare(`SELECT count(*) AS n FROM ${t}`).get()).toEqual({ n: 0 });
    }
    expect(db.prepare("SELECT count(*) AS n FROM tags WHERE name = 'vip'").get()).toEqual({ n: 1 }); // NOCASE
  });

  it('creates a contentless word index that can delete rows', () => {
    const db = fresh();
    db.prepare("INSERT INTO contacts_fts (rowid, text) VALUES (7, 'dana levi 972541234567')").run();
    expect(db.prepare("SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH 'lev*'").all()).toEqual([{ rowid: 7 }]);
    db.prepare('DELETE FROM contacts_fts WHERE rowid = 7').run();
    expect(db.prepare("SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH 'lev*'").all()).toEqual([]);
    expect(db.prepare("SELECT value FROM app_meta WHERE key = 'contacts.fts_upto'").get()).toEqual({ value: '0' });
  });
});
