/**
 * SQL of an import's rows known only by a WhatsApp user id (user-only-rows.ts decides; these
 * statements read and write). Prepared once per import by `userOnlyStore`.
 */
import type { ConsentCategory } from '../../../../shared/contract/contacts';
import type { Db } from '../../db/connection';
import type { UserOnlyRow } from './stage-rows';

export interface UserOnlyStore {
  idByUserId(userId: string): number | undefined;
  insert(r: UserOnlyRow, now: number): number;
  /** The file's values replace stored ones only where the file has a value. */
  update(id: number, r: UserOnlyRow, now: number): void;
  consentOf(id: number, category: ConsentCategory): { state: string; since: number } | undefined;
  /** Every contact up to `id` is in the word index (search.ts `contacts.fts_upto`). */
  indexedUpTo(id: number): void;
}

export function userOnlyStore(db: Db): UserOnlyStore {
  const find = db.prepare('SELECT id FROM contacts WHERE user_id = ?').pluck();
  const insert = db.prepare(
    `INSERT INTO contacts (phone, first_name, last_name, name, email, country, user_id, username, created_at, updated_at)
     VALUES (NULL, ?, ?, ?, ?, NULL, ?, ?, ?, ?)`,
  );
  const update = db.prepare(`
    UPDATE contacts SET first_name = coalesce(?, first_name), last_name = coalesce(?, last_name),
      name = CASE WHEN ? <> '' THEN ? ELSE name END, email = coalesce(?, email), username = coalesce(?, username), updated_at = ?
    WHERE id = ?`);
  const stateOf = db.prepare('SELECT state, updated_at AS since FROM consent_state WHERE contact_id = ? AND category = ?');
  const watermark = db.prepare("UPDATE app_meta SET value = ? WHERE key = 'contacts.fts_upto'");
  return {
    idByUserId: (userId) => find.get(userId) as number | undefined,
    insert: (r, now) => Number(insert.run(r.first_name, r.last_name, r.name, r.email, r.userId, r.username, now, now).lastInsertRowid),
    update: (id, r, now) => void update.run(r.first_name, r.last_name, r.name, r.name, r.email, r.username, now, id),
    consentOf: (id, category) => stateOf.get(id, category) as { state: string; since: number } | undefined,
    indexedUpTo: (id) => void watermark.run(String(id)),
  };
}
