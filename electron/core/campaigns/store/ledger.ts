/**
 * SQL for the send ledger as the campaign services read and change it: campaign_recipients (one
 * row per recipient of a started campaign) and messaging_log (every send, for the 24-hour budget
 * and frequency caps). The sender's claim/outcome SQL lives with the sender (sender.ts).
 */
import { NOT_RETRYABLE_CLASSES } from '../../../../shared/campaigns/resend';
import type { Db } from '../../db/connection';
import type { CampaignStatus, RecipientRow, RecipientState } from '../../../../shared/contract/campaigns';

export interface NewRecipient {
  contact_id: number | null;
  /** E.164, or null for a contact addressed by its WhatsApp user id (`user_id`). */
  phone: string | null;
  user_id?: string | null;
  phone_hash: string;
  country: string | null;
  tz: string | null;
  params: string | null;
  state: 'pending' | 'skipped';
  skip_reason: string | null;
}

export interface RecipientFilter {
  id: string;
  state?: RecipientState | RecipientState[];
  error_code?: number;
  search?: string;
  cursor?: number;
  limit: number;
}

// `phone` shows the address: the number, or the WhatsApp user id of a contact known only by it.
const RECIPIENT_COLUMNS = `id, contact_id, coalesce(phone, user_id) AS phone, country, state, skip_reason, wamid, error_code, error_class, error_detail, attempts, not_before,
        claimed_at, accepted_at, sent_at, delivered_at, read_at, failed_at, pricing_category, pricing_type, cost_rate, clicked_at`;

// ---- messaging log -----------------------------------------------------------------------------

/** Unique recipients messaged since `since` (every campaign, every number, test sends). */
export function uniqueRecipientsSince(db: Db, since: number): number {
  return (db.prepare('SELECT count(DISTINCT phone_hash) AS n FROM messaging_log WHERE at > ?').get(since) as { n: number }).n;
}

/** Sends of a category since `since`, other campaigns than `campaignId` (frequency caps). */
export function sendsOfCategorySince(db: Db, category: string, since: number, campaignId: string): { phone_hash: string; at: number }[] {
  return db
    .prepare('SELECT phone_hash, at FROM messaging_log WHERE category = ? AND at > ? AND (campaign_id IS NULL OR campaign_id != ?)')
    .all(category, since, campaignId) as { phone_hash: string; at: number }[];
}

/** The last send to each number since `since`, oldest first (the 24-hour window). */
export function lastSendPerNumberSince(db: Db, since: number): { phone_hash: string; at: number }[] {
  return db.prepare('SELECT phone_hash, max(at) AS at FROM messaging_log WHERE at > ? GROUP BY phone_hash ORDER BY at').all(since) as {
    phone_hash: string;
    at: number;
  }[];
}

// ---- recipients --------------------------------------------------------------------------------

const countsStatements = new WeakMap<Db, ReturnType<Db['prepare']>>();

/** Rows per state of one campaign (the statement is prepared once per database: progress runs it ~10 times a second). */
export function countsByState(db: Db, campaignId: string): { state: RecipientState; n: number }[] {
  let stmt = countsStatements.get(db);
  if (!stmt) {
    stmt = db.prepare('SELECT state, count(*) AS n FROM campaign_recipients WHERE campaign_id = ? GROUP BY state');
    countsStatements.set(db, stmt);
  }
  return stmt.all(campaignId) as { state: RecipientState; n: number }[];
}

/** Rows of running campaigns that are pending or sending and due by `until`. */
export function dueInRunningCampaigns(db: Db, until: number): number {
  return (
    db
      .prepare(
        `SELECT count(*) AS n FROM campaign_recipients r JOIN campaigns c ON c.id = r.campaign_id
      WHERE c.state = 'running' AND r.state IN ('pending', 'sending') AND (r.not_before IS NULL OR r.not_before <= ?)`,
      )
      .get(until) as { n: number }
  ).n;
}

