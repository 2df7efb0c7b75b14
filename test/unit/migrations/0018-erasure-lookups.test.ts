import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';

describe('migration 0018 erasure lookups', () => {
  it('indexes merged statuses by recipient (existing rows included), so an erasure finds them without a scan', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.slice(0, 17));
    const add = db.prepare('INSERT INTO webhook_message_status (wamid, status, recipient_id, updated_at) VALUES (?, ?, ?, 1)');
    add.run('wamid.A', 'read', '972502345678');
    add.run('wamid.B', 'sent', null);
    migrate(db, migrations.slice(0, 18));
    expect(db.pragma('user_version', { simple: true })).toBe(18);
    const plan = (
      db
        .prepare('EXPLAIN QUERY PLAN SELECT wamid FROM webhook_message_status WHERE recipient_id IN (?, ?)')
        .all('972502345678', '+972502345678') as {
        detail: string;
      }[]
    )
      .map((r) => r.detail)
      .join(' ');
    expect(plan).toContain('webhook_message_status_recipient');
    expect(
      db.prepare('SELECT wamid FROM webhook_message_status WHERE recipient_id IN (?, ?)').pluck().all('972502345678', '+972502345678'),
    ).toEqual(['wamid.A']);
  });
});
