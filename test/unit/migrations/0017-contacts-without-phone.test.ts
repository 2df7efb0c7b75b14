import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';
import type { Migration } from '../../../electron/core/db/migrations';

type Db = InstanceType<typeof Database>;

/** A version-16 store with a contact in every table that references contacts. */
function storeAt16(): Db {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, migrations.slice(0, 16));
  db.exec(`
    INSERT INTO contacts (id, phone, first_name, name, email, country, created_at, updated_at, user_id, username)
      VALUES (1, '+972541234567', 'Dana', 'Dana Levi', 'd@x.il', 'IL', 1, 2, 'IL.100', 'dana'),
             (2, '+886912345678', NULL, '陳小明', NULL, 'TW', 1, 1, NULL, NULL),
             (3, '+14155550100', NULL, 'Sam', NULL, 'US', 1, 1, NULL, NULL);
    INSERT INTO tags (id, name, created_at) VALUES (1, 'vip', 1);
    INSERT INTO contact_tags (tag_id, contact_id) VALUES (1, 1), (1, 2);
    INSERT INTO attribute_defs (id, name, type, created_at) VALUES (1, 'city', 'text', 1);
    INSERT INTO contact_attributes (contact_id, attr_id, value) VALUES (1, 1, 'Haifa');
    INSERT INTO consent_events (id, contact_id, category, state, source, source_detail, actor, at)
      VALUES (1, 1, 'marketing', 'opted_in', 'manual', 'form', 'me', 5);
    INSERT INTO consent_state (contact_id, category, state, updated_at, event_id) VALUES (1, 'marketing', 'opted_in', 5, 1);
    INSERT INTO contact_messages (contact_id, campaign_id, status, at) VALUES (1, 'c1', 'delivered', 6);
    INSERT INTO contact_holds (contact_id, reason, held_at) VALUES (3, 'identity_changed', 7);
    INSERT INTO contact_identity (contact_id, key_hash) VALUES (3, 'k');
    INSERT INTO contact_hold_events (contact_id, kind, actor, at) VALUES (3, 'held', 'webhook', 7);
    INSERT INTO campaigns (id, name, state, template_name, template_language, audience, created_at, updated_at)
      VALUES ('c1', 'Launch', 'running', 'promo', 'en', '{}', 1, 1);
    INSERT INTO campaign_recipients (id, campaign_id, contact_id, phone, phone_hash, state, updated_at)
      VALUES (1, 'c1', 1, '+972541234567', 'h1', 'pending', 1), (2, 'c1', 2, '+886912345678', 'h2', 'pending', 1);
    INSERT INTO user_id_consent_pending (user_id, parent_user_id, username, profile_name, category, state, source, source_detail, at, event_key)
      VALUES ('IL.200', NULL, 'noa_k', 'Noa', 'marketing', 'opted_out', 'keyword', 'STOP', 10, 'e1'),
             ('IL.200', NULL, 'noa_k', 'Noa K.', 'marketing', 'opted_in', 'keyword', 'START', 11, 'e2'),
             ('IL.100', NULL, NULL, 'Dana', 'all', 'opted_out', 'keyword', 'STOP', 12, 'e3');
  `);
  return db;
}

const schemaOf = (db: Db, type: 'index' | 'trigger') =>
  db.prepare(`SELECT name FROM sqlite_schema WHERE type = ? AND sql IS NOT NULL ORDER BY name`).pluck().all(type) as string[];
