/**
 * What people wrote back (table inbound_replies, migration 0010): typed functions over the Db.
 *
 * A reply is linked to the campaign message it answers:
 * - 'context': WhatsApp names the message it replies to (a button tap, a swipe-reply) and that
 *   message is one of our ledger rows (`campaign_recipients.wamid`);
 * - 'window': otherwise, the latest ledger row to the same person whose message left us at most
 *   REPLY_WINDOW_MS (72 h) before the reply, provided no other message went to them in between
 *   (messaging_log: another campaign, a test send) — the rule campaigns/reports.ts counts by.
 *   The same person: the row's number is the sender's, or its user id is (a send by `recipient`),
 *   or it belongs to the sender's contact (found by number or by user id: a contact merged from
 *   a phone-less one keeps that one's rows). A reply whose webhook withheld the number (a user
 *   with a username, migration 0020) is stored and linked by its business-scoped user id alone.
 * Anything else (a message out of the blue) is kept unlinked: it still shows in the contact's
 * conversation.
 */
import type { Db } from '../db/connection';

export const REPLY_WINDOW_MS = 72 * 3600_000;

export interface InboundReply {
  /** Meta's id of the inbound message (dedupes webhook retries). */
  messageId: string;
  /** Sender's WhatsApp id: E.164 digits without "+"; null when Meta withheld it (then userId is set). */
  waId: string | null;
  /** Sender's business-scoped user id (`from_user_id`), when the webhook carries it. */
  userId?: string | null;
  at: number;
  /** Meta's message type: text, button, interactive, image, … */
  kind: string;
  text: string | null;
  payload: string | null;
  contextId: string | null;
}

/**
 * Meta's webhook timestamps have one-second resolution: a reply stamped second S was written at the
 * latest at S + 999 ms, so it may look older than a message that left us earlier in that second.
 */
export const SECOND_SLACK_MS = 999;

/** When a ledger row's message left us (the same expression reports.ts measures replies from). */
const BASE = 'coalesce(r.accepted_at, r.sent_at, r.claimed_at)';

/** The contact who sent a reply: by number, else by business-scoped user id. */
function senderContactId(db: Db, waId: string | null, userId: string | null): number | null {
  const byPhone = waId ? (db.prepare('SELECT id FROM contacts WHERE phone = ?').pluck().get(`+${waId}`) as number | undefined) : undefined;
  if (byPhone !== undefined) return byPhone;
  if (!userId) return null;
  return (db.prepare('SELECT id FROM contacts WHERE user_id = ?').pluck().get(userId) as number | undefined) ?? null;
}

/** The ledger row (and campaign) a reply answers, and how that was decided; null when none. */
export function linkOf(
  db: Db,
  reply: Pick<InboundReply, 'waId' | 'userId' | 'at' | 'contextId'>,
): { campaignId: string; recipientId: number; link: 'context' | 'window' } | null {
  if (reply.contextId) {
    const r = db.prepare('SELECT id, campaign_id FROM campaign_recipients WHERE wamid = ?').get(reply.contextId) as
      { id: number; campaign_id: string } | undefined;
    if (r) return { campaignId: r.campaign_id, recipientId: r.id, link: 'context' };
  }
  const userId = reply.userId ?? null;
  if (!reply.waId && !userId) return null;
  // Each term is an indexed lookup (campaign_recipients_phone / _user_id / _contact, migration 0020).
  const r = db
    .prepare(
      `SELECT r.id, r.campaign_id, r.phone_hash, ${BASE} AS base FROM campaign_recipients r
    WHERE r.id IN (SELECT id FROM campaign_recipients WHERE phone = @phone
                   UNION ALL SELECT id FROM campaign_recipients WHERE user_id = @userId
                   UNION ALL SELECT id FROM campaign_recipients WHERE contact_id = @contactId)
      AND ${BASE} IS NOT NULL AND ${BASE} <= @latest AND ${BASE} >= @earliest AND r.state IN ('accepted', 'sent', 'delivered', 'read')
    ORDER BY ${BASE} DESC, r.id DESC LIMIT 1`,
    )
    .get({
      phone: reply.waId ? `+${reply.waId}` : null,
      userId,
      contactId: senderContactId(db, reply.waId, userId),
      latest: reply.at + SECOND_SLACK_MS,
      earliest: reply.at - REPLY_WINDOW_MS,
    }) as { id: number; campaign_id: string; phone_hash: string; base: number } | undefined;
  if (!r) return null;
  const between = db
    .prepare(`SELECT 1 FROM messaging_log WHERE phone_hash = ? AND at > ? AND at < ? AND (campaign_id IS NULL OR campaign_id <> ?) LIMIT 1`)
    .get(r.phone_hash, r.base, reply.at, r.campaign_id);
  return between ? null : { campaignId: r.campaign_id, recipientId: r.id, link: 'window' };
}

/** Stores one inbound message with its link; a repeat of the same message id changes nothing. Answers true when stored. */
export function recordReply(db: Db, reply: InboundReply): boolean {
  const link = linkOf(db, reply);
  const res = db
    .prepare(
      `INSERT INTO inbound_replies (message_id, wa_id, user_id, at, kind, text, payload, context_id, campaign_id, recipient_id, link)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING`,
    )
    .run(
      reply.messageId,
      reply.waId,
      reply.userId ?? null,
      reply.at,
      reply.kind,
      reply.text,
      reply.payload,
      reply.contextId,
      link?.campaignId ?? null,
      link?.recipientId ?? null,
      link?.link ?? null,
    );
  return res.changes > 0;
}

