/**
 * Who wants to know when two contacts became one (contacts/user-ids-store.ts mergeUserIdContact:
 * WhatsApp linked a user id to a number another contact has). Campaigns listens — a waiting row of
 * the merged person in a campaign that already reached them is skipped — and registers itself in
 * compose.ts, so contacts does not depend on campaigns. Listeners run inside the merge's transaction.
 */
import type { Db } from '../db/connection';

type MergeListener = (into: number, at: number) => void;
const listeners = new WeakMap<Db, Set<MergeListener>>();

export function onContactsMerged(db: Db, listener: MergeListener): () => void {
  let set = listeners.get(db);
  if (!set) listeners.set(db, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

export function contactsMerged(db: Db, into: number, at: number): void {
  for (const l of listeners.get(db) ?? []) l(into, at);
}