const count = (db: Db, table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

describe('migration 0017 contacts without a phone', () => {
  it('rebuilds contacts with a nullable phone: rows, references, indexes and triggers survive', () => {
    const db = storeAt16();
    const tables = [
      'contacts',
      'contact_tags',
      'contact_attributes',
      'consent_events',
      'consent_state',
      'contact_messages',
      'contact_holds',
      'contact_identity',
      'contact_hold_events',
      'campaign_recipients',
    ];
    const before = Object.fromEntries(tables.map((t) => [t, count(db, t)]));
    const contactsBefore = db.prepare('SELECT * FROM contacts ORDER BY id').all();
    const indexes = schemaOf(db, 'index');
    const triggers = schemaOf(db, 'trigger');

    const r = migrate(db, migrations.slice(0, 17));
    expect(r.applied).toEqual([17]);
    expect(db.pragma('user_version', { simple: true })).toBe(17);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1); // back on after the rebuild
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');

    // Every row kept (contacts gains the one BSUID person who waited: IL.200).
    for (const t of tables) expect(count(db, t), t).toBe(before[t]! + (t === 'contacts' ? 1 : 0));
    expect(db.prepare('SELECT * FROM contacts WHERE id <= 3 ORDER BY id').all()).toEqual(contactsBefore);
    // Same indexes and triggers (plus the ledger's user-id erasure trigger).
    expect(schemaOf(db, 'index')).toEqual(indexes);
    expect(schemaOf(db, 'trigger')).toEqual([...triggers, 'campaign_recipients_erase_user_id'].sort());
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT id FROM contacts WHERE user_id = 'IL.100'").all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/contacts_user_id/);

    // The new rules: phone optional but unique, a phone or a user id required.
    const add = db.prepare('INSERT INTO contacts (phone, user_id, name, created_at, updated_at) VALUES (?, ?, ?, 1, 1)');
    add.run(null, 'IL.300', 'Avi');
    add.run(null, 'IL.301', 'Ben');
    expect(() => add.run(null, null, 'Nobody')).toThrow(/CHECK/);
    expect(() => add.run('+972541234567', null, 'Copy')).toThrow(/UNIQUE/);
    expect(() => add.run(null, 'IL.300', 'Copy')).toThrow(/UNIQUE/);
    expect(() => add.run(Buffer.from('+1'), null, 'x')).toThrow(/cannot store BLOB/); // still STRICT
  });

  it('references still act: cascades, SET NULL, and the triggers that live on contacts', () => {
    const db = storeAt16();
    migrate(db, migrations.slice(0, 17));
    // 0009's phone-changed trigger still skips a queued send when a number changes…
    db.prepare("UPDATE contacts SET phone = '+886900000000', updated_at = 9 WHERE id = 2").run();
    expect(db.prepare('SELECT state, skip_reason FROM campaign_recipients WHERE id = 2').get()).toEqual({
      state: 'skipped',
      skip_reason: 'phone_changed',
    });
    // …but not when a phone-less contact's phone becomes known (its send is addressed by user id).
    const noa = db.prepare("SELECT id FROM contacts WHERE user_id = 'IL.200'").pluck().get() as number;
    db.prepare(
      "INSERT INTO campaign_recipients (campaign_id, contact_id, user_id, phone_hash, state, updated_at) VALUES ('c1', ?, 'IL.200', 'h3', 'pending', 1)",
    ).run(noa);
    db.prepare("UPDATE contacts SET phone = '+972500000001' WHERE id = ?").run(noa);
    expect(db.prepare('SELECT state FROM campaign_recipients WHERE contact_id = ?').pluck().get(noa)).toBe('pending');
    // 0015's reply erasure trigger still fires on delete; the FK cascades and SET NULL still act.
    db.prepare("INSERT INTO inbound_replies (message_id, wa_id, at, kind) VALUES ('w1', '972541234567', 1, 'text')").run();
    db.prepare('DELETE FROM contacts WHERE id = 1').run();
    expect(count(db, 'inbound_replies')).toBe(0);
    expect(db.prepare('SELECT count(*) FROM contact_tags WHERE contact_id = 1').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM consent_events WHERE contact_id = 1').pluck().get()).toBe(0);
    expect(db.prepare('SELECT contact_id, phone, state, skip_reason FROM campaign_recipients WHERE id = 1').get()).toEqual({
      contact_id: null,
      phone: null,
      state: 'skipped',
      skip_reason: 'erased',
    });
    // The ledger's user id goes with an erased contact too.
    db.prepare('DELETE FROM contacts WHERE id = ?').run(noa);
    expect(db.prepare("SELECT user_id FROM campaign_recipients WHERE phone_hash = 'h3'").pluck().get()).toBeNull();
    // consent_events stays append-only; the audit trigger still names the contact.
    db.prepare(
      "INSERT INTO consent_events (contact_id, category, state, source, source_detail, actor, at) VALUES (2, 'utility', 'opted_in', 'manual', 'x', 'me', 20)",
    ).run();
    expect(() => db.prepare("UPDATE consent_events SET state = 'opted_out'").run()).toThrow(/append-only/);
    expect(db.prepare("SELECT subject FROM audit_log WHERE action = 'consent.opted_in' ORDER BY id DESC").pluck().get()).toBe(
      '+886900000000',
    );
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });

  it('people who waited by BSUID become contacts; their consent rows stay until the core applies them', () => {
    const db = storeAt16();
    migrate(db, migrations.slice(0, 17));
    expect(db.prepare("SELECT phone, name, username, created_at, updated_at FROM contacts WHERE user_id = 'IL.200'").get()).toEqual({
      phone: null,
      name: 'Noa K.',
      username: 'noa_k',
      created_at: 10,
      updated_at: 11,
    });
    // IL.100 already belonged to Dana: no second contact.
    expect(db.prepare("SELECT count(*) FROM contacts WHERE user_id = 'IL.100'").pluck().get()).toBe(1);
    expect(count(db, 'user_id_consent_pending')).toBe(3);
  });

  it('the runner: a rebuild that breaks a foreign key is rolled back, and foreign_keys is back on', () => {
    const db = storeAt16();
    const broken: Migration = {
      version: 17,
      name: 'broken-rebuild',
      foreignKeysOff: true,
      up: 'DELETE FROM contacts WHERE id = 1',
    };
    expect(() => migrate(db, [...migrations.slice(0, 16), broken])).toThrow(/broke \d+ foreign key/);
    expect(db.pragma('user_version', { simple: true })).toBe(16);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.prepare('SELECT count(*) FROM contacts WHERE id = 1').pluck().get()).toBe(1);
    expect(db.prepare('SELECT count(*) FROM contact_tags WHERE contact_id = 1').pluck().get()).toBe(1);
  });
});