export interface ReplyRow {
  id: number;
  recipient_id: number;
  contact_id: number | null;
  name: string | null;
  phone: string | null;
  at: number;
  kind: string;
  text: string | null;
  payload: string | null;
  link: 'context' | 'window';
}

// The address: the row's number, or the user id it was sent to (a phone-less contact; as the recipients page shows it).
const REPLY_COLUMNS = `i.id, i.recipient_id, r.contact_id, c.name, coalesce(r.phone, r.user_id) AS phone, i.at, i.kind, i.text, i.payload, i.link`;

/** A campaign's replies, newest first, with the recipient's name and number. */
export function campaignReplies(
  db: Db,
  campaignId: string,
  offset: number,
  limit: number,
): { total: number; people: number; replies: ReplyRow[] } {
  // `people`: the recipients who replied — the funnel's "replied" stage counts the same rows.
  const { total, people } = db
    .prepare(
      'SELECT count(*) AS total, count(DISTINCT recipient_id) AS people FROM inbound_replies WHERE campaign_id = ? AND recipient_id IS NOT NULL',
    )
    .get(campaignId) as { total: number; people: number };
  const replies = db
    .prepare(
      `SELECT ${REPLY_COLUMNS} FROM inbound_replies i JOIN campaign_recipients r ON r.id = i.recipient_id
    LEFT JOIN contacts c ON c.id = r.contact_id WHERE i.campaign_id = ? ORDER BY i.at DESC, i.id DESC LIMIT ? OFFSET ?`,
    )
    .all(campaignId, limit, offset) as ReplyRow[];
  return { total, people, replies };
}

/** The replies of some ledger rows (the recipient table's page), oldest first per row. */
export function repliesOfRecipients(db: Db, campaignId: string, recipientIds: readonly number[]): ReplyRow[] {
  if (!recipientIds.length) return [];
  return db
    .prepare(
      `SELECT ${REPLY_COLUMNS} FROM inbound_replies i JOIN campaign_recipients r ON r.id = i.recipient_id
    LEFT JOIN contacts c ON c.id = r.contact_id WHERE r.campaign_id = ? AND i.recipient_id IN (SELECT value FROM json_each(?)) ORDER BY i.recipient_id, i.at, i.id`,
    )
    .all(campaignId, JSON.stringify(recipientIds)) as ReplyRow[];
}

export interface ConversationRow {
  direction: 'out' | 'in';
  at: number;
  campaign_id: string | null;
  campaign_name: string | null;
  template: string | null;
  /** out: the ledger state (accepted … read, failed); in: null. */
  state: string | null;
  error_code: number | null;
  kind: string | null;
  text: string | null;
  payload: string | null;
}

/**
 * A contact's conversation: the campaign messages Pacer sent them (the ledger, with each message's
 * current state) and what they wrote, merged by time, newest first.
 */
export function conversationOf(db: Db, contactId: number, limit = 200): ConversationRow[] {
  const who = db.prepare('SELECT phone, user_id FROM contacts WHERE id = ?').get(contactId) as
    { phone: string | null; user_id: string | null } | undefined;
  if (who === undefined) return [];
  const out = db
    .prepare(
      `SELECT 'out' AS direction, ${BASE} AS at, r.campaign_id, c.name AS campaign_name, c.template_name AS template, r.state, r.error_code,
      NULL AS kind, NULL AS text, NULL AS payload
    FROM campaign_recipients r JOIN campaigns c ON c.id = r.campaign_id
    WHERE r.contact_id = ? AND ${BASE} IS NOT NULL ORDER BY at DESC LIMIT ?`,
    )
    .all(contactId, limit) as ConversationRow[];
  // What they wrote from their number, and what they wrote with the number withheld (by user id).
  const inbound = db
    .prepare(
      `SELECT 'in' AS direction, i.at, i.campaign_id, c.name AS campaign_name, NULL AS template, NULL AS state, NULL AS error_code,
      i.kind, i.text, i.payload
    FROM inbound_replies i LEFT JOIN campaigns c ON c.id = i.campaign_id
    WHERE i.id IN (SELECT id FROM inbound_replies WHERE wa_id = @waId UNION SELECT id FROM inbound_replies WHERE user_id = @userId)
    ORDER BY i.at DESC LIMIT @limit`,
    )
    .all({ waId: who.phone?.slice(1) ?? null, userId: who.user_id, limit }) as ConversationRow[];
  // An inbound second-resolution time sorts at the end of its second (SECOND_SLACK_MS).
  const key = (x: ConversationRow) => x.at + (x.direction === 'in' ? SECOND_SLACK_MS : 0);
  return [...out, ...inbound].sort((a, b) => key(b) - key(a) || (a.direction === 'in' ? -1 : 1)).slice(0, limit);
}

/** A campaign with this id exists (the replies' reads answer not_found otherwise). */
export function campaignExists(db: Db, id: string): boolean {
  return db.prepare('SELECT 1 FROM campaigns WHERE id = ?').get(id) !== undefined;
}

/** The replies table exists (migration 0015; a webhook-only database, the relay's, has none). */
export function repliesTableExists(db: Db): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'inbound_replies'").get() !== undefined;
}
