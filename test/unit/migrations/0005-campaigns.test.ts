import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { migrate } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';
import { migration0005 } from '../../../electron/core/db/migrations/0005-campaigns';

describe('migration 0005 campaigns', () => {
  const fresh = () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    if (migrations.length >= 5) migrate(db, migrations.slice(0, 5));
    else {
      // Until 0003/0004 are registered: contacts (0002) is the only table 0005 depends on.
      migrate(db, migrations.slice(0, 2));
      db.exec(migration0005.up as string);
    }
    return db;
  };

  it('one ledger row per (campaign, recipient); erasure keeps anonymous counts and removes personal data', () => {
    const db = fresh();
    db.prepare(
      "INSERT INTO campaigns (id, name, state, template_name, template_language, audience, created_at, updated_at) VALUES ('c1', 'Spring', 'draft', 'promo', 'en_US', 'all', 1, 1)",
    ).run();
    const contact = Number(
      db.prepare("INSERT INTO contacts (phone, name, created_at, updated_at) VALUES ('+972541234567', 'Dana', 1, 1)").run().lastInsertRowid,
    );
    const add = db.prepare(
      'INSERT INTO campaign_recipients (campaign_id, contact_id, phone, phone_hash, params, state, updated_at) VALUES (\'c1\', ?, ?, ?, \'{"1":"Dana"}\', ?, 1)',
    );
    add.run(contact, '+972541234567', 'h1', 'delivered');
    expect(() => add.run(contact, '+972541234567', 'h1', 'pending')).toThrow(/UNIQUE/);
    expect(() => add.run(null, '+972541234568', 'h2', 'queued')).toThrow(/CHECK/);
    add.run(null, '+972541234568', 'h2', 'failed');

    db.prepare('DELETE FROM contacts WHERE id = ?').run(contact);
    const rows = db
      .prepare("SELECT contact_id, phone, params, phone_hash, state FROM campaign_recipients WHERE campaign_id = 'c1' ORDER BY id")
      .all();
    expect(rows[0]).toEqual({ contact_id: null, phone: null, params: null, phone_hash: 'h1', state: 'delivered' });
    expect(rows[1]).toMatchObject({ phone: '+972541234568', state: 'failed' });
    const counts = db.prepare('SELECT state, count(*) AS n FROM campaign_recipients GROUP BY state ORDER BY state').all();
    expect(counts).toEqual([
      { state: 'delivered', n: 1 },
      { state: 'failed', n: 1 },
    ]);

    // Deleting a campaign takes its ledger and events, but not the portfolio messaging log.
    db.prepare("INSERT INTO messaging_log (phone_hash, at, campaign_id) VALUES ('h1', 5, 'c1')").run();
    db.prepare("INSERT INTO campaign_events (campaign_id, at, kind) VALUES ('c1', 5, 'started')").run();
    db.prepare("DELETE FROM campaigns WHERE id = 'c1'").run();
    expect(db.prepare('SELECT count(*) AS n FROM campaign_recipients').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM campaign_events').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM messaging_log').get()).toEqual({ n: 1 });
  });

  it('wamids are unique and the rate card refuses negative prices', () => {
    const db = fresh();
    db.prepare(
      "INSERT INTO campaigns (id, name, state, template_name, template_language, audience, created_at, updated_at) VALUES ('c1', 'x', 'running', 't', 'en', 'all', 1, 1)",
    ).run();
    const add = db.prepare(
      "INSERT INTO campaign_recipients (campaign_id, phone_hash, wamid, state, updated_at) VALUES ('c1', ?, ?, 'accepted', 1)",
    );
    add.run('a', 'wamid.1');
    add.run('b', null);
    add.run('c', null);
    expect(() => add.run('d', 'wamid.1')).toThrow(/UNIQUE/);
    expect(() => db.prepare("INSERT INTO rate_card VALUES ('MARKETING', 'IL', -1, 'USD', 1)").run()).toThrow(/CHECK/);
  });
});
