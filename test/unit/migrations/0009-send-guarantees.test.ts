import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { migrate } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';

describe('migration 0009 send guarantees', () => {
  const setup = () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations.slice(0, 8));
    const campaign = (id: string, category: string | null, template = 'promo') =>
      db
        .prepare(
          `INSERT INTO campaigns (id, name, state, template_name, template_language, template_category, audience, created_at, updated_at)
      VALUES (?, ?, 'running', ?, 'en_US', ?, 'all', 1, 1)`,
        )
        .run(id, id, template, category);
    campaign('mkt', 'MARKETING');
    campaign('util', 'UTILITY');
    // Stored as UTILITY but Meta re-categorised the template as MARKETING: the current category counts.
    campaign('recat', 'UTILITY', 'recat');
    db.prepare(
      `INSERT INTO wa_templates (id, waba_id, name, language, status, category, last_changed_at, synced_at, created_at) VALUES ('t1', 'w', 'recat', 'en_US', 'APPROVED', 'MARKETING', 1, 1, 1)`,
    ).run();
    const contact = db.prepare('INSERT INTO contacts (phone, name, created_at, updated_at) VALUES (?, ?, 1, 1)');
    const ids = [1, 2, 3, 4].map((i) => Number(contact.run(`+97250123456${i}`, `c${i}`).lastInsertRowid));
    const row = db.prepare(
      `INSERT INTO campaign_recipients (campaign_id, contact_id, phone, phone_hash, state, updated_at) VALUES (?, ?, ?, ?, ?, 1)`,
    );
    for (const c of ['mkt', 'util', 'recat']) for (const id of ids) row.run(c, id, `+97250123456${id}`, `h${id}`, 'pending');
    // Already sent rows are history: nothing may change them.
    db.prepare(`UPDATE campaign_recipients SET state = 'accepted', wamid = 'w-' || id WHERE campaign_id = 'mkt' AND contact_id = ?`).run(
      ids[3],
    );
    migrate(db, migrations.slice(0, 9));
    const state = (c: string, id: number) =>
      db.prepare('SELECT state, skip_reason, phone FROM campaign_recipients WHERE campaign_id = ? AND contact_id IS ?').get(c, id) as
        { state: string; skip_reason: string | null } | undefined;
    return { db, ids, state };
  };

  it('applies', () => {
    const { db } = setup();
    expect(db.pragma('user_version', { simple: true })).toBe(9);
  });

  it('every write to the templates moves the version the sender caches by', () => {
    const { db } = setup();
    const v = () => Number(db.prepare(`SELECT value FROM app_meta WHERE key = 'templates.version'`).pluck().get());
    const v0 = v();
    db.prepare(`UPDATE wa_templates SET status = 'PAUSED' WHERE id = 't1'`).run();
    expect(v()).toBe(v0 + 1);
    db.prepare(`UPDATE wa_templates SET status = 'APPROVED' WHERE id = 't1'`).run();
    db.prepare(
      `INSERT INTO wa_templates (id, waba_id, name, language, status, category, last_changed_at, synced_at, created_at) VALUES ('t2', 'w', 'x', 'he', 'APPROVED', 'UTILITY', 1, 1, 1)`,
    ).run();
    db.prepare(`DELETE FROM wa_templates WHERE id = 't2'`).run();
    expect(v()).toBe(v0 + 4);
  });

  it("a marketing opt-out skips the waiting rows of marketing campaigns only (by the template's current category)", () => {
    const { db, ids, state } = setup();
    const ev = Number(
      db
        .prepare(
          `INSERT INTO consent_events (contact_id, category, state, source, source_detail, actor, at) VALUES (?, 'marketing', 'opted_out', 'keyword', 'STOP', 'contact', 5)`,
        )
        .run(ids[0]).lastInsertRowid,
    );
    db.prepare(
      `INSERT INTO consent_state (contact_id, category, state, updated_at, event_id) VALUES (?, 'marketing', 'opted_out', 5, ?)`,
    ).run(ids[0], ev);
    expect(state('mkt', ids[0]!)).toMatchObject({ state: 'skipped', skip_reason: 'opted_out' });
    expect(state('recat', ids[0]!)).toMatchObject({ state: 'skipped', skip_reason: 'opted_out' });
    expect(state('util', ids[0]!)).toMatchObject({ state: 'pending' });
    // opted_in → opted_out by an update of the state row (the usual path)
    db.prepare(`INSERT INTO consent_state (contact_id, category, state, updated_at, event_id) VALUES (?, 'utility', 'opted_in', 5, ?)`).run(
      ids[1],
      ev,
    );
    expect(state('util', ids[1]!)).toMatchObject({ state: 'pending' });
    db.prepare(`UPDATE consent_state SET state = 'opted_out', updated_at = 6 WHERE contact_id = ? AND category = 'utility'`).run(ids[1]);
    expect(state('util', ids[1]!)).toMatchObject({ state: 'skipped', skip_reason: 'opted_out' });
    expect(state('mkt', ids[1]!)).toMatchObject({ state: 'pending' });
  });

  it('a hold, an edited number and an erasure skip waiting rows; sent rows never change', () => {
    const { db, ids, state } = setup();
    db.prepare(`INSERT INTO contact_holds (contact_id, reason, held_at) VALUES (?, 'user_changed_number', 7)`).run(ids[1]);
    for (const c of ['mkt', 'util']) expect(state(c, ids[1]!)).toMatchObject({ state: 'skipped', skip_reason: 'held_number_changed' });
    db.prepare(`UPDATE contacts SET phone = '+972501111111', updated_at = 8 WHERE id = ?`).run(ids[2]);
    expect(state('mkt', ids[2]!)).toMatchObject({ state: 'skipped', skip_reason: 'phone_changed' });
    db.prepare(`UPDATE contacts SET name = 'renamed' WHERE id = ?`).run(ids[0]);
    expect(state('mkt', ids[0]!)).toMatchObject({ state: 'pending' });
    db.prepare('DELETE FROM contacts WHERE id = ?').run(ids[3]);
    const rows = db
      .prepare(`SELECT campaign_id, state, skip_reason, phone FROM campaign_recipients WHERE phone_hash = ? ORDER BY campaign_id`)
      .all(`h${ids[3]}`);
    expect(rows).toEqual([
      { campaign_id: 'mkt', state: 'accepted', skip_reason: null, phone: null },
      { campaign_id: 'recat', state: 'skipped', skip_reason: 'erased', phone: null },
      { campaign_id: 'util', state: 'skipped', skip_reason: 'erased', phone: null },
    ]);
  });
});
