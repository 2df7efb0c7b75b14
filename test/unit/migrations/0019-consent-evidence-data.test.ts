import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';

describe('migration 0019 consent evidence data', () => {
  it('adds a JSON evidence value next to the English text; older rows keep their text and no value', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations.slice(0, 18));
    db.prepare("INSERT INTO contacts (id, phone, name, created_at, updated_at) VALUES (1, '+972502345678', 'Dana', 1, 1)").run();
    const legacy = 'file people.csv, imported 2026-01-05T09:00:00.000Z by cli';
    db.prepare(
      "INSERT INTO consent_events (contact_id, category, state, source, source_detail, actor, evidence, at) VALUES (1, 'marketing', 'opted_in', 'import', 'import people.csv:2', 'cli', ?, 1)",
    ).run(legacy);
    migrate(db, migrations.slice(0, 19));
    expect(db.pragma('user_version', { simple: true })).toBe(19);
    expect(db.prepare('SELECT evidence, evidence_data FROM consent_events').get()).toEqual({ evidence: legacy, evidence_data: null });
    const add = db.prepare(
      "INSERT INTO consent_events (contact_id, category, state, source, source_detail, actor, evidence, evidence_data, at) VALUES (1, 'marketing', 'opted_out', 'keyword', 'keyword', 'webhook', 'reply \"STOP\"', ?, 2)",
    );
    add.run(JSON.stringify({ code: 'stop_keyword', params: { keyword: 'STOP' } }));
    expect(() => add.run('not json')).toThrow(/CHECK/);
    // Still append-only.
    expect(() => db.prepare("UPDATE consent_events SET evidence_data = '{}'").run()).toThrow(/append-only/);
  });
});
