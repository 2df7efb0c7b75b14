import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { migrate } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';

describe('migration 0010 audit trail', () => {
  const setup = () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations.slice(0, 9));
    // An entry written before the migration keeps working (subject NULL).
    db.prepare(`INSERT INTO audit_log (at, actor, action, detail) VALUES (1, 'user', 'contact.erased', '{"bulk_delete":true}')`).run();
    migrate(db, migrations.slice(0, 10));
    return db;
  };
  const entries = (db: Database.Database) =>
    db.prepare('SELECT actor, action, subject, detail FROM audit_log ORDER BY id').all() as {
      actor: string;
      action: string;
      subject: string | null;
      detail: string;
    }[];

  it('applies and keeps older entries', () => {
    const db = setup();
    expect(db.pragma('user_version', { simple: true })).toBe(10);
    expect(entries(db)).toEqual([{ actor: 'user', action: 'contact.erased', subject: null, detail: '{"bulk_delete":true}' }]);
  });

  it('a finished import is one entry with file name and counts', () => {
    const db = setup();
    db.prepare(
      `INSERT INTO imports (id, file_name, format, encoding, actor, counts, started_at, finished_at) VALUES ('j1', 'list.csv', 'csv', 'utf-8', 'cli', '{"imported":2,"invalid":1}', 5, 9)`,
    ).run();
    const e = entries(db).at(-1)!;
    expect(e).toMatchObject({ actor: 'cli', action: 'contacts.imported', subject: 'list.csv' });
    expect(JSON.parse(e.detail)).toEqual({ file: 'list.csv', format: 'csv', encoding: 'utf-8', counts: { imported: 2, invalid: 1 } });
  });

  it('consent changes other than an import are entries with their source; an import row is not', () => {
    const db = setup();
    db.prepare(`INSERT INTO contacts (id, phone, name, created_at, updated_at) VALUES (1, '+972501234567', 'Dana', 1, 1)`).run();
    const ev = db.prepare(
      `INSERT INTO consent_events (contact_id, category, state, source, source_detail, actor, at) VALUES (1, ?, ?, ?, ?, ?, 7)`,
    );
    ev.run('marketing', 'opted_in', 'import', 'import a.csv:2', 'cli');
    ev.run('marketing', 'opted_out', 'keyword', 'keyword STOP', 'webhook');
    ev.run('utility', 'opted_in', 'manual', 'manual', 'user');
    const rows = entries(db).slice(1);
    expect(rows.map((r) => [r.action, r.actor, r.subject])).toEqual([
      ['consent.opted_out', 'webhook', '+972501234567'],
      ['consent.opted_in', 'user', '+972501234567'],
    ]);
    expect(JSON.parse(rows[0]!.detail)).toEqual({ category: 'marketing', source: 'keyword', source_detail: 'keyword STOP' });
  });

  it('an erasure entry takes its keyed hash as subject', () => {
    const db = setup();
    const hash = 'h'.repeat(43);
    db.prepare(`INSERT INTO audit_log (at, actor, action, detail) VALUES (1, 'user', 'contact.erased', ?)`).run(
      JSON.stringify({ erasure_record: hash }),
    );
    expect(entries(db).at(-1)!.subject).toBe(hash);
  });
});
