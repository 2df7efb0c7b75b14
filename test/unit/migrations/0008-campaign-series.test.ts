import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { migrate } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';

describe('migration 0008 campaign series', () => {
  const upTo = (n: number) => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations.slice(0, n));
    return db;
  };
  const campaign = (db: Database.Database, id: string, extra = '') =>
    db
      .prepare(
        `INSERT INTO campaigns (id, name, state, template_name, template_language, audience, schedule, created_at, updated_at${extra ? ', series_id, occurrence_at' : ''})
      VALUES (?, 'Weekly', 'scheduled', 'promo', 'en_US', 'all', '{}', 1, 1${extra ? ', ?, ?' : ''})`,
      )
      .run(...(extra ? [id, extra, 5] : [id]));

  it('keeps existing campaigns; occurrences are unique per due time, reasons are checked, deletes keep runs', () => {
    const db = upTo(7);
    campaign(db, 'old');
    migrate(db, migrations.slice(0, 8));
    expect(db.pragma('user_version', { simple: true })).toBe(8);
    expect(db.prepare("SELECT series_id, occurrence_at, next_run_at FROM campaigns WHERE id = 'old'").get()).toEqual({
      series_id: null,
      occurrence_at: null,
      next_run_at: null,
    });

    campaign(db, 'series');
    db.prepare("UPDATE campaigns SET next_run_at = 100 WHERE id = 'series'").run();
    campaign(db, 'run1', 'series');
    expect(() => campaign(db, 'orphan', 'nope')).toThrow(/FOREIGN KEY/);
    const rec = db.prepare(
      'INSERT INTO campaign_occurrences (series_id, due_at, outcome, reason, detail, campaign_id, recorded_at) VALUES (?, ?, ?, ?, ?, ?, 9)',
    );
    rec.run('series', 5, 'started', null, null, 'run1');
    expect(() => rec.run('series', 5, 'skipped', 'overlap', null, null)).toThrow(/UNIQUE/);
    expect(() => rec.run('series', 6, 'skipped', null, null, null)).toThrow(/CHECK/);
    expect(() => rec.run('series', 6, 'started', 'overlap', null, 'run1')).toThrow(/CHECK/);
    expect(() => rec.run('series', 6, 'missed', 'closed', null, null)).toThrow(/CHECK/);
    expect(() => rec.run('series', 6, 'maybe', null, null, null)).toThrow(/CHECK/);
    rec.run('series', 6, 'skipped', 'overlap', 'run1 still sending', null);
    rec.run('series', 7, 'missed', 'not_running', null, null);

    // Deleting the run keeps its record (without a campaign); deleting the series keeps its runs.
    campaign(db, 'run2', 'series');
    rec.run('series', 8, 'started', null, null, 'run2');
    db.prepare("DELETE FROM campaigns WHERE id = 'run2'").run();
    expect(db.prepare('SELECT campaign_id FROM campaign_occurrences WHERE due_at = 8').get()).toEqual({ campaign_id: null });
    db.prepare("DELETE FROM campaigns WHERE id = 'series'").run();
    expect(db.prepare("SELECT series_id FROM campaigns WHERE id = 'run1'").get()).toEqual({ series_id: null });
    expect(db.prepare('SELECT count(*) AS n FROM campaign_occurrences').get()).toEqual({ n: 0 });
  });
});
