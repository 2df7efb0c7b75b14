/**
 * The webhook service's SQL: statuses waiting for their send to be known (webhook_pending_status),
 * the merged delivery facts per wamid (webhook_message_status), and what the self-test leaves
 * behind. Typed functions over the Db (the model is account/store.ts).
 */
import type { Db } from '../db/connection';
import type { MessageStatusRow } from './builtin';

export interface PendingStatus {
  event_key: string;
  event: string;
}

/** Pending statuses: the oldest 5,000, or those of some wamids / opaque callback data. */
export function pendingStatuses(db: Db, filter: { wamids?: readonly string[]; bizOpaque?: readonly string[] }): PendingStatus[] {
  const rows: PendingStatus[] = [];
  if (!filter.wamids && !filter.bizOpaque)
    rows.push(
      ...(db.prepare(`SELECT event_key, event FROM webhook_pending_status ORDER BY received_at LIMIT 5000`).all() as PendingStatus[]),
    );
  const byWamid = db.prepare(`SELECT event_key, event FROM webhook_pending_status WHERE wamid = ?`);
  for (const w of filter.wamids ?? []) rows.push(...(byWamid.all(w) as PendingStatus[]));
  const byOpaque = db.prepare(`SELECT event_key, event FROM webhook_pending_status WHERE biz_opaque_callback_data = ?`);
  for (const b of filter.bizOpaque ?? []) rows.push(...(byOpaque.all(b) as PendingStatus[]));
  return rows;
}

export function isStillPending(db: Db, eventKey: string): boolean {
  return db.prepare(`SELECT 1 FROM webhook_pending_status WHERE event_key = ?`).get(eventKey) !== undefined;
}

export function pendingStatusCount(db: Db): number {
  return (db.prepare(`SELECT count(*) AS n FROM webhook_pending_status`).get() as { n: number }).n;
}

export function messageStatusOf(db: Db, wamid: string): MessageStatusRow | null {
  return (db.prepare(`SELECT * FROM webhook_message_status WHERE wamid = ?`).get(wamid) as MessageStatusRow | undefined) ?? null;
}

/** The self-test's event: its inbox row id, and whether it was processed (its event key recorded). */
export function inboxRowWithBody(db: Db, body: string): number | null {
  const row = db.prepare(`SELECT id FROM webhook_inbox WHERE body = ?`).get(Buffer.from(body)) as { id: number } | undefined;
  return row?.id ?? null;
}

export function eventKeySeen(db: Db, key: string): boolean {
  return db.prepare(`SELECT 1 FROM webhook_event_keys WHERE key = ?`).get(key) !== undefined;
}

/** Removes every trace of the self-test's event (one transaction). */
export function forgetSelfTest(db: Db, body: string, key: string, wamid: string): void {
  db.transaction(() => {
    db.prepare(`DELETE FROM webhook_inbox WHERE body = ?`).run(Buffer.from(body));
    db.prepare(`DELETE FROM webhook_event_keys WHERE key = ?`).run(key);
    db.prepare(`DELETE FROM webhook_message_status WHERE wamid = ?`).run(wamid);
    db.prepare(`DELETE FROM webhook_pending_status WHERE wamid = ?`).run(wamid);
  })();
}
