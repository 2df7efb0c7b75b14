import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';

describe('migration 0013 marketing messages', () => {
  it('one impending category notice per template and language; one terms state per portfolio with a known state and source', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations.slice(0, 13));
    expect(db.pragma('user_version', { simple: true })).toBe(13);
    const notice = db.prepare(
      "INSERT INTO template_category_notices (name, language, current_category, correct_category, effective_at, received_at) VALUES (?, ?, 'MARKETING', 'UTILITY', NULL, 5)",
    );
    notice.run('spring_sale', 'en_US');
    notice.run('spring_sale', 'he');
    expect(() => notice.run('spring_sale', 'en_US')).toThrow(/UNIQUE|PRIMARY/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO template_category_notices (name, language, current_category, correct_category, received_at) VALUES ('x', 'en', 'M', 'U', 'soon')",
        )
        .run(),
    ).toThrow();
    const terms = db.prepare('INSERT INTO mm_terms (business_id, state, source, detail, updated_at) VALUES (?, ?, ?, NULL, 1)');
    terms.run('b1', 'accepted', 'webhook');
    expect(() => terms.run('b1', 'not_accepted', 'strict_refusal')).toThrow(/UNIQUE|PRIMARY/);
    expect(() => terms.run('b2', 'maybe', 'webhook')).toThrow(/CHECK/);
    expect(() => terms.run('b3', 'accepted', 'rumour')).toThrow(/CHECK/);
  });
});
