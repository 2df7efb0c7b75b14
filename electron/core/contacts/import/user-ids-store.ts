/**
 * The WhatsApp business-scoped user id (BSUID) and username columns of an import (issue #13; the
 * export writes them as `whatsapp_user_id` / `whatsapp_username`, contacts/export.ts).
 *
 * A BSUID is `CC.digits` (`IL.1502576394655843`), for linked portfolios `CC.ENT.digits`
 * (../shared/reference/whatsapp-cloud-api.md §11, Meta "Business-scoped user IDs"). A cell that is
 * not one is ignored — never stored as an id a webhook could later match by mistake.
 */
import type { Db } from '../../db/connection';
import { assignUserId } from '../user-ids-store';

const BSUID_RE = /^[A-Z]{2}(\.[A-Z]{2,5})?\.[0-9A-Za-z]{4,40}$/;
const USERNAME_RE = /^@?[\p{L}\p{N}._-]{1,64}$/u;

export const userIdOf = (cell: string): string | null => (BSUID_RE.test(cell) ? cell : null);
export const usernameOf = (cell: string): string | null => (USERNAME_RE.test(cell) ? cell.replace(/^@/, '') : null);

/**
 * Stores the staged BSUIDs and usernames on the contacts this import writes (`target`: staged seq →
 * contact id; `targetArgs`: its SQL's bound values). A BSUID is one person's: if another contact had it, it moves (assignUserId), and the
 * last row of the file carrying it wins.
 */
export function storeImportedUserIds(db: Db, target: string, now: number, targetArgs: unknown[] = []): void {
  const rows = db
    .prepare(
      `SELECT x.contact_id AS contactId, s.user_id AS userId, s.username FROM ${target} x JOIN st.s s ON s.seq = x.seq
       WHERE s.user_id IS NOT NULL OR s.username IS NOT NULL ORDER BY x.seq`,
    )
    .all(...targetArgs) as { contactId: number; userId: string | null; username: string | null }[];
  for (const r of rows) assignUserId(db, r.contactId, r.userId, r.username, now);
}