/** Snapshots recipients into the ledger (INSERT OR IGNORE: a contact is in a campaign once). */
export function insertRecipients(db: Db, campaignId: string, rows: Iterable<NewRecipient>, now: number): void {
  const insert =
    db.prepare(`INSERT OR IGNORE INTO campaign_recipients (campaign_id, contact_id, phone, user_id, phone_hash, country, tz, params, state, skip_reason, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  for (const r of rows)
    insert.run(campaignId, r.contact_id, r.phone, r.user_id ?? null, r.phone_hash, r.country, r.tz, r.params, r.state, r.skip_reason, now);
}

/** Failed (not opted-out) or uncertain rows with a number become pending again; returns how many. */
export function requeue(db: Db, campaignId: string, which: 'failed' | 'uncertain', now: number): number {
  return which === 'uncertain'
    ? db
        .prepare(
          `UPDATE campaign_recipients SET state = 'pending', not_before = NULL, wamid = NULL, updated_at = ? WHERE campaign_id = ? AND state = 'uncertain' AND (phone IS NOT NULL OR user_id IS NOT NULL)`,
        )
        .run(now, campaignId).changes
    : db
        .prepare(
          `UPDATE campaign_recipients SET state = 'pending', not_before = NULL, wamid = NULL, updated_at = ? WHERE campaign_id = ? AND state = 'failed' AND (phone IS NOT NULL OR user_id IS NOT NULL)
            AND coalesce(error_class, '') NOT IN (${NOT_RETRYABLE_CLASSES.map((c) => `'${c}'`).join(', ')})`,
        )
        .run(now, campaignId).changes;
}

export function skipPending(db: Db, campaignId: string, reason: string, now: number): void {
  db.prepare(
    `UPDATE campaign_recipients SET state = 'skipped', skip_reason = ?, updated_at = ? WHERE campaign_id = ? AND state = 'pending'`,
  ).run(reason, now, campaignId);
}

export function pendingHashes(db: Db, campaignId: string): { phone_hash: string }[] {
  return db
    .prepare(`SELECT phone_hash FROM campaign_recipients WHERE campaign_id = ? AND state = 'pending' ORDER BY id`)
    .all(campaignId) as { phone_hash: string }[];
}

export function pendingDueCount(db: Db, campaignId: string, now: number): number {
  return (
    db
      .prepare(
        `SELECT count(*) AS n FROM campaign_recipients WHERE campaign_id = ? AND state = 'pending' AND (not_before IS NULL OR not_before <= ?)`,
      )
      .get(campaignId, now) as { n: number }
  ).n;
}

/** The earliest time a pending row waits for after `now` (a retry), or null. */
export function nextPendingAfter(db: Db, campaignId: string, now: number): number | null {
  return (
    db
      .prepare(`SELECT min(not_before) AS t FROM campaign_recipients WHERE campaign_id = ? AND state = 'pending' AND not_before > ?`)
      .get(campaignId, now) as { t: number | null }
  ).t;
}

export function failureGroups(db: Db, campaignId: string): CampaignStatus['errors'] {
  return db
    .prepare(
      `SELECT error_code AS code, error_class, count(*) AS count FROM campaign_recipients WHERE campaign_id = ? AND state = 'failed' GROUP BY error_code, error_class ORDER BY count DESC`,
    )
    .all(campaignId) as CampaignStatus['errors'];
}

/** One page of recipients (by row id after `cursor`) and the total matching the filter. */
export function recipientPage(db: Db, input: RecipientFilter): { rows: RecipientRow[]; total: number } {
  const where = ['campaign_id = ?'];
  const params: unknown[] = [input.id];
  if (input.state) {
    const states = Array.isArray(input.state) ? input.state : [input.state];
    where.push(`state IN (${states.map(() => '?').join(',')})`);
    params.push(...states);
  }
  if (input.error_code !== undefined) {
    where.push('error_code = ?');
    params.push(input.error_code);
  }
  if (input.search) {
    where.push(`coalesce(phone, user_id) LIKE ? ESCAPE '\\'`);
    params.push(`%${input.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  const total = (db.prepare(`SELECT count(*) AS n FROM campaign_recipients WHERE ${where.join(' AND ')}`).get(...params) as { n: number })
    .n;
  // The contact's display name beside the number (LEFT JOIN: an erased person has contact_id NULL, so no name).
  const rows = db
    .prepare(
      `SELECT r.*, c.name AS name FROM (SELECT ${RECIPIENT_COLUMNS} FROM campaign_recipients WHERE ${where.join(' AND ')} AND id > ? ORDER BY id LIMIT ?) r
       LEFT JOIN contacts c ON c.id = r.contact_id ORDER BY r.id`,
    )
    .all(...params, input.cursor ?? 0, input.limit) as RecipientRow[];
  for (const r of rows) if (r.contact_id === null || !r.name) r.name = null;
  return { rows, total };
}

/** Every recipient row of a campaign, streamed (a fresh statement per call: two reports may stream at once). */
export function* recipientRows(db: Db, campaignId: string): Generator<RecipientRow> {
  const stmt = db.prepare(`SELECT ${RECIPIENT_COLUMNS} FROM campaign_recipients WHERE campaign_id = ? ORDER BY id`);
  for (const r of stmt.iterate(campaignId)) yield r as RecipientRow;
}

/** Rows of a campaign still to send or in flight (0: the scheduler completes it). */
export function openRowCount(db: Db, campaignId: string): number {
  return (
    db
      .prepare(`SELECT count(*) AS n FROM campaign_recipients WHERE campaign_id = ? AND state IN ('pending', 'sending')`)
      .get(campaignId) as { n: number }
  ).n;
}

/** Pending rows of a campaign due at `now`, and the earliest later not-before (one query). */
export function pendingTiming(db: Db, campaignId: string, now: number): { dueNow: number; nextNotBefore: number | null } {
  const r = db
    .prepare(
      `SELECT sum(CASE WHEN not_before IS NULL OR not_before <= ? THEN 1 ELSE 0 END) AS due,
      min(CASE WHEN not_before > ? THEN not_before END) AS next
    FROM campaign_recipients WHERE campaign_id = ? AND state = 'pending'`,
    )
    .get(now, now, campaignId) as { due: number | null; next: number | null };
  return { dueNow: r.due ?? 0, nextNotBefore: r.next };
}
