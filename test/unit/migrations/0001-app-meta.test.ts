import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { migrate } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';

describe('migration 0001 app-meta', () => {
  it('creates app_meta and audit_log as STRICT tables', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.slice(0, 1));
    db.prepare("INSERT INTO app_meta (key, value) VALUES ('k', 'v')").run();
    expect(db.prepare('SELECT value FROM app_meta WHERE key = ?').get('k')).toEqual({ value: 'v' });
    // STRICT: a wrong type is an error, not a silent conversion.
    expect(() => db.prepare("INSERT INTO audit_log (at, actor, action) VALUES ('yesterday', 'me', 'x')").run()).toThrow(
      /cannot store TEXT value in INTEGER column/,
    );
    expect(db.pragma('user_version', { simple: true })).toBe(1);
  });
});
