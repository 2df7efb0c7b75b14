import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';
import { SearchIndexer } from '../../../electron/core/contacts/search';
import { silentLogger } from '../../../electron/core/log';

describe('migration 0021 search CJK trigrams', () => {
  it('empties the word index and its watermark; the indexer rebuilds it with three-character words', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations.slice(0, 20));
    db.prepare("INSERT INTO contacts (id, phone, name, created_at, updated_at) VALUES (1, '+972502345678', '王美玲', 1, 1)").run();
    // As indexed before: characters and pairs only.
    db.prepare("INSERT INTO contacts_fts (rowid, text) VALUES (1, '王 美 玲 王美 美玲 972502345678')").run();
    db.prepare("UPDATE app_meta SET value = '1' WHERE key = 'contacts.fts_upto'").run();
    db.prepare('INSERT INTO contacts_fts_pending (contact_id) VALUES (1)').run();
    const match = (q: string) => db.prepare('SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?').pluck().all(q);
    expect(match('"王美玲"')).toEqual([]);
    migrate(db, migrations.slice(0, 21));
    expect(db.pragma('user_version', { simple: true })).toBe(21);
    expect(match('"美玲"')).toEqual([]);
    expect(db.prepare("SELECT value FROM app_meta WHERE key = 'contacts.fts_upto'").pluck().get()).toBe('0');
    expect(db.prepare('SELECT count(*) FROM contacts_fts_pending').pluck().get()).toBe(0);
    new SearchIndexer(db, silentLogger).catchUpNow();
    expect(match('"王美玲"')).toEqual([1]);
    expect(match('"美玲"')).toEqual([1]);
  });
});
