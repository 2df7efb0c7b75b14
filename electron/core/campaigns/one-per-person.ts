/**
 * One person, one message per campaign — also when Pacer knew them as two contacts.
 *
 * Before Meta links a business-scoped user id to a number, the same person can be a phone contact
 * AND a contact known only by that user id (docs/contacts.md "Business-scoped user ids"); a
 * campaign then has a ledger row for each. When a webhook finally carries both ids, the two
 * contacts merge (contacts/user-ids-store.ts mergeUserIdContact) and both rows belong to one
 * contact. From then on a row of that contact is not sent when another row of the same campaign
 * already reached them — `sending`, `accepted` … `read`, or `uncertain` (it may have) — and ends
 * `skipped` with the reason `same_person`. A `failed` row reached nobody and does not count.
 *
 * Two halves, as for opt-outs (migration 0009): the merge skips the waiting rows at once (the
 * visible half), and the sender checks at the send gate, inside the claim's write transaction
 * (the binding half) — its rows may have waited in memory since before the merge, with the
 * contact id they had then; `contactOf` reads the row's contact as it is now.
 */
import type { Db } from '../db/connection';

export const SAME_PERSON = 'same_person';

/** Ledger states in which a row's message reached the person, is on its way, or may have. */
const REACHED = `('sending', 'accepted', 'sent', 'delivered', 'read', 'uncertain')`;

/** The send gate's lookups, prepared once (they run for every claimed row). */
export class OnePerPerson {
  private readonly current;
  private readonly reached;

  constructor(db: Db) {
    this.current = db.prepare('SELECT contact_id FROM campaign_recipients WHERE id = ?').pluck();
    this.reached = db.prepare(
      `SELECT 1 FROM campaign_recipients WHERE contact_id = ? AND campaign_id = ? AND id <> ? AND state IN ${REACHED} LIMIT 1`,
    );
  }

  /** The row's contact now (a merge may have moved the row); undefined when the row is gone. */
  contactOf(rowId: number): number | null | undefined {
    return this.current.get(rowId) as number | null | undefined;
  }

  /** Whether another row of this campaign reached the contact (rows claimed earlier in the same transaction included). */
  reachedBy(campaignId: string, contactId: number, rowId: number): boolean {
    return this.reached.get(contactId, campaignId, rowId) !== undefined;
  }
}

/**
 * After a merge moved another contact's ledger rows to `contactId`: its waiting rows in campaigns
 * where another of its rows already reached them end skipped (`same_person`). Answers how many.
 */
export function skipRowsOfReachedPerson(db: Db, contactId: number, at: number): number {
  return db
    .prepare(
      `UPDATE campaign_recipients AS r SET state = 'skipped', skip_reason = '${SAME_PERSON}', updated_at = ?
       WHERE r.contact_id = ? AND r.state = 'pending' AND EXISTS (
         SELECT 1 FROM campaign_recipients o
         WHERE o.contact_id = r.contact_id AND o.campaign_id = r.campaign_id AND o.id <> r.id AND o.state IN ${REACHED})`,
    )
    .run(at, contactId).changes;
}
