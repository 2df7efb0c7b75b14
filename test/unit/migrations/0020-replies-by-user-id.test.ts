import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';

type Db = InstanceType<typeof Database>;

/** A version-19 store with replies (one linked to a ledger row) and the contacts who wrote them. */
function storeAt19(): Db {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, migrations.slice(0, 19));
  db.exec(`
    INSERT INTO contacts (id, phone, name, created_at, updated_at, user_id) VALUES
      (1, '+972502345678', 'Dana', 1, 1, 'IL.100'),
      (2, NULL, 'Noa', 1, 1, 'IL.200'),
      (3, '+972509999999', 'Eli', 1, 1, NULL);
    INSERT INTO campaigns (id, name, state, template_name, template_language, audience, created_at, updated_at)
      VALUES ('c1', 'Launch', 'completed', 'promo', 'en', '{}', 1, 1);
    INSERT INTO campaign_recipients (id, campaign_id, contact_id, phone, phone_hash, state, wamid, accepted_at, updated_at)
      VALUES (1, 'c1', 1, '+972502345678', 'h1', 'delivered', 'wamid.out1', 5, 5);
    INSERT INTO inbound_replies (id, message_id, wa_id, at, kind, text, payload, context_id, campaign_id, recipient_id, link) VALUES
      (1, 'wamid.in1', '972502345678', 10, 'button', 'Yes', 'yes', 'wamid.out1', 'c1', 1, 'context'),
      (2, 'wamid.in2', '972509999999', 11, 'text', 'hi', NULL, NULL, NULL, NULL, NULL);
  `);
  return db;
}

const names = (db: Db, type: string) =>
  db.prepare('SELECT name FROM sqlite_schema WHERE type = ? AND sql IS NOT NULL ORDER BY name').pluck().all(type) as string[];

describe('migration 0020 replies by user id', () => {
  it('rebuilds inbound_replies with a user id and a nullable wa_id: rows, links and indexes kept', () => {
    const db = storeAt19();
    const before = db.prepare('SELECT * FROM inbound_replies ORDER BY id').all();
    const r = migrate(db, migrations.slice(0, 20));
    expect(r.applied).toEqual([20]);
    expect(db.pragma('user_version', { simple: true })).toBe(20);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('SELECT * FROM inbound_replies ORDER BY id').all()).toEqual(
      (before as object[]).map((x) => ({ ...x, user_id: null })),
    );
    expect(names(db, 'index').filter((n) => n.startsWith('inbound_replies'))).toEqual([
      'inbound_replies_campaign',
      'inbound_replies_recipient',
      'inbound_replies_user',
      'inbound_replies_wa',
    ]);
    expect(names(db, 'trigger')).toContain('inbound_replies_erase');
    // The new rules: a reply by user id alone is stored; a reply with neither is refused; STRICT still.
    const add = db.prepare('INSERT INTO inbound_replies (message_id, wa_id, user_id, at, kind) VALUES (?, ?, ?, ?, ?)');
    add.run('wamid.in3', null, 'IL.200', 12, 'text');
    expect(() => add.run('wamid.in4', null, null, 12, 'text')).toThrow(/CHECK/);
    expect(() => add.run('wamid.in1', null, 'IL.200', 12, 'text')).toThrow(/UNIQUE/);
    expect(() => add.run('wamid.in5', null, 'IL.200', 'soon', 'text')).toThrow();
    // The ledger's lookups by user id and by phone use an index.
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((p) => p.detail).join(' ');
    expect(plan("SELECT id FROM campaign_recipients WHERE user_id = 'IL.200'")).toMatch(/campaign_recipients_user_id/);
    expect(plan("SELECT id FROM campaign_recipients WHERE phone = '+972502345678'")).toMatch(/campaign_recipients_phone/);
    expect(plan("SELECT id FROM inbound_replies WHERE user_id = 'IL.200'")).toMatch(/inbound_replies_user/);
  });

  it('erasing a contact deletes what it wrote by number and by user id; nobody else’s', () => {
    const db = storeAt19();
    migrate(db, migrations.slice(0, 20));
    const add = db.prepare('INSERT INTO inbound_replies (message_id, wa_id, user_id, at, kind) VALUES (?, ?, ?, 20, ?)');
    add.run('wamid.noa1', null, 'IL.200', 'text'); // Noa, phone withheld
    add.run('wamid.dana-bsuid', null, 'IL.100', 'text'); // Dana, phone withheld
    add.run('wamid.dana-both', '972502345678', 'IL.100', 'text'); // Dana with both
    add.run('wamid.other', null, 'IL.300', 'text'); // a stranger by user id
    const left = () => db.prepare('SELECT message_id FROM inbound_replies ORDER BY message_id').pluck().all();
    db.prepare('DELETE FROM contacts WHERE id = 2').run();
    expect(left()).toEqual(['wamid.dana-both', 'wamid.dana-bsuid', 'wamid.in1', 'wamid.in2', 'wamid.other']);
    db.prepare('DELETE FROM contacts WHERE id = 1').run();
    expect(left()).toEqual(['wamid.in2', 'wamid.other']);
    db.prepare('DELETE FROM contacts WHERE id = 3').run();
    expect(left()).toEqual(['wamid.other']);
  });
});
