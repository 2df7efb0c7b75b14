import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { migrate } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';

describe('migration 0003 whatsapp', () => {
  const fresh = () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations.slice(0, 3));
    return db;
  };

  it('holds one connection row, with no column for a secret', () => {
    const db = fresh();
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    const add = db.prepare(
      "INSERT INTO wa_connection (id, mode, graph_url, api_version, waba_id, phone_number_id, connected_at) VALUES (?, 'live', 'https://graph.facebook.com', 'v24.0', '1', '2', 0)",
    );
    add.run(1);
    expect(() => add.run(2)).toThrow(/CHECK/);
    const cols = (db.prepare("SELECT name FROM pragma_table_info('wa_connection')").all() as { name: string }[]).map((c) => c.name);
    expect(cols.filter((c) => /token$|secret/.test(c) && c !== 'verify_token')).toEqual([]);
    expect(() => db.prepare("UPDATE wa_connection SET token_state = 'fine'").run()).toThrow(/CHECK/);
  });

  it('cascades numbers with their WABA and keeps template history append-only', () => {
    const db = fresh();
    db.prepare("INSERT INTO wa_wabas (id, updated_at) VALUES ('w1', 1)").run();
    db.prepare("INSERT INTO wa_phone_numbers (id, waba_id, display_phone_number, updated_at) VALUES ('p1', 'w1', '+15550100', 1)").run();
    expect(() =>
      db.prepare("INSERT INTO wa_phone_numbers (id, waba_id, display_phone_number, updated_at) VALUES ('p2', 'nope', '+1', 1)").run(),
    ).toThrow(/FOREIGN KEY/);
    db.prepare("DELETE FROM wa_wabas WHERE id = 'w1'").run();
    expect(db.prepare('SELECT count(*) AS n FROM wa_phone_numbers').get()).toEqual({ n: 0 });

    expect(() =>
      db
        .prepare(
          "INSERT INTO wa_templates (id, waba_id, name, language, status, category, components, last_changed_at, synced_at, created_at) VALUES ('t', 'w', 'n', 'en', 'APPROVED', 'UTILITY', 'not json', 1, 1, 1)",
        )
        .run(),
    ).toThrow(/CHECK/);
    const h = db
      .prepare(
        "INSERT INTO wa_template_history (template_id, at, kind, from_value, to_value, source) VALUES ('t', 1, 'status', 'PENDING', 'APPROVED', 'sync')",
      )
      .run();
    expect(() => db.prepare('UPDATE wa_template_history SET to_value = ? WHERE id = ?').run('REJECTED', h.lastInsertRowid)).toThrow(
      /append-only/,
    );
    expect(() =>
      db.prepare("INSERT INTO wa_template_history (template_id, at, kind, source) VALUES ('t', 1, 'renamed', 'sync')").run(),
    ).toThrow(/CHECK/);
  });
});
