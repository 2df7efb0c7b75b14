/**
 * Data-subject access request (issue #14, item 2): what Pacer holds about one person beyond the
 * contact row, consent history and message history that ContactsService.subjectExport already
 * gives — holds, every campaign ledger row with its statuses, the 24-hour window, replies and the
 * raw webhook bodies that mention the number. Plain JSON: the user asked for it (docs/security.md).
 */
import type { Db } from '../../db/connection';
import { waIdOf } from './erase-traces';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface SubjectReply {
  wamid: string;
  at: number;
  type: string;
  text: string | null;
  /** The whole message object as Meta sent it (buttons, media ids, context). */
  message: unknown;
}

/** Inbound messages from `waId` — or from `userId` when Meta withheld the number — in one webhook body. */
function repliesIn(body: string, waId: string, userId: string | null): SubjectReply[] {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return [];
  }
  const out: SubjectReply[] = [];
  if (!isObj(doc) || !Array.isArray(doc.entry)) return out;
  for (const entry of doc.entry) {
    if (!isObj(entry) || !Array.isArray(entry.changes)) continue;
    for (const change of entry.changes) {
      const value = isObj(change) && isObj(change.value) ? change.value : null;
      for (const m of value && Array.isArray(value.messages) ? value.messages : []) {
        if (!isObj(m) || (String(m.from) !== waId && (!userId || m.from_user_id !== userId))) continue;
        const text =
          isObj(m.text) && typeof m.text.body === 'string'
            ? m.text.body
            : isObj(m.button) && typeof m.button.text === 'string'
              ? m.button.text
              : null;
        out.push({ wamid: String(m.id ?? ''), at: Number(m.timestamp ?? 0) * 1000, type: String(m.type ?? ''), text, message: m });
      }
    }
  }
  return out;
}

export function subjectTraces(db: Db, contactId: number, e164: string): Obj {
  const waId = waIdOf(e164);
  const sends = db
    .prepare(
      `SELECT r.campaign_id, c.name AS campaign_name, c.template_name AS template, r.state, r.skip_reason, r.wamid, r.params,
            r.error_code, r.error_detail, r.accepted_at, r.sent_at, r.delivered_at, r.read_at, r.failed_at, r.updated_at
     FROM campaign_recipients r JOIN campaigns c ON c.id = r.campaign_id
     WHERE r.contact_id = ? OR r.phone = ? ORDER BY r.id`,
    )
    .all(contactId, e164) as (Obj & { params: string | null })[];
  // A contact with a WhatsApp user id also wrote where the webhook carried only that id (migration 0020).
  const userId = (db.prepare('SELECT user_id FROM contacts WHERE id = ?').pluck().get(contactId) as string | null | undefined) ?? null;
  const bodies = db
    .prepare('SELECT id, received_at, source, state, body FROM webhook_inbox WHERE instr(body, ?) > 0 OR instr(body, ?) > 0 ORDER BY id')
    .all(Buffer.from(waId, 'utf8'), Buffer.from(userId ?? waId, 'utf8')) as {
    id: number;
    received_at: number;
    source: string;
    state: string;
    body: Buffer;
  }[];
  const rawBodies = bodies.map((b) => {
    const text = b.body.toString('utf8');
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* kept as text */
    }
    return { inbox_id: b.id, received_at: b.received_at, source: b.source, state: b.state, body: parsed };
  });
  return {
    campaign_sends: sends.map((s) => ({ ...s, params: s.params ? (JSON.parse(s.params) as unknown) : null })),
    message_statuses: db
      .prepare(
        'SELECT wamid, status, sent_at, delivered_at, read_at, failed_at, error_code, error_title, pricing_category, updated_at FROM webhook_message_status WHERE recipient_id = ? OR recipient_id = ? ORDER BY updated_at',
      )
      .all(waId, e164),
    service_window:
      db.prepare('SELECT last_inbound_at, last_message_id, window_expires_at FROM webhook_contact_window WHERE wa_id = ?').get(waId) ??
      null,
    replies: bodies.flatMap((b) => repliesIn(b.body.toString('utf8'), waId, userId)),
    raw_webhook_bodies: rawBodies,
  };
}
