/**
 * SQL of "one person, one message per campaign" (campaigns/one-per-person.ts): the send gate's
 * lookups, prepared once (they run for every claimed row), and the merge-time skip.
 */
import type { Db } from '../../db/connection';

/** Ledger states in which a row's message reached the person, is on its way, or may have. */
const REACHED = `('sending', 'accepted', 'sent', 'delivered', 'read', 'uncertain')`;

export interface OnePerPersonLookups {
  /** The row's contact now (a merge may have moved the row); undefined when the row is gone. */
  contactOf(rowId: number): number | null | undefined;
  /** Whether another row of this campaign reached the contact (rows claimed earlier in the same transaction included). */
  reachedBy(campaignId: string, contactId: number, rowId: number): boolean;
}

export function onePerPersonLookups(db: Db): OnePerPersonLookups {
  const current = db.prepare('SELECT contact_id FROM campaign_recipients WHERE id = ?').pluck();
  const reached = db.prepare(
    `SELECT 1 FROM campaign_recipients WHERE contact_id = ? AND campaign_id = ? AND id <> ? AND state IN ${REACHED} LIMIT 1`,
  );
  return {
    contactOf: (rowId) => current.get(rowId) as number | null | undefined,
    reachedBy: (campaignId, contactId, rowId) => reached.get(contactId, campaignId, rowId) !== undefined,
  };
}

/** The contact's waiting rows in campaigns where another of its rows already reached them end skipped with `reason`. Answers how many. */
export function skipWaitingRowsOfReached(db: Db, contactId: number, at: number, reason: string): number {
  return db
    .prepare(
      `UPDATE campaign_recipients AS r SET state = 'skipped', skip_reason = ?, updated_at = ?
       WHERE r.contact_id = ? AND r.state = 'pending' AND EXISTS (
         SELECT 1 FROM campaign_recipients o
         WHERE o.contact_id = r.contact_id AND o.campaign_id = r.campaign_id AND o.id <> r.id AND o.state IN ${REACHED})`,
    )
    .run(reason, at, contactId).changes;
}
