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
import { onePerPersonLookups, skipWaitingRowsOfReached, type OnePerPersonLookups } from './store/one-per-person';

export const SAME_PERSON = 'same_person';

/** The send gate's lookups, prepared once for a sender: contactOf(row), reachedBy(campaign, contact, row). */
export { onePerPersonLookups, type OnePerPersonLookups };

/**
 * After a merge moved another contact's ledger rows to `contactId`: its waiting rows in campaigns
 * where another of its rows already reached them end skipped (`same_person`). Answers how many.
 * Called through the contacts domain's merge listeners (wired in compose.ts).
 */
export function skipRowsOfReachedPerson(db: Db, contactId: number, at: number): number {
  return skipWaitingRowsOfReached(db, contactId, at, SAME_PERSON);
}
