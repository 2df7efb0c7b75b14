import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { migrate } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';

describe('migration 0004 webhooks', () => {
  it('creates the inbox and the processing tables as STRICT tables', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.slice(0, 4));
    expect(db.pragma('user_version', { simple: true })).toBe(4);
    const ins = db.prepare('INSERT INTO webhook_inbox (received_at, source, source_id, body) VALUES (?, ?, ?, ?)');
    ins.run(1, 'relay', 'relay:abc', Buffer.from('{}'));
    // A relayed event offered twice is one row (replay-safe).
    expect(() => ins.run(2, 'relay', 'relay:abc', Buffer.from('{}'))).toThrow(/UNIQUE/);
    // Direct events have no source id: any number of them.
    ins.run(3, 'direct', null, Buffer.from('{}'));
    ins.run(4, 'direct', null, Buffer.from('{}'));
    expect(db.prepare("SELECT count(*) AS n FROM webhook_inbox WHERE state = 'pending'").get()).toEqual({ n: 3 });
    expect(() => ins.run(5, 'elsewhere', null, Buffer.from('{}'))).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO webhook_message_status (wamid, status, updated_at) VALUES ('w', 'sent', 'now')").run()).toThrow(
      /cannot store TEXT value in INTEGER column/,
    );
    expect(() => db.prepare("INSERT INTO webhook_message_status (wamid, status, updated_at) VALUES ('w', 'deleted', 1)").run()).toThrow(
      /CHECK/,
    );
    for (const t of ['webhook_config', 'webhook_event_keys', 'webhook_pending_status', 'webhook_contact_window']) {
      expect(db.prepare('SELECT sql FROM sqlite_master WHERE name = ?').pluck().get(t), t).toMatch(/STRICT/);
    }
  });
});
